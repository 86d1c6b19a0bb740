#include "fixtures.hpp"

#include <deadzone/overlay/overlay.hpp>

#include <doctest/doctest.h>

#include <cmath>

using namespace deadzone;
using namespace deadzone::overlay::testing;

namespace {
const Date as_of = day("2022-06-30");
}

TEST_CASE("a square village half covered from the west, at the equator, 45 and 60 degrees") {
    for (const double lat : {0.0, 21.0, 45.0, 60.0}) {
        CAPTURE(lat);
        const double lon = 105.0;
        const auto square = rectangle(lon, lat, lon + 0.01, lat + 0.01);
        // Reaches far beyond the village everywhere except its eastern edge, which runs exactly
        // through the village's middle meridian: the western half.
        const auto west = rectangle(lon - 0.05, lat - 0.05, lon + 0.005, lat + 0.06);
        const std::vector<Village> villages{village("V1", square)};
        const std::vector<Cell> cells{cell("VTL", "S1", day("2022-05-01"))};
        const std::vector<model::Footprint> footprints{footprint(0, west)};

        const auto result = overlay::run_overlay(villages, cells, footprints, campaign(), as_of);
        REQUIRE(result.villages.size() == 1);
        const auto& v = result.villages[0];
        REQUIRE(v.operators.size() == 1);
        CHECK(v.operators[0].operator_code == "VTL");
        CHECK(std::fabs(v.operators[0].fraction - 0.5) < 1e-6);
        CHECK(std::fabs(v.any_fraction - 0.5) < 1e-6);
        CHECK(v.operators[0].cells == std::vector<std::size_t>{0});
        // The village's area against PROJ's geodesic polygon area of the same ring.
        const double geodesic_km2 = geo::area_m2(square) / 1e6;
        CHECK(std::fabs(v.area_km2 - geodesic_km2) < 1e-6 * geodesic_km2);
        // The gap is the eastern half.
        CHECK(std::fabs(v.gap_km2 - geodesic_km2 / 2) < 1e-6 * geodesic_km2);
        CHECK(!result.population_weighted);
        CHECK(!v.population_weighted);
    }
}

TEST_CASE("covered_fraction: half a square, all of it, none of it; overlaps counted once") {
    const auto square = rectangle(105.0, 21.0, 105.01, 21.01);
    const auto west = geo::MultiPolygon{rectangle(104.95, 20.95, 105.005, 21.06)};
    const auto south = geo::MultiPolygon{rectangle(104.95, 20.95, 105.06, 21.005)};
    const auto all = geo::MultiPolygon{rectangle(104.9, 20.9, 105.1, 21.1)};
    const auto far = geo::MultiPolygon{rectangle(106.0, 21.0, 106.01, 21.01)};
    const geo::MultiPolygon village{square};
    CHECK(std::fabs(overlay::covered_fraction(village, {&west}) - 0.5) < 1e-6);
    // West and south halves overlap in the south-west quarter: 1/2 + 1/2 - 1/4 (the southern
    // half is larger by about 1e-5 of the square, where the meridians lie further apart).
    CHECK(std::fabs(overlay::covered_fraction(village, {&west, &south}) - 0.75) < 5e-5);
    CHECK(overlay::covered_fraction(village, {&west, &all}) == 1.0);
    CHECK(overlay::covered_fraction(village, {&far}) == 0.0);
    CHECK(overlay::covered_fraction(village, {}) == 0.0);
}

TEST_CASE("a 0.01 degree square shrinks with cos(latitude); a 1x1 degree cell has its known area") {
    // Degrees are not areas: the same lon/lat square is half as large at 60 degrees.
    const std::vector<Cell> no_cells;
    const std::vector<model::Footprint> no_footprints;
    const auto at = [&](double lat, double size) {
        const std::vector<Village> villages{village("V", rectangle(105, lat, 105 + size, lat + size, 200))};
        return overlay::run_overlay(villages, no_cells, no_footprints, campaign(), as_of).villages[0];
    };
    const double equator = at(0.0, 0.01).area_km2;
    const double sixty = at(60.0, 0.01).area_km2;
    CHECK(sixty / equator == doctest::Approx(0.504983).epsilon(1e-5));
    // 1 x 1 degree cells on WGS84, from the closed-form area of the ellipsoidal zone between two
    // parallels divided by 360: 12 308.464 km^2 at 0-1 N, 6 123.141 km^2 at 60-61 N. (A planar
    // degree-square or Web Mercator area would be off by tens of per cent at 60 N.)
    CHECK(at(0.0, 1.0).area_km2 == doctest::Approx(12308.464).epsilon(2e-6));
    CHECK(at(60.0, 1.0).area_km2 == doctest::Approx(6123.141).epsilon(2e-6));
    // And PROJ's geodesic area of the same dense ring agrees.
    CHECK(at(60.0, 1.0).area_km2 ==
          doctest::Approx(geo::area_m2(rectangle(105, 60, 106, 61, 200)) / 1e6).epsilon(1e-6));
    // Uncovered villages: everything is gap.
    const auto v = at(45.0, 0.01);
    CHECK(v.operators.empty());
    CHECK(v.any_fraction == 0.0);
    CHECK(v.gap_km2 == doctest::Approx(v.area_km2).epsilon(1e-12));
}

