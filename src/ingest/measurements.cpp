// Field measurements (drive tests, walk tests, crowdsourced samples): one row per sample with a
// position, an ISO 8601 time, an operator (code or MCC-MNC), a technology and the level of that
// technology (RSRP, RSCP or RxLev), each checked against what a receiver can report.
#include "detail.hpp"

#include <deadzone/ingest/ingest.hpp>

#include <fmt/format.h>
#include <ogr_geometry.h>

#include <cctype>

namespace deadzone::ingest {

namespace {

enum SampleField { f_lon, f_lat, f_wkt, f_time, f_operator, f_mcc_mnc, f_tech, f_rsrp, f_rscp, f_rxlev, f_cell, f_source };

const std::vector<detail::FieldSpec>& sample_specs() {
    static const std::vector<detail::FieldSpec> specs{
        {"lon", {"lng", "long", "longitude", "x"}, false},
        {"lat", {"latitude", "y"}, false},
        {"wkt", {"geometry", "geom", "the_geom", "wkt_geom"}, false},
        {"time", {"timestamp", "datetime", "date_time", "measured_at"}, true},
        {"operator", {"operator_code", "op", "carrier", "mno", "nha_mang"}, false},
        {"mcc_mnc", {"plmn", "mccmnc"}, false},
        {"tech", {"technology", "radio", "rat", "system"}, true},
        {"rsrp_dbm", {"rsrp"}, false},
        {"rscp_dbm", {"rscp"}, false},
        {"rxlev_dbm", {"rxlev", "rx_level_dbm"}, false},
        {"cell_id", {"cell", "cid", "eci", "ci"}, false},
        {"source", {"origin", "campaign_source"}, false},
    };
    return specs;
}

/// The level a technology reports and what a receiver can report of it (3GPP measurement
/// reporting ranges, widened a little for scanners): outside it the value is an error in the
/// file (a unit mix-up, a sign lost), not a weak or strong signal.
struct LevelRange {
    SampleField field;
    const char* what;
    double low_dbm;
    double high_dbm;
};

LevelRange level_range(Tech tech) {
    switch (tech) {
    case Tech::g2: return {f_rxlev, "RxLev", -120.0, -20.0};
    case Tech::g3: return {f_rscp, "RSCP", -125.0, -20.0};
    case Tech::g4:
    case Tech::g5: return {f_rsrp, "RSRP", -156.0, -31.0};
    }
    return {f_rsrp, "RSRP", -156.0, -31.0};
}

bool digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) {
        return false;
    }
    for (std::size_t i = at; i < at + count; ++i) {
        if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
            return false;
        }
    }
    return true;
}

int number_at(std::string_view text, std::size_t at, std::size_t count) {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

} // namespace

namespace detail {

/// The calendar day of an ISO 8601 time ("2022-07-12", "2022-07-12T08:30", "…:15.250Z",
/// "…+07:00", a blank for the 'T'); nullopt when the text is not one. The day is the one
/// written: field teams log local time, and a window of days is judged on their calendar.
std::optional<Date> parse_sample_time(std::string_view text) {
    if (text.size() < 10 || !digits(text, 0, 4) || text[4] != '-' || !digits(text, 5, 2) || text[7] != '-' ||
        !digits(text, 8, 2)) {
        return std::nullopt;
    }
    const auto day = Date::from_ymd(number_at(text, 0, 4), static_cast<unsigned>(number_at(text, 5, 2)),
                                    static_cast<unsigned>(number_at(text, 8, 2)));
    if (!day || text.size() == 10) {
        return day;
    }
    std::size_t at = 10;
    if ((text[at] != 'T' && text[at] != 't' && text[at] != ' ') || !digits(text, at + 1, 2) ||
        text.size() < at + 6 || text[at + 3] != ':' || !digits(text, at + 4, 2)) {
        return std::nullopt;
    }
    if (number_at(text, at + 1, 2) > 23 || number_at(text, at + 4, 2) > 59) {
        return std::nullopt;
    }
    at += 6;
    if (at < text.size() && text[at] == ':') {
        if (!digits(text, at + 1, 2) || number_at(text, at + 1, 2) > 60) { // 60: a leap second
            return std::nullopt;
        }
        at += 3;
        if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
            std::size_t end = at + 1;
            while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) != 0) {
                ++end;
            }
            if (end == at + 1) {
                return std::nullopt;
            }
            at = end;
        }
    }
    if (at == text.size()) {
        return day;
    }
    if ((text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
        return day;
    }
    if ((text[at] == '+' || text[at] == '-') && digits(text, at + 1, 2) && number_at(text, at + 1, 2) <= 14) {
        const std::size_t rest = at + 3;
        if (rest == text.size() ||
            (text[rest] == ':' && rest + 3 == text.size() && digits(text, rest + 1, 2)) ||
            (rest + 2 == text.size() && digits(text, rest, 2))) {
            return day;
        }
    }
    return std::nullopt;
}

} // namespace detail

