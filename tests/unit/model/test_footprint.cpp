// Footprints: antenna pattern values, omni and sector areas against independently computed
// geodesic/analytic areas (0.1 %), vertex placement, range_m override, campaign defaults, and
// determinism across thread counts.
#include <deadzone/core/source.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/geo/geodesic.hpp>
#include <deadzone/model/errors.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/model/pathloss.hpp>

#include "terrain_fixtures.hpp" // omni_at

#include <boost/geometry/algorithms/is_valid.hpp>
#include <boost/geometry/algorithms/within.hpp>
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>

using namespace deadzone;
using namespace deadzone::model;
using deadzone::test::omni_at;

namespace {

Campaign test_campaign() {
    Campaign campaign;
    campaign.radio_defaults[Tech::g2] = RadioDefaults{900.0, 58.0, 35.0, 65.0, -95.0};
    campaign.radio_defaults[Tech::g3] = RadioDefaults{2100.0, 60.0, 30.0, 65.0, -100.0};
    campaign.radio_defaults[Tech::g4] = RadioDefaults{1800.0, 61.0, 30.0, 65.0, -100.0};
    campaign.radio_defaults[Tech::g5] = RadioDefaults{3500.0, 64.0, 25.0, 65.0, -105.0};
    campaign.model.rx_height_m = 1.5;
    campaign.model.propagation = PropagationModel::automatic;
    campaign.model.environment = Environment::open;
    campaign.model.city = CitySize::small;
    return campaign;
}

// Reach in metres computed from the formulas directly (not via reach_m).
double formula_reach_m(const RadioParams& r, const ModelSettings& s, double theta_deg) {
    PathLossQuery q;
    q.freq_mhz = r.freq_mhz;
    q.tx_height_m = r.height_m;
    q.rx_height_m = s.rx_height_m;
    q.environment = s.environment;
    q.city = s.city;
    const double a = -std::min(12.0 * std::pow(theta_deg / r.beamwidth_deg, 2), s.max_attenuation_db);
    const double d_km = distance_km_for_loss(s.propagation, q, r.eirp_dbm + a - r.threshold_dbm);
    return std::min(d_km * 1000.0, s.max_range_m);
}

// 1/2 int r(theta)^2 dtheta over a full turn by the midpoint rule with a million steps.
double analytic_area_m2(const RadioParams& r, const ModelSettings& s) {
    constexpr int steps = 1'000'000;
    const double h = 2.0 * std::numbers::pi / steps;
    double sum = 0.0;
    for (int i = 0; i < steps; ++i) {
        const double theta_deg = -180.0 + (i + 0.5) * 360.0 / steps;
        const double rr = formula_reach_m(r, s, theta_deg);
        sum += rr * rr;
    }
    return 0.5 * sum * h;
}

bool same_vertices(const geo::Polygon& a, const geo::Polygon& b) {
    if (a.outer().size() != b.outer().size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.outer().size(); ++i) {
        if (a.outer()[i].x() != b.outer()[i].x() || a.outer()[i].y() != b.outer()[i].y()) {
            return false;
        }
    }
    return true;
}

double relative_error(double value, double reference) { return std::fabs(value - reference) / reference; }

} // namespace

TEST_CASE("3GPP parabolic horizontal pattern") {
    CHECK(antenna_pattern_db(0.0, 65.0, 20.0) == 0.0);
    CHECK(antenna_pattern_db(32.5, 65.0, 20.0) == doctest::Approx(-3.0)); // theta3dB / 2
    CHECK(antenna_pattern_db(-32.5, 65.0, 20.0) == doctest::Approx(-3.0));
    CHECK(antenna_pattern_db(65.0, 65.0, 20.0) == doctest::Approx(-12.0));
    CHECK(antenna_pattern_db(100.0, 65.0, 20.0) == doctest::Approx(-20.0)); // 12 (100/65)^2 = 28.4 > 20
    CHECK(antenna_pattern_db(180.0, 65.0, 20.0) == doctest::Approx(-20.0));
    CHECK(antenna_pattern_db(180.0, 65.0, 25.0) == doctest::Approx(-25.0));
    // Angles wrap into [-180, 180]: 350 deg is 10 deg off boresight: -12 (10/65)^2 = -0.284024
    CHECK(antenna_pattern_db(350.0, 65.0, 20.0) == doctest::Approx(-0.284024).epsilon(1e-5));
}

