// report.html: one self-contained page (inline CSS and SVG, no script, no external resource) that
// a department head can read without help, and print. This file holds the page, its style and its
// tables, section by section; the burn-up charts are in report_chart.cpp, the maps in
// report_map.cpp.
#include "report_detail.hpp"

#include <deadzone/emit/locale.hpp>
#include <deadzone/emit/palette.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>

namespace deadzone::emit::detail {

namespace {

std::string esc(std::string_view text) {
    return html_escape(text);
}

/// Colours of the statuses on the map and in the legend: the shared palette (emit/palette.hpp).
std::string status_color(std::optional<track::Status> status) {
    return hex(status_rgb(status));
}

std::string status_label(track::Status status, Language lang = Language::en) {
    return tr(std::string{"html.label."} + track::to_string(status), lang);
}

std::string forecast_caption(const track::Forecast& forecast, Language lang) {
    if (forecast.done) {
        return tr("html.forecast.done", lang);
    }
    if (forecast.completion) {
        return tr("html.forecast.completion", lang,
                  {{"date", long_date(*forecast.completion, lang)},
                   {"pace", format_decimal(round4(forecast.pace_per_day), 2, lang)},
                   {"days", std::to_string(forecast.window_days)}});
    }
    return tr("html.forecast.none", lang, {{"days", std::to_string(forecast.window_days)}});
}

std::string badge(const track::MilestoneResult& m, Language lang) {
    switch (verdict(m)) {
    case Verdict::met:
        return "<span class=\"nw\">" + esc(percent(m.achieved, lang)) + " <span class=\"badge met\">" +
               tr("html.badge.met", lang) + "</span></span>";
    case Verdict::missed:
        return "<span class=\"nw\">" + esc(percent(m.achieved, lang)) + " <span class=\"badge missed\">" +
               tr("html.badge.missed", lang) + "</span></span>";
    case Verdict::upcoming:
        return "<span class=\"badge upcoming\">" + tr("html.badge.upcoming", lang) + "</span><br><span class=\"nw\">" +
               esc(tr("html.badge.so_far", lang, {{"percent", percent(m.achieved, lang)}})) +
               "</span><br><span class=\"forecast nw\">" +
               esc(tr("html.badge.forecast", lang, {{"percent", percent(m.forecast_achieved.value_or(0.0), lang)}})) +
               "</span>";
    case Verdict::none: break;
    }
    return "<span class=\"note\">" + esc(tr("cell.none", lang)) + "</span>";
}

std::string group_table(const Campaign& campaign, const std::string& first_header,
                        const std::vector<std::pair<std::string, const track::Group*>>& rows,
                        const track::Group* total_row) {
    const Language lang = campaign.locale;
    std::string out = "<div class=\"wide\"><table>\n<thead><tr><th>" + esc(first_header) + "</th>";
    for (const char* key : {"col.commitments", "col.covered", "col.covered_late", "col.overdue", "col.pending",
                            "col.share"}) {
        out += "<th class=\"n\">" + esc(tr(key, lang)) + "</th>";
    }
    for (const auto& m : campaign.milestones) {
        out += "<th>" + esc(tr("col.milestone", lang, {{"target", target_text(m.target, lang)},
                                                        {"date", long_date(m.date, lang)}})) + "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
    const auto row = [&](const std::string& label_html, const track::Group& group,
                         bool total) {
        const auto& c = group.counts;
        out += fmt::format("<tr{}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                           "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                           "<td class=\"n\">{}</td>",
                           total ? " class=\"total\"" : "", label_html, c.total, c.covered,
                           c.covered_late, c.overdue, c.pending, esc(percent(c.fraction, lang)));
        for (const auto& m : group.milestones) {
            out += "<td class=\"ms\">" + badge(m, lang) + "</td>";
        }
        out += "</tr>\n";
    };
    for (const auto& [label, group] : rows) {
        row(label, *group, false);
    }
    if (total_row != nullptr) {
        row(esc(tr("all_operators", lang)), *total_row, true);
    }
    return out + "</tbody>\n</table></div>\n";
}

std::string swatch(const std::string& color, const char* stroke = "#fff") {
    return fmt::format("<svg width=\"12\" height=\"12\" class=\"swatch\"><circle cx=\"6\" "
                       "cy=\"6\" r=\"5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/></svg>",
                       color, stroke);
}

const char* const style = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;max-width:1120px;margin:0 auto;padding:24px;color:#222;line-height:1.45;background:#fff}
h1{font-size:1.6em;margin:0 0 .3em}
h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:2px solid #ddd;padding-bottom:.2em}
h3{font-size:1.05em;margin:.2em 0}
.headline{font-size:1.3em;font-weight:650;padding:.6em .9em;background:#f1f5f9;border-left:6px solid #2b83ba;margin:.6em 0}
.meta,.note{color:#555;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1.2em;font-size:.92em}
th,td{border-bottom:1px solid #e0e0e0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5;font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums}
.nw,td.n{white-space:nowrap}
.wide{overflow-x:auto}
tbody td:first-child{min-width:9em}
tr.total td{font-weight:700;border-top:2px solid #555}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-weight:600;font-size:.88em}
.badge.met{background:#d9f0d3;color:#1b5e20}.badge.missed{background:#f8d0d0;color:#8b1a1a}.badge.upcoming{background:#e8e8e8;color:#444}
.forecast{font-style:italic;color:#444}
.forecast-box{border:1px dashed #888;padding:.4em .8em;background:#fcfcf4}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(500px,1fr));gap:14px}
figure{margin:0;border:1px solid #ddd;padding:8px;break-inside:avoid;page-break-inside:avoid}
figcaption{font-size:.88em;color:#444;margin-top:4px}
svg{max-width:100%;height:auto}
svg.chart text{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg.swatch{vertical-align:-1px;margin-right:4px}
.map-box{border:1px solid #ccc;display:inline-block;max-width:100%;line-height:0}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 18px;font-size:.9em}
.op{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
@media print{
body{max-width:none;padding:0;font-size:9.5pt}
.wide{overflow:visible}
.charts{display:block}
figure{margin:0 0 8pt}
h2{break-after:avoid;page-break-after:avoid}
tr{break-inside:avoid;page-break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
)css";

} // namespace

namespace {

std::string operator_color(const Campaign& campaign, const std::string& code) {
    const Operator* op = campaign.find_operator(code);
    return op != nullptr && !op->color.empty() ? op->color : std::string("#555555");
}

/// From the doctype to the end of the page's header: title, headline, definitions, model.
std::string page_head(const Analysis& analysis, const Facts& facts) {
    const Campaign& campaign = analysis.campaign;
    const auto& tracking = analysis.tracking;
    const Language lang = campaign.locale;
    const std::string line = headline(analysis, facts);
    std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string{to_string(lang)} + "\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<title>" + esc(tr("html.title", lang, {{"name", campaign.name}, {"date", day_text(tracking.as_of, lang)}})) +
           "</title>\n<style>" + style + "</style>\n</head>\n<body>\n";

    out += "<header>\n<h1>" + esc(campaign.name) + "</h1>\n";
    out += "<p class=\"headline\">" + esc(line) + "</p>\n";
    out += "<p class=\"meta\">" +
           tr("html.meta", lang,
              {{"date", day_text(tracking.as_of, lang)},
               {"share", esc(target_text(campaign.coverage_rule.min_fraction, lang))},
               {"basis", tr(analysis.overlay.population_weighted ? "basis.population" : "basis.area", lang)},
               {"status", esc(tr("def.status", lang))},
               {"village", esc(tr("def.village", lang))}}) +
           "</p>\n</header>\n";
    // Which model produced the verdicts: terrain-blind discs or a terrain model over a DEM.
    out += "<p class=\"meta\">" + esc(tr("html.model", lang, {{"model", model_text(campaign, lang)}})) + "</p>\n";
    return out;
}

/// Per operator: counts and milestones, then the forecast box.
std::string operators_section(const Analysis& analysis) {
    const Campaign& campaign = analysis.campaign;
    const auto& tracking = analysis.tracking;
    const Language lang = campaign.locale;
    std::string out = "<section id=\"operators\">\n<h2>" + tr("html.heading.operators", lang) + "</h2>\n";
    std::vector<std::pair<std::string, const track::Group*>> rows;
    for (const auto& group : tracking.operators) {
        rows.emplace_back("<span class=\"op\" style=\"background:" + esc(operator_color(campaign, group.key)) +
                              "\"></span>" + esc(operator_name(campaign, group.key)) + " (" +
                              esc(group.key) + ")",
                          &group);
    }
    out += group_table(campaign, tr("col.operator", lang), rows, &tracking.overall);
    out += "<p class=\"note\">" + esc(tr("html.note.milestones", lang)) + "</p>\n";
    out += "<div class=\"forecast-box\"><h3>" + esc(tr("heading.forecast", lang)) + "</h3><p class=\"note\">" +
           esc(tr("def.forecast", lang)) + "</p>\n<table><thead><tr><th>" + esc(tr("col.operator", lang)) +
           "</th><th class=\"n\">" + esc(tr("col.window", lang)) + "</th><th class=\"n\">" +
           esc(tr("col.pace", lang)) + "</th><th class=\"n\">" + esc(tr("col.remaining", lang)) + "</th><th>" +
           esc(tr("col.forecast", lang)) + "</th></tr></thead><tbody>\n";
    const auto forecast_row = [&](const std::string& label, const track::Forecast& f,
                                  bool total) {
        out += fmt::format("<tr{}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                           "<td class=\"n\">{}</td><td class=\"forecast\">{}</td></tr>\n",
                           total ? " class=\"total\"" : "", label, f.window_days,
                           format_decimal(round4(f.pace_per_day), 4, lang), f.remaining, esc(forecast_text(f, lang)));
    };
    for (const auto& group : tracking.operators) {
        forecast_row(esc(operator_name(campaign, group.key)) + " (" + esc(group.key) + ")",
                     group.forecast, false);
    }
    forecast_row(esc(tr("all_operators", lang)), tracking.overall.forecast, true);
    out += "</tbody></table></div>\n</section>\n";
    return out;
}

/// One burn-up chart for all operators, then one per operator in its colour.
std::string charts_section(const Analysis& analysis) {
    const Campaign& campaign = analysis.campaign;
    const auto& tracking = analysis.tracking;
    const Language lang = campaign.locale;
    std::string out = "<section id=\"charts\">\n<h2>" + esc(tr("html.heading.charts", lang)) + "</h2>\n<p class=\"note\">" +
                      esc(tr("html.note.charts", lang)) + "</p>\n<div class=\"charts\">\n";
    const auto figure = [&](const track::Group& group, const std::string& name,
                            const std::string& color) {
        out += "<figure>\n" +
               burnup_svg(analysis, group, color, tr("html.burnup", lang, {{"name", name}})) + "<figcaption><b>" +
               esc(name) + "</b>: " +
               tr("html.caption", lang,
                  {{"covered", std::to_string(group.counts.covered + group.counts.covered_late)},
                   {"total", std::to_string(group.counts.total)},
                   {"percent", esc(percent(group.counts.fraction, lang))}}) +
               "<br><span class=\"forecast\">" + esc(forecast_caption(group.forecast, lang)) +
               "</span></figcaption>\n</figure>\n";
    };
    figure(tracking.overall, tr("all_operators", lang), "#333333");
    for (const auto& group : tracking.operators) {
        figure(group, operator_name(campaign, group.key) + " (" + group.key + ")",
               operator_color(campaign, group.key));
    }
    out += "</div>\n</section>\n";
    return out;
}

/// The legend with its counts, then one circle per village or, at national scale, hexagons.
std::string map_section(const Analysis& analysis, const Facts& facts) {
    const Language lang = analysis.campaign.locale;
    std::array<int, 4> village_counts{};
    int uncommitted = 0;
    int cannot = 0;
    for (std::size_t v = 0; v < analysis.villages.size(); ++v) {
        if (facts.village_status[v]) {
            ++village_counts[static_cast<std::size_t>(*facts.village_status[v])];
        } else {
            ++uncommitted;
        }
        cannot += facts.village_cannot_be_met[v] ? 1 : 0;
    }
    std::string out = "<section id=\"map\">\n<h2>" + esc(tr("html.heading.map", lang)) + "</h2>\n<ul class=\"legend\">\n";
    for (const auto status : {track::Status::covered, track::Status::covered_late,
                              track::Status::pending, track::Status::overdue}) {
        out += fmt::format("<li>{}{} ({})</li>\n", swatch(status_color(status)),
                           status_label(status, lang),
                           village_counts[static_cast<std::size_t>(status)]);
    }
    if (uncommitted > 0) {
        out += "<li>" + swatch(status_color(std::nullopt)) +
               tr("html.legend.no_commitment", lang, {{"count", std::to_string(uncommitted)}}) + "</li>\n";
    }
    out += "<li>" + swatch("#ffffff", "#000") +
           tr("html.legend.cannot", lang, {{"count", std::to_string(cannot)}}) + "</li>\n</ul>\n";
    if (aggregate_map(analysis)) { // national scale: hexagons (report_map.cpp)
        return out + aggregated_map_html(analysis, facts, esc) + "</section>\n";
    }
    std::vector<std::vector<std::size_t>> by_village(analysis.villages.size());
    for (std::size_t i = 0; i < analysis.tracking.commitments.size(); ++i) {
        by_village[analysis.tracking.commitments[i].village].push_back(i);
    }
    out += "<div class=\"map-box\">" + village_map_svg(analysis, facts, by_village, esc) + "</div>\n";
    out += "<p class=\"note\">" + esc(tr("html.note.map", lang)) + "</p>\n</section>\n";
    return out;
}

/// Per province: counts and milestones.
std::string provinces_section(const Analysis& analysis) {
    const Language lang = analysis.campaign.locale;
    std::string out = "<section id=\"provinces\">\n<h2>" + esc(tr("heading.provinces", lang)) + "</h2>\n";
    std::vector<std::pair<std::string, const track::Group*>> rows;
    for (const auto& group : analysis.tracking.provinces) {
        rows.emplace_back(esc(province_label(group.key, lang)), &group);
    }
    out += group_table(analysis.campaign, tr("col.province", lang), rows, nullptr);
    out += "</section>\n";
    return out;
}

/// The overdue commitments and those that cannot be met, one table each.
std::string lists_sections(const Analysis& analysis, const Facts& facts) {
    const auto& tracking = analysis.tracking;
    const Language lang = analysis.campaign.locale;
    const auto village_cell = [&](std::size_t index) {
        const Village& village = analysis.villages[tracking.commitments[index].village];
        std::string place = village.province;
        if (!village.district.empty()) {
            place = village.district + ", " + place;
        }
        return fmt::format("<td>{} <span class=\"note\">{}</span></td><td>{}</td><td>{}</td>"
                           "<td>{}</td>",
                           esc(village.name), esc(village.id), esc(province_label(place, lang)),
                           esc(analysis.commitments[index].operator_code),
                           day_text(analysis.commitments[index].deadline, lang));
    };
    const auto header = [&](std::initializer_list<std::pair<const char*, bool>> columns) {
        std::string row = "<table><thead><tr>";
        for (const auto& [key, numeric] : columns) {
            row += (numeric ? "<th class=\"n\">" : "<th>") + esc(tr(key, lang)) + "</th>";
        }
        return row + "</tr></thead><tbody>\n";
    };
    const std::string none = "<p>" + esc(tr("none", lang)) + "</p>\n";
    // At national scale only the first html_list_limit rows of a list (report_detail.hpp).
    const auto cut_note = [&](const char* key, std::size_t count) {
        if (count <= html_list_limit) return std::string{};
        return "<p class=\"note\">" +
               esc(tr(key, lang, {{"shown", std::to_string(html_list_limit)}, {"count", std::to_string(count)}})) +
               "</p>\n";
    };
    const auto shown = [](const std::vector<std::size_t>& list) {
        return std::span<const std::size_t>(list.data(), std::min(list.size(), html_list_limit));
    };
    std::string out = "<section id=\"overdue\">\n<h2>" +
           esc(tr("heading.overdue", lang, {{"count", std::to_string(facts.overdue.size())}})) + "</h2>\n";
    if (facts.overdue.empty()) {
        out += none;
    } else {
        out += cut_note("html.note.overdue_cut", facts.overdue.size());
        out += header({{"col.village", false}, {"col.district_province", false}, {"col.operator", false},
                       {"col.deadline", false}, {"col.coverage_now", true}, {"col.days_late", true}});
        for (const std::size_t index : shown(facts.overdue)) {
            const auto& result = tracking.commitments[index];
            out += "<tr>" + village_cell(index) +
                   fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                               esc(percent(result.coverage, lang)), result.days_late.value_or(0));
        }
        out += "</tbody></table>\n";
    }
    out += "</section>\n";

    out += "<section id=\"cannot-be-met\">\n<h2>" +
           esc(tr("heading.cannot_be_met", lang, {{"count", std::to_string(facts.cannot_be_met.size())}})) +
           "</h2>\n<p class=\"note\">" + esc(tr("html.text.cannot_be_met", lang)) + "</p>\n";
    if (facts.cannot_be_met.empty()) {
        out += none;
    } else {
        out += cut_note("html.note.cannot_be_met_cut", facts.cannot_be_met.size());
        out += header({{"col.village", false}, {"col.district_province", false}, {"col.operator", false},
                       {"col.deadline", false}, {"col.status", false}, {"col.coverage_now", true},
                       {"col.with_every_cell", true}});
        for (const std::size_t index : shown(facts.cannot_be_met)) {
            const auto& result = tracking.commitments[index];
            out += "<tr>" + village_cell(index) +
                   fmt::format("<td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                               status_label(result.status, lang), esc(percent(result.coverage, lang)),
                               esc(percent(facts.potential[index], lang)));
        }
        out += "</tbody></table>\n";
    }
    out += "</section>\n";
    return out;
}

} // namespace

std::string report_html(const Analysis& analysis, const Facts& facts) {
    const Language lang = analysis.campaign.locale;
    std::string out = page_head(analysis, facts);
    out += operators_section(analysis);
    out += charts_section(analysis);
    out += map_section(analysis, facts);
    out += provinces_section(analysis);
    out += lists_sections(analysis, facts);
    if (!analysis.tracking.delays.commitments.empty()) {
        out += delays_html(analysis, esc);
    }
    if (analysis.measurements.active) {
        out += measurements_html(analysis, esc);
    }
    out += "<footer class=\"note\"><p>" + esc(tr("html.footer", lang)) + "</p></footer>\n</body>\n</html>\n";
    return out;
}

} // namespace deadzone::emit::detail
