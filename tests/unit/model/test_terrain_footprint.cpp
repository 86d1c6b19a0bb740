// Terrain footprints: the polar grid → MultiPolygon construction with hand-computed areas (a
// hole, an island), then footprints over generated DEMs — flat (the Hata disc, nearly), a
// ridge (a village behind it is not covered, one in front is), DEM faults (outside the DEM,
// feet, absurd values, voids) and the same bytes at 1 and 2 threads. The level at a point (the
// calibration's, an overlay function) is in tests/unit/overlay/test_terrain_levels.cpp.
#include <deadzone/core/error.hpp>
#include <deadzone/geo/geodesic.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/model/polar_shape.hpp>
#include <deadzone/model/terrain_footprint.hpp>

#include "terrain_fixtures.hpp"

#include <boost/geometry.hpp>
#include <doctest/doctest.h>
#include <gdal_priv.h>

#include <cmath>
#include <functional>
#include <memory>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

using namespace deadzone;
using namespace deadzone::test;
namespace bg = boost::geometry;

namespace {

constexpr double pi = std::numbers::pi;

bool covers(const model::Footprint& fp, const geo::Point& p) { return bg::covered_by(p, fp.shape.unfolded()); }

} // namespace

TEST_CASE("polar shape: a shadow enclosed by lit ground is a hole, lit ground beyond it an island") {
    // 36 radials of 10°, all lit to 1 000 m; radials 9-11 (85°..115°) dark from 400 to 600 m;
    // radials 27-28 (265°..285°) lit again from 1 500 to 1 800 m.
    std::vector<std::vector<model::LitInterval>> radials(36, {{0.0, 1000.0}});
    for (int k = 9; k <= 11; ++k) radials[k] = {{0.0, 400.0}, {600.0, 1000.0}};
    for (int k = 27; k <= 28; ++k) radials[k] = {{0.0, 1000.0}, {1500.0, 1800.0}};
    const geo::Point site{105.0, 21.0};
    const auto shape = model::polar_shape(site, radials);
    REQUIRE(shape.size() == 2);
    std::string reason;
    CHECK_MESSAGE(bg::is_valid(shape, reason), reason);
    const auto& main = shape[0].inners().empty() ? shape[1] : shape[0];
    const auto& island = shape[0].inners().empty() ? shape[0] : shape[1];
    CHECK(main.inners().size() == 1);
    CHECK(island.inners().empty());
    // Areas by hand: the disc π·1000², less the hole 3·10°/360° · π(600² − 400²), and the island
    // 2·10°/360° · π(1800² − 1500²); arcs are drawn with 1° chords (area factor sin(1°)/(1° in rad)).
    const double chord = std::sin(pi / 180.0) / (pi / 180.0);
    const double hole = 30.0 / 360.0 * pi * (600.0 * 600.0 - 400.0 * 400.0) * chord;
    const double island_m2 = 20.0 / 360.0 * pi * (1800.0 * 1800.0 - 1500.0 * 1500.0) * chord;
    CHECK(geo::area_m2(main) == doctest::Approx(pi * 1e6 * chord - hole).epsilon(1e-4));
    CHECK(geo::area_m2(island) == doctest::Approx(island_m2).epsilon(1e-4));
    // The hole's middle (100°, 500 m) is outside; the island's (275°, 1 650 m) inside.
    CHECK_FALSE(bg::covered_by(geo::destination(site, 100.0, 500.0), shape));
    CHECK(bg::covered_by(geo::destination(site, 275.0, 1650.0), shape));
    CHECK(bg::covered_by(geo::destination(site, 100.0, 800.0), shape));
}

TEST_CASE("terrain footprint: a flat DEM gives the Hata disc less a little first-Fresnel-zone loss") {
    const auto campaign = terrain_campaign(make_dem("flat", [](double, double) { return 100.0; }));
    const std::vector<Cell> cells{omni_at(105.0, 21.0)};
    const auto fps = model::build_footprints(cells, campaign, model::FootprintOptions{1});
    REQUIRE(fps.size() == 1);
    const auto shape = fps[0].shape.unfolded();
    REQUIRE(shape.size() == 1);
    CHECK(shape[0].inners().empty());
    // Hata (urban, small city) reach: 1800 MHz, 30 m, 1.5 m, 161 dB budget → 4.98 km (see
    // test_pathloss); diffraction over a flat 4/3-earth adds under 1 dB near the rim.
    model::RadioParams radio = model::radio_params(cells[0], campaign);
    const double hata_m = model::reach_m(radio, campaign.model);
    const double area = pi * hata_m * hata_m / 1e6;
    CHECK(fps[0].area_km2 < area);
    CHECK(fps[0].area_km2 > 0.85 * area);
    REQUIRE(fps[0].line_of_sight);
    CHECK(geo::area_m2(*fps[0].line_of_sight) / 1e6 == doctest::Approx(area).epsilon(0.02));
}

