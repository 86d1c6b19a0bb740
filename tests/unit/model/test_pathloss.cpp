// Path-loss values computed by hand from the published formulas (COST 231 final report ch. 4.4,
// ITU-R P.525). Every model x environment x city is pinned, so a widely copied deviation (the
// large-city a(hm) without its -4.97 dB term, 4.70 instead of 4.78 in the open-area correction)
// fails. Tolerance 0.01 dB.
#include <deadzone/core/campaign.hpp>
#include <deadzone/model/pathloss.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

using deadzone::CitySize;
using deadzone::Environment;
using deadzone::PropagationModel;
using namespace deadzone::model;

namespace {

constexpr double tolerance_db = 0.01;

PathLossQuery query(double f, double hb, double hm, double d, Environment env, CitySize city) {
    PathLossQuery q;
    q.freq_mhz = f;
    q.tx_height_m = hb;
    q.rx_height_m = hm;
    q.distance_km = d;
    q.environment = env;
    q.city = city;
    return q;
}

double loss(PropagationModel m, double f, double hb, double hm, double d, Environment env, CitySize city) {
    return path_loss_db(m, query(f, hb, hm, d, env, city));
}

} // namespace

TEST_CASE("Okumura-Hata: published check, urban large city, 869 MHz, hb 30 m, hm 1 m, 2 km") {
    // log f = 2.939020, log hb = 1.477121, log d = 0.301030
    // a(hm) large, f >= 400: 3.2 (log 11.75)^2 - 4.97 = 3.2 * 1.144990 - 4.97 = -1.306061
    // 69.55 + 26.16*2.939020 (76.884757) - 13.82*1.477121 (20.413816) + 1.306061
    //   + (44.9 - 6.55*1.477121 = 35.224856) * 0.301030 (10.603738) = 137.9307
    CHECK(std::fabs(loss(PropagationModel::hata, 869, 30, 1, 2, Environment::urban, CitySize::large) - 137.9307) <
          tolerance_db);
}

// Common inputs below: hb = 50 m (log hb = 1.698970, 13.82 log hb = 23.479765,
// B = 44.9 - 6.55*1.698970 = 33.771746), hm = 3 m, d = 5 km (B log d = 33.771746*0.698970 = 23.605438).
// hm = 3 m makes the small- and large-city a(hm) differ by > 1 dB.

TEST_CASE("Okumura-Hata at 900 MHz for every environment and city") {
    // log f = 2.954243; 26.16 log f = 77.282984
    // a_small = (1.1*2.954243 - 0.7)*3 - (1.56*2.954243 - 0.8) = 7.649000 - 3.808618 = 3.840382
    // a_large = 3.2 (log 35.25)^2 - 4.97 = 3.2 * 2.393701 - 4.97 = 2.689844
    // base = 69.55 + 77.282984 - 23.479765 + 23.605438 = 146.958657
    auto h = [](Environment env, CitySize city) { return loss(PropagationModel::hata, 900, 50, 3, 5, env, city); };
    // urban large: 146.958657 - 2.689844 = 144.268813
    CHECK(std::fabs(h(Environment::urban, CitySize::large) - 144.2688) < tolerance_db);
    // urban small: 146.958657 - 3.840382 = 143.118275
    CHECK(std::fabs(h(Environment::urban, CitySize::small) - 143.1183) < tolerance_db);
    // suburban: 143.118275 - (2 (log(900/28))^2 + 5.4 = 2*1.507084^2 + 5.4 = 9.942607) = 133.175668
    CHECK(std::fabs(h(Environment::suburban, CitySize::small) - 133.1757) < tolerance_db);
    // The city size only selects a(hm) in urban areas: suburban/open always use the small-city form.
    CHECK(std::fabs(h(Environment::suburban, CitySize::large) - 133.1757) < tolerance_db);
    // open: 143.118275 - (4.78*2.954243^2 - 18.33*2.954243 + 40.94 = 41.717683 - 54.151265 + 40.94
    //   = 28.506418) = 114.611857   (4.70 instead of 4.78 would give 115.3101)
    CHECK(std::fabs(h(Environment::open, CitySize::small) - 114.6119) < tolerance_db);
    CHECK(std::fabs(h(Environment::open, CitySize::large) - 114.6119) < tolerance_db);
}

