// ITM along a radial (itm.hpp, RadialPath): point_to_point() over every prefix of one profile,
// bit for bit, without the per-point copies and with the receiver-independent work done once.
//
// What is incremental, and exact: the transmitter-side slope (z[i] - z_tx) / d_tx of every sample
// (the same operations on the same operands as find_horizons, so the same bits), the distances
// d_tx (ITM's running sum), and the path's mean height h_sys (a running sum in index order,
// restarted when the trimmed window's start moves: every 10 points).
//
// What is recomputed per point, in O(i), and why it cannot be made incremental exactly:
//  - the effective earth radius a_e depends on h_sys, hence on the receiver's position, so the
//    transmitter horizon (the arg max of slope_i - d_i / 2a_e) can change for every point: a
//    running maximum would pick the wrong sample whenever a_e moves the optimum;
//  - the receiver horizon is seen from the receiver, whose position and height change every point;
//    ITM computes its distances by a running subtraction from the path length, so every sample's
//    angle is new;
//  - Δh resamples the stretch between 15 antenna heights (or a tenth of the horizon distances)
//    from each end to a fixed count of points (35-245), then takes deciles about a least-squares
//    line; the window and the resampling grid move with the horizons, and a decile is an order
//    statistic, not a sum. Running sums would also change the summation order, and ITM's fit is
//    known to amplify 1e-9 differences into dB.
// Those loops are tight and allocation-free. Δh itself is computed by delta_h_fast: the same
// result in O(245) instead of O(i) (the resampling walk jumps whole samples exactly, and both
// second decile is selected among what the first left) — tests compare it with delta_h bit for bit.
#include <deadzone/model/itm.hpp>

#include "itm_fast.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <vector>

