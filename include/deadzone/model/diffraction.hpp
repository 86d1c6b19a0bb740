// model/diffraction: knife-edge diffraction over a terrain profile after ITU-R P.526 —
// the single-edge loss J(ν), Bullington's equivalent edge and Deygout's construction (≤ 3 edges).
#pragma once

#include <deadzone/model/itm.hpp>
#include <deadzone/model/parameters.hpp>

#include <string_view>
#include <vector>

namespace deadzone::model {

// DiffractionMethod (bullington, deygout): model/parameters.hpp.

/// "bullington" or "deygout"; throws std::invalid_argument naming the accepted values.
DiffractionMethod parse_diffraction_method(std::string_view name);
const char* to_string(DiffractionMethod method) noexcept;

/// J(ν) in dB, ITU-R P.526 eq. 31: 6.9 + 20 log10(√((ν−0.1)²+1) + ν − 0.1) for ν > −0.78, else 0.
double knife_edge_loss_db(double nu);

struct DiffractionEdge {
    int index = 0;    // profile point
    double nu = 0.0;  // Fresnel-Kirchhoff parameter of the edge in its sub-path
};

struct DiffractionResult {
    double loss_db = 0.0;
    std::vector<DiffractionEdge> edges; // Bullington: none (its edge is virtual); Deygout: main, tx side, rx side
    double nu = 0.0;                    // Bullington's ν_b (or ν_max on a line-of-sight path); Deygout's main ν
};

struct DiffractionQuery {
    double freq_mhz = 900.0;
    double tx_height_m = 30.0; // above ground at the profile's first point
    double rx_height_m = 1.5;  // above ground at the last point
    double k_factor = 4.0 / 3.0; // effective earth radius factor
    DiffractionMethod method = DiffractionMethod::bullington;
};

/// Diffraction loss (dB, ≥ 0) over the profile's intermediate points.
DiffractionResult diffraction_loss(const ItmProfile& profile, const DiffractionQuery& query);
/// The same over elevations z[0..intervals] (no copy); `edges` false leaves Deygout's edge list
/// empty (no allocation), the loss and ν are the same.
DiffractionResult diffraction_loss(const double* elevations_m, int intervals, double spacing_m,
                                   const DiffractionQuery& query, bool edges);

} // namespace deadzone::model
