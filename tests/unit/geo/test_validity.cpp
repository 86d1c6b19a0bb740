// geo::is_valid must give GEOS' own verdict (OGRGeometry::IsValid on the shape as it is) on
// every shape, valid or not, whichever way it reaches it.
#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/validity.hpp>

#include <doctest/doctest.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

using namespace deadzone::geo;

namespace {

bool geos(const MultiPolygon& shape) {
    ensure_gdal();
    return shape.empty() || to_ogr(shape)->IsValid() != FALSE;
}

Ring square(double x0, double y0, double x1, double y1, bool clockwise = false) {
    Ring r{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
    if (clockwise) {
        std::reverse(r.begin(), r.end());
    }
    return r;
}

Ring circle(double cx, double cy, double radius, int vertices, bool clockwise = false) {
    Ring r;
    for (int i = 0; i <= vertices; ++i) {
        const double a = 2.0 * std::numbers::pi * (i % vertices) / vertices * (clockwise ? -1.0 : 1.0);
        r.push_back({cx + radius * std::cos(a), cy + radius * std::sin(a)});
    }
    return r;
}

Polygon polygon(Ring outer, std::vector<Ring> holes = {}) {
    Polygon p;
    p.outer() = std::move(outer);
    for (auto& h : holes) {
        p.inners().push_back(std::move(h));
    }
    return p;
}

/// Checks the complement test and the automatic choice against GEOS, and the expected verdict.
void check(const MultiPolygon& shape, bool expected) {
    CAPTURE(expected);
    CHECK(geos(shape) == expected);
    CHECK(is_valid_by_complement(shape) == expected);
    CHECK(is_valid(shape) == expected);
}

} // namespace

TEST_CASE("validity: hand-made shapes, through the complement and through GEOS") {
    const auto frame = square(0, 0, 10, 10);
    SUBCASE("a shell with a grid of holes") {
        std::vector<Ring> holes;
        for (int i = 0; i < 4; ++i) {
            for (int j = 0; j < 4; ++j) {
                holes.push_back(square(1 + 2 * i, 1 + 2 * j, 2 + 2 * i, 2 + 2 * j, true));
            }
        }
        check({polygon(frame, holes)}, true);
    }
    SUBCASE("an island in a hole, and an island in a hole of that island") {
        check({polygon(frame, {square(2, 2, 8, 8, true)}), polygon(square(3, 3, 7, 7))}, true);
        check({polygon(frame, {square(2, 2, 8, 8, true)}), polygon(square(3, 3, 7, 7), {square(4, 4, 6, 6, true)}),
               polygon(square(4.5, 4.5, 5.5, 5.5))},
              true);
    }
    SUBCASE("two polygons apart") {
        check({polygon(square(0, 0, 1, 1)), polygon(square(2, 0, 3, 1), {square(2.2, 0.2, 2.8, 0.8, true)})}, true);
    }
    SUBCASE("a hole outside its shell") {
        check({polygon(square(0, 0, 1, 1), {square(2, 2, 3, 3, true)})}, false);
        // ... inside another polygon's shell
        check({polygon(frame), polygon(square(20, 0, 21, 1), {square(2, 2, 3, 3, true)})}, false);
    }
    SUBCASE("a hole inside another hole") {
        check({polygon(frame, {square(2, 2, 8, 8, true), square(3, 3, 4, 4, true)})}, false);
    }
    SUBCASE("a polygon in another one's interior") {
        check({polygon(frame), polygon(square(3, 3, 4, 4))}, false);
        // in the interior of an island that sits in a hole
        check({polygon(frame, {square(2, 2, 8, 8, true)}), polygon(square(3, 3, 7, 7)), polygon(square(4, 4, 5, 5))},
              false);
    }
    SUBCASE("rings that touch or cross (GEOS judges the shape itself)") {
        // a hole touching the shell at one point: valid
        check({polygon(frame, {Ring{{0, 5}, {3, 4}, {3, 6}, {0, 5}}})}, true);
        // a hole touching the shell at two points cuts the interior in two
        check({polygon(frame, {Ring{{0, 5}, {5, 4}, {10, 5}, {5, 6}, {0, 5}}})}, false);
        // a hole crossing the shell
        check({polygon(frame, {square(8, 8, 12, 9, true)})}, false);
        // two polygons sharing an edge
        check({polygon(square(0, 0, 1, 1)), polygon(square(1, 0, 2, 1))}, false);
    }
    SUBCASE("empty") {
        check({}, true);
    }
}

TEST_CASE("validity: a long shell with many holes goes through the complement, with GEOS' verdict") {
    // 20 000 shell vertices x 400 holes: above the size where is_valid asks GEOS directly.
    std::vector<Ring> holes;
    for (int i = 0; i < 20; ++i) {
        for (int j = 0; j < 20; ++j) {
            holes.push_back(circle(-5 + 0.5 * i, -5 + 0.5 * j, 0.1, 12, true));
        }
    }
    MultiPolygon shape{polygon(circle(0, 0, 10, 20000), holes)};
    check(shape, true);
    SUBCASE("one hole moved out of the shell") {
        for (auto& p : shape[0].inners()[7]) {
            p.x(p.x() + 30.0);
        }
        check(shape, false);
    }
    SUBCASE("one hole moved into another") {
        auto& inner = shape[0].inners();
        inner[3] = circle(-5 + 0.5 * 0, -5 + 0.5 * 3, 0.05, 12, true);
        inner.push_back(circle(-5, -5 + 0.5 * 3, 0.02, 8, true));
        check(shape, false);
    }
    SUBCASE("an island in one hole, and one in the shell's interior") {
        shape.push_back(polygon(circle(-5, -5, 0.05, 16)));
        check(shape, true);
        shape.push_back(polygon(circle(-4.75, -4.75, 0.05, 16)));
        check(shape, false);
    }
}

TEST_CASE("validity: unions of random discs, then one ring moved, agree with GEOS") {
    std::mt19937 rng(2022);
    std::uniform_real_distribution<double> pos(0.0, 1.0);
    std::uniform_real_distribution<double> rad(0.02, 0.12);
    int valid = 0;
    int invalid = 0;
    for (int round = 0; round < 60; ++round) {
        MultiPolygon shape;
        for (int k = 0; k < 40; ++k) {
            const auto disc = to_ogr(polygon(circle(pos(rng), pos(rng), rad(rng), 32)));
            GeometryPtr merged{to_ogr(shape)->Union(disc.get())};
            shape = to_multipolygon(*merged);
        }
        CAPTURE(round);
        const bool expected = geos(shape);
        CHECK(is_valid_by_complement(shape) == expected);
        // Move one ring (a hole if there is one) by a random offset: valid or not, the verdicts agree.
        auto moved = shape;
        auto& p = moved[static_cast<std::size_t>(round) % moved.size()];
        auto& ring = p.inners().empty() ? p.outer() : p.inners()[static_cast<std::size_t>(round) % p.inners().size()];
        const double dx = pos(rng) - 0.5;
        const double dy = pos(rng) - 0.5;
        for (auto& q : ring) {
            q.x(q.x() + dx);
            q.y(q.y() + dy);
        }
        const bool moved_expected = geos(moved);
        CHECK(is_valid_by_complement(moved) == moved_expected);
        (moved_expected ? valid : invalid) += 1;
    }
    // The moves must have made both kinds, or the test checks too little.
    CHECK(valid > 5);
    CHECK(invalid > 5);
}