TEST_CASE("Okumura-Hata large-city a(hm) below 200 MHz and between 200 and 400 MHz") {
    // 150 MHz: log f = 2.176091, 26.16 log f = 56.926547
    // a_large(f <= 200) = 8.29 (log 4.62)^2 - 1.1 = 8.29 * 0.441749 - 1.1 = 2.562099
    // 69.55 + 56.926547 - 23.479765 - 2.562099 + 23.605438 = 124.040121
    CHECK(std::fabs(loss(PropagationModel::hata, 150, 50, 3, 5, Environment::urban, CitySize::large) - 124.0401) <
          tolerance_db);
    // 300 MHz: interpolated linearly in log f: t = log(300/200)/log 2 = 0.584963
    // a = 2.562099 + 0.584963 * (2.689844 - 2.562099) = 2.636825
    // 69.55 + 26.16*2.477121 (64.801492) - 23.479765 - 2.636825 + 23.605438 = 131.840340
    CHECK(std::fabs(loss(PropagationModel::hata, 300, 50, 3, 5, Environment::urban, CitySize::large) - 131.8403) <
          tolerance_db);
    // Continuous at both ends of the gap.
    const double below = loss(PropagationModel::hata, 200, 50, 3, 5, Environment::urban, CitySize::large);
    const double just_above = loss(PropagationModel::hata, 200.0001, 50, 3, 5, Environment::urban, CitySize::large);
    CHECK(std::fabs(below - just_above) < 1e-4);
    const double at_400 = loss(PropagationModel::hata, 400, 50, 3, 5, Environment::urban, CitySize::large);
    const double just_below_400 = loss(PropagationModel::hata, 399.9999, 50, 3, 5, Environment::urban, CitySize::large);
    CHECK(std::fabs(at_400 - just_below_400) < 1e-4);
}

TEST_CASE("COST-231 Hata at 1800 MHz for every environment and city") {
    // log f = 3.255273; 33.9 log f = 110.353738
    // a_small = (1.1*3.255273 - 0.7)*3 - (1.56*3.255273 - 0.8) = 8.642399 - 4.278225 = 4.364174
    // a_large = 2.689844 (as above; f >= 400 form WITH its -4.97 dB term)
    // base = 46.3 + 110.353738 - 23.479765 + 23.605438 = 156.779411
    auto c = [](Environment env, CitySize city) {
        return loss(PropagationModel::cost231, 1800, 50, 3, 5, env, city);
    };
    // metropolitan (urban, large): 156.779411 - 2.689844 + 3 = 157.089567
    // (dropping the -4.97 dB term would give 152.1196)
    CHECK(std::fabs(c(Environment::urban, CitySize::large) - 157.0896) < tolerance_db);
    // medium city (urban, small): 156.779411 - 4.364174 + 0 = 152.415237
    CHECK(std::fabs(c(Environment::urban, CitySize::small) - 152.4152) < tolerance_db);
    // suburban: C = 0 with the small/medium-city a(hm): the same as the medium city
    CHECK(std::fabs(c(Environment::suburban, CitySize::small) - 152.4152) < tolerance_db);
    CHECK(std::fabs(c(Environment::suburban, CitySize::large) - 152.4152) < tolerance_db);
    // open (extension): 152.415237 - (4.78*3.255273^2 - 18.33*3.255273 + 40.94 = 50.652700
    //   - 59.669145 + 40.94 = 31.923555) = 120.491682
    CHECK(std::fabs(c(Environment::open, CitySize::small) - 120.4917) < tolerance_db);
    CHECK(std::fabs(c(Environment::open, CitySize::large) - 120.4917) < tolerance_db);
}

TEST_CASE("Okumura-Hata at 1800 MHz (outside its range) is still the Hata formula") {
    // 69.55 + 85.157929 - 23.479765 - 2.689844 + 23.605438 = 152.143758
    CHECK(std::fabs(loss(PropagationModel::hata, 1800, 50, 3, 5, Environment::urban, CitySize::large) - 152.1438) <
          tolerance_db);
}

TEST_CASE("Free space, ITU-R P.525") {
    // 20 log10(4 pi 1e9 / 299792458) = 32.447783; 1800 MHz, 5 km:
    // 32.447783 + 20*3.255273 (65.105450) + 20*0.698970 (13.979400) = 111.532633
    CHECK(std::fabs(loss(PropagationModel::fspl, 1800, 50, 3, 5, Environment::urban, CitySize::large) - 111.5326) <
          tolerance_db);
    // Heights, environment and city play no part.
    CHECK(loss(PropagationModel::fspl, 1800, 10, 1, 5, Environment::open, CitySize::small) ==
          loss(PropagationModel::fspl, 1800, 50, 3, 5, Environment::urban, CitySize::large));
    // 869 MHz, 2 km: 32.447783 + 58.780396 + 6.020600 = 97.248779
    CHECK(std::fabs(loss(PropagationModel::fspl, 869, 30, 1, 2, Environment::urban, CitySize::large) - 97.2488) <
          tolerance_db);
}

TEST_CASE("automatic resolves to Hata up to 1500 MHz and COST-231 above") {
    CHECK(resolve(PropagationModel::automatic, 900) == PropagationModel::hata);
    CHECK(resolve(PropagationModel::automatic, 1500) == PropagationModel::hata);
    CHECK(resolve(PropagationModel::automatic, 1500.1) == PropagationModel::cost231);
    CHECK(resolve(PropagationModel::automatic, 2600) == PropagationModel::cost231);
    CHECK(resolve(PropagationModel::fspl, 2600) == PropagationModel::fspl);
    CHECK(resolve(PropagationModel::hata, 2600) == PropagationModel::hata);
    CHECK(std::fabs(loss(PropagationModel::automatic, 1800, 50, 3, 5, Environment::urban, CitySize::large) -
                    157.0896) < tolerance_db);
    CHECK(std::fabs(loss(PropagationModel::automatic, 900, 50, 3, 5, Environment::urban, CitySize::large) -
                    144.2688) < tolerance_db);
}