TEST_CASE("terrain footprint: a ridge shadows the village behind it, not the one in front") {
    // A 400 m high, 300 m thick wall running north-south 2 km east of the site (on 100 m ground).
    const double wall_lon = 105.0 + 2000.0 / (111195.0 * std::cos(21.0 * pi / 180.0));
    const auto dem = make_dem("ridge", [&](double lon, double) {
        return std::fabs(lon - wall_lon) < 0.0015 ? 500.0 : 100.0;
    });
    for (const std::string model : {"hata+diffraction", "itm"}) {
        CAPTURE(model);
        auto campaign = terrain_campaign(dem, model);
        campaign.model.max_range_m = 6000.0;
        const std::vector<Cell> cells{omni_at(105.0, 21.0)};
        const auto fps = model::build_footprints(cells, campaign, model::FootprintOptions{1});
        const geo::Point site{105.0, 21.0};
        CHECK(covers(fps[0], geo::destination(site, 270.0, 3000.0)));  // west, open ground
        CHECK(covers(fps[0], geo::destination(site, 90.0, 1500.0)));   // east, in front of the wall
        CHECK_FALSE(covers(fps[0], geo::destination(site, 90.0, 2600.0))); // just behind it
        REQUIRE(fps[0].line_of_sight);
        CHECK_FALSE(bg::covered_by(geo::destination(site, 90.0, 3500.0), *fps[0].line_of_sight));
        CHECK(bg::covered_by(geo::destination(site, 270.0, 3500.0), *fps[0].line_of_sight));
        std::string reason;
        CHECK_MESSAGE(bg::is_valid(fps[0].shape.unfolded(), reason), reason);
    }
}

TEST_CASE("terrain footprint: same bytes at 1 and 2 threads") {
    const auto dem = make_dem("rough", [](double lon, double lat) {
        return 300.0 + 250.0 * std::sin(lon * 900.0) * std::cos(lat * 700.0) + 80.0 * std::sin((lon + lat) * 3000.0);
    });
    const auto campaign = terrain_campaign(dem);
    std::vector<Cell> cells;
    for (int i = 0; i < 6; ++i) {
        Cell c = omni_at(104.97 + 0.012 * i, 21.0 - 0.01 * (i % 3));
        c.site_id = "S" + std::to_string(i);
        if (i % 2) c.azimuth_deg = 60.0 * i;
        cells.push_back(c);
    }
    const auto one = model::build_footprints(cells, campaign, model::FootprintOptions{1});
    const auto two = model::build_footprints(cells, campaign, model::FootprintOptions{2});
    for (std::size_t i = 0; i < cells.size(); ++i) {
        std::ostringstream a, b;
        a.precision(17);
        b.precision(17);
        a << bg::wkt(one[i].shape.unfolded());
        b << bg::wkt(two[i].shape.unfolded());
        CHECK(a.str() == b.str());
        CHECK(one[i].area_km2 == two[i].area_km2);
    }
}

TEST_CASE("terrain footprint: DEM faults are loud") {
    const geo::Point site{105.0, 21.0};
    SUBCASE("a cell whose reach leaves the DEM: the cell and the missing lon/lat box are named") {
        const auto campaign = terrain_campaign(make_dem("small", [](double, double) { return 100.0; }));
        const std::vector<Cell> cells{omni_at(105.13, 21.0)}; // 5 km reach, DEM ends 2 km east
        try {
            model::build_footprints(cells, campaign, model::FootprintOptions{1});
            FAIL("no error");
        } catch (const InputError& e) {
            REQUIRE(e.problems().size() == 1);
            const auto& p = e.problems()[0];
            CHECK(p.code == "outside_dem");
            CHECK(p.where.file == "stations.csv:2");
            CHECK(p.message.find("VTL") != std::string::npos);
            CHECK(p.message.find("lon 105.1500..105.18") != std::string::npos);
        }
    }
    SUBCASE("a DEM in feet is refused") {
        const auto campaign = terrain_campaign(make_dem("feet", [](double, double) { return 300.0; }, "ft"));
        CHECK_THROWS_WITH_AS(model::check_dem(campaign), doctest::Contains("metres"), InputError);
    }
    SUBCASE("absurd values are refused") {
        const auto campaign = terrain_campaign(make_dem("absurd", [](double lon, double) { return lon > 105.1 ? 12000.0 : 100.0; }));
        CHECK_THROWS_WITH_AS(model::check_dem(campaign), doctest::Contains("-500..9000"), InputError);
    }
    SUBCASE("voids are filled and counted in one warning") {
        const auto dem = make_dem("voids", [](double lon, double lat) {
            return std::fabs(lon - 105.01) < 0.003 && std::fabs(lat - 21.0) < 0.003 ? -32768.0 : 100.0;
        }, nullptr, -32768.0);
        const auto campaign = terrain_campaign(dem);
        const auto report = model::check_dem(campaign);
        CHECK(report.void_cells == 36); // 6 × 6 cells of 0.001°
        const auto warnings = model::dem_warnings(report);
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].message.find("36 cells") == 0);
        const std::vector<Cell> cells{omni_at(105.0, 21.0)};
        const auto fps = model::build_footprints(cells, campaign, model::FootprintOptions{1});
        CHECK(covers(fps[0], geo::destination(site, 90.0, 1000.0))); // the filled void is flat ground
    }
}
