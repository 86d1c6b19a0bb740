// Reading any OGR source as rows of text plus a geometry, and bringing positions to WGS84.
#include "detail.hpp"

#include <deadzone/geo/geodesic.hpp>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace deadzone::ingest::detail {

namespace {

std::string lower_extension(const std::filesystem::path& file) {
    return normalize_name(file.extension().string());
}

// Open options that make spreadsheets and CSV read as plain text we validate ourselves.
CPLStringList open_options_for(const std::filesystem::path& file) {
    CPLStringList options;
    const auto ext = lower_extension(file);
    if (ext == ".csv" || ext == ".txt" || ext == ".tsv") {
        options.AddString("AUTODETECT_TYPE=NO");
        options.AddString("KEEP_GEOM_COLUMNS=YES");
        options.AddString("EMPTY_STRING_AS_NULL=NO");
    }
    return options;
}

// The spreadsheet drivers take their settings as configuration options, not open options.
// Operators' sheets often hold only text, where GDAL's header detection would give up, so the
// first row is always the header. Set per thread and restored, as the driver reads lazily.
class SpreadsheetSettings {
public:
    explicit SpreadsheetSettings(const std::filesystem::path& file) {
        const auto ext = lower_extension(file);
        if (ext == ".xlsx" || ext == ".xlsm") {
            set("OGR_XLSX_HEADERS", "FORCE");
        } else if (ext == ".ods") {
            set("OGR_ODS_HEADERS", "FORCE");
        }
    }
    ~SpreadsheetSettings() {
        for (const auto& [key, previous] : m_saved) {
            CPLSetThreadLocalConfigOption(key.c_str(), previous ? previous->c_str() : nullptr);
        }
    }
    SpreadsheetSettings(const SpreadsheetSettings&) = delete;
    SpreadsheetSettings& operator=(const SpreadsheetSettings&) = delete;

private:
    void set(const char* key, const char* value) {
        const char* previous = CPLGetThreadLocalConfigOption(key, nullptr);
        m_saved.emplace_back(key, previous ? std::optional<std::string>{previous} : std::nullopt);
        CPLSetThreadLocalConfigOption(key, value);
    }
    std::vector<std::pair<std::string, std::optional<std::string>>> m_saved;
};

bool is_tabular_driver(const GDALDataset& dataset) {
    const auto* driver = const_cast<GDALDataset&>(dataset).GetDriver();
    if (driver == nullptr) {
        return false;
    }
    const std::string name = driver->GetDescription();
    return name == "CSV" || name == "XLSX" || name == "ODS" || name == "XLS";
}

std::string field_text(const OGRFeature& feature, int index) {
    if (!feature.IsFieldSetAndNotNull(index)) {
        return {};
    }
    const auto* defn = feature.GetFieldDefnRef(index);
    const auto type = defn->GetType();
    if (type == OFTDate || type == OFTDateTime) {
        // OGR prints dates as YYYY/MM/DD; deadzone's contract is ISO 8601.
        int year = 0, month = 0, day = 0, hour = 0, minute = 0, tz = 0;
        float second = 0.0f;
        if (feature.GetFieldAsDateTime(index, &year, &month, &day, &hour, &minute, &second, &tz)) {
            return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
        }
    }
    return feature.GetFieldAsString(index);
}

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* ct) const noexcept {
        OGRCoordinateTransformation::DestroyCT(ct);
    }
};

bool open_layer_crs(const OGRLayer& layer_in, LayerInfo& info, Diagnostics& diagnostics) {
    auto& layer = const_cast<OGRLayer&>(layer_in);
    const OGRSpatialReference* srs = layer.GetSpatialRef();
    info.has_crs = srs != nullptr && !info.tabular;
    info.is_wgs84 = false;
    if (!info.has_crs) {
        return true;
    }
    CPLErrorReset();
    std::shared_ptr<OGRCoordinateTransformation> ct{
        OGRCreateCoordinateTransformation(srs, &geo::wgs84()), TransformDeleter{}};
    if (!ct) {
        const char* name = srs->GetName();
        diagnostics.error(Location{info.file, std::nullopt, info.layer, std::nullopt}, "",
                          "crs_unsupported",
                          fmt::format("cannot transform from the source's CRS ({}) to WGS84: {}",
                                      name != nullptr ? name : "unnamed", geo::last_gdal_error()));
        return false;
    }
    // Sources already in lon/lat WGS84 (GeoJSON, KML, most GeoPackages) need no transformation;
    // a probe point that comes back unchanged tells so without comparing CRS definitions.
    double x = 105.0;
    double y = 21.0;
    if (ct->Transform(1, &x, &y) && x == 105.0 && y == 21.0) {
        info.is_wgs84 = true;
        return true;
    }
    info.to_wgs84 = std::move(ct);
    return true;
}


