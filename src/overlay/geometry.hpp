// Private helpers of the overlay stage: set operations that repair their input and retry
// instead of failing, and cascaded unions.
#pragma once

#include <deadzone/geo/equal_area.hpp>
#include <deadzone/geo/types.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace deadzone::overlay::detail {

/// Areas: geo::equal_area_m2 (include/deadzone/geo/equal_area.hpp).
using geo::equal_area_m2;

/// a ∩ b, a ∪ b, a − b with Boost.Geometry (cartesian lon/lat: vertices are dense, so straight
/// edges in degrees stand for the geodesic ones). When Boost rejects nearly degenerate input
/// (overlay_invalid_input_exception and kin), both operands are repaired (bg::correct, then OGR
/// MakeValid) and the operation retried; as a last resort GEOS (through OGR) computes it. Parts
/// thinner than a sliver (below `sliver_m2`) are dropped from the result.
geo::MultiPolygon intersection(const geo::MultiPolygon& a, const geo::Polygon& b);
/// a ∩ b for a footprint of several polygons (holes and islands); the same operation as above
/// (which wraps its polygon in a MultiPolygon), so a one-polygon footprint gives the same bytes.
geo::MultiPolygon intersection(const geo::MultiPolygon& a, const geo::MultiPolygon& b);
geo::MultiPolygon unite(const geo::MultiPolygon& a, const geo::MultiPolygon& b);
geo::MultiPolygon difference(const geo::MultiPolygon& a, const geo::MultiPolygon& b);

/// The shape itself when GEOS (the writers' judge) finds it valid, else its GEOS MakeValid
/// repair (Boost orientation, slivers dropped). Boost's unions can leave rings that touch
/// themselves or each other at a point, which GEOS rejects.
geo::MultiPolygon valid_shape(geo::MultiPolygon shape);

/// One polygon without holes whose ring turns the same way at every vertex and winds once
/// (discs and omni footprints): true. Rings with repeated or collinear vertices still count.
bool is_convex(const geo::MultiPolygon& shape);
/// is_convex, and the ring is counter-clockwise (as geo::disc and Boost's rings are): the
/// footprints fit_convex takes.
bool is_convex_ccw(const geo::MultiPolygon& shape);

/// Every vertex of every outer ring of `shape` lies in `hull` (boundary included), a ring for
/// which is_convex holds: then all of `shape` does, since a convex set holds the hull of any of
/// its points. The same answer as bg::covered_by(shape, hull) without the general relate
/// machinery (measured in docs/overlay.md, "Faster exact overlay").
bool covered_by_convex(const geo::MultiPolygon& shape, const geo::Ring& hull);

/// village ∩ hull for a `hull` ring for which is_convex holds, without the general overlay, when
/// the answer is simple: each polygon of `village` has no hole, is counter-clockwise, keeps
/// every vertex at least ~0.1 mm off the hull's boundary, and its boundary crosses the hull's
/// at most twice (so its part inside is one polygon: its own chain inside the hull closed by
/// the hull's arc from the exit point back to the entry point). Otherwise empty, and the caller
/// runs the general overlay. Slivers are dropped as `intersection` does.
std::optional<geo::MultiPolygon> clip_to_convex(const geo::MultiPolygon& village, const geo::Ring& hull);

/// A village against a `hull` ring for which is_convex_ccw holds, in one pass over the hull's edges
/// (covered_by_convex and clip_to_convex in one): `covers` when the hull holds the whole village
/// (tested only when `may_cover`); `clipped` with village ∩ hull (in `part`; slivers dropped; empty when the
/// two only touch, or may touch); `apart` when no point of the village is within ~0.1 mm of the
/// hull (bg::intersects would say false); `general` when the simple construction does not apply
/// and the caller runs the general overlay.
struct ConvexFit {
    enum class Kind { general, covers, clipped, apart };
    Kind kind = Kind::general;
    geo::MultiPolygon part;
};
ConvexFit fit_convex(const geo::MultiPolygon& village, const geo::Ring& hull, bool may_cover);

/// Pieces smaller than this (m^2) are numerical slivers of the set operations, not coverage.
inline constexpr double sliver_m2 = 0.01;

/// A shape with its envelope: unions of shapes whose envelopes are disjoint need no overlay.
struct Piece {
    geo::MultiPolygon shape;
    geo::Box box;
};
Piece make_piece(geo::MultiPolygon shape);

/// Union of all pieces by pairwise merging in a balanced tree (the cascaded union): every
/// vertex takes part in O(log n) overlays instead of O(n). Neighbours in `pieces` are merged
/// first, so callers order pieces spatially. A merge hands the overlay only the polygons and
/// holes within reach of the other piece's envelope; the rest is carried over as it is. The tree's shape depends only on the number of
/// pieces, so the result does not depend on `threads` (each level's merges run on
/// geo::parallel_for; 0 = all cores, 1 = this thread only).
/// `on_level` (optional) is told after each level how many pieces remain.
geo::MultiPolygon cascaded_union(std::vector<Piece> pieces, int threads = 1,
                                 const std::function<void(std::size_t)>& on_level = {});

/// The same cascade over `count` pieces made on demand: `piece(i)` is called once for each i,
/// from the first level's workers, just before its merge, so that the pieces never all exist at
/// once (the dissolve unfolds its folded discs here). The same tree, so the same result.
geo::MultiPolygon cascaded_union(std::size_t count, const std::function<Piece(std::size_t)>& piece, int threads = 1,
                                 const std::function<void(std::size_t)>& on_level = {});

/// Position of (x, y) in [0, 1)^2 along a Hilbert curve of 2^16 x 2^16 cells; sorting by it
/// keeps neighbours close.
std::uint64_t hilbert_key(double x, double y);

/// Indices of `points` in Hilbert order over their envelope (ties by index; points that are not
/// finite first).
std::vector<std::size_t> hilbert_order(const std::vector<geo::Point>& points);

} // namespace deadzone::overlay::detail
