// Lit intervals → MultiPolygon. The part of each radial lit from the site outwards makes one
// star-shaped ring (no overlay needed); only the lit stretches beyond a shadow are cells that
// Boost.Geometry unites with it, pairwise in a balanced tree (neighbouring radials first).
#include <deadzone/model/polar_shape.hpp>

#include <deadzone/geo/geodesic.hpp>

#include <boost/geometry.hpp>

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace bg = boost::geometry;

namespace deadzone::model {

namespace {

// The site's own surroundings are always covered; a floor of 50 m keeps the star's vertices
// near the site well apart on the 1e-7° grid the layers are written on (1° at 1 m is 1.7 cm).
constexpr double min_reach_m = 50.0;

// Plane coordinates (x east, y north, metres) of azimuth a (degrees) and distance r.
geo::Point plane(double azimuth_deg, double r_m) {
    const double a = azimuth_deg * std::numbers::pi / 180.0;
    return geo::Point{r_m * std::sin(a), r_m * std::cos(a)};
}

// An arc's vertices are spaced at most this many degrees, so cells of wide sectors stay round.
constexpr double arc_step_deg = 1.0;

void push_unique(geo::Ring& ring, const geo::Point& p) {
    if (ring.empty() || !bg::equals(ring.back(), p)) ring.push_back(p);
}

// The arc at radius r from azimuth a0 to a1 (either direction), both ends included.
void arc(geo::Ring& ring, double a0, double a1, double r) {
    const int pieces = std::max(1, static_cast<int>(std::ceil(std::fabs(a1 - a0) / arc_step_deg - 1e-9)));
    for (int i = 0; i <= pieces; ++i) push_unique(ring, plane(a0 + (a1 - a0) * i / pieces, r));
}

geo::MultiPolygon unite_all(std::vector<geo::MultiPolygon> parts) {
    if (parts.empty()) return {};
    while (parts.size() > 1) {
        std::vector<geo::MultiPolygon> next;
        next.reserve((parts.size() + 1) / 2);
        for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
            geo::MultiPolygon merged;
            bg::union_(parts[i], parts[i + 1], merged);
            next.push_back(std::move(merged));
        }
        if (parts.size() % 2 == 1) next.push_back(std::move(parts.back()));
        parts = std::move(next);
    }
    return std::move(parts.front());
}

geo::Ring to_lonlat(const geo::Ring& ring, const geo::Point& site) {
    geo::Ring out;
    out.reserve(ring.size());
    for (const auto& p : ring) {
        const double r = std::hypot(p.x(), p.y());
        if (r == 0.0) {
            out.push_back(site);
            continue;
        }
        const double azimuth = std::atan2(p.x(), p.y()) * 180.0 / std::numbers::pi;
        out.push_back(geo::destination(site, azimuth < 0.0 ? azimuth + 360.0 : azimuth, r));
    }
    return out;
}

} // namespace

geo::MultiPolygon polar_shape(const geo::Point& site, const std::vector<std::vector<LitInterval>>& radials,
                              bool* star_only) {
    if (star_only) *star_only = false;
    const std::size_t n = radials.size();
    if (n < 3) throw std::invalid_argument("a polar shape needs at least 3 radials");
    const double width = 360.0 / static_cast<double>(n);
    // The star: walk the azimuths downwards, so the ring is counter-clockwise in the plane.
    geo::Polygon star;
    for (std::size_t j = 0; j < n; ++j) {
        const std::size_t k = n - 1 - j;
        const auto& runs = radials[k];
        if (runs.empty() || runs.front().first != 0.0) {
            throw std::invalid_argument("the first lit interval of a radial must start at the site");
        }
        const double r = std::max(runs.front().second, min_reach_m);
        const double centre = width * static_cast<double>(k);
        arc(star.outer(), centre + width / 2.0, centre - width / 2.0, r);
    }
    if (bg::equals(star.outer().front(), star.outer().back())) star.outer().pop_back();
    star.outer().push_back(star.outer().front());

    std::vector<geo::MultiPolygon> parts;
    parts.emplace_back(geo::MultiPolygon{star});
    for (std::size_t k = 0; k < n; ++k) {
        const double centre = width * static_cast<double>(k);
        for (std::size_t i = 1; i < radials[k].size(); ++i) {
            const auto [from, to] = radials[k][i];
            if (!(to > from)) continue;
            geo::Polygon cell;
            arc(cell.outer(), centre + width / 2.0, centre - width / 2.0, to);
            arc(cell.outer(), centre - width / 2.0, centre + width / 2.0, from);
            cell.outer().push_back(cell.outer().front());
            parts.push_back(geo::MultiPolygon{cell});
        }
    }
    const std::size_t parts_beyond = parts.size() - 1;
    geo::MultiPolygon planar = parts.size() == 1 ? parts.front() : unite_all(std::move(parts));

    const auto to_shape = [&](const geo::MultiPolygon& plane_shape) {
        geo::MultiPolygon shape;
        shape.reserve(plane_shape.size());
        for (const auto& polygon : plane_shape) {
            geo::Polygon out;
            out.outer() = to_lonlat(polygon.outer(), site);
            for (const auto& hole : polygon.inners()) out.inners().push_back(to_lonlat(hole, site));
            shape.push_back(std::move(out));
        }
        bg::correct(shape);
        return shape;
    };
    auto shape = to_shape(planar);
    if (parts_beyond > 0 && !bg::is_valid(shape)) {
        // Cells sharing nearly collinear ray edges can leave Boost's union invalid; the star
        // alone is valid by construction (and conservative: it drops the lit ground beyond
        // shadows, never adds any).
        shape = to_shape(geo::MultiPolygon{star});
        if (star_only) *star_only = true;
    }
    return shape;
}

} // namespace deadzone::model
