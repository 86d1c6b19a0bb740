// ITM variability: the loss not exceeded at the asked time, location and situation quantiles,
// from the climate curves of TN101 (Fig. 10.13, Eqns III.69-70) and Hufford's algorithm §5.
#include <deadzone/model/itm.hpp>

#include <cmath>

namespace deadzone::model::itm::detail {

namespace {

constexpr double third = 1.0 / 3.0;

// TN101's curve form (c1 + c2 / (1 + ((d - x2)/x3)²)) · (d/x1)² / (1 + (d/x1)²).
double curve(double c1, double c2, double x1, double x2, double x3, double d_e_m) {
    const double r = std::pow(d_e_m / x1, 2);
    return (c1 + c2 / (1.0 + std::pow((d_e_m - x2) / x3, 2))) * r / (1.0 + r);
}

// Per-climate constants, indexed by climate - 1.
struct ClimateCurves {
    double all_year[5][7] = {
        {-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15},
        {12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9},
        {144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.e3},
        {190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3},
        {133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3},
    };
    double bsm1[7] = {2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51};
    double bsm2[7] = {159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8};
    double xsm1[7] = {762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3};
    double xsm2[7] = {123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3};
    double xsm3[7] = {94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3};
    double bsp1[7] = {2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43};
    double bsp2[7] = {102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19};
    double xsp1[7] = {636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3};
    double xsp2[7] = {134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3};
    double xsp3[7] = {95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3};
    double c_d[7] = {1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518}; // [Algorithm, Table 5.1]
    double z_d[7] = {1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282};
    double bfm1[7] = {1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0};
    double bfm2[7] = {0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0};
    double bfm3[7] = {0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0};
    double bfp1[7] = {1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0};
    double bfp2[7] = {0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0};
    double bfp3[7] = {0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0};
};

constexpr ClimateCurves curves{};

enum Mode { single_message = 0, accidental = 1, mobile = 2, broadcast = 3 };

// Time variability σT for the deviate z_t (different spreads below and above the median).
double sigma_time_db(int c, double wn, double d_e_m, double z_t) {
    const double q = std::log(0.133 * wn);
    const double g_minus = curves.bfm1[c] + curves.bfm2[c] / (std::pow(curves.bfm3[c] * q, 2) + 1.0);
    const double g_plus = curves.bfp1[c] + curves.bfp2[c] / (std::pow(curves.bfp3[c] * q, 2) + 1.0);
    const double minus = curve(curves.bsm1[c], curves.bsm2[c], curves.xsm1[c], curves.xsm2[c], curves.xsm3[c], d_e_m) * g_minus;
    const double plus = curve(curves.bsp1[c], curves.bsp2[c], curves.xsp1[c], curves.xsp2[c], curves.xsp3[c], d_e_m) * g_plus;
    const double sigma_td = curves.c_d[c] * plus;
    const double tgtd = (plus - sigma_td) * curves.z_d[c];
    if (z_t < 0.0) {
        return minus;
    }
    if (z_t <= curves.z_d[c]) {
        return plus;
    }
    return sigma_td + tgtd / z_t;
}

} // namespace

double inverse_ccdf(double q) {
    constexpr double c0 = 2.515516;
    constexpr double c1 = 0.802853;
    constexpr double c2 = 0.010328;
    constexpr double d1 = 1.432788;
    constexpr double d2 = 0.189269;
    constexpr double d3 = 0.001308;
    const double x = q > 0.5 ? 1.0 - q : q;
    const double t = std::sqrt(-2.0 * std::log(x));
    const double zeta = ((c2 * t + c1) * t + c0) / (((d3 * t + d2) * t + d1) * t + 1.0);
    return q > 0.5 ? -(t - zeta) : t - zeta;
}

double variability_db(const Quantiles& quantiles, const double h_e_m[2], double delta_h_m, double freq_mhz, double d_m,
                      double a_ref_db, Climate climate, int mdvar, unsigned& warnings) {
    double z_t = inverse_ccdf(quantiles.time_pct / 100.0);
    double z_l = inverse_ccdf(quantiles.location_pct / 100.0);
    const double z_s = inverse_ccdf(quantiles.situation_pct / 100.0);
    const int c = static_cast<int>(climate) - 1;
    const double wn = freq_mhz / 47.7;

    // Effective distance [Algorithm, Eqn 5.3], with the 9000 km earth of the climate curves.
    const double a_9000_m = 9000e3;
    const double d_ex = std::sqrt(2.0 * a_9000_m * h_e_m[0]) + std::sqrt(2.0 * a_9000_m * h_e_m[1]) +
                        std::pow(575.7e12 / wn, third);
    const double d_e = d_m < d_ex ? 130e3 * d_m / d_ex : 130e3 + d_m - d_ex;

    // +20: no direct situation variability (interference studies) [Hufford 1982]; +10: no
    // location variability (the terminals are fixed).
    int mode = mdvar;
    const bool no_situation = mode >= 20;
    if (no_situation) mode -= 20;
    const bool no_location = mode >= 10;
    if (no_location) mode -= 10;
    const double sigma_s = no_situation ? 0.0 : 5.0 + 3.0 * std::exp(-d_e / 100e3); // [Eqn 5.10]

    const double v_med = curve(curves.all_year[0][c], curves.all_year[1][c], curves.all_year[2][c],
                               curves.all_year[3][c], curves.all_year[4][c], d_e);
    if (mode == single_message) {
        z_t = z_s;
        z_l = z_s;
    } else if (mode == accidental) {
        z_l = z_s;
    } else if (mode == mobile) {
        z_l = z_t;
    }
    if (std::fabs(z_t) > 3.10 || std::fabs(z_l) > 3.10 || std::fabs(z_s) > 3.10) {
        warnings |= warning::extreme_variabilities;
    }

    double sigma_l = 0.0;
    if (!no_location) {
        const double delta_h_d = terrain_roughness_m(d_m, delta_h_m);
        sigma_l = 10.0 * wn * delta_h_d / (wn * delta_h_d + 13.0);
    }
    const double y_l = sigma_l * z_l;
    const double sigma_t = sigma_time_db(c, wn, d_e, z_t);
    const double y_t = sigma_t * z_t;

    const double y_s_base = sigma_s * sigma_s + y_t * y_t / (7.8 + z_s * z_s) + y_l * y_l / (24.0 + z_s * z_s);
    double y_r = 0.0;
    double y_s = 0.0;
    if (mode == single_message) {
        y_s = std::sqrt(sigma_t * sigma_t + sigma_l * sigma_l + y_s_base) * z_s;
    } else if (mode == accidental) {
        y_r = y_t;
        y_s = std::sqrt(sigma_l * sigma_l + y_s_base) * z_s;
    } else if (mode == mobile) {
        y_r = std::sqrt(sigma_t * sigma_t + sigma_l * sigma_l) * z_t;
        y_s = std::sqrt(y_s_base) * z_s;
    } else {
        y_r = y_t + y_l;
        y_s = std::sqrt(y_s_base) * z_s;
    }
    double result = a_ref_db - v_med - y_r - y_s;
    if (result < 0.0) {
        result = result * (29.0 - result) / (29.0 - 10.0 * result); // soft floor [Algorithm, Eqn 5.2]
    }
    return result;
}

double free_space_db(double d_m, double freq_mhz) {
    // ITM's own constant (32.45), kept so that A = A_fs + variability matches NTIA's output.
    return 32.45 + 20.0 * std::log10(freq_mhz) + 20.0 * std::log10(d_m / 1000.0);
}

} // namespace deadzone::model::itm::detail
