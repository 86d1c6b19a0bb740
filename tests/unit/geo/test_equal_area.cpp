// geo::equal_area_at_least: the same answer as equal_area_m2(polygon) >= m2, on hand-made and
// random polygons around the threshold (the overlay's sliver test, 0.01 m²).
#include <deadzone/geo/equal_area.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>

using namespace deadzone::geo;

namespace {

/// A rectangle of `width` × `height` degrees at (lon, lat), counter-clockwise, closed.
Ring rectangle(double lon, double lat, double width, double height) {
    return Ring{{lon, lat}, {lon + width, lat}, {lon + width, lat + height}, {lon, lat + height}, {lon, lat}};
}

} // namespace

TEST_CASE("equal_area_at_least: a 1 km square, a 1e-8 degree sliver, a hole that leaves a sliver") {
    Polygon big;
    big.outer() = rectangle(105.0, 21.0, 0.01, 0.01); // about 1.1 km²
    CHECK(equal_area_at_least(big, 0.01));
    CHECK(equal_area_at_least(big, 1.0e6));
    CHECK_FALSE(equal_area_at_least(big, 2.0e6));

    Polygon sliver;
    sliver.outer() = rectangle(105.0, 21.0, 0.01, 1e-9); // about 1.1 km × 0.1 mm = 0.12 m²
    CHECK(equal_area_at_least(sliver, 0.01));
    sliver.outer() = rectangle(105.0, 21.0, 0.01, 5e-11); // 0.006 m²
    CHECK_FALSE(equal_area_at_least(sliver, 0.01));

    Polygon holed;
    holed.outer() = rectangle(105.0, 21.0, 0.01, 0.01);
    holed.inners().push_back(rectangle(105.0, 21.0 + 2e-11, 0.01, 0.01 - 2e-11));
    holed.inners().back() = Ring(holed.inners().back().rbegin(), holed.inners().back().rend());
    CHECK(equal_area_at_least(holed, 0.01) == (equal_area_m2(holed) >= 0.01));

    Polygon polar;
    polar.outer() = rectangle(10.0, 89.999, 0.001, 0.001);
    CHECK(equal_area_at_least(polar, 0.01) == (equal_area_m2(polar) >= 0.01));
}

TEST_CASE("equal_area_at_least agrees with equal_area_m2 on random polygons of every size") {
    std::mt19937_64 random(1202);
    std::uniform_real_distribution<double> lon(-179.0, 179.0);
    std::uniform_real_distribution<double> lat(-89.5, 89.5);
    std::uniform_real_distribution<double> log_size(std::log(1e-12), std::log(1.0));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    int fast = 0;
    int near = 0;
    for (int k = 0; k < 20000; ++k) {
        const double x = lon(random);
        const double y = lat(random);
        const double w = std::exp(log_size(random));
        const double h = std::exp(log_size(random));
        // A random star polygon inside the w × h box: 3 to 40 vertices.
        const int n = 3 + static_cast<int>(unit(random) * 38.0);
        Polygon polygon;
        for (int i = 0; i < n; ++i) {
            const double angle = 2.0 * std::numbers::pi * i / n;
            const double r = 0.2 + 0.8 * unit(random);
            polygon.outer().push_back(Point{x + w * (0.5 + 0.5 * r * std::cos(angle)),
                                            std::min(89.9, y + h * (0.5 + 0.5 * r * std::sin(angle)))});
        }
        polygon.outer().push_back(polygon.outer().front());
        for (const double m2 : {0.01, 1.0, 1e4}) {
            const double exact = equal_area_m2(polygon);
            CAPTURE(exact);
            CHECK(equal_area_at_least(polygon, m2) == (exact >= m2));
            near += (exact >= m2 / 4 && exact <= 16 * m2) ? 1 : 0;
            fast += exact >= 16 * m2 ? 1 : 0;
        }
    }
    CHECK(near > 1000); // the threshold's neighbourhood was visited
    CHECK(fast > 10000);
}