namespace deadzone::model::itm {

namespace detail {

void kth_from_both_ends(const double* v, int n, int k, double& kth_largest, double& kth_smallest) {
    if (k < 1 || k > n) throw std::out_of_range("kth_from_both_ends: k must be 1..n");
    constexpr int capacity = 256;
    std::array<double, capacity> local;
    std::vector<double> heap;
    double* a = local.data();
    if (n > capacity) {
        heap.assign(v, v + n);
        a = heap.data();
    } else {
        std::copy(v, v + n, a);
    }
    // The k largest to the front; the k-th smallest is then among the rest when 2k <= n.
    std::nth_element(a, a + (k - 1), a + n, std::greater<double>());
    kth_largest = a[k - 1];
    if (2 * k <= n) {
        // The rest (n - k >= k values) are all <= every value in front: the k-th smallest of the
        // whole is the k-th smallest of the rest.
        std::nth_element(a + k, a + k + (k - 1), a + n);
        kth_smallest = a[k + (k - 1)];
    } else {
        std::nth_element(a, a + (k - 1), a + n);
        kth_smallest = a[k - 1];
    }
}

double delta_h_fast(const double* z, int np, double spacing_m, double d_start_m, double d_end_m) {
    // The same statements as delta_h (itm_terrain.cpp) except the two marked steps.
    double x_start = d_start_m / spacing_m;
    double x_end = d_end_m / spacing_m;
    if (x_end - x_start < 2.0) {
        return 0.0;
    }
    const int p10 = std::min(std::max(4, static_cast<int>(0.1 * (x_end - x_start + 8.0))), 25);
    const int n = 10 * p10 - 5;
    const double intervals_s = n - 1;
    std::array<double, 245> s;

    const double step = (x_end - x_start) / intervals_s;
    int i = static_cast<int>(x_start);
    x_start -= static_cast<float>(i + 1.0);
    for (int j = 0; j < n; ++j) {
        // (1) delta_h steps one sample at a time while x_start > 0 and i + 1 < np, subtracting 1.
        // While x_start >= 1 each subtraction is exact, so floor(x_start) of them are one exact
        // subtraction; only the last step from (0, 1) rounds, and it is done as delta_h does it.
        if (x_start > 0.0) {
            const int allowed = np - 1 - i;
            const double whole = std::floor(x_start);
            if (allowed <= whole) {
                x_start -= allowed;
                i += allowed;
            } else {
                x_start -= whole;
                i += static_cast<int>(whole);
                if (x_start > 0.0) {
                    x_start -= 1.0;
                    ++i;
                }
            }
        }
        s[static_cast<std::size_t>(j)] = z[i + 1] + (z[i + 1] - z[i]) * x_start;
        x_start += step;
    }

    const LineFit fit = least_squares_fit(s.data(), n - 1, 1.0, 0.0, intervals_s);
    const double rise = (fit.end_m - fit.start_m) / intervals_s;
    std::array<double, 245> diffs;
    double line = fit.start_m;
    for (int j = 0; j < n; ++j) {
        diffs[static_cast<std::size_t>(j)] = s[static_cast<std::size_t>(j)] - line;
        line += rise;
    }
    // (2) q10 is the p10-th largest deviation; q90, the (p90 + 1)-th largest with p90 = n - p10,
    // is the p10-th smallest, selected among the values the first selection left behind.
    double q10 = 0.0;
    double q90 = 0.0;
    kth_from_both_ends(diffs.data(), n, p10, q10, q90);
    return (q10 - q90) / (1.0 - 0.8 * std::exp(-(d_end_m - d_start_m) / 50e3));
}

} // namespace detail

// The path reads the profile in place: the profile must outlive it (the footprint and the
// models keep both within one radial's scope).
RadialPath::RadialPath(const ItmProfile& profile, const Parameters& parameters)
    : m_z(profile.elevations_m.data()), m_np(profile.intervals()), m_spacing_m(profile.spacing_m),
      m_parameters(parameters) {
    m_warnings = detail::validate_parameters(parameters);
    if (!(std::isfinite(m_spacing_m) && m_spacing_m > 0.0)) {
        throw ParameterError("profile", "the profile spacing must be positive");
    }
    m_first_bad = m_np + 1;
    for (int i = 0; i <= m_np; ++i) {
        if (!std::isfinite(m_z[i])) {
            m_first_bad = i;
            break;
        }
    }
    m_z_g = detail::ground_impedance(parameters);
    const auto n = static_cast<std::size_t>(std::max(m_np, 0) + 1);
    m_d_tx.assign(n, 0.0);
    m_slope_tx.assign(n, 0.0);
    if (m_first_bad == 0) return;
    const double z_tx = m_z[0] + parameters.tx_height_m;
    double d_tx = 0.0;
    for (int i = 1; i <= m_np && i < m_first_bad; ++i) {
        d_tx += m_spacing_m; // the running sum find_horizons uses
        m_d_tx[static_cast<std::size_t>(i)] = d_tx;
        m_slope_tx[static_cast<std::size_t>(i)] = (m_z[i] - z_tx) / d_tx;
    }
}

Result RadialPath::at(int np) {
    if (np < 2 || np > m_np) {
        throw std::out_of_range("RadialPath::at: the point must be 2 .. the profile's intervals");
    }
    if (np >= m_first_bad) {
        throw ParameterError("profile", "the profile has a non-finite elevation");
    }
    const double* z = m_z;

    // h_sys over z[p10 .. np - p10], summed in index order as point_to_point does.
    const int p10 = static_cast<int>(0.1 * np);
    const int to = np - p10;
    if (p10 != m_sum_from || to < m_sum_to) {
        m_sum_from = p10;
        m_sum_to = p10 - 1;
        m_sum = 0.0;
    }
    while (m_sum_to < to) m_sum += z[++m_sum_to];
    const double h_sys = m_sum / (np - 2 * p10 + 1);

    const double n_s = detail::surface_refractivity(m_parameters.n0, h_sys);
    const double gamma_e = detail::earth_curvature(n_s);
    const double a_e_m = 1.0 / gamma_e;

    // find_horizons, with the transmitter's slopes and distances taken from the tables.
    const double d_m = np * m_spacing_m;
    const double z_tx = z[0] + m_parameters.tx_height_m;
    const double z_rx = z[np] + m_parameters.rx_height_m;
    const double two_a = 2.0 * a_e_m;
    detail::Horizons hz;
    hz.theta_rad[0] = (z_rx - z_tx) / d_m - d_m / two_a;
    hz.theta_rad[1] = -(z_rx - z_tx) / d_m - d_m / two_a;
    hz.distance_m[0] = d_m;
    hz.distance_m[1] = d_m;
    const double* d_tx = m_d_tx.data();
    const double* slope = m_slope_tx.data();
    double d_rx = d_m;
    for (int i = 1; i < np; ++i) {
        d_rx -= m_spacing_m;
        const double theta_tx = slope[i] - d_tx[i] / two_a;
        const double theta_rx = -(z_rx - z[i]) / d_rx - d_rx / two_a;
        if (theta_tx > hz.theta_rad[0]) {
            hz.theta_rad[0] = theta_tx;
            hz.distance_m[0] = d_tx[i];
        }
        if (theta_rx > hz.theta_rad[1]) {
            hz.theta_rad[1] = theta_rx;
            hz.distance_m[1] = d_rx;
        }
    }

    const auto t = detail::analyse_terrain_with(z, np, m_spacing_m, a_e_m, m_parameters.tx_height_m,
                                                m_parameters.rx_height_m, hz, &detail::delta_h_fast);
    return detail::predict(t, m_parameters, n_s, a_e_m, m_z_g, m_warnings);
}

} // namespace deadzone::model::itm
