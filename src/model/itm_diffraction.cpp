// ITM diffraction: double knife edge (Fresnel integral approximation), Vogler's three-radii
// smooth-earth diffraction, and their terrain-weighted blend with the clutter factor.
// Sources: Hufford, "The ITS Irregular Terrain Model, version 1.2.2: the algorithm" (Eqns 4.12-
// 4.20); Longley & Rice, ERL 79-ITS 67 (Eqns 3.23, 3.27, 3.38c); Vogler 1964 (smooth earth).
#include <deadzone/model/itm.hpp>

#include <algorithm>
#include <cmath>

namespace deadzone::model::itm::detail {

namespace {

constexpr double actual_earth_radius_m = 6370e3; // Vogler's reference radius (4/3 of it is "standard")
constexpr double third = 1.0 / 3.0;

} // namespace

double fresnel_integral_db(double v2) {
    // v2 is v²: the break at 5.76 is v = 2.4 [TN101 v2, Eqns III.24b/c].
    if (v2 < 5.76) {
        return 6.02 + 9.11 * std::sqrt(v2) - 1.27 * v2;
    }
    return 12.953 + 10.0 * std::log10(v2);
}

double knife_edge_db(double d_m, double freq_mhz, double a_e_m, double theta_los, const double d_hzn_m[2]) {
    const double d_ml_m = d_hzn_m[0] + d_hzn_m[1];
    const double theta_nlos = d_m / a_e_m - theta_los; // angle subtended beyond the horizons
    const double d_nlos_m = d_m - d_ml_m;
    // v² for each horizon edge [TN101, Eqn I.7]; 0.0795775 = 1/(4π), f/47.7 the wave number per m.
    const double k = 0.0795775 * (freq_mhz / 47.7) * theta_nlos * theta_nlos;
    const double v1 = k * d_hzn_m[0] * d_nlos_m / (d_nlos_m + d_hzn_m[0]);
    const double v2 = k * d_hzn_m[1] * d_nlos_m / (d_nlos_m + d_hzn_m[1]);
    return fresnel_integral_db(v1) + fresnel_integral_db(v2);
}

double height_function_db(double x_km, double k) {
    if (x_km < 200.0) {
        const double w = -std::log(k);
        if (k < 1e-5 || x_km * w * w * w > 5495.0) {
            return x_km > 1.0 ? 17.372 * std::log(x_km) - 117.0 : -117.0;
        }
        return 2.5e-5 * x_km * x_km / k - 8.686 * w - 15.0;
    }
    double result = 0.05751 * x_km - 4.343 * std::log(x_km);
    if (x_km < 2000.0) {
        const double w = 0.0134 * x_km * std::exp(-0.005 * x_km);
        result = (1.0 - w) * result + w * (17.372 * std::log(x_km) - 117.0);
    }
    return result;
}

double smooth_earth_db(double d_m, double freq_mhz, double a_e_m, double theta_los, const double d_hzn_m[2],
                       const double h_e_m[2], std::complex<double> z_g) {
    const double theta_nlos = d_m / a_e_m - theta_los;
    const double d_ml_m = d_hzn_m[0] + d_hzn_m[1];
    // Three radii: the diffraction arc between the horizons, and each terminal's own earth
    // through its horizon [Vogler 1964, Eqn 3].
    const double a_m[3] = {(d_m - d_ml_m) / (d_m / a_e_m - theta_los), 0.5 * d_hzn_m[0] * d_hzn_m[0] / h_e_m[0],
                           0.5 * d_hzn_m[1] * d_hzn_m[1] / h_e_m[1]};
    const double d_km[3] = {a_m[0] * theta_nlos / 1000.0, d_hzn_m[0] / 1000.0, d_hzn_m[1] / 1000.0};
    const double f_third = std::pow(freq_mhz, third);
    double c0[3];
    double k[3];
    double x_km[3];
    for (int i = 0; i < 3; ++i) {
        c0[i] = std::pow((4.0 / 3.0) * actual_earth_radius_m / a_m[i], third);
        k[i] = 0.017778 * c0[i] * std::pow(freq_mhz, -third) / std::abs(z_g);
        const double b0 = 1.607 - k[i];
        x_km[i] = b0 * c0[i] * c0[i] * f_third * d_km[i];
    }
    x_km[0] += x_km[1] + x_km[2];
    const double g_db = 0.05751 * x_km[0] - 10.0 * std::log10(x_km[0]);
    return g_db - height_function_db(x_km[1], k[1]) - height_function_db(x_km[2], k[2]) - 20.0;
}

double terrain_roughness_m(double d_m, double delta_h_m) {
    // Δh(d): the interdecile range seen over a path of length d [ERL 79-ITS 67, Eqn 3].
    return delta_h_m * (1.0 - 0.8 * std::exp(-d_m / 50e3));
}

double sigma_h_m(double delta_h_m) {
    // RMS terrain deviation within the first Fresnel zone [ERL 79-ITS 67, Eqn 3.6a].
    return 0.78 * delta_h_m * std::exp(-0.5 * std::pow(delta_h_m, 0.25));
}

double diffraction_db(double d_m, const Geometry& g, double theta_los, double d_sml_m) {
    const double a_k = knife_edge_db(d_m, g.freq_mhz, g.a_e_m, theta_los, g.d_hzn_m);
    const double a_se = smooth_earth_db(d_m, g.freq_mhz, g.a_e_m, theta_los, g.d_hzn_m, g.h_e_m, g.z_g);

    // Clutter factor [ERL 79-ITS 67, Eqn 3.38c], roughness taken at the smooth-earth LOS distance.
    const double sigma_h_dsml = sigma_h_m(terrain_roughness_m(d_sml_m, g.delta_h_m));
    const double a_fo = std::min(15.0, 5.0 * std::log10(1.0 + 1e-5 * g.h_m[0] * g.h_m[1] * g.freq_mhz * sigma_h_dsml));

    // Weight between smooth earth and knife edge [ERL 79-ITS 67, Eqn 3.23]; in point-to-point
    // mode C = 10 m² for low antennas with known path parameters (p. 3-8).
    const double delta_h_d = terrain_roughness_m(d_m, g.delta_h_m);
    const double hh = g.h_m[0] * g.h_m[1];
    const double qk = g.h_e_m[0] * g.h_e_m[1] - hh;
    const double root = std::sqrt(1.0 + qk / (hh + 10.0));
    const double d_ml_m = g.d_hzn_m[0] + g.d_hzn_m[1];
    const double q = (root + (-theta_los * g.a_e_m + d_ml_m) / d_m) * std::min(delta_h_d * g.freq_mhz / 47.7, 6283.2);
    const double w = 25.1 / (25.1 + std::sqrt(q));
    return w * a_se + (1.0 - w) * a_k + a_fo;
}

} // namespace deadzone::model::itm::detail