std::string driver_name(const GDALDataset& dataset) {
    const auto* driver = const_cast<GDALDataset&>(dataset).GetDriver();
    return driver != nullptr ? std::string{driver->GetDescription()} : std::string{};
}

const char* file_kind(std::filesystem::file_type type) {
    switch (type) {
    case std::filesystem::file_type::fifo: return "named pipe (FIFO)";
    case std::filesystem::file_type::socket: return "socket";
    case std::filesystem::file_type::character: return "character device";
    case std::filesystem::file_type::block: return "block device";
    default: return "special file";
    }
}

/// The layers that carry at least one required field; a source's first layer when none does.
std::vector<int> chosen_layers(GDALDataset& dataset, const std::vector<FieldSpec>& specs) {
    std::vector<int> chosen;
    for (int i = 0; i < dataset.GetLayerCount(); ++i) {
        auto* layer = dataset.GetLayer(i);
        std::vector<std::string> names;
        for (int f = 0; f < layer->GetLayerDefn()->GetFieldCount(); ++f) {
            names.emplace_back(layer->GetLayerDefn()->GetFieldDefn(f)->GetNameRef());
        }
        const auto map = match_fields(names, specs);
        for (std::size_t s = 0; s < specs.size(); ++s) {
            if (specs[s].required && map.column[s] >= 0) {
                chosen.push_back(i);
                break;
            }
        }
    }
    if (chosen.empty()) {
        chosen.push_back(0);
    }
    return chosen;
}

/// Reports required columns the layer lacks. A layer with no features and no columns at all (an
/// empty FeatureCollection) gets one `no_features` error instead: it is empty, not mis-labelled.
bool check_layer_columns(OGRLayer& layer, const LayerInfo& info, const std::vector<FieldSpec>& specs,
                         Diagnostics& diagnostics) {
    const Location where{info.file, std::nullopt, info.layer, std::nullopt};
    if (info.column_names.empty() && layer.GetFeatureCount(TRUE) == 0) {
        diagnostics.error(where, "", "no_features", "the file holds no features (no rows and no columns)");
        return false;
    }
    for (const auto& name : info.column_names) {
        if (invalid_utf8_at(name)) {
            diagnostics.error(where, "", "bad_encoding",
                              "the column names are not UTF-8; save the file as UTF-8 (it may be "
                              "Windows-1258 or Latin-1)");
            break;
        }
    }
    for (std::size_t s = 0; s < specs.size(); ++s) {
        if (specs[s].required && info.fields.column[s] < 0) {
            std::string accepted = specs[s].name;
            for (const auto& alias : specs[s].aliases) {
                accepted += "|" + alias;
            }
            diagnostics.error(where, specs[s].name, "missing_column",
                              fmt::format("required column '{}' is missing (accepted names: {})", specs[s].name,
                                          accepted));
        }
    }
    return true;
}

/// One value as the readers see it: checked to be UTF-8 and brought to NFC. Returns false (with
/// a `bad_encoding` error) for text in another encoding, which would reach the reports as
/// invalid UTF-8: guessing between Windows-1258, Latin-1 and others would garble names silently.
bool clean_text(std::string& value, const Location& where, const std::string& field, Diagnostics& diagnostics,
                std::size_t& encoding_errors) {
    if (const auto at = invalid_utf8_at(value)) {
        constexpr std::size_t shown_rows = 20;
        if (encoding_errors++ < shown_rows) {
            diagnostics.error(where, field, "bad_encoding",
                              fmt::format("the text is not UTF-8 (byte 0x{:02X} at position {}); save the file "
                                          "as UTF-8 (it may be Windows-1258 or Latin-1)",
                                          static_cast<unsigned char>(value[*at]), *at + 1));
        }
        return false;
    }
    value = to_nfc(value);
    return true;
}

