// overlay/line_of_sight: per village, the share of its area in line of sight of at least one
// cell in service — of any operator, and of each operator — from the line-of-sight shapes that
// terrain footprints carry (model::Footprint::line_of_sight). Terrain-blind footprints carry
// none: then there is no answer (has_terrain false) and the layers leave los_fraction out.
#pragma once

#include <deadzone/core/date.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/model/footprint.hpp>

#include <map>
#include <string>
#include <vector>

namespace deadzone::overlay {

struct LineOfSight {
    bool has_terrain = false;  // some footprint has a line-of-sight shape
    std::vector<double> any;   // parallel to the villages: all operators together
    std::vector<std::map<std::string, double>> by_operator; // operators with a cell in sight only
};

/// Area shares (equal-area, 0..1); cells in service at `as_of` only. Runs on `threads` threads
/// (0 = all cores); the result does not depend on it.
LineOfSight line_of_sight_fractions(const std::vector<Village>& villages, const std::vector<Cell>& cells,
                                    const std::vector<model::Footprint>& footprints, Date as_of, int threads = 0);

} // namespace deadzone::overlay