namespace {

class SampleReader {
public:
    SampleReader(const Campaign& campaign, const StationOptions& options, Diagnostics& local)
        : m_campaign(campaign), m_options(options), m_local(local) {}

    void on_layer(const detail::LayerInfo& layer) {
        if (m_judge) {
            m_judge->finish(m_local);
        }
        m_judge.emplace(layer, m_options.area, m_options.area_name);
        const Location where{layer.file, std::nullopt, layer.layer, std::nullopt};
        const auto& column = layer.fields.column;
        m_has_position = layer.has_geometry || column[f_wkt] >= 0 || (column[f_lon] >= 0 && column[f_lat] >= 0);
        if (!m_has_position) {
            m_local.error(where, "lon/lat", "missing_column",
                          "no position: the source has no point geometry and no lon/lat columns");
        }
        m_has_operator = column[f_operator] >= 0 || column[f_mcc_mnc] >= 0 || m_options.operator_code;
        if (!m_has_operator) {
            m_local.error(where, "operator", "missing_column", "no 'operator' or 'mcc_mnc' column");
        }
        m_has_level = column[f_rsrp] >= 0 || column[f_rscp] >= 0 || column[f_rxlev] >= 0;
        if (!m_has_level) {
            m_local.error(where, "rsrp_dbm/rscp_dbm/rxlev_dbm", "missing_column",
                          "no signal level: give rsrp_dbm (4G/5G), rscp_dbm (3G) or rxlev_dbm (2G)");
        }
    }

    void on_row(const detail::LayerInfo& layer, detail::Row& row, std::vector<Sample>& samples) {
        const std::size_t errors_before = m_local.error_count();
        bool rejected = !m_has_position || !m_has_operator || !m_has_level;
        const auto& specs = sample_specs();
        const auto label = [&](int index) { return detail::field_label(layer, specs, index); };
        Sample sample;
        sample.source = row.source;
        if (m_has_position) {
            auto located = detail::locate(layer, row, detail::PositionFields{f_lon, f_lat, f_wkt}, *m_judge, m_local);
            rejected = rejected || (located.present && !located.ok);
            if (!located.present) {
                m_local.error(row.where, layer.has_geometry ? "geometry" : "lon/lat", "missing_value",
                              "the sample has no position");
            } else if (located.ok && !located.point) {
                m_local.error(row.where, "geometry", "bad_geometry_type",
                              fmt::format("a sample must be a Point, not a {}",
                                          OGRGeometryTypeToName(located.geometry->getGeometryType())));
            } else if (located.point) {
                sample.position = *located.point;
            }
        }
        const auto& time = detail::required_value(layer, specs, row, f_time, m_local, rejected);
        if (!time.empty()) {
            sample.time = time;
            if (const auto day = detail::parse_sample_time(time)) {
                sample.day = *day;
            } else {
                m_local.error(row.where, label(f_time), "bad_time",
                              fmt::format("'{}' is not an ISO 8601 time such as 2022-07-12T08:30:00+07:00", time));
            }
        }
        read_operator(layer, row, sample, label);
        const auto& tech_text = detail::required_value(layer, specs, row, f_tech, m_local, rejected);
        if (!tech_text.empty()) {
            if (const auto tech = parse_tech(tech_text)) {
                sample.tech = *tech;
                if (m_has_level) { // else reported once for the layer
                    read_level(layer, row, sample, label);
                }
            } else {
                m_local.error(row.where, label(f_tech), "unknown_tech",
                              fmt::format("'{}' is not a technology (2G|3G|4G|5G or GSM|UMTS|LTE|NR)", tech_text));
            }
        }
        sample.cell_id = row.values[f_cell];
        sample.origin = row.values[f_source];
        if (m_local.error_count() == errors_before && !rejected) {
            samples.push_back(std::move(sample));
        }
    }

