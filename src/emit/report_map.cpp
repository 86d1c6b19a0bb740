// report.html's map at national scale: above map_village_limit villages, one SVG circle per
// village makes a page of many megabytes (19 MB at 100 000) that a browser opens slowly, so the
// villages are counted into a hexagon grid instead. Each hexagon takes the colour of its most
// common status (the worse one on a tie: overdue, pending, covered late, covered, no commitment),
// a black outline when a village in it cannot be met, and a tooltip with its counts. The page
// then grows with the land the villages cover, not with their number. The frame and the outline
// are those of the per-village map (report_html.cpp), so both maps look alike.
#include "report_detail.hpp"

#include <deadzone/emit/locale.hpp>

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

const char* color_of(std::optional<track::Status> status) {
    if (!status) {
        return "#bdbdbd";
    }
    switch (*status) {
    case track::Status::covered: return "#1a9641";
    case track::Status::covered_late: return "#a6d96a";
    case track::Status::pending: return "#fdae61";
    case track::Status::overdue: return "#d7191c";
    }
    return "#bdbdbd";
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

std::vector<std::vector<geo::Point>> outline_rings() {
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

} // namespace

bool aggregate_map(const Analysis& analysis) { return analysis.villages.size() > map_village_limit; }

std::string aggregated_map_html(const Analysis& analysis, const Facts& facts,
                                const std::function<std::string(std::string_view)>& esc) {
    const Language lang = analysis.campaign.locale;
    struct Marker {
        std::size_t village;
        geo::Point position;
    };
    std::vector<Marker> markers;
    markers.reserve(analysis.villages.size());
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

    // The per-village map's frame: the villages' box padded, equirectangular with longitudes
    // shrunk by the cosine of the mean latitude, 860 pixels wide or 900 high at most.
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
    // Kilometres across a hexagon (flat side to flat side), for the note.
    const double across_km = std::sqrt(3.0) * hex_radius_px / scale * 111.32;

    std::map<std::pair<int, int>, Hexagon> grid; // ordered by (q, r): deterministic bytes
    for (const auto& marker : markers) {
        auto& hex = grid[hex_of(px(marker.position), py(marker.position))];
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
        width, height, width, height, markers.size(), esc(tr("svg.map_title", lang)));
    for (const auto& ring : outline_rings()) {
        char command = 'M';
        double last_x = -1e9;
        double last_y = -1e9;
        for (const auto& point : ring) {
            const double x = std::round(px(point) * 10.0) / 10.0;
            const double y = std::round(py(point) * 10.0) / 10.0;
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

    // Corners of a pointy-top hexagon around (0, 0), slightly inset so neighbours show a seam.
    std::array<std::pair<double, double>, 6> corners{};
    for (int i = 0; i < 6; ++i) {
        const double angle = std::numbers::pi / 180.0 * (60.0 * i - 30.0);
        corners[static_cast<std::size_t>(i)] = {0.93 * hex_radius_px * std::cos(angle),
                                                0.93 * hex_radius_px * std::sin(angle)};
    }
    for (const auto& [key, hex] : grid) {
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
        out += "<path d=\"";
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