/// Reads the features of one layer into rows and hands them to `on_row`, skipping rows the CSV
/// scan found misread and rows whose text is not UTF-8. Returns the number of features read.
long read_rows(OGRLayer& layer, const LayerInfo& info, const std::vector<FieldSpec>& specs,
               const std::set<long>* untrusted_rows, Diagnostics& diagnostics,
               const std::function<void(const LayerInfo&, Row&)>& on_row) {
    layer.ResetReading();
    long ordinal = 0;
    std::size_t encoding_errors = 0;
    while (OGRFeatureUniquePtr feature{layer.GetNextFeature()}) {
        Row row;
        if (info.tabular) {
            row.where = Location{info.file, ordinal + 2, {}, std::nullopt};
        } else {
            row.where = Location{info.file, std::nullopt, info.layer, static_cast<long>(feature->GetFID())};
        }
        ++ordinal;
        if (untrusted_rows != nullptr && untrusted_rows->count(*row.where.row) > 0) {
            continue;
        }
        row.source = source_text(info, row.where);
        row.values.resize(specs.size());
        bool clean = true;
        for (std::size_t s = 0; s < specs.size(); ++s) {
            const int column = info.fields.column[s];
            if (column >= 0) {
                row.values[s] = trim(field_text(*feature, column));
                clean = clean_text(row.values[s], row.where, trim(info.column_names[static_cast<std::size_t>(column)]),
                                   diagnostics, encoding_errors) && clean;
            }
        }
        row.extra.reserve(info.fields.extra_columns.size());
        for (std::size_t e = 0; e < info.fields.extra_columns.size(); ++e) {
            std::string value = field_text(*feature, info.fields.extra_columns[e]);
            clean = clean_text(value, row.where, info.fields.extra_names[e], diagnostics, encoding_errors) && clean;
            row.extra.emplace_back(info.fields.extra_names[e], std::move(value));
        }
        if (!clean) {
            continue;
        }
        if (!info.tabular) {
            row.geometry.reset(feature->StealGeometry());
        }
        on_row(info, row);
    }
    if (encoding_errors > 20) {
        diagnostics.error(Location{info.file, std::nullopt, info.layer, std::nullopt}, "", "bad_encoding",
                          fmt::format("{} more values are not UTF-8", encoding_errors - 20));
    }
    return ordinal;
}

} // namespace

bool check_input_file(const std::filesystem::path& file, Diagnostics& diagnostics) {
    const Location where{file.string(), std::nullopt, {}, std::nullopt};
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
        diagnostics.error(where, "", "file_not_found", "the file does not exist");
        return false;
    }
    if (status.type() == std::filesystem::file_type::directory) {
        if (lower_extension(file) == ".gdb") {
            return true; // an ESRI File Geodatabase is a folder
        }
        diagnostics.error(where, "", "cannot_open", "this is a folder, not a data file");
        return false;
    }
    if (status.type() != std::filesystem::file_type::regular) {
        // Reading a FIFO blocks until someone writes to it; a device never ends.
        diagnostics.error(where, "", "not_a_file",
                          fmt::format("this is not a regular file but a {}; give the data file itself",
                                      file_kind(status.type())));
        return false;
    }
    const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        diagnostics.error(where, "", error == EACCES ? "permission_denied" : "cannot_open",
                          error == EACCES ? std::string{"permission denied: the file cannot be read by this user"}
                                          : fmt::format("the file cannot be read ({})", std::strerror(error)));
        return false;
    }
    ::close(fd);
    return true;
}

