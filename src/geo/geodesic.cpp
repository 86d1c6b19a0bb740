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

namespace {

// GeographicLib's longitude reduction to [-180, 180] (as geod_direct applies to its result).
double normalize_lon(double x) {
    const double y = std::remainder(x, 360.0);
    return std::fabs(y) == 180.0 ? std::copysign(180.0, x) : y;
}

} // namespace

Polygon disc(const Point& center, double radius_m, int vertices) {
    // An inscribed regular n-gon has area (n/2) r^2 sin(2 pi / n); scale r so it equals pi r^2.
    const double n = static_cast<double>(vertices);
    const double scale = std::sqrt(2.0 * std::numbers::pi / (n * std::sin(2.0 * std::numbers::pi / n)));
    const double reach = radius_m * scale;
    // Azimuths run clockwise from north; walk them backwards for a counter-clockwise ring.
    const auto azimuth = [n](int i) { return std::fmod(360.0 - 360.0 * i / n, 360.0); };
    Polygon polygon;
    auto& ring = polygon.outer();
    ring.resize(static_cast<std::size_t>(vertices));
    // A geodesic circle is symmetric about its centre's meridian, and geod_direct is exactly so:
    // azimuth −α gives the same latitude and the mirrored longitude offset, bit for bit (the
    // unit test checks it against one geod_direct per vertex). Vertices i and n − i have mirrored
    // azimuths, so one solution, from longitude 0, gives both: half the geod_direct calls, which
    // are most of a national run's footprint time.
    const double lon0 = normalize_lon(center.x());
    for (int i = 0; 2 * i <= vertices; ++i) {
        const int j = (vertices - i) % vertices; // i's mirror (i itself for 0 and n / 2)
        const double a = azimuth(i);
        const double b = azimuth(j);
        auto& at_i = ring[static_cast<std::size_t>(i)];
        auto& at_j = ring[static_cast<std::size_t>(j)];
        if (j == i || std::remainder(a, 360.0) != -std::remainder(b, 360.0)) { // not mirrored exactly
            at_i = destination(center, a, reach);
            if (j != i) at_j = destination(center, b, reach);
            continue;
        }
        double lat = 0.0;
        double offset = 0.0;
        geod_direct(&wgs84_ellipsoid(), center.y(), 0.0, a, reach, &lat, &offset, nullptr);
        at_i = Point{normalize_lon(lon0 + offset), lat};
        at_j = Point{normalize_lon(lon0 - offset), lat};
    }
    ring.push_back(ring.front());
    return polygon;
}

} // namespace deadzone::geo
