// The footprint cache (pipeline/footprint_cache.hpp): keys written from the values' bits, so that
// two cells share a footprint only when every input of the model is the same double.
#include <deadzone/pipeline/footprint_cache.hpp>

#include <fmt/format.h>

#include <bit>
#include <filesystem>
#include <system_error>

namespace deadzone::pipeline {

namespace {

std::uint64_t bits(double value) {
    return std::bit_cast<std::uint64_t>(value);
}

std::string optional_bits(const std::optional<double>& value) {
    return value ? fmt::format("{:x}", bits(*value)) : std::string{"-"};
}

/// The DEM as the model will read it: its path, size and modification time (a DEM replaced in
/// place changes the key).
std::string dem_identity(const Campaign& campaign) {
    if (!campaign.terrain_dem) {
        return "no-dem";
    }
    std::error_code ec;
    const auto& dem = *campaign.terrain_dem;
    const auto size = std::filesystem::file_size(dem, ec);
    const auto size_text = ec ? std::string{"?"} : std::to_string(size);
    const auto time = std::filesystem::last_write_time(dem, ec);
    const auto time_text = ec ? std::string{"?"} : std::to_string(time.time_since_epoch().count());
    return fmt::format("{}|{}|{}", dem.string(), size_text, time_text);
}

} // namespace

std::string footprint_key(const std::string& campaign_key, const Cell& cell, const model::RadioParams& radio) {
    return fmt::format("{}|{:x},{:x}|{:x},{:x},{:x},{:x},{},{:x},{}", campaign_key, bits(cell.position.x()),
                       bits(cell.position.y()), bits(radio.freq_mhz), bits(radio.eirp_dbm), bits(radio.height_m),
                       bits(radio.beamwidth_deg), optional_bits(radio.azimuth_deg), bits(radio.threshold_dbm),
                       optional_bits(radio.range_m));
}

std::vector<model::Footprint> FootprintCache::build(const std::vector<Cell>& cells, const Campaign& campaign,
                                                    const std::string& campaign_key,
                                                    const model::FootprintModelFactory& factory,
                                                    const model::FootprintOptions& options, const Progress& progress) {
    const std::string key_prefix = campaign_key + "|" + dem_identity(campaign);
    std::vector<std::string> keys;
    keys.reserve(cells.size());
    for (const auto& cell : cells) {
        keys.push_back(footprint_key(key_prefix, cell, model::radio_params(cell, campaign)));
    }

    std::vector<model::Footprint> out(cells.size());
    std::vector<Cell> missing;
    std::vector<std::size_t> missing_at;
    {
        std::lock_guard lock{m_mutex};
        const auto call = ++m_calls;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const auto it = m_entries.find(keys[i]);
            if (it != m_entries.end()) {
                it->second.used = call;
                out[i] = *it->second.footprint;
                out[i].cell = i;
            } else {
                missing.push_back(cells[i]);
                missing_at.push_back(i);
            }
        }
        m_stats.hits += cells.size() - missing.size();
    }
    if (!missing.empty()) {
        // Throws as build_footprints does (a cell the model refuses): nothing is cached then.
        auto built = model::build_footprints(missing, campaign, factory, options, progress);
        std::lock_guard lock{m_mutex};
        const auto call = m_calls;
        for (std::size_t j = 0; j < built.size(); ++j) {
            const auto i = missing_at[j];
            built[j].cell = i;
            out[i] = built[j];
            auto& entry = m_entries[keys[i]];
            entry.footprint = std::make_shared<const model::Footprint>(std::move(built[j]));
            entry.used = call;
        }
        m_stats.computed += missing.size();
    }
    {
        std::lock_guard lock{m_mutex};
        if (m_entries.size() > 2 * cells.size()) {
            const auto call = m_calls;
            std::erase_if(m_entries, [call](const auto& item) { return item.second.used < call; });
        }
    }
    progress.report(1.0, "footprints");
    return out;
}

FootprintCache::Stats FootprintCache::stats() const {
    std::lock_guard lock{m_mutex};
    return m_stats;
}

std::size_t FootprintCache::size() const {
    std::lock_guard lock{m_mutex};
    return m_entries.size();
}

} // namespace deadzone::pipeline
