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
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace bg = boost::geometry;

namespace deadzone::overlay::detail {

namespace {

/// The sign every turn of a convex shape's ring has (1: counter-clockwise), or 0 when the shape
/// is not one convex ring.
int convex_turn(const geo::MultiPolygon& shape) {
    if (shape.size() != 1 || !shape.front().inners().empty()) {
        return 0;
    }
    const auto& ring = shape.front().outer();
    const std::size_t n = ring.size(); // closed: ring[n - 1] == ring[0]
    if (n < 4 || !bg::equals(ring.front(), ring.back())) {
        return 0;
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
                return 0;
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
    return turn != 0 && x_changes <= 2 && area2 * turn > 0.0 ? turn : 0;
}

} // namespace

bool is_convex(const geo::MultiPolygon& shape) {
    return convex_turn(shape) != 0;
}

bool is_convex_ccw(const geo::MultiPolygon& shape) {
    return convex_turn(shape) > 0;
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

/// The hull's edges that can cut a village or come near it (their inner side misses a corner
/// of the village's envelope), as arrays of what the tests read, and per village vertex what
/// the tests found; kept per thread, so that a call allocates nothing.
struct Workspace {
    std::vector<std::size_t> edges;   // near edges (hull indices)
    std::vector<double> ax, ay;       // per near edge: its start
    std::vector<double> ex, ey;       // its direction (end − start)
    std::vector<double> inverse_lengths;
    std::vector<double> nearest;          // per outer vertex of the village (the closing ones apart): the
                                          // signed distance to the nearest near edge line (inside > 0)
    std::vector<std::uint64_t> outside;   // bit e set when the vertex is outside near edge e by the margin
};

Workspace& workspace() {
    thread_local Workspace space;
    return space;
}

/// True when `ring` is counter-clockwise and every vertex keeps hull_margin off the hull's edge
/// lines (`nearest`, the ring's rows of Workspace::nearest); `any_inside` tells whether some
/// vertex is inside the hull.
bool off_the_boundary(const geo::Ring& ring, const double* nearest, bool& any_inside) {
    const std::size_t n = ring.size();
    double area2 = 0.0;
    any_inside = false;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        area2 += (ring[i].x() - ring[0].x()) * (ring[i + 1].y() - ring[0].y()) -
                 (ring[i + 1].x() - ring[0].x()) * (ring[i].y() - ring[0].y());
        if (std::abs(nearest[i]) < hull_margin) {
            return false;
        }
        any_inside = any_inside || nearest[i] > 0.0;
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
/// pieces, left to Boost). `clear`: every edge of the ring lies on the outer side of one of the
/// hull's edge lines by the margin, so the ring is apart from the hull beyond doubt.
struct InsideChain {
    std::vector<geo::Point> chain;
    std::optional<Crossing> entry;
    std::optional<Crossing> exit;
    std::size_t entry_at = 0; // chain index of the entry point
    bool clear = true;
};

bool walk_inside(const geo::Ring& ring, const geo::Ring& hull, const Workspace& space, const double* nearest,
                 const std::uint64_t* outside, InsideChain& walk) {
    const auto& edges = space.edges;
    const std::size_t m = hull.size() - 1; // hull edges
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i + 1 < n; ++i) {
        // Shortcuts with the same outcome as the loop below, whose rounding the margin dwarfs:
        // both ends inside every edge line keep the edge whole; both ends outside one line
        // leave nothing of it.
        const std::size_t next = i + 2 < n ? i + 1 : 0;
        if (nearest[i] > 0.0 && nearest[next] > 0.0) {
            walk.clear = false;
            walk.chain.push_back(ring[i + 1]);
            continue;
        }
        if ((outside[i] & outside[next]) != 0) {
            continue;
        }
        walk.clear = false;
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
            const double ex = space.ex[e];
            const double ey = space.ey[e];
            const double f0 = ex * (p.y() - space.ay[e]) - ey * (p.x() - space.ax[e]);
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

/// How one polygon of a village met the hull.
enum class Met { general, apart, part };

/// One polygon without holes clipped to a counter-clockwise convex ring (see fit_convex), its
/// part added to `out`; Met::general when the simple construction does not apply, Met::apart
/// when it is apart from the hull beyond doubt (no part, and no touching point either).
Met clip_polygon(const geo::Ring& ring, const geo::Ring& hull, const Workspace& space, std::size_t row,
                 geo::MultiPolygon& out) {
    if (ring.size() < 4 || !bg::equals(ring.front(), ring.back())) {
        return Met::general;
    }
    bool any_inside = false;
    if (!off_the_boundary(ring, space.nearest.data() + row, any_inside)) {
        return Met::general;
    }
    InsideChain walk;
    if (!walk_inside(ring, hull, space, space.nearest.data() + row, space.outside.data() + row, walk)) {
        return Met::general;
    }
    geo::Polygon piece;
    auto& outer = piece.outer();
    if (!walk.entry && !walk.exit) {
        if (any_inside) {
            outer.assign(ring.begin(), ring.end()); // every vertex inside: the polygon itself
        } else if (bg::covered_by(hull.front(), ring)) {
            outer.assign(hull.begin(), hull.end()); // the hull inside the polygon
        } else {
            return walk.clear ? Met::apart : Met::part; // apart (a touching point not ruled out unless clear)
        }
    } else {
        if (!walk.entry || !walk.exit) {
            return Met::general;
        }
        close_along_hull(walk, hull, outer);
        if (outer.size() < 4) {
            return Met::part; // nothing of area
        }
        outer.back() = outer.front();
    }
    if (geo::equal_area_at_least(piece, sliver_m2)) {
        out.push_back(std::move(piece));
    }
    return Met::part;
}

} // namespace

ConvexFit fit_convex(const geo::MultiPolygon& village, const geo::Ring& hull, bool may_cover) {
    ConvexFit fit;
    const std::size_t m = hull.size() - 1; // hull edges (is_convex_ccw holds: 3 at least)
    // Only the edges whose inner side misses a corner of the village's envelope (widened by the
    // margin) can cut the village or come near it; the others hold all of it (covered_by_convex
    // skips the same edges).
    Corners corners;
    padded_corners(village, corners);
    auto& space = workspace();
    space.edges.clear();
    space.ax.clear();
    space.ay.clear();
    space.ex.clear();
    space.ey.clear();
    space.inverse_lengths.clear();
    bool degenerate = false; // a repeated vertex near the village: no clipping here
    for (std::size_t k = 0; k < m; ++k) {
        const auto& a = hull[k];
        const auto& b = hull[k + 1];
        const geo::Point& c = lowest_corner(corners, b.x() - a.x(), b.y() - a.y(), 1.0);
        if ((b.x() - a.x()) * (c.y() - a.y()) - (b.y() - a.y()) * (c.x() - a.x()) <= 0.0) { // a corner is not inside
            const double length = std::hypot(b.x() - a.x(), b.y() - a.y());
            if (length == 0.0) {
                degenerate = true; // its edge test is 0 everywhere: it holds any vertex
                continue;
            }
            space.edges.push_back(k);
            space.ax.push_back(a.x());
            space.ay.push_back(a.y());
            space.ex.push_back(b.x() - a.x());
            space.ey.push_back(b.y() - a.y());
            space.inverse_lengths.push_back(1.0 / length);
        }
    }
    // Every outer vertex (the closing ones apart) against the near edges, once: the cover test
    // reads the signs, the clipping the distances and sides.
    const std::size_t ne = space.edges.size();
    space.nearest.clear();
    space.outside.clear();
    bool covered = true;
    for (const auto& polygon : village) {
        const auto& ring = polygon.outer();
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
            const double px = ring[i].x();
            const double py = ring[i].y();
            double nearest = std::numeric_limits<double>::infinity();
            std::uint64_t outside = 0;
            for (std::size_t e = 0; e < ne; ++e) {
                const double test = space.ex[e] * (py - space.ay[e]) - space.ey[e] * (px - space.ax[e]);
                covered = covered && test >= 0.0;
                const double distance = test * space.inverse_lengths[e];
                nearest = std::min(nearest, distance);
                if (e < 64 && distance <= -hull_margin) {
                    outside |= std::uint64_t{1} << e;
                }
            }
            space.nearest.push_back(nearest);
            space.outside.push_back(outside);
        }
    }
    if (may_cover && covered) {
        fit.kind = ConvexFit::Kind::covers;
        return fit;
    }
    if (degenerate) {
        return fit; // left to Boost
    }
    bool apart = true;
    std::size_t row = 0;
    for (const auto& polygon : village) {
        if (!polygon.inners().empty()) {
            return ConvexFit{};
        }
        const auto met = clip_polygon(polygon.outer(), hull, space, row, fit.part);
        if (met == Met::general) {
            return ConvexFit{};
        }
        apart = apart && met == Met::apart;
        row += polygon.outer().empty() ? 0 : polygon.outer().size() - 1;
    }
    fit.kind = apart ? ConvexFit::Kind::apart : ConvexFit::Kind::clipped;
    return fit;
}

std::optional<geo::MultiPolygon> clip_to_convex(const geo::MultiPolygon& village, const geo::Ring& hull) {
    if (!is_convex_ccw(geo::MultiPolygon{geo::Polygon{hull}})) {
        return std::nullopt;
    }
    auto fit = fit_convex(village, hull, false);
    if (fit.kind == ConvexFit::Kind::general) {
        return std::nullopt;
    }
    return std::move(fit.part);
}

} // namespace deadzone::overlay::detail
