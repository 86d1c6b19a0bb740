// report.html's burn-up charts: one SVG per group (all operators, each operator) with the share
// covered day by day, the milestones' required steps, the as-of line, the forecast and a marker
// per milestone (met, missed or upcoming). Also the HTML escaping every report page uses.
#include "report_detail.hpp"

#include <deadzone/emit/locale.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace deadzone::emit::detail {

std::string html_escape(std::string_view text) {
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

namespace {

std::string esc(std::string_view text) {
    return html_escape(text);
}

std::string short_date(Date date, Language lang) {
    if (lang == Language::vi) {
        return fmt::format("{}/{}", date.day(), date.month()); // "1/6", as Vietnamese axes write it
    }
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return fmt::format("{} {}", date.day(), months[date.month() - 1]);
}

/// The plot area in pixels and the days it spans.
struct ChartFrame {
    static constexpr double width = 640;
    static constexpr double height = 270;
    static constexpr double left = 50;
    static constexpr double right = 18;
    static constexpr double top = 22;
    static constexpr double bottom = 38;
    static constexpr double plot_right = width - right;
    static constexpr double plot_bottom = height - bottom;
    Date x0;
    Date x1;
    double x(Date day) const {
        return left + (width - left - right) * (day - x0) / static_cast<double>(x1 - x0);
    }
    double y(double share) const { return top + (height - top - bottom) * (1.0 - share); }
};

/// From the first day of the timeline (or the campaign's start) to past the last milestone, the
/// as-of date and, when not too far off, the forecast completion.
ChartFrame frame_for(const Campaign& campaign, const track::Group& group, Date as_of) {
    const auto& timeline = group.timeline;
    const auto& forecast = group.forecast;
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
    return f;
}

/// The plot's background and the share grid, 0 to 100 % by 25.
std::string grid_svg(const ChartFrame& f) {
    std::string out = fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                                  "fill=\"#fafafa\" stroke=\"#ccc\"/>\n",
                                  f.left, f.top, f.plot_right - f.left, f.plot_bottom - f.top);
    for (int step = 0; step <= 4; ++step) {
        const double y = f.y(step / 4.0);
        out += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
                           "stroke=\"#e0e0e0\"/><text x=\"{}\" y=\"{:.1f}\" "
                           "text-anchor=\"end\" fill=\"#555\">{} %</text>\n",
                           f.left, y, f.plot_right, y, f.left - 6, y + 4, step * 25);
    }
    return out;
}

/// Month ticks, thinned to at most about eight labels; the year on January's and the first one.
std::string month_ticks_svg(const ChartFrame& f, Language lang) {
    std::string out;
    int year = f.x0.year();
    unsigned month = f.x0.month();
    const int months = (f.x1.year() - year) * 12 + static_cast<int>(f.x1.month()) - static_cast<int>(month) + 1;
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
                month == 1 || index == 0
                    ? short_date(tick, lang) + (lang == Language::vi ? "/" : " ") + std::to_string(year)
                    : short_date(tick, lang);
            out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" "
                               "y2=\"{2:.1f}\" stroke=\"#999\"/><text x=\"{0:.1f}\" "
                               "y=\"{3:.1f}\" text-anchor=\"middle\" fill=\"#555\">{4}</text>\n",
                               x, f.plot_bottom, f.plot_bottom + 4, f.plot_bottom + 16, esc(label));
        }
        if (tick >= f.x0) {
            ++index;
        }
        if (++month > 12) {
            month = 1;
            ++year;
        }
    }
    return out;
}

/// The required share: a step up at each milestone.
std::string targets_svg(const ChartFrame& f, const Campaign& campaign, Language lang) {
    if (campaign.milestones.empty()) {
        return {};
    }
    std::string path = fmt::format("M{:.1f},{:.1f}", f.x(f.x0), f.y(0.0));
    for (const auto& m : campaign.milestones) {
        if (m.date < f.x0 || m.date > f.x1) {
            continue;
        }
        path += fmt::format(" H{:.1f} V{:.1f}", f.x(m.date), f.y(m.target));
    }
    path += fmt::format(" H{:.1f}", f.x(f.x1));
    return "<path d=\"" + path +
           "\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\" "
           "stroke-dasharray=\"2 3\"><title>" + esc(tr("svg.milestone_targets", lang)) + "</title></path>\n";
}

