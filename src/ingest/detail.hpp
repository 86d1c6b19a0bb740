// Private helpers of the ingest stage: field-name matching with aliases, strict text parsing of
// numbers and dates, and a table reader that turns any OGR source into rows of text plus a WGS84
// geometry, with the location every problem message needs.
#pragma once

#include <deadzone/campaign.hpp>
#include <deadzone/error.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/types.hpp>

#include <filesystem>
#include <functional>
#include <optional>
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

/// Matches source column names against specs: exact canonical names first, then aliases, each
/// column claimed at most once.
FieldMap match_fields(const std::vector<std::string>& column_names, const std::vector<FieldSpec>& specs);

// --- table reading ----------------------------------------------------------------------------

/// One feature of a source, as text.
struct Row {
    Location where;
    std::string source;                 // "file:row N" / "file:FID N"
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
};

/// Reads every layer of `file` that has at least one required field (or the only layer), calling
/// `on_layer` once per layer and `on_row` for every feature. Problems opening the file or missing
/// required columns go to `diagnostics`; returns false if the file could not be read at all.
bool read_table(const std::filesystem::path& file, const std::vector<FieldSpec>& specs,
                Diagnostics& diagnostics, const std::function<void(const LayerInfo&)>& on_layer,
                const std::function<void(const LayerInfo&, Row&)>& on_row);

// --- coordinates ------------------------------------------------------------------------------

/// The campaign area grown by the margin beyond which positions count as "far outside".
inline constexpr double area_margin_m = 50000.0;

/// Distance in metres from a point to a lon/lat box (0 inside).
double distance_to_box_m(const geo::Point& point, const geo::Box& box);

/// Collects the coordinate checks of one layer without a declared CRS: if no row's coordinates
/// fit WGS84 (and the area), the source is reported once as lacking a CRS instead of row by row.
class CoordinateJudge {
public:
    CoordinateJudge(const LayerInfo& layer, std::optional<geo::Box> area);

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

    // Copies: the judge outlives the LayerInfo it was made for (finish() runs after the layer).
    std::string m_file;
    std::string m_layer;
    std::optional<geo::Box> m_area;
    bool m_doubtful; // no CRS declared
    std::size_t m_seen = 0;
    std::size_t m_fitting = 0;
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

/// "file:row 12" style source text.
std::string source_text(const LayerInfo& layer, const Location& where);

/// The built-in per-technology radio defaults.
std::map<Tech, RadioDefaults> builtin_radio_defaults();

} // namespace deadzone::ingest::detail