TEST_CASE("radio_params applies the campaign's per-technology defaults") {
    const auto campaign = test_campaign();
    auto cell = omni_at(105.0, 21.0);
    cell.tech = Tech::g2;
    auto r = radio_params(cell, campaign);
    CHECK(r.freq_mhz == 900.0);
    CHECK(r.eirp_dbm == 58.0);
    CHECK(r.height_m == 35.0);
    CHECK(r.beamwidth_deg == 65.0);
    CHECK(r.threshold_dbm == -95.0);
    CHECK_FALSE(r.azimuth_deg.has_value());
    CHECK_FALSE(r.range_m.has_value());

    cell.freq_mhz = 950.0;
    cell.eirp_dbm = 55.0;
    cell.height_m = 42.0;
    cell.beamwidth_deg = 90.0;
    cell.azimuth_deg = 120.0;
    cell.range_m = 2500.0;
    r = radio_params(cell, campaign);
    CHECK(r.freq_mhz == 950.0);
    CHECK(r.eirp_dbm == 55.0);
    CHECK(r.height_m == 42.0);
    CHECK(r.beamwidth_deg == 90.0);
    CHECK(*r.azimuth_deg == 120.0);
    CHECK(*r.range_m == 2500.0);
    CHECK(r.threshold_dbm == -95.0); // always the technology's
}

TEST_CASE("reach follows the link budget") {
    // 4G defaults at 1800 MHz (COST-231), open area, small city, hb 30 m, hm 1.5 m:
    // a_small = (1.1*3.255273 - 0.7)*1.5 - (1.56*3.255273 - 0.8) = 4.321200 - 4.278225 = 0.042975
    // A0 = 46.3 + 110.353738 - 13.82*1.477121 (20.413816) - 0.042975 - 31.923555 (open) = 104.273392
    // B = 44.9 - 6.55*1.477121 = 35.224856
    // budget = 61 - (-100) = 161 dB  ->  d = 10^((161 - 104.273392)/35.224856) km = 40.7769 km,
    // beyond the 35 km cap.
    const auto campaign = test_campaign();
    auto r = radio_params(omni_at(105, 21), campaign);
    CHECK(reach_m(r, campaign.model) == doctest::Approx(35000.0));
    auto settings = campaign.model;
    settings.max_range_m = 100000.0;
    CHECK(reach_m(r, settings) == doctest::Approx(40776.9).epsilon(1e-5));
    // Sector, 20 dB back: 10^((141 - 104.273392)/35.224856) = 11.0315 km
    r.azimuth_deg = 0.0;
    CHECK(reach_m(r, settings, 180.0) == doctest::Approx(11031.5).epsilon(1e-5));
    r.range_m = 1234.0;
    CHECK(reach_m(r, settings, 180.0) == 1234.0);
}

TEST_CASE("omni footprint has the geodesic circle's area at latitudes 0, 45 and 60") {
    auto campaign = test_campaign();
    campaign.model.max_range_m = 100000.0;
    for (double lat : {0.0, 45.0, 60.0}) {
        const auto cell = omni_at(105.0, lat);
        const auto radio = radio_params(cell, campaign);
        const double r_m = formula_reach_m(radio, campaign.model, 0.0); // 40.777 km
        const auto polygon = make_link_budget_model(campaign)->footprint(cell, radio);
        CHECK(boost::geometry::is_valid(polygon));
        CHECK(polygon.outer().size() == 129);
        // The geodesic circle's area, by a 20 000-gon of geodesic points (its area defect
        // relative to the circle is 1.6e-8).
        const auto fine = geo::disc(cell.position, r_m, 20000);
        const double reference = geo::area_m2(fine);
        CHECK(relative_error(geo::area_m2(polygon), reference) < 1e-3);
        // ... and the circle's area on a sphere of the local radius of curvature is close to pi r^2.
        CHECK(relative_error(reference, std::numbers::pi * r_m * r_m) < 1e-4);
    }
}

