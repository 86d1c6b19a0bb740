// Internal to the model stage: the pieces of itm::RadialPath that itm.hpp does not expose (that
// header reaches every stage through campaign.hpp, so additions here rebuild less).
#pragma once

#include <deadzone/model/itm.hpp>

namespace deadzone::model::itm::detail {

/// A Δh computation over elevations z[0..intervals] (delta_h, or delta_h_fast).
using DeltaH = double (*)(const double* elevations_m, int intervals, double spacing_m, double d_start_m,
                          double d_end_m);

/// analyse_terrain over elevations z[0..intervals] (no copy) with the horizons already found and
/// Δh by `delta_h_of`.
TerrainAnalysis analyse_terrain_with(const double* elevations_m, int intervals, double spacing_m, double a_e_m,
                                     double tx_height_m, double rx_height_m, const Horizons& horizons,
                                     DeltaH delta_h_of);

/// Δh as delta_h computes it, bit for bit, in O(245) rather than O(intervals): the resampling
/// walk jumps whole samples at once (exact: subtracting an integer from a double at least as
/// large, below 2^53, is exact) and the second decile is selected among what the first left.
double delta_h_fast(const double* elevations_m, int intervals, double spacing_m, double d_start_m,
                    double d_end_m);

/// The k-th largest and the k-th smallest of values[0..n) (1 <= k <= n), as sorting would give.
void kth_from_both_ends(const double* values, int n, int k, double& kth_largest, double& kth_smallest);

} // namespace deadzone::model::itm::detail
