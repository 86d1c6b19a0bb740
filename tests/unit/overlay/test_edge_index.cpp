// The dissolve's large merges (src/overlay/edge_index.hpp, src/overlay/geometry.cpp): the edge
// index on hand-made rings, and a merge of two halves of a many-holed coverage, large enough that
// it sets holes and polygons aside by the index, against the plain union and by hand.
#include "fixtures.hpp"

#include "../../../src/overlay/edge_index.hpp"
#include "../../../src/overlay/geometry.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace deadzone;
using namespace deadzone::overlay::testing;
namespace bg = boost::geometry;
namespace detail = deadzone::overlay::detail;

namespace {

geo::Box box(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y1}}; }

std::size_t holes(const geo::MultiPolygon& shape) {
    std::size_t n = 0;
    for (const auto& polygon : shape) n += polygon.inners().size();
    return n;
}

} // namespace

TEST_CASE("the edge index: which boxes the edges reach, and inside or out by counting edges") {
    // A 10 x 10 square with a 2 x 2 hole in its middle, and an island to the east.
    geo::Polygon square = rectangle(0, 0, 10, 10, 4);
    geo::Polygon hole = rectangle(4, 4, 6, 6, 1);
    square.inners().push_back(hole.outer());
    geo::MultiPolygon shape{square, rectangle(20, 0, 22, 2, 1)};
    bg::correct(shape);
    const detail::EdgeIndex index(shape);

    CHECK_FALSE(index.reaches(box(1, 1, 2, 2)));
    CHECK(index.reaches(box(-1, 1, 0, 2)));          // touches the square's west side
    CHECK(index.reaches(box(3, 3, 4.5, 4.5)));       // overlaps the hole's corner
    CHECK(index.reaches(box(21, 1, 21.5, 1.5)) == false);
    CHECK(index.reaches(box(-5, -5, 30, 30)));

    CHECK(index.contains({1.5, 1.5}, box(1, 1, 2, 2)) == true);
    CHECK(index.contains({5, 5}, box(4.5, 4.5, 5.5, 5.5)) == false); // in the hole
    CHECK(index.contains({21, 1}, box(20.5, 0.5, 21.5, 1.5)) == true); // on the island
    CHECK(index.contains({15, 1}, box(14, 0.5, 16, 1.5)) == false);    // between the two
    CHECK(index.contains({30, 5}, box(29, 4, 31, 6)) == false);
    // West of everything, the ray due east crosses four edges.
    CHECK(index.contains({-5, 1}, box(-6, 0.5, -4, 1.5)) == false);
    // On the latitude of a horizontal side and of two vertices: each vertex counted once.
    CHECK(index.contains({-5, 0}, box(-6, -0.5, -4, 0.5)) == false);
    CHECK(index.contains({-5, 10}, box(-6, 9.5, -4, 10.5)) == false);
    CHECK(index.contains({5, 2}, box(4.9, 1.9, 5.1, 2.1)) == true);
    // Not for a box the edges reach, nor for a point outside its box.
    CHECK_FALSE(index.contains({-1, 5}, box(-2, 4, 1, 6)).has_value());
    CHECK_FALSE(index.contains({1.5, 1.5}, box(3, 3, 3.5, 3.5)).has_value());
    CHECK_FALSE(detail::EdgeIndex(geo::MultiPolygon{}).reaches(box(0, 0, 1, 1)));
}

