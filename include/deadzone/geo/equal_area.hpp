// Areas of lon/lat shapes in the ellipsoidal Lambert cylindrical equal-area projection (WGS84,
// authalic latitude): exact equal-area, and ~20x cheaper per vertex than geodesic edge sums.
#pragma once

#include <deadzone/geo/types.hpp>

namespace deadzone::geo {

/// Area in m^2 of a lon/lat shape, measured in the ellipsoidal cylindrical equal-area projection.
/// The projection is exactly equal-area, so the only departure from geo::area_m2 (geodesic
/// edges) is that edges are straight in the projection: with the dense vertices of villages and
/// footprints (edges of tens to hundreds of metres) the relative difference is below 1e-7.
/// Written out here rather than through proj_trans because the overlay measures millions of
/// clipped pieces and PROJ's per-call cost would dominate. Rings must not cross the
/// antimeridian. Holes are subtracted; orientation does not matter.
double equal_area_m2(const Ring& ring);
double equal_area_m2(const Polygon& polygon);
double equal_area_m2(const MultiPolygon& shape);

/// Whether equal_area_m2(polygon) >= m2, the same answer, mostly without the projection: a
/// polygon whose shoelace area in square degrees times the projection's least scale over its
/// latitudes is four times `m2` or more is large enough (the straight edges' departure is far
/// below that factor); any other polygon is measured. The overlay's sliver test asks this of
/// every polygon each set operation returns, nearly all of them far above 0.01 m².
bool equal_area_at_least(const Polygon& polygon, double m2);

} // namespace deadzone::geo
