// The fast site geodesics and lon/lat polygon area used for footprints agree with PROJ's
// geodesic routines (geod_direct, geod_polygon) to well under the footprint tolerances.
#include "../../../src/model/local_geodesic.hpp"

#include <deadzone/geo/geodesic.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

using namespace deadzone;

TEST_CASE("site geodesics match geod_direct") {
    for (double lat : {-30.0, 0.0, 10.5, 21.0, 45.0, 60.0, 75.0}) {
        const geo::Point site{105.8, lat};
        const model::detail::SiteGeodesics geodesics(site);
        for (double azimuth = 0.0; azimuth < 360.0; azimuth += 7.5) {
            for (double distance : {1.0, 850.0, 12000.0, 35000.0, 50000.0, 200000.0, 500000.0}) {
                CAPTURE(lat);
                CAPTURE(azimuth);
                CAPTURE(distance);
                const auto fast = geodesics.destination(azimuth, distance);
                const auto exact = geo::destination(site, azimuth, distance);
                const double error_m = geo::distance_m(fast, exact);
                CHECK(error_m < (distance <= 50000.0 ? 1e-3 : 1e-2));
            }
        }
    }
}

TEST_CASE("lon/lat polygon area matches the geodesic area") {
    for (double lat : {0.0, 21.0, 45.0, 60.0}) {
        CAPTURE(lat);
        const geo::Point site{105.8, lat};
        for (double radius : {500.0, 5000.0, 35000.0}) {
            const auto disc = geo::disc(site, radius, 128);
            const double geodesic = geo::area_m2(disc);
            CHECK(std::fabs(model::detail::polygon_area_m2(disc) - geodesic) / geodesic < 1e-6);
            CHECK(geodesic == doctest::Approx(std::numbers::pi * radius * radius).epsilon(1e-4));
        }
    }
    // A 1 x 1 degree cell at the equator: 2 * (F(1 deg) - F(0)) over 1 degree of longitude
    // = 12 308 778 361 m^2 (GeographicLib Planimeter, rhumb edges along the parallels... the
    // geodesic value differs by the parallels' bulge, so compare with geod_polygon loosely).
    geo::Polygon square;
    square.outer() = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};
    CHECK(model::detail::polygon_area_m2(square) == doctest::Approx(geo::area_m2(square)).epsilon(1e-4));
}
