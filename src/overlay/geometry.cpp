#include "geometry.hpp"

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
    std::erase_if(shape, [](const geo::Polygon& polygon) { return equal_area_m2(polygon) < sliver_m2; });
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

/// The part of `shape` an overlay with something inside `other` can change. Polygons whose
/// envelope misses `other` go to `kept` as they are; so do the holes (in `holes`, by their
/// polygon's index in the returned shape) of the remaining polygons: such a hole stays a hole of
/// the union. Without this, Boost's overlay tests every ring it does not cut against the whole
/// other operand, which makes the last unions of a large cascade quadratic.
geo::MultiPolygon near_part(geo::MultiPolygon shape, const geo::Box& other, geo::MultiPolygon& kept,
                            std::vector<std::pair<std::size_t, std::vector<geo::Ring>>>& holes) {
    geo::MultiPolygon near;
    for (auto& polygon : shape) {
        if (bg::disjoint(bg::return_envelope<geo::Box>(polygon.outer()), other)) {
            kept.push_back(std::move(polygon));
            continue;
        }
        std::vector<geo::Ring> away;
        std::erase_if(polygon.inners(), [&](geo::Ring& ring) {
            if (!bg::disjoint(bg::return_envelope<geo::Box>(ring), other)) {
                return false;
            }
            away.push_back(std::move(ring));
            return true;
        });
        if (!away.empty()) {
            holes.emplace_back(near.size(), std::move(away));
        }
        near.push_back(std::move(polygon));
    }
    return near;
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
    geo::MultiPolygon kept;
    std::vector<std::pair<std::size_t, std::vector<geo::Ring>>> holes_a;
    std::vector<std::pair<std::size_t, std::vector<geo::Ring>>> holes_b;
    auto near_a = near_part(std::move(a.shape), b.box, kept, holes_a);
    auto near_b = near_part(std::move(b.shape), a.box, kept, holes_b);
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
        // into the result polygon whose outer ring holds it.
        std::vector<geo::Box> boxes;
        boxes.reserve(out.shape.size());
        for (const auto& polygon : out.shape) {
            boxes.push_back(bg::return_envelope<geo::Box>(polygon.outer()));
        }
        auto restore = [&](std::vector<geo::Ring>& rings) {
            const auto& probe = rings.front().front();
            for (std::size_t r = 0; r < out.shape.size(); ++r) {
                if (bg::covered_by(probe, boxes[r]) && bg::covered_by(probe, out.shape[r].outer())) {
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
