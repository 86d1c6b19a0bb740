#include <deadzone/geo/equal_area.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace deadzone::geo {

namespace {

// WGS84, as in geo::geodesic.
constexpr double semi_major_m = 6378137.0;
constexpr double flattening = 1.0 / 298.257223563;
const double e2 = flattening * (2.0 - flattening);
const double e = std::sqrt(e2);

/// Northing of the ellipsoidal cylindrical equal-area projection (Snyder, eq. 3-12, 10-15):
/// y = a q(phi) / 2 with q = (1 - e^2) (sin phi / (1 - e^2 sin^2 phi) + atanh(e sin phi) / e).
double equal_area_y(double lat_deg) {
    const double s = std::sin(lat_deg * std::numbers::pi / 180.0);
    const double q = (1.0 - e2) * (s / (1.0 - e2 * s * s) + std::atanh(e * s) / e);
    return semi_major_m * q / 2.0;
}

constexpr double x_per_degree = semi_major_m * std::numbers::pi / 180.0;

} // namespace

double equal_area_m2(const geo::Ring& ring) {
    if (ring.size() < 4) {
        return 0.0;
    }
    // Shoelace in projected metres, relative to the first vertex so that the products stay small
    // and the sum keeps its precision for tiny rings far from the origin.
    const double x0 = ring.front().x();
    const double y0 = equal_area_y(ring.front().y());
    double twice = 0.0;
    double px = 0.0;
    double py = 0.0;
    for (std::size_t i = 1; i < ring.size(); ++i) {
        const double x = (ring[i].x() - x0) * x_per_degree;
        const double y = equal_area_y(ring[i].y()) - y0;
        twice += px * y - x * py;
        px = x;
        py = y;
    }
    return std::fabs(twice) / 2.0;
}

double equal_area_m2(const geo::Polygon& polygon) {
    double area = equal_area_m2(polygon.outer());
    for (const auto& inner : polygon.inners()) {
        area -= equal_area_m2(inner);
    }
    return std::max(area, 0.0);
}

double equal_area_m2(const geo::MultiPolygon& shape) {
    double area = 0.0;
    for (const auto& polygon : shape) {
        area += equal_area_m2(polygon);
    }
    return area;
}

namespace {

/// Twice the signed shoelace area in square degrees, relative to the first vertex; `lat_max`
/// grows to the ring's largest |latitude|.
double twice_degrees(const geo::Ring& ring, double& lat_max) {
    if (ring.size() < 4) {
        return 0.0;
    }
    const double x0 = ring.front().x();
    const double y0 = ring.front().y();
    double twice = 0.0;
    double px = 0.0;
    double py = 0.0;
    double top = std::fabs(y0);
    for (std::size_t i = 1; i < ring.size(); ++i) {
        const double x = ring[i].x() - x0;
        const double y = ring[i].y() - y0;
        twice += px * y - x * py;
        top = std::max(top, std::fabs(ring[i].y()));
        px = x;
        py = y;
    }
    lat_max = std::max(lat_max, top);
    return twice;
}

} // namespace

bool equal_area_at_least(const geo::Polygon& polygon, double m2) {
    double lat_max = 0.0;
    double degrees2 = std::fabs(twice_degrees(polygon.outer(), lat_max)) / 2.0;
    for (const auto& inner : polygon.inners()) {
        degrees2 -= std::fabs(twice_degrees(inner, lat_max)) / 2.0;
    }
    // The projection's area per square degree at latitude φ is x_per_degree · dy/dφ, with
    // dy/dφ = a (1 − e²) cos φ / (1 − e² sin² φ)² per radian ≥ a (1 − e²) cos φ; least at the
    // polygon's largest |φ|.
    const double least_scale =
        x_per_degree * semi_major_m * (1.0 - e2) * std::cos(lat_max * std::numbers::pi / 180.0) * std::numbers::pi / 180.0;
    if (degrees2 > 0.0 && least_scale > 0.0 && degrees2 * least_scale >= 4.0 * m2) {
        return true;
    }
    return equal_area_m2(polygon) >= m2;
}

} // namespace deadzone::geo
