// Viewshed on small literal grids (as GDAL's own viewshed tests do): hand-checked visibility,
// range, nodata, R2 = R3 on simple terrain, and identical bytes at 1 and 2 threads.
#include <deadzone/model/viewshed.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

using namespace deadzone::model;

namespace {

ElevationGrid row_grid(std::vector<float> z) {
    ElevationGrid g;
    g.width = static_cast<int>(z.size());
    g.height = 1;
    g.cell_width_m = 10.0;
    g.cell_height_m = 10.0;
    g.z = std::move(z);
    return g;
}

ElevationGrid rough_grid(int n) {
    ElevationGrid g;
    g.width = n;
    g.height = n;
    g.cell_width_m = 30.0;
    g.cell_height_m = 30.0;
    std::uint32_t state = 12345;
    for (int i = 0; i < n * n; ++i) {
        state = state * 1664525u + 1013904223u;
        const int x = i % n;
        const int y = i / n;
        g.z.push_back(static_cast<float>(200.0 + 80.0 * std::sin(x / 9.0) * std::cos(y / 13.0) + (state >> 24) / 8.0));
    }
    return g;
}

} // namespace

TEST_CASE("viewshed: a wall hides what is behind it") {
    // Observer at cell 0, 2 m up; a 10 m wall at cell 3 (30 m away). Wall top: slope (10−2)/30
    // = 0.267 > every slope before it → visible. Cells 4-6 at 0 m: slopes −2/40, −2/50, −2/60 are
    // below 0.267 → hidden. Flat earth (cc = 0).
    ViewshedOptions o;
    o.curvature_coefficient = 0.0;
    o.threads = 1;
    const auto g = row_grid({0, 0, 0, 10, 0, 0, 0});
    const auto r = viewshed_grid(g, 0, 0, o);
    CHECK(r.values == std::vector<std::uint8_t>{255, 255, 255, 255, 0, 0, 0});
    CHECK(r.visible_cells == 4);
    o.exact = true;
    CHECK(viewshed_grid(g, 0, 0, o).values == r.values);
    // A 30 m target mast at cell 6 rises above the wall's line: (0 + 30 − 2)/60 = 0.467 > 0.267.
    o.target_height_m = 30.0;
    CHECK(viewshed_grid(g, 0, 0, o).values[6] == 255);
}

TEST_CASE("viewshed: curvature hides far low ground") {
    // 200 cells of 100 m, flat at 0, observer 2 m: with cc = 1 the ground at d drops d²/(2R);
    // the smooth-earth horizon is √(2·R·2) = 5051 m, so cells past ~51 are hidden.
    ElevationGrid g = row_grid(std::vector<float>(200, 0.0f));
    g.cell_width_m = 100.0;
    ViewshedOptions o;
    o.curvature_coefficient = 1.0;
    o.exact = true;
    const auto r = viewshed_grid(g, 0, 0, o);
    CHECK(r.values[45] == 255);
    CHECK(r.values[60] == 0);
    o.curvature_coefficient = 0.0;
    CHECK(viewshed_grid(g, 0, 0, o).visible_cells == 200);
}

TEST_CASE("viewshed: range, nodata and values") {
    ElevationGrid g = row_grid({0, 0, -9999, 0, 0, 0});
    g.nodata = -9999.0f;
    ViewshedOptions o;
    o.max_distance_m = 35.0; // cells 0-3 (0, 10, 20, 30 m) in range
    o.visible = 1;
    o.invisible = 2;
    o.out_of_range = 3;
    const auto r = viewshed_grid(g, 0, 0, o);
    CHECK(r.values == std::vector<std::uint8_t>{1, 1, 2, 1, 3, 3});
    CHECK(r.nodata_cells == 1);
    CHECK_THROWS_AS(viewshed_grid(g, 2, 0, o), std::invalid_argument); // observer on nodata
    CHECK_THROWS_AS(viewshed_grid(g, 9, 0, o), std::invalid_argument);
}

