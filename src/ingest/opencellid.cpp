// OpenCelliD / Mozilla Location Service cell exports: one omni cell per row, operator from MCC-MNC,
// on-air date from the `created` timestamp.
//
// Mapping (documented in docs and the report): radio GSM→2G, UMTS→3G, LTE→4G, NR→5G (CDMA is
// rejected); operator = campaign operator owning "MCC-NN" (net zero-padded to two digits);
// site_id = "<area>-<cell>" (LAC/TAC and cell id, which identify a cell within an operator);
// cell_id = the radio name, so a GSM and an LTE cell sharing numbers stay distinct; range → range_m
// (0 means "unknown" in these exports and is left empty); created (Unix seconds, UTC) → on_air_date;
// status on_air. unit, samples, changeable, updated and averageSignal are kept as extra fields.
#include "detail.hpp"

#include <deadzone/ingest/ingest.hpp>

#include <fmt/format.h>

#include <cmath>
#include <deque>
#include <fstream>

namespace deadzone::ingest::detail {

std::optional<std::string> resolve_operator_option(const std::filesystem::path& file, const Campaign& campaign,
                                                   const StationOptions& options, Diagnostics& local);
std::optional<std::string> resolve_row_operator(const std::string& text, const std::optional<std::string>& expected,
                                                const Campaign& campaign, const Location& where,
                                                const std::string& field, Diagnostics& local);

namespace {

constexpr std::string_view opencellid_header =
    "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averagesignal";

enum OpenCellIdField { f_radio, f_mcc, f_net, f_area, f_cell, f_lon, f_lat, f_range, f_created };

const std::vector<FieldSpec>& opencellid_specs() {
    static const std::vector<FieldSpec> specs{
        {"radio", {}, true}, {"mcc", {}, true}, {"net", {}, true}, {"area", {}, true},
        {"cell", {}, true},  {"lon", {}, true}, {"lat", {}, true}, {"range", {}, false},
        {"created", {}, false},
    };
    return specs;
}

} // namespace

bool looks_like_opencellid(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return false; // opening a FIFO would block; read_table reports what the file is
    }
    std::ifstream stream{file, std::ios::binary};
    std::string line;
    if (!stream || !std::getline(stream, line)) {
        return false;
    }
    std::string header;
    for (const char c : trim(line)) {
        if (c != ' ' && c != '"') {
            header += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return header == opencellid_header;
}

namespace {

/// A whole number at least 0 from the row's field `index` (named `name`), else a problem.
std::optional<long long> whole_number(const Row& row, int index, const char* name, Diagnostics& local) {
    const auto& text = row.values[static_cast<std::size_t>(index)];
    if (text.empty()) {
        local.error(row.where, name, "missing_value", fmt::format("'{}' is empty", name));
        return std::nullopt;
    }
    const auto value = parse_integer(text);
    if (!value || *value < 0) {
        local.error(row.where, name, "bad_number", fmt::format("'{}' is not a whole number", text));
        return std::nullopt;
    }
    return value;
}

/// The operator from the network code (mcc, net): the campaign operator with that MCC-MNC, or the
/// code itself when the campaign lists no operator.
void read_network(const Row& row, long long mcc, long long net, const std::optional<std::string>& expected,
                  const Campaign& campaign, Diagnostics& local, Cell& cell) {
    const std::string mcc_mnc = fmt::format("{:03d}-{:02d}", mcc, net);
    if (campaign.operators.empty()) {
        cell.operator_code = mcc_mnc;
        if (expected && *expected != mcc_mnc) {
            local.error(row.where, "mcc/net", "other_operator",
                        fmt::format("row belongs to network {}, but this file is uploaded for '{}'", mcc_mnc, *expected));
        }
    } else if (const auto* op = campaign.operator_for_mcc_mnc(mcc_mnc)) {
        if (auto code = resolve_row_operator(op->code, expected, campaign, row.where, "mcc/net", local)) {
            cell.operator_code = *code;
        }
    } else {
        local.error(row.where, "mcc/net", "unknown_operator",
                    fmt::format("network {} belongs to none of the campaign's operators", mcc_mnc));
    }
}

/// Site id "area-cell" and cell id the radio (GSM, UMTS, LTE, NR).
void set_ids(const Row& row, long long lac, long long cid, Cell& cell) {
    const auto& radio = row.values[f_radio];
    cell.site_id = fmt::format("{}-{}", lac, cid);
    cell.cell_id = parse_tech(radio) ? trim(radio) : std::string{};
    for (auto& c : cell.cell_id) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
}

void read_range(const Row& row, Diagnostics& local, Cell& cell) {
    const auto& text = row.values[f_range];
    if (text.empty()) {
        return;
    }
    const auto value = parse_number(text);
    if (!value || *value < 0.0) {
        local.error(row.where, "range", "bad_number",
                    fmt::format("'{}' is not a range in metres{}", text, number_advice(text)));
    } else if (*value > max_range_m) {
        // The same limit as a station file's range_m: a huge "range" would count every
        // village for tens of kilometres around as covered.
        local.error(row.where, "range", "range_out_of_range",
                    fmt::format("{} is outside (0, {:g}] (0 means unknown)", text, max_range_m));
    } else if (*value > 0.0) {
        cell.range_m = *value;
    }
}

/// The on-air date: the day of the 'created' Unix timestamp.
void read_created(const Row& row, Diagnostics& local, Cell& cell) {
    const auto& text = row.values[f_created];
    if (text.empty()) {
        local.error(row.where, "created", "on_air_without_date", "no 'created' timestamp, so no on-air date");
    } else if (const auto seconds = parse_integer(text); !seconds || *seconds < 0) {
        local.error(row.where, "created", "bad_date", fmt::format("'{}' is not a Unix timestamp in seconds", text));
    } else if (const Date day{static_cast<std::int32_t>(*seconds / 86400)};
               *seconds / 86400 > 100000 || !day.in_supported_range()) {
        local.error(row.where, "created", "bad_date",
                    fmt::format("'{}' is not a plausible Unix timestamp: the day it gives is outside the "
                                "years {}-{}",
                                text, Date::first_year, Date::last_year));
    } else {
        cell.on_air_date = day;
    }
}

} // namespace

void read_opencellid_rows(const std::filesystem::path& file, const Campaign& campaign,
                          const StationOptions& options, Diagnostics& local,
                          std::deque<std::pair<Cell, Location>>& cells) {
    const auto& specs = opencellid_specs();
    const auto expected = resolve_operator_option(file, campaign, options, local);
    std::optional<CoordinateJudge> judge;

    const auto on_layer = [&](const LayerInfo& layer) {
        if (judge) {
            judge->finish(local);
        }
        judge.emplace(layer, options.area, options.area_name);
    };
    const auto on_row = [&](const LayerInfo& layer, Row& row) {
        const std::size_t errors_before = local.error_count();
        Cell cell;
        cell.source = row.source;
        cell.status = CellStatus::on_air;

        const auto& radio = row.values[f_radio];
        if (const auto tech = parse_tech(radio)) {
            cell.tech = *tech;
        } else {
            local.error(row.where, "radio", radio.empty() ? "missing_value" : "unknown_tech",
                        fmt::format("'{}' is not a supported radio (GSM|UMTS|LTE|NR)", radio));
        }
        // All four numbers are checked before the network is looked up (the order problems are listed in).
        const auto mcc = whole_number(row, f_mcc, "mcc", local);
        const auto net = whole_number(row, f_net, "net", local);
        const auto lac = whole_number(row, f_area, "area", local);
        const auto cid = whole_number(row, f_cell, "cell", local);
        if (mcc && net) {
            read_network(row, *mcc, *net, expected, campaign, local, cell);
        }
        if (lac && cid) {
            set_ids(row, *lac, *cid, cell);
        }

        const auto located = locate(layer, row, PositionFields{f_lon, f_lat, -1}, *judge, local);
        const bool rejected = located.present && !located.ok;
        if (!located.present) {
            local.error(row.where, "lon/lat", "missing_value", "the cell has no position");
        } else if (located.point) {
            cell.position = *located.point;
        }
        read_range(row, local, cell);
        read_created(row, local, cell);

        cell.extra = std::move(row.extra);
        if (local.error_count() == errors_before && !rejected) {
            cells.emplace_back(std::move(cell), row.where);
        } else if (!cell.operator_code.empty() && !cell.site_id.empty()) {
            cell.extra.clear();
            cells.emplace_back(std::move(cell), Location{});
            cells.back().second.row = -1;
        }
    };

    read_table(file, specs, local, on_layer, on_row);
    if (judge) {
        judge->finish(local);
    }
}

} // namespace deadzone::ingest::detail
