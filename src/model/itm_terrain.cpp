// ITM terrain analysis: horizons, the least-squares terrain line, Δh and effective heights.
// The arithmetic follows NTIA's ITM step by step (including its index truncations) because the
// least-squares fit and Δh are sensitive to which samples enter them: a "cleaner" resampling
// would move results by tenths of a dB against the reference cases.
#include <deadzone/model/itm.hpp>

#include "itm_fast.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace deadzone::model::itm::detail {

namespace {

// fdim: positive difference, as ITM uses it to clamp indices and heights at zero.
double positive_part(double a, double b) { return a > b ? a - b : 0.0; }

double horizon_distance_m(double h_e_m, double a_e_m, double delta_h_m) {
    // Smooth-earth horizon shortened by terrain irregularity [Algorithm, Eqn 3.3 form].
    return std::sqrt(2.0 * h_e_m * a_e_m) * std::exp(-0.07 * std::sqrt(delta_h_m / std::max(h_e_m, 5.0)));
}

} // namespace

Horizons find_horizons(const ItmProfile& profile, double a_e_m, double tx_height_m, double rx_height_m) {
    const int np = profile.intervals();
    const double xi = profile.spacing_m;
    const auto& z = profile.elevations_m;
    const double d_m = profile.distance_m();
    const double z_tx = z[0] + tx_height_m;
    const double z_rx = z[np] + rx_height_m;

    // Start from the line-of-sight angles between the two antennas; any terrain point seen
    // above them becomes the horizon.
    Horizons h;
    h.theta_rad[0] = (z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m);
    h.theta_rad[1] = -(z_rx - z_tx) / d_m - d_m / (2.0 * a_e_m);
    h.distance_m[0] = d_m;
    h.distance_m[1] = d_m;

    double d_tx = 0.0;
    double d_rx = d_m;
    for (int i = 1; i < np; ++i) {
        // Running sums (not i * xi) reproduce ITM's distances bit for bit.
        d_tx += xi;
        d_rx -= xi;
        const double theta_tx = (z[i] - z_tx) / d_tx - d_tx / (2.0 * a_e_m);
        const double theta_rx = -(z_rx - z[i]) / d_rx - d_rx / (2.0 * a_e_m);
        if (theta_tx > h.theta_rad[0]) {
            h.theta_rad[0] = theta_tx;
            h.distance_m[0] = d_tx;
        }
        if (theta_rx > h.theta_rad[1]) {
            h.theta_rad[1] = theta_rx;
            h.distance_m[1] = d_rx;
        }
    }
    return h;
}

LineFit least_squares_fit(const double* z, int np, double spacing_m, double d_start_m, double d_end_m) {
    int i_start = static_cast<int>(positive_part(d_start_m / spacing_m, 0.0));
    int i_end = np - static_cast<int>(positive_part(np, d_end_m / spacing_m));
    if (i_end <= i_start) {
        i_start = static_cast<int>(positive_part(i_start, 1.0));
        i_end = np - static_cast<int>(positive_part(np, i_end + 1.0));
    }
    const double n = i_end - i_start;
    // Index measured from the middle of the fitted stretch; end points carry half weight
    // (trapezoidal sums), as in ITM's zlsq1.
    double x = -0.5 * n;
    const double x_end = i_end + x;
    double sum = 0.5 * (z[i_start] + z[i_end]);
    double moment = 0.5 * (z[i_start] - z[i_end]) * x;
    int i = i_start;
    for (int k = 2; k <= n; ++k) {
        ++i;
        x += 1.0;
        sum += z[i];
        moment += z[i] * x;
    }
    const double mean = sum / n;
    const double slope = moment * 12.0 / ((n * n + 2.0) * n);
    return LineFit{mean - slope * x_end, mean + slope * (np - x_end)};
}

double delta_h(const ItmProfile& profile, double d_start_m, double d_end_m) {
    return delta_h(profile.elevations_m.data(), profile.intervals(), profile.spacing_m, d_start_m, d_end_m);
}

