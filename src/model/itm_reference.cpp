// ITM reference attenuation: the line-of-sight (two-ray blended with extended diffraction),
// diffraction and troposcatter regions, joined as in Longley & Rice (ERL 79-ITS 67, Eqns 3.16-
// 3.21) and Hufford's algorithm (Eqns 4.46-4.67, 6.8-6.13).
#include <deadzone/model/itm.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace deadzone::model::itm::detail {

namespace {

double positive_difference(double a, double b) { return a > b ? a - b : 0.0; }

double line_of_sight_db(double d_m, const Geometry& g, double m_d, double a_d0, double d_sml_m) {
    const double sigma_h_d = sigma_h_m(terrain_roughness_m(d_m, g.delta_h_m));
    const double wn = g.freq_mhz / 47.7;
    const double h_sum = g.h_e_m[0] + g.h_e_m[1];
    const double sin_psi = h_sum / std::sqrt(d_m * d_m + h_sum * h_sum); // grazing angle [Eqn 4.46]
    // Ground reflection coefficient reduced by roughness [Eqn 4.47], with a floor on its size [4.48].
    std::complex<double> r_e = (sin_psi - g.z_g) / (sin_psi + g.z_g) * std::exp(-std::min(10.0, wn * sigma_h_d * sin_psi));
    const double q = std::norm(r_e);
    if (q < 0.25 || q < sin_psi) {
        r_e *= std::sqrt(sin_psi / q);
    }
    double delta_phi = wn * 2.0 * g.h_e_m[0] * g.h_e_m[1] / d_m; // ray phase difference [4.49]
    constexpr double half_pi = std::numbers::pi / 2.0;
    if (delta_phi > half_pi) {
        delta_phi = std::numbers::pi - half_pi * half_pi / delta_phi; // [4.50]
    }
    const std::complex<double> rays = std::complex<double>(std::cos(delta_phi), -std::sin(delta_phi)) + r_e;
    const double a_t = -10.0 * std::log10(std::norm(rays));
    const double a_d = m_d * d_m + a_d0;
    const double w = 1.0 / (1.0 + g.freq_mhz * g.delta_h_m / std::max(10e3, d_sml_m));
    return w * a_t + (1.0 - w) * a_d;
}

double f_function_db(double td) {
    // Attenuation function F(θd) [Algorithm, 6.9]: three fits by range of θd.
    static constexpr double a[] = {133.4, 104.6, 71.8};
    static constexpr double b[] = {0.332e-3, 0.212e-3, 0.157e-3};
    static constexpr double c[] = {-10.0, -2.5, 5.0};
    const int i = td <= 10e3 ? 0 : td <= 70e3 ? 1 : 2;
    return a[i] + b[i] * td + c[i] * std::log10(td);
}

double h0_curve_db(int j, double r) {
    static constexpr double a[] = {25.0, 80.0, 177.0, 395.0, 705.0};
    static constexpr double b[] = {24.0, 45.0, 68.0, 80.0, 105.0};
    return 10.0 * std::log10(1.0 + a[j] * std::pow(1.0 / r, 4) + b[j] * std::pow(1.0 / r, 2));
}

double h0_function_db(double r, double eta_s) {
    // Frequency gain function H0 [TN101 v1 ch. 9.2], interpolated between ηs curves 1-5.
    eta_s = std::min(std::max(eta_s, 1.0), 5.0);
    const int i = static_cast<int>(eta_s);
    const double q = eta_s - i;
    double result = h0_curve_db(i - 1, r);
    if (q != 0.0) {
        result = (1.0 - q) * result + q * h0_curve_db(i, r);
    }
    return result;
}

// H0 of the scatter volume, or 1001 when both r are below 0.2 (A_scat undefined [Algorithm p. 11]).
double scatter_h0_db(double d_m, const Geometry& g, double h0_previous, bool& undefined) {
    const double wn = g.freq_mhz / 47.7;
    double ad = g.d_hzn_m[0] - g.d_hzn_m[1];
    double rr = g.h_e_m[1] / g.h_e_m[0];
    if (ad < 0.0) {
        ad = -ad;
        rr = 1.0 / rr;
    }
    const double theta = g.theta_hzn_rad[0] + g.theta_hzn_rad[1] + d_m / g.a_e_m;
    const double r1 = 2.0 * wn * theta * g.h_e_m[0];
    const double r2 = 2.0 * wn * theta * g.h_e_m[1];
    if (r1 < 0.2 && r2 < 0.2) {
        undefined = true;
        return 0.0;
    }
    double s = (d_m - ad) / (d_m + ad);
    const double q = std::min(std::max(0.1, rr / s), 10.0); // truncated at 0.1 and 10 [p. 16]
    s = std::max(0.1, s);
    const double h0_m = (d_m - ad) * (d_m + ad) * theta * 0.25 / d_m; // crossover height [4.66]
    const double eta_s = (h0_m / 1.7556e3) *
                         (1.0 + (0.031 - g.n_s * 2.32e-3 + g.n_s * g.n_s * 5.67e-6) *
                                    std::exp(-std::pow(std::min(1.7, h0_m / 8.0e3), 6)));
    const double h00 = (h0_function_db(r1, eta_s) + h0_function_db(r2, eta_s)) / 2.0;
    const double delta_h0 = std::min(h00, 6.0 * (0.6 - std::log10(std::max(eta_s, 1.0))) * std::log10(s) * std::log10(q));
    double h0 = std::max(h00 + delta_h0, 0.0);
    if (eta_s < 1.0) {
        const double sqrt2 = std::sqrt(2.0);
        h0 = eta_s * h0 + (1.0 - eta_s) * 10.0 *
                              std::log10(std::pow((1.0 + sqrt2 / r1) * (1.0 + sqrt2 / r2), 2) * (r1 + r2) /
                                         (r1 + r2 + 2.0 * sqrt2));
    }
    // Above 15 dB at d5, the value at d6 is used instead [Algorithm p. 12].
    if (h0 > 15.0 && h0_previous >= 0.0) {
        h0 = h0_previous;
    }
    return h0;
}

} // namespace

