#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/geodesic.hpp>

#include <boost/geometry/algorithms/equals.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>
#include <doctest/doctest.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <random>
#include <vector>

using namespace deadzone::geo;

namespace {

// Area of the graticule cell [lon0, lon1] x [lat0, lat1] on the WGS84 ellipsoid, from the
// authalic-latitude formula (independent of PROJ's geodesic code).
double graticule_area_m2(double lon0, double lon1, double lat0, double lat1) {
    const double a = 6378137.0;
    const double f = 1.0 / 298.257223563;
    const double e2 = f * (2.0 - f);
    const double e = std::sqrt(e2);
    auto q = [&](double lat_deg) {
        const double s = std::sin(lat_deg * std::numbers::pi / 180.0);
        return s / (1.0 - e2 * s * s) + std::log((1.0 + e * s) / (1.0 - e * s)) / (2.0 * e);
    };
    const double dlon = (lon1 - lon0) * std::numbers::pi / 180.0;
    return a * a * (1.0 - e2) / 2.0 * dlon * (q(lat1) - q(lat0));
}

// A graticule cell as a ring, with its parallels densified so geodesic edges follow them.
Polygon cell(double lon0, double lon1, double lat0, double lat1) {
    Polygon p;
    const int steps = 400;
    for (int i = 0; i <= steps; ++i) p.outer().emplace_back(lon0 + (lon1 - lon0) * i / steps, lat0);
    for (int i = 0; i <= steps; ++i) p.outer().emplace_back(lon1 - (lon1 - lon0) * i / steps, lat1);
    p.outer().push_back(p.outer().front());
    return p;
}

} // namespace

TEST_CASE("geodesic area of graticule cells matches the authalic formula at 0, 45 and 60 degrees") {
    for (double lat : {0.0, 45.0, 60.0}) {
        CAPTURE(lat);
        const double expected = graticule_area_m2(105.0, 105.1, lat, lat + 0.1);
        CHECK(area_m2(cell(105.0, 105.1, lat, lat + 0.1)) == doctest::Approx(expected).epsilon(1e-6));
    }
    // The 1 deg x 1 deg cell at the equator is ~12 308 km2 (the authalic sphere would say ~12 364).
    CHECK(area_m2(cell(0, 1, 0, 1)) / 1e6 == doctest::Approx(12308.5).epsilon(1e-5));
}

TEST_CASE("holes are subtracted and orientation does not matter") {
    Polygon p = cell(105.0, 105.1, 20.0, 20.1);
    Polygon hole = cell(105.02, 105.04, 20.02, 20.04);
    std::reverse(hole.outer().begin(), hole.outer().end());
    p.inners().push_back(hole.outer());
    const double expected = graticule_area_m2(105.0, 105.1, 20.0, 20.1) - graticule_area_m2(105.02, 105.04, 20.02, 20.04);
    CHECK(area_m2(p) == doctest::Approx(expected).epsilon(1e-6));
}

TEST_CASE("destination, distance and azimuth agree") {
    const Point hanoi{105.8542, 21.0285};
    const Point p = destination(hanoi, 60.0, 12345.0);
    CHECK(distance_m(hanoi, p) == doctest::Approx(12345.0).epsilon(1e-9));
    CHECK(azimuth_deg(hanoi, p) == doctest::Approx(60.0).epsilon(1e-9));
    // One degree of meridian at 21 N: M = a(1-e2)/(1-e2 sin2 21)^1.5 * pi/180 = 110 716.9 m
    // (a sphere would give 111 195 m).
    CHECK(distance_m(Point{105.0, 20.5}, Point{105.0, 21.5}) == doctest::Approx(110716.9).epsilon(2e-6));
}

TEST_CASE("a geodesic disc has the circle's area, is valid and counter-clockwise") {
    for (double lat : {0.0, 45.0, 60.0}) {
        CAPTURE(lat);
        const Polygon d = disc(Point{105.0, lat}, 5000.0, 64);
        CHECK(boost::geometry::is_valid(d));
        CHECK(area_m2(d) == doctest::Approx(std::numbers::pi * 5000.0 * 5000.0).epsilon(5e-4));
        double twice = 0.0;
        for (std::size_t i = 0; i + 1 < d.outer().size(); ++i) {
            twice += d.outer()[i].x() * d.outer()[i + 1].y() - d.outer()[i + 1].x() * d.outer()[i].y();
        }
        CHECK(twice > 0.0);
    }
}

