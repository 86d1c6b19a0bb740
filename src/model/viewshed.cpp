// Viewshed by lines of sight over the grid. The terrain between cell centres is taken as linear
// along the ray's major axis: at every column (or row) the ray crosses, the height is interpolated
// between the two cells it passes between, lowered by the earth's curvature cc·d²/(2R).
// Two drivers share that line-of-sight walk:
//  - R2 (default, Franklin & Ray 1994): one ray to each cell on the window's edge; each cell the
//    ray passes takes its visibility from the ray that passes nearest its centre (ties: the first
//    ray in a fixed order), so the result does not depend on the thread count.
//  - R3 (exact): one ray per cell, to its centre.
// Both are exact per ray; R2 differs from R3 only in which ray decides a cell. R2's sweep is in
// viewshed_r2.cpp; this file reads and checks the DEM window, runs R3, and writes the values.
#include <deadzone/model/viewshed.hpp>

#include "viewshed_sweep.hpp"

#include <deadzone/geo/parallel.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <thread>

namespace deadzone::model {

namespace {

using detail::earth_radius_m;
using detail::Sweep;
using detail::ViewshedCounts;

// Reserves `count` elements and asks the kernel for transparent huge pages on them before they
// are first touched: the sweep's buffers are megabytes, and their 4 kB page faults cost as much
// as the sweep itself on a virtual machine. Only advice: no effect where unsupported.
template <typename T>
void advise_huge_pages(std::vector<T>& v, std::size_t count) {
    v.reserve(count);
    geo::advise_huge_pages(v.data(), count * sizeof(T));
}

int thread_count(const ViewshedOptions& options) {
    const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return options.threads > 0 ? options.threads : hw;
}

// Runs body(t, T) on T threads (t = 0 on the calling thread).
template <typename Body>
void parallel(int threads, Body body) {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(body, t, threads);
    body(0, threads);
    for (auto& th : pool) th.join();
}

// The same by R3: one line of sight per cell in range, rows on the threads.
ViewshedCounts sweep_r3(const Sweep& s, int threads, std::uint8_t* out, std::size_t stride) {
    std::vector<ViewshedCounts> tallies(static_cast<std::size_t>(threads));
    parallel(threads, [&](int t, int count) {
        for (int r = s.y0 + t; r <= s.y1; r += count) {
            for (int c = s.x0; c <= s.x1; ++c) {
                const double d2 = s.distance2(c - s.ox, r - s.oy);
                const bool seen = d2 <= s.max_distance2 && s.visible(c, r);
                out[static_cast<std::size_t>(r - s.y0) * stride + (c - s.x0)] =
                    s.finish(seen, s.z(c, r), d2, false, tallies[static_cast<std::size_t>(t)]);
            }
        }
    });
    ViewshedCounts counts;
    for (const auto& t : tallies) {
        counts.visible_cells += t.visible_cells;
        counts.nodata_cells += t.nodata_cells;
    }
    return counts;
}

void validate(const ElevationGrid& grid, int ox, int oy, const ViewshedOptions& o) {
    auto require = [](bool ok, const char* message) {
        if (!ok) throw std::invalid_argument(message);
    };
    require(grid.width > 0 && grid.height > 0 &&
                grid.z.size() == static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height),
            "the elevation grid is empty or its size does not match its values");
    require(grid.cell_width_m > 0.0 && grid.cell_height_m > 0.0, "cell sizes must be positive");
    require(ox >= 0 && oy >= 0 && ox < grid.width && oy < grid.height, "the observer is outside the DEM");
    require(std::isfinite(o.observer_height_m), "observer height must be a number");
    require(std::isfinite(o.target_height_m), "target height must be a number");
    require(std::isfinite(o.max_distance_m) && o.max_distance_m >= 0.0, "max distance must be 0 (none) or positive");
    require(std::isfinite(o.curvature_coefficient), "curvature coefficient must be a number");
}

} // namespace

