// "Field measurements" in every report: the rule, verdict counts, each operator's map reliability
// (ARCEP's measure, overall and per province), the model's calibration with a measured-vs-
// predicted plot, and the contradicted villages (JSON, Markdown, HTML, contradicted_villages.csv).
// Built from track::MeasurementTracking and the measurement overlay only.
#include "report_detail.hpp"

#include <deadzone/emit/csv.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

namespace deadzone::emit::detail {

const char* const reliability_definition =
    "ARCEP's map reliability: of the counted samples that lie inside a footprint of a cell of their "
    "operator and technology in service on the sample's day, the share at or above the technology's "
    "threshold; bars: 98 % on average, 95 % in every province (samples outside villages count in the "
    "overall figure only)";
const char* const calibration_definition =
    "error = measured - predicted level (dBm), the prediction being the link budget's level from the "
    "operator's strongest cell of the sample's technology whose footprint holds the sample; offset = the "
    "constant added to the operator's predictions that minimises the RMSE (the mean error). A suggestion "
    "for the planner: deadzone does not apply it";

namespace {

using Json = nlohmann::ordered_json;

constexpr track::MeasuredVerdict all_verdicts[] = {
    track::MeasuredVerdict::confirmed, track::MeasuredVerdict::contradicted, track::MeasuredVerdict::unpredicted,
    track::MeasuredVerdict::not_covered, track::MeasuredVerdict::unmeasured};

double round2(double value) { return std::round(value * 100.0) / 100.0; }

Json optional_share(const std::optional<double>& share) {
    return share ? Json(round4(*share)) : Json(nullptr);
}

std::string share_text(const std::optional<double>& share) { return share ? percent(*share) : "—"; }

std::string db_text(double value) { return fmt::format("{:+.2f} dB", round2(value) + 0.0); }

} // namespace

std::vector<const track::VillageVerdict*> contradicted_list(const Analysis& analysis) {
    std::vector<const track::VillageVerdict*> list;
    for (const auto& verdict : analysis.measurements.verdicts) {
        if (verdict.verdict == track::MeasuredVerdict::contradicted) {
            list.push_back(&verdict);
        }
    }
    std::stable_sort(list.begin(), list.end(), [&](const auto* a, const auto* b) {
        const Village& va = analysis.villages[a->village];
        const Village& vb = analysis.villages[b->village];
        if (va.province != vb.province) return track::name_less(va.province, vb.province);
        if (va.name != vb.name) return track::name_less(va.name, vb.name);
        if (va.id != vb.id) return va.id < vb.id;
        return a->operator_code < b->operator_code;
    });
    return list;
}

nlohmann::ordered_json measurements_json(const Analysis& analysis) {
    const auto& m = analysis.measurements;
    const auto& rule = analysis.campaign.coverage_rule.measurement;
    Json doc;
    doc["evidence"] = to_string(m.evidence);
    Json& r = doc["rule"];
    r["share"] = round4(rule.share);
    r["min_samples"] = rule.min_samples;
    r["window_days"] = rule.window_days ? Json(*rule.window_days) : Json(nullptr);
    r["window_first_day"] = analysis.measured.window_first_day ? Json(analysis.measured.window_first_day->iso()) : Json(nullptr);
    Json& thresholds = r["threshold_dbm"];
    for (const auto& [tech, defaults] : analysis.campaign.radio_defaults) {
        thresholds[to_string(tech)] = analysis.campaign.measurement_threshold_dbm(tech);
    }
    doc["samples"] = Json{{"read", m.samples}, {"counted", m.samples_counted}, {"in_villages", m.samples_in_villages}};
    Json& verdicts = doc["verdicts"];
    for (const auto verdict : all_verdicts) {
        verdicts[to_string(verdict)] = m.count(verdict);
    }
    verdicts["definition"] = "per village and operator with samples or a predicted coverage; unmeasured = fewer "
                             "than min_samples counted samples";

    Json& reliability = doc["reliability"];
    reliability["average_bar"] = track::reliability_average_bar;
    reliability["area_bar"] = track::reliability_area_bar;
    reliability["definition"] = reliability_definition;
    reliability["operators"] = Json::array();
    for (const auto& op : m.reliability) {
        Json item{{"operator", op.overall.key}, {"samples", op.overall.samples}, {"at_threshold", op.overall.at_threshold},
                  {"share", optional_share(op.overall.share)},
                  {"meets_average", op.meets_average ? Json(*op.meets_average) : Json(nullptr)},
                  {"provinces_below_bar", op.provinces_below_bar}};
        item["provinces"] = Json::array();
        for (const auto& p : op.provinces) {
            item["provinces"].push_back(Json{{"province", p.key}, {"samples", p.samples}, {"at_threshold", p.at_threshold},
                                             {"share", optional_share(p.share)}});
        }
        reliability["operators"].push_back(std::move(item));
    }

    Json& calibration = doc["calibration"];
    calibration["label"] = "SUGGESTION — offsets that would fit the model to the samples; not applied";
    calibration["definition"] = calibration_definition;
    calibration["operators"] = Json::array();
    for (const auto& op : m.calibration_operators) {
        Json item{{"operator", op.operator_code}, {"samples", op.samples}, {"offset_db", round2(op.offset_db)},
                  {"rmse_db", round2(op.rmse_db)}, {"rmse_after_offset_db", round2(op.rmse_after_db)}};
        item["technologies"] = Json::array();
        for (const auto& g : m.calibration) {
            if (g.operator_code == op.operator_code) {
                item["technologies"].push_back(Json{{"tech", to_string(g.tech)}, {"samples", g.samples},
                                                    {"mean_db", round2(g.mean_db)}, {"sd_db", round2(g.sd_db)},
                                                    {"rmse_db", round2(g.rmse_db)}});
            }
        }
        calibration["operators"].push_back(std::move(item));
    }

    doc["contradicted"] = Json::array();
    for (const auto* verdict : contradicted_list(analysis)) {
        const Village& village = analysis.villages[verdict->village];
        doc["contradicted"].push_back(Json{{"village_id", village.id}, {"name", village.name},
                                           {"province", village.province}, {"operator", verdict->operator_code},
                                           {"samples", verdict->samples}, {"at_threshold", verdict->at_threshold},
                                           {"share", round4(verdict->share)}});
    }
    return doc;
}

std::string contradicted_csv(const Analysis& analysis) {
    CsvWriter csv;
    for (const char* header : {"village_id", "name", "province", "district", "operator", "samples", "at_threshold",
                               "measured_share", "first_sample_day"}) {
        csv.text(header);
    }
    csv.end_row();
    for (const auto* verdict : contradicted_list(analysis)) {
        const Village& village = analysis.villages[verdict->village];
        csv.text(village.id).text(village.name).text(village.province).text(village.district).text(verdict->operator_code);
        csv.number(verdict->samples).number(verdict->at_threshold);
        csv.number(fmt::format("{:.4f}", round4(verdict->share)));
        csv.text(verdict->first_day ? verdict->first_day->iso() : std::string{});
        csv.end_row();
    }
    return csv.str();
}

std::string measurements_markdown(const Analysis& analysis, const std::function<std::string(const std::string&)>& md) {
    const auto& m = analysis.measurements;
    const auto& rule = analysis.campaign.coverage_rule.measurement;
    std::string out = "\n## Field measurements\n\n";
    out += fmt::format("{} samples read, {} counted ({}), {} inside villages. A village is measured covered by an "
                       "operator when at least {} of its at least {} samples reach the threshold. Commitment "
                       "statuses follow the evidence: **{}**.\n\n",
                       m.samples, m.samples_counted,
                       rule.window_days ? fmt::format("the {} days up to {}", *rule.window_days, long_date(analysis.as_of))
                                        : "every sample up to the as-of date",
                       m.samples_in_villages, percent(rule.share), rule.min_samples, to_string(m.evidence));
    out += "| Verdict | Villages × operators |\n|---|---:|\n";
    for (const auto verdict : all_verdicts) {
        out += fmt::format("| {} | {} |\n", to_string(verdict), m.count(verdict));
    }
    out += "\n### Map reliability (ARCEP's measure)\n\n" + md(reliability_definition) + ".\n\n";
    out += "| Operator | Samples in the map | At threshold | Reliability | 98 % average | Provinces below 95 % |\n"
           "|---|---:|---:|---:|---|---|\n";
    for (const auto& op : m.reliability) {
        std::string below;
        for (const auto& name : op.provinces_below_bar) {
            below += (below.empty() ? "" : ", ") + md(name);
        }
        out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", md(op.overall.key), op.overall.samples,
                           op.overall.at_threshold, share_text(op.overall.share),
                           op.meets_average ? (*op.meets_average ? "met" : "missed") : "—", below.empty() ? "—" : below);
    }
    out += "\n### Model calibration\n\n**SUGGESTION, not applied.** " + md(calibration_definition) + ".\n\n";
    if (m.calibration.empty()) {
        out += "No counted sample lies in a footprint drawn by the link budget (fixed-radius cells give no level).\n";
    } else {
        out += "| Operator | Technology | Samples | Mean error | SD | RMSE |\n|---|---|---:|---:|---:|---:|\n";
    }
    for (const auto& g : m.calibration) {
        out += fmt::format("| {} | {} | {} | {} | {:.2f} dB | {:.2f} dB |\n", md(g.operator_code), to_string(g.tech),
                           g.samples, db_text(g.mean_db), round2(g.sd_db), round2(g.rmse_db));
    }
    if (!m.calibration_operators.empty()) {
        out += "\n| Operator | Suggested offset | RMSE now | RMSE with the offset |\n|---|---:|---:|---:|\n";
    }
    for (const auto& op : m.calibration_operators) {
        out += fmt::format("| {} | {} | {:.2f} dB | {:.2f} dB |\n", md(op.operator_code), db_text(op.offset_db),
                           round2(op.rmse_db), round2(op.rmse_after_db));
    }
    const auto contradicted = contradicted_list(analysis);
    out += fmt::format("\n### Contradicted villages ({})\n\n", contradicted.size());
    if (contradicted.empty()) {
        out += "No predicted-covered village is contradicted by its samples.\n";
        return out;
    }
    out += "Predicted covered, measured not covered (also in contradicted_villages.csv).\n\n"
           "| Village | Province | Operator | Samples | At threshold | Share |\n|---|---|---|---:|---:|---:|\n";
    for (const auto* verdict : contradicted) {
        const Village& village = analysis.villages[verdict->village];
        out += fmt::format("| {} ({}) | {} | {} | {} | {} | {} |\n", md(village.name), md(village.id),
                           md(province_label(village.province)), md(verdict->operator_code), verdict->samples,
                           verdict->at_threshold, percent(verdict->share));
    }
    return out;
}

} // namespace deadzone::emit::detail
