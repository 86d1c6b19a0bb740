// Private helpers of the ingest stage: field-name matching with aliases, strict text parsing of
// numbers and dates, and a table reader that turns any OGR source into rows of text plus a WGS84
// geometry, with the location every problem message needs.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/core/source.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/types.hpp>

#include "locale_input.hpp"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

class OGRCoordinateTransformation;

namespace deadzone::ingest::detail {

// --- text -------------------------------------------------------------------------------------

/// Lower case, surrounding blanks and a UTF-8 byte-order mark removed, ' ' and '-' as '_'.
std::string normalize_name(std::string_view name);
std::string trim(std::string_view text);
bool iequals(std::string_view a, std::string_view b) noexcept;

/// A whole decimal number (leading/trailing blanks allowed); nullopt for "105,8", "12a", "".
std::optional<double> parse_number(std::string_view text);
/// A whole integer.
std::optional<long long> parse_integer(std::string_view text);
/// Advice for a value parse_number refused, starting with a blank, or "": "1,800" and
/// "1,234,567" read as thousands separators, "105,8" as a decimal comma, "1 800" as grouping.
std::string number_advice(std::string_view text);

/// Byte offset of the first byte that is not part of well-formed UTF-8 (overlong forms and
/// surrogates count as ill-formed), or nullopt when the whole text is UTF-8.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);
/// The text in Unicode Normalization Form C (composed), so that "Hà Giang" typed with combining
/// marks and with precomposed letters is one name. The text must be valid UTF-8.
std::string to_nfc(std::string_view text);

/// GDAL cuts a GeoJSON string at an escaped NUL (\u0000): "Bản\u0000Phố" is read as "Bản".
/// Finds such values by reading the file itself and reports each (feature FID, property).
void report_json_nul_characters(const std::filesystem::path& file, Diagnostics& diagnostics);

// --- fields -----------------------------------------------------------------------------------

/// One field a reader knows: its canonical name and the other names it accepts.
struct FieldSpec {
    std::string name;
    std::vector<std::string> aliases;
    bool required = false;
};

/// Which source column (index in the OGR layer definition) holds each known field; columns no
/// spec claims are kept as extras, in source order.
struct FieldMap {
    std::vector<int> column;        // per spec, -1 = absent
    std::vector<int> extra_columns; // source order
    std::vector<std::string> extra_names;
};

/// Matches source column names against specs: exact canonical names first, then aliases, then
/// the Vietnamese names (aliases_vi.cpp), each column claimed at most once.
FieldMap match_fields(const std::vector<std::string>& column_names, const std::vector<FieldSpec>& specs);

// --- table reading ----------------------------------------------------------------------------

/// One feature of a source, as text.
struct Row {
    Location where;
    Location source;                    // file name and row or FID (entity_source)
    std::vector<std::string> values;    // per spec; "" when absent or null
    Attributes extra;
    geo::GeometryPtr geometry;          // in the layer's CRS (not yet transformed); may be null
};

/// The state of one layer while it is read: its CRS and how to bring coordinates to WGS84.
struct LayerInfo {
    std::string file;          // path as given, for messages
    std::string short_name;    // file name only, for Row::source
    std::string layer;         // empty for tabular sources
    bool tabular = false;      // CSV/XLSX/ODS: rows are spreadsheet rows
    bool has_geometry = false; // the layer has a geometry column (never for tabular sources)
    bool has_crs = false;
    bool is_wgs84 = false;
    std::shared_ptr<OGRCoordinateTransformation> to_wgs84; // null when has_crs is false or is_wgs84
    std::vector<std::string> column_names;                 // as in the source
    FieldMap fields;
    InputRules rules;          // what the campaign declares about dates and numbers
    bool decimal_comma = false; // rules.vietnamese and a ';'-separated CSV or a spreadsheet
};

/// Reports (file_not_found, cannot_open, not_a_file, permission_denied) and returns false unless
/// `file` is a regular file this process may read (or a File Geodatabase folder). Never blocks:
/// FIFOs and devices are refused before anything opens them.
bool check_input_file(const std::filesystem::path& file, Diagnostics& diagnostics);

/// Reads every layer of `file` that has at least one required field (or the only layer), calling
/// `on_layer` once per layer and `on_row` for every feature. Problems opening the file or missing
/// required columns go to `diagnostics`; returns false if the file could not be read at all.
/// `rules`: what the campaign declares about the file's dates and numbers (locale_input.hpp).
bool read_table(const std::filesystem::path& file, const std::vector<FieldSpec>& specs,
                Diagnostics& diagnostics, const std::function<void(const LayerInfo&)>& on_layer,
                const std::function<void(const LayerInfo&, Row&)>& on_row, const InputRules& rules = {});

/// What reading a CSV file line by line shows that GDAL's CSV reader hides: it joins lines while a
/// quote is open (an unclosed quote swallows every row after it), drops a stray quote and joins
/// the fields around it, drops values beyond the header's columns, and cuts a value at a NUL.
struct CsvScan {
    std::vector<Problem> problems; // row = spreadsheet row (header = 1), the message names lines
    std::set<long> untrusted_rows; // rows whose values GDAL misreads: not handed to the readers
    long records = 0;              // data rows as GDAL counts them (empty lines skipped)
    bool complete = false;         // the file was read to its end
    char separator = ',';          // as GDAL chose it (decides whether decimal commas may be declared)
};

/// Scans `file` with the quoting rules of GDAL's CSV reader; `column_names` are the header's
/// columns as GDAL read them (they decide the separator).
CsvScan scan_csv(const std::filesystem::path& file, const std::vector<std::string>& column_names);

// --- campaign.json --------------------------------------------------------------------------

/// Warnings (`unknown_key`) for keys deadzone does not read, with a "did you mean" when one is
/// close; keys starting with '_' or "x_" are taken as the user's own and pass silently.
std::vector<Problem> unknown_campaign_keys(const nlohmann::json& root, const std::string& source_name);
/// Paths of keys given twice in one object ("coverage_rule.min_fraction"), in file order.
std::vector<std::string> duplicate_json_keys(const std::string& text);
/// The `measurements` files and coverage_rule.evidence / coverage_rule.measurement, with every
/// bad value appended to `problems` (measurement_keys.cpp).
void read_measurement_settings(const nlohmann::json& root, Campaign& campaign, std::vector<Problem>& problems,
                               const std::string& source_name);
/// `operator_name_clash` errors for codes that would collide in a generated name (the villages
/// column coverage_<code>, the keys "date"/"all" of timeline points) or that hold a separator
/// of generated text ('/', ','); `paths` are the codes' key paths ("operators[1].code").
std::vector<Problem> operator_code_clashes(const std::vector<std::string>& codes,
                                           const std::vector<std::string>& paths, const std::string& source_name);

// --- coordinates ------------------------------------------------------------------------------

/// The largest fixed footprint radius a station row may give (`range_m`, OpenCelliD `range`):
/// beyond it a "range" is a measurement artefact, not a cell's reach.
inline constexpr double max_range_m = 200000.0;

/// The campaign area grown by the margin beyond which positions count as "far outside".
inline constexpr double area_margin_m = 50000.0;

/// Distance in metres from a point to a lon/lat box (0 inside).
double distance_to_box_m(const geo::Point& point, const geo::Box& box);

/// Collects the coordinate checks of one layer without a declared CRS: if no row's coordinates
/// fit WGS84 (and the area), the source is reported once as lacking a CRS instead of row by row.
class CoordinateJudge {
public:
    /// `area_name` says in messages what the area is ("the campaign area", or the villages' area
    /// when the campaign gives no area_bbox).
    CoordinateJudge(const LayerInfo& layer, std::optional<geo::Box> area,
                    std::string area_name = "the campaign area");

