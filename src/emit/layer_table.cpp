#include "layer_table.hpp"

#include <deadzone/core/error.hpp>
#include <deadzone/geo/validity.hpp>

#include <boost/geometry/algorithms/correct.hpp>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <system_error>

namespace deadzone::emit::detail {

namespace bg = boost::geometry;

namespace {

// Dividing the integer grid index by 1e7 (exact in binary) rounds once, to the double nearest
// the 7-decimal number, so that it is exactly what a reader parses back from the text.
double snap_coordinate(double value) {
    constexpr double per_degree = 1e7;
    return std::round(value * per_degree) / per_degree;
}

/// Rounds every vertex, drops the repeated vertices that rounding creates and rings that fall
/// below four positions (a polygon whose exterior falls away goes with it).
geo::MultiPolygon snap_vertices(const geo::MultiPolygon& geometry) {
    auto snap_ring = [](const geo::Ring& ring) {
        geo::Ring out;
        out.reserve(ring.size());
        for (const auto& p : ring) {
            const geo::Point q{snap_coordinate(p.x()), snap_coordinate(p.y())};
            if (out.empty() || out.back().x() != q.x() || out.back().y() != q.y()) {
                out.push_back(q);
            }
        }
        if (!out.empty() && (out.front().x() != out.back().x() || out.front().y() != out.back().y())) {
            out.push_back(out.front());
        }
        if (out.size() < 4) {
            out.clear();
        }
        return out;
    };
    geo::MultiPolygon out;
    for (const auto& polygon : geometry) {
        geo::Polygon snapped;
        snapped.outer() = snap_ring(polygon.outer());
        if (snapped.outer().empty()) {
            continue;
        }
        for (const auto& inner : polygon.inners()) {
            auto ring = snap_ring(inner);
            if (!ring.empty()) {
                snapped.inners().push_back(std::move(ring));
            }
        }
        out.push_back(std::move(snapped));
    }
    bg::correct(out); // CCW exterior, CW holes (the orientation geo::Polygon declares)
    return out;
}

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
    const auto reason = geo::last_gdal_error();
    throw Failure(file.string() + ": " + what + (reason.empty() ? std::string{} : ": " + reason));
}

OGRFieldType ogr_type(FieldType type) {
    switch (type) {
    case FieldType::string: return OFTString;
    case FieldType::integer: return OFTInteger;
    case FieldType::integer64: return OFTInteger64;
    case FieldType::real: return OFTReal;
    case FieldType::boolean: return OFTInteger;
    case FieldType::date: return OFTDate;
    }
    return OFTString;
}

GDALDriver& driver(const char* name) {
    geo::ensure_gdal();
    auto* found = GetGDALDriverManager()->GetDriverByName(name);
    if (found == nullptr) {
        throw Failure(std::string{"GDAL has no "} + name + " driver");
    }
    return *found;
}

geo::DatasetPtr create_dataset(const char* driver_name, const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::remove(file, ec); // GDAL will not overwrite; an old file is replaced whole
    if (ec) {
        throw Failure(file.string() + ": cannot replace: " + ec.message());
    }
    CPLErrorReset();
    geo::DatasetPtr dataset{driver(driver_name).Create(file.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr)};
    if (!dataset) {
        fail(file, "cannot create");
    }
    return dataset;
}

void set_value(OGRFeature& feature, int index, const Value& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                feature.SetFieldNull(index);
            } else if constexpr (std::is_same_v<T, std::string>) {
                feature.SetField(index, v.c_str());
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                feature.SetField(index, static_cast<GIntBig>(v));
            } else if constexpr (std::is_same_v<T, double>) {
                feature.SetField(index, v);
            } else if constexpr (std::is_same_v<T, bool>) {
                feature.SetField(index, v ? 1 : 0);
            } else if constexpr (std::is_same_v<T, Date>) {
                feature.SetField(index, v.year(), static_cast<int>(v.month()), static_cast<int>(v.day()), 0, 0,
                                 0.0f, 0);
            }
        },
        value);
}

