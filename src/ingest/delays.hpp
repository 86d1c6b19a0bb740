// Private to ingest: the optional delay fields of station rows (why a cell is late, the
// operator's revised date, power and backhaul) and the fund/note fields of commitments.
#pragma once

#include "detail.hpp"

#include <deadzone/core/entities.hpp>

namespace deadzone::ingest::detail {

/// Field specs appended to the station reader's own (canonical names and aliases).
const std::vector<FieldSpec>& delay_specs();

/// Reads the delay fields of one station row into `cell.delay`. `first` is the index of the first
/// delay spec among the reader's specs. Needs `cell.status` already set.
void read_delay_fields(const LayerInfo& layer, const std::vector<FieldSpec>& specs, std::size_t first,
                       const Row& row, const Campaign& campaign, Cell& cell, Diagnostics& diagnostics);

/// Specs appended to the commitment reader's own: support_fund_vnd and note.
const std::vector<FieldSpec>& commitment_extra_specs();

/// Reads support_fund_vnd and note of one commitment row; `first` as above.
void read_commitment_extras(const LayerInfo& layer, const std::vector<FieldSpec>& specs, std::size_t first,
                            const Row& row, Commitment& commitment, Diagnostics& diagnostics);

} // namespace deadzone::ingest::detail
