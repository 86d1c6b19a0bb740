#include "fixtures.hpp"

#include <deadzone/overlay/overlay.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>

using namespace deadzone;
using namespace deadzone::overlay::testing;
namespace bg = boost::geometry;

TEST_CASE("dissolved coverage: one entry per campaign operator, overlaps counted once") {
    const geo::Point a{105.0, 21.0};
    const double r = 2000.0;
    const double d = 2000.0; // centres 2 km apart, east-west
    const geo::Point b = geo::destination(a, 90.0, d);
    const geo::Point far = geo::destination(a, 0.0, 20000.0);
    const std::vector<Cell> cells{
        cell("VTL", "A", day("2022-01-01")),
        cell("VTL", "B", day("2022-01-01")),
        cell("VTL", "FAR", day("2022-01-01")),
        cell("VTL", "PLAN", std::nullopt, std::nullopt, CellStatus::planned),
        cell("MBF", "LATER", day("2023-01-01")),
    };
    const std::vector<model::Footprint> footprints{
        footprint(0, geo::disc(a, r, 720)), footprint(1, geo::disc(b, r, 720)),
        footprint(2, geo::disc(far, r, 720)), footprint(3, geo::disc(b, 9000.0, 720)),
        footprint(4, geo::disc(a, r, 720)),
    };
    const auto areas = overlay::dissolve_coverage(cells, footprints, campaign(), day("2022-06-30"));
    REQUIRE(areas.size() == 3);
    CHECK(areas[0].operator_code == "VTL");
    CHECK(areas[1].operator_code == "VNP");
    CHECK(areas[2].operator_code == "MBF");
    CHECK(areas[0].cells == 3);
    CHECK(areas[1].cells == 0);
    CHECK(areas[1].area.empty());
    CHECK(areas[2].cells == 0);
    // Two discs of radius r, centres d apart: 2 pi r^2 minus the lens
    // 2 r^2 acos(d / 2r) - (d / 2) sqrt(4 r^2 - d^2); plus the distant third disc.
    const double lens = 2 * r * r * std::acos(d / (2 * r)) - d / 2 * std::sqrt(4 * r * r - d * d);
    const double expected_km2 = (3 * std::numbers::pi * r * r - lens) / 1e6;
    CHECK(areas[0].area_km2 == doctest::Approx(expected_km2).epsilon(1e-3));
    CHECK(areas[0].area.size() == 2); // the pair merged, the distant disc apart
    CHECK(bg::is_valid(areas[0].area));
}

TEST_CASE("the cascaded union of many footprints equals the one-by-one union") {
    std::mt19937 rng(42);
    auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    std::vector<Cell> cells;
    std::vector<model::Footprint> footprints;
    for (int i = 0; i < 400; ++i) {
        cells.push_back(cell("VNP", "S" + std::to_string(i), day("2022-01-01")));
        const geo::Point site{uniform(104.0, 104.5), uniform(18.0, 18.5)};
        footprints.push_back(footprint(static_cast<std::size_t>(i), geo::disc(site, uniform(1000, 4000), 32)));
    }
    const auto areas = overlay::dissolve_coverage(cells, footprints, campaign(), day("2022-06-30"));
    REQUIRE(areas.size() == 3);
    geo::MultiPolygon reference;
    for (const auto& fp : footprints) {
        geo::MultiPolygon merged;
        bg::union_(reference, fp.shape.unfolded(), merged);
        reference = std::move(merged);
    }
    CHECK(areas[1].cells == 400);
    CHECK(areas[1].area_km2 == doctest::Approx(geo::area_m2(reference) / 1e6).epsilon(1e-6));
    CHECK(areas[1].area.size() == reference.size());
}

TEST_CASE("holes far from a merge's seam come back into the dissolved polygon") {
    // A 24 x 24 grid of overlapping squares with 9 squares left out, each surrounded by
    // others: one polygon with 9 holes. Most holes are far from the seams of the last merges,
    // so they skip the overlay and are put back.
    const double step = 0.01;
    const double overhang = 0.002;
    std::vector<Cell> cells;
    std::vector<model::Footprint> footprints;
    int missing = 0;
    for (int i = 0; i < 24; ++i) {
        for (int j = 0; j < 24; ++j) {
            if (i % 8 == 3 && j % 8 == 4) {
                ++missing;
                continue;
            }
            const double x = 106.0 + i * step;
            const double y = 20.0 + j * step;
            cells.push_back(cell("MBF", "S" + std::to_string(i * 24 + j), day("2022-01-01")));
            footprints.push_back(footprint(cells.size() - 1, rectangle(x - overhang, y - overhang, x + step + overhang,
                                                                        y + step + overhang, 2)));
        }
    }
    REQUIRE(missing == 9);
    const auto areas = overlay::dissolve_coverage(cells, footprints, campaign(), day("2022-06-30"));
    const auto& mbf = areas[2];
    REQUIRE(mbf.area.size() == 1);
    CHECK(mbf.area.front().inners().size() == 9);
    CHECK(bg::is_valid(mbf.area));
    // In the overlay's plane (degrees): the grid's outline minus the 9 holes.
    const double hole_deg2 = (step - 2 * overhang) * (step - 2 * overhang);
    const double side_deg = 24 * step + 2 * overhang;
    CHECK(bg::area(mbf.area) == doctest::Approx(side_deg * side_deg - 9 * hole_deg2).epsilon(1e-9));
    // Each hole is the left-out square minus the neighbours' overhangs.
    for (const auto& hole : mbf.area.front().inners()) {
        CHECK(std::abs(bg::area(hole)) == doctest::Approx(hole_deg2).epsilon(1e-9));
    }
}

TEST_CASE("the consuming dissolve gives the same bytes and leaves the merged footprints' shapes empty") {
    std::mt19937 rng(7);
    auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    std::vector<Cell> cells;
    std::vector<model::Footprint> footprints;
    for (int i = 0; i < 120; ++i) {
        const char* op = i % 3 == 0 ? "VTL" : (i % 3 == 1 ? "VNP" : "MBF");
        // Every tenth cell comes on air after the date: not merged, its shape stays.
        cells.push_back(cell(op, "S" + std::to_string(i), day(i % 10 == 0 ? "2023-01-01" : "2022-01-01")));
        const geo::Point site{uniform(104.0, 104.4), uniform(18.0, 18.4)};
        footprints.push_back(footprint(static_cast<std::size_t>(i), geo::disc(site, uniform(1000, 4000), 32)));
    }
    const auto copied = overlay::dissolve_coverage(cells, footprints, campaign(), day("2022-06-30"), overlay::Options{});
    auto consumed_footprints = footprints;
    const auto consumed = overlay::dissolve_coverage_consuming(cells, consumed_footprints, campaign(), day("2022-06-30"),
                                                               overlay::Options{});
    REQUIRE(consumed.size() == copied.size());
    for (std::size_t o = 0; o < copied.size(); ++o) {
        CHECK(consumed[o].operator_code == copied[o].operator_code);
        CHECK(consumed[o].cells == copied[o].cells);
        CHECK(consumed[o].area_km2 == copied[o].area_km2);
        CHECK(bg::equals(consumed[o].area, copied[o].area));
        CHECK(consumed[o].area.size() == copied[o].area.size());
    }
    for (std::size_t i = 0; i < footprints.size(); ++i) {
        CAPTURE(i);
        CHECK(consumed_footprints[i].shape.empty() == (i % 10 != 0)); // merged ones taken, the others kept
        CHECK(bg::equals(consumed_footprints[i].box, footprints[i].box));
        CHECK(consumed_footprints[i].area_km2 == footprints[i].area_km2);
    }
}
