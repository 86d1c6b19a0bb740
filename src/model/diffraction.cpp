// Knife-edge diffraction over a profile, ITU-R P.526: J(ν) (eq. 31), Bullington's single
// equivalent edge (P.526-15 §4.5.1, applied to the actual profile) and P.526's Deygout method
// limited to three edges (the main edge, then the strongest edge on each side of it, each measured
// against the ray from the main edge's tip), with its empirical correction (see deygout below).
#include <deadzone/model/diffraction.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

namespace deadzone::model {

namespace {

constexpr double earth_radius_m = 6371e3;
constexpr double speed_of_light_m_s = 299792458.0;

struct Path {
    const double* z; // ground elevations, z[0..n]
    double spacing_m;
    double a_e_m;
    double lambda_m;
    double y_tx; // antenna heights above sea level
    double y_rx;
};

// Height of point i above the straight ray between points a and b (heights ya, yb), with the
// earth bulge of that sub-path, and the ν of a knife edge there [P.526 eqs. 26, 30].
double nu_at(const Path& p, int a, double ya, int b, double yb, int i) {
    const double d1 = (i - a) * p.spacing_m;
    const double d2 = (b - i) * p.spacing_m;
    const double d = d1 + d2;
    const double bulge = d1 * d2 / (2.0 * p.a_e_m);
    const double h = p.z[i] + bulge - (ya * d2 + yb * d1) / d;
    return h * std::sqrt(2.0 * d / (p.lambda_m * d1 * d2));
}

// The interior point of (a, b) with the largest ν; index -1 when there is none.
DiffractionEdge strongest_edge(const Path& p, int a, double ya, int b, double yb) {
    DiffractionEdge best{-1, -std::numeric_limits<double>::infinity()};
    for (int i = a + 1; i < b; ++i) {
        const double nu = nu_at(p, a, ya, b, yb, i);
        if (nu > best.nu) {
            best = DiffractionEdge{i, nu};
        }
    }
    return best;
}

DiffractionResult bullington(const Path& p, int n) {
    const double d = n * p.spacing_m;
    double s_tim = -std::numeric_limits<double>::infinity();
    double s_rim = -std::numeric_limits<double>::infinity();
    for (int i = 1; i < n; ++i) {
        const double di = i * p.spacing_m;
        const double y = p.z[i] + di * (d - di) / (2.0 * p.a_e_m);
        s_tim = std::max(s_tim, (y - p.y_tx) / di);       // steepest slope seen from the tx
        s_rim = std::max(s_rim, (y - p.y_rx) / (d - di)); // and from the rx
    }
    const double s_tr = (p.y_rx - p.y_tx) / d;
    DiffractionResult r;
    if (n < 2) {
        return r;
    }
    if (s_tim < s_tr) {
        // Line of sight: the most obstructing point's ν still counts (sub-path clearance).
        r.nu = strongest_edge(p, 0, p.y_tx, n, p.y_rx).nu;
    } else {
        // The two steepest rays cross at the equivalent edge, at distance d_b from the tx.
        const double d_b = (p.y_rx - p.y_tx + s_rim * d) / (s_tim + s_rim);
        const double h_b = p.y_tx + s_tim * d_b - (p.y_tx * (d - d_b) + p.y_rx * d_b) / d;
        r.nu = h_b * std::sqrt(2.0 * d / (p.lambda_m * d_b * (d - d_b)));
    }
    r.loss_db = knife_edge_loss_db(r.nu);
    return r;
}

// P.526's Deygout method limited to three edges: the main edge p (largest ν over the path), then
// the largest-ν point t between the tx and p and r between p and the rx, each against the ray from
// the main edge's tip; L = J(νp) + T·[J(νt) + J(νr) + C], T = 1 − exp(−J(νp)/6), C = 10 + 0.04·D
// (D the path length in km): the empirical correction for terrain, whose rounded obstacles lose
// more than knife edges. Nothing is added when the main edge does not diffract (νp ≤ −0.78: T = 0).
// `record`: list the edges in the result (the radial path only wants the loss: no allocation).
DiffractionResult deygout(const Path& p, int n, bool record) {
    DiffractionResult r;
    const DiffractionEdge main = strongest_edge(p, 0, p.y_tx, n, p.y_rx);
    if (main.index < 0) {
        return r;
    }
    r.nu = main.nu;
    if (record) r.edges.push_back(main);
    const double main_db = knife_edge_loss_db(main.nu);
    r.loss_db = main_db;
    if (main.nu <= -0.78) {
        return r; // nothing obstructs enough to diffract: no secondary edges, no correction
    }
    double secondary_db = 0.0;
    const double y_p = p.z[main.index];
    for (const auto& [a, ya, b, yb] : {std::tuple{0, p.y_tx, main.index, y_p}, std::tuple{main.index, y_p, n, p.y_rx}}) {
        const DiffractionEdge e = strongest_edge(p, a, ya, b, yb);
        if (e.index >= 0 && e.nu > -0.78) {
            if (record) r.edges.push_back(e);
            secondary_db += knife_edge_loss_db(e.nu);
        }
    }
    const double d_km = n * p.spacing_m / 1000.0;
    const double t = 1.0 - std::exp(-main_db / 6.0);
    r.loss_db = main_db + t * (secondary_db + 10.0 + 0.04 * d_km);
    return r;
}

} // namespace

DiffractionMethod parse_diffraction_method(std::string_view name) {
    if (name == "bullington") return DiffractionMethod::bullington;
    if (name == "deygout") return DiffractionMethod::deygout;
    throw std::invalid_argument(fmt::format("diffraction method '{}' is not one of: bullington, deygout", name));
}

const char* to_string(DiffractionMethod method) noexcept {
    return method == DiffractionMethod::deygout ? "deygout" : "bullington";
}

double knife_edge_loss_db(double nu) {
    if (nu <= -0.78) {
        return 0.0;
    }
    const double x = nu - 0.1;
    return 6.9 + 20.0 * std::log10(std::sqrt(x * x + 1.0) + x);
}

DiffractionResult diffraction_loss(const ItmProfile& profile, const DiffractionQuery& q) {
    return diffraction_loss(profile.elevations_m.data(), profile.intervals(), profile.spacing_m, q, true);
}

DiffractionResult diffraction_loss(const double* z, int n, double spacing_m, const DiffractionQuery& q, bool edges) {
    if (n < 1 || !(spacing_m > 0.0)) {
        throw std::invalid_argument("diffraction needs a profile of at least one interval with positive spacing");
    }
    if (!(q.freq_mhz > 0.0) || !(q.k_factor > 0.0)) {
        throw std::invalid_argument("diffraction needs a positive frequency and k-factor");
    }
    const Path p{z,
                 spacing_m,
                 q.k_factor * earth_radius_m,
                 speed_of_light_m_s / (q.freq_mhz * 1e6),
                 z[0] + q.tx_height_m,
                 z[n] + q.rx_height_m};
    return q.method == DiffractionMethod::deygout ? deygout(p, n, edges) : bullington(p, n);
}

} // namespace deadzone::model