/// The as-of line, labelled at the top on the side with room.
std::string as_of_svg(const ChartFrame& f, Date as_of, Language lang) {
    const double x = f.x(as_of);
    const bool right_half = x > (f.left + f.plot_right) / 2;
    return fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
                       "stroke=\"#666\" stroke-dasharray=\"4 2\"/><text x=\"{3:.1f}\" "
                       "y=\"{4:.1f}\" text-anchor=\"{5}\" fill=\"#333\">{6}</text>\n",
                       x, f.top - 4, f.plot_bottom, right_half ? x + 3 : x - 3, f.top - 7,
                       right_half ? "end" : "start", esc(tr("svg.as_of", lang, {{"date", day_text(as_of, lang)}})));
}

/// The forecast from the as-of date, dashed, with a short label along it (the dates go in the
/// caption); a "no progress" note when there is no pace to project.
std::string forecast_svg(const ChartFrame& f, const track::Group& group, Date as_of, const std::string& color,
                         Language lang) {
    const auto& forecast = group.forecast;
    const int total = group.counts.total;
    const double share_now = group.counts.fraction;
    if (forecast.done) {
        return {};
    }
    if (!forecast.completion) {
        return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#333\" "
                           "font-style=\"italic\" text-anchor=\"end\">{}</text>\n",
                           f.x(as_of) - 4, std::min(f.y(share_now) + 14, f.plot_bottom - 4),
                           esc(tr("svg.no_progress", lang)));
    }
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
    return fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
                       "stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"7 4\" "
                       "opacity=\"0.85\"><title>{}</title></line>\n"
                       "<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#333\" "
                       "font-style=\"italic\">{}</text>\n",
                       x_from, y_from, x_to, y_to, esc(color),
                       esc(tr("svg.forecast_title", lang, {{"date", day_text(*forecast.completion, lang)}})),
                       std::min((x_from + x_to) / 2 + 4, f.plot_right - 50),
                       std::min((y_from + y_to) / 2 + 14, f.plot_bottom - 4), esc(tr("svg.forecast", lang)));
}

/// The share covered, in daily steps, then the forecast; a note instead when there is nothing to
/// draw.
std::string progress_svg(const ChartFrame& f, const track::Group& group, Date as_of, const std::string& color,
                         Language lang) {
    const auto& timeline = group.timeline;
    const int total = group.counts.total;
    const auto note = [&](const char* text) {
        return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                           "fill=\"#555\">{}</text>\n",
                           (f.left + f.plot_right) / 2, (f.top + f.plot_bottom) / 2, text);
    };
    if (total == 0) {
        return note("no commitments");
    }
    if (timeline.empty()) {
        return note("the campaign has not started");
    }
    const auto share = [&](int covered) { return static_cast<double>(covered) / total; };
    std::string path =
        fmt::format("M{:.1f},{:.1f}", f.x(timeline.front().date), f.y(share(timeline.front().covered)));
    for (std::size_t i = 1; i < timeline.size(); ++i) {
        if (timeline[i].covered != timeline[i - 1].covered) {
            path += fmt::format(" H{:.1f} V{:.1f}", f.x(timeline[i].date), f.y(share(timeline[i].covered)));
        }
    }
    path += fmt::format(" H{:.1f}", f.x(timeline.back().date));
    return "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + esc(color) + "\" stroke-width=\"2.5\"><title>" +
           esc(tr("col.share", lang)) + "</title></path>\n" + forecast_svg(f, group, as_of, color, lang);
}

/// Milestone markers: filled green when met, red when missed, hollow while upcoming.
std::string markers_svg(const ChartFrame& f, const track::Group& group, Language lang) {
    std::string out;
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
    return out;
}

} // namespace

std::string burnup_svg(const Analysis& analysis, const track::Group& group, const std::string& color,
                       const std::string& title) {
    const Language lang = analysis.campaign.locale;
    const Date as_of = analysis.tracking.as_of;
    const ChartFrame f = frame_for(analysis.campaign, group, as_of);
    std::string out = fmt::format("<svg class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
                                  "font-size=\"11\"><title>{}</title>\n",
                                  f.width, f.height, f.width, f.height, esc(title));
    out += grid_svg(f);
    out += month_ticks_svg(f, lang);
    out += targets_svg(f, analysis.campaign, lang);
    out += as_of_svg(f, as_of, lang);
    out += progress_svg(f, group, as_of, color, lang);
    out += markers_svg(f, group, lang);
    return out + "</svg>\n";
}

} // namespace deadzone::emit::detail