TEST_CASE("distance_km_for_loss inverts path_loss_db") {
    for (auto model : {PropagationModel::fspl, PropagationModel::hata, PropagationModel::cost231,
                       PropagationModel::automatic}) {
        for (auto env : {Environment::urban, Environment::suburban, Environment::open}) {
            for (auto city : {CitySize::large, CitySize::small}) {
                for (double d : {0.05, 1.0, 3.7, 19.0, 60.0}) {
                    auto q = query(model == PropagationModel::hata ? 900 : 1800, 35, 1.5, d, env, city);
                    const double l = path_loss_db(model, q);
                    q.distance_km = 123.0; // ignored by the inverse
                    CHECK(distance_km_for_loss(model, q, l) == doctest::Approx(d).epsilon(1e-12));
                }
            }
        }
    }
    // Hata urban large at 900 MHz, hb 50, hm 3: L = 144.268813 at 5 km and the slope is
    // 33.771746 dB/decade, so 10 dB more loss reaches 5 * 10^(10/33.771746) = 5 * 1.977450 = 9.8872 km.
    const auto q = query(900, 50, 3, 5, Environment::urban, CitySize::large);
    CHECK(distance_km_for_loss(PropagationModel::hata, q, 144.268813 + 10.0) == doctest::Approx(9.8872).epsilon(1e-5));
}

TEST_CASE("invalid inputs throw std::invalid_argument") {
    auto q = query(900, 30, 1.5, 2, Environment::urban, CitySize::large);
    for (auto model : {PropagationModel::fspl, PropagationModel::hata, PropagationModel::cost231}) {
        auto bad = q;
        bad.distance_km = 0;
        CHECK_THROWS_AS(path_loss_db(model, bad), std::invalid_argument);
        bad = q;
        bad.distance_km = -1;
        CHECK_THROWS_AS(path_loss_db(model, bad), std::invalid_argument);
        bad = q;
        bad.freq_mhz = 0;
        CHECK_THROWS_AS(path_loss_db(model, bad), std::invalid_argument);
        bad = q;
        bad.freq_mhz = std::nan("");
        CHECK_THROWS_AS(path_loss_db(model, bad), std::invalid_argument);
        CHECK_THROWS_AS(distance_km_for_loss(model, q, std::nan("")), std::invalid_argument);
    }
    for (auto model : {PropagationModel::hata, PropagationModel::cost231}) {
        auto bad = q;
        bad.tx_height_m = 0;
        CHECK_THROWS_AS(path_loss_db(model, bad), std::invalid_argument);
        bad = q;
        bad.rx_height_m = -1;
        CHECK_THROWS_AS(path_loss_db(model, bad), std::invalid_argument);
    }
    // Free space does not use the heights.
    auto no_heights = q;
    no_heights.tx_height_m = 0;
    CHECK_NOTHROW(path_loss_db(PropagationModel::fspl, no_heights));
}

TEST_CASE("validity warnings name each parameter out of range") {
    const auto ok = query(900, 30, 1.5, 2, Environment::urban, CitySize::large);
    CHECK(validity_warnings(PropagationModel::hata, ok).empty());
    CHECK(validity_warnings(PropagationModel::fspl, query(5000, 1, 0.5, 0.01, Environment::urban, CitySize::large))
              .empty());

    const auto far = query(1800, 20, 12, 25, Environment::urban, CitySize::large);
    const auto hata = validity_warnings(PropagationModel::hata, far);
    REQUIRE(hata.size() == 4);
    CHECK(hata[0] == "frequency 1800 MHz is outside the Okumura-Hata validity range 150-1500 MHz");
    CHECK(hata[1] == "transmitter height 20 m is outside the Okumura-Hata validity range 30-200 m");
    CHECK(hata[2] == "receiver height 12 m is outside the Okumura-Hata validity range 1-10 m");
    CHECK(hata[3] == "distance 25 km is outside the Okumura-Hata validity range 1-20 km");

    const auto cost = validity_warnings(PropagationModel::cost231, query(2100, 30, 1.5, 2, Environment::urban,
                                                                         CitySize::large));
    REQUIRE(cost.size() == 1);
    CHECK(cost[0] == "frequency 2100 MHz is outside the COST-231 Hata validity range 1500-2000 MHz");
    // automatic resolves first: 900 MHz is Hata, so no frequency warning.
    CHECK(validity_warnings(PropagationModel::automatic, ok).empty());

    const auto open = validity_warnings(PropagationModel::cost231, query(1800, 30, 1.5, 2, Environment::open,
                                                                         CitySize::large));
    REQUIRE(open.size() == 1);
    CHECK(open[0].find("extension") != std::string::npos);
}

TEST_CASE("names") {
    CHECK(std::string{to_string(PropagationModel::cost231)} == "cost231");
    CHECK(std::string{to_string(PropagationModel::automatic)} == "automatic");
    CHECK(std::string{to_string(Environment::suburban)} == "suburban");
    CHECK(std::string{to_string(CitySize::small)} == "small");
}