/// Creates the layer and its fields.
OGRLayer& create_layer(GDALDataset& dataset, const LayerHeader& header, CSLConstList options,
                       const std::filesystem::path& file) {
    const auto type = header.geometry == GeometryKind::point ? wkbPoint : wkbMultiPolygon;
    auto srs = geo::wgs84(); // a copy: GDAL keeps a reference
    CPLErrorReset();
    OGRLayer* layer = dataset.CreateLayer(header.name.c_str(), &srs, type, const_cast<char**>(options));
    if (layer == nullptr) {
        fail(file, "cannot create layer '" + header.name + "'");
    }
    for (const auto& spec : header.fields) {
        OGRFieldDefn field(spec.name.c_str(), ogr_type(spec.type));
        if (spec.type == FieldType::boolean) {
            field.SetSubType(OFSTBoolean);
        }
        if (layer->CreateField(&field) != OGRERR_NONE) {
            fail(file, "cannot create field '" + spec.name + "' in layer '" + header.name + "'");
        }
    }
    return *layer;
}

/// Writes `rows` in order (`written` counts the layer's rows so far); with `index`, gathers the
/// fid and box of every row with a non-empty geometry.
void write_rows(OGRLayer& layer, const std::string& name, const RowBatch& rows, std::size_t& written,
                const std::filesystem::path& file, std::vector<RtreeEntry>* index = nullptr) {
    for (const auto& row : rows) {
        ++written;
        OGRFeature feature(layer.GetLayerDefn());
        for (std::size_t i = 0; i < row.values.size(); ++i) {
            set_value(feature, static_cast<int>(i), row.values[i]);
        }
        if (row.geometry) {
            feature.SetGeometry(row.geometry.get());
        }
        if (layer.CreateFeature(&feature) != OGRERR_NONE) {
            fail(file, "cannot write feature " + std::to_string(written) + " of layer '" + name + "'");
        }
        if (index != nullptr && row.geometry && !row.geometry->IsEmpty()) {
            OGREnvelope box;
            row.geometry->getEnvelope(&box);
            index->push_back({feature.GetFID(), box.MinX, box.MaxX, box.MinY, box.MaxY});
        }
    }
}

void close(geo::DatasetPtr dataset, const std::filesystem::path& file) {
    CPLErrorReset();
    GDALClose(dataset.release()); // flushes: a full disk shows up here
    if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) {
        fail(file, "cannot finish writing");
    }
}

/// The `layer_styles` table QGIS reads a GeoPackage layer's default style from (the same
/// columns QGIS creates when a user saves a style into the database).
struct StyleRow {
    const std::string& table;
    const std::string& qml;
};

