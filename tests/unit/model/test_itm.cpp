// ITM sub-steps against values worked out by hand (arithmetic in the comments) and against
// the unit values NTIA publishes with its ITM (tests/Test*.cpp of NTIA/itm, named where used).
#include <deadzone/core/error.hpp>
#include <deadzone/model/itm.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace deadzone::model;
using namespace deadzone::model::itm;

TEST_CASE("itm: Fresnel-integral knife edge A(v,0)") {
    // v² = 0: 6.02 dB, the 6 dB of a grazing edge.
    CHECK(detail::fresnel_integral_db(0.0) == doctest::Approx(6.02).epsilon(1e-12));
    // v² = 1: 6.02 + 9.11·1 − 1.27·1 = 13.86.
    CHECK(detail::fresnel_integral_db(1.0) == doctest::Approx(13.86).epsilon(1e-12));
    // v² = 10 (above 5.76): 12.953 + 10·log10(10) = 22.953.
    CHECK(detail::fresnel_integral_db(10.0) == doctest::Approx(22.953).epsilon(1e-12));
    // Both forms nearly meet at v = 2.4: 20.5688 vs 20.5572.
    CHECK(detail::fresnel_integral_db(5.7599999) == doctest::Approx(20.5688).epsilon(1e-6));
    CHECK(detail::fresnel_integral_db(5.76) == doctest::Approx(12.953 + 10.0 * std::log10(5.76)));
}

TEST_CASE("itm: double knife edge over both horizons") {
    // d_hzn = 10 km each, d = 30 km, θ_nlos = d/a_e − θ_los = 0.01 rad, f = 477 MHz (k = 10):
    // v² = 0.0795775·10·0.01²·10000·10000/20000 = 0.3978875 per edge;
    // A = 2·(6.02 + 9.11·√0.3978875 − 1.27·0.3978875) = 22.522236 dB.
    const double a_e = 8.5e6;
    const double d = 30e3;
    const double d_hzn[2] = {10e3, 10e3};
    const double theta_los = d / a_e - 0.01;
    CHECK(detail::knife_edge_db(d, 477.0, a_e, theta_los, d_hzn) == doctest::Approx(22.522236).epsilon(1e-7));
}

TEST_CASE("itm: height-gain function F(x, K) branches") {
    // x = 100, K = 0.01: w = ln 100 = 4.60517, x·w³ = 9766 > 5495 → 17.372·ln 100 − 117 = −36.998984.
    CHECK(detail::height_function_db(100.0, 0.01) == doctest::Approx(-36.998984).epsilon(1e-7));
    // x = 10, K = 0.1: x·w³ = 122 → 2.5e-5·100/0.1 − 8.686·ln 10 − 15 = −34.975254.
    CHECK(detail::height_function_db(10.0, 0.1) == doctest::Approx(-34.975254).epsilon(1e-7));
    // x ≤ 1 with K < 1e-5: the floor −117.
    CHECK(detail::height_function_db(0.9, 1e-6) == -117.0);
    // x ≥ 2000: 0.05751·x − 4.343·ln x, K irrelevant.
    CHECK(detail::height_function_db(2001.0, 5.0) ==
          doctest::Approx(0.05751 * 2001.0 - 4.343 * std::log(2001.0)));
}

TEST_CASE("itm: smooth-earth diffraction (NTIA TestSmoothEarthDiffraction)") {
    const double d_hzn[2] = {8e3, 8e3};
    const double h_e[2] = {15.0, 3.0};
    const double a = detail::smooth_earth_db(18e3, 3500.0, 7850e3, 0.002, d_hzn, h_e, {0.2, 0.0});
    CHECK(a == doctest::Approx(25.355962945991564).epsilon(1e-12));
}

TEST_CASE("itm: terrain roughness and sigma_h") {
    // Δh(d) = Δh (1 − 0.8 e^(−d/50 km)); at d = 50 km: 10·(1 − 0.8/e) = 7.056964.
    CHECK(detail::terrain_roughness_m(50e3, 10.0) == doctest::Approx(7.056964).epsilon(1e-7));
    // σh = 0.78 Δh e^(−Δh^¼/2); Δh = 10: 7.8·e^(−0.889140) = 3.205872.
    CHECK(detail::sigma_h_m(10.0) == doctest::Approx(3.205872).epsilon(1e-6));
}

