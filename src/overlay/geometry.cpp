#include "geometry.hpp"

#include "edge_index.hpp"

#include <deadzone/core/error.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/parallel.hpp>
#include <deadzone/geo/validity.hpp>

// Boost.Geometry 1.74's envelope and rescale-policy code, once inlined here, trips GCC's
// -Wmaybe-uninitialized (false positives inside Boost; its variables are set before use).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry.hpp>
#include <ogr_geometry.h>

#include <algorithm>
#include <optional>
#include <cmath>
#include <exception>
#include <iterator>
#include <limits>
#include <numbers>

namespace bg = boost::geometry;

namespace deadzone::overlay::detail {

namespace {

void drop_slivers(geo::MultiPolygon& shape) {
    std::erase_if(shape, [](const geo::Polygon& polygon) { return !geo::equal_area_at_least(polygon, sliver_m2); });
}

geo::MultiPolygon as_multi(const geo::Polygon& polygon) { return geo::MultiPolygon{polygon}; }

/// The OGR (GEOS) repair of a shape, back in Boost form with Boost's orientation.
geo::MultiPolygon make_valid(const geo::MultiPolygon& shape) {
    geo::ensure_gdal();
    auto ogr = geo::to_ogr(shape);
    geo::GeometryPtr valid{ogr->MakeValid()};
    if (!valid) {
        throw Failure("overlay: a polygon could not be repaired (" + geo::last_gdal_error() + ")");
    }
    auto out = geo::to_multipolygon(*valid);
    bg::correct(out);
    return out;
}

enum class SetOp { intersection, unite, difference };

/// Boost's own overlay, called below its public interface so that no rescale policy is built:
/// bg::intersection/union_/difference in Boost 1.74 (BOOST_GEOMETRY_USE_RESCALING is on by
/// default) first convert every point of both operands to a scaled integer grid
/// (`recalculate_point`, about a quarter of run_overlay's time). The same algorithms run on the
/// doubles themselves with `no_rescale_policy` (the default of later Boost releases); a throw
/// falls back to the repair and GEOS below, as before. See docs/overlay.md, "Faster exact overlay".
geo::MultiPolygon boost_op(SetOp op, const geo::MultiPolygon& a, const geo::MultiPolygon& b) {
    using Strategy = bg::strategy::relate::services::default_strategy<geo::MultiPolygon, geo::MultiPolygon>::type;
    const Strategy strategy;
    const bg::detail::no_rescale_policy no_rescale;
    geo::MultiPolygon out;
    auto inserter = std::back_inserter(out);
    switch (op) {
    case SetOp::intersection:
        bg::dispatch::intersection_insert<geo::MultiPolygon, geo::MultiPolygon, geo::Polygon,
                                          bg::overlay_intersection>::apply(a, b, no_rescale, inserter, strategy);
        break;
    case SetOp::unite:
        bg::dispatch::union_insert<geo::MultiPolygon, geo::MultiPolygon, geo::Polygon>::apply(a, b, no_rescale,
                                                                                             inserter, strategy);
        break;
    case SetOp::difference:
        bg::detail::difference::call_intersection_insert<geo::MultiPolygon, geo::MultiPolygon,
                                                         geo::Polygon>::apply(a, b, no_rescale, inserter, strategy);
        break;
    }
    return out;
}

geo::MultiPolygon geos_op(SetOp op, const geo::MultiPolygon& a, const geo::MultiPolygon& b) {
    geo::ensure_gdal();
    auto ga = geo::to_ogr(a);
    auto gb = geo::to_ogr(b);
    geo::GeometryPtr valid_a{ga->MakeValid()};
    geo::GeometryPtr valid_b{gb->MakeValid()};
    if (!valid_a || !valid_b) {
        throw Failure("overlay: a polygon could not be repaired (" + geo::last_gdal_error() + ")");
    }
    geo::GeometryPtr result;
    switch (op) {
    case SetOp::intersection:
        result.reset(valid_a->Intersection(valid_b.get()));
        break;
    case SetOp::unite:
        result.reset(valid_a->Union(valid_b.get()));
        break;
    case SetOp::difference:
        result.reset(valid_a->Difference(valid_b.get()));
        break;
    }
    if (!result) {
        throw Failure("overlay: polygon overlay failed even after repair (" + geo::last_gdal_error() + ")");
    }
    auto out = geo::to_multipolygon(*result);
    bg::correct(out);
    return out;
}

geo::MultiPolygon robust_op(SetOp op, const geo::MultiPolygon& a, const geo::MultiPolygon& b) {
    geo::MultiPolygon out;
    try {
        out = boost_op(op, a, b);
    } catch (const std::exception&) {
        // Nearly degenerate input (spikes, self-touching rings, almost collinear edges): repair
        // both operands and try again, then let GEOS do it.
        try {
            out = boost_op(op, make_valid(a), make_valid(b));
        } catch (const Failure&) {
            throw;
        } catch (const std::exception&) {
            out = geos_op(op, a, b);
        }
    }
    drop_slivers(out);
    return out;
}

} // namespace

geo::MultiPolygon valid_shape(geo::MultiPolygon shape) {
    if (shape.empty()) {
        return shape;
    }
    if (geo::is_valid(shape)) {
        return shape;
    }
    auto out = make_valid(shape);
    drop_slivers(out);
    return out;
}

geo::MultiPolygon intersection(const geo::MultiPolygon& a, const geo::Polygon& b) {
    return robust_op(SetOp::intersection, a, as_multi(b));
}

geo::MultiPolygon intersection(const geo::MultiPolygon& a, const geo::MultiPolygon& b) {
    return robust_op(SetOp::intersection, a, b);
}

geo::MultiPolygon unite(const geo::MultiPolygon& a, const geo::MultiPolygon& b) {
    return robust_op(SetOp::unite, a, b);
}

geo::MultiPolygon difference(const geo::MultiPolygon& a, const geo::MultiPolygon& b) {
    return robust_op(SetOp::difference, a, b);
}

Piece make_piece(geo::MultiPolygon shape) {
    Piece piece;
    piece.box = shape.empty() ? geo::Box{} : bg::return_envelope<geo::Box>(shape);
    piece.shape = std::move(shape);
    return piece;
}

namespace {

/// What a merge sets aside instead of handing it to the overlay.
struct Aside {
    geo::MultiPolygon kept; // polygons carried into the union as they are
    std::vector<std::pair<std::size_t, std::vector<geo::Ring>>> holes_a; // by polygon index in near_a
    std::vector<std::pair<std::size_t, std::vector<geo::Ring>>> holes_b;
    // Polygons and holes that lie inside the other operand (the union fills them). Kept alive
    // until both operands are split: an EdgeIndex refers to their points.
    geo::MultiPolygon covered;
    std::vector<geo::Ring> filled;
};

/// Where a ring of one operand lies with respect to the other operand `other` (its envelope
/// and, for large merges, its indexed edges).
enum class Reach { near, apart, inside };

Reach reach(const geo::Ring& ring, const geo::Box& other, const EdgeIndex* other_edges) {
    const auto box = bg::return_envelope<geo::Box>(ring);
    if (bg::disjoint(box, other)) {
        return Reach::apart;
    }
    if (other_edges == nullptr || other_edges->reaches(box)) {
        return Reach::near;
    }
    // No edge of the other operand comes into the ring's box: the box, so the ring and all it
    // encloses, lies wholly inside the other operand or wholly outside it.
    const auto inside = other_edges->contains(ring.front(), box);
    if (!inside) {
        return Reach::near;
    }
    return *inside ? Reach::inside : Reach::apart;
}

/// The part of `shape` an overlay with `other` (its envelope, and its edges when indexed) can
/// change. Polygons out of its reach go to `aside.kept` as they are, polygons inside it to
/// `aside.covered` (the union holds them already); so do the holes of the remaining polygons,
/// to `holes` (by their polygon's index in the returned shape; such a hole stays a hole of the
/// union) or `aside.filled`. Without this, Boost's overlay tests every ring it does not cut
/// against the whole other operand, and assigns every hole to its polygon by a scan of the
/// polygon's outer ring, which makes the last unions of a large cascade quadratic.
geo::MultiPolygon near_part(geo::MultiPolygon shape, const geo::Box& other, const EdgeIndex* other_edges,
                            Aside& aside, std::vector<std::pair<std::size_t, std::vector<geo::Ring>>>& holes) {
    geo::MultiPolygon near;
    for (auto& polygon : shape) {
        switch (reach(polygon.outer(), other, other_edges)) {
        case Reach::apart:
            aside.kept.push_back(std::move(polygon));
            continue;
        case Reach::inside:
            aside.covered.push_back(std::move(polygon));
            continue;
        case Reach::near:
            break;
        }
        std::vector<geo::Ring> away;
        std::erase_if(polygon.inners(), [&](geo::Ring& ring) {
            switch (reach(ring, other, other_edges)) {
            case Reach::apart:
                away.push_back(std::move(ring));
                return true;
            case Reach::inside:
                aside.filled.push_back(std::move(ring));
                return true;
            case Reach::near:
                break;
            }
            return false;
        });
        if (!away.empty()) {
            holes.emplace_back(near.size(), std::move(away));
        }
        near.push_back(std::move(polygon));
    }
    return near;
}

/// Boost's overlay finds each hole's polygon by a scan of the candidate outer rings: holes times
/// outer-ring points, summed over a shape's polygons. From `indexed_scan` on (both operands
/// together) the merge indexes the operands' edges to set most holes aside first; below it,
/// building the indexes costs more than the scans it saves. The same bound as geo::is_valid's
/// for GEOS' own hole scan (src/geo/validity.cpp).
constexpr double indexed_scan = 2e6;

double hole_scan(const geo::MultiPolygon& shape) {
    double points = 0;
    for (const auto& polygon : shape) {
        points += static_cast<double>(polygon.inners().size()) * static_cast<double>(polygon.outer().size());
    }
    return points;
}

Piece merge(Piece a, Piece b) {
    if (a.shape.empty()) {
        return b;
    }
    if (b.shape.empty()) {
        return a;
    }
    Piece out;
    out.box = a.box;
    bg::expand(out.box, b.box);
    // Terrain footprints (holes, islands inside holes) can defeat the set-aside shortcut below:
    // keep the operands when they have holes, so the plain union can decide instead.
    const auto holed = [](const geo::MultiPolygon& shape) {
        return std::any_of(shape.begin(), shape.end(), [](const geo::Polygon& p) { return !p.inners().empty(); });
    };
    std::optional<std::pair<geo::MultiPolygon, geo::MultiPolygon>> operands;
    if (holed(a.shape) || holed(b.shape)) {
        operands.emplace(a.shape, b.shape);
    }
    // Large merges index both operands' edges. An index refers to its operand's points, which
    // near_part moves (buffers and all) into the near part or `aside`, so they stay valid until
    // both operands are split; the indexes are not used after that.
    std::optional<EdgeIndex> edges_a;
    std::optional<EdgeIndex> edges_b;
    if (hole_scan(a.shape) + hole_scan(b.shape) >= indexed_scan) {
        edges_a.emplace(a.shape);
        edges_b.emplace(b.shape);
    }
    Aside aside;
    auto near_a = near_part(std::move(a.shape), b.box, edges_b ? &*edges_b : nullptr, aside, aside.holes_a);
    auto near_b = near_part(std::move(b.shape), a.box, edges_a ? &*edges_a : nullptr, aside, aside.holes_b);
    auto& kept = aside.kept;
    auto& holes_a = aside.holes_a;
    auto& holes_b = aside.holes_b;
    if (near_a.empty() || near_b.empty()) {
        // Nothing of one side reaches the other: the union is both side by side.
        auto put_back = [](geo::MultiPolygon& near, auto& holes) {
            for (auto& [index, rings] : holes) {
                auto& inners = near[index].inners();
                inners.insert(inners.end(), std::make_move_iterator(rings.begin()), std::make_move_iterator(rings.end()));
            }
        };
        put_back(near_a, holes_a);
        put_back(near_b, holes_b);
        out.shape = std::move(near_a);
    } else {
        out.shape = unite(near_a, near_b);
        // A set-aside hole lies inside its polygon, which the union only grew: it goes back
        // into the result polygon that holds it (inside its outer ring and in none of its holes:
        // an island inside another polygon's hole also has the hole inside its outer ring).
        std::vector<geo::Box> boxes;
        boxes.reserve(out.shape.size());
        for (const auto& polygon : out.shape) {
            boxes.push_back(bg::return_envelope<geo::Box>(polygon.outer()));
        }
        auto restore = [&](std::vector<geo::Ring>& rings) {
            const auto& probe = rings.front().front();
            for (std::size_t r = 0; r < out.shape.size(); ++r) {
                if (bg::covered_by(probe, boxes[r]) && bg::covered_by(probe, out.shape[r])) {
                    auto& inners = out.shape[r].inners();
                    inners.insert(inners.end(), std::make_move_iterator(rings.begin()),
                                  std::make_move_iterator(rings.end()));
                    return true;
                }
            }
            return false;
        };
        bool restored = true;
        for (auto& entry : holes_a) {
            restored = restored && restore(entry.second);
        }
        for (auto& entry : holes_b) {
            restored = restored && restore(entry.second);
        }
        if (!restored) {
            if (!operands) throw Failure("overlay: a hole of a union lies in no polygon of the result");
            out.shape = unite(operands->first, operands->second);
            return out;
        }
        near_b.clear();
    }
    out.shape.insert(out.shape.end(), std::make_move_iterator(near_b.begin()), std::make_move_iterator(near_b.end()));
    out.shape.insert(out.shape.end(), std::make_move_iterator(kept.begin()), std::make_move_iterator(kept.end()));
    return out;
}

} // namespace

geo::MultiPolygon cascaded_union(std::vector<Piece> pieces, int threads,
                                 const std::function<void(std::size_t)>& on_level) {
    return cascaded_union(
        pieces.size(), [&](std::size_t i) { return std::move(pieces[i]); }, threads, on_level);
}

geo::MultiPolygon cascaded_union(std::size_t count, const std::function<Piece(std::size_t)>& piece, int threads,
                                 const std::function<void(std::size_t)>& on_level) {
    if (count == 0) {
        return {};
    }
    geo::ParallelOptions parallel;
    parallel.threads = threads;
    std::vector<Piece> pieces(count / 2 + count % 2);
    geo::parallel_for(count / 2, parallel, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            pieces[i] = merge(piece(2 * i), piece(2 * i + 1));
        }
    });
    if (count % 2 == 1) {
        pieces.back() = piece(count - 1);
    }
    if (count > 1 && on_level) {
        on_level(pieces.size());
    }
    while (pieces.size() > 1) {
        const std::size_t pairs = pieces.size() / 2;
        std::vector<Piece> next(pairs + pieces.size() % 2);
        geo::parallel_for(pairs, parallel, [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                next[i] = merge(std::move(pieces[2 * i]), std::move(pieces[2 * i + 1]));
            }
        });
        if (pieces.size() % 2 == 1) {
            next.back() = std::move(pieces.back());
        }
        pieces = std::move(next);
        if (on_level) {
            on_level(pieces.size());
        }
    }
    return std::move(pieces.front().shape);
}