TEST_CASE("a merge of two many-holed halves: holes and polygons set aside by the edge index") {
    // Horizontal bands joined across the gaps between them by short bridges: each gap between
    // two bridges is a hole. The southern half (bands 0-4 with the bridges above them) and the
    // northern half (bands 5-9) are each one polygon with 4 x 24 holes and an outer ring of
    // ~24 000 points (the bands' sides are dense), so their merge indexes the edges
    // (geometry.cpp, indexed_scan) and leaves to Boost only what lies near the seam.
    constexpr int bands = 10;
    constexpr int gaps_per_row = 24;            // holes per gap between two bands
    constexpr double width = 0.5;               // of a band, degrees
    constexpr double pitch = 0.01;              // band to band
    constexpr double band_height = 0.006;
    constexpr double gap = pitch - band_height; // 0.004
    constexpr double bridge = 0.004;            // a bridge's width
    constexpr double inset = 0.0005;            // the first and last bridges stay off the bands' ends
    constexpr double overlap = 0.001;           // a bridge reaches this far into each band
    constexpr double x0 = 106.0;
    constexpr double y0 = 20.0;
    const double step = (width - 2 * inset - bridge) / gaps_per_row;
    const double hole_width = step - bridge;

    std::vector<detail::Piece> south;
    std::vector<detail::Piece> north;
    for (int k = 0; k < bands; ++k) {
        auto& half = k < bands / 2 ? south : north;
        const double y = y0 + k * pitch;
        half.push_back(detail::make_piece(geo::MultiPolygon{rectangle(x0, y, x0 + width, y + band_height, 2400)}));
        if (k == bands - 1) {
            continue;
        }
        for (int j = 0; j <= gaps_per_row; ++j) {
            const double x = x0 + inset + j * step;
            half.push_back(detail::make_piece(geo::MultiPolygon{
                rectangle(x, y + band_height - overlap, x + bridge, y + pitch + overlap, 2)}));
        }
    }
    // In the south: a square inside band 7 of the north, so wholly inside the other half (the
    // merge drops it), and an island in a hole of gap 1 (set aside, kept as its own polygon).
    const double island = 0.001;
    const double hole_x = x0 + inset + 10 * step + bridge; // the hole between bridges 10 and 11
    south.push_back(detail::make_piece(geo::MultiPolygon{rectangle(x0 + 0.2, y0 + 7 * pitch + 0.002, x0 + 0.202,
                                                                   y0 + 7 * pitch + 0.004, 2)}));
    south.push_back(detail::make_piece(geo::MultiPolygon{rectangle(hole_x + 0.001, y0 + pitch + band_height + 0.001,
                                                                   hole_x + 0.001 + island,
                                                                   y0 + pitch + band_height + 0.001 + island, 2)}));
    // In the north: a patch over the same hole of gap 2 (a hole of the south half, filled by the
    // north: the merge drops that hole) and an island in a hole of gap 7.
    north.push_back(detail::make_piece(geo::MultiPolygon{rectangle(hole_x - 0.001, y0 + 2 * pitch + band_height - 0.001,
                                                                   hole_x + hole_width + 0.001,
                                                                   y0 + 3 * pitch + 0.001, 2)}));
    north.push_back(detail::make_piece(geo::MultiPolygon{rectangle(hole_x + 0.001, y0 + 7 * pitch + band_height + 0.001,
                                                                   hole_x + 0.001 + island,
                                                                   y0 + 7 * pitch + band_height + 0.001 + island, 2)}));

    auto a = detail::make_piece(detail::cascaded_union(std::move(south)));
    auto b = detail::make_piece(detail::cascaded_union(std::move(north)));
    REQUIRE(a.shape.size() == 3); // bands with their holes, the square, the island
    REQUIRE(b.shape.size() == 3); // bands with their holes, the patch, the island
    CHECK(holes(a.shape) == 4 * gaps_per_row);
    CHECK(holes(b.shape) == 4 * gaps_per_row);
    for (const auto* half : {&a.shape, &b.shape}) {
        double scan = 0;
        for (const auto& polygon : *half) {
            scan += static_cast<double>(polygon.inners().size()) * static_cast<double>(polygon.outer().size());
        }
        CHECK(scan > 2e6); // each half alone reaches the merge's indexed path
    }
    const auto plain = detail::unite(a.shape, b.shape); // Boost's overlay on everything, nothing set aside

    std::vector<detail::Piece> halves;
    halves.push_back(std::move(a));
    halves.push_back(std::move(b));
    const auto merged = detail::cascaded_union(std::move(halves));
    CHECK(bg::is_valid(merged));
    REQUIRE(merged.size() == 3); // the bands, two islands; the square inside band 7 is gone
    CHECK(holes(merged) == (bands - 1) * gaps_per_row - 1);
    const double bands_area = bands * width * band_height;
    const double bridges_area = (bands - 1) * (gaps_per_row + 1) * bridge * gap;
    const double patch_area = hole_width * gap;
    CHECK(bg::area(merged) ==
          doctest::Approx(bands_area + bridges_area + patch_area + 2 * island * island).epsilon(1e-9));
    for (const auto& polygon : merged) {
        for (const auto& inner : polygon.inners()) {
            CHECK(std::abs(bg::area(inner)) == doctest::Approx(hole_width * gap).epsilon(1e-9));
        }
    }
    // The same set as Boost's overlay of the two whole halves.
    CHECK(merged.size() == plain.size());
    CHECK(holes(merged) == holes(plain));
    CHECK(bg::area(merged) == doctest::Approx(bg::area(plain)).epsilon(1e-12));
    CHECK(bg::equals(merged, plain));
}
