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
        bg::union_(reference, fp.polygon, merged);
        reference = std::move(merged);
    }
    CHECK(areas[1].cells == 400);
    CHECK(areas[1].area_km2 == doctest::Approx(geo::area_m2(reference) / 1e6).epsilon(1e-6));
    CHECK(areas[1].area.size() == reference.size());
}
