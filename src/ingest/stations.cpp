// Stations, one row per cell: operator, site/cell ids, position, technology, status, dates and
// radio fields, each checked against physically possible values.
#include "delays.hpp"
#include "detail.hpp"

#include <deadzone/ingest/ingest.hpp>

// Boost.Geometry 1.74's envelope/expand code, once inlined into villages_extent, trips GCC 12's
// -Wmaybe-uninitialized (false positives inside Boost; its variables are set before use).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/algorithms/expand.hpp>
#include <fmt/format.h>
#include <ogr_geometry.h>

#include <cmath>
#include <deque>
#include <fstream>
#include <unordered_map>

namespace deadzone::ingest {

namespace detail {
bool looks_like_opencellid(const std::filesystem::path& file);
void read_opencellid_rows(const std::filesystem::path& file, const Campaign& campaign,
                          const StationOptions& options, Diagnostics& local,
                          std::deque<std::pair<Cell, Location>>& cells);
} // namespace detail

namespace {

enum StationField {
    f_operator, f_site, f_cell, f_lon, f_lat, f_wkt, f_tech, f_status, f_on_air, f_off_air,
    f_height, f_freq, f_eirp, f_azimuth, f_beamwidth, f_tilt, f_range,
    f_delay_first // the delay fields (delays.hpp) follow
};

// Aliases include the 10-character names a Shapefile (DBF) truncates the canonical ones to.
const std::vector<detail::FieldSpec>& station_specs() {
    static const std::vector<detail::FieldSpec> specs = [] {
        std::vector<detail::FieldSpec> own{
        {"operator", {"operator_code", "op", "carrier", "mno", "nha_mang"}, false},
        {"site_id", {"site", "site_code", "bts_id", "ma_tram"}, true},
        {"cell_id", {"cell", "sector", "sector_id", "cell_code"}, false},
        {"lon", {"lng", "long", "longitude", "x"}, false},
        {"lat", {"latitude", "y"}, false},
        {"wkt", {"geometry", "geom", "the_geom", "wkt_geom"}, false},
        {"tech", {"technology", "radio", "rat", "system"}, false},
        {"status", {"state"}, false},
        {"on_air_date", {"on_air", "onair_date", "date_on_air", "activation_date", "on_air_dat"}, false},
        {"off_air_date", {"off_air", "offair_date", "date_off_air", "decommission_date", "off_air_da"}, false},
        {"height_m", {"height", "antenna_height", "antenna_height_m"}, false},
        {"freq_mhz", {"freq", "frequency", "frequency_mhz"}, false},
        {"eirp_dbm", {"eirp", "power_dbm"}, false},
        {"azimuth_deg", {"azimuth", "az", "bearing", "azimuth_de"}, false},
        {"beamwidth_deg", {"beamwidth", "bw", "hbw", "horizontal_beamwidth", "beamwidth_"}, false},
        {"tilt_deg", {"tilt", "downtilt", "downtilt_deg"}, false},
        {"range_m", {"range", "radius_m"}, false},
        };
        const auto& delays = detail::delay_specs();
        own.insert(own.end(), delays.begin(), delays.end());
        return own;
    }();
    return specs;
}

struct RadioRule {
    StationField field;
    std::optional<double> Cell::*member;
    double low;
    double high;
    bool low_open;
    bool high_open;
    const char* code;
};

// Physically possible values; outside them the row is wrong, not merely unusual.
const RadioRule radio_rules[] = {
    {f_height, &Cell::height_m, 0.0, 1000.0, true, false, "height_out_of_range"},
    {f_freq, &Cell::freq_mhz, 30.0, 100000.0, false, false, "freq_out_of_range"},
    {f_eirp, &Cell::eirp_dbm, 0.0, 90.0, false, false, "eirp_out_of_range"},
    {f_azimuth, &Cell::azimuth_deg, 0.0, 360.0, false, true, "azimuth_out_of_range"},
    {f_beamwidth, &Cell::beamwidth_deg, 0.0, 360.0, true, false, "beamwidth_out_of_range"},
    {f_tilt, &Cell::tilt_deg, -90.0, 90.0, false, false, "tilt_out_of_range"},
    {f_range, &Cell::range_m, 0.0, detail::max_range_m, true, false, "range_out_of_range"},
};

std::string interval_text(const RadioRule& rule) {
    return fmt::format("{}{:g}, {:g}{}", rule.low_open ? "(" : "[", rule.low, rule.high, rule.high_open ? ")" : "]");
}

} // namespace

namespace detail {

/// Checks the --operator option against the campaign, reporting once per file.
std::optional<std::string> resolve_operator_option(const std::filesystem::path& file, const Campaign& campaign,
                                                   const StationOptions& options, Diagnostics& local) {
    if (!options.operator_code) {
        return std::nullopt;
    }
    if (campaign.operators.empty()) {
        return options.operator_code;
    }
    if (const auto* op = campaign.find_operator(*options.operator_code)) {
        return op->code;
    }
    local.error(Location{file.string(), std::nullopt, {}, std::nullopt}, "operator", "unknown_operator",
                fmt::format("--operator '{}' is not one of the campaign's operators", *options.operator_code));
    return options.operator_code;
}

/// Resolves a row's operator text: canonical code, or an error (unknown / other than --operator).
std::optional<std::string> resolve_row_operator(const std::string& text, const std::optional<std::string>& expected,
                                                const Campaign& campaign, const Location& where,
                                                const std::string& field, Diagnostics& local) {
    std::string code = text;
    if (!campaign.operators.empty()) {
        const auto* op = campaign.find_operator(text);
        if (op == nullptr) {
            local.error(where, field, "unknown_operator",
                        fmt::format("operator '{}' is not one of the campaign's operators", text));
            return std::nullopt;
        }
        code = op->code;
    }
    if (expected && !iequals(code, *expected)) {
        local.error(where, field, "other_operator",
                    fmt::format("row belongs to operator '{}', but this file is uploaded for '{}'", code, *expected));
        return std::nullopt;
    }
    return code;
}

} // namespace detail

namespace {

/// One station row being read: its values, the labels of its fields as the file names them, and
/// where its problems go. The readers below each fill a part of the cell.
struct StationRow {
    const detail::LayerInfo& layer;
    detail::Row& row;
    Diagnostics& local;

