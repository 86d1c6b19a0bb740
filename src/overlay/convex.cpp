// The overlay's convex fast paths (declared in geometry.hpp): is a footprint one convex ring, does
// such a ring hold a whole village, and the village's part inside it when that part is one simple
// polygon (a chain of the village's ring closed along the hull), without Boost's general overlay.
// Measured in docs/overlay.md, "Faster exact overlay".
#include "geometry.hpp"

// Boost.Geometry 1.74's envelope code, once inlined here, trips GCC's -Wmaybe-uninitialized
// (false positives inside Boost; its variables are set before use).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace bg = boost::geometry;

namespace deadzone::overlay::detail {

bool is_convex(const geo::MultiPolygon& shape) {
    if (shape.size() != 1 || !shape.front().inners().empty()) {
        return false;
    }
    const auto& ring = shape.front().outer();
    const std::size_t n = ring.size(); // closed: ring[n - 1] == ring[0]
    if (n < 4 || !bg::equals(ring.front(), ring.back())) {
        return false;
    }
    int turn = 0;      // the sign every non-zero turn must have
    int x_changes = 0; // sign changes of the edges' x direction: 2 for a ring winding once
    int last_dx = 0;
    double area2 = 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const auto& a = ring[i];
        const auto& b = ring[i + 1];
        const auto& c = ring[i + 2 < n ? i + 2 : 1];
        const double cross = (b.x() - a.x()) * (c.y() - b.y()) - (b.y() - a.y()) * (c.x() - b.x());
        const int sign = (cross > 0.0) - (cross < 0.0);
        if (sign != 0) {
            if (turn != 0 && sign != turn) {
                return false;
            }
            turn = sign;
        }
        const int dx = (b.x() > a.x()) - (b.x() < a.x());
        if (dx != 0) {
            if (last_dx != 0 && dx != last_dx) {
                ++x_changes;
            }
            last_dx = dx;
        }
        area2 += (a.x() - ring[0].x()) * (b.y() - ring[0].y()) - (b.x() - ring[0].x()) * (a.y() - ring[0].y());
    }
    // The x direction of the closing edge against the first one.
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const int dx = (ring[i + 1].x() > ring[i].x()) - (ring[i + 1].x() < ring[i].x());
        if (dx != 0) {
            if (dx != last_dx) {
                ++x_changes;
            }
            break;
        }
    }
    return turn != 0 && x_changes <= 2 && area2 * turn > 0.0;
}

namespace {

using Corners = geo::Point[4];

/// The corners of the shape's envelope widened by 1e-8° (about 1 mm; far more than the edge
/// tests' rounding): {min, (max x, min y), max, (min x, max y)}.
void padded_corners(const geo::MultiPolygon& shape, Corners& corners) {
    const auto box = bg::return_envelope<geo::Box>(shape);
    const double pad = 1e-8;
    corners[0] = {box.min_corner().x() - pad, box.min_corner().y() - pad};
    corners[1] = {box.max_corner().x() + pad, box.min_corner().y() - pad};
    corners[2] = {box.max_corner().x() + pad, box.max_corner().y() + pad};
    corners[3] = {box.min_corner().x() - pad, box.max_corner().y() + pad};
}

/// Of a box's corners {min, (max x, min y), max, (min x, max y)}, the one where the edge test
/// side·(ex·(y − a.y) − ey·(x − a.x)) is lowest: it falls with x when side·ey > 0 and rises with
/// y when side·ex > 0. Each rounded step of the test is monotone in x and in y, so the computed
/// value there is also the lowest of the four computed values: one test decides what four did.
const geo::Point& lowest_corner(const Corners& corners, double ex, double ey, double side) {
    const bool high_x = ey * side > 0.0;
    const bool high_y = ex * side < 0.0;
    return corners[high_y ? (high_x ? 2 : 3) : (high_x ? 1 : 0)];
}

} // namespace

bool covered_by_convex(const geo::MultiPolygon& shape, const geo::Ring& hull) {
    // Orientation of the hull from its signed area; a point is inside (or on the boundary) when
    // it is on the inner side of (or on) every edge.
    double area2 = 0.0;
    const std::size_t n = hull.size();
    for (std::size_t i = 0; i + 1 < n; ++i) {
        area2 += (hull[i].x() - hull[0].x()) * (hull[i + 1].y() - hull[0].y()) -
                 (hull[i + 1].x() - hull[0].x()) * (hull[i].y() - hull[0].y());
    }
    const double side = area2 > 0.0 ? 1.0 : -1.0;
    // An edge whose inner side holds the four corners of the shape's envelope, widened by 1e-8°,
    // holds every vertex (a linear test is smallest at a corner of the box, and the widening
    // dwarfs the rounding of the test): only the other edges are tested vertex by vertex. Same
    // answer as testing every edge; a footprint's ring has 128 edges and a few of them pass near
    // a village.
    Corners corners;
    padded_corners(shape, corners);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const auto& a = hull[i];
        const auto& b = hull[i + 1];
        auto inner = [&](const geo::Point& p) {
            return ((b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x())) * side;
        };
        if (inner(lowest_corner(corners, b.x() - a.x(), b.y() - a.y(), side)) > 0.0) {
            continue; // all four corners inside
        }
        for (const auto& polygon : shape) {
            for (const auto& p : polygon.outer()) {
                if (inner(p) < 0.0) {
                    return false;
                }
            }
        }
    }
    return true;
}

