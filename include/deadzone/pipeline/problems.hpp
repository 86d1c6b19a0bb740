// pipeline/problems: the one JSON form of a Problem (file, layer, row, fid, field, code,
// message) that `check --json`, the HTTP service and every --json error use.
#pragma once

#include <deadzone/core/error.hpp>

#include <nlohmann/json.hpp>

#include <vector>

namespace deadzone::pipeline {

/// {"severity", "file", "layer", "row", "fid", "field", "code", "message"}; absent parts null.
nlohmann::ordered_json problem_json(const Problem& problem);
nlohmann::ordered_json problems_json(const std::vector<Problem>& problems);

} // namespace deadzone::pipeline
