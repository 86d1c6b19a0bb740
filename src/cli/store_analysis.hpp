// What `report` and `export` share: the store's state at --known-at, run through the pipeline
// as of --as-of.
#pragma once

#include "command.hpp"

#include <deadzone/analysis.hpp>
#include <deadzone/store/store.hpp>

#include <string>

namespace deadzone::cli {

struct StoreAnalysis {
    Analysis analysis;
    store::Upload known_at;
};

/// `known_at` empty = the latest upload.
StoreAnalysis analyze_store(const std::string& store_path, Date as_of, const std::string& known_at,
                            const Context& context);

/// "known at upload #5 (2022-07-01T08:30:12.345Z: stations VTL, replace, by alice)".
std::string describe_known_at(const store::Upload& upload);

} // namespace deadzone::cli
