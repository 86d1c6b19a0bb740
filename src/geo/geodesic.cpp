#include <deadzone/geo/geodesic.hpp>

#include <geodesic.h>

#include <cmath>
#include <numbers>

namespace deadzone::geo {

namespace {
const geod_geodesic& wgs84_ellipsoid() {
    static const geod_geodesic g = [] {
        geod_geodesic value{};
        geod_init(&value, 6378137.0, 1.0 / 298.257223563);
        return value;
    }();
    return g;
}

double ring_area(const Ring& ring) {
    if (ring.size() < 4) {
        return 0.0;
    }
    geod_polygon polygon{};
    geod_polygon_init(&polygon, 0);
    // The ring is closed: the last vertex repeats the first and is not added again.
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        geod_polygon_addpoint(&wgs84_ellipsoid(), &polygon, ring[i].y(), ring[i].x());
    }
    double area = 0.0;
    geod_polygon_compute(&wgs84_ellipsoid(), &polygon, 0, 1, &area, nullptr);
    return std::fabs(area);
}
} // namespace

double area_m2(const Ring& ring) { return ring_area(ring); }

double area_m2(const Polygon& polygon) {
    double area = ring_area(polygon.outer());
    for (const auto& inner : polygon.inners()) {
        area -= ring_area(inner);
    }
    return area;
}

double area_m2(const MultiPolygon& multipolygon) {
    double area = 0.0;
    for (const auto& polygon : multipolygon) {
        area += area_m2(polygon);
    }
    return area;
}

Point destination(const Point& from, double azimuth_deg, double distance_m) {
    double lat = 0.0;
    double lon = 0.0;
    geod_direct(&wgs84_ellipsoid(), from.y(), from.x(), azimuth_deg, distance_m, &lat, &lon, nullptr);
    return Point{lon, lat};
}

double distance_m(const Point& a, const Point& b) {
    double s12 = 0.0;
    geod_inverse(&wgs84_ellipsoid(), a.y(), a.x(), b.y(), b.x(), &s12, nullptr, nullptr);
    return s12;
}

double azimuth_deg(const Point& a, const Point& b) {
    double azi1 = 0.0;
    geod_inverse(&wgs84_ellipsoid(), a.y(), a.x(), b.y(), b.x(), nullptr, &azi1, nullptr);
    return azi1 < 0.0 ? azi1 + 360.0 : azi1;
}

Polygon disc(const Point& center, double radius_m, int vertices) {
    // An inscribed regular n-gon has area (n/2) r^2 sin(2 pi / n); scale r so it equals pi r^2.
    const double n = static_cast<double>(vertices);
    const double scale = std::sqrt(2.0 * std::numbers::pi / (n * std::sin(2.0 * std::numbers::pi / n)));
    Polygon polygon;
    auto& ring = polygon.outer();
    ring.reserve(static_cast<std::size_t>(vertices) + 1);
    // Azimuths run clockwise from north; walk them backwards for a counter-clockwise ring.
    for (int i = 0; i < vertices; ++i) {
        const double azimuth = 360.0 - 360.0 * i / n;
        ring.push_back(destination(center, std::fmod(azimuth, 360.0), radius_m * scale));
    }
    ring.push_back(ring.front());
    return polygon;
}

} // namespace deadzone::geo