TEST_CASE("itm: delta_h of an alternating 0/10 m profile") {
    // 34 intervals of 100 m, z = 0,10,0,...,0 (18 zeros, 17 tens). From 0 to 3400 m, p10 = 4 and
    // n = 35 samples fall exactly on the points; the fitted line is flat at 5 m (the tens sit
    // symmetrically about the middle). Deviations: 17 × +5, 18 × −5; q10 (4th largest) = 5,
    // q90 (32nd largest) = −5 → 10 m over 3.4 km, Δh = 10/(1 − 0.8 e^(−0.068)) = 39.589595 m.
    ItmProfile p;
    p.spacing_m = 100.0;
    for (int i = 0; i <= 34; ++i) p.elevations_m.push_back(i % 2 ? 10.0 : 0.0);
    CHECK(detail::delta_h(p, 0.0, 3400.0) == doctest::Approx(39.589595).epsilon(1e-7));
    // Fewer than two intervals in the stretch: 0.
    CHECK(detail::delta_h(p, 3000.0, 3150.0) == 0.0);
    // A straight slope has no irregularity.
    ItmProfile slope;
    slope.spacing_m = 100.0;
    for (int i = 0; i <= 34; ++i) slope.elevations_m.push_back(2.0 * i);
    CHECK(std::abs(detail::delta_h(slope, 0.0, 3400.0)) < 1e-9);
}

TEST_CASE("itm: delta_h matches NTIA TestComputeDeltaH") {
    ItmProfile p;
    p.spacing_m = 10.0;
    p.elevations_m = {100.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 100.0};
    CHECK(detail::delta_h(p, 10.0, 90.0) == doctest::Approx(130.80086741994160).epsilon(1e-12));
    CHECK(detail::delta_h(p, 15.0, 85.0) == doctest::Approx(41.639683828192240).epsilon(1e-12));
    ItmProfile q;
    q.spacing_m = 10.0;
    q.elevations_m = {100.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 2.0,
                      2.0,   2.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 100.0};
    CHECK(detail::delta_h(q, 10.0, 320.0) == doctest::Approx(5.5481498660992807).epsilon(1e-12));
    CHECK(detail::delta_h(q, 15.0, 315.0) == doctest::Approx(5.4395216034312366).epsilon(1e-12));
}

TEST_CASE("itm: horizons over a single ridge") {
    // 4 intervals of 1 km, z = 0,0,100,0,0, both antennas 10 m, a_e = 8500 km. From the tx the
    // ridge at 2 km rises at (100 − 10)/2000 − 2000/(2·8.5e6) = 0.044882353 rad; the rx sees
    // the same by symmetry. Without the ridge the line-of-sight angle is −4000/17e6.
    ItmProfile p;
    p.spacing_m = 1000.0;
    p.elevations_m = {0.0, 0.0, 100.0, 0.0, 0.0};
    const auto h = detail::find_horizons(p, 8.5e6, 10.0, 10.0);
    CHECK(h.theta_rad[0] == doctest::Approx(0.044882353).epsilon(1e-9));
    CHECK(h.theta_rad[1] == doctest::Approx(0.044882353).epsilon(1e-9));
    CHECK(h.distance_m[0] == 2000.0);
    CHECK(h.distance_m[1] == 2000.0);
    p.elevations_m[2] = 0.0;
    const auto flat = detail::find_horizons(p, 8.5e6, 10.0, 10.0);
    CHECK(flat.theta_rad[0] == doctest::Approx(-4000.0 / 17e6).epsilon(1e-12));
    CHECK(flat.distance_m[0] == 4000.0);
}

TEST_CASE("itm: least-squares fit of a straight line is exact") {
    // z = 5 + 3 i: the fitted heights at the ends are 5 and 5 + 3·20 = 65.
    double z[21];
    for (int i = 0; i <= 20; ++i) z[i] = 5.0 + 3.0 * i;
    const auto fit = detail::least_squares_fit(z, 20, 50.0, 0.0, 1000.0);
    CHECK(fit.start_m == doctest::Approx(5.0).epsilon(1e-12));
    CHECK(fit.end_m == doctest::Approx(65.0).epsilon(1e-12));
}

TEST_CASE("itm: inverse complementary normal distribution") {
    CHECK(detail::inverse_ccdf(0.5) == doctest::Approx(0.0).epsilon(1e-3));
    // Q⁻¹(0.1) = 1.2816 (tables); A&S 26.2.23 is good to 4.5e-4.
    CHECK(detail::inverse_ccdf(0.1) == doctest::Approx(1.2816).epsilon(4.5e-4));
    CHECK(detail::inverse_ccdf(0.9) == doctest::Approx(-1.2816).epsilon(4.5e-4));
}

TEST_CASE("itm: free-space loss uses ITM's 32.45 dB constant") {
    // 1 km at 1000 MHz: 32.45 + 60 + 0.
    CHECK(detail::free_space_db(1000.0, 1000.0) == doctest::Approx(92.45).epsilon(1e-12));
}

