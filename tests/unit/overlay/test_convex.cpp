// The convex fast paths of the overlay (src/overlay/geometry.hpp): is_convex, covered_by_convex and
// fit_convex on hand-made rings and against Boost on random villages and discs.
#include "fixtures.hpp"

#include "../../../src/overlay/geometry.hpp"

#include <deadzone/geo/geodesic.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

using namespace deadzone;
namespace bg = boost::geometry;
namespace detail = deadzone::overlay::detail;

namespace {

geo::MultiPolygon shape(std::initializer_list<std::pair<double, double>> points) {
    geo::Polygon polygon;
    for (const auto& [x, y] : points) {
        polygon.outer().emplace_back(x, y);
    }
    return geo::MultiPolygon{polygon};
}

/// A star-shaped (often not convex) village of 12 counter-clockwise vertices, `near_m` to
/// `near_m + spread_m` from a middle that lies up to `reach_m` from `centre`.
geo::Polygon star_village(std::mt19937_64& random, std::uniform_real_distribution<double>& unit,
                          const geo::Point& centre, double reach_m, double near_m, double spread_m) {
    const geo::Point middle = geo::destination(centre, 360.0 * unit(random), reach_m * unit(random));
    geo::Polygon village;
    for (int k = 0; k < 12; ++k) {
        village.outer().push_back(geo::destination(middle, -30.0 * k, near_m + spread_m * unit(random)));
    }
    village.outer().push_back(village.outer().front());
    return village;
}

} // namespace

TEST_CASE("is_convex: discs and squares yes; L shapes, holes, stars, several parts no") {
    CHECK(detail::is_convex(shape({{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}})));      // clockwise
    CHECK(detail::is_convex(shape({{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}})));      // counter-clockwise
    CHECK(detail::is_convex(shape({{0, 0}, {0, 1}, {0, 2}, {2, 2}, {2, 0}, {0, 0}}))); // collinear vertex
    CHECK(detail::is_convex(geo::MultiPolygon{geo::disc(geo::Point{105.0, 21.0}, 2000.0, 128)}));
    CHECK_FALSE(detail::is_convex(shape({{0, 0}, {0, 2}, {1, 2}, {1, 1}, {2, 1}, {2, 0}, {0, 0}}))); // L
    // A pentagram turns the same way at every vertex but winds twice.
    geo::MultiPolygon star{geo::Polygon{}};
    for (int k = 0; k <= 5; ++k) {
        const double angle = std::numbers::pi / 2 - k * 4 * std::numbers::pi / 5;
        star.front().outer().emplace_back(std::cos(angle), std::sin(angle));
    }
    star.front().outer().back() = star.front().outer().front();
    CHECK_FALSE(detail::is_convex(star));
    auto holed = shape({{0, 0}, {0, 3}, {3, 3}, {3, 0}, {0, 0}});
    holed.front().inners().push_back(geo::Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}});
    CHECK_FALSE(detail::is_convex(holed));
    auto two = shape({{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}});
    two.push_back(shape({{5, 0}, {5, 1}, {6, 1}, {6, 0}, {5, 0}}).front());
    CHECK_FALSE(detail::is_convex(two));
    CHECK_FALSE(detail::is_convex(geo::MultiPolygon{}));
}

TEST_CASE("covered_by_convex: boundary included, one vertex out is enough to fail") {
    const auto square = shape({{0, 0}, {0, 4}, {4, 4}, {4, 0}, {0, 0}}).front().outer();
    CHECK(detail::covered_by_convex(shape({{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}), square));
    CHECK(detail::covered_by_convex(shape({{0, 0}, {0, 4}, {4, 4}, {4, 0}, {0, 0}}), square)); // itself
    CHECK(detail::covered_by_convex(shape({{0, 1}, {2, 3}, {4, 1}, {0, 1}}), square)); // on edges
    CHECK_FALSE(detail::covered_by_convex(shape({{1, 1}, {1, 2}, {4.5, 2}, {2, 1}, {1, 1}}), square));
    // A village with a notch still counts by its outer vertices only (holes are inside them).
    auto holed = shape({{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}});
    holed.front().inners().push_back(geo::Ring{{1.5, 1.5}, {2.5, 1.5}, {2.5, 2.5}, {1.5, 2.5}, {1.5, 1.5}});
    CHECK(detail::covered_by_convex(holed, square));
}

TEST_CASE("covered_by_convex agrees with Boost's covered_by on random villages and discs") {
    std::mt19937_64 random(13);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const geo::Point centre{105.8, 21.0};
    const auto disc = geo::disc(centre, 2000.0, 128);
    REQUIRE(detail::is_convex(geo::MultiPolygon{disc}));
    int inside = 0;
    int outside = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        // A star-shaped village of 12 vertices, 150-600 m across, 0-2.3 km from the disc's centre.
        const geo::Polygon village = star_village(random, unit, centre, 2300.0, 150.0, 450.0);
        const geo::MultiPolygon shape{village};
        const bool expected = bg::covered_by(shape, disc);
        CHECK(detail::covered_by_convex(shape, disc.outer()) == expected);
        (expected ? inside : outside) += 1;
    }
    CHECK(inside > 100);
    CHECK(outside > 100);
}