void write_styles(GDALDataset& dataset, const std::vector<StyleRow>& styles, const std::string& timestamp,
                  const std::filesystem::path& file) {
    const char* options[] = {"FID=id", "DESCRIPTION=QGIS layer styles", nullptr};
    CPLErrorReset();
    OGRLayer* layer = dataset.CreateLayer("layer_styles", nullptr, wkbNone, const_cast<char**>(options));
    if (layer == nullptr) {
        fail(file, "cannot create table 'layer_styles'");
    }
    struct Column {
        const char* name;
        OGRFieldType type;
        int width;
    };
    const Column columns[] = {{"f_table_catalog", OFTString, 256}, {"f_table_schema", OFTString, 256},
                              {"f_table_name", OFTString, 256},    {"f_geometry_column", OFTString, 256},
                              {"styleName", OFTString, 30},        {"styleQML", OFTString, 0},
                              {"styleSLD", OFTString, 0},          {"useAsDefault", OFTInteger, 0},
                              {"description", OFTString, 0},       {"owner", OFTString, 30},
                              {"ui", OFTString, 30},               {"update_time", OFTDateTime, 0}};
    for (const auto& column : columns) {
        OGRFieldDefn field(column.name, column.type);
        field.SetWidth(column.width);
        if (std::string_view{column.name} == "useAsDefault") {
            field.SetSubType(OFSTBoolean);
        }
        if (layer->CreateField(&field) != OGRERR_NONE) {
            fail(file, std::string{"cannot create field '"} + column.name + "' in 'layer_styles'");
        }
    }
    int year = 0, month = 0, day = 0, hour = 0, minute = 0;
    float second = 0;
    std::sscanf(timestamp.c_str(), "%d-%d-%dT%d:%d:%fZ", &year, &month, &day, &hour, &minute, &second);
    for (const auto& style : styles) {
        OGRFeature feature(layer->GetLayerDefn());
        // QGIS matches rows by an empty schema, the table name and the geometry column.
        feature.SetField("f_table_catalog", "");
        feature.SetField("f_table_schema", "");
        feature.SetField("f_table_name", style.table.c_str());
        feature.SetField("f_geometry_column", "geom");
        feature.SetField("styleName", style.table.c_str());
        feature.SetField("styleQML", style.qml.c_str());
        feature.SetField("styleSLD", "");
        feature.SetField("useAsDefault", 1);
        feature.SetField("description", ("deadzone default style for " + style.table).c_str());
        feature.SetField("owner", "");
        feature.SetField("ui", "");
        feature.SetField("update_time", year, month, day, hour, minute, second, 100);
        if (layer->CreateFeature(&feature) != OGRERR_NONE) {
            fail(file, "cannot write the style of '" + style.table + "'");
        }
    }
}

} // namespace

geo::MultiPolygon snap_to_grid(const geo::MultiPolygon& geometry, const std::string& what) {
    auto snapped = snap_vertices(geometry);
    // Rounding can fold a thin part onto itself; GEOS' MakeValid repairs it, but its new nodes
    // are off the grid again, so snap and check until both hold (one round in practice).
    for (int attempt = 0; attempt < 4; ++attempt) {
        if (geo::is_valid(snapped)) {
            return snapped;
        }
        const auto ogr = geo::to_ogr(snapped);
        geo::GeometryPtr repaired{ogr->MakeValid()};
        if (!repaired) {
            break;
        }
        snapped = snap_vertices(geo::to_multipolygon(*repaired));
    }
    // Last resort: a zero-width buffer rebuilds the polygon from its boundary.
    const auto ogr = geo::to_ogr(snapped);
    geo::GeometryPtr rebuilt{ogr->Buffer(0.0)};
    if (rebuilt) {
        snapped = snap_vertices(geo::to_multipolygon(*rebuilt));
        if (geo::is_valid(snapped)) {
            return snapped;
        }
    }
    // Still invalid: what breaks it is finer than the output grid (a spike or a sliver a few
    // grid cells wide). A morphological opening by two grid cells (~2 cm) removes exactly such
    // features and changes nothing a 7-decimal file could show.
    constexpr double opening_deg = 2e-7;
    geo::GeometryPtr shrunk{geo::to_ogr(snapped)->Buffer(-opening_deg)};
    if (shrunk) {
        geo::GeometryPtr opened{shrunk->Buffer(opening_deg)};
        if (opened) {
            snapped = snap_vertices(geo::to_multipolygon(*opened));
            if (geo::is_valid(snapped)) {
                return snapped;
            }
        }
    }
    throw Failure(what + ": no valid form of the geometry on the 1e-7 degree grid");
}

geo::Point snap_to_grid(const geo::Point& point) {
    return geo::Point{snap_coordinate(point.x()), snap_coordinate(point.y())};
}

Value rounded(double value, int decimals) {
    if (!std::isfinite(value)) {
        return std::monostate{};
    }
    const double scale = std::pow(10.0, decimals);
    const double r = std::round(value * scale) / scale;
    return r == 0.0 ? 0.0 : r; // no "-0"
}