TEST_CASE("an omni disc holding the village covers it fully; a distant one not at all") {
    const geo::Point centre{105.5, 21.5};
    const auto square = rectangle(105.498, 21.498, 105.502, 21.502);
    const std::vector<Village> villages{village("IN", square),
                                        village("FAR", rectangle(106.5, 21.5, 106.504, 21.504))};
    const std::vector<Cell> cells{cell("VNP", "S1", day("2022-01-10"))};
    const std::vector<model::Footprint> footprints{footprint(0, geo::disc(centre, 3000.0))};
    const auto result = overlay::run_overlay(villages, cells, footprints, campaign(), as_of);

    const auto& in = result.villages[0];
    REQUIRE(in.operators.size() == 1);
    CHECK(in.operators[0].fraction == 1.0);
    CHECK(in.operators[0].potential_fraction == 1.0);
    CHECK(in.any_fraction == 1.0);
    CHECK(in.gap.empty());
    CHECK(in.gap_km2 == 0.0);
    REQUIRE(in.operators[0].covered_periods.size() == 1);
    CHECK(in.operators[0].covered_periods[0].from == day("2022-01-10"));
    CHECK(!in.operators[0].covered_periods[0].to);
    CHECK(in.find("VNP") == &in.operators[0]);
    CHECK(in.find("VTL") == nullptr);

    const auto& far = result.villages[1];
    CHECK(far.operators.empty());
    CHECK(far.any_fraction == 0.0);
    CHECK(far.gap_km2 == doctest::Approx(far.area_km2).epsilon(1e-12));
}

TEST_CASE("footprints sharing the village's edges exactly (degenerate overlay input)") {
    const auto square = rectangle(105.0, 10.0, 105.01, 10.01);
    // Split along a meridian: the western half is exactly half the area (a split along a
    // parallel would not be: the northern half of this square is 0.5 - 3.8e-6 of it).
    const auto west_half = rectangle(105.0, 10.0, 105.005, 10.01);
    const std::vector<Village> villages{village("V", square)};
    const std::vector<Cell> cells{cell("VTL", "SAME", day("2022-03-01")), cell("VNP", "HALF", day("2022-03-01"))};
    const std::vector<model::Footprint> footprints{footprint(0, square), footprint(1, west_half)};
    const auto result = overlay::run_overlay(villages, cells, footprints, campaign(), as_of);
    const auto& v = result.villages[0];
    REQUIRE(v.operators.size() == 2);
    CHECK(v.operators[0].operator_code == "VNP"); // sorted by code
    CHECK(std::fabs(v.operators[0].fraction - 0.5) < 1e-9);
    CHECK(v.operators[1].operator_code == "VTL");
    CHECK(v.operators[1].fraction == 1.0);
    CHECK(v.any_fraction == 1.0);
    CHECK(v.gap_km2 < 1e-9);
}

TEST_CASE("gap = village minus every footprint in service; its area is area x (1 - any_fraction)") {
    const auto square = rectangle(107.0, 15.0, 107.02, 15.02);
    const std::vector<Village> villages{village("V", square)};
    const std::vector<Cell> cells{
        cell("VTL", "WEST", day("2022-04-01")),
        cell("VNP", "SOUTH", day("2022-04-01")),
        cell("MBF", "EAST_LATER", day("2022-09-01")),   // not yet on air at as_of
        cell("MBF", "NORTH_PLAN", std::nullopt, std::nullopt, CellStatus::planned),
    };
    const std::vector<model::Footprint> footprints{
        footprint(0, rectangle(106.9, 14.9, 107.01, 15.1)),
        footprint(1, rectangle(106.9, 14.9, 107.1, 15.01)),
        footprint(2, rectangle(107.01, 14.9, 107.1, 15.1)),
        footprint(3, rectangle(106.9, 15.01, 107.1, 15.1)),
    };
    const auto result = overlay::run_overlay(villages, cells, footprints, campaign(), as_of);
    const auto& v = result.villages[0];
    // Uncovered: the north-eastern quarter, i.e. half of the northern band, whose share of the
    // square is a little under one half (the area per degree of latitude shrinks northwards).
    const double north_share = geo::area_m2(rectangle(107.0, 15.01, 107.02, 15.02)) / geo::area_m2(square);
    CHECK(north_share == doctest::Approx(0.5 - 1.14e-5).epsilon(1e-6));
    CHECK(std::fabs(v.any_fraction - (1 - north_share / 2)) < 2e-6);
    CHECK(v.gap_km2 == doctest::Approx(v.area_km2 * (1 - v.any_fraction)).epsilon(1e-6));
    // PROJ's geodesic area of the gap (its edges as geodesics) agrees.
    CHECK(geo::area_m2(v.gap) / 1e6 == doctest::Approx(v.gap_km2).epsilon(1e-5));
    // The gap is the north-eastern quarter.
    REQUIRE(v.gap.size() == 1);
    const auto gap_box = boost::geometry::return_envelope<geo::Box>(v.gap);
    CHECK(gap_box.min_corner().x() == doctest::Approx(107.01));
    CHECK(gap_box.min_corner().y() == doctest::Approx(15.01));
    const auto* mbf = v.find("MBF");
    REQUIRE(mbf != nullptr);
    CHECK(mbf->fraction == 0.0);
    CHECK(std::fabs(mbf->potential_fraction - (0.5 + north_share / 2)) < 2e-6); // east + north halves
    CHECK(mbf->cells == std::vector<std::size_t>{2, 3});

    overlay::Options no_gaps;
    no_gaps.compute_gaps = false;
    const auto quick = overlay::run_overlay(villages, cells, footprints, campaign(), as_of, no_gaps);
    CHECK(quick.villages[0].gap.empty());
    CHECK(quick.villages[0].any_fraction == v.any_fraction);
}
