// pipeline/footprint_cache: footprints kept between analyses of the same campaign. A footprint
// depends only on its cell's position and radio values, the campaign's model and the DEM —
// not on the as-of date, nor on the other cells — so a long-running caller (the HTTP service:
// every as-of date of the dashboard's slider and every upload is a new analysis) computes each
// footprint once. With terrain this is most of an analysis's time.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/core/progress.hpp>
#include <deadzone/model/footprint.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace deadzone::pipeline {

class FootprintCache {
public:
    struct Stats {
        std::uint64_t hits = 0;     // footprints taken from the cache
        std::uint64_t computed = 0; // footprints the model computed
    };

    /// The footprints of `cells` in cell order (Footprint::cell = index), as
    /// model::build_footprints makes them: the cells found under (campaign_key, the cell's
    /// position and radio values) are copied, only the others are computed (in parallel, by
    /// `factory`). `campaign_key` must change whenever the model could: the caller's identity of
    /// the campaign settings (the store's campaign digest); the DEM's path, size and modification
    /// time are added here. Thread-safe; two callers may compute the same cell at once (the
    /// result is the same). Entries not used by the latest call are dropped once the cache holds
    /// more than twice that call's cells.
    std::vector<model::Footprint> build(const std::vector<Cell>& cells, const Campaign& campaign,
                                        const std::string& campaign_key, const model::FootprintModelFactory& factory,
                                        const model::FootprintOptions& options, const Progress& progress = {});

    Stats stats() const;
    std::size_t size() const;

private:
    struct Entry {
        std::shared_ptr<const model::Footprint> footprint;
        std::uint64_t used = 0; // the call that last used it
    };
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_entries;
    std::uint64_t m_calls = 0;
    Stats m_stats;
};

/// The cache key of one cell under a campaign key: every value its footprint depends on
/// (position and the radio values after the campaign's defaults), bit-exact.
std::string footprint_key(const std::string& campaign_key, const Cell& cell, const model::RadioParams& radio);

} // namespace deadzone::pipeline
