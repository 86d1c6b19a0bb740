// model internals: every supported path-loss model is a straight line in log10(distance),
// L(d) = intercept + slope * log10(d_km), which gives the closed-form inverse and footprint radii.
#pragma once

#include <deadzone/model/pathloss.hpp>

namespace deadzone::model::detail {

struct LossLine {
    double intercept_db = 0; // loss at 1 km
    double slope_db = 0;     // dB per decade of distance
};

/// The line of `model` (resolved) for the query's frequency, heights, environment and city;
/// throws std::invalid_argument for non-positive frequency or heights.
LossLine loss_line(PropagationModel model, const PathLossQuery& query);

} // namespace deadzone::model::detail
