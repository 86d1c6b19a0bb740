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

} // namespace deadzone::geo
