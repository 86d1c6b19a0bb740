// report.html's "Field measurements" section: the same tables as report.md plus an inline SVG
// plot of measured against predicted levels (one dot per counted sample with a prediction, at
// most max_plotted of them, taken at an even stride so the plot does not depend on file order
// within the stride and a million samples do not make a 100 MB page).
#include "report_detail.hpp"

#include <deadzone/emit/locale.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace deadzone::emit::detail {

namespace {

constexpr std::size_t max_plotted = 4000;
constexpr double plot_low_dbm = -140.0;
constexpr double plot_high_dbm = -40.0;

std::string scatter_svg(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc,
                        Language lang) {
    std::vector<std::size_t> eligible;
    for (std::size_t s = 0; s < analysis.samples.size(); ++s) {
        const auto& j = analysis.measured.samples[s];
        if (j.counted && !std::isnan(j.predicted_dbm)) {
            eligible.push_back(s);
        }
    }
    const double size = 360.0;
    const double margin = 44.0;
    const auto scale = [&](double dbm) {
        return (std::clamp(dbm, plot_low_dbm, plot_high_dbm) - plot_low_dbm) / (plot_high_dbm - plot_low_dbm) * size;
    };
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" width=\"{0}\" height=\"{0}\" role=\"img\" "
        "aria-label=\"{1}\">\n",
        size + 2 * margin, tr("meas.svg.label", lang));
    out += fmt::format("<rect x=\"{0}\" y=\"{0}\" width=\"{1}\" height=\"{1}\" fill=\"#fafafa\" stroke=\"#999\"/>\n", margin, size);
    for (double tick = plot_low_dbm; tick <= plot_high_dbm; tick += 20.0) {
        const double t = scale(tick);
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" text-anchor=\"middle\">{:g}</text>\n",
                           margin + t, margin + size + 14, tick);
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" text-anchor=\"end\">{:g}</text>\n",
                           margin - 4, margin + size - t + 3, tick);
    }
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>\n",
                       margin, margin + size);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\n",
                       margin + size / 2, margin + size + 32, tr("meas.svg.predicted", lang));
    out += fmt::format("<text x=\"12\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 {:.1f})\">"
                       "{}</text>\n",
                       margin + size / 2, margin + size / 2, tr("meas.svg.measured", lang));
    const std::size_t stride = std::max<std::size_t>(1, (eligible.size() + max_plotted - 1) / max_plotted);
    for (std::size_t k = 0; k < eligible.size(); k += stride) {
        const std::size_t s = eligible[k];
        const auto& sample = analysis.samples[s];
        std::string color = "#555555";
        for (const auto& op : analysis.campaign.operators) {
            if (op.code == sample.operator_code && !op.color.empty()) {
                color = op.color;
            }
        }
        out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"1.6\" fill=\"{}\" fill-opacity=\"0.5\"/>\n",
                           margin + scale(analysis.measured.samples[s].predicted_dbm),
                           margin + size - scale(sample.level_dbm), esc(color));
    }
    out += "</svg>\n";
    if (stride > 1) {
        out += "<p class=\"note\">" +
               tr("meas.svg.stride", lang, {{"stride", std::to_string(stride)}, {"total", std::to_string(eligible.size())}}) +
               "</p>\n";
    }
    return out;
}

std::string share_cell(const std::optional<double>& share, Language lang) { return share ? percent(*share, lang) : "—"; }

/// "+1.25 dB" (signed) or "3.10 dB", with a decimal comma in Vietnamese.
std::string db_cell(double value, Language lang, bool sign = true) {
    std::string text = format_decimal(std::round(value * 100.0) / 100.0 + 0.0, 2, lang);
    if (sign && text.front() != '-') {
        text.insert(0, "+");
    }
    return text + " dB";
}

std::string calibration_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc,
                             Language lang) {
    const auto& m = analysis.measurements;
    const auto t = [lang](std::string_view key) { return tr(key, lang); };
    const auto th = [&t](std::string_view key) { return "<th>" + t(key) + "</th>"; };
    const auto thn = [&t](std::string_view key) { return "<th class=\"n\">" + t(key) + "</th>"; };
    std::string out = "<h3>" + t("meas.heading.calibration") + "</h3>\n<p class=\"note\"><strong>" +
                      t("meas.suggestion") + "</strong> " + esc(t("meas.def.calibration")) + ".</p>\n";
    if (m.calibration.empty()) {
        return out + "<p>" + t("meas.no_calibration") + "</p>\n";
    }
    out += "<table><thead><tr>" + th("col.operator") + th("meas.col.tech") + thn("meas.col.samples") +
           thn("meas.col.mean_error") + thn("meas.col.sd") + thn("meas.col.rmse") + "</tr></thead><tbody>\n";
    for (const auto& g : m.calibration) {
        out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                           "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                           esc(g.operator_code), to_string(g.tech), g.samples, db_cell(g.mean_db, lang),
                           db_cell(g.sd_db, lang, false), db_cell(g.rmse_db, lang, false));
    }
    out += "</tbody></table>\n<table><thead><tr>" + th("col.operator") + thn("meas.col.offset") +
           thn("meas.col.rmse_now") + thn("meas.col.rmse_after") + "</tr></thead><tbody>\n";
    for (const auto& op : m.calibration_operators) {
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                           "<td class=\"n\">{}</td></tr>\n",
                           esc(op.operator_code), db_cell(op.offset_db, lang), db_cell(op.rmse_db, lang, false),
                           db_cell(op.rmse_after_db, lang, false));
    }
    return out + "</tbody></table>\n" + scatter_svg(analysis, esc, lang);
}