namespace {

constexpr double hull_margin = 1e-9; // degrees, about 0.1 mm: closer to the hull's boundary is left to Boost

/// True when `ring` is counter-clockwise and every vertex keeps hull_margin off the hull's edge
/// lines `edges`; `any_inside` tells whether some vertex is inside the hull.
bool off_the_boundary(const geo::Ring& ring, const geo::Ring& hull, const std::vector<std::size_t>& edges,
                      const std::vector<double>& inverse_lengths, bool& any_inside) {
    const std::size_t n = ring.size();
    double area2 = 0.0;
    any_inside = false;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        area2 += (ring[i].x() - ring[0].x()) * (ring[i + 1].y() - ring[0].y()) -
                 (ring[i + 1].x() - ring[0].x()) * (ring[i].y() - ring[0].y());
        // Signed distance to the nearest edge line (inside > 0): near 0 means near the boundary.
        double nearest = std::numeric_limits<double>::infinity();
        for (const std::size_t k : edges) {
            const auto& a = hull[k];
            const auto& b = hull[k + 1];
            const double cross = (b.x() - a.x()) * (ring[i].y() - a.y()) - (b.y() - a.y()) * (ring[i].x() - a.x());
            nearest = std::min(nearest, cross * inverse_lengths[k]);
        }
        if (edges.empty()) {
            nearest = std::numeric_limits<double>::infinity(); // the village's envelope is inside the hull
        }
        if (std::abs(nearest) < hull_margin) {
            return false;
        }
        any_inside = any_inside || nearest > 0.0;
    }
    return area2 > 0.0; // else not counter-clockwise
}

/// Where the ring crosses the hull's boundary.
struct Crossing {
    geo::Point point;
    std::size_t edge = 0; // hull edge it lies on
    double along = 0.0;   // its parameter on that edge
};

/// The ring's part inside the hull, walked edge by edge (Cyrus–Beck): `chain` from the ring's
/// start, with at most one entry and one exit. False when the ring crosses more often (several
/// pieces, left to Boost).
struct InsideChain {
    std::vector<geo::Point> chain;
    std::optional<Crossing> entry;
    std::optional<Crossing> exit;
    std::size_t entry_at = 0; // chain index of the entry point
};

bool walk_inside(const geo::Ring& ring, const geo::Ring& hull, const std::vector<std::size_t>& edges,
                 InsideChain& walk) {
    const std::size_t m = hull.size() - 1; // hull edges
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const auto& p = ring[i];
        const double dx = ring[i + 1].x() - p.x();
        const double dy = ring[i + 1].y() - p.y();
        double low = 0.0;
        double high = 1.0;
        std::size_t low_edge = m;
        std::size_t high_edge = m;
        bool empty = false;
        for (std::size_t e = 0; e < edges.size() && !empty; ++e) {
            const std::size_t k = edges[e];
            const auto& a = hull[k];
            const double ex = hull[k + 1].x() - a.x();
            const double ey = hull[k + 1].y() - a.y();
            const double f0 = ex * (p.y() - a.y()) - ey * (p.x() - a.x());
            const double fd = ex * dy - ey * dx;
            if (fd == 0.0) {
                empty = f0 < 0.0;
            } else if (fd > 0.0) {
                const double t = -f0 / fd;
                if (t > low) {
                    low = t;
                    low_edge = k;
                }
            } else {
                const double t = -f0 / fd;
                if (t < high) {
                    high = t;
                    high_edge = k;
                }
            }
            empty = empty || low >= high;
        }
        if (empty) {
            continue;
        }
        auto crossing = [&](double t, std::size_t k) {
            Crossing c{geo::Point{p.x() + t * dx, p.y() + t * dy}, k, 0.0};
            const double ex = hull[k + 1].x() - hull[k].x();
            const double ey = hull[k + 1].y() - hull[k].y();
            c.along = ((c.point.x() - hull[k].x()) * ex + (c.point.y() - hull[k].y()) * ey) / (ex * ex + ey * ey);
            return c;
        };
        if (low_edge < m) {
            if (walk.entry) {
                return false;
            }
            walk.entry = crossing(low, low_edge);
            walk.entry_at = walk.chain.size();
            walk.chain.push_back(walk.entry->point);
        }
        if (high_edge < m) {
            if (walk.exit) {
                return false;
            }
            walk.exit = crossing(high, high_edge);
            walk.chain.push_back(walk.exit->point);
        } else {
            walk.chain.push_back(ring[i + 1]);
        }
    }
    return true;
}

