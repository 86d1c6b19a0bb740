// Where an entity was read: ingest gives every village, commitment, cell and sample a Location
// (the file's name and its row, or its FID), so a problem about an entity names the row in its
// own field and a JSON consumer finds it there. Stores keep it as text ("viettel.csv:row 12",
// "mobifone.gpkg:FID 3"); these two functions turn one into the other.
#pragma once

#include <deadzone/core/error.hpp>

#include <string>

namespace deadzone {

/// "file:row N", "file:FID N" or "file" (a layer, when set, after the file: "file:layer:FID N"):
/// the form Problem::to_string prints, without its escaping. Stores keep this text.
std::string source_text(const Location& where);

/// `source` split at a trailing ":row N" or ":FID N" (N a whole number): file = what precedes it
/// (a layer name stays part of it), row or fid = N. Any other text is the file alone. For text
/// written by source_text, source_text(source_location(text)) == text.
Location source_location(const std::string& source);

} // namespace deadzone