std::string contradicted_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc,
                              Language lang) {
    const auto t = [lang](std::string_view key) { return tr(key, lang); };
    const auto th = [&t](std::string_view key) { return "<th>" + t(key) + "</th>"; };
    const auto thn = [&t](std::string_view key) { return "<th class=\"n\">" + t(key) + "</th>"; };
    const auto contradicted = contradicted_list(analysis);
    std::string out =
        "<h3>" + tr("meas.heading.contradicted", lang, {{"count", std::to_string(contradicted.size())}}) + "</h3>\n";
    if (contradicted.empty()) {
        return out + "<p>" + t("meas.no_contradicted") + "</p>\n";
    }
    out += "<table><thead><tr>" + th("col.village") + th("col.province") + th("col.operator") +
           thn("meas.col.samples") + thn("meas.col.at_threshold") + thn("meas.col.share") + "</tr></thead><tbody>\n";
    for (const auto* verdict : contradicted) {
        const Village& village = analysis.villages[verdict->village];
        out += fmt::format("<tr><td>{} <span class=\"note\">{}</span></td><td>{}</td><td>{}</td><td class=\"n\">{}</td>"
                           "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                           esc(village.name), esc(village.id), esc(province_label(village.province, lang)),
                           esc(verdict->operator_code), verdict->samples, verdict->at_threshold,
                           esc(percent(verdict->share, lang)));
    }
    return out + "</tbody></table>\n";
}

} // namespace

std::string measurements_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc) {
    const auto& m = analysis.measurements;
    const auto& rule = analysis.campaign.coverage_rule.measurement;
    const Language lang = language_of(analysis);
    const auto t = [lang](std::string_view key) { return tr(key, lang); };
    const auto th = [&t](std::string_view key) { return "<th>" + t(key) + "</th>"; };
    const auto thn = [&t](std::string_view key) { return "<th class=\"n\">" + t(key) + "</th>"; };
    std::string out = "<section id=\"measurements\">\n<h2>" + t("meas.heading") + "</h2>\n";
    out += "<p>" +
           tr("meas.html.intro", lang,
              {{"read", std::to_string(m.samples)},
               {"counted", std::to_string(m.samples_counted)},
               {"inside", std::to_string(m.samples_in_villages)},
               {"share", esc(percent(rule.share, lang))},
               {"min", std::to_string(rule.min_samples)},
               {"evidence", measured_evidence_text(m.evidence, lang)}}) +
           "</p>\n";
    out += "<table><thead><tr>" + th("meas.col.verdict") + thn("meas.col.pairs") + "</tr></thead><tbody>\n";
    for (const auto verdict : {track::MeasuredVerdict::confirmed, track::MeasuredVerdict::contradicted,
                               track::MeasuredVerdict::unpredicted, track::MeasuredVerdict::not_covered,
                               track::MeasuredVerdict::unmeasured}) {
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td></tr>\n", measured_verdict_text(verdict, lang),
                           m.count(verdict));
    }
    out += "</tbody></table>\n<h3>" + t("meas.heading.reliability") + "</h3>\n<p class=\"note\">" +
           esc(t("meas.def.reliability")) + ".</p>\n";
    out += "<table><thead><tr>" + th("col.operator") + thn("meas.col.samples_map") + thn("meas.col.at_threshold") +
           thn("meas.col.reliability") + th("meas.col.average") + th("meas.col.below") + "</tr></thead><tbody>\n";
    for (const auto& op : m.reliability) {
        std::string below;
        for (const auto& name : op.provinces_below_bar) {
            below += (below.empty() ? "" : ", ") + esc(name);
        }
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                           "<td>{}</td><td>{}</td></tr>\n",
                           esc(op.overall.key), op.overall.samples, op.overall.at_threshold,
                           esc(share_cell(op.overall.share, lang)),
                           op.meets_average ? t(*op.meets_average ? "verdict.met" : "verdict.missed") : "—",
                           below.empty() ? "—" : below);
    }
    out += "</tbody></table>\n" + calibration_html(analysis, esc, lang) + contradicted_html(analysis, esc, lang) +
           "</section>\n";
    return out;
}

} // namespace deadzone::emit::detail
