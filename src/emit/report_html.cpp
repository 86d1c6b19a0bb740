// report.html: one self-contained page (inline CSS and SVG, no script, no external resource) that
// a department head can read without help, and print.
// Over 600 lines on purpose for now: style, tables, burn-up charts and the small-campaign map of one
// page in one file (the national hexagon map is in report_map.cpp); the charts are next to move out.
#include "report_detail.hpp"

#include <deadzone/emit/palette.hpp>
#include <deadzone/emit/locale.hpp>
#include <deadzone/model/footprint.hpp>

#include <deadzone/emit/reports.hpp>

#include <boost/geometry.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace deadzone::emit::detail {

namespace {

std::string esc(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

/// Colours of the statuses on the map and in the legend: the shared palette (emit/palette.hpp).
std::string status_color(std::optional<track::Status> status) {
    return hex(status_rgb(status));
}

std::string status_label(track::Status status, Language lang = Language::en) {
    return tr(std::string{"html.label."} + track::to_string(status), lang);
}

std::string short_date(Date date, Language lang = Language::en) {
    if (lang == Language::vi) {
        return fmt::format("{}/{}", date.day(), date.month()); // "1/6", as Vietnamese axes write it
    }
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return fmt::format("{} {}", date.day(), months[date.month() - 1]);
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

// ---- burn-up chart ---------------------------------------------------------------------------

struct ChartFrame {
    static constexpr double width = 640;
    static constexpr double height = 270;
    static constexpr double left = 50;
    static constexpr double right = 18;
    static constexpr double top = 22;
    static constexpr double bottom = 38;
    Date x0;
    Date x1;
    double x(Date day) const {
        return left + (width - left - right) * (day - x0) / static_cast<double>(x1 - x0);
    }
    double y(double share) const { return top + (height - top - bottom) * (1.0 - share); }
};

std::string burnup_svg(const Analysis& analysis, const track::Group& group,
                       const std::string& color, const std::string& title) {
    const Language lang = analysis.campaign.locale;
    const Campaign& campaign = analysis.campaign;
    const Date as_of = analysis.tracking.as_of;
    const auto& timeline = group.timeline;
    const auto& forecast = group.forecast;
    const int total = group.counts.total;

    ChartFrame f;
    f.x0 = !timeline.empty() ? timeline.front().date : campaign.start_date.value_or(as_of);
    f.x0 = std::min(f.x0, as_of);
    Date end = as_of;
    for (const auto& m : campaign.milestones) {
        end = std::max(end, m.date);
    }
    end = std::max(end, f.x0 + 7);
    // Stretch the axis to show the forecast completion when it is not too far off.
    if (forecast.completion && *forecast.completion > end &&
        (*forecast.completion - f.x0) <= 3 * (end - f.x0) / 2) {
        end = *forecast.completion;
    }
    f.x1 = end + std::max(2, (end - f.x0) / 30);

    std::string out = fmt::format(
        "<svg class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
        "font-size=\"11\"><title>{}</title>\n",
        f.width, f.height, f.width, f.height, esc(title));
    const double plot_right = f.width - f.right;
    const double plot_bottom = f.height - f.bottom;
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                       "fill=\"#fafafa\" stroke=\"#ccc\"/>\n",
                       f.left, f.top, plot_right - f.left, plot_bottom - f.top);
    for (int step = 0; step <= 4; ++step) {
        const double y = f.y(step / 4.0);
        out += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
                           "stroke=\"#e0e0e0\"/><text x=\"{}\" y=\"{:.1f}\" "
                           "text-anchor=\"end\" fill=\"#555\">{} %</text>\n",
                           f.left, y, plot_right, y, f.left - 6, y + 4, step * 25);
    }
    // Month ticks, thinned to at most about eight labels.
    {
        int year = f.x0.year();
        unsigned month = f.x0.month();
        const int months = (f.x1.year() - year) * 12 + static_cast<int>(f.x1.month()) -
                           static_cast<int>(month) + 1;
        const int every = std::max(1, (months + 7) / 8);
        int index = 0;
        for (;;) {
            const Date tick = *Date::from_ymd(year, month, 1);
            if (tick > f.x1) {
                break;
            }
            if (tick >= f.x0 && index % every == 0) {
                const double x = f.x(tick);
                const std::string label =
                    month == 1 || index == 0 ? short_date(tick, lang) + (lang == Language::vi ? "/" : " ") +
                                                   std::to_string(year)
                                             : short_date(tick, lang);
                out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" "
                                   "y2=\"{2:.1f}\" stroke=\"#999\"/><text x=\"{0:.1f}\" "
                                   "y=\"{3:.1f}\" text-anchor=\"middle\" fill=\"#555\">{4}</text>\n",
                                   x, plot_bottom, plot_bottom + 4, plot_bottom + 16,
                                   esc(label));
            }
            if (tick >= f.x0) {
                ++index;
            }
            if (++month > 12) {
                month = 1;
                ++year;
            }
        }
    }

