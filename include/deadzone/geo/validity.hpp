// Polygon validity as GEOS judges it (OGRGeometry::IsValid, the OGC rules), without GEOS 3.11's
// cost on shapes with many holes. See docs/overlay.md, "Validity of a national coverage".
#pragma once

#include <deadzone/geo/types.hpp>

namespace deadzone::geo {

/// GEOS' verdict on `shape`: true when OGRGeometry::IsValid would say valid. An empty shape is
/// valid. Shapes with many holes in a long shell are judged through their complement (below);
/// the others, and every shape that test cannot clear, by GEOS directly.
bool is_valid(const MultiPolygon& shape);

/// The complement test itself, whatever the shape's size (is_valid picks it for large shapes;
/// exposed so that tests can compare it with GEOS on small ones). The verdict is GEOS' own:
/// when the rings are pairwise disjoint and simple (GEOS IsSimple on them as lines), the shape
/// is valid exactly when its complement in a box around it is, with every hole turned into a
/// polygon of its own (around the islands that lie in it) and every outer ring into a hole of
/// the box; GEOS checks that complement with indexes where it checks holes against their shell
/// by scanning the whole shell once per hole. Anything else falls back to GEOS on `shape`.
bool is_valid_by_complement(const MultiPolygon& shape);

} // namespace deadzone::geo