double troposcatter_db(double d_m, const Geometry& g, double theta_los, double& h0) {
    if (h0 <= 15.0) {
        bool undefined = false;
        const double value = scatter_h0_db(d_m, g, h0, undefined);
        if (undefined) {
            return 1001.0;
        }
        h0 = value;
    }
    const double wn = g.freq_mhz / 47.7;
    const double th = d_m / g.a_e_m - theta_los;
    return f_function_db(th * d_m) + 10.0 * std::log10(wn * 47.7 * std::pow(th, 4)) -
           0.1 * (g.n_s - 301.0) * std::exp(-th * d_m / 40e3) + h0; // [Algorithm, 4.63]
}

namespace {

void flag_geometry_warnings(const Geometry& g, const double d_hzn_s_m[2], unsigned& warnings) {
    // Small-angle approximations and horizon distances plausible for the effective heights.
    if (std::abs(g.theta_hzn_rad[0]) > 200e-3) warnings |= warning::tx_horizon_angle;
    if (std::abs(g.theta_hzn_rad[1]) > 200e-3) warnings |= warning::rx_horizon_angle;
    if (g.d_hzn_m[0] < 0.1 * d_hzn_s_m[0]) warnings |= warning::tx_horizon_distance_1;
    if (g.d_hzn_m[1] < 0.1 * d_hzn_s_m[1]) warnings |= warning::rx_horizon_distance_1;
    if (g.d_hzn_m[0] > 3.0 * d_hzn_s_m[0]) warnings |= warning::tx_horizon_distance_2;
    if (g.d_hzn_m[1] > 3.0 * d_hzn_s_m[1]) warnings |= warning::rx_horizon_distance_2;
}

void check_environment(const Geometry& g, unsigned& warnings) {
    if (g.n_s < 150.0) {
        throw ParameterError("n0", "surface refractivity N_s below 150 N-units: ITM cannot model it (lower --n0 "
                                   "gives N_s at the path's height)");
    }
    if (g.n_s > 400.0) {
        throw ParameterError("n0", "surface refractivity N_s above 400 N-units: ITM cannot model it");
    }
    if (g.n_s < 250.0) {
        warnings |= warning::surface_refractivity;
    }
    if (g.a_e_m < 4000000.0 || g.a_e_m > 13333333.0) {
        throw ParameterError("n0", "effective earth radius outside 4000-13333 km: check the refractivity");
    }
    if (g.z_g.real() <= std::abs(g.z_g.imag())) {
        throw ParameterError("epsilon", "ground impedance out of ITM's range: check epsilon and sigma");
    }
}

// Line-of-sight region: a curve A0 + k1 d + k2 ln d through the diffraction line at d_sML and
// two-ray values at d0 and d1 [ERL 79-ITS 67, Eqns 3.16-3.21].
double line_of_sight_region_db(double d_m, const Geometry& g, double m_d, double a_d0, double d_sml_m, double d_ml_m) {
    const double a_sml = d_sml_m * m_d + a_d0;
    double d0 = 0.04 * g.freq_mhz * g.h_e_m[0] * g.h_e_m[1];
    double d1 = 0.0;
    if (a_d0 >= 0.0) {
        d0 = std::min(d0, 0.5 * d_ml_m);
        d1 = d0 + 0.25 * (d_ml_m - d0);
    } else {
        d1 = std::max(-a_d0 / m_d, 0.25 * d_ml_m);
    }
    const double a1 = line_of_sight_db(d1, g, m_d, a_d0, d_sml_m);
    bool fitted = false;
    double k1 = 0.0;
    double k2 = 0.0;
    if (d0 < d1) {
        const double a0 = line_of_sight_db(d0, g, m_d, a_d0, d_sml_m);
        const double q = std::log(d_sml_m / d0);
        k2 = std::max(0.0, ((d_sml_m - d0) * (a1 - a0) - (d1 - d0) * (a_sml - a0)) /
                               ((d_sml_m - d0) * std::log(d1 / d0) - (d1 - d0) * q));
        fitted = a_d0 > 0.0 || k2 > 0.0;
        if (fitted) {
            k1 = (a_sml - a0 - k2 * q) / (d_sml_m - d0);
            if (k1 < 0.0) {
                k1 = 0.0;
                k2 = positive_difference(a_sml, a0) / q;
                if (k2 == 0.0) {
                    k1 = m_d;
                }
            }
        }
    }
    if (!fitted) {
        k1 = positive_difference(a_sml, a1) / (d_sml_m - d1);
        k2 = 0.0;
        if (k1 == 0.0) {
            k1 = m_d;
        }
    }
    const double a_o = a_sml - k1 * d_sml_m - k2 * std::log(d_sml_m);
    return a_o + k1 * d_m + k2 * std::log(d_m);
}

} // namespace