    /// Checks a WGS84 position; problems go to `row_problems` (or are held back while the CRS is
    /// in doubt). Returns true when the position is usable.
    bool check_point(const geo::Point& point, const Location& where, const std::string& lon_field,
                     const std::string& lat_field, Diagnostics& row_problems);
    /// Same for a polygon's envelope (range and area checks only).
    bool check_box(const geo::Box& box, const Location& where, const std::string& field,
                   Diagnostics& row_problems);
    /// Call after the layer: emits held-back problems or the single missing-CRS error.
    void finish(Diagnostics& diagnostics);

private:
    void report(Problem problem, Diagnostics& row_problems);
    void note_gap(double gap_m);

    // Copies: the judge outlives the LayerInfo it was made for (finish() runs after the layer).
    std::string m_file;
    std::string m_layer;
    std::optional<geo::Box> m_area;
    std::string m_area_name;
    bool m_doubtful; // no CRS declared
    std::size_t m_seen = 0;
    std::size_t m_fitting = 0;
    std::size_t m_in_range = 0;       // positions within the lon/lat ranges
    double m_nearest_m = -1.0;        // of the in-range positions outside the area
    double m_farthest_m = 0.0;
    std::vector<Problem> m_held;
};

/// Brings an OGR geometry in the layer's CRS to WGS84 lon/lat in place; false (with an error
/// in `diagnostics`) if the transformation fails.
bool to_wgs84(const LayerInfo& layer, OGRGeometry& geometry, const Location& where,
              Diagnostics& diagnostics);

/// Where a row is: its WGS84 geometry, from the source's geometry, a WKT text column or lon/lat
/// columns (checked by the judge). `present` is false when the row gives no position at all.
struct Located {
    bool present = false;
    bool ok = false;                  // present and usable
    geo::GeometryPtr geometry;        // WGS84
    std::optional<geo::Point> point;  // when the geometry is a point
};

/// Indices (into Row::values) of the fields that can carry a position; -1 when not in the schema.
struct PositionFields {
    int lon = -1;
    int lat = -1;
    int wkt = -1;
};

Located locate(const LayerInfo& layer, Row& row, const PositionFields& fields, CoordinateJudge& judge,
               Diagnostics& diagnostics);

/// The source's own name of a known field (as the user wrote it), or the canonical name.
std::string field_label(const LayerInfo& layer, const std::vector<FieldSpec>& specs, int index);

/// A required field's value. Empty in a row: a `missing_value` error; its column absent from the
/// layer (reported once for the layer already): `rejected` is set instead.
const std::string& required_value(const LayerInfo& layer, const std::vector<FieldSpec>& specs,
                                  const Row& row, int index, Diagnostics& diagnostics, bool& rejected);

/// Stable-sorts problems of one file by row/FID so messages read top to bottom.
void sort_by_location(std::vector<Problem>& problems);

/// Appends `local` (one file's problems) to `diagnostics` in location order.
void flush_sorted(Diagnostics& local, Diagnostics& diagnostics);

/// Where an entity read at `where` says it came from: the file's name alone (no folder, no
/// layer) and the row, or the FID when there is no row (stored as "file:row 12").
Location entity_source(const LayerInfo& layer, const Location& where);

/// The built-in per-technology radio defaults.
std::map<Tech, RadioDefaults> builtin_radio_defaults();

} // namespace deadzone::ingest::detail