    // Required share: a step up at each milestone.
    if (!campaign.milestones.empty()) {
        std::string path = fmt::format("M{:.1f},{:.1f}", f.x(f.x0), f.y(0.0));
        for (const auto& m : campaign.milestones) {
            if (m.date < f.x0 || m.date > f.x1) {
                continue;
            }
            path += fmt::format(" H{:.1f} V{:.1f}", f.x(m.date), f.y(m.target));
        }
        path += fmt::format(" H{:.1f}", f.x(f.x1));
        out += "<path d=\"" + path +
               "\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\" "
               "stroke-dasharray=\"2 3\"><title>" + esc(tr("svg.milestone_targets", lang)) + "</title></path>\n";
    }

    // As-of line, labelled at the top on the side with room.
    {
        const double x = f.x(as_of);
        const bool right_half = x > (f.left + plot_right) / 2;
        out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
                           "stroke=\"#666\" stroke-dasharray=\"4 2\"/><text x=\"{3:.1f}\" "
                           "y=\"{4:.1f}\" text-anchor=\"{5}\" fill=\"#333\">{6}</text>\n",
                           x, f.top - 4, plot_bottom, right_half ? x + 3 : x - 3, f.top - 7,
                           right_half ? "end" : "start",
                           esc(tr("svg.as_of", lang, {{"date", day_text(as_of, lang)}})));
    }

    const double share_now = total > 0 ? group.counts.fraction : 0.0;
    if (total == 0) {
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                           "fill=\"#555\">no commitments</text>\n",
                           (f.left + plot_right) / 2, (f.top + plot_bottom) / 2);
    } else if (timeline.empty()) {
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                           "fill=\"#555\">the campaign has not started</text>\n",
                           (f.left + plot_right) / 2, (f.top + plot_bottom) / 2);
    } else {
        // Actual burn-up, daily steps.
        const auto share = [&](int covered) { return static_cast<double>(covered) / total; };
        std::string path = fmt::format("M{:.1f},{:.1f}", f.x(timeline.front().date),
                                       f.y(share(timeline.front().covered)));
        for (std::size_t i = 1; i < timeline.size(); ++i) {
            if (timeline[i].covered != timeline[i - 1].covered) {
                path += fmt::format(" H{:.1f} V{:.1f}", f.x(timeline[i].date),
                                    f.y(share(timeline[i].covered)));
            }
        }
        path += fmt::format(" H{:.1f}", f.x(timeline.back().date));
        out += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + esc(color) +
               "\" stroke-width=\"2.5\"><title>" + esc(tr("col.share", lang)) + "</title></path>\n";

        // Forecast, dashed, with a short label along it; the dates go in the caption.
        if (!forecast.done && forecast.completion) {
            Date to = *forecast.completion;
            double value = 1.0;
            if (to > f.x1) {
                to = f.x1;
                value = std::min(1.0, share_now + forecast.pace_per_day * (to - as_of) / total);
            }
            const double x_from = f.x(as_of);
            const double y_from = f.y(share_now);
            const double x_to = f.x(to);
            const double y_to = f.y(value);
            out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
                               "stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"7 4\" "
                               "opacity=\"0.85\"><title>{}</title></line>\n"
                               "<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#333\" "
                               "font-style=\"italic\">{}</text>\n",
                               x_from, y_from, x_to, y_to, esc(color),
                               esc(tr("svg.forecast_title", lang, {{"date", day_text(*forecast.completion, lang)}})),
                               std::min((x_from + x_to) / 2 + 4, plot_right - 50),
                               std::min((y_from + y_to) / 2 + 14, plot_bottom - 4),
                               esc(tr("svg.forecast", lang)));
        } else if (!forecast.done) {
            out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#333\" "
                               "font-style=\"italic\" text-anchor=\"end\">{}</text>\n",
                               f.x(as_of) - 4, std::min(f.y(share_now) + 14, plot_bottom - 4),
                               esc(tr("svg.no_progress", lang)));
        }
    }

    // Milestone markers: filled green when met, red when missed, hollow while upcoming.
    for (const auto& m : group.milestones) {
        if (m.date < f.x0 || m.date > f.x1) {
            continue;
        }
        const Verdict v = verdict(m);
        const char* fill = v == Verdict::met ? "#1a9641" : v == Verdict::missed ? "#d7191c" : "#fff";
        out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\" "
                           "stroke=\"#333\"><title>{}</title></circle>"
                           "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#333\">"
                           "{}</text>\n",
                           f.x(m.date), f.y(m.target), fill,
                           esc(tr("svg.milestone_title", lang,
                                  {{"target", target_text(m.target, lang)}, {"date", day_text(m.date, lang)},
                                   {"verdict", verdict_text(v, lang)}, {"percent", percent(m.achieved, lang)}})),
                           f.x(m.date) - 8, f.y(m.target) + (m.target > 0.9 ? 14 : -8),
                           esc(tr("col.milestone", lang, {{"target", target_text(m.target, lang)},
                                                          {"date", short_date(m.date, lang)}})));
    }
    return out + "</svg>\n";
}

