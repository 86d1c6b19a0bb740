// Where an entity was read, as it keeps it: the text "viettel.csv:row 12" or "mobifone.gpkg:FID 3"
// (ingest writes it; the store keeps it). Problems about an entity turn it back into a Location,
// so a JSON consumer finds the row or FID in its own field, and the text printed for a person is
// the same as before (Problem::to_string writes "file:row N").
#pragma once

#include <deadzone/core/error.hpp>

#include <string>

namespace deadzone {

/// `source` split at a trailing ":row N" or ":FID N" (N a whole number): file = what precedes it
/// (a layer name stays part of it), row or fid = N. Any other text is the file alone.
Location source_location(const std::string& source);

} // namespace deadzone