FlatGeobufWriter::FlatGeobufWriter(const LayerHeader& header, const std::filesystem::path& file)
    : m_file(file), m_name(header.name), m_dataset(create_dataset("FlatGeobuf", file)) {
    const char* options[] = {"SPATIAL_INDEX=YES", nullptr};
    m_layer = &create_layer(*m_dataset, header, options, file);
    m_transaction = m_dataset->StartTransaction() == OGRERR_NONE;
}

FlatGeobufWriter::~FlatGeobufWriter() = default;

void FlatGeobufWriter::add(const RowBatch& rows) {
    write_rows(*m_layer, m_name, rows, m_written, m_file);
}

void FlatGeobufWriter::finish() {
    if (m_transaction && m_dataset->CommitTransaction() != OGRERR_NONE) {
        fail(m_file, "cannot commit layer '" + m_name + "'");
    }
    close(std::move(m_dataset), m_file);
}

void write_flatgeobuf(const LayerTable& table, const std::filesystem::path& file) {
    FlatGeobufWriter writer(table, file);
    writer.add(table.rows);
    writer.finish();
}

GeoPackageWriter::GeoPackageWriter(const std::filesystem::path& file, const std::string& timestamp)
    : m_file(file), m_timestamp(timestamp) {
    // The GPKG driver stamps gpkg_contents.last_change with the current time unless told which
    // time it is, when layers are created and again when the file is closed.
    if (const char* previous = CPLGetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr)) {
        m_previous_date = previous;
        m_had_previous_date = true;
    }
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", m_timestamp.c_str());
    m_dataset = create_dataset("GPKG", file);
}

GeoPackageWriter::~GeoPackageWriter() {
    m_dataset.reset();
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", m_had_previous_date ? m_previous_date.c_str() : nullptr);
}

void GeoPackageWriter::begin(const LayerHeader& header) {
    const std::string identifier = "IDENTIFIER=" + header.title;
    const std::string description = "DESCRIPTION=" + header.description;
    // The R-tree is written at end() in one pass (gpkg_rtree.hpp), not by GDAL one row at a time.
    const char* options[] = {"GEOMETRY_NAME=geom", "FID=fid",           "SPATIAL_INDEX=NO",
                             identifier.c_str(),   description.c_str(), nullptr};
    m_name = header.name;
    m_layer = &create_layer(*m_dataset, header, options, m_file);
    m_transaction = m_dataset->StartTransaction() == OGRERR_NONE;
    m_written = 0;
    m_index.clear();
}

void GeoPackageWriter::add(const RowBatch& rows) {
    write_rows(*m_layer, m_name, rows, m_written, m_file, &m_index);
}

void GeoPackageWriter::end(const std::string& style_qml) {
    if (m_transaction && m_dataset->CommitTransaction() != OGRERR_NONE) {
        fail(m_file, "cannot commit layer '" + m_name + "'");
    }
    write_gpkg_rtree(*m_dataset, m_name, "geom", std::move(m_index), m_file);
    m_index = {};
    // GDAL drops the layer's feature-count triggers while rows go in; this restores them now, so
    // the schema reads in layer order.
    CPLErrorReset();
    if (m_layer->SyncToDisk() != OGRERR_NONE) {
        fail(m_file, "cannot finish layer '" + m_name + "'");
    }
    m_layer = nullptr;
    m_styles.push_back({m_name, style_qml});
}

void GeoPackageWriter::add(const LayerTable& table, const std::string& style_qml) {
    begin(table);
    add(table.rows);
    end(style_qml);
}

void GeoPackageWriter::finish() {
    std::vector<StyleRow> rows;
    for (const auto& style : m_styles) {
        rows.push_back({style.table, style.qml});
    }
    write_styles(*m_dataset, rows, m_timestamp, m_file);
    close(std::move(m_dataset), m_file);
}

} // namespace deadzone::emit::detail