namespace {

// The lowest and highest valid elevations of rows [y0, y1], columns [x0, x1], and whether any
// of those cells is void (NaN or nodata); rows on the threads, one pass without branches.
struct ElevationScan {
    float lo = std::numeric_limits<float>::infinity();
    float hi = -std::numeric_limits<float>::infinity();
    bool any_void = false;
};

// One row's part of the scan.
ElevationScan scan_row(const float* z, int x0, int x1, float nodata) {
    float lo = std::numeric_limits<float>::infinity();
    float hi = -lo;
    int voids = 0;
    for (int c = x0; c <= x1; ++c) {
        const float v = z[c];
        const bool valid = (v == v) & (v != nodata); // nodata NaN: equals nothing
        lo = valid && v < lo ? v : lo;
        hi = valid && v > hi ? v : hi;
        voids += valid ? 0 : 1;
    }
    return {lo, hi, voids > 0};
}

ElevationScan merge(ElevationScan a, const ElevationScan& b) {
    a.lo = std::min(a.lo, b.lo);
    a.hi = std::max(a.hi, b.hi);
    a.any_void = a.any_void || b.any_void;
    return a;
}

ElevationScan scan_elevations(const ElevationGrid& grid, int x0, int y0, int x1, int y1, int threads) {
    const float nodata = grid.nodata.value_or(std::numeric_limits<float>::quiet_NaN());
    const auto rows = static_cast<std::size_t>(y1 - y0 + 1);
    geo::ParallelOptions by_rows;
    by_rows.threads = threads;
    by_rows.chunk = 64;
    std::vector<ElevationScan> per_row(rows);
    geo::parallel_for(rows, by_rows, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            per_row[i] = scan_row(grid.z.data() + (static_cast<std::size_t>(y0) + i) * grid.width, x0, x1, nodata);
        }
    });
    ElevationScan all;
    for (const auto& r : per_row) all = merge(all, r);
    return all;
}

// The viewshed into `out`, the output cell of grid cell (0, 0), rows `stride` apart; cells
// outside the window are left as they are (the caller fills them with out_of_range).
// `has_voids`: whether the window holds a NaN or nodata cell, when the caller knows.
ViewshedCounts viewshed_into(const ElevationGrid& grid, int ox, int oy, const ViewshedOptions& o, std::uint8_t* out,
                             std::size_t stride, std::optional<bool> has_voids = std::nullopt) {
    Sweep s{grid};
    s.ox = ox;
    s.oy = oy;
    if (s.is_nodata(s.z(ox, oy))) throw std::invalid_argument("the observer stands on a nodata cell");
    s.z_obs = s.z(ox, oy) + o.observer_height_m;
    s.curvature = o.curvature_coefficient / (2.0 * earth_radius_m);
    s.target_height = o.target_height_m;
    s.x0 = 0;
    s.y0 = 0;
    s.x1 = grid.width - 1;
    s.y1 = grid.height - 1;
    if (o.max_distance_m > 0.0) {
        s.max_distance2 = o.max_distance_m * o.max_distance_m;
        const int rx = static_cast<int>(std::ceil(o.max_distance_m / grid.cell_width_m));
        const int ry = static_cast<int>(std::ceil(o.max_distance_m / grid.cell_height_m));
        s.x0 = std::max(0, ox - rx);
        s.x1 = std::min(grid.width - 1, ox + rx);
        s.y0 = std::max(0, oy - ry);
        s.y1 = std::min(grid.height - 1, oy + ry);
    }
    s.visible_value = o.visible;
    s.invisible_value = o.invisible;
    s.out_of_range_value = o.out_of_range;
    // Every cell of the window gets its output value straight from the sweep: 255/0 in range
    // (a nodata cell 0), out_of_range beyond.
    const int threads = thread_count(o);
    s.has_voids = has_voids ? *has_voids : scan_elevations(grid, s.x0, s.y0, s.x1, s.y1, threads).any_void;
    std::uint8_t* const window = out + static_cast<std::size_t>(s.y0) * stride + s.x0;
    return o.exact ? sweep_r3(s, threads, window, stride) : sweep_r2(s, threads, window, stride);
}

} // namespace

