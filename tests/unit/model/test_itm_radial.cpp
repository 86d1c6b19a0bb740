// ITM along radials (RadialPath) and the terrain models' radial_losses: every point must equal
// the from-scratch call over the profile cut at that point, bit for bit, on many random
// profiles and parameter sets (flat, gentle, rough, terraced terrain; short and long paths).
#include <deadzone/model/itm.hpp>
#include <deadzone/model/terrain_model.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

using namespace deadzone::model;

namespace {

struct Random {
    std::uint64_t state;
    double uniform() { // [0, 1)
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<double>(state >> 11) * 0x1.0p-53;
    }
    double between(double a, double b) { return a + (b - a) * uniform(); }
    int integer(int a, int b) { return a + static_cast<int>(uniform() * (b - a + 1)); }
};

ItmProfile random_profile(Random& r) {
    ItmProfile p;
    p.spacing_m = r.between(5.0, 250.0);
    const int n = r.integer(2, 700);
    const int kind = r.integer(0, 3);
    double z = r.between(0.0, 1500.0);
    const double ridge = r.between(50.0, 900.0);
    const double wavelength = r.between(5.0, 200.0);
    for (int i = 0; i <= n; ++i) {
        double e = z;
        if (kind == 1) e += ridge * std::sin(i / wavelength);
        if (kind == 2) e += ridge * std::sin(i / wavelength) * std::cos(i / 7.0) + r.between(-30.0, 30.0);
        if (kind == 3) e += std::floor(ridge * std::sin(i / wavelength) / 50.0) * 50.0; // terraces: many ties
        p.elevations_m.push_back(e);
    }
    return p;
}

itm::Parameters random_parameters(Random& r) {
    itm::Parameters p;
    p.freq_mhz = r.between(25.0, 15000.0);
    p.tx_height_m = r.uniform() < 0.2 ? r.between(0.5, 3000.0) : r.between(2.0, 120.0);
    p.rx_height_m = r.uniform() < 0.2 ? r.between(0.5, 3000.0) : r.between(1.0, 10.0);
    p.climate = static_cast<itm::Climate>(r.integer(1, 7));
    p.n0 = r.between(250.0, 400.0);
    p.epsilon = r.between(1.0, 80.0);
    p.sigma = r.between(0.0001, 5.0);
    p.polarization = r.uniform() < 0.5 ? itm::Polarization::vertical : itm::Polarization::horizontal;
    p.mdvar = r.integer(0, 3) + 10 * r.integer(0, 3);
    p.quantiles = itm::Quantiles{r.between(1.0, 99.0), r.between(1.0, 99.0), r.between(1.0, 99.0)};
    return p;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Every field of the two results, bit for bit.
bool identical(const itm::Result& a, const itm::Result& b) {
    bool same = same_bits(a.loss_db, b.loss_db) && same_bits(a.free_space_db, b.free_space_db) &&
                same_bits(a.reference_attenuation_db, b.reference_attenuation_db) && a.mode == b.mode &&
                same_bits(a.distance_m, b.distance_m) && same_bits(a.n_s, b.n_s) &&
                same_bits(a.delta_h_m, b.delta_h_m) && a.warnings == b.warnings;
    for (int k = 0; k < 2; ++k) {
        same = same && same_bits(a.theta_hzn_rad[k], b.theta_hzn_rad[k]) && same_bits(a.d_hzn_m[k], b.d_hzn_m[k]) &&
               same_bits(a.h_e_m[k], b.h_e_m[k]);
    }
    return same;
}

ItmProfile cut(const ItmProfile& p, int i) {
    ItmProfile out;
    out.spacing_m = p.spacing_m;
    out.elevations_m.assign(p.elevations_m.begin(), p.elevations_m.begin() + i + 1);
    return out;
}

} // namespace

TEST_CASE("itm radial path: every point equals point_to_point over the cut profile, bit for bit") {
    Random r{20261130};
    long points = 0;
    long mismatches = 0;
    int modes[4] = {0, 0, 0, 0};
    for (int trial = 0; trial < 120; ++trial) {
        const ItmProfile profile = random_profile(r);
        const itm::Parameters parameters = random_parameters(r);
        itm::RadialPath path(profile, parameters);
        for (int i = 2; i <= profile.intervals(); ++i) {
            const itm::Result fast = path.at(i);
            const itm::Result slow = itm::point_to_point(cut(profile, i), parameters);
            ++points;
            ++modes[static_cast<int>(slow.mode)];
            if (!identical(fast, slow)) {
                ++mismatches;
                if (mismatches < 5) {
                    MESSAGE("trial " << trial << " point " << i << ": " << fast.loss_db << " vs " << slow.loss_db);
                }
            }
        }
    }
    CHECK(mismatches == 0);
    CHECK(points > 20000);
    // The random cases reach all three propagation regions.
    CHECK(modes[1] > 0);
    CHECK(modes[2] > 0);
    CHECK(modes[3] > 0);
}

TEST_CASE("itm radial path: out of order points, bad elevations and bad parameters") {
    Random r{42};
    ItmProfile profile;
    profile.spacing_m = 30.0;
    for (int i = 0; i <= 300; ++i) profile.elevations_m.push_back(300.0 + 200.0 * std::sin(i / 17.0) + r.between(0, 9));
    const itm::Parameters parameters;
    itm::RadialPath path(profile, parameters);
    for (const int i : {300, 17, 18, 19, 2, 250, 251, 100, 100}) {
        CHECK(identical(path.at(i), itm::point_to_point(cut(profile, i), parameters)));
    }
    CHECK_THROWS_AS(path.at(1), std::out_of_range);
    CHECK_THROWS_AS(path.at(301), std::out_of_range);

    // A void at point 120: the points before it are computed, the ones from it fail as the
    // from-scratch call does.
    profile.elevations_m[120] = std::numeric_limits<double>::quiet_NaN();
    itm::RadialPath holed(profile, parameters);
    CHECK(identical(holed.at(119), itm::point_to_point(cut(profile, 119), parameters)));
    CHECK_THROWS_AS(holed.at(120), itm::ParameterError);
    CHECK_THROWS_AS(itm::point_to_point(cut(profile, 120), parameters), itm::ParameterError);

    itm::Parameters bad;
    bad.freq_mhz = 10.0;
    try {
        itm::RadialPath refused(profile, bad);
        FAIL("a 10 MHz radial was accepted");
    } catch (const itm::ParameterError& e) {
        CHECK(e.parameter() == "freq-mhz");
    }
}

TEST_CASE("terrain models: radial_losses equals loss() over every cut, bit for bit") {
    Random r{7};
    for (const char* name : {"itm", "hata+diffraction"}) {
        for (const auto method : {DiffractionMethod::bullington, DiffractionMethod::deygout}) {
            TerrainModelSettings settings;
            settings.diffraction = method;
            const auto model = make_terrain_model(name, settings);
            for (int trial = 0; trial < 12; ++trial) {
                const ItmProfile profile = random_profile(r);
                const TerrainLinkQuery query{r.between(150.0, 1900.0), r.between(10.0, 80.0), r.between(1.0, 5.0)};
                std::vector<double> fast;
                std::vector<double> slow;
                model->radial_losses(profile, query, fast);
                model->TerrainPathLossModel::radial_losses(profile, query, slow); // one loss() per cut
                REQUIRE(fast.size() == static_cast<std::size_t>(profile.intervals()));
                REQUIRE(slow.size() == fast.size());
                int differ = 0;
                for (std::size_t i = 0; i < fast.size(); ++i) differ += !same_bits(fast[i], slow[i]);
                INFO(name << " " << to_string(method) << " trial " << trial);
                CHECK(differ == 0);
                // Point 1 is the midpoint-padded two-interval path.
                CHECK(same_bits(fast[0], model->loss(first_point_profile(profile), query).loss_db));
            }
        }
    }
}
