// The level at a point over the terrain, as the calibration of field measurements reads it
// (overlay::predicted_level_dbm with a terrain model, and measure_villages asking the same model
// per worker): the link budget's on flat ground, lower behind a ridge, unchanged on its open side.
#include "../model/terrain_fixtures.hpp"

#include <deadzone/geo/geodesic.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/model/terrain_footprint.hpp>
#include <deadzone/overlay/measurements.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

using namespace deadzone;
using namespace deadzone::test;

namespace {
constexpr double pi = std::numbers::pi;
} // namespace

TEST_CASE("terrain level: the level at a point, as the calibration of field measurements reads it") {
    // On flat ground Hata + diffraction is Hata (nothing reaches into the first Fresnel zone 2 km
    // out from a 30 m mast at 1800 MHz): the level over the DEM is the link budget's.
    const geo::Point site{105.0, 21.0};
    const auto flat = terrain_campaign(make_dem("flat_level", [](double, double) { return 100.0; }));
    const std::vector<Cell> cells{omni_at(105.0, 21.0)};
    auto on_flat = model::make_terrain_footprint_factory(flat)();
    for (const double distance_m : {5.0, 800.0, 2000.0}) {
        CAPTURE(distance_m);
        const auto point = geo::destination(site, 250.0, distance_m);
        const auto terrain = overlay::predicted_level_dbm(cells[0], flat, point, *on_flat);
        const auto budget = overlay::predicted_level_dbm(cells[0], flat, point);
        REQUIRE(terrain);
        REQUIRE(budget);
        CHECK(*terrain == doctest::Approx(*budget).epsilon(1e-9));
    }
    // Beyond max_range_m there is no level, as for the link budget.
    CHECK_FALSE(overlay::predicted_level_dbm(cells[0], flat, geo::destination(site, 0.0, flat.model.max_range_m + 10.0),
                                             *on_flat));

    // Behind a 400 m wall 2 km east of the site (as in test_terrain_footprint.cpp) the level drops by the wall's diffraction loss; in
    // front of it and on the open side it does not.
    const double wall_lon = 105.0 + 2000.0 / (111195.0 * std::cos(21.0 * pi / 180.0));
    const auto ridge_dem = make_dem("ridge_level", [&](double lon, double) {
        return std::fabs(lon - wall_lon) < 0.0015 ? 500.0 : 100.0;
    });
    const auto open_dem = make_dem("open_level", [](double, double) { return 100.0; });
    for (const std::string name : {"hata+diffraction", "itm"}) {
        CAPTURE(name);
        auto ridge = terrain_campaign(ridge_dem, name);
        auto open = terrain_campaign(open_dem, name);
        ridge.model.max_range_m = open.model.max_range_m = 6000.0;
        auto over_ridge = model::make_terrain_footprint_factory(ridge)();
        auto over_flat = model::make_terrain_footprint_factory(open)();
        const auto behind = geo::destination(site, 90.0, 2600.0);
        const auto west = geo::destination(site, 270.0, 2600.0);
        const double shadowed = *overlay::predicted_level_dbm(cells[0], ridge, behind, *over_ridge);
        const double unshadowed = *overlay::predicted_level_dbm(cells[0], open, behind, *over_flat);
        CHECK(shadowed < unshadowed - 15.0);
        CHECK(*overlay::predicted_level_dbm(cells[0], ridge, west, *over_ridge) ==
              doctest::Approx(*overlay::predicted_level_dbm(cells[0], open, west, *over_flat)).epsilon(1e-9));

        // measure_villages asks the same model, one per worker, for every sample inside a footprint.
        auto with_cells = cells;
        with_cells[0].on_air_date = Date::parse("2022-01-01");
        const auto fps = model::build_footprints(with_cells, ridge, model::FootprintOptions{1});
        Sample sample;
        sample.position = west;
        sample.day = *Date::parse("2022-07-01");
        sample.operator_code = "VTL";
        sample.tech = Tech::g4;
        sample.level_dbm = -90.0;
        overlay::MeasurementOptions options;
        options.threads = 1;
        options.point_model = model::make_terrain_footprint_factory(ridge);
        const auto measured = overlay::measure_villages({sample}, {}, with_cells, fps, ridge,
                                                        *Date::parse("2022-07-30"), options);
        REQUIRE(measured.samples.size() == 1);
        CHECK(measured.samples[0].predicted_covered);
        CHECK(measured.samples[0].predicted_dbm == *overlay::predicted_level_dbm(cells[0], ridge, west, *over_ridge));
    }
}