ViewshedGridResult viewshed_grid(const ElevationGrid& grid, int ox, int oy, const ViewshedOptions& o) {
    validate(grid, ox, oy, o);
    ViewshedGridResult result;
    result.values.assign(grid.z.size(), o.out_of_range);
    const auto counts = viewshed_into(grid, ox, oy, o, result.values.data(), static_cast<std::size_t>(grid.width));
    result.visible_cells = counts.visible_cells;
    result.nodata_cells = counts.nodata_cells;
    return result;
}

ViewshedRaster viewshed_raster(const geo::Raster& dem, double x, double y, const ViewshedOptions& options) {
    const auto [col, row] = dem.cell_of(x, y);
    if (col < 0 || row < 0 || col >= dem.width() || row >= dem.height()) {
        throw std::invalid_argument("the observer is outside the DEM");
    }
    const auto& g = dem.geotransform();
    ElevationGrid grid;
    if (dem.crs_is_geographic()) {
        // Metres per degree at the observer's latitude; over a viewshed's range the error of a
        // constant scale is far below a cell.
        const double lat = (g[3] + (row + 0.5) * g[5]) * std::numbers::pi / 180.0;
        const double m_per_deg = earth_radius_m * std::numbers::pi / 180.0;
        grid.cell_width_m = std::abs(g[1]) * m_per_deg * std::cos(lat);
        grid.cell_height_m = std::abs(g[5]) * m_per_deg;
    } else {
        grid.cell_width_m = std::abs(g[1]);
        grid.cell_height_m = std::abs(g[5]);
    }
    if (dem.nodata()) grid.nodata = static_cast<float>(*dem.nodata());
    // Only the window within range is read: a DEM can be a VRT of a whole country.
    int x0 = 0, y0 = 0, x1 = dem.width() - 1, y1 = dem.height() - 1;
    if (options.max_distance_m > 0.0) {
        const double rx = std::ceil(options.max_distance_m / grid.cell_width_m);
        const double ry = std::ceil(options.max_distance_m / grid.cell_height_m);
        x0 = static_cast<int>(std::max(0.0, col - rx));
        x1 = static_cast<int>(std::min(dem.width() - 1.0, col + rx));
        y0 = static_cast<int>(std::max(0.0, row - ry));
        y1 = static_cast<int>(std::min(dem.height() - 1.0, row + ry));
    }
    grid.width = x1 - x0 + 1;
    grid.height = y1 - y0 + 1;
    grid.z = dem.read(x0, y0, grid.width, grid.height).values;
    const auto scan = scan_elevations(grid, 0, 0, grid.width - 1, grid.height - 1, thread_count(options));

    // Metres above sea level, judged on the cells read (not a second pass over the DEM).
    geo::check_elevation_range(dem, scan.lo <= scan.hi ? std::optional{std::pair<double, double>{scan.lo, scan.hi}}
                                                       : std::nullopt);
    validate(grid, col - x0, row - y0, options);

    // The output covers the window read — the cells within range, as gdal_viewshed writes — on
    // the DEM's grid (its cell size and alignment), and the sweep fills every cell of it.
    ViewshedRaster out;
    out.width = grid.width;
    out.height = grid.height;
    out.geotransform = g;
    out.geotransform[0] = g[0] + x0 * g[1] + y0 * g[2];
    out.geotransform[3] = g[3] + x0 * g[4] + y0 * g[5];
    out.crs_wkt = dem.crs_wkt();
    const std::size_t size = static_cast<std::size_t>(out.width) * out.height;
    advise_huge_pages(out.result.values, size);
    out.result.values.resize(size);
    const auto counts = viewshed_into(grid, col - x0, row - y0, options, out.result.values.data(),
                                      static_cast<std::size_t>(out.width), scan.any_void);
    out.result.visible_cells = counts.visible_cells;
    out.result.nodata_cells = counts.nodata_cells;
    return out;
}

} // namespace deadzone::model
