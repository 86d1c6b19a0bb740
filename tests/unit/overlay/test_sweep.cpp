#include "fixtures.hpp"

#include <deadzone/overlay/overlay.hpp>

#include <doctest/doctest.h>

#include <cmath>

using namespace deadzone;
using namespace deadzone::overlay::testing;

namespace {

// Village: lon 105.00..105.01 x lat 20.00..20.01. Footprints cover longitude bands of it.
const auto square = rectangle(105.0, 20.0, 105.01, 20.01);
geo::Polygon band(double from_share, double to_share) {
    return rectangle(105.0 + 0.01 * from_share - (from_share == 0 ? 0.05 : 0.0), 19.9,
                     105.0 + 0.01 * to_share + (to_share == 1 ? 0.05 : 0.0), 20.1);
}

} // namespace

TEST_CASE("covered periods come from the on-air and off-air dates, without re-running per day") {
    const std::vector<Village> villages{village("V", square)};
    const std::vector<Cell> cells{
        // VTL: west 60 % from 1 May, east 50 % from 15 June (each < 0.9, together the whole),
        // the eastern one goes off air on 10 July, a replacement arrives on 1 August.
        cell("VTL", "WEST", day("2022-05-01")),
        cell("VTL", "EAST", day("2022-06-15"), day("2022-07-10")),
        cell("VTL", "EAST2", day("2022-08-01")),
        // VNP: only a planned cell, covering everything.
        cell("VNP", "PLAN", std::nullopt, std::nullopt, CellStatus::planned),
        // VNP: a small cell on air, then building: only the first counts now.
        cell("VNP", "SMALL", day("2022-02-01")),
        cell("VNP", "BUILD", day("2022-02-01"), std::nullopt, CellStatus::building),
        // MBF: a cell covering the whole village, on air 1 May, off air 1 June.
        cell("MBF", "ALL", day("2022-05-01"), day("2022-06-01")),
    };
    const std::vector<model::Footprint> footprints{
        footprint(0, band(0.0, 0.6)),  footprint(1, band(0.5, 1.0)), footprint(2, band(0.4, 1.0)),
        footprint(3, band(0.0, 1.0)),  footprint(4, band(0.0, 0.2)), footprint(5, band(0.2, 1.0)),
        footprint(6, geo::disc({105.005, 20.005}, 5000.0)),
    };

    SUBCASE("as of 30 June") {
        const auto result = overlay::run_overlay(villages, cells, footprints, campaign(0.9), day("2022-06-30"));
        const auto& v = result.villages[0];
        REQUIRE(v.operators.size() == 3);

        const auto* vtl = v.find("VTL");
        REQUIRE(vtl != nullptr);
        CHECK(vtl->fraction == doctest::Approx(1.0).epsilon(1e-9));
        REQUIRE(vtl->covered_periods.size() == 2);
        CHECK(vtl->covered_periods[0].from == day("2022-06-15"));
        REQUIRE(vtl->covered_periods[0].to.has_value());
        CHECK(*vtl->covered_periods[0].to == day("2022-07-10"));
        CHECK(vtl->covered_periods[1].from == day("2022-08-01"));
        CHECK(!vtl->covered_periods[1].to.has_value());
        CHECK(vtl->period_at(day("2022-06-30")) == &vtl->covered_periods[0]);
        CHECK(vtl->period_at(day("2022-07-10")) == nullptr); // off air that day
        CHECK(vtl->period_at(day("2022-06-14")) == nullptr);
        CHECK(vtl->cells == std::vector<std::size_t>{0, 1, 2});
        CHECK(vtl->potential_fraction == doctest::Approx(1.0).epsilon(1e-9));

        const auto* vnp = v.find("VNP");
        REQUIRE(vnp != nullptr);
        CHECK(std::fabs(vnp->fraction - 0.2) < 1e-6);
        CHECK(vnp->potential_fraction == 1.0); // the planned cell covers it all
        CHECK(vnp->covered_periods.empty());
        CHECK(vnp->cells == std::vector<std::size_t>{3, 4, 5});

        const auto* mbf = v.find("MBF");
        REQUIRE(mbf != nullptr);
        CHECK(mbf->fraction == 0.0); // off air since 1 June
        REQUIRE(mbf->covered_periods.size() == 1);
        CHECK(mbf->covered_periods[0].from == day("2022-05-01"));
        CHECK(*mbf->covered_periods[0].to == day("2022-06-01"));
        CHECK(mbf->potential_fraction == 1.0);

        // All together at 30 June: VTL covers it.
        CHECK(v.any_fraction == doctest::Approx(1.0).epsilon(1e-9));
    }

    SUBCASE("as of 20 July: the eastern cell is off air") {
        const auto result = overlay::run_overlay(villages, cells, footprints, campaign(0.9), day("2022-07-20"));
        const auto& v = result.villages[0];
        const auto* vtl = v.find("VTL");
        REQUIRE(vtl != nullptr);
        CHECK(std::fabs(vtl->fraction - 0.6) < 1e-6);
        CHECK(vtl->covered_periods.size() == 2); // periods are over all dates, not only up to as_of
        CHECK(vtl->period_at(day("2022-07-20")) == nullptr);
        // VTL west 60 % + VNP west 20 %: 60 % all together.
        CHECK(std::fabs(v.any_fraction - 0.6) < 1e-6);
        CHECK(v.gap_km2 == doctest::Approx(v.area_km2 * 0.4).epsilon(1e-6));
    }

    SUBCASE("as of 1 May, the first day of two cells") {
        const auto result = overlay::run_overlay(villages, cells, footprints, campaign(0.9), day("2022-05-01"));
        const auto& v = result.villages[0];
        CHECK(std::fabs(v.find("VTL")->fraction - 0.6) < 1e-6);
        CHECK(v.find("MBF")->fraction == 1.0);
        CHECK(v.any_fraction == 1.0);
        CHECK(v.gap.empty());
    }

    SUBCASE("a lower rule: 0.6 is met by the western cell alone") {
        const auto result = overlay::run_overlay(villages, cells, footprints, campaign(0.6), day("2022-06-30"));
        const auto* vtl = result.villages[0].find("VTL");
        REQUIRE(vtl->covered_periods.size() == 1);
        CHECK(vtl->covered_periods[0].from == day("2022-05-01"));
        CHECK(!vtl->covered_periods[0].to);
    }
}
