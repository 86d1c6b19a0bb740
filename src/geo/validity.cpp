// Validity through the complement. GEOS 3.11 (Debian 12) checks that each hole lies inside its
// shell by locating one hole point in the shell with an unindexed ray count: holes × shell
// vertices. A national coverage is one polygon with thousands of holes and a shell of hundreds
// of thousands of vertices, and that one check took most of the time GEOS spent on it. Its other
// checks (noding, nested holes, nested shells) use indexes. So the question is put to GEOS in a
// form where no polygon has both a long shell and many holes: the complement of the shape in a
// box around it. docs/overlay.md, "Validity of a national coverage", has the argument and the
// figures.

#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/validity.hpp>

#include <ogr_geometry.h>

#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace deadzone::geo {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

/// Below this many (hole, shell vertex) pairs GEOS' own scan costs a few milliseconds at most
/// and the shape goes to GEOS as it is.
constexpr double direct_pairs = 2e6;

/// The (hole, outer vertex) pairs GEOS' scan visits in one polygon.
double pairs(const Polygon& polygon) {
    return static_cast<double>(polygon.inners().size()) * static_cast<double>(polygon.outer().size());
}

bool geos_valid(const MultiPolygon& shape) {
    if (shape.empty()) {
        return true;
    }
    ensure_gdal();
    return to_ogr(shape)->IsValid() != FALSE;
}

/// Crossing-number point in ring, any orientation. The point is a vertex of another ring that
/// GEOS found disjoint from this one, so it is never on the ring; near-degenerate answers only
/// make the complement invalid, and then GEOS judges the shape itself.
bool inside(const Point& p, const Ring& ring) {
    bool in = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const auto& a = ring[i];
        const auto& b = ring[j];
        if ((a.y() > p.y()) != (b.y() > p.y())) {
            const double x = a.x() + (p.y() - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
            if (p.x() < x) {
                in = !in;
            }
        }
    }
    return in;
}

/// Every ring of the shape as a line: GEOS calls such a set simple when no two of the lines
/// meet and none meets itself (closed lines have no boundary points).
bool rings_disjoint_and_simple(const MultiPolygon& shape) {
    OGRMultiLineString lines;
    auto add = [&](const Ring& ring) {
        // A ring as a line string (the ring's points taken over, not copied).
        lines.addGeometryDirectly(OGRCurve::CastToLineString(to_ogr_ring(ring)));
    };
    for (const auto& polygon : shape) {
        add(polygon.outer());
        for (const auto& hole : polygon.inners()) {
            add(hole);
        }
    }
    return lines.IsSimple() != FALSE;
}

struct HoleRef {
    std::size_t polygon;
    std::size_t hole;
};

/// A box well around every ring of the polygons, holes included (a hole outside its outer ring
/// must still fall inside the box); any margin would do.
template <typename Polygons> Ring frame_around(const Polygons& polygons) {
    double x0 = std::numeric_limits<double>::infinity();
    double y0 = x0;
    double x1 = -x0;
    double y1 = -x0;
    auto extend = [&](const Ring& ring) {
        for (const auto& p : ring) {
            x0 = std::min(x0, p.x());
            y0 = std::min(y0, p.y());
            x1 = std::max(x1, p.x());
            y1 = std::max(y1, p.y());
        }
    };
    for (const Polygon& polygon : polygons) {
        extend(polygon.outer());
        for (const auto& hole : polygon.inners()) {
            extend(hole);
        }
    }
    const double margin = 1.0 + std::max(x1 - x0, y1 - y0);
    return Ring{{x0 - margin, y0 - margin}, {x1 + margin, y0 - margin}, {x1 + margin, y1 + margin},
                {x0 - margin, y1 + margin}, {x0 - margin, y0 - margin}};
}

/// One polygon's complement in a box around it: the box with the outer ring as its hole, and
/// each hole as a polygon. With disjoint simple rings it is valid exactly when every hole lies
/// in the outer ring and in no other hole.
GeometryPtr polygon_complement(const Polygon& polygon) {
    auto out = std::make_unique<OGRMultiPolygon>();
    auto box = std::make_unique<OGRPolygon>();
    box->addRingDirectly(to_ogr_ring(frame_around(std::array{std::cref(polygon)})));
    box->addRingDirectly(to_ogr_ring(polygon.outer()));
    out->addGeometryDirectly(box.release());
    for (const auto& hole : polygon.inners()) {
        auto part = std::make_unique<OGRPolygon>();
        part->addRingDirectly(to_ogr_ring(hole));
        out->addGeometryDirectly(part.release());
    }
    return GeometryPtr{out.release()};
}