// ---- map -------------------------------------------------------------------------------------

struct Outline {
    std::vector<std::vector<geo::Point>> rings; // lon/lat
};

const Outline& vietnam_outline() {
    static const Outline outline = [] {
        Outline result;
        const auto doc = nlohmann::json::parse(vietnam_outline_geojson());
        const auto add_polygon = [&](const nlohmann::json& polygon) {
            for (const auto& ring : polygon) {
                std::vector<geo::Point> points;
                for (const auto& position : ring) {
                    points.emplace_back(position.at(0).get<double>(), position.at(1).get<double>());
                }
                result.rings.push_back(std::move(points));
            }
        };
        for (const auto& feature : doc.at("features")) {
            const auto& geometry = feature.at("geometry");
            const std::string type = geometry.at("type").get<std::string>();
            if (type == "Polygon") {
                add_polygon(geometry.at("coordinates"));
            } else if (type == "MultiPolygon") {
                for (const auto& polygon : geometry.at("coordinates")) {
                    add_polygon(polygon);
                }
            }
        }
        return result;
    }();
    return outline;
}

std::string map_svg(const Analysis& analysis, const Facts& facts,
                    const std::vector<std::vector<std::size_t>>& by_village) {
    const Language lang = analysis.campaign.locale;
    struct Marker {
        std::size_t village;
        geo::Point position;
    };
    std::vector<Marker> markers;
    for (std::size_t v = 0; v < analysis.villages.size(); ++v) {
        const Village& village = analysis.villages[v];
        if (village.point) {
            markers.push_back({v, *village.point});
        } else if (!boost::geometry::is_empty(village.geometry)) {
            geo::Point centre;
            boost::geometry::centroid(village.geometry, centre);
            markers.push_back({v, centre});
        }
    }
    if (markers.empty()) {
        return "<p class=\"note\">No village has a location to map.</p>\n";
    }

    double min_lon = markers.front().position.x();
    double max_lon = min_lon;
    double min_lat = markers.front().position.y();
    double max_lat = min_lat;
    double sum_lat = 0.0;
    for (const auto& marker : markers) {
        min_lon = std::min(min_lon, marker.position.x());
        max_lon = std::max(max_lon, marker.position.x());
        min_lat = std::min(min_lat, marker.position.y());
        max_lat = std::max(max_lat, marker.position.y());
        sum_lat += marker.position.y();
    }
    // Equirectangular with longitudes shrunk by cos(mean latitude): shapes look right at
    // Vietnam's scale without a projection library.
    const double k = std::cos(sum_lat / static_cast<double>(markers.size()) * std::numbers::pi / 180.0);
    const double pad_lon = std::max(0.3, 0.06 * (max_lon - min_lon));
    const double pad_lat = std::max(0.3, 0.06 * (max_lat - min_lat));
    min_lon -= pad_lon;
    max_lon += pad_lon;
    min_lat -= pad_lat;
    max_lat += pad_lat;
    double width = 860;
    double scale = width / ((max_lon - min_lon) * k);
    double height = (max_lat - min_lat) * scale;
    if (height > 900) {
        height = 900;
        scale = height / (max_lat - min_lat);
        width = (max_lon - min_lon) * k * scale;
    }
    const auto px = [&](const geo::Point& p) { return (p.x() - min_lon) * k * scale; };
    const auto py = [&](const geo::Point& p) { return (max_lat - p.y()) * scale; };

    std::string out = fmt::format(
        "<svg class=\"map\" viewBox=\"0 0 {:.0f} {:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" "
        "role=\"img\"><title>{}</title>\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"#eeeeee\"/>\n<path d=\"",
        width, height, width, height, esc(tr("svg.map_title", lang)));
    for (const auto& ring : vietnam_outline().rings) {
        char command = 'M';
        double last_x = -1e9;
        double last_y = -1e9;
        for (const auto& point : ring) {
            const double x = std::round(px(point) * 10.0) / 10.0;
            const double y = std::round(py(point) * 10.0) / 10.0;
            if (std::abs(x - last_x) < 0.5 && std::abs(y - last_y) < 0.5) {
                continue; // below half a pixel: drop
            }
            out += fmt::format("{}{:.1f},{:.1f}", command, x, y);
            command = 'L';
            last_x = x;
            last_y = y;
        }
        out += "Z";
    }
    out += "\" fill=\"#ffffff\" stroke=\"#777\" stroke-width=\"0.8\" fill-rule=\"evenodd\">"
           "<title>" + esc(tr("svg.vietnam", lang)) + "</title></path>\n";

    // Problems drawn last, on top.
    const auto rank = [&](std::size_t v) {
        const auto& status = facts.village_status[v];
        if (!status) {
            return 0;
        }
        switch (*status) {
        case track::Status::covered: return 1;
        case track::Status::covered_late: return 2;
        case track::Status::pending: return 3;
        case track::Status::overdue: return 4;
        }
        return 0;
    };
    std::stable_sort(markers.begin(), markers.end(), [&](const Marker& a, const Marker& b) {
        return rank(a.village) < rank(b.village);
    });
    const double radius = markers.size() > 20000 ? 1.5 : markers.size() > 2000 ? 2.5 : 4.0;
    const auto& results = analysis.tracking.commitments;
    for (const auto& marker : markers) {
        const Village& village = analysis.villages[marker.village];
        std::string tip = village.name + " (" + village.id + ")";
        if (!village.province.empty()) {
            tip += ", " + village.province;
        }
        for (const std::size_t index : by_village[marker.village]) {
            const auto& result = results[index];
            tip += "\n" + analysis.commitments[index].operator_code + ": " +
                   status_label(result.status, lang);
            if (result.covered_on) {
                tip += tr("tip.since", lang, {{"date", day_text(*result.covered_on, lang)}});
            }
            if (result.days_late) {
                tip += tr("tip.days_late", lang, {{"days", std::to_string(*result.days_late)}});
            }
            tip += tr("tip.coverage", lang, {{"percent", percent(result.coverage, lang)}});
            if (result.cannot_be_met) {
                tip += tr("tip.cannot", lang);
            }
        }
        if (by_village[marker.village].empty()) {
            tip += "\n" + tr("tip.no_commitment", lang);
        }
        const bool cannot = facts.village_cannot_be_met[marker.village];
        out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" "
                           "stroke=\"{}\" stroke-width=\"{}\"><title>{}</title></circle>\n",
                           px(marker.position), py(marker.position), radius,
                           status_color(facts.village_status[marker.village]),
                           cannot ? "#000" : "#fff", cannot ? 1.6 : 0.6, esc(tip));
    }
    return out + "</svg>\n";
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