TEST_CASE("a disc's vertices are geod_direct's to 1e-12 degrees, and mirrored bit for bit") {
    // disc() solves one geodesic per pair of vertices with mirrored azimuths, or (most discs:
    // more than 16 vertices, reach under a fiftieth of the way to the pole) 9 geodesics and a
    // cosine and a sine series for the rest. Every vertex must be within 1e-12 degrees (0.1 µm)
    // of what destination() (one geod_direct each) gives; the sampled azimuths, and every vertex
    // of a disc the series does not serve, exactly so.
    const std::vector<Point> centres{{105.8542, 21.0285}, {102.1, 8.5}, {-73.9, 40.7}, {179.99, -16.5},
                                     {-179.995, 65.0}, {12.5, 89.5}, {0.0, 0.0}, {109.46, -0.001}};
    int served = 0;
    for (const auto& centre : centres) {
        for (const double radius : {1.0, 500.0, 4321.5, 35000.0, 150000.0, 199999.0}) {
            for (const int vertices : {3, 7, 16, 17, 64, 90, 128}) {
                CAPTURE(centre.x());
                CAPTURE(centre.y());
                CAPTURE(radius);
                CAPTURE(vertices);
                const Polygon d = disc(centre, radius, vertices);
                REQUIRE(d.outer().size() == static_cast<std::size_t>(vertices) + 1);
                const double n = vertices;
                const double scale = std::sqrt(2.0 * std::numbers::pi / (n * std::sin(2.0 * std::numbers::pi / n)));
                const double reach = radius * scale;
                const bool series = vertices > 16 && reach <= (90.0 - std::fabs(centre.y())) * 110000.0 / 50.0;
                served += series ? 1 : 0;
                for (int i = 0; i < vertices; ++i) {
                    CAPTURE(i);
                    const Point expected = destination(centre, std::fmod(360.0 - 360.0 * i / n, 360.0), reach);
                    const Point& got = d.outer()[static_cast<std::size_t>(i)];
                    if (!series || (16 * i) % vertices == 0) {
                        CHECK(std::memcmp(&got, &expected, sizeof(Point)) == 0);
                    } else {
                        CHECK(std::fabs(got.y() - expected.y()) <= 1e-12);
                        CHECK(std::fabs(std::remainder(got.x() - expected.x(), 360.0)) <= 1e-12);
                    }
                    const Point& mirror = d.outer()[static_cast<std::size_t>((vertices - i) % vertices)];
                    if (series) CHECK(std::memcmp(&got.y(), &mirror.y(), sizeof(double)) == 0);
                }
                CHECK(boost::geometry::equals(d.outer().front(), d.outer().back()));
            }
        }
    }
    CHECK(served > 100); // both routes are exercised
}

TEST_CASE("disc vertices by the series stay within 1e-12 degrees of geod_direct on random centres") {
    std::mt19937_64 random(20221202);
    std::uniform_real_distribution<double> lon(-180.0, 180.0);
    std::uniform_real_distribution<double> lat(-89.9, 89.9);
    std::uniform_real_distribution<double> log_radius(0.0, std::log(200000.0));
    double worst = 0.0;
    for (int k = 0; k < 2000; ++k) {
        const Point centre{lon(random), lat(random)};
        const double radius = std::exp(log_radius(random));
        const Polygon d = disc(centre, radius, 128);
        const double scale = std::sqrt(2.0 * std::numbers::pi / (128.0 * std::sin(2.0 * std::numbers::pi / 128.0)));
        for (int i = 0; i < 128; ++i) {
            const Point expected = destination(centre, std::fmod(360.0 - 360.0 * i / 128.0, 360.0), radius * scale);
            const Point& got = d.outer()[static_cast<std::size_t>(i)];
            worst = std::max({worst, std::fabs(got.y() - expected.y()),
                              std::fabs(std::remainder(got.x() - expected.x(), 360.0)) *
                                  std::cos(got.y() * std::numbers::pi / 180.0)});
        }
    }
    CAPTURE(worst);
    CHECK(worst <= 1e-12);
}

TEST_CASE("OGR polygons convert with RFC 7946 orientation both ways") {
    ensure_gdal();
    OGRGeometry* raw = nullptr;
    // Clockwise exterior and counter-clockwise hole: the opposite of what deadzone keeps.
    const char* wkt = "POLYGON ((0 0,0 10,10 10,10 0,0 0),(2 2,4 2,4 4,2 4,2 2))";
    REQUIRE(OGRGeometryFactory::createFromWkt(wkt, nullptr, &raw) == OGRERR_NONE);
    GeometryPtr geometry{raw};
    const MultiPolygon mp = to_multipolygon(*geometry);
    REQUIRE(mp.size() == 1);
    REQUIRE(mp[0].inners().size() == 1);
    CHECK(boost::geometry::is_valid(mp));
    auto back = to_ogr(mp);
    CHECK(back->toMultiPolygon()->getNumGeometries() == 1);
    CHECK(back->toMultiPolygon()->getGeometryRef(0)->getExteriorRing()->isClockwise() == FALSE);
    CHECK(back->toMultiPolygon()->getGeometryRef(0)->getInteriorRing(0)->isClockwise() == TRUE);
}