/// The complement of `shape` in a box around it, as OGR polygons: the box with every outer ring
/// that lies in no hole as its holes, and each hole of the shape with the outer rings of the
/// islands lying directly in it (the smallest hole that contains them) as its holes.
GeometryPtr complement(const MultiPolygon& shape) {
    std::vector<HoleRef> holes;
    std::vector<std::pair<Box, std::size_t>> boxes;
    for (std::size_t p = 0; p < shape.size(); ++p) {
        for (std::size_t h = 0; h < shape[p].inners().size(); ++h) {
            boxes.emplace_back(bg::return_envelope<Box>(shape[p].inners()[h]), holes.size());
            holes.push_back({p, h});
        }
    }
    const bgi::rtree<std::pair<Box, std::size_t>, bgi::rstar<16>> index(boxes.begin(), boxes.end());
    std::vector<double> area(holes.size(), -1.0); // computed when first needed

    constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    std::vector<std::vector<std::size_t>> islands(holes.size()); // polygons directly in each hole
    std::vector<std::size_t> top;                                  // polygons in no hole
    std::vector<std::pair<Box, std::size_t>> hits;
    for (std::size_t p = 0; p < shape.size(); ++p) {
        const auto& outer = shape[p].outer();
        hits.clear();
        index.query(bgi::covers(bg::return_envelope<Box>(outer)), std::back_inserter(hits));
        std::size_t best = none;
        for (const auto& [box, k] : hits) {
            const auto& ref = holes[k];
            const auto& ring = shape[ref.polygon].inners()[ref.hole];
            if (ref.polygon == p || !inside(outer.front(), ring)) {
                continue;
            }
            if (area[k] < 0.0) {
                area[k] = std::abs(bg::area(ring)); // holes run clockwise
            }
            if (best == none || area[k] < area[best]) {
                best = k;
            }
        }
        (best == none ? top : islands[best]).push_back(p);
    }

    const auto frame = frame_around(shape);

    auto out = std::make_unique<OGRMultiPolygon>();
    auto add = [&](const Ring& shell, const std::vector<std::size_t>& inside_polygons) {
        auto polygon = std::make_unique<OGRPolygon>();
        polygon->addRingDirectly(to_ogr_ring(shell));
        for (const auto p : inside_polygons) {
            polygon->addRingDirectly(to_ogr_ring(shape[p].outer()));
        }
        out->addGeometryDirectly(polygon.release());
    };
    add(frame, top);
    for (std::size_t k = 0; k < holes.size(); ++k) {
        add(shape[holes[k].polygon].inners()[holes[k].hole], islands[k]);
    }
    return GeometryPtr{out.release()};
}

} // namespace

bool is_valid_by_complement(const MultiPolygon& shape) {
    if (shape.empty()) {
        return true;
    }
    ensure_gdal(); // before GEOS speaks, so its notices stay off stderr
    // Touching or crossing rings: GEOS decides on the shape itself (the complements' interior
    // connectivity is not the shape's).
    if (!rings_disjoint_and_simple(shape)) {
        return geos_valid(shape);
    }
    // With disjoint simple rings the shape is valid exactly when (1) each polygon's holes lie in
    // its outer ring and in none of its other holes, and (2) no polygon lies in another one's
    // interior. (1): each polygon's own complement is valid; (2), given (1): the whole shape's complement is valid (docs/overlay.md has
    // the argument). Whatever GEOS rejects there, or a point-in-ring misjudged near a ring,
    // sends the shape to GEOS as it is, so the verdict is always GEOS' own.
    for (const auto& polygon : shape) {
        if (!polygon.inners().empty() && polygon_complement(polygon)->IsValid() == FALSE) {
            return geos_valid(shape);
        }
    }
    if (complement(shape)->IsValid() == FALSE) {
        return geos_valid(shape);
    }
    return true;
}

bool is_valid(const MultiPolygon& shape) {
    double total = 0.0;
    for (const auto& polygon : shape) {
        total += pairs(polygon);
    }
    return total <= direct_pairs ? geos_valid(shape) : is_valid_by_complement(shape);
}

} // namespace deadzone::geo