bool read_table(const std::filesystem::path& file, const std::vector<FieldSpec>& specs,
                Diagnostics& diagnostics, const std::function<void(const LayerInfo&)>& on_layer,
                const std::function<void(const LayerInfo&, Row&)>& on_row) {
    const std::string file_text = file.string();
    const Location file_location{file_text, std::nullopt, {}, std::nullopt};
    if (!check_input_file(file, diagnostics)) {
        return false;
    }
    if (std::error_code ec; std::filesystem::is_regular_file(file, ec) && std::filesystem::file_size(file, ec) == 0 && !ec) {
        diagnostics.error(file_location, "", "no_features", "the file is empty (0 bytes)");
        return false;
    }
    geo::ensure_gdal();
    CPLErrorReset();
    const SpreadsheetSettings spreadsheet_settings{file};
    const auto options = open_options_for(file);
    geo::DatasetPtr dataset{GDALDataset::Open(file_text.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                              nullptr, options.List(), nullptr)};
    if (!dataset) {
        const auto reason = geo::last_gdal_error();
        diagnostics.error(file_location, "", "cannot_open",
                          "cannot read this file as a table or vector layer" +
                              (reason.empty() ? std::string{} : " (" + reason + ")"));
        return false;
    }
    const bool tabular = is_tabular_driver(*dataset);
    const int layer_count = dataset->GetLayerCount();
    if (layer_count == 0) {
        diagnostics.error(file_location, "", "no_layer", "the file holds no table or vector layer");
        return false;
    }
    if (driver_name(*dataset) == "GeoJSON") {
        report_json_nul_characters(file, diagnostics);
    }
    for (const int index : chosen_layers(*dataset, specs)) {
        auto* layer = dataset->GetLayer(index);
        LayerInfo info;
        info.file = file_text;
        info.short_name = file.filename().string();
        info.tabular = tabular;
        // The layer is named only when it tells something: sources with several layers.
        info.layer = tabular || layer_count == 1 ? std::string{} : std::string{layer->GetName()};
        info.has_geometry = !tabular && layer->GetGeomType() != wkbNone;
        const auto* defn = layer->GetLayerDefn();
        for (int f = 0; f < defn->GetFieldCount(); ++f) {
            info.column_names.emplace_back(defn->GetFieldDefn(f)->GetNameRef());
        }
        info.fields = match_fields(info.column_names, specs);
        if (!check_layer_columns(*layer, info, specs, diagnostics) || !open_layer_crs(*layer, info, diagnostics)) {
            continue;
        }
        std::optional<CsvScan> scan;
        if (driver_name(*dataset) == "CSV") {
            scan = scan_csv(file, info.column_names);
            for (auto& problem : scan->problems) {
                diagnostics.add(std::move(problem));
            }
        }
        on_layer(info);
        const long rows_read = read_rows(*layer, info, specs, scan ? &scan->untrusted_rows : nullptr,
                                         diagnostics, on_row);
        if (scan && scan->complete && rows_read != scan->records) {
            diagnostics.error(file_location, "", "csv_row_count",
                              fmt::format("GDAL read {} rows but the file's lines hold {}: rows were merged or "
                                          "split (check the quotes)",
                                          rows_read, scan->records));
        }
    }
    return true;
}

// --- coordinates ------------------------------------------------------------------------------

double distance_to_box_m(const geo::Point& point, const geo::Box& box) {
    const double lon = std::clamp(point.x(), box.min_corner().x(), box.max_corner().x());
    const double lat = std::clamp(point.y(), box.min_corner().y(), box.max_corner().y());
    if (lon == point.x() && lat == point.y()) {
        return 0.0;
    }
    return geo::distance_m(point, geo::Point{lon, lat});
}

namespace {
bool in_range(const geo::Point& p) {
    return std::fabs(p.x()) <= 180.0 && std::fabs(p.y()) <= 90.0;
}

bool fits(const geo::Point& p, const std::optional<geo::Box>& area) {
    return in_range(p) && (!area || distance_to_box_m(p, *area) <= area_margin_m);
}

std::string number_text(double value) {
    return fmt::format("{:.7g}", value);
}
} // namespace

CoordinateJudge::CoordinateJudge(const LayerInfo& layer, std::optional<geo::Box> area, std::string area_name)
    : m_file(layer.file), m_layer(layer.layer), m_area(std::move(area)), m_area_name(std::move(area_name)),
      m_doubtful(!layer.has_crs) {}

void CoordinateJudge::report(Problem problem, Diagnostics& row_problems) {
    if (m_doubtful) {
        m_held.push_back(std::move(problem));
    } else {
        row_problems.add(std::move(problem));
    }
}

