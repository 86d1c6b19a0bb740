// Reading any OGR source as rows of text plus a geometry, with the checks GDAL does not make
// (special files, encodings, CSV quoting) done on the way.
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
#include <fstream>

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

/// "UTF-16" / "UTF-32" when the file starts with such a byte-order mark (as Excel's "Unicode
/// text" export does), else "".
std::string utf16_or_32(const std::filesystem::path& file) {
    std::ifstream stream{file, std::ios::binary};
    char head[4] = {};
    stream.read(head, 4);
    const auto got = stream.gcount();
    const auto byte = [&](int i) { return static_cast<unsigned char>(head[i]); };
    if (got >= 4 && ((byte(0) == 0xFF && byte(1) == 0xFE && byte(2) == 0 && byte(3) == 0) ||
                     (byte(0) == 0 && byte(1) == 0 && byte(2) == 0xFE && byte(3) == 0xFF))) {
        return "UTF-32";
    }
    if (got >= 2 && ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF))) {
        return "UTF-16";
    }
    return {};
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
        row.source = entity_source(info, row.where);
        row.values.resize(specs.size());
        bool clean = true;
        std::vector<bool> text_column(specs.size(), false);
        for (std::size_t s = 0; s < specs.size(); ++s) {
            const int column = info.fields.column[s];
            if (column >= 0) {
                text_column[s] = feature->GetFieldDefnRef(column)->GetType() == OFTString;
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
        if (!clean || !localize_row(info, specs, text_column, row, diagnostics)) {
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
                const std::function<void(const LayerInfo&, Row&)>& on_row, const InputRules& rules) {
    const std::string file_text = file.string();
    const Location file_location{file_text, std::nullopt, {}, std::nullopt};
    if (!check_input_file(file, diagnostics)) {
        return false;
    }
    if (std::error_code ec; std::filesystem::is_regular_file(file, ec) && std::filesystem::file_size(file, ec) == 0 && !ec) {
        diagnostics.error(file_location, "", "no_features", "the file is empty (0 bytes)");
        return false;
    }
    if (const auto encoding = utf16_or_32(file); !encoding.empty()) {
        // GDAL would read every other byte as a NUL and report nonsense row by row.
        diagnostics.error(file_location, "", "bad_encoding",
                          fmt::format("the file is {} (it starts with that byte-order mark); save it as UTF-8",
                                      encoding));
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
        // A decimal comma is only unambiguous where ',' cannot be the column separator.
        info.rules = rules;
        info.decimal_comma = rules.vietnamese && tabular && (!scan || scan->separator == ';');
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

} // namespace deadzone::ingest::detail
