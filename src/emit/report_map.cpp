// report.html's two maps over Vietnam's outline, in one frame (the villages' box, equirectangular
// with longitudes shrunk by the cosine of the mean latitude):
// - up to map_village_limit villages, one circle per village in its status colour, problems on
//   top, with a tooltip listing its commitments;
// - above it, one SVG circle per village makes a page of many megabytes (19 MB at 100 000) that
//   a browser opens slowly, so the villages are counted into a hexagon grid instead. Each hexagon
//   takes the colour of its most common status (the worse one on a tie: overdue, pending, covered
//   late, covered, no commitment), a black outline when a village in it cannot be met, and a
//   tooltip with its counts. The page then grows with the land the villages cover.
// Both take their colours from the shared palette (emit/palette.hpp), as the legend does.
#include "report_detail.hpp"

#include <deadzone/emit/locale.hpp>
#include <deadzone/emit/palette.hpp>

#include <boost/geometry.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numbers>

namespace deadzone::emit::detail {

namespace {

/// Hexagon radius (centre to corner) in SVG pixels: about 15 km across at Vietnam's scale on
/// the 900-pixel-high map; at most some 4 600 hexagons fill the whole frame.
constexpr double hex_radius_px = 8.0;

/// Statuses in the order a tie is broken (worst first), with "no commitment" last.
constexpr std::array<track::Status, 4> worst_first{track::Status::overdue, track::Status::pending,
                                                   track::Status::covered_late, track::Status::covered};

std::string color_of(std::optional<track::Status> status) {
    return hex(status_rgb(status));
}

struct Hexagon {
    std::array<int, 4> by_status{}; // indexed by track::Status
    int uncommitted = 0;
    int cannot = 0;
    int total = 0;
};

/// Axial coordinates (q, r) of the pointy-top hexagon holding pixel (x, y) (cube rounding).
std::pair<int, int> hex_of(double x, double y) {
    const double q = (std::sqrt(3.0) / 3.0 * x - y / 3.0) / hex_radius_px;
    const double r = (2.0 / 3.0 * y) / hex_radius_px;
    const double s = -q - r;
    double rq = std::round(q);
    double rr = std::round(r);
    const double rs = std::round(s);
    const double dq = std::abs(rq - q);
    const double dr = std::abs(rr - r);
    const double ds = std::abs(rs - s);
    if (dq > dr && dq > ds) {
        rq = -rr - rs;
    } else if (dr > ds) {
        rr = -rq - rs;
    }
    return {static_cast<int>(rq), static_cast<int>(rr)};
}

/// The embedded outline's rings (lon/lat).
std::vector<std::vector<geo::Point>> parse_outline_rings() {
    std::vector<std::vector<geo::Point>> rings;
    const auto doc = nlohmann::json::parse(vietnam_outline_geojson());
    const auto add_polygon = [&](const nlohmann::json& polygon) {
        for (const auto& ring : polygon) {
            std::vector<geo::Point> points;
            for (const auto& position : ring) {
                points.emplace_back(position.at(0).get<double>(), position.at(1).get<double>());
            }
            rings.push_back(std::move(points));
        }
    };
    for (const auto& feature : doc.at("features")) {
        const auto& geometry = feature.at("geometry");
        const auto type = geometry.at("type").get<std::string>();
        if (type == "Polygon") {
            add_polygon(geometry.at("coordinates"));
        } else if (type == "MultiPolygon") {
            for (const auto& polygon : geometry.at("coordinates")) {
                add_polygon(polygon);
            }
        }
    }
    return rings;
}

/// The same, parsed once (both maps draw it).
const std::vector<std::vector<geo::Point>>& outline_rings() {
    static const auto rings = parse_outline_rings();
    return rings;
}

/// One hexagon of the national map: its colour, outline, counts and tooltip.
std::string hexagon_svg(const std::pair<int, int>& key, const Hexagon& hex,
                        const std::array<std::pair<double, double>, 6>& corners, Language lang,
                        const std::function<std::string(std::string_view)>& esc) {
    const double cx = hex_radius_px * std::sqrt(3.0) * (key.first + key.second / 2.0);
    const double cy = hex_radius_px * 1.5 * key.second;
    // Most common status, the worse on a tie; "no commitment" only when it outnumbers all.
    std::optional<track::Status> shown;
    int best = hex.uncommitted;
    for (const auto status : worst_first) {
        const int n = hex.by_status[static_cast<std::size_t>(status)];
        if (n > 0 && (n > best || (n == best && !shown))) {
            best = n;
            shown = status;
        }
    }
    std::string tip = tr("svg.hexagon", lang, {{"count", std::to_string(hex.total)}});
    for (const auto status : worst_first) {
        const int n = hex.by_status[static_cast<std::size_t>(status)];
        if (n > 0) {
            tip += fmt::format("\n{} ({})", tr(std::string{"html.label."} + track::to_string(status), lang), n);
        }
    }
    if (hex.uncommitted > 0) {
        tip += "\n" + tr("html.legend.no_commitment", lang, {{"count", std::to_string(hex.uncommitted)}});
    }
    if (hex.cannot > 0) {
        tip += "\n" + tr("svg.hexagon_cannot", lang, {{"count", std::to_string(hex.cannot)}});
    }
    std::string out = "<path d=\"";
    for (std::size_t i = 0; i < corners.size(); ++i) {
        out += fmt::format("{}{:.1f},{:.1f}", i == 0 ? 'M' : 'L', cx + corners[i].first, cy + corners[i].second);
    }
    out += fmt::format("Z\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\" data-villages=\"{}\" "
                       "data-counts=\"{},{},{},{},{},{}\"><title>{}</title></path>\n",
                       color_of(shown), hex.cannot > 0 ? "#000" : "none", hex.cannot > 0 ? 1.2 : 0, hex.total,
                       hex.by_status[static_cast<std::size_t>(track::Status::covered)],
                       hex.by_status[static_cast<std::size_t>(track::Status::covered_late)],
                       hex.by_status[static_cast<std::size_t>(track::Status::pending)],
                       hex.by_status[static_cast<std::size_t>(track::Status::overdue)], hex.uncommitted,
                       hex.cannot, esc(tip));
    return out;
}

/// A village's place on the map: its point, or the centroid of its shape.
struct Marker {
    std::size_t village;
    geo::Point position;
};

std::vector<Marker> map_markers(const Analysis& analysis) {
    std::vector<Marker> markers;
    markers.reserve(analysis.villages.size());
    for (std::size_t v = 0; v < analysis.villages.size(); ++v) {
        const Village& village = analysis.villages[v];
        if (village.point) {
            markers.push_back({v, *village.point});
        } else if (!boost::geometry::is_empty(village.geometry)) {
            geo::Point centre{0.0, 0.0}; // set by centroid (initialised for GCC's -Wmaybe-uninitialized)
            boost::geometry::centroid(village.geometry, centre);
            markers.push_back({v, centre});
        }
    }
    return markers;
}

/// The villages' box padded, equirectangular with longitudes shrunk by the cosine of the mean
/// latitude (shapes look right at Vietnam's scale without a projection library), 860 pixels
/// wide or 900 high at most.
struct MapFrame {
    double min_lon = 0.0;
    double max_lat = 0.0;
    double k = 1.0;
    double scale = 1.0;
    double width = 860;
    double height = 0.0;
    double px(const geo::Point& p) const { return (p.x() - min_lon) * k * scale; }
    double py(const geo::Point& p) const { return (max_lat - p.y()) * scale; }
};

MapFrame map_frame(const std::vector<Marker>& markers) {
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
    MapFrame f;
    f.k = std::cos(sum_lat / static_cast<double>(markers.size()) * std::numbers::pi / 180.0);
    const double pad_lon = std::max(0.3, 0.06 * (max_lon - min_lon));
    const double pad_lat = std::max(0.3, 0.06 * (max_lat - min_lat));
    min_lon -= pad_lon;
    max_lon += pad_lon;
    min_lat -= pad_lat;
    max_lat += pad_lat;
    f.min_lon = min_lon;
    f.max_lat = max_lat;
    f.scale = f.width / ((max_lon - min_lon) * f.k);
    f.height = (max_lat - min_lat) * f.scale;
    if (f.height > 900) {
        f.height = 900;
        f.scale = f.height / (max_lat - min_lat);
        f.width = (max_lon - min_lon) * f.k * f.scale;
    }
    return f;
}

/// Vietnam's outline as one SVG path (vertices closer than half a pixel dropped), after the
/// opening `<path d="` the caller wrote.
std::string outline_path_svg(const MapFrame& f, Language lang,
                             const std::function<std::string(std::string_view)>& esc) {
    std::string out;
    for (const auto& ring : outline_rings()) {
        char command = 'M';
        double last_x = -1e9;
        double last_y = -1e9;
        for (const auto& point : ring) {
            const double x = std::round(f.px(point) * 10.0) / 10.0;
            const double y = std::round(f.py(point) * 10.0) / 10.0;
            if (std::abs(x - last_x) < 0.5 && std::abs(y - last_y) < 0.5) {
                continue; // below half a pixel
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
    return out;
}

} // namespace

namespace {

/// A village's tooltip: name, id, province, then one line per commitment.
std::string village_tip(const Analysis& analysis, std::size_t v, const std::vector<std::size_t>& commitments) {
    const Language lang = analysis.campaign.locale;
    const Village& village = analysis.villages[v];
    std::string tip = village.name + " (" + village.id + ")";
    if (!village.province.empty()) {
        tip += ", " + village.province;
    }
    for (const std::size_t index : commitments) {
        const auto& result = analysis.tracking.commitments[index];
        tip += "\n" + analysis.commitments[index].operator_code + ": " +
               tr(std::string{"html.label."} + track::to_string(result.status), lang);
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
    if (commitments.empty()) {
        tip += "\n" + tr("tip.no_commitment", lang);
    }
    return tip;
}

} // namespace

std::string village_map_svg(const Analysis& analysis, const Facts& facts,
                            const std::vector<std::vector<std::size_t>>& by_village,
                            const std::function<std::string(std::string_view)>& esc) {
    const Language lang = analysis.campaign.locale;
    auto markers = map_markers(analysis);
    if (markers.empty()) {
        return "<p class=\"note\">No village has a location to map.</p>\n";
    }
    const MapFrame f = map_frame(markers);
    std::string out = fmt::format("<svg class=\"map\" viewBox=\"0 0 {:.0f} {:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" "
                                  "role=\"img\"><title>{}</title>\n"
                                  "<rect width=\"100%\" height=\"100%\" fill=\"#eeeeee\"/>\n<path d=\"",
                                  f.width, f.height, f.width, f.height, esc(tr("svg.map_title", lang)));
    out += outline_path_svg(f, lang, esc);

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
    std::stable_sort(markers.begin(), markers.end(),
                     [&](const Marker& a, const Marker& b) { return rank(a.village) < rank(b.village); });
    const double radius = markers.size() > 20000 ? 1.5 : markers.size() > 2000 ? 2.5 : 4.0;
    for (const auto& marker : markers) {
        const bool cannot = facts.village_cannot_be_met[marker.village];
        out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" "
                           "stroke=\"{}\" stroke-width=\"{}\"><title>{}</title></circle>\n",
                           f.px(marker.position), f.py(marker.position), radius,
                           color_of(facts.village_status[marker.village]), cannot ? "#000" : "#fff",
                           cannot ? 1.6 : 0.6, esc(village_tip(analysis, marker.village, by_village[marker.village])));
    }
    return out + "</svg>\n";
}

bool aggregate_map(const Analysis& analysis) { return analysis.villages.size() > map_village_limit; }

std::string aggregated_map_html(const Analysis& analysis, const Facts& facts,
                                const std::function<std::string(std::string_view)>& esc) {
    const Language lang = analysis.campaign.locale;
    const auto markers = map_markers(analysis);
    if (markers.empty()) {
        return "<p class=\"note\">No village has a location to map.</p>\n";
    }
    const MapFrame f = map_frame(markers);
    // Kilometres across a hexagon (flat side to flat side), for the note.
    const double across_km = std::sqrt(3.0) * hex_radius_px / f.scale * 111.32;

    std::map<std::pair<int, int>, Hexagon> grid; // ordered by (q, r): deterministic bytes
    for (const auto& marker : markers) {
        auto& hex = grid[hex_of(f.px(marker.position), f.py(marker.position))];
        const auto& status = facts.village_status[marker.village];
        if (status) {
            ++hex.by_status[static_cast<std::size_t>(*status)];
        } else {
            ++hex.uncommitted;
        }
        hex.cannot += facts.village_cannot_be_met[marker.village] ? 1 : 0;
        ++hex.total;
    }

    std::string out = fmt::format(
        "<div class=\"map-box\"><svg class=\"map\" viewBox=\"0 0 {:.0f} {:.0f}\" width=\"{:.0f}\" "
        "height=\"{:.0f}\" role=\"img\" data-villages=\"{}\"><title>{}</title>\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"#eeeeee\"/>\n<path d=\"",
        f.width, f.height, f.width, f.height, markers.size(), esc(tr("svg.map_title", lang)));
    out += outline_path_svg(f, lang, esc);

    // Corners of a pointy-top hexagon around (0, 0), slightly inset so neighbours show a seam.
    std::array<std::pair<double, double>, 6> corners{};
    for (int i = 0; i < 6; ++i) {
        const double angle = std::numbers::pi / 180.0 * (60.0 * i - 30.0);
        corners[static_cast<std::size_t>(i)] = {0.93 * hex_radius_px * std::cos(angle),
                                                0.93 * hex_radius_px * std::sin(angle)};
    }
    for (const auto& [key, hex] : grid) {
        out += hexagon_svg(key, hex, corners, lang, esc);
    }
    out += "</svg></div>\n";
    out += "<p class=\"note\">" +
           esc(tr("html.note.map_aggregated", lang,
                  {{"count", std::to_string(markers.size())},
                   {"hexagons", std::to_string(grid.size())},
                   {"km", fmt::format("{:.0f}", across_km)}})) +
           "</p>\n";
    return out;
}

} // namespace deadzone::emit::detail