    const std::string& value(int index) const { return row.values[static_cast<std::size_t>(index)]; }
    std::string label(int index) const { return detail::field_label(layer, station_specs(), index); }
    void error(int index, const char* code, std::string message) const {
        local.error(row.where, label(index), code, std::move(message));
    }
};

/// The row's own operator, else the one the file is uploaded for (--operator).
void read_operator(const StationRow& r, const std::optional<std::string>& expected, const Campaign& campaign,
                   Cell& cell) {
    if (!r.value(f_operator).empty()) {
        if (auto code = detail::resolve_row_operator(r.value(f_operator), expected, campaign, r.row.where,
                                                     r.label(f_operator), r.local)) {
            cell.operator_code = *code;
        }
    } else if (expected) {
        cell.operator_code = *expected;
    } else if (r.layer.fields.column[f_operator] >= 0) {
        r.error(f_operator, "missing_value", "'operator' is empty (or give --operator)");
    }
}

/// The cell's position from the layer's geometry, a WKT column or lon/lat; false when the row
/// has a position that cannot be used (its problem is reported).
bool read_position(const StationRow& r, detail::CoordinateJudge& judge, Cell& cell) {
    auto located = detail::locate(r.layer, r.row, detail::PositionFields{f_lon, f_lat, f_wkt}, judge, r.local);
    if (!located.present) {
        r.local.error(r.row.where, r.layer.has_geometry ? "geometry" : "lon/lat", "missing_value",
                      "the cell has no position");
    } else if (located.ok && !located.point) {
        r.local.error(r.row.where, "geometry", "bad_geometry_type",
                      fmt::format("a cell must be a Point, not a {}",
                                  OGRGeometryTypeToName(located.geometry->getGeometryType())));
    } else if (located.point) {
        cell.position = *located.point;
    }
    return !located.present || located.ok;
}

void read_tech(const StationRow& r, Cell& cell) {
    const auto& text = r.value(f_tech);
    if (text.empty()) {
        r.local.warning(r.row.where, r.label(f_tech), "tech_assumed", "no technology given; taken as 4G");
    } else if (const auto tech = parse_tech(text)) {
        cell.tech = *tech;
    } else {
        r.error(f_tech, "unknown_tech", fmt::format("'{}' is not a technology (2G|3G|4G|5G or GSM|UMTS|LTE|NR)", text));
    }
}

/// Status, on-air and off-air dates, and the rules that tie them together.
void read_status_and_dates(const StationRow& r, Cell& cell) {
    const auto date = [&](int index) -> std::optional<Date> {
        const auto& text = r.value(index);
        if (text.empty()) {
            return std::nullopt;
        }
        const auto parsed = Date::parse(text);
        if (!parsed) {
            r.error(index, "bad_date", Date::parse_problem(text));
        }
        return parsed;
    };
    cell.on_air_date = date(f_on_air);
    cell.off_air_date = date(f_off_air);
    const bool on_air_given = !r.value(f_on_air).empty();
    const bool off_air_given = !r.value(f_off_air).empty();

    if (const auto& text = r.value(f_status); !text.empty()) {
        if (const auto status = parse_cell_status(text)) {
            cell.status = *status;
        } else {
            r.error(f_status, "bad_status", fmt::format("'{}' is not a status (planned|building|on_air|off_air)", text));
        }
    } else if (on_air_given) {
        cell.status = CellStatus::on_air;
    } else {
        // Listed without status or date: no evidence it broadcasts, so it counts for nothing yet.
        cell.status = CellStatus::planned;
        r.local.warning(r.row.where, r.label(f_status), "status_assumed_planned",
                        "no status and no on_air_date: taken as planned (not on air)");
    }
    if ((cell.status == CellStatus::on_air || cell.status == CellStatus::off_air) && !on_air_given) {
        r.error(f_on_air, "on_air_without_date", fmt::format("status {} needs an on_air_date", to_string(cell.status)));
    }
    if (cell.status == CellStatus::off_air && !off_air_given) {
        r.error(f_off_air, "off_air_without_date", "status off_air needs an off_air_date");
    }
    if (cell.on_air_date && cell.off_air_date && *cell.off_air_date <= *cell.on_air_date) {
        r.error(f_off_air, "off_air_before_on_air",
                fmt::format("off_air_date {} is not after on_air_date {}", cell.off_air_date->iso(),
                            cell.on_air_date->iso()));
    }
}

/// Height, frequency, EIRP, azimuth, beamwidth, tilt and range, each within its physical bounds.
void read_radio(const StationRow& r, Cell& cell) {
    for (const auto& rule : radio_rules) {
        const auto& text = r.value(rule.field);
        if (text.empty()) {
            continue;
        }
        const auto value = detail::parse_number(text);
        if (!value) {
            r.error(rule.field, "bad_number", fmt::format("'{}' is not a number{}", text, detail::number_advice(text)));
            continue;
        }
        const bool below = rule.low_open ? *value <= rule.low : *value < rule.low;
        const bool above = rule.high_open ? *value >= rule.high : *value > rule.high;
        if (below || above) {
            r.error(rule.field, rule.code, fmt::format("{} is outside {}", text, interval_text(rule)));
            continue;
        }
        cell.*(rule.member) = *value;
    }
}

void read_station_rows(const std::filesystem::path& file, const Campaign& campaign, const StationOptions& options,
                       Diagnostics& local, std::deque<std::pair<Cell, Location>>& cells) {
    const auto& specs = station_specs();
    const auto expected = detail::resolve_operator_option(file, campaign, options, local);
    std::optional<detail::CoordinateJudge> judge;
    bool layer_has_position = true;
    bool layer_has_operator = true;

    const auto on_layer = [&](const detail::LayerInfo& layer) {
        if (judge) {
            judge->finish(local);
        }
        judge.emplace(layer, options.area, options.area_name);
        const Location where{layer.file, std::nullopt, layer.layer, std::nullopt};
        layer_has_position = layer.has_geometry || layer.fields.column[f_wkt] >= 0 ||
                             (layer.fields.column[f_lon] >= 0 && layer.fields.column[f_lat] >= 0);
        if (!layer_has_position) {
            local.error(where, "lon/lat", "missing_column", "no position: the source has no point geometry and no lon/lat columns");
        }
        layer_has_operator = layer.fields.column[f_operator] >= 0 || expected.has_value();
        if (!layer_has_operator) {
            local.error(where, "operator", "missing_column", "no 'operator' column: add one or give --operator");
        }
    };

    const auto on_row = [&](const detail::LayerInfo& layer, detail::Row& row) {
        const std::size_t errors_before = local.error_count();
        const StationRow r{layer, row, local};
        bool rejected = !layer_has_position || !layer_has_operator;
        Cell cell;
        cell.source = row.source;
        read_operator(r, expected, campaign, cell);
        cell.site_id = r.value(f_site);
        if (cell.site_id.empty()) {
            if (layer.fields.column[f_site] >= 0) {
                r.error(f_site, "missing_value", fmt::format("'{}' is empty", r.label(f_site)));
            } else {
                rejected = true;
            }
        }
        cell.cell_id = r.value(f_cell);
        if (layer_has_position && !read_position(r, *judge, cell)) {
            rejected = true;
        }
        read_tech(r, cell);
        read_status_and_dates(r, cell);
        read_radio(r, cell);
        detail::read_delay_fields(layer, specs, f_delay_first, row, campaign, cell, local);

        cell.extra = std::move(row.extra);
        if (local.error_count() == errors_before && !rejected) {
            cells.emplace_back(std::move(cell), row.where);
        } else if (!cell.operator_code.empty() && !cell.site_id.empty()) {
            // Keep the key of a rejected row so a later duplicate of it is still reported.
            cell.extra.clear();
            cells.emplace_back(std::move(cell), Location{});
            cells.back().second.row = -1;
        }
    };

    detail::read_table(file, specs, local, on_layer, on_row, detail::input_rules(campaign));
    if (judge) {
        judge->finish(local);
    }
}

std::string location_text(const Location& where) {
    std::string text = std::filesystem::path{where.file}.filename().string();
    if (where.row) {
        return text + ":row " + std::to_string(*where.row);
    }
    if (where.fid) {
        return text + (where.layer.empty() ? "" : ":" + where.layer) + ":FID " + std::to_string(*where.fid);
    }
    return text;
}

/// One file's cells; `earlier` holds keys of cells in files read before (for the cross-file
/// check), and gets this file's keys when `more_files` follow.
std::vector<Cell> read_one_station_file(const std::filesystem::path& file, const Campaign& campaign,
                                        const StationOptions& options, Diagnostics& diagnostics,
                                        std::unordered_map<std::string, std::string>& earlier, bool more_files) {
    Diagnostics local;
    std::deque<std::pair<Cell, Location>> rows; // a deque: 300 000 rows are not moved as it grows
    if (detail::looks_like_opencellid(file)) {
        detail::read_opencellid_rows(file, campaign, options, local, rows);
    } else {
        read_station_rows(file, campaign, options, local, rows);
    }
    // Duplicate keys: rows rejected for other reasons still claim their key (marked row -1 with
    // no file), so the second of two identical rows is flagged even if the first was faulty.
    // Each key maps to its first row; where that row is is spelled out only for a duplicate.
    const auto rejected = [&](std::size_t r) { return rows[r].second.file.empty(); };
    const auto where_first = [&](std::size_t r) {
        return rejected(r) ? source_text(rows[r].first.source) : location_text(rows[r].second);
    };
    std::unordered_map<std::string, std::size_t> here;
    here.reserve(rows.size());
    std::vector<Cell> cells;
    cells.reserve(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        auto& [cell, where] = rows[r];
        std::string key = cell.key();
        std::string first;
        if (const auto it = earlier.find(key); it != earlier.end()) {
            first = it->second;
        } else if (const auto jt = here.find(key); jt != here.end()) {
            first = where_first(jt->second);
        }
        if (!first.empty()) {
            if (!rejected(r)) {
                local.error(where, "site_id/cell_id", "duplicate_cell",
                            fmt::format("cell {} is already listed at {}", key, first));
            }
            continue;
        }
        here.emplace(std::move(key), r);
        if (!rejected(r)) {
            // Moved from below: a later duplicate of this key names the row by `where` alone.
            cells.push_back(std::move(cell));
        }
    }
    if (more_files) {
        for (auto& [key, r] : here) {
            earlier.emplace(key, where_first(r));
        }
    }
    detail::flush_sorted(local, diagnostics);
    return cells;
}

/// The options with the area every station is judged against filled in (see StationOptions).
StationOptions with_area(const StationOptions& given, const Campaign& campaign) {
    StationOptions options = given;
    if (options.area) {
        return options;
    }
    if (campaign.area) {
        options.area = campaign.area;
        return options;
    }
    std::error_code ec;
    if (campaign.villages && std::filesystem::is_regular_file(*campaign.villages, ec)) {
        Diagnostics ignored; // the villages' own problems are reported where villages are checked
        options.area = villages_extent(read_villages(*campaign.villages, campaign, ignored));
        options.area_name = villages_area_name;
    }
    return options;
}

} // namespace

std::optional<geo::Box> villages_extent(const std::vector<Village>& villages) {
    std::optional<geo::Box> box;
    for (const auto& village : villages) {
        if (village.geometry.empty()) {
            continue;
        }
        const auto envelope = boost::geometry::return_envelope<geo::Box>(village.geometry);
        if (!box) {
            box = envelope;
        } else {
            boost::geometry::expand(*box, envelope);
        }
    }
    return box;
}

std::vector<Cell> read_stations(const std::filesystem::path& file, const Campaign& campaign,
                                const StationOptions& options, Diagnostics& diagnostics) {
    std::unordered_map<std::string, std::string> earlier;
    return read_one_station_file(file, campaign, with_area(options, campaign), diagnostics, earlier, false);
}

std::vector<Cell> read_station_files(const std::vector<std::filesystem::path>& files, const Campaign& campaign,
                                     const StationOptions& options, Diagnostics& diagnostics,
                                     std::vector<std::size_t>* counts) {
    std::unordered_map<std::string, std::string> earlier;
    std::vector<Cell> all;
    if (counts != nullptr) {
        counts->clear();
    }
    const StationOptions resolved = with_area(options, campaign);
    for (std::size_t f = 0; f < files.size(); ++f) {
        const auto& file = files[f];
        auto cells = read_one_station_file(file, campaign, resolved, diagnostics, earlier, f + 1 < files.size());
        if (counts != nullptr) {
            counts->push_back(cells.size());
        }
        if (all.empty()) {
            all = std::move(cells); // one file, or the first: no copy of every cell
        } else {
            all.insert(all.end(), std::make_move_iterator(cells.begin()), std::make_move_iterator(cells.end()));
        }
    }
    return all;
}

} // namespace deadzone::ingest