double delta_h(const double* z, int np, double spacing_m, double d_start_m, double d_end_m) {
    double x_start = d_start_m / spacing_m;
    double x_end = d_end_m / spacing_m;
    if (x_end - x_start < 2.0) {
        return 0.0;
    }
    // Resample the stretch at n equally spaced points (n between 35 and 245), as ITM does.
    const int p10 = std::min(std::max(4, static_cast<int>(0.1 * (x_end - x_start + 8.0))), 25);
    const int n = 10 * p10 - 5;
    const int p90 = n - p10;
    const double intervals_s = n - 1;
    std::array<double, 245> s{};

    const double step = (x_end - x_start) / intervals_s;
    int i = static_cast<int>(x_start);
    x_start -= static_cast<float>(i + 1.0); // ITM subtracts a float here; kept for identical results
    for (int j = 0; j < n; ++j) {
        while (x_start > 0.0 && (i + 1) < np) {
            x_start -= 1.0;
            ++i;
        }
        s[j] = z[i + 1] + (z[i + 1] - z[i]) * x_start;
        x_start += step;
    }

    const LineFit fit = least_squares_fit(s.data(), n - 1, 1.0, 0.0, intervals_s);
    const double rise = (fit.end_m - fit.start_m) / intervals_s;
    std::array<double, 245> diffs{};
    double line = fit.start_m;
    for (int j = 0; j < n; ++j) {
        diffs[j] = s[j] - line;
        line += rise;
    }
    // q10: the p10-th largest deviation; q90: the (p90+1)-th largest.
    auto* begin = diffs.data();
    auto* end = diffs.data() + n;
    std::nth_element(begin, begin + p10 - 1, end, std::greater<double>());
    const double q10 = diffs[p10 - 1];
    std::nth_element(begin, begin + p90, end, std::greater<double>());
    const double q90 = diffs[p90];
    // Interdecile over this path length, converted to Δh of an infinite path [ERL 79-ITS 67, Eqn 3].
    return (q10 - q90) / (1.0 - 0.8 * std::exp(-(d_end_m - d_start_m) / 50e3));
}

TerrainAnalysis analyse_terrain(const ItmProfile& profile, double gamma_e, double tx_height_m, double rx_height_m) {
    const double a_e_m = 1.0 / gamma_e;
    const Horizons hz = find_horizons(profile, a_e_m, tx_height_m, rx_height_m);
    return analyse_terrain(profile.elevations_m.data(), profile.intervals(), profile.spacing_m, a_e_m, tx_height_m,
                           rx_height_m, hz);
}

TerrainAnalysis analyse_terrain(const double* z, int np, double spacing_m, double a_e_m, double tx_height_m,
                                double rx_height_m, const Horizons& hz) {
    return analyse_terrain_with(z, np, spacing_m, a_e_m, tx_height_m, rx_height_m, hz, nullptr);
}

TerrainAnalysis analyse_terrain_with(const double* z, int np, double spacing_m, double a_e_m, double tx_height_m,
                                     double rx_height_m, const Horizons& hz, DeltaH delta_h_of) {
    const double h[2] = {tx_height_m, rx_height_m};

    TerrainAnalysis t;
    t.distance_m = np * spacing_m; // as ItmProfile::distance_m()
    for (int k = 0; k < 2; ++k) {
        t.theta_hzn_rad[k] = hz.theta_rad[k];
        t.d_hzn_m[k] = hz.distance_m[k];
    }

    // Terrain next to each antenna is left out: the lesser of 15 antenna heights and a tenth of
    // the horizon distance [Hufford 1982, p. 25].
    const double d_start = std::min(15.0 * h[0], 0.1 * t.d_hzn_m[0]);
    const double d_end = t.distance_m - std::min(15.0 * h[1], 0.1 * t.d_hzn_m[1]);
    t.delta_h_m = delta_h_of ? delta_h_of(z, np, spacing_m, d_start, d_end) : delta_h(z, np, spacing_m, d_start, d_end);

    if (t.d_hzn_m[0] + t.d_hzn_m[1] > 1.5 * t.distance_m) {
        // Well inside line of sight: effective heights over one fitted line, and horizons from
        // the smooth-earth formulas rather than from the profile.
        const LineFit fit = least_squares_fit(z, np, spacing_m, d_start, d_end);
        t.h_e_m[0] = h[0] + positive_part(z[0], fit.start_m);
        t.h_e_m[1] = h[1] + positive_part(z[np], fit.end_m);
        for (int k = 0; k < 2; ++k) {
            t.d_hzn_m[k] = horizon_distance_m(t.h_e_m[k], a_e_m, t.delta_h_m);
        }
        const double combined = t.d_hzn_m[0] + t.d_hzn_m[1];
        if (combined <= t.distance_m) {
            const double q = std::pow(t.distance_m / combined, 2);
            for (int k = 0; k < 2; ++k) {
                t.h_e_m[k] *= q;
                t.d_hzn_m[k] = horizon_distance_m(t.h_e_m[k], a_e_m, t.delta_h_m);
            }
        }
        for (int k = 0; k < 2; ++k) {
            const double q = std::sqrt(2.0 * t.h_e_m[k] * a_e_m);
            t.theta_hzn_rad[k] = (0.65 * t.delta_h_m * (q / t.d_hzn_m[k] - 1.0) - 2.0 * t.h_e_m[k]) / q;
        }
    } else {
        // Beyond the horizon: each terminal's effective height over the terrain between it and
        // 90 % of the way to its horizon.
        const LineFit tx_fit = least_squares_fit(z, np, spacing_m, d_start, 0.9 * t.d_hzn_m[0]);
        t.h_e_m[0] = h[0] + positive_part(z[0], tx_fit.start_m);
        const LineFit rx_fit =
            least_squares_fit(z, np, spacing_m, t.distance_m - 0.9 * t.d_hzn_m[1], d_end);
        t.h_e_m[1] = h[1] + positive_part(z[np], rx_fit.end_m);
    }
    return t;
}

} // namespace deadzone::model::itm::detail