bool CoordinateJudge::check_point(const geo::Point& point, const Location& where,
                                  const std::string& lon_field, const std::string& lat_field,
                                  Diagnostics& row_problems) {
    ++m_seen;
    if (fits(point, m_area)) {
        ++m_fitting;
        return true;
    }
    const geo::Point swapped{point.y(), point.x()};
    if (fits(swapped, m_area)) {
        // A swapped pair is still evidence that the file is in lon/lat degrees.
        ++m_fitting;
        row_problems.add(Problem{Severity::error, where, lon_field, "swapped_lonlat",
                                 fmt::format("{}={} and {}={} look swapped: read the other way round "
                                             "the point lies {}",
                                             lon_field, number_text(point.x()), lat_field,
                                             number_text(point.y()),
                                             m_area ? "inside " + m_area_name : std::string{"within range"})});
        return false;
    }
    bool reported = false;
    if (in_range(point)) {
        ++m_in_range;
    }
    if (std::fabs(point.y()) > 90.0) {
        report(Problem{Severity::error, where, lat_field, "lat_out_of_range",
                       fmt::format("latitude {} is outside [-90, 90]", number_text(point.y()))},
               row_problems);
        reported = true;
    }
    if (std::fabs(point.x()) > 180.0) {
        report(Problem{Severity::error, where, lon_field, "lon_out_of_range",
                       fmt::format("longitude {} is outside [-180, 180]", number_text(point.x()))},
               row_problems);
        reported = true;
    }
    if (!reported) {
        const double gap_m = distance_to_box_m(point, *m_area);
        note_gap(gap_m);
        report(Problem{Severity::error, where, lon_field + "/" + lat_field, "outside_area",
                       fmt::format("position ({}, {}) is {:.0f} km outside {}", number_text(point.x()),
                                   number_text(point.y()), gap_m / 1000.0, m_area_name)},
               row_problems);
    }
    return false;
}

bool CoordinateJudge::check_box(const geo::Box& box, const Location& where, const std::string& field,
                                Diagnostics& row_problems) {
    ++m_seen;
    const geo::Point low = box.min_corner();
    const geo::Point high = box.max_corner();
    if (!in_range(low) || !in_range(high)) {
        report(Problem{Severity::error, where, field, "coordinates_out_of_range",
                       fmt::format("coordinates reach ({}, {}) .. ({}, {}), outside lon [-180, 180] / "
                                   "lat [-90, 90]",
                                   number_text(low.x()), number_text(low.y()), number_text(high.x()),
                                   number_text(high.y()))},
               row_problems);
        return false;
    }
    if (m_area) {
        const geo::Point center{(low.x() + high.x()) / 2.0, (low.y() + high.y()) / 2.0};
        const bool apart = high.x() < m_area->min_corner().x() || low.x() > m_area->max_corner().x() ||
                           high.y() < m_area->min_corner().y() || low.y() > m_area->max_corner().y();
        const double gap_m = apart ? distance_to_box_m(center, *m_area) : 0.0;
        if (gap_m > area_margin_m) {
            ++m_in_range;
            note_gap(gap_m);
            report(Problem{Severity::error, where, field, "outside_area",
                           fmt::format("geometry around ({}, {}) is {:.0f} km outside {}", number_text(center.x()),
                                       number_text(center.y()), gap_m / 1000.0, m_area_name)},
                   row_problems);
            return false;
        }
    }
    ++m_fitting;
    return true;
}

void CoordinateJudge::note_gap(double gap_m) {
    m_nearest_m = m_nearest_m < 0.0 ? gap_m : std::min(m_nearest_m, gap_m);
    m_farthest_m = std::max(m_farthest_m, gap_m);
}

void CoordinateJudge::finish(Diagnostics& diagnostics) {
    if (m_doubtful && m_seen > 0 && m_fitting == 0 && m_in_range == m_seen) {
        // Every position is valid lon/lat, just far away: a .prj would not help. The file is
        // another region's (or the area is wrong, or lon/lat are swapped for every row).
        diagnostics.error(Location{m_file, std::nullopt, m_layer, std::nullopt}, "", "all_outside_area",
                          fmt::format("none of its {} positions lies in {}: they are {:.0f} to {:.0f} km away; is "
                                      "this the right file (or the right area_bbox)?",
                                      m_seen, m_area_name, m_nearest_m / 1000.0, m_farthest_m / 1000.0));
    } else if (m_doubtful && m_seen > 0 && m_fitting == 0) {
        diagnostics.error(Location{m_file, std::nullopt, m_layer, std::nullopt}, "",
                          "crs_missing",
                          fmt::format("the source declares no CRS and none of its {} positions are "
                                      "WGS84 lon/lat{}; give the file a CRS (e.g. a .prj) or convert "
                                      "it to lon/lat",
                                      m_seen, m_area ? " in " + m_area_name : std::string{}));
    } else {
        for (auto& problem : m_held) {
            diagnostics.add(std::move(problem));
        }
    }
    m_held.clear();
    m_seen = 0;
    m_fitting = 0;
    m_in_range = 0;
    m_nearest_m = -1.0;
    m_farthest_m = 0.0;
}

