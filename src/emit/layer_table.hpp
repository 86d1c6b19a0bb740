// emit/layer_table (internal): a layer as plain rows (typed fields + a WGS84 geometry on the
// 1e-7° grid), built once from the Analysis and then written by each OGR driver unchanged.
#pragma once

#include "qml.hpp"

#include <deadzone/core/date.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/types.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace deadzone::emit::detail {

enum class FieldType { string, integer, integer64, real, boolean, date };

struct FieldSpec {
    std::string name;
    FieldType type = FieldType::string;
};

/// Empty = null.
using Value = std::variant<std::monostate, std::string, std::int64_t, double, bool, Date>;

struct Row {
    geo::GeometryPtr geometry; // null = no geometry (e.g. an operator with nothing on air)
    std::vector<Value> values; // parallel to LayerTable::fields
};

enum class GeometryKind { point, multipolygon };

struct LayerTable {
    std::string name;        // file stem and GeoPackage table name
    std::string title;       // GeoPackage identifier
    std::string description; // GeoPackage description
    LayerKind kind = LayerKind::villages;
    GeometryKind geometry = GeometryKind::multipolygon;
    std::vector<FieldSpec> fields;
    std::vector<Row> rows;
};

/// Coordinates written to GeoJSON keep 7 decimals (about 1 cm); geometries are snapped to this
/// grid before writing so that what a reader parses is exactly what was checked for validity.
constexpr int coordinate_decimals = 7;

/// `geometry` snapped to the grid, rings oriented (CCW exterior, CW holes), still valid (GEOS
/// rules) — repaired when snapping broke it. Parts that collapse below the grid vanish.
/// Throws deadzone::Failure naming `what` if no valid snapped form is found.
geo::MultiPolygon snap_to_grid(const geo::MultiPolygon& geometry, const std::string& what);
geo::Point snap_to_grid(const geo::Point& point);

/// `value` rounded to `decimals`; NaN and infinities become null.
Value rounded(double value, int decimals);

/// RFC 7946 GeoJSON, formatted directly (geojson_writer.cpp); rows must already be on the grid.
void write_geojson(const LayerTable& table, const std::filesystem::path& file);
void write_flatgeobuf(const LayerTable& table, const std::filesystem::path& file);
/// One GeoPackage, filled a layer at a time (so that a caller need not hold every layer's rows):
/// each layer with an R-tree index, built as the layer is added, and its default QGIS style in
/// `layer_styles`. `timestamp` (ISO 8601 UTC) stands in for "now" wherever the format records a
/// time, so that the file is byte-identical on re-run. Use from one thread (the timestamp is a thread-local GDAL setting).
class GeoPackageWriter {
public:
    GeoPackageWriter(const std::filesystem::path& file, const std::string& timestamp);
    ~GeoPackageWriter();
    GeoPackageWriter(const GeoPackageWriter&) = delete;
    GeoPackageWriter& operator=(const GeoPackageWriter&) = delete;

    void add(const LayerTable& table, const std::string& style_qml);
    /// Writes layer_styles and closes the file; without it the file is incomplete.
    void finish();

private:
    struct Style {
        std::string table;
        std::string qml;
    };
    std::filesystem::path m_file;
    std::string m_timestamp;
    std::string m_previous_date; // OGR_CURRENT_DATE before us, restored by the destructor
    bool m_had_previous_date = false;
    geo::DatasetPtr m_dataset;
    std::vector<Style> m_styles;
};

} // namespace deadzone::emit::detail
