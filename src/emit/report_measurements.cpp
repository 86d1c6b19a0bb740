// "Field measurements" in every report: the rule, verdict counts, each operator's map reliability
// (ARCEP's measure, overall and per province), the model's calibration with a measured-vs-
// predicted plot, and the contradicted villages (JSON, Markdown, HTML, contradicted_villages.csv).
// Built from track::MeasurementTracking and the measurement overlay only.
#include "report_detail.hpp"

#include <deadzone/emit/csv.hpp>
#include <deadzone/emit/locale.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

namespace deadzone::emit::detail {

namespace {

using Json = nlohmann::ordered_json;

constexpr track::MeasuredVerdict all_verdicts[] = {
    track::MeasuredVerdict::confirmed, track::MeasuredVerdict::contradicted, track::MeasuredVerdict::unpredicted,
    track::MeasuredVerdict::not_covered, track::MeasuredVerdict::unmeasured};

double round2(double value) { return std::round(value * 100.0) / 100.0; }

Json optional_share(const std::optional<double>& share) {
    return share ? Json(round4(*share)) : Json(nullptr);
}

std::string share_text(const std::optional<double>& share, Language lang) {
    return share ? percent(*share, lang) : "—";
}

/// "+1.25 dB" (signed) or "3.10 dB", with a decimal comma in Vietnamese.
std::string db_text(double value, Language lang, bool sign = true) {
    std::string text = format_decimal(round2(value) + 0.0, 2, lang);
    if (sign && text.front() != '-') {
        text.insert(0, "+");
    }
    return text + " dB";
}

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
    reliability["definition"] = tr("meas.def.reliability", Language::en);
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
    calibration["definition"] = tr("meas.def.calibration", Language::en);
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
    const Language lang = language_of(analysis);
    const auto t = [lang](std::string_view key, TrArgs args = {}) { return tr(key, lang, args); };
    std::string out = "\n## " + t("meas.heading") + "\n\n";
    const std::string window =
        rule.window_days ? t("meas.window.days", {{"days", std::to_string(*rule.window_days)},
                                                  {"date", long_date(analysis.as_of, lang)}})
                         : t("meas.window.all");
    out += t("meas.md.intro", {{"read", std::to_string(m.samples)},
                               {"counted", std::to_string(m.samples_counted)},
                               {"window", window},
                               {"inside", std::to_string(m.samples_in_villages)},
                               {"share", percent(rule.share, lang)},
                               {"min", std::to_string(rule.min_samples)},
                               {"evidence", measured_evidence_text(m.evidence, lang)}}) +
           "\n\n";
    out += "| " + t("meas.col.verdict") + " | " + t("meas.col.pairs") + " |\n|---|---:|\n";
    for (const auto verdict : all_verdicts) {
        out += fmt::format("| {} | {} |\n", measured_verdict_text(verdict, lang), m.count(verdict));
    }
    out += "\n### " + t("meas.heading.reliability") + "\n\n" + md(t("meas.def.reliability")) + ".\n\n";
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---|---|\n", t("col.operator"),
                       t("meas.col.samples_map"), t("meas.col.at_threshold"), t("meas.col.reliability"),
                       t("meas.col.average"), t("meas.col.below"));
    for (const auto& op : m.reliability) {
        std::string below;
        for (const auto& name : op.provinces_below_bar) {
            below += (below.empty() ? "" : ", ") + md(name);
        }
        out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", md(op.overall.key), op.overall.samples,
                           op.overall.at_threshold, share_text(op.overall.share, lang),
                           op.meets_average ? t(*op.meets_average ? "verdict.met" : "verdict.missed") : "—",
                           below.empty() ? "—" : below);
    }
    out += "\n### " + t("meas.heading.calibration") + "\n\n**" + t("meas.suggestion") + "** " +
           md(t("meas.def.calibration")) + ".\n\n";
    if (m.calibration.empty()) {
        out += t("meas.no_calibration") + "\n";
    } else {
        out += fmt::format("| {} | {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|---:|\n", t("col.operator"),
                           t("meas.col.tech"), t("meas.col.samples"), t("meas.col.mean_error"), t("meas.col.sd"),
                           t("meas.col.rmse"));
    }
    for (const auto& g : m.calibration) {
        out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", md(g.operator_code), to_string(g.tech), g.samples,
                           db_text(g.mean_db, lang), db_text(g.sd_db, lang, false), db_text(g.rmse_db, lang, false));
    }
    if (!m.calibration_operators.empty()) {
        out += fmt::format("\n| {} | {} | {} | {} |\n|---|---:|---:|---:|\n", t("col.operator"), t("meas.col.offset"),
                           t("meas.col.rmse_now"), t("meas.col.rmse_after"));
    }
    for (const auto& op : m.calibration_operators) {
        out += fmt::format("| {} | {} | {} | {} |\n", md(op.operator_code), db_text(op.offset_db, lang),
                           db_text(op.rmse_db, lang, false), db_text(op.rmse_after_db, lang, false));
    }
    const auto contradicted = contradicted_list(analysis);
    out += "\n### " + t("meas.heading.contradicted", {{"count", std::to_string(contradicted.size())}}) + "\n\n";
    if (contradicted.empty()) {
        out += t("meas.no_contradicted") + "\n";
        return out;
    }
    out += t("meas.contradicted_note") + "\n\n" +
           fmt::format("| {} | {} | {} | {} | {} | {} |\n|---|---|---|---:|---:|---:|\n", t("col.village"),
                       t("col.province"), t("col.operator"), t("meas.col.samples"), t("meas.col.at_threshold"),
                       t("meas.col.share"));
    for (const auto* verdict : contradicted) {
        const Village& village = analysis.villages[verdict->village];
        out += fmt::format("| {} ({}) | {} | {} | {} | {} | {} |\n", md(village.name), md(village.id),
                           md(province_label(village.province, lang)), md(verdict->operator_code), verdict->samples,
                           verdict->at_threshold, percent(verdict->share, lang));
    }
    return out;
}

std::string measured_verdict_text(track::MeasuredVerdict verdict, Language lang) {
    return tr(std::string{"meas.verdict."} + to_string(verdict), lang);
}

std::string measured_evidence_text(Evidence evidence, Language lang) {
    return tr(std::string{"meas.evidence."} + to_string(evidence), lang);
}

} // namespace deadzone::emit::detail
