// Lit intervals → MultiPolygon, without a polygon overlay. The lit set is a union of polar-grid
// cells (a radial's sector × a lit interval), so its boundary is known exactly: the arcs at each
// interval's ends, and along each sector edge the stretches lit on one side only. Those edges are
// linked into rings (region on the left), split where a ring touches itself, and sorted into
// outer rings and holes; only then is each vertex placed on the ellipsoid. Boost's union of the
// cells, used before, came out invalid for 18 % of the sample's footprints (neighbouring cells
// share ray edges and often end at nearly the same distance), and those lost their islands.
#include <deadzone/model/polar_shape.hpp>

#include <deadzone/geo/geodesic.hpp>

#include <boost/geometry.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <stdexcept>

namespace bg = boost::geometry;

namespace deadzone::model {

namespace {

// The site's own surroundings are always covered; a floor of 50 m keeps the star's vertices
// near the site well apart on the 1e-7° grid the layers are written on (1° at 1 m is 1.7 cm).
constexpr double min_reach_m = 50.0;

// An arc's vertices are spaced at most this many degrees, so cells of wide sectors stay round.
constexpr double arc_step_deg = 1.0;

// Plane coordinates (x east, y north, metres) of azimuth a (degrees) and distance r.
geo::Point plane(double azimuth_deg, double r_m) {
    const double a = azimuth_deg * std::numbers::pi / 180.0;
    return geo::Point{r_m * std::sin(a), r_m * std::cos(a)};
}

// A boundary that does not close into rings: a defect of this file, never of the input.
struct BrokenBoundary : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Directions in the (azimuth, distance) grid: along an arc (±azimuth) or along a ray (±distance).
enum class Dir { cw, ccw, out, in }; // cw: azimuth increasing; out: distance increasing

Dir left_of(Dir d) {
    switch (d) {
    case Dir::cw: return Dir::out;
    case Dir::out: return Dir::ccw;
    case Dir::ccw: return Dir::in;
    case Dir::in: return Dir::cw;
    }
    return d;
}

Dir right_of(Dir d) { return left_of(left_of(left_of(d))); }

// A vertex of the grid: sector boundary b (0..n-1) at distance r.
using Vertex = std::pair<std::size_t, double>;

// One boundary edge, with the lit ground on its left.
struct Edge {
    Vertex from, to;
    Dir dir;
    double lit_depth_m; // for an arc: the length of the lit interval it bounds (a safe step inwards)
};

// The lit intervals of one radial, sorted, merged where they touch, the first at least min_reach.
std::vector<LitInterval> normalized(const std::vector<LitInterval>& runs) {
    if (runs.empty() || runs.front().first != 0.0) {
        throw std::invalid_argument("the first lit interval of a radial must start at the site");
    }
    std::vector<LitInterval> sorted = runs;
    sorted.front().second = std::max(sorted.front().second, min_reach_m);
    std::sort(sorted.begin(), sorted.end());
    std::vector<LitInterval> out;
    for (const auto& [from, to] : sorted) {
        if (!(to > from)) continue;
        if (!out.empty() && from <= out.back().second) {
            out.back().second = std::max(out.back().second, to);
        } else {
            out.emplace_back(from, to);
        }
    }
    return out;
}

// The stretches of `a` not in `b` (both sorted and disjoint), each of positive length.
std::vector<LitInterval> minus(const std::vector<LitInterval>& a, const std::vector<LitInterval>& b) {
    std::vector<LitInterval> out;
    std::size_t j = 0;
    for (auto [from, to] : a) {
        while (j < b.size() && b[j].second <= from) ++j;
        std::size_t k = j;
        while (from < to) {
            if (k == b.size() || b[k].first >= to) {
                out.emplace_back(from, to);
                break;
            }
            if (b[k].first > from) out.emplace_back(from, b[k].first);
            from = std::max(from, b[k].second);
            ++k;
        }
    }
    return out;
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

class Tracer {
public:
    Tracer(const std::vector<std::vector<LitInterval>>& radials) : m_n(radials.size()) {
        m_width = 360.0 / static_cast<double>(m_n);
        for (const auto& runs : radials) m_columns.push_back(normalized(runs));
        collect_edges();
    }

    /// Every closed boundary loop, in the plane, each with a point of the lit ground next to it.
    struct Loop {
        geo::Ring ring;
        geo::Point inside_lit;
        double area_m2;
    };

    std::vector<Loop> loops() {
        std::vector<Loop> out;
        std::vector<char> used(m_edges.size(), 0);
        for (std::size_t first = 0; first < m_edges.size(); ++first) {
            if (used[first]) continue;
            std::vector<std::size_t> path;
            std::map<Vertex, std::size_t> on_path; // vertex → index in path of the edge leaving it
            std::size_t current = first;
            while (true) {
                used[current] = 1;
                on_path[m_edges[current].from] = path.size();
                path.push_back(current);
                const Vertex at = m_edges[current].to;
                if (const auto seen = on_path.find(at); seen != on_path.end()) {
                    // A loop closes here: the whole path, or a part where the ring touches itself.
                    const std::size_t start = seen->second;
                    out.push_back(loop(std::vector<std::size_t>(path.begin() + static_cast<std::ptrdiff_t>(start), path.end())));
                    for (std::size_t i = start; i < path.size(); ++i) on_path.erase(m_edges[path[i]].from);
                    path.resize(start);
                    if (path.empty()) break;
                }
                current = next(at, m_edges[current].dir, used);
            }
        }
        return out;
    }

private:
    std::size_t m_n;
    double m_width = 0.0;
    std::vector<std::vector<LitInterval>> m_columns;
    std::vector<Edge> m_edges;
    std::map<Vertex, std::vector<std::size_t>> m_leaving;

    void add(Vertex from, Vertex to, Dir dir, double depth) {
        m_leaving[from].push_back(m_edges.size());
        m_edges.push_back(Edge{from, to, dir, depth});
    }

    // Column k spans boundary k (its lower azimuth) to boundary k + 1 (mod n).
    void collect_edges() {
        for (std::size_t k = 0; k < m_n; ++k) {
            const std::size_t right = (k + 1) % m_n;
            for (const auto& [from, to] : m_columns[k]) {
                add({right, to}, {k, to}, Dir::ccw, to - from); // the far end, lit below it
                if (from > 0.0) add({k, from}, {right, from}, Dir::cw, to - from);
            }
        }
        for (std::size_t b = 0; b < m_n; ++b) {
            const auto& below = m_columns[(b + m_n - 1) % m_n]; // the column at lower azimuth
            const auto& above = m_columns[b];
            for (const auto& [from, to] : minus(below, above)) add({b, from}, {b, to}, Dir::out, 0.0);
            for (const auto& [from, to] : minus(above, below)) add({b, to}, {b, from}, Dir::in, 0.0);
        }
    }

    // Where a ring touches itself (two lit cells meeting only at a corner) there are two ways
    // on: the sharpest left turn keeps each lit cell's corner in its own ring.
    std::size_t next(const Vertex& at, Dir arriving, const std::vector<char>& used) const {
        const auto found = m_leaving.find(at);
        if (found == m_leaving.end()) throw BrokenBoundary("polar_shape: an open boundary");
        std::size_t best = m_edges.size();
        int best_rank = 4;
        for (const auto e : found->second) {
            if (used[e]) continue;
            const Dir d = m_edges[e].dir;
            const int rank = d == left_of(arriving) ? 0 : d == arriving ? 1 : d == right_of(arriving) ? 2 : 3;
            if (rank < best_rank) {
                best = e;
                best_rank = rank;
            }
        }
        if (best == m_edges.size()) throw BrokenBoundary("polar_shape: an open boundary");
        return best;
    }

    double azimuth(std::size_t boundary) const { return m_width * static_cast<double>(boundary) - m_width / 2.0; }

    geo::Point point(const Vertex& v) const { return plane(azimuth(v.first), v.second); }

    Loop loop(const std::vector<std::size_t>& edges) const {
        Loop out;
        bool have_inside = false;
        for (const auto e : edges) {
            const Edge& edge = m_edges[e];
            const geo::Point start = point(edge.from);
            const std::size_t before = out.ring.size();
            out.ring.push_back(start);
            if (edge.dir == Dir::cw || edge.dir == Dir::ccw) {
                // The arc over one sector; its ends are the shared vertices, its inside points
                // evenly spaced in azimuth.
                const double a0 = azimuth(edge.from.first);
                const double a1 = edge.dir == Dir::cw ? a0 + m_width : a0 - m_width;
                const int pieces = std::max(1, static_cast<int>(std::ceil(m_width / arc_step_deg - 1e-9)));
                for (int i = 1; i < pieces; ++i) out.ring.push_back(plane(a0 + (a1 - a0) * i / pieces, edge.from.second));
                if (!have_inside) {
                    // A point just inside the lit ground, left of the arc's first chord.
                    const geo::Point end = pieces > 1 ? out.ring[before + 1] : point(edge.to);
                    const double dx = end.x() - start.x();
                    const double dy = end.y() - start.y();
                    const double length = std::hypot(dx, dy);
                    const double step = std::min(1e-3, edge.lit_depth_m / 4.0);
                    out.inside_lit = geo::Point{(start.x() + end.x()) / 2.0 - dy / length * step,
                                                (start.y() + end.y()) / 2.0 + dx / length * step};
                    have_inside = true;
                }
            }
        }
        out.ring.push_back(out.ring.front());
        if (!have_inside) throw BrokenBoundary("polar_shape: a loop without an arc");
        out.area_m2 = bg::area(out.ring); // the ring type is counter-clockwise: holes come out negative
        return out;
    }
};

// The star alone: each radial lit from the site out to the end of its first interval.
geo::MultiPolygon star_shape(const geo::Point& site, const std::vector<std::vector<LitInterval>>& radials) {
    std::vector<std::vector<LitInterval>> star;
    star.reserve(radials.size());
    for (const auto& runs : radials) star.push_back({normalized(runs).front()});
    auto loops = Tracer{star}.loops();
    geo::Polygon polygon;
    polygon.outer() = to_lonlat(loops.front().ring, site);
    geo::MultiPolygon shape{polygon};
    bg::correct(shape);
    return shape;
}

// The rings in the plane, sorted into polygons. Outer rings run counter-clockwise (lit ground on
// the left), holes clockwise; a hole belongs to the smallest outer ring around the lit point next
// to it. `parts` is set to whether there is more than the one ring around the site.
std::vector<geo::Polygon> planar_polygons(const std::vector<std::vector<LitInterval>>& radials, bool& parts) {
    const auto loops = Tracer{radials}.loops();
    std::vector<std::size_t> outers;
    for (std::size_t i = 0; i < loops.size(); ++i) {
        if (loops[i].area_m2 > 0.0) outers.push_back(i);
    }
    std::vector<geo::Polygon> planar(outers.size());
    for (std::size_t o = 0; o < outers.size(); ++o) planar[o].outer() = loops[outers[o]].ring;
    parts = outers.size() > 1;
    for (const auto& hole : loops) {
        if (hole.area_m2 > 0.0) continue;
        parts = true;
        std::size_t owner = outers.size();
        for (std::size_t o = 0; o < outers.size(); ++o) {
            if (!bg::within(hole.inside_lit, planar[o].outer())) continue;
            if (owner == outers.size() || loops[outers[o]].area_m2 < loops[outers[owner]].area_m2) owner = o;
        }
        if (owner == outers.size()) throw BrokenBoundary("polar_shape: a hole outside every ring");
        planar[owner].inners().push_back(hole.ring);
    }
    return planar;
}

} // namespace

geo::MultiPolygon polar_shape(const geo::Point& site, const std::vector<std::vector<LitInterval>>& radials,
                              bool* star_only) {
    if (star_only) *star_only = false;
    if (radials.size() < 3) throw std::invalid_argument("a polar shape needs at least 3 radials");
    bool parts = false;
    geo::MultiPolygon shape;
    try {
        for (const auto& polygon : planar_polygons(radials, parts)) {
            geo::Polygon out;
            out.outer() = to_lonlat(polygon.outer(), site);
            for (const auto& hole : polygon.inners()) out.inners().push_back(to_lonlat(hole, site));
            shape.push_back(std::move(out));
        }
        bg::correct(shape);
    } catch (const BrokenBoundary&) {
        parts = true;
        shape.clear();
    }
    if (parts && (shape.empty() || !bg::is_valid(shape))) {
        // Not expected (every vertex has as many edges in as out, and the rings are built not to
        // cross); kept as a guard: the star alone is valid by construction and conservative (it
        // drops lit ground beyond shadows, never adds any).
        shape = star_shape(site, radials);
        if (star_only) *star_only = true;
    }
    return shape;
}

} // namespace deadzone::model