Reference longley_rice(double d_m, const Geometry& g, unsigned& warnings) {
    const double a_e = g.a_e_m;
    const double d_hzn_s[2] = {std::sqrt(2.0 * g.h_e_m[0] * a_e), std::sqrt(2.0 * g.h_e_m[1] * a_e)};
    const double d_sml = d_hzn_s[0] + d_hzn_s[1]; // smooth-earth line-of-sight distance
    const double d_ml = g.d_hzn_m[0] + g.d_hzn_m[1];
    const double theta_los = -std::max(g.theta_hzn_rad[0] + g.theta_hzn_rad[1], -d_ml / a_e);

    flag_geometry_warnings(g, d_hzn_s, warnings);
    check_environment(g, warnings);

    // The diffraction line through two distances far into the diffraction region.
    const double scale = std::pow(a_e * a_e / g.freq_mhz, 1.0 / 3.0);
    const double d3 = std::max(d_sml, d_ml + 5.0 * scale);
    const double d4 = d3 + 10.0 * scale;
    const double a3 = diffraction_db(d3, g, theta_los, d_sml);
    const double a4 = diffraction_db(d4, g, theta_los, d_sml);
    const double m_d = (a4 - a3) / (d4 - d3);
    const double a_d0 = a3 - m_d * d3;

    if (d_m < std::abs(g.h_e_m[0] - g.h_e_m[1]) / 200e-3) warnings |= warning::path_distance_too_small_1;
    if (d_m < 1e3) warnings |= warning::path_distance_too_small_2;
    if (d_m > 1000e3) warnings |= warning::path_distance_too_big_1;
    if (d_m > 2000e3) warnings |= warning::path_distance_too_big_2;

    Reference ref;
    if (d_m < d_sml) {
        ref.a_ref_db = line_of_sight_region_db(d_m, g, m_d, a_d0, d_sml, d_ml);
        ref.mode = PropagationMode::line_of_sight;
    } else {
        // Troposcatter line through d5 and d6; d6 first so that its H0 can replace a large one at d5.
        const double d5 = d_ml + 200e3;
        const double d6 = d_ml + 400e3;
        double h0 = -1.0;
        const double a6 = troposcatter_db(d6, g, theta_los, h0);
        const double a5 = troposcatter_db(d5, g, theta_los, h0);
        double m_s = m_d;
        double a_s0 = a_d0;
        double d_x = 10e6;
        if (a5 < 1000.0) {
            m_s = (a6 - a5) / 200e3;
            d_x = std::max(std::max(d_sml, d_ml + 1.088 * scale * std::log(g.freq_mhz)),
                           (a5 - a_d0 - m_s * d5) / (m_d - m_s));
            a_s0 = (m_d - m_s) * d_x + a_d0;
        }
        if (d_m > d_x) {
            ref.a_ref_db = m_s * d_m + a_s0;
            ref.mode = PropagationMode::troposcatter;
        } else {
            ref.a_ref_db = m_d * d_m + a_d0;
            ref.mode = PropagationMode::diffraction;
        }
    }
    ref.a_ref_db = std::max(ref.a_ref_db, 0.0);
    return ref;
}

} // namespace deadzone::model::itm::detail