/// The ring's chain inside, from the entry to the exit, then the hull's boundary
/// (counter-clockwise, as the ring) from the exit back to the entry. Fewer than 4 vertices when
/// nothing of area is left.
void close_along_hull(InsideChain& walk, const geo::Ring& hull, geo::Ring& outer) {
    const std::size_t m = hull.size() - 1;
    auto& chain = walk.chain;
    std::rotate(chain.begin(), chain.begin() + static_cast<std::ptrdiff_t>(walk.entry_at), chain.end());
    outer.reserve(chain.size() + m + 2);
    auto add = [&](const geo::Point& point) {
        if (outer.empty() || !bg::equals(outer.back(), point)) {
            outer.push_back(point);
        }
    };
    for (const auto& point : chain) {
        add(point);
    }
    std::size_t k = walk.exit->edge;
    if (k != walk.entry->edge || walk.entry->along < walk.exit->along) {
        do {
            k = (k + 1) % m;
            add(hull[k]);
        } while (k != walk.entry->edge);
    }
    add(walk.entry->point);
}

/// One polygon without holes clipped to a counter-clockwise convex ring (see clip_to_convex);
/// false when the simple construction does not apply.
bool clip_polygon(const geo::Ring& ring, const geo::Ring& hull, const std::vector<std::size_t>& edges,
                  const std::vector<double>& inverse_lengths, geo::MultiPolygon& out) {
    if (ring.size() < 4 || !bg::equals(ring.front(), ring.back())) {
        return false;
    }
    bool any_inside = false;
    if (!off_the_boundary(ring, hull, edges, inverse_lengths, any_inside)) {
        return false;
    }
    InsideChain walk;
    if (!walk_inside(ring, hull, edges, walk)) {
        return false;
    }
    geo::Polygon piece;
    auto& outer = piece.outer();
    if (!walk.entry && !walk.exit) {
        if (any_inside) {
            outer.assign(ring.begin(), ring.end()); // every vertex inside: the polygon itself
        } else if (bg::covered_by(hull.front(), ring)) {
            outer.assign(hull.begin(), hull.end()); // the hull inside the polygon
        } else {
            return true; // apart
        }
    } else {
        if (!walk.entry || !walk.exit) {
            return false;
        }
        close_along_hull(walk, hull, outer);
        if (outer.size() < 4) {
            return true; // nothing of area
        }
        outer.back() = outer.front();
    }
    if (geo::equal_area_at_least(piece, sliver_m2)) {
        out.push_back(std::move(piece));
    }
    return true;
}

} // namespace

std::optional<geo::MultiPolygon> clip_to_convex(const geo::MultiPolygon& village, const geo::Ring& hull) {
    const std::size_t m = hull.size() < 4 ? 0 : hull.size() - 1;
    if (m == 0) {
        return std::nullopt;
    }
    double area2 = 0.0;
    for (std::size_t k = 0; k < m; ++k) {
        area2 += (hull[k].x() - hull[0].x()) * (hull[k + 1].y() - hull[0].y()) -
                 (hull[k + 1].x() - hull[0].x()) * (hull[k].y() - hull[0].y());
    }
    if (area2 <= 0.0) {
        return std::nullopt;
    }
    // Only the edges whose inner side misses a corner of the village's envelope (widened by the
    // margin) can cut the village or come near it; the others hold all of it.
    Corners corners;
    padded_corners(village, corners);
    std::vector<std::size_t> edges;
    std::vector<double> inverse_lengths(m, 0.0);
    for (std::size_t k = 0; k < m; ++k) {
        const auto& a = hull[k];
        const auto& b = hull[k + 1];
        const geo::Point& c = lowest_corner(corners, b.x() - a.x(), b.y() - a.y(), 1.0);
        if ((b.x() - a.x()) * (c.y() - a.y()) - (b.y() - a.y()) * (c.x() - a.x()) <= 0.0) { // a corner is not inside
            const double length = std::hypot(b.x() - a.x(), b.y() - a.y());
            if (length == 0.0) {
                return std::nullopt;
            }
            inverse_lengths[k] = 1.0 / length;
            edges.push_back(k);
        }
    }
    geo::MultiPolygon out;
    for (const auto& polygon : village) {
        if (!polygon.inners().empty() || !clip_polygon(polygon.outer(), hull, edges, inverse_lengths, out)) {
            return std::nullopt;
        }
    }
    return out;
}

} // namespace deadzone::overlay::detail