bool to_wgs84(const LayerInfo& layer, OGRGeometry& geometry, const Location& where,
              Diagnostics& diagnostics) {
    if (!layer.to_wgs84) {
        return true;
    }
    if (geometry.transform(layer.to_wgs84.get()) != OGRERR_NONE) {
        diagnostics.error(where, "geometry", "crs_transform_failed",
                          "the geometry cannot be transformed to WGS84 from the source's CRS");
        return false;
    }
    return true;
}

Located locate(const LayerInfo& layer, Row& row, const PositionFields& fields, CoordinateJudge& judge,
               Diagnostics& diagnostics) {
    Located out;
    const auto value = [&](int index) -> const std::string& {
        static const std::string empty;
        return index >= 0 ? row.values[static_cast<std::size_t>(index)] : empty;
    };
    std::string lon_label = "geometry";
    std::string lat_label = "geometry";
    if (row.geometry && !row.geometry->IsEmpty()) {
        out.present = true;
        if (!to_wgs84(layer, *row.geometry, row.where, diagnostics)) {
            return out;
        }
        out.geometry = std::move(row.geometry);
    } else if (!value(fields.wkt).empty()) {
        out.present = true;
        OGRGeometry* parsed = nullptr;
        const std::string& wkt = value(fields.wkt);
        const char* cursor = wkt.c_str();
        if (OGRGeometryFactory::createFromWkt(&cursor, nullptr, &parsed) != OGRERR_NONE || parsed == nullptr) {
            diagnostics.error(row.where, "wkt", "bad_wkt",
                              fmt::format("'{}' is not a WKT geometry", wkt.substr(0, 60)));
            return out;
        }
        out.geometry.reset(parsed);
        if (out.geometry->IsEmpty()) {
            out.present = false;
            out.geometry.reset();
            return out;
        }
        if (!to_wgs84(layer, *out.geometry, row.where, diagnostics)) {
            return out;
        }
    } else if (!value(fields.lon).empty() || !value(fields.lat).empty()) {
        out.present = true;
        lon_label = trim(layer.column_names[static_cast<std::size_t>(layer.fields.column[static_cast<std::size_t>(fields.lon)])]);
        lat_label = trim(layer.column_names[static_cast<std::size_t>(layer.fields.column[static_cast<std::size_t>(fields.lat)])]);
        bool good = true;
        std::optional<double> coordinate[2];
        const int indices[2] = {fields.lon, fields.lat};
        const std::string labels[2] = {lon_label, lat_label};
        for (int k = 0; k < 2; ++k) {
            const std::string& text = value(indices[k]);
            if (text.empty()) {
                diagnostics.error(row.where, labels[k], "missing_value",
                                  fmt::format("'{}' is empty", labels[k]));
                good = false;
                continue;
            }
            coordinate[k] = parse_number(text);
            if (!coordinate[k]) {
                diagnostics.error(row.where, labels[k], "bad_number",
                                  fmt::format("'{}' is not a number{}", text, number_advice(text)));
                good = false;
            }
        }
        if (!good) {
            return out;
        }
        out.geometry = geo::GeometryPtr{new OGRPoint(*coordinate[0], *coordinate[1])};
    } else {
        return out;
    }

    const auto type = wkbFlatten(out.geometry->getGeometryType());
    if (type == wkbPoint) {
        const auto* point = out.geometry->toPoint();
        const geo::Point position{point->getX(), point->getY()};
        out.ok = judge.check_point(position, row.where, lon_label, lat_label, diagnostics);
        if (out.ok) {
            out.point = position;
        }
    } else {
        OGREnvelope envelope;
        out.geometry->getEnvelope(&envelope);
        out.ok = judge.check_box(geo::Box{{envelope.MinX, envelope.MinY}, {envelope.MaxX, envelope.MaxY}},
                                 row.where, "geometry", diagnostics);
    }
    return out;
}

} // namespace deadzone::ingest::detail