TEST_CASE("sector footprint: area equals 1/2 int r(theta)^2 dtheta and boresight vertex is placed geodesically") {
    struct Case {
        double lat;
        double azimuth;
        double beamwidth;
        PropagationModel propagation;
        double max_range_m;
    };
    for (const Case& c : {Case{21.0, 0.0, 65.0, PropagationModel::automatic, 100000.0},
                          Case{45.0, 120.0, 65.0, PropagationModel::automatic, 35000.0}, // front clipped
                          Case{60.0, 300.0, 33.0, PropagationModel::hata, 100000.0},
                          Case{0.0, 45.0, 10.0, PropagationModel::fspl, 500000.0},
                          Case{10.0, 200.0, 360.0, PropagationModel::cost231, 100000.0}}) {
        CAPTURE(c.lat);
        CAPTURE(c.beamwidth);
        auto campaign = test_campaign();
        campaign.model.propagation = c.propagation;
        campaign.model.max_range_m = c.max_range_m;
        auto cell = omni_at(105.0, c.lat);
        cell.azimuth_deg = c.azimuth;
        cell.beamwidth_deg = c.beamwidth;
        const auto radio = radio_params(cell, campaign);
        const auto polygon = make_link_budget_model(campaign)->footprint(cell, radio);
        CHECK(boost::geometry::is_valid(polygon));
        CHECK(polygon.outer().size() >= 65);
        CHECK(polygon.outer().size() <= 200);
        const double analytic = analytic_area_m2(radio, campaign.model);
        CHECK(relative_error(geo::area_m2(polygon), analytic) < 1e-3);

        // The vertex nearest to boresight lies on it, at r(0) (up to the area scaling, < 0.1 %).
        const double r0 = formula_reach_m(radio, campaign.model, 0.0);
        double best = 1e9;
        geo::Point boresight;
        for (const auto& p : polygon.outer()) {
            const double off = std::fabs(std::remainder(geo::azimuth_deg(cell.position, p) - c.azimuth, 360.0));
            if (off < best) {
                best = off;
                boresight = p;
            }
        }
        CHECK(best < 1e-6);
        CHECK(relative_error(geo::distance_m(cell.position, boresight), r0) < 1e-3);
    }
}

TEST_CASE("range_m gives a disc of that radius whatever the link budget") {
    auto campaign = test_campaign();
    auto cell = omni_at(105.8, 21.0);
    cell.azimuth_deg = 90.0;
    cell.range_m = 3000.0;
    const auto polygon = make_link_budget_model(campaign)->footprint(cell, radio_params(cell, campaign));
    CHECK(boost::geometry::is_valid(polygon));
    CHECK(relative_error(geo::area_m2(polygon), std::numbers::pi * 3000.0 * 3000.0) < 1e-3);
    // Every vertex at the area-preserving radius (3000 m scaled by 1.0002 for 128 vertices).
    for (const auto& p : polygon.outer()) {
        CHECK(geo::distance_m(cell.position, p) == doctest::Approx(3000.6).epsilon(2e-4));
    }
}

TEST_CASE("build_footprints: one per cell in order, same result for 1 and 2 threads") {
    auto campaign = test_campaign();
    std::vector<Cell> cells;
    for (int i = 0; i < 700; ++i) {
        auto cell = omni_at(103.0 + 0.01 * i, 20.0 + 0.003 * i);
        cell.site_id = "S" + std::to_string(i);
        cell.tech = static_cast<Tech>(i % 4);
        if (i % 3 != 0) {
            cell.azimuth_deg = (i * 37) % 360;
        }
        if (i % 11 == 0) {
            cell.range_m = 1000.0 + i;
        }
        cells.push_back(cell);
    }
    int reports = 0;
    double last = -1;
    bool monotonic = true;
    Progress progress{[&](double fraction, std::string_view) {
        monotonic = monotonic && fraction >= last;
        last = fraction;
        ++reports;
        return true;
    }};
    const auto one = build_footprints(cells, campaign, FootprintOptions{1}, progress);
    const auto two = build_footprints(cells, campaign, FootprintOptions{2});
    REQUIRE(one.size() == cells.size());
    REQUIRE(two.size() == cells.size());
    CHECK(monotonic);
    CHECK(last == 1.0);
    CHECK(reports >= 3);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        CHECK(one[i].cell == i);
        CHECK(two[i].cell == i);
        const auto shape_one = one[i].shape.unfolded();
        const auto shape_two = two[i].shape.unfolded();
        REQUIRE(shape_one.size() == 1); // a terrain-blind footprint is one polygon
        REQUIRE(shape_two.size() == 1);
        CHECK(same_vertices(shape_one.front(), shape_two.front()));
        CHECK(one[i].area_km2 == two[i].area_km2);
        // Computed from the lon/lat ring; the geodesic (geod_polygon) area agrees within 1e-6.
        CHECK(one[i].area_km2 == doctest::Approx(geo::area_m2(shape_one) / 1e6).epsilon(1e-6));
        CHECK(boost::geometry::within(cells[i].position, shape_one));
    }
    // A cell with range_m: area pi r^2.
    CHECK(one[11].area_km2 == doctest::Approx(std::numbers::pi * 1.011 * 1.011).epsilon(1e-3));
}