    void finish() {
        if (m_judge) {
            m_judge->finish(m_local);
        }
    }

private:
    template <typename Label> void read_operator(const detail::LayerInfo& layer, const detail::Row& row,
                                                 Sample& sample, const Label& label) {
        (void)layer;
        const auto& code_text = row.values[f_operator];
        const auto& mcc_text = row.values[f_mcc_mnc];
        std::string by_code;
        std::string by_mcc;
        if (!code_text.empty()) {
            const auto* op = m_campaign.find_operator(code_text);
            if (op == nullptr && !m_campaign.operators.empty()) {
                m_local.error(row.where, label(f_operator), "unknown_operator",
                              fmt::format("operator '{}' is not one of the campaign's operators", code_text));
                return;
            }
            by_code = op != nullptr ? op->code : code_text;
        }
        if (!mcc_text.empty()) {
            const auto* op = m_campaign.operator_for_mcc_mnc(mcc_text);
            if (op == nullptr) {
                m_local.error(row.where, label(f_mcc_mnc), "unknown_mcc_mnc",
                              fmt::format("MCC-MNC '{}' belongs to none of the campaign's operators", mcc_text));
                return;
            }
            by_mcc = op->code;
        }
        if (!by_code.empty() && !by_mcc.empty() && by_code != by_mcc) {
            m_local.error(row.where, label(f_mcc_mnc), "operator_mismatch",
                          fmt::format("MCC-MNC '{}' is operator '{}', but the row says '{}'", mcc_text, by_mcc, by_code));
            return;
        }
        sample.operator_code = !by_code.empty() ? by_code : by_mcc;
        if (sample.operator_code.empty() && m_options.operator_code) {
            sample.operator_code = *m_options.operator_code;
        } else if (m_options.operator_code && sample.operator_code != *m_options.operator_code) {
            m_local.error(row.where, label(f_operator), "other_operator",
                          fmt::format("row belongs to operator '{}', but this file is uploaded for '{}'",
                                      sample.operator_code, *m_options.operator_code));
            return;
        }
        if (sample.operator_code.empty()) {
            m_local.error(row.where, label(f_operator), "missing_value", "neither 'operator' nor 'mcc_mnc' is given");
        }
    }

    template <typename Label> void read_level(const detail::LayerInfo& layer, const detail::Row& row,
                                              Sample& sample, const Label& label) {
        const auto range = level_range(sample.tech);
        const auto& text = row.values[static_cast<std::size_t>(range.field)];
        if (text.empty()) {
            const bool column = layer.fields.column[range.field] >= 0;
            m_local.error(row.where, label(range.field), column ? "missing_value" : "missing_level",
                          fmt::format("a {} sample needs its {} in '{}'", to_string(sample.tech), range.what,
                                      sample_specs()[range.field].name));
            return;
        }
        const auto value = detail::parse_number(text);
        if (!value) {
            m_local.error(row.where, label(range.field), "bad_number",
                          fmt::format("'{}' is not a number{}", text, detail::number_advice(text)));
            return;
        }
        if (*value < range.low_dbm || *value > range.high_dbm) {
            m_local.error(row.where, label(range.field), "level_out_of_range",
                          fmt::format("{} {} dBm is outside what a receiver reports, [{:g}, {:g}] dBm", range.what,
                                      text, range.low_dbm, range.high_dbm));
            return;
        }
        sample.level_dbm = *value;
    }

    const Campaign& m_campaign;
    const StationOptions& m_options;
    Diagnostics& m_local;
    std::optional<detail::CoordinateJudge> m_judge;
    bool m_has_position = true;
    bool m_has_operator = true;
    bool m_has_level = true;
};

} // namespace

std::vector<Sample> read_measurements(const std::vector<std::filesystem::path>& files, const Campaign& campaign,
                                      const StationOptions& options, Diagnostics& diagnostics,
                                      std::vector<std::size_t>* counts) {
    std::vector<Sample> samples;
    if (counts != nullptr) {
        counts->clear();
    }
    StationOptions judged = options;
    if (!judged.area && campaign.area) {
        judged.area = campaign.area; // as for stations: a sample in another country never passes unseen
    }
    for (const auto& file : files) {
        Diagnostics local;
        SampleReader reader{campaign, judged, local};
        const std::size_t before = samples.size();
        detail::read_table(
            file, sample_specs(), local, [&](const detail::LayerInfo& layer) { reader.on_layer(layer); },
            [&](const detail::LayerInfo& layer, detail::Row& row) { reader.on_row(layer, row, samples); });
        reader.finish();
        detail::flush_sorted(local, diagnostics);
        if (counts != nullptr) {
            counts->push_back(samples.size() - before);
        }
    }
    return samples;
}

} // namespace deadzone::ingest
