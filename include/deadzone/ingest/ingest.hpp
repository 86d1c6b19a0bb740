// ingest: reads the campaign file and villages, commitments and stations from any OGR source
// (or OpenCelliD CSV), reprojects to WGS84 and validates, reporting every problem with its
// file, row (or layer:FID) and field. Errors reject the input; warnings do not.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/core/progress.hpp>

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace deadzone::ingest {

/// Reads campaign.json (keys as in DESIGN.md); relative input paths are resolved against its
/// folder. A folder is taken to mean its campaign.json. Throws InputError naming each bad key.
Campaign load_campaign(const std::filesystem::path& file);

/// A campaign with built-in settings only: radio defaults for every technology, no operators
/// (so operator codes are not checked), no area, no milestones. For checking files on their own.
Campaign default_campaign();

/// The same as load_campaign for a campaign document already parsed (the store keeps the
/// campaign's JSON text): relative paths resolve against `base_dir`, and messages name
/// `source_name` in place of a file. Throws InputError naming each bad key.
Campaign parse_campaign(const nlohmann::json& document, const std::filesystem::path& base_dir,
                        const std::string& source_name);

/// Reads villages. Invalid polygons are repaired (warning); empty ones are errors; Points
/// become geodesic discs of the campaign's village_radius_m.
std::vector<Village> read_villages(const std::filesystem::path& file, const Campaign& campaign,
                                   Diagnostics& diagnostics);

/// Reads commitments. When `villages` is given, an unknown village_id is an error.
std::vector<Commitment> read_commitments(const std::filesystem::path& file, const Campaign& campaign,
                                         const std::vector<Village>* villages,
                                         Diagnostics& diagnostics);

struct StationOptions {
    /// --operator: rows without an operator take it; rows naming another operator are errors.
    std::optional<std::string> operator_code;
    /// Stations outside this box (plus a margin) are errors. Defaults to the campaign's area_bbox,
    /// else to the extent of the campaign's villages (its villages file is read for it), so that
    /// a station at (0, 0) or in another country never passes without a word.
    std::optional<geo::Box> area;
    /// What messages call `area`.
    std::string area_name = "the campaign area";
};

/// The lon/lat box around all villages' geometries (nullopt for none): a campaign's area when
/// its file gives no area_bbox.
std::optional<geo::Box> villages_extent(const std::vector<Village>& villages);

/// How messages name the area derived from the villages.
inline constexpr const char* villages_area_name = "the area of the campaign's villages (no area_bbox given)";

/// Reads one station file (one row per cell), any OGR source or OpenCelliD CSV.
std::vector<Cell> read_stations(const std::filesystem::path& file, const Campaign& campaign,
                                const StationOptions& options, Diagnostics& diagnostics);

/// Reads several station files as one set: each on its own, then cell keys across files (a key
/// seen in an earlier file is an error). `counts`, when given, receives the cells read per file.
std::vector<Cell> read_station_files(const std::vector<std::filesystem::path>& files,
                                     const Campaign& campaign, const StationOptions& options,
                                     Diagnostics& diagnostics,
                                     std::vector<std::size_t>* counts = nullptr);

/// Reads field measurement files (docs/measurements.md): every row checked (position in the
/// area, ISO 8601 time, operator code or MCC-MNC of the campaign, technology, the level that
/// technology reports within what a receiver can report). `options` gives the area and an
/// operator for rows without one. `counts`, when given, receives the samples read per file.
std::vector<Sample> read_measurements(const std::vector<std::filesystem::path>& files, const Campaign& campaign,
                                      const StationOptions& options, Diagnostics& diagnostics,
                                      std::vector<std::size_t>* counts = nullptr);

/// Everything a campaign's analysis needs, as read.
struct Inputs {
    std::vector<Village> villages;
    std::vector<Commitment> commitments;
    std::vector<Cell> cells;
    std::vector<Sample> samples; // field measurements (empty when the campaign has none)
};

/// Where to read from: empty entries fall back to the campaign's own files.
struct InputFiles {
    std::optional<std::filesystem::path> villages;
    std::optional<std::filesystem::path> commitments;
    std::vector<std::filesystem::path> stations;
    std::optional<std::string> operator_code; // applies to `stations`
    std::vector<std::filesystem::path> measurements; // empty = the campaign's own
};

/// Reads all inputs (cross-checking ids across files: commitments against villages, duplicate
/// cells across station files). Never throws for bad rows: they land in `diagnostics`.
Inputs read_inputs(const Campaign& campaign, const InputFiles& files, Diagnostics& diagnostics,
                   const Progress& progress = {});

} // namespace deadzone::ingest
