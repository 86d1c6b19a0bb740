// emit/layer_table (internal): a layer as plain rows (typed fields + a WGS84 geometry on the
// 1e-7° grid), built once from the Analysis and then written by each OGR driver unchanged.
#pragma once

#include "gpkg_rtree.hpp"
#include "qml.hpp"

#include <deadzone/core/date.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/types.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
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

/// A layer's name, descriptions and columns: what its writers need before the first row.
struct LayerHeader {
    std::string name;        // file stem and GeoPackage table name
    std::string title;       // GeoPackage identifier
    std::string description; // GeoPackage description
    LayerKind kind = LayerKind::villages;
    GeometryKind geometry = GeometryKind::multipolygon;
    std::vector<FieldSpec> fields;
};

using RowBatch = std::vector<Row>;

/// A whole layer at once (tests; write_layers streams its layers in batches instead).
struct LayerTable : LayerHeader {
    RowBatch rows;
};

/// Where a layer builder puts its layer: the header once, then the rows in order.
class LayerSink {
public:
    virtual void begin(LayerHeader header) = 0;
    virtual void add(Row row) = 0;

protected:
    ~LayerSink() = default;
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

/// RFC 7946 GeoJSON, formatted directly (geojson_writer.cpp), a batch of rows at a time; rows
/// must already be on the grid. Without finish() the file is incomplete.
class GeoJsonWriter {
public:
    GeoJsonWriter(const LayerHeader& header, const std::filesystem::path& file);
    void add(const RowBatch& rows);
    void finish();

private:
    std::filesystem::path m_file;
    std::ofstream m_stream;
    std::vector<std::string> m_keys; // the field names, quoted
    std::string m_buffer;
    std::size_t m_written = 0;
};

/// FlatGeobuf with its spatial index (GDAL's driver), a batch of rows at a time.
class FlatGeobufWriter {
public:
    FlatGeobufWriter(const LayerHeader& header, const std::filesystem::path& file);
    ~FlatGeobufWriter();
    FlatGeobufWriter(const FlatGeobufWriter&) = delete;
    FlatGeobufWriter& operator=(const FlatGeobufWriter&) = delete;
    void add(const RowBatch& rows);
    /// Closes the file; without it the file is incomplete.
    void finish();

private:
    std::filesystem::path m_file;
    std::string m_name;
    geo::DatasetPtr m_dataset;
    OGRLayer* m_layer = nullptr;
    bool m_transaction = false;
    std::size_t m_written = 0;
};

void write_geojson(const LayerTable& table, const std::filesystem::path& file);
void write_flatgeobuf(const LayerTable& table, const std::filesystem::path& file);

/// One GeoPackage, filled a layer at a time and each layer a batch of rows at a time (so that a
/// caller need not hold a whole layer): each layer with its R-tree index, written when the layer
/// ends (gpkg_rtree.hpp), and its default QGIS style in `layer_styles`. `timestamp` (ISO 8601
/// UTC) stands in for "now" wherever the format records a time, so that the file is
/// byte-identical on re-run. Use from one thread (the timestamp is a thread-local GDAL setting).
class GeoPackageWriter {
public:
    GeoPackageWriter(const std::filesystem::path& file, const std::string& timestamp);
    ~GeoPackageWriter();
    GeoPackageWriter(const GeoPackageWriter&) = delete;
    GeoPackageWriter& operator=(const GeoPackageWriter&) = delete;

    /// One layer: begin, its rows in batches, end (which indexes it).
    void begin(const LayerHeader& header);
    void add(const RowBatch& rows);
    void end(const std::string& style_qml);
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
    // The layer being written.
    std::string m_name;
    OGRLayer* m_layer = nullptr;
    bool m_transaction = false;
    std::size_t m_written = 0;
    std::vector<RtreeEntry> m_index;
};

} // namespace deadzone::emit::detail