std::vector<std::size_t> hilbert_order(const std::vector<geo::Point>& points) {
    geo::Box extent;
    bg::assign_inverse(extent);
    for (const auto& point : points) {
        if (std::isfinite(point.x()) && std::isfinite(point.y())) {
            bg::expand(extent, point);
        }
    }
    const double width = std::max(extent.max_corner().x() - extent.min_corner().x(), 1e-9);
    const double height = std::max(extent.max_corner().y() - extent.min_corner().y(), 1e-9);
    std::vector<std::pair<std::uint64_t, std::size_t>> keyed(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        const double x = (points[i].x() - extent.min_corner().x()) / width;
        const double y = (points[i].y() - extent.min_corner().y()) / height;
        keyed[i] = {std::isfinite(x) && std::isfinite(y) ? hilbert_key(x, y) : 0, i};
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::size_t> order(points.size());
    for (std::size_t k = 0; k < keyed.size(); ++k) {
        order[k] = keyed[k].second;
    }
    return order;
}

std::uint64_t hilbert_key(double x, double y) {
    constexpr std::uint32_t side = 1u << 16;
    auto cell = [](double v) {
        const double c = std::clamp(v, 0.0, 1.0) * static_cast<double>(side);
        return std::min<std::uint32_t>(static_cast<std::uint32_t>(c), side - 1);
    };
    std::uint32_t ix = cell(x);
    std::uint32_t iy = cell(y);
    std::uint64_t key = 0;
    // The classic iterative xy → d conversion: at each scale, add the quadrant's offset and
    // rotate/flip so that the sub-curve is in standard orientation.
    for (std::uint32_t s = side / 2; s > 0; s /= 2) {
        const std::uint32_t rx = (ix & s) ? 1u : 0u;
        const std::uint32_t ry = (iy & s) ? 1u : 0u;
        key += static_cast<std::uint64_t>(s) * s * ((3u * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                ix = side - 1 - ix;
                iy = side - 1 - iy;
            }
            std::swap(ix, iy);
        }
    }
    return key;
}

} // namespace deadzone::overlay::detail
