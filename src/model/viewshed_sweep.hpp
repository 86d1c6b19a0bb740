// model internals: the state of one viewshed sweep (the observer, the window, the line of sight
// over the grid's terrain, the output values) shared by viewshed.cpp (R3, the public entry
// points) and viewshed_r2.cpp (the R2 octant sweep).
#pragma once

#include <deadzone/model/viewshed.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace deadzone::model::detail {

constexpr double earth_radius_m = 6378137.0; // WGS84 semi-major axis, as gdal_viewshed uses

/// Visible cells and nodata cells within range (a sweep's share, or all of them).
struct ViewshedCounts {
    std::size_t visible_cells = 0;
    std::size_t nodata_cells = 0;
};

/// One observer over one grid: its cell and eye height, the window of cells within range, the
/// line of sight between cell centres (exact, used by R3 and for cells no R2 ray decides) and
/// the output value of a cell.
struct Sweep {
    const ElevationGrid& grid;
    int ox = 0;
    int oy = 0;
    double z_obs = 0.0;
    double curvature = 0.0; // cc / (2R), per m
    double target_height = 0.0;
    double max_distance2 = std::numeric_limits<double>::infinity();
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0; // window, inclusive

    bool has_voids = true;                  // some cell of the window is NaN or nodata
    std::uint8_t visible_value = 255;
    std::uint8_t invisible_value = 0;
    std::uint8_t out_of_range_value = 0;

    bool is_nodata(float z) const { return std::isnan(z) || (grid.nodata && z == *grid.nodata); }

    // The output value of a cell at squared distance d2 with elevation z that the sweep `seen`
    // (or not), counted in `tally`: beyond the range out_of_range; a nodata cell is not visible.
    // `z_plain`: the window holds no void cell (the test is skipped).
    std::uint8_t finish(bool seen, float z, double d2, bool z_plain, ViewshedCounts& tally) const {
        const bool in_range = d2 <= max_distance2;
        const bool void_cell = !z_plain && is_nodata(z);
        const bool v = seen & !void_cell;
        tally.visible_cells += (in_range & v) ? 1 : 0;
        tally.nodata_cells += (in_range & void_cell) ? 1 : 0;
        return in_range ? (v ? visible_value : invisible_value) : out_of_range_value;
    }

    float z(int c, int r) const { return grid.z[static_cast<std::size_t>(r) * grid.width + c]; }

    double distance2(double dx_cells, double dy_cells) const {
        const double x = dx_cells * grid.cell_width_m;
        const double y = dy_cells * grid.cell_height_m;
        return x * x + y * y;
    }

    // Height between cells a and b at fraction t from a; a nodata side takes the other's value.
    double interpolate(float a, float b, double t) const {
        const bool na = is_nodata(a);
        const bool nb = is_nodata(b);
        if (na && nb) return -std::numeric_limits<double>::infinity();
        if (na) return b;
        if (nb) return a;
        return a + (static_cast<double>(b) - a) * t;
    }

    // Terrain height at step k of n along the ray to (dx, dy) (major axis crossing k).
    double terrain_at(int dx, int dy, int k, int n) const {
        if (std::abs(dx) >= std::abs(dy)) {
            const int c = ox + (dx > 0 ? k : -k);
            const double rf = oy + static_cast<double>(dy) * k / n;
            const int r0 = static_cast<int>(std::floor(rf));
            const int r1 = std::min(r0 + 1, grid.height - 1);
            return interpolate(z(c, r0), z(c, r1), rf - r0);
        }
        const int r = oy + (dy > 0 ? k : -k);
        const double cf = ox + static_cast<double>(dx) * k / n;
        const int c0 = static_cast<int>(std::floor(cf));
        const int c1 = std::min(c0 + 1, grid.width - 1);
        return interpolate(z(c0, r), z(c1, r), cf - c0);
    }

    // Elevation angle (as a slope) of the target cell's top seen from the observer.
    double target_slope(int c, int r) const {
        const double d2 = distance2(c - ox, r - oy);
        return (z(c, r) - curvature * d2 + target_height - z_obs) / std::sqrt(d2);
    }

    // Exact line of sight from the observer to the centre of (c, r).
    bool visible(int c, int r) const {
        const int dx = c - ox;
        const int dy = r - oy;
        const int n = std::max(std::abs(dx), std::abs(dy));
        if (n <= 1) return true;
        const double d_total = std::sqrt(distance2(dx, dy));
        double max_slope = -std::numeric_limits<double>::infinity();
        for (int k = 1; k < n; ++k) {
            const double d = d_total * k / n;
            max_slope = std::max(max_slope, (terrain_at(dx, dy, k, n) - curvature * d * d - z_obs) / d);
        }
        return target_slope(c, r) >= max_slope;
    }
};

/// The output values of every window cell by R2 into `out` (window cell (0, 0), rows `stride`
/// apart): one ray to each cell of the window's edge (Franklin & Ray 1994), on `threads`.
ViewshedCounts sweep_r2(const Sweep& s, int threads, std::uint8_t* out, std::size_t stride);

} // namespace deadzone::model::detail