TEST_CASE("viewshed: same bytes at 1 and 2 threads, R2 close to exact R3") {
    const auto g = rough_grid(161);
    ViewshedOptions o;
    o.observer_height_m = 10.0;
    o.target_height_m = 2.0;
    o.threads = 1;
    const auto one = viewshed_grid(g, 80, 80, o);
    o.threads = 2;
    const auto two = viewshed_grid(g, 80, 80, o);
    CHECK(one.values == two.values);
    o.exact = true;
    const auto r3a = viewshed_grid(g, 80, 80, o);
    o.threads = 1;
    CHECK(viewshed_grid(g, 80, 80, o).values == r3a.values);
    std::size_t same = 0;
    for (std::size_t i = 0; i < r3a.values.size(); ++i) same += r3a.values[i] == one.values[i];
    const double agreement = static_cast<double>(same) / r3a.values.size();
    MESSAGE("R2 vs R3 agreement: " << agreement);
    CHECK(agreement > 0.97);
    CHECK(one.visible_cells > 100);
    CHECK(one.visible_cells < g.z.size());
}

TEST_CASE("viewshed: same bytes at 1, 2 and 3 threads off centre, clipped by the grid, with voids") {
    // The R2 rays run in 8 octants on any thread; the cells on the axes and diagonals through
    // the observer belong to the octant whose axis or diagonal ray passes them exactly. An
    // observer near a corner gives octants of very different sizes (rays of several lengths in
    // one octant) and a window clipped by the grid on two sides; voids make the interpolation
    // take its nodata path.
    ElevationGrid g = rough_grid(121);
    g.nodata = -9999.0f;
    for (int i = 7; i < 121 * 121; i += 97) g.z[static_cast<std::size_t>(i)] = -9999.0f;
    g.z[static_cast<std::size_t>(30) * 121 + 17] = 200.0f; // the observer's cell is valid
    ViewshedOptions o;
    o.observer_height_m = 10.0;
    o.target_height_m = 2.0;
    o.max_distance_m = 2000.0; // 66.7 cells: clipped by the grid's left and top edges
    o.threads = 1;
    const auto one = viewshed_grid(g, 17, 30, o);
    o.threads = 2;
    const auto two = viewshed_grid(g, 17, 30, o);
    o.threads = 3;
    const auto three = viewshed_grid(g, 17, 30, o);
    CHECK(one.values == two.values);
    CHECK(one.values == three.values);
    CHECK(one.nodata_cells > 0);
    CHECK(one.nodata_cells == two.nodata_cells);
    CHECK(one.visible_cells == three.visible_cells);
    // Cells on the axes and diagonals through the observer (shared by two octants) next to it
    // are visible (nothing in between), and out-of-range cells keep out_of_range.
    CHECK(one.values[static_cast<std::size_t>(30) * 121 + 18] == 255);
    CHECK(one.values[static_cast<std::size_t>(31) * 121 + 18] == 255);
    CHECK(one.values[static_cast<std::size_t>(29) * 121 + 16] == 255);
    CHECK(one.values[static_cast<std::size_t>(120) * 121 + 120] == 0);
}

