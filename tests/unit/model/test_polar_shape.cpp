// polar_shape's boundary tracing on the awkward cases of a polar grid: lit cells meeting only at a
// corner, a ring of lit cells whose shadow touches the outside at one point, an island inside a
// hole inside a lit annulus around the site, and seeded random grids (ties on a 100 m lattice
// and free distances). Each result must be valid, never fall back to the star, and have exactly
// the area of its lit cells (each cell's chords, by hand).
#include <deadzone/geo/geodesic.hpp>
#include <deadzone/model/polar_shape.hpp>

#include <boost/geometry.hpp>
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>
#include <vector>

using namespace deadzone;
namespace bg = boost::geometry;
using Radials = std::vector<std::vector<model::LitInterval>>;

namespace {

constexpr double pi = std::numbers::pi;
const geo::Point site{105.0, 21.0};

// The area of the lit cells as polar_shape draws them: each sector's arcs are chords of at most
// 1°, so a cell [a, b] of a sector w wide split into p chords has p · ½ (b² − a²) sin(w/p).
double cells_m2(const Radials& radials) {
    const double width = 360.0 / static_cast<double>(radials.size());
    const int pieces = std::max(1, static_cast<int>(std::ceil(width - 1e-9)));
    const double chord = std::sin(width / pieces * pi / 180.0);
    double sum = 0.0;
    for (const auto& runs : radials) {
        double reached = 0.0; // the first interval counts at least 50 m, which may swallow the next
        for (std::size_t i = 0; i < runs.size(); ++i) {
            const double from = std::max(runs[i].first, reached);
            const double to = i == 0 ? std::max(runs[i].second, 50.0) : runs[i].second;
            if (to > from) sum += pieces * 0.5 * (to * to - from * from) * chord;
            reached = std::max(reached, to);
        }
    }
    return sum;
}

geo::MultiPolygon traced(const Radials& radials) {
    bool star_only = true;
    auto shape = model::polar_shape(site, radials, &star_only);
    CHECK_FALSE(star_only);
    std::string reason;
    CHECK_MESSAGE(bg::is_valid(shape, reason), reason);
    CHECK(geo::area_m2(shape) == doctest::Approx(cells_m2(radials)).epsilon(1e-6));
    return shape;
}

std::size_t holes(const geo::MultiPolygon& shape) {
    std::size_t n = 0;
    for (const auto& p : shape) n += p.inners().size();
    return n;
}

bool lit(const geo::MultiPolygon& shape, double azimuth, double r) {
    return bg::covered_by(geo::destination(site, azimuth, r), shape);
}

} // namespace

TEST_CASE("polar shape: two islands meeting only at a corner stay two polygons") {
    // 36 sectors of 10°, all lit to 1 000 m; sector 5 (45°..55°) lit again 1 200-1 400 m, sector 6
    // (55°..65°) 1 400-1 600 m: the two cells share only the point (55°, 1 400 m).
    Radials radials(36, {{0.0, 1000.0}});
    radials[5].emplace_back(1200.0, 1400.0);
    radials[6].emplace_back(1400.0, 1600.0);
    const auto shape = traced(radials);
    CHECK(shape.size() == 3);
    CHECK(holes(shape) == 0);
    CHECK(lit(shape, 50.0, 1300.0));
    CHECK(lit(shape, 60.0, 1500.0));
    CHECK_FALSE(lit(shape, 50.0, 1500.0));
}

TEST_CASE("polar shape: a shadow that touches the outside at one point is a hole touching its ring") {
    // An island of 3 × 3 cells (sectors 20-22, 1 200-1 500 m in 100 m bands) without its centre
    // (the shadow) and without its outer corner (sector 22, 1 400-1 500 m): the shadow and the
    // unlit outside meet at the point (225°, 1 400 m).
    Radials radials(36, {{0.0, 1000.0}});
    radials[20] = {{0.0, 1000.0}, {1200.0, 1500.0}};
    radials[21] = {{0.0, 1000.0}, {1200.0, 1300.0}, {1400.0, 1500.0}};
    radials[22] = {{0.0, 1000.0}, {1200.0, 1400.0}};
    const auto shape = traced(radials);
    CHECK(shape.size() == 2);
    CHECK(holes(shape) == 1);
    CHECK_FALSE(lit(shape, 210.0, 1350.0)); // the shadow
    CHECK(lit(shape, 210.0, 1250.0));
    CHECK_FALSE(lit(shape, 220.0, 1450.0)); // the missing corner
}

TEST_CASE("polar shape: an island inside a shadow inside a lit ring around the site") {
    // Every sector lit to 1 000 m and again 1 200-2 000 m (a ring around the site's own disc);
    // sectors 10-14 dark 1 400-1 800 m within the ring, and sector 12 lit 1 550-1 650 m in there.
    Radials radials(36, {{0.0, 1000.0}, {1200.0, 2000.0}});
    for (int k = 10; k <= 14; ++k) radials[k] = {{0.0, 1000.0}, {1200.0, 1400.0}, {1800.0, 2000.0}};
    radials[12] = {{0.0, 1000.0}, {1200.0, 1400.0}, {1550.0, 1650.0}, {1800.0, 2000.0}};
    const auto shape = traced(radials);
    CHECK(shape.size() == 3); // the site's disc, the ring, the island
    CHECK(holes(shape) == 2); // the ring's inner edge and the shadow
    CHECK(lit(shape, 120.0, 1600.0));
    CHECK_FALSE(lit(shape, 120.0, 1500.0));
    CHECK_FALSE(lit(shape, 300.0, 1100.0));
    CHECK(lit(shape, 300.0, 1900.0));
}

TEST_CASE("polar shape: seeded random grids are valid, exact in area, and never fall back to the star") {
    std::mt19937_64 rng{2022};
    const auto below = [&](std::uint64_t n) { return static_cast<double>(rng() % n); };
    for (int trial = 0; trial < 60; ++trial) {
        CAPTURE(trial);
        const std::size_t n = trial % 3 == 0 ? 36 : trial % 3 == 1 ? 72 : 360;
        const bool lattice = trial % 2 == 0; // distances on a 100 m lattice: many exact ties
        Radials radials(n);
        for (auto& runs : radials) {
            double r = lattice ? 100.0 * (1.0 + below(15)) : 30.0 + below(1500) + below(1000) / 1000.0;
            runs.emplace_back(0.0, r);
            const int more = static_cast<int>(below(4));
            for (int i = 0; i < more; ++i) {
                const double gap = lattice ? 100.0 * (1.0 + below(4)) : 5.0 + below(400) + below(1000) / 1000.0;
                const double length = lattice ? 100.0 * (1.0 + below(4)) : 5.0 + below(400) + below(1000) / 1000.0;
                runs.emplace_back(r + gap, r + gap + length);
                r += gap + length;
            }
        }
        traced(radials);
    }
}