std::string report_html(const Analysis& analysis, const Facts& facts) {
    const Campaign& campaign = analysis.campaign;
    const auto& tracking = analysis.tracking;
    const Language lang = campaign.locale;
    const std::string line = headline(analysis, facts);

    std::vector<std::vector<std::size_t>> by_village(analysis.villages.size());
    for (std::size_t i = 0; i < tracking.commitments.size(); ++i) {
        by_village[tracking.commitments[i].village].push_back(i);
    }
    const auto operator_color = [&](const std::string& code) {
        const Operator* op = campaign.find_operator(code);
        return op != nullptr && !op->color.empty() ? op->color : std::string("#555555");
    };

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

    // Operators.
    out += "<section id=\"operators\">\n<h2>" + tr("html.heading.operators", lang) + "</h2>\n";
    std::vector<std::pair<std::string, const track::Group*>> rows;
    for (const auto& group : tracking.operators) {
        rows.emplace_back("<span class=\"op\" style=\"background:" + esc(operator_color(group.key)) +
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

    // Burn-up charts.
    out += "<section id=\"charts\">\n<h2>" + esc(tr("html.heading.charts", lang)) + "</h2>\n<p class=\"note\">" +
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
               operator_color(group.key));
    }
    out += "</div>\n</section>\n";

    // Map.
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
    out += "<section id=\"map\">\n<h2>" + esc(tr("html.heading.map", lang)) + "</h2>\n<ul class=\"legend\">\n";
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
        out += aggregated_map_html(analysis, facts, esc) + "</section>\n";
    } else {
        out += "<div class=\"map-box\">" + map_svg(analysis, facts, by_village) + "</div>\n";
        out += "<p class=\"note\">" + esc(tr("html.note.map", lang)) + "</p>\n</section>\n";
    }

    // Provinces.
    out += "<section id=\"provinces\">\n<h2>" + esc(tr("heading.provinces", lang)) + "</h2>\n";
    rows.clear();
    for (const auto& group : tracking.provinces) {
        rows.emplace_back(esc(province_label(group.key, lang)), &group);
    }
    out += group_table(campaign, tr("col.province", lang), rows, nullptr);
    out += "</section>\n";

    // Lists.
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
    out += "<section id=\"overdue\">\n<h2>" +
           esc(tr("heading.overdue", lang, {{"count", std::to_string(facts.overdue.size())}})) + "</h2>\n";
    if (facts.overdue.empty()) {
        out += none;
    } else {
        out += header({{"col.village", false}, {"col.district_province", false}, {"col.operator", false},
                       {"col.deadline", false}, {"col.coverage_now", true}, {"col.days_late", true}});
        for (const std::size_t index : facts.overdue) {
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
        out += header({{"col.village", false}, {"col.district_province", false}, {"col.operator", false},
                       {"col.deadline", false}, {"col.status", false}, {"col.coverage_now", true},
                       {"col.with_every_cell", true}});
        for (const std::size_t index : facts.cannot_be_met) {
            const auto& result = tracking.commitments[index];
            out += "<tr>" + village_cell(index) +
                   fmt::format("<td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                               status_label(result.status, lang), esc(percent(result.coverage, lang)),
                               esc(percent(facts.potential[index], lang)));
        }
        out += "</tbody></table>\n";
    }
    out += "</section>\n";
    if (!tracking.delays.commitments.empty()) {
        out += delays_html(analysis, esc);
    }
    if (analysis.measurements.active) {
        out += measurements_html(analysis, esc);
    }
    out += "<footer class=\"note\"><p>" + esc(tr("html.footer", lang)) + "</p></footer>\n</body>\n</html>\n";
    return out;
}

} // namespace deadzone::emit::detail
