// report.html's "Field measurements" section: the same tables as report.md plus an inline SVG
// plot of measured against predicted levels (one dot per counted sample with a prediction, at
// most max_plotted of them, taken at an even stride so the plot does not depend on file order
// within the stride and a million samples do not make a 100 MB page).
#include "report_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace deadzone::emit::detail {

namespace {

constexpr std::size_t max_plotted = 4000;
constexpr double plot_low_dbm = -140.0;
constexpr double plot_high_dbm = -40.0;

std::string scatter_svg(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc) {
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
        "aria-label=\"Measured against predicted level\">\n",
        size + 2 * margin);
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
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\">predicted (dBm)</text>\n",
                       margin + size / 2, margin + size + 32);
    out += fmt::format("<text x=\"12\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 {:.1f})\">"
                       "measured (dBm)</text>\n",
                       margin + size / 2, margin + size / 2);
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
        out += fmt::format("<p class=\"note\">Every {}th of {} samples plotted.</p>\n", stride, eligible.size());
    }
    return out;
}

std::string share_cell(const std::optional<double>& share) { return share ? percent(*share) : "—"; }

std::string calibration_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc) {
    const auto& m = analysis.measurements;
    std::string out = "<h3>Model calibration</h3>\n<p class=\"note\"><strong>SUGGESTION, not applied.</strong> " +
                      esc(calibration_definition) + ".</p>\n";
    if (m.calibration.empty()) {
        return out + "<p>No counted sample lies in a footprint drawn by the link budget (fixed-radius cells give no "
                     "level).</p>\n";
    }
    const auto db = [](double value) { return std::round(value * 100.0) / 100.0 + 0.0; };
    out += "<table><thead><tr><th>Operator</th><th>Technology</th><th class=\"n\">Samples</th><th class=\"n\">Mean error</th>"
           "<th class=\"n\">SD</th><th class=\"n\">RMSE</th></tr></thead><tbody>\n";
    for (const auto& g : m.calibration) {
        out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:+.2f} dB</td>"
                           "<td class=\"n\">{:.2f} dB</td><td class=\"n\">{:.2f} dB</td></tr>\n",
                           esc(g.operator_code), to_string(g.tech), g.samples, db(g.mean_db), db(g.sd_db), db(g.rmse_db));
    }
    out += "</tbody></table>\n<table><thead><tr><th>Operator</th><th class=\"n\">Suggested offset</th>"
           "<th class=\"n\">RMSE now</th><th class=\"n\">RMSE with the offset</th></tr></thead><tbody>\n";
    for (const auto& op : m.calibration_operators) {
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{:+.2f} dB</td><td class=\"n\">{:.2f} dB</td>"
                           "<td class=\"n\">{:.2f} dB</td></tr>\n",
                           esc(op.operator_code), db(op.offset_db), db(op.rmse_db), db(op.rmse_after_db));
    }
    return out + "</tbody></table>\n" + scatter_svg(analysis, esc);
}

std::string contradicted_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc) {
    const auto contradicted = contradicted_list(analysis);
    std::string out = fmt::format("<h3>Contradicted villages ({})</h3>\n", contradicted.size());
    if (contradicted.empty()) {
        return out + "<p>No predicted-covered village is contradicted by its samples.</p>\n";
    }
    out += "<table><thead><tr><th>Village</th><th>Province</th><th>Operator</th><th class=\"n\">Samples</th>"
           "<th class=\"n\">At threshold</th><th class=\"n\">Share</th></tr></thead><tbody>\n";
    for (const auto* verdict : contradicted) {
        const Village& village = analysis.villages[verdict->village];
        out += fmt::format("<tr><td>{} <span class=\"note\">{}</span></td><td>{}</td><td>{}</td><td class=\"n\">{}</td>"
                           "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                           esc(village.name), esc(village.id), esc(province_label(village.province)),
                           esc(verdict->operator_code), verdict->samples, verdict->at_threshold,
                           esc(percent(verdict->share)));
    }
    return out + "</tbody></table>\n";
}

} // namespace

std::string measurements_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc) {
    const auto& m = analysis.measurements;
    const auto& rule = analysis.campaign.coverage_rule.measurement;
    std::string out = "<section id=\"measurements\">\n<h2>Field measurements</h2>\n";
    out += fmt::format("<p>{} samples read, {} counted, {} inside villages. A village is measured covered by an operator "
                       "when at least {} of its at least {} counted samples reach the threshold. Commitment statuses "
                       "follow the evidence: <strong>{}</strong>.</p>\n",
                       m.samples, m.samples_counted, m.samples_in_villages, esc(percent(rule.share)), rule.min_samples,
                       to_string(m.evidence));
    out += "<table><thead><tr><th>Verdict</th><th class=\"n\">Villages × operators</th></tr></thead><tbody>\n";
    for (const auto verdict : {track::MeasuredVerdict::confirmed, track::MeasuredVerdict::contradicted,
                               track::MeasuredVerdict::unpredicted, track::MeasuredVerdict::not_covered,
                               track::MeasuredVerdict::unmeasured}) {
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td></tr>\n", to_string(verdict), m.count(verdict));
    }
    out += "</tbody></table>\n<h3>Map reliability (ARCEP's measure)</h3>\n<p class=\"note\">" +
           esc(reliability_definition) + ".</p>\n";
    out += "<table><thead><tr><th>Operator</th><th class=\"n\">Samples in the map</th><th class=\"n\">At threshold</th>"
           "<th class=\"n\">Reliability</th><th>98 % average</th><th>Provinces below 95 %</th></tr></thead><tbody>\n";
    for (const auto& op : m.reliability) {
        std::string below;
        for (const auto& name : op.provinces_below_bar) {
            below += (below.empty() ? "" : ", ") + esc(name);
        }
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                           "<td>{}</td><td>{}</td></tr>\n",
                           esc(op.overall.key), op.overall.samples, op.overall.at_threshold,
                           esc(share_cell(op.overall.share)),
                           op.meets_average ? (*op.meets_average ? "met" : "missed") : "—", below.empty() ? "—" : below);
    }
    out += "</tbody></table>\n" + calibration_html(analysis, esc) + contradicted_html(analysis, esc) + "</section>\n";
    return out;
}

} // namespace deadzone::emit::detail