TEST_CASE("build_footprints keeps discs folded, and unfolded they are the model's own bits") {
    auto campaign = test_campaign();
    std::vector<Cell> cells;
    for (int i = 0; i < 60; ++i) {
        auto cell = omni_at(102.1 + 0.123 * i, 8.6 + 0.25 * i);
        cell.site_id = "S" + std::to_string(i);
        if (i % 4 == 1) cell.azimuth_deg = (i * 53) % 360; // sectors stay whole
        if (i % 5 == 0 && i % 4 != 1) cell.range_m = 500.0 + 97.0 * i; // (a sector with range_m is a disc)
        cells.push_back(cell);
    }
    const auto fps = build_footprints(cells, campaign, FootprintOptions{1});
    const auto model = make_link_budget_model(campaign);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        CAPTURE(i);
        CHECK(fps[i].shape.folded() == cells[i].is_omni());
        const auto expected = model->footprint(cells[i], radio_params(cells[i], campaign));
        const auto shape = fps[i].shape.unfolded();
        REQUIRE(shape.size() == 1);
        CHECK(same_vertices(shape.front(), expected));
        CHECK(shape.front().outer().size() == expected.outer().size());
    }
    // get() unfolds into the scratch, take() moves out and empties, clear() frees.
    FootprintShape disc = fps[0].shape;
    REQUIRE(disc.folded());
    geo::MultiPolygon scratch;
    const auto& got = disc.get(scratch);
    CHECK(&got == &scratch);
    CHECK(same_vertices(got.front(), fps[0].shape.unfolded().front()));
    CHECK_FALSE(disc.empty());
    const auto taken = disc.take();
    CHECK(disc.empty());
    CHECK(same_vertices(taken.front(), got.front()));
    FootprintShape whole = fps[1].shape; // a sector
    REQUIRE_FALSE(whole.folded());
    CHECK(&whole.get(scratch) != &scratch);
    whole.clear();
    CHECK(whole.empty());
    CHECK(FootprintShape{}.empty());
    CHECK(FootprintShape{}.unfolded().empty());
}

TEST_CASE("build_footprints rejects impossible radio values naming the cell and field") {
    auto campaign = test_campaign();
    std::vector<Cell> cells{omni_at(105, 21), omni_at(105.1, 21), omni_at(105.2, 21)};
    cells[1].site_id = "S2";
    cells[1].height_m = -5.0;
    cells[1].source = source_location("stations.csv:3");
    cells[2].site_id = "S3";
    cells[2].beamwidth_deg = 0.0;
    cells[2].source = source_location("stations.csv:4");
    try {
        build_footprints(cells, campaign, FootprintOptions{2});
        FAIL("expected InputError");
    } catch (const InputError& e) {
        REQUIRE(e.problems().size() == 2);
        CHECK(e.problems()[0].where.file == "stations.csv:3");
        CHECK(e.problems()[0].field == "height_m");
        CHECK(e.problems()[1].field == "beamwidth_deg");
    }
    // The model's own error is typed: the field travels with it, the message is not read.
    auto radio = radio_params(cells[0], campaign);
    radio.freq_mhz = 0.0;
    try {
        (void)reach_m(radio, campaign.model);
        FAIL("expected FieldError");
    } catch (const FieldError& e) {
        CHECK(e.field() == "freq_mhz");
        CHECK(std::string{e.what()} == "freq_mhz must be a positive number (got 0)");
    }
    campaign.model.max_range_m = -1.0;
    try {
        (void)reach_m(radio_params(cells[0], campaign), campaign.model);
        FAIL("expected FieldError");
    } catch (const FieldError& e) {
        CHECK(e.field() == "max_range_m");
        CHECK(std::string{e.what()} == "model max_range_m must be a positive number (got -1)");
    }
}

TEST_CASE("build_footprints stops when progress asks to cancel") {
    auto campaign = test_campaign();
    std::vector<Cell> cells(2000, omni_at(105, 21));
    Progress cancel{[](double fraction, std::string_view) { return fraction < 0.3; }};
    CHECK_THROWS_AS(build_footprints(cells, campaign, FootprintOptions{2}, cancel), Cancelled);
}
