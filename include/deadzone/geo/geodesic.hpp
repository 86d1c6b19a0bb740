// Geodesic computations on the WGS84 ellipsoid through PROJ's geodesic routines
// (Karney's algorithms): areas of lon/lat polygons, destination points, distances.
#pragma once

#include <deadzone/geo/types.hpp>

namespace deadzone::geo {

/// Geodesic area in m^2 of a ring/polygon/multipolygon whose vertices are WGS84 lon/lat.
/// Edges are taken as geodesics; holes are subtracted. Orientation does not matter.
double area_m2(const Ring& ring);
double area_m2(const Polygon& polygon);
double area_m2(const MultiPolygon& multipolygon);

/// The point reached from `from` after `distance_m` along azimuth `azimuth_deg` (clockwise
/// from north).
Point destination(const Point& from, double azimuth_deg, double distance_m);

/// Geodesic distance in metres.
double distance_m(const Point& a, const Point& b);

/// Initial azimuth (degrees clockwise from north, in [0, 360)) from a to b.
double azimuth_deg(const Point& a, const Point& b);

/// A geodesic disc: `vertices` points at `radius_m` from `center`, counter-clockwise, with the
/// radius scaled so the polygon's area equals the circle's.
Polygon disc(const Point& center, double radius_m, int vertices = 128);

} // namespace deadzone::geo
