#include "local_geodesic.hpp"

#include <cmath>
#include <numbers>

namespace deadzone::model::detail {

namespace {

constexpr double a_m = 6378137.0;
constexpr double flattening = 1.0 / 298.257223563;
constexpr double e2 = flattening * (2.0 - flattening);
constexpr double deg = std::numbers::pi / 180.0;
constexpr double max_step_m = 35000.0;

// The authalic function F(phi) = integral from 0 to phi of M N cos: the area under a lon/lat
// curve down to the equator is the integral of F d(lambda).
double authalic(double lat) {
    const double e = std::sqrt(e2);
    const double s = std::sin(lat);
    const double b2 = a_m * a_m * (1.0 - e2);
    return b2 / 2.0 * (s / (1.0 - e2 * s * s) + std::atanh(e * s) / e);
}

double ring_area_m2(const geo::Ring& ring) {
    if (ring.size() < 4) {
        return 0.0;
    }
    // A = closed integral of (F(phi) - F(phi0)) dlambda; subtracting F(phi0) keeps the terms
    // small (no cancellation), and the trapezoid rule in lambda is exact to O(edge^2).
    const double f0 = authalic(ring.front().y() * deg);
    double sum = 0.0;
    double prev_f = 0.0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const double f = authalic(ring[i].y() * deg) - f0;
        if (i > 0) {
            sum += (f + prev_f) / 2.0 * (ring[i].x() - ring[i - 1].x()) * deg;
        }
        prev_f = f;
    }
    return std::fabs(sum);
}

} // namespace

// Along the geodesic the azimuth is carried as its cosine and sine (their derivatives need no
// trigonometry), and the latitude's sine and cosine come from the site's by the angle-addition
// formulas with short series (|delta| < 0.01 rad): no transcendental call per stage.
struct SiteGeodesics::State {
    double lat;
    double lon;
    double cos_az;
    double sin_az;
};

namespace {
using State = SiteGeodesics::State;

State advance(const State& y, const State& d, double h) {
    return State{y.lat + h * d.lat, y.lon + h * d.lon, y.cos_az + h * d.cos_az, y.sin_az + h * d.sin_az};
}
} // namespace

SiteGeodesics::SiteGeodesics(const geo::Point& site)
    : m_lon_rad(site.x() * deg), m_lat_rad(site.y() * deg), m_sin_lat(std::sin(m_lat_rad)),
      m_cos_lat(std::cos(m_lat_rad)) {}

State SiteGeodesics::derivative(const State& y) const {
    const double delta = y.lat - m_lat_rad;
    double sin_lat = 0.0;
    double cos_lat = 0.0;
    if (std::fabs(delta) < 0.01) {
        const double d2 = delta * delta;
        const double sin_d = delta * (1.0 - d2 / 6.0 * (1.0 - d2 / 20.0 * (1.0 - d2 / 42.0)));
        const double cos_d = 1.0 - d2 / 2.0 * (1.0 - d2 / 12.0 * (1.0 - d2 / 30.0));
        sin_lat = m_sin_lat * cos_d + m_cos_lat * sin_d;
        cos_lat = m_cos_lat * cos_d - m_sin_lat * sin_d;
    } else {
        sin_lat = std::sin(y.lat);
        cos_lat = std::cos(y.lat);
    }
    const double w2 = 1.0 - e2 * sin_lat * sin_lat;
    const double w = std::sqrt(w2);
    const double inv_n = w / a_m;
    const double inv_m = w2 * w / (a_m * (1.0 - e2));
    const double turn = y.sin_az * sin_lat / cos_lat * inv_n; // d(azimuth)/ds
    return State{y.cos_az * inv_m, y.sin_az * inv_n / cos_lat, -y.sin_az * turn, y.cos_az * turn};
}

geo::Point SiteGeodesics::destination(double azimuth_deg, double distance_m) const {
    const int steps = std::max(1, static_cast<int>(std::ceil(distance_m / max_step_m)));
    const double h = distance_m / steps;
    const double azimuth = azimuth_deg * deg;
    State y{m_lat_rad, m_lon_rad, std::cos(azimuth), std::sin(azimuth)};
    for (int i = 0; i < steps; ++i) {
        const State k1 = derivative(y);
        const State k2 = derivative(advance(y, k1, h / 2.0));
        const State k3 = derivative(advance(y, k2, h / 2.0));
        const State k4 = derivative(advance(y, k3, h));
        y.lat += h / 6.0 * (k1.lat + 2.0 * k2.lat + 2.0 * k3.lat + k4.lat);
        y.lon += h / 6.0 * (k1.lon + 2.0 * k2.lon + 2.0 * k3.lon + k4.lon);
        y.cos_az += h / 6.0 * (k1.cos_az + 2.0 * k2.cos_az + 2.0 * k3.cos_az + k4.cos_az);
        y.sin_az += h / 6.0 * (k1.sin_az + 2.0 * k2.sin_az + 2.0 * k3.sin_az + k4.sin_az);
    }
    return geo::Point{y.lon / deg, y.lat / deg};
}

double polygon_area_m2(const geo::Polygon& polygon) {
    double area = ring_area_m2(polygon.outer());
    for (const auto& inner : polygon.inners()) {
        area -= ring_area_m2(inner);
    }
    return area;
}

} // namespace deadzone::model::detail
