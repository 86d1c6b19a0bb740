#include <deadzone/geo/geodesic.hpp>

#include <geodesic.h>

#include <array>
#include <cmath>
#include <cstddef>
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

// The geodesic circle of radius s about a centre, as a function of the azimuth θ, is smooth and
// periodic: its latitude offset is even in θ, its longitude offset odd (the mirror above). Its
// k-th harmonic comes from the terms of degree ≥ k of the offset's expansion in s, so it shrinks
// like s·(s/d)^(k−1), d the distance to the nearest pole (where the longitude offset blows up).
// So 2·harmonics equally spaced exact solutions (harmonics + 1 of them, by the mirror) give every
// other vertex by a cosine and a sine series, to about s·(s/d)^harmonics: with 8 harmonics and
// s ≤ d / 50, under 1e-8 m (a rounding of the degrees is 4e-10 m). docs/model.md, "Footprint
// discs", has the measurements; the unit test checks every vertex against geod_direct.
constexpr int harmonics = 8;
constexpr double max_reach_share = 1.0 / 50.0; // of the distance to the nearest pole
constexpr double metres_per_degree = 110000.0;   // below the meridian's 110 574 m at the equator

struct Series {
    std::array<std::array<double, harmonics + 1>, harmonics + 1> cosines{}; // cos(m k π / K)
    std::array<std::array<double, harmonics + 1>, harmonics + 1> sines{};   // sin(m k π / K)
};

const Series& series() {
    static const Series table = [] {
        Series t;
        for (int m = 0; m <= harmonics; ++m) {
            for (int k = 0; k <= harmonics; ++k) {
                const double angle = std::numbers::pi * m * k / harmonics;
                t.cosines[static_cast<std::size_t>(m)][static_cast<std::size_t>(k)] = std::cos(angle);
                t.sines[static_cast<std::size_t>(m)][static_cast<std::size_t>(k)] = std::sin(angle);
            }
        }
        return t;
    }();
    return table;
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
    // azimuth −α gives the same latitude and the mirrored longitude offset, bit for bit. Vertices
    // i and n − i have mirrored azimuths, so one offset (from longitude 0) places both.
    const double lon0 = normalize_lon(center.x());
    const double lat0 = center.y();
    const auto place = [&](int i, double lat, double offset) {
        const int j = (vertices - i) % vertices; // i's mirror (i itself for 0 and n / 2)
        ring[static_cast<std::size_t>(i)] = Point{normalize_lon(lon0 + offset), lat};
        if (j != i) ring[static_cast<std::size_t>(j)] = Point{normalize_lon(lon0 - offset), lat};
    };
    const double to_pole_m = (90.0 - std::fabs(lat0)) * metres_per_degree;
    if (vertices > 2 * harmonics && reach <= max_reach_share * to_pole_m) {
        // geod_direct at the azimuths k·180°/K (westwards, as vertex i's), then the series.
        std::array<double, harmonics + 1> north{}; // latitude offsets (exact unless near the equator)
        std::array<double, harmonics + 1> east{};  // longitude offsets
        std::array<double, harmonics + 1> lats{};
        for (int k = 0; k <= harmonics; ++k) {
            const auto at = static_cast<std::size_t>(k);
            geod_direct(&wgs84_ellipsoid(), lat0, 0.0, std::fmod(360.0 - 180.0 * k / harmonics, 360.0), reach,
                        &lats[at], &east[at], nullptr);
            north[at] = lats[at] - lat0;
        }
        // Discrete cosine and sine transforms (type I) of the samples.
        const auto& table = series();
        std::array<double, harmonics + 1> a{};
        std::array<double, harmonics + 1> b{};
        for (int m = 0; m <= harmonics; ++m) {
            const auto& c = table.cosines[static_cast<std::size_t>(m)];
            const auto& s = table.sines[static_cast<std::size_t>(m)];
            double sum_a = 0.5 * (north[0] + c[harmonics] * north[harmonics]);
            double sum_b = 0.0;
            for (int k = 1; k < harmonics; ++k) {
                sum_a += north[static_cast<std::size_t>(k)] * c[static_cast<std::size_t>(k)];
                sum_b += east[static_cast<std::size_t>(k)] * s[static_cast<std::size_t>(k)];
            }
            a[static_cast<std::size_t>(m)] = sum_a * (2.0 / harmonics);
            b[static_cast<std::size_t>(m)] = sum_b * (2.0 / harmonics);
        }
        a[0] *= 0.5;
        a[harmonics] *= 0.5;
        b[harmonics] = 0.0; // sin(K θ) vanishes at every sample: the series stops at K − 1
        for (int i = 0; 2 * i <= vertices; ++i) {
            if ((2 * harmonics * i) % vertices == 0) { // a sampled azimuth: geod_direct's own bits
                const auto k = static_cast<std::size_t>(2 * harmonics * i / vertices);
                place(i, lats[k], east[k]);
                continue;
            }
            // Clenshaw's sums of Σ a_m cos(mθ) and Σ b_m sin(mθ), θ = 2πi/n.
            const double theta = 2.0 * std::numbers::pi * i / n;
            const double c = std::cos(theta);
            const double twice = 2.0 * c;
            double a1 = 0.0;
            double a2 = 0.0;
            double b1 = 0.0;
            double b2 = 0.0;
            for (int m = harmonics; m >= 1; --m) {
                const double a0 = a[static_cast<std::size_t>(m)] + twice * a1 - a2;
                a2 = a1;
                a1 = a0;
                const double b0 = b[static_cast<std::size_t>(m)] + twice * b1 - b2;
                b2 = b1;
                b1 = b0;
            }
            place(i, lat0 + (a[0] + c * a1 - a2), std::sin(theta) * b1);
        }
    } else {
        // Small polygons, long reaches or near a pole: one geod_direct per mirrored pair.
        for (int i = 0; 2 * i <= vertices; ++i) {
            const int j = (vertices - i) % vertices;
            const double a = azimuth(i);
            const double b = azimuth(j);
            if (j == i || std::remainder(a, 360.0) != -std::remainder(b, 360.0)) { // not mirrored exactly
                ring[static_cast<std::size_t>(i)] = destination(center, a, reach);
                if (j != i) ring[static_cast<std::size_t>(j)] = destination(center, b, reach);
                continue;
            }
            double lat = 0.0;
            double offset = 0.0;
            geod_direct(&wgs84_ellipsoid(), lat0, 0.0, a, reach, &lat, &offset, nullptr);
            place(i, lat, offset);
        }
    }
    ring.push_back(ring.front());
    return polygon;
}

} // namespace deadzone::geo
