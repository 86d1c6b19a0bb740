// geo::FoldedRing keeps a ring mirrored about a meridian as half of it; unfolded it must give the
// ring back bit for bit, or not fold at all.
#include <deadzone/geo/folded_ring.hpp>
#include <deadzone/geo/geodesic.hpp>

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>

using namespace deadzone::geo;

namespace {

bool same_bits(const Ring& a, const Ring& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::bit_cast<std::uint64_t>(a[i].x()) != std::bit_cast<std::uint64_t>(b[i].x()) ||
            std::bit_cast<std::uint64_t>(a[i].y()) != std::bit_cast<std::uint64_t>(b[i].y())) {
            return false;
        }
    }
    return true;
}

} // namespace

TEST_CASE("folded ring: geodesic discs fold and unfold to the same bits") {
    std::mt19937_64 random(2022);
    std::uniform_real_distribution<double> lon(102.0, 110.0);
    std::uniform_real_distribution<double> lat(8.0, 24.0);
    std::uniform_real_distribution<double> log_radius(std::log(10.0), std::log(200000.0));
    const int counts[] = {4, 5, 8, 33, 64, 128};
    int folded = 0;
    const int discs = 3000;
    Ring back;
    for (int k = 0; k < discs; ++k) {
        const Point centre{lon(random), lat(random)};
        const int vertices = counts[k % std::size(counts)];
        const Ring ring = disc(centre, std::exp(log_radius(random)), vertices).outer();
        const auto f = FoldedRing::fold(ring, centre.x());
        if (!f) continue;
        ++folded;
        CHECK(f->size() == ring.size());
        f->unfold(back);
        REQUIRE(same_bits(back, ring));
    }
    // Over Vietnam every disc folds (lon0 ± d is exact there: Sterbenz); allow for a rounding tie.
    CHECK(folded >= discs - 3);
}

TEST_CASE("folded ring: anywhere on the globe, a fold is exact or refused") {
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> lon(-180.0, 180.0);
    std::uniform_real_distribution<double> lat(-85.0, 85.0);
    std::uniform_real_distribution<double> radius(1.0, 500000.0);
    Ring back;
    for (int k = 0; k < 2000; ++k) {
        const Point centre{lon(random), lat(random)};
        const Ring ring = disc(centre, radius(random), 128).outer();
        if (const auto f = FoldedRing::fold(ring, centre.x())) {
            f->unfold(back);
            REQUIRE(same_bits(back, ring));
        }
        // About the wrong meridian a disc never folds.
        CHECK_FALSE(FoldedRing::fold(ring, centre.x() + 0.01));
    }
}

TEST_CASE("folded ring: rings that are not mirrored are refused") {
    const Ring square{{0.0, 0.0}, {1.0, 0.0}, {1.0, 1.0}, {0.0, 1.0}, {0.0, 0.0}};
    CHECK_FALSE(FoldedRing::fold(square, 0.5)); // vertex 0 and the pairs (1, 3) do not mirror
    // Mirrored about x = 0.5 with vertex 0 on the axis: a pentagon (odd count) folds.
    const Ring pentagon{{0.5, 2.0}, {0.0, 1.0}, {0.25, 0.0}, {0.75, 0.0}, {1.0, 1.0}, {0.5, 2.0}};
    const auto f = FoldedRing::fold(pentagon, 0.5);
    REQUIRE(f);
    Ring back;
    f->unfold(back);
    CHECK(same_bits(back, pentagon));
    // A vertex off its mirror: refused. (One ulp may still fold: 0.5 - d rounds back to 0.75,
    // and what fold keeps is whatever unfolds to the same bits.)
    Ring off = pentagon;
    off[2].x(0.25 + 1e-12);
    CHECK_FALSE(FoldedRing::fold(off, 0.5));
    off[2].x(std::nextafter(0.25, 1.0));
    if (const auto g = FoldedRing::fold(off, 0.5)) {
        g->unfold(back);
        CHECK(same_bits(back, off));
    }
    Ring lower = pentagon;
    lower[4].y(std::nextafter(1.0, 0.0));
    CHECK_FALSE(FoldedRing::fold(lower, 0.5));
    // Open rings and rings too short to have a pair are refused.
    Ring open = pentagon;
    open.pop_back();
    CHECK_FALSE(FoldedRing::fold(open, 0.5));
    const Ring triangle{{0.5, 1.0}, {0.0, 0.0}, {1.0, 0.0}, {0.5, 1.0}};
    CHECK_FALSE(FoldedRing::fold(triangle, 0.5));
    CHECK_FALSE(FoldedRing::fold(Ring{}, 0.0));
}
