// model internals: fast geodesics from one site on the WGS84 ellipsoid, for placing hundreds of
// thousands of footprint vertices (PROJ's geod_direct costs ~1 us a call; this ~0.1 us).
#pragma once

#include <deadzone/geo/types.hpp>

namespace deadzone::model::detail {

/// Destinations from one site, by integrating the geodesic equations on the ellipsoid
///   dphi/ds = cos(a)/M, dlambda/ds = sin(a)/(N cos(phi)), da/ds = sin(a) tan(phi)/N
/// with classical Runge-Kutta (one step per 35 km). Agrees with geod_direct to < 1 mm up to
/// 50 km and < 1 cm up to 500 km (tests/unit/model/test_local_geodesic.cpp). Longitudes are
/// not wrapped at the antimeridian; not meant for sites within 1 degree of a pole.
class SiteGeodesics {
public:
    explicit SiteGeodesics(const geo::Point& site);
    /// The point `distance_m` from the site along azimuth `azimuth_deg` (clockwise from north).
    geo::Point destination(double azimuth_deg, double distance_m) const;

    struct State;

private:
    State derivative(const State& y) const;

    double m_lon_rad;
    double m_lat_rad;
    double m_sin_lat;
    double m_cos_lat;
};

/// Ellipsoidal area (m^2) of a small lon/lat polygon, by Green's theorem with the authalic
/// function and the trapezoid rule along each edge (~50 ns a vertex, geod_polygon ~2 us): within
/// 1e-6 of PROJ's geodesic area for footprint-sized polygons. Holes are subtracted.
double polygon_area_m2(const geo::Polygon& polygon);

} // namespace deadzone::model::detail