TEST_CASE("clip_to_convex: the same area as Boost's intersection, or leaves the case to it") {
    std::mt19937_64 random(2022);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const geo::Point centre{105.8, 21.0};
    const auto disc = geo::disc(centre, 2000.0, 128);
    int simple = 0;
    int left = 0;
    int apart = 0;
    for (int trial = 0; trial < 3000; ++trial) {
        // Star-shaped (often not convex) villages of 12 vertices, 100-900 m, 0-3 km from the centre.
        const geo::Polygon village = star_village(random, unit, centre, 3000.0, 100.0, 800.0);
        const geo::MultiPolygon shape{village};
        const auto fast = detail::clip_to_convex(shape, disc.outer());
        if (!fast) {
            ++left;
            continue;
        }
        const auto expected = detail::intersection(shape, disc);
        CHECK(bg::is_valid(*fast));
        CHECK(fast->size() == expected.size());
        CHECK(detail::equal_area_m2(*fast) == doctest::Approx(detail::equal_area_m2(expected)).epsilon(1e-9));
        (fast->empty() ? apart : simple) += 1;
    }
    CHECK(simple > 1000); // most cases take the simple construction
    CHECK(apart > 100);
    CHECK(left > 50);     // villages whose boundary crosses the circle 4 times or more

    // A disc inside a village: the disc itself; a village with a hole: left to Boost.
    geo::Polygon big;
    for (int k = 0; k < 12; ++k) {
        big.outer().push_back(geo::destination(centre, -30.0 * k, 5000.0));
    }
    big.outer().push_back(big.outer().front());
    const auto inside = detail::clip_to_convex(geo::MultiPolygon{big}, disc.outer());
    REQUIRE(inside);
    CHECK(detail::equal_area_m2(*inside) == doctest::Approx(detail::equal_area_m2(disc)).epsilon(1e-12));
    big.inners().push_back(geo::Ring{});
    for (int k = 0; k < 12; ++k) {
        big.inners().back().push_back(geo::destination(centre, 30.0 * k, 100.0));
    }
    big.inners().back().push_back(big.inners().back().front());
    CHECK_FALSE(detail::clip_to_convex(geo::MultiPolygon{big}, disc.outer()));
}

TEST_CASE("fit_convex: each verdict what Boost says of the same village and disc") {
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const geo::Point centre{105.8, 21.0};
    const auto disc = geo::disc(centre, 2000.0, 128);
    const geo::MultiPolygon hull{disc};
    REQUIRE(detail::is_convex_ccw(hull));
    const auto hull_box = bg::return_envelope<geo::Box>(hull);
    int covers = 0;
    int clipped = 0;
    int apart = 0;
    int general = 0;
    for (int trial = 0; trial < 4000; ++trial) {
        // Star-shaped villages of 12 vertices, 100-900 m, 0-3.5 km from the centre: inside,
        // across the circle, and outside it with their envelopes still meeting the disc's.
        const geo::Polygon village = star_village(random, unit, centre, 3500.0, 100.0, 800.0);
        const geo::MultiPolygon shape{village};
        const auto box = bg::return_envelope<geo::Box>(shape);
        const bool may_cover = bg::covered_by(box, hull_box);
        const auto fit = detail::fit_convex(shape, disc.outer(), may_cover);
        switch (fit.kind) {
        case detail::ConvexFit::Kind::covers:
            CHECK(bg::covered_by(shape, disc));
            ++covers;
            break;
        case detail::ConvexFit::Kind::apart:
            CHECK_FALSE(bg::intersects(shape, disc));
            CHECK(fit.part.empty());
            ++apart;
            break;
        case detail::ConvexFit::Kind::clipped: {
            CHECK_FALSE((may_cover && bg::covered_by(shape, disc)));
            const auto expected = detail::intersection(shape, disc);
            CHECK(detail::equal_area_m2(fit.part) == doctest::Approx(detail::equal_area_m2(expected)).epsilon(1e-9));
            ++clipped;
            break;
        }
        case detail::ConvexFit::Kind::general:
            CHECK_FALSE((may_cover && bg::covered_by(shape, disc)));
            ++general;
            break;
        }
        // The same answers as the two older entry points, one after the other.
        if (fit.kind != detail::ConvexFit::Kind::covers) {
            const auto old = detail::clip_to_convex(shape, disc.outer());
            CHECK(old.has_value() == (fit.kind != detail::ConvexFit::Kind::general));
            if (old) {
                CHECK(detail::equal_area_m2(*old) == detail::equal_area_m2(fit.part));
            }
        } else {
            CHECK(detail::covered_by_convex(shape, disc.outer()));
        }
    }
    CHECK(covers > 200);
    CHECK(clipped > 1000);
    CHECK(apart > 200);
    CHECK(general > 20);

    // A clockwise disc is not taken; a village with a hole is left to the general overlay.
    geo::Polygon reversed = disc;
    std::reverse(reversed.outer().begin(), reversed.outer().end());
    CHECK_FALSE(detail::is_convex_ccw(geo::MultiPolygon{reversed}));
    CHECK(detail::is_convex(geo::MultiPolygon{reversed}));
    geo::Polygon holed;
    for (int k = 0; k < 12; ++k) {
        holed.outer().push_back(geo::destination(centre, -30.0 * k, 2500.0));
    }
    holed.outer().push_back(holed.outer().front());
    holed.inners().push_back(geo::Ring{});
    for (int k = 0; k < 12; ++k) {
        holed.inners().back().push_back(geo::destination(centre, 30.0 * k, 100.0));
    }
    holed.inners().back().push_back(holed.inners().back().front());
    CHECK(detail::fit_convex(geo::MultiPolygon{holed}, disc.outer(), false).kind == detail::ConvexFit::Kind::general);
}
