// P.526 knife-edge diffraction and the terrain-model registry, against hand-derived values
// (arithmetic in the comments).
#include <deadzone/model/diffraction.hpp>
#include <deadzone/model/pathloss.hpp>
#include <deadzone/model/terrain_model.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

using namespace deadzone;
using namespace deadzone::model;

TEST_CASE("diffraction: J(nu), ITU-R P.526 eq. 31") {
    // ν = 0: 6.9 + 20 log10(√1.01 − 0.1) = 6.9 + 20 log10(0.9049876) = 6.032852.
    CHECK(knife_edge_loss_db(0.0) == doctest::Approx(6.032852).epsilon(1e-7));
    // ν = 1: 6.9 + 20 log10(√1.81 + 0.9) = 6.9 + 20 log10(2.2453624) = 13.925729.
    CHECK(knife_edge_loss_db(1.0) == doctest::Approx(13.925729).epsilon(1e-7));
    // ν = −0.5: 6.9 + 20 log10(√1.36 − 0.6) = 1.959250.
    CHECK(knife_edge_loss_db(-0.5) == doctest::Approx(1.959250).epsilon(1e-6));
    CHECK(knife_edge_loss_db(-0.78) == 0.0);
    CHECK(knife_edge_loss_db(-3.0) == 0.0);
}

TEST_CASE("diffraction: one knife edge, both methods") {
    // 10 km, z = 0, 50, 0 at 5 km spacing, both antennas 10 m, 300 MHz (λ = 0.99930819 m),
    // k = 4/3 (a_e = 8494.667 km): bulge 5000·5000/(2 a_e) = 1.471512 m, so the edge stands
    // h = 50 + 1.471512 − 10 = 41.471512 m above the ray; ν = h √(2·10000/(λ·5000·5000)) = 1.173397;
    // J = 14.998142 dB.
    ItmProfile p;
    p.spacing_m = 5000.0;
    p.elevations_m = {0.0, 50.0, 0.0};
    DiffractionQuery q;
    q.freq_mhz = 300.0;
    q.tx_height_m = 10.0;
    q.rx_height_m = 10.0;
    q.method = DiffractionMethod::bullington;
    const auto b = diffraction_loss(p, q);
    CHECK(b.nu == doctest::Approx(1.1733974).epsilon(1e-7));
    CHECK(b.loss_db == doctest::Approx(14.998142).epsilon(1e-7));
    // Deygout, P.526's form: L = J(νp) + T·[J(νt) + J(νr) + C] with no secondary edge here,
    // T = 1 − exp(−14.998142/6) = 1 − exp(−2.4996903) = 0.917890, C = 10 + 0.04·10 = 10.4:
    // L = 14.998142 + 0.917890·10.4 = 24.544193 dB.
    q.method = DiffractionMethod::deygout;
    const auto d = diffraction_loss(p, q);
    CHECK(d.nu == doctest::Approx(1.1733974).epsilon(1e-7));
    CHECK(d.loss_db == doctest::Approx(24.544193).epsilon(1e-7));
    REQUIRE(d.edges.size() == 1);
    CHECK(d.edges[0].index == 1);
}

TEST_CASE("diffraction: two-edge Deygout") {
    // Flat earth (k = 1e9 makes the bulge < 1e-5 m), 15 km, z = 0, 60, 40, 0 at 5 km spacing,
    // antennas 10 m, 300 MHz. Main edge: point 1, 50 m above the 10 m ray, d1 = 5, d2 = 10 km:
    // ν = 50 √(2·15000/(λ·5000·10000)) = 1.225169, J = 15.300747. Rx side: point 2 against
    // the ray from the main edge's tip (60 m at 5 km) to the rx (10 m at 15 km), which passes
    // 35 m at 10 km: h = 5 m, d1 = d2 = 5 km, ν = 5 √(2·10000/(λ·5000·5000)) = 0.141470,
    // J = 7.260103. Tx side has no interior point. T = 1 − exp(−15.300747/6) = 0.921928,
    // C = 10 + 0.04·15 = 10.6: L = 15.300747 + 0.921928·(7.260103 + 10.6) = 31.766477 dB
    // (the plain sum of the three losses would be 22.560850).
    ItmProfile p;
    p.spacing_m = 5000.0;
    p.elevations_m = {0.0, 60.0, 40.0, 0.0};
    DiffractionQuery q;
    q.freq_mhz = 300.0;
    q.tx_height_m = 10.0;
    q.rx_height_m = 10.0;
    q.k_factor = 1e9;
    q.method = DiffractionMethod::deygout;
    const auto d = diffraction_loss(p, q);
    REQUIRE(d.edges.size() == 2);
    CHECK(d.edges[0].index == 1);
    CHECK(d.edges[0].nu == doctest::Approx(1.225169).epsilon(1e-6));
    CHECK(d.edges[1].index == 2);
    CHECK(d.edges[1].nu == doctest::Approx(0.141470).epsilon(1e-5));
    CHECK(d.loss_db == doctest::Approx(31.766477).epsilon(1e-6));
}

TEST_CASE("diffraction: a clear path loses nothing") {
    ItmProfile p;
    p.spacing_m = 100.0;
    p.elevations_m.assign(51, 0.0);
    DiffractionQuery q;
    q.tx_height_m = 30.0;
    q.rx_height_m = 30.0;
    CHECK(diffraction_loss(p, q).loss_db == 0.0);
    q.method = DiffractionMethod::deygout;
    CHECK(diffraction_loss(p, q).loss_db == 0.0);
}

TEST_CASE("diffraction: method names") {
    CHECK(parse_diffraction_method("deygout") == DiffractionMethod::deygout);
    CHECK(parse_diffraction_method("bullington") == DiffractionMethod::bullington);
    CHECK_THROWS_AS(parse_diffraction_method("epstein"), std::invalid_argument);
}

TEST_CASE("terrain models: registry by name") {
    CHECK(terrain_model_names() == std::vector<std::string>{"hata+diffraction", "itm"});
    TerrainModelSettings s;
    CHECK_THROWS_AS(make_terrain_model("splat", s), std::invalid_argument);

    // hata+diffraction = Hata median over the path + the profile's J(ν): the single edge above.
    ItmProfile p;
    p.spacing_m = 5000.0;
    p.elevations_m = {0.0, 50.0, 0.0};
    s.environment = Environment::urban;
    s.city = CitySize::large;
    const auto model = make_terrain_model("hata+diffraction", s);
    CHECK(model->name() == "hata+diffraction");
    TerrainLinkQuery q{300.0, 10.0, 10.0};
    PathLossQuery hq;
    hq.freq_mhz = 300.0;
    hq.tx_height_m = 10.0;
    hq.rx_height_m = 10.0;
    hq.distance_km = 10.0;
    hq.environment = Environment::urban;
    hq.city = CitySize::large;
    const auto r = model->loss(p, q);
    CHECK(r.loss_db == doctest::Approx(path_loss_db(PropagationModel::hata, hq) + 14.998142).epsilon(1e-7));
    CHECK(r.mode == "diffraction");
    CHECK(!r.warnings.empty()); // tx height 10 m is outside Hata's 30-200 m

    const auto itm_model = make_terrain_model("itm", s);
    const auto i = itm_model->loss(p, q);
    CHECK(i.loss_db > 0.0);
    CHECK(itm_model->name() == "itm");
}