namespace {

// R2 by brute force, as its definition reads (Franklin & Ray 1994), independent of the sweep's
// octants and integer stepping: rays from the observer to every cell of the window's edge; a
// cell takes the verdict of the ray that passes nearest its centre where it crosses the cell's
// column (row, for a ray steeper than 45°), ties to the first ray in edge order (top row, right
// column, bottom row, left column); the verdict compares the cell's top with the highest slope of
// the terrain the ray crossed before, heights interpolated between the two cells it passes
// between and lowered by cc·d²/(2R). No range, no voids.
std::vector<std::uint8_t> r2_by_brute_force(const ElevationGrid& g, int ox, int oy, const ViewshedOptions& o) {
    const double curvature = o.curvature_coefficient / (2.0 * 6378137.0);
    const double eye = g.z[static_cast<std::size_t>(oy) * g.width + ox] + o.observer_height_m;
    auto z = [&](int c, int r) { return static_cast<double>(g.z[static_cast<std::size_t>(r) * g.width + c]); };
    std::vector<std::pair<int, int>> edge;
    for (int c = 0; c < g.width; ++c) edge.emplace_back(c, 0);
    for (int r = 1; r < g.height; ++r) edge.emplace_back(g.width - 1, r);
    for (int c = g.width - 2; c >= 0; --c) edge.emplace_back(c, g.height - 1);
    for (int r = g.height - 2; r > 0; --r) edge.emplace_back(0, r);
    std::vector<std::uint8_t> out(g.z.size(), 0);
    for (int r = 0; r < g.height; ++r) {
        for (int c = 0; c < g.width; ++c) {
            if (c == ox && r == oy) {
                out[static_cast<std::size_t>(r) * g.width + c] = o.visible;
                continue;
            }
            double best_offset = 2.0;
            bool best_seen = false;
            for (const auto& [ex, ey] : edge) {
                const int dx = ex - ox;
                const int dy = ey - oy;
                const bool x_major = std::abs(dx) >= std::abs(dy);
                const int n = std::max(std::abs(dx), std::abs(dy));
                if (n == 0) continue;
                const int major = x_major ? c - ox : r - oy;
                const int ray_major = x_major ? dx : dy;
                const int k = std::abs(major);
                if (k == 0 || k > n || (major > 0) != (ray_major > 0)) continue;
                const double minor_delta = x_major ? dy : dx;
                const double cell_minor = x_major ? r - oy : c - ox;
                const double offset = std::abs(minor_delta * k / n - cell_minor);
                if (offset > 0.5 || offset >= best_offset) continue; // ties: the earlier ray stays
                const double step = std::hypot(dx * g.cell_width_m, dy * g.cell_height_m) / n;
                double horizon = -std::numeric_limits<double>::infinity();
                for (int i = 1; i < k; ++i) {
                    const double pos = (x_major ? oy : ox) + minor_delta * i / n;
                    const int m0 = static_cast<int>(std::floor(pos));
                    const int m1 = std::min(m0 + 1, (x_major ? g.height : g.width) - 1);
                    const int along = (x_major ? ox : oy) + (ray_major > 0 ? i : -i);
                    const double z0 = x_major ? z(along, m0) : z(m0, along);
                    const double z1 = x_major ? z(along, m1) : z(m1, along);
                    const double terrain = z0 + (z1 - z0) * (pos - m0);
                    const double d = step * i;
                    horizon = std::max(horizon, (terrain - curvature * d * d - eye) / d);
                }
                const double d2 = std::pow((c - ox) * g.cell_width_m, 2) + std::pow((r - oy) * g.cell_height_m, 2);
                const double top = z(c, r) - curvature * d2 + o.target_height_m - eye;
                best_offset = offset;
                best_seen = top / std::sqrt(d2) >= horizon;
            }
            out[static_cast<std::size_t>(r) * g.width + c] = best_seen ? o.visible : o.invisible;
        }
    }
    return out;
}

} // namespace

TEST_CASE("viewshed: R2 is the brute-force R2 (every ray, nearest by its offset), centred, off centre, in a corner") {
    ElevationGrid g = rough_grid(61);
    // A non-square grid with non-square cells: octants with rays of different lengths.
    g.height = 47;
    g.z.resize(static_cast<std::size_t>(61) * 47);
    g.cell_height_m = 25.0;
    ViewshedOptions o;
    o.observer_height_m = 6.0;
    o.target_height_m = 1.5;
    for (const auto& [ox, oy] : {std::pair{30, 23}, std::pair{9, 35}, std::pair{0, 0}, std::pair{60, 12}}) {
        CAPTURE(ox);
        CAPTURE(oy);
        const auto sweep = viewshed_grid(g, ox, oy, o).values;
        const auto brute = r2_by_brute_force(g, ox, oy, o);
        std::size_t differ = 0;
        for (std::size_t i = 0; i < brute.size(); ++i) differ += sweep[i] != brute[i];
        CHECK(differ == 0);
    }
}
