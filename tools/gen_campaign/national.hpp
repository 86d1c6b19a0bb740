// gen-campaign (national): a national-scale scenario for benchmarks (not committed).
#pragma once

#include "common.hpp"

namespace gen {

/// Villages and three-sector sites over `land`, written to `out` with the campaign template.
void write_national(std::uint64_t seed, const Land& land, const Campaign& campaign, std::size_t villages,
                    std::size_t sites, const std::string& land_note, const fs::path& out,
                    const std::string& campaign_template);

} // namespace gen