TEST_CASE("itm: errors name the parameter, warnings are flags") {
    ItmProfile p;
    p.spacing_m = 100.0;
    p.elevations_m.assign(101, 50.0);
    Parameters ok;
    ok.freq_mhz = 900.0;
    ok.tx_height_m = 30.0;
    ok.rx_height_m = 1.5;

    auto parameter_of = [&](Parameters bad) {
        try {
            point_to_point(p, bad);
        } catch (const ParameterError& e) {
            return e.parameter();
        }
        return std::string("none");
    };
    Parameters bad = ok;
    bad.freq_mhz = 15.0;
    CHECK(parameter_of(bad) == "freq-mhz");
    bad = ok;
    bad.n0 = 200.0;
    CHECK(parameter_of(bad) == "n0");
    bad = ok;
    bad.mdvar = 7;
    CHECK(parameter_of(bad) == "mdvar");
    bad = ok;
    bad.quantiles.time_pct = 100.0;
    CHECK(parameter_of(bad) == "time");
    bad = ok;
    bad.climate = static_cast<Climate>(8);
    CHECK(parameter_of(bad) == "climate");
    bad = ok;
    bad.tx_height_m = 0.4;
    CHECK(parameter_of(bad) == "tx-height-m");
    bad = ok;
    bad.sigma = 0.0;
    CHECK(parameter_of(bad) == "sigma");

    // 10 km flat path at 0.7 m receiver height and 15 GHz: both soft limits warn, nothing clamps.
    Parameters soft = ok;
    soft.rx_height_m = 0.7;
    soft.freq_mhz = 15000.0;
    const auto r = point_to_point(p, soft);
    CHECK((r.warnings & warning::rx_terminal_height) != 0);
    CHECK((r.warnings & warning::frequency) != 0);
    CHECK(warning_messages(r.warnings).size() >= 2);
    Parameters normal = ok;
    const auto n = point_to_point(p, normal);
    CHECK(n.loss_db != r.loss_db);
}

TEST_CASE("itm: profile parser") {
    const auto p = parse_itm_profile("3, 100\n1 2,3\t4\n", "x.pfl");
    CHECK(p.intervals() == 3);
    CHECK(p.spacing_m == 100.0);
    CHECK(p.elevations_m == std::vector<double>{1, 2, 3, 4});
    auto field_of = [](std::string_view text) {
        try {
            parse_itm_profile(text, "bad.pfl");
        } catch (const deadzone::InputError& e) {
            REQUIRE(!e.problems().empty());
            CHECK(e.problems().front().where.file == "bad.pfl");
            return e.problems().front().field;
        }
        return std::string("none");
    };
    CHECK(field_of("3,100,1,2,3") == "elevations");
    CHECK(field_of("3,100,1,2,x,4") == "value 5");
    CHECK(field_of("2.5,100,1,2,3") == "intervals");
    CHECK(field_of("2,-1,1,2,3") == "spacing");
    CHECK(field_of("") == "intervals");
    CHECK(field_of("2,100,1,nan,3") == "value 4");
}

TEST_CASE("itm: reference attenuation in each region (NTIA TestLongleyRice)") {
    // NTIA's arbitrary geometry: the same inputs at 10 km (line of sight), 25 km (diffraction)
    // and 10 000 km (troposcatter).
    detail::Geometry g;
    g.freq_mhz = 3500.0;
    g.z_g = {0.2, 0.0};
    g.a_e_m = 7860e3;
    g.n_s = 252.0;
    g.delta_h_m = 3.5;
    g.h_m[0] = 15.0;
    g.h_m[1] = 5.0;
    g.h_e_m[0] = 15.0;
    g.h_e_m[1] = 5.0;
    g.d_hzn_m[0] = 15e3;
    g.d_hzn_m[1] = 7e3;
    g.theta_hzn_rad[0] = -1.9;
    g.theta_hzn_rad[1] = -0.8;
    unsigned warnings = 0;
    const auto los = detail::longley_rice(10e3, g, warnings);
    CHECK(los.mode == PropagationMode::line_of_sight);
    CHECK(los.a_ref_db == doctest::Approx(4.2910433148599818).epsilon(1e-12));
    const auto dif = detail::longley_rice(25e3, g, warnings);
    CHECK(dif.mode == PropagationMode::diffraction);
    CHECK(dif.a_ref_db == doctest::Approx(23.008174136481173).epsilon(1e-12));
    const auto tropo = detail::longley_rice(10e6 + 1, g, warnings);
    CHECK(tropo.mode == PropagationMode::troposcatter);
    CHECK(tropo.a_ref_db == doctest::Approx(10257.44380116946).epsilon(1e-12));
}
