// Viewshed by lines of sight over the grid. The terrain between cell centres is taken as linear
// along the ray's major axis: at every column (or row) the ray crosses, the height is interpolated
// between the two cells it passes between, lowered by the earth's curvature cc·d²/(2R).
// Two drivers share that line-of-sight walk:
//  - R2 (default, Franklin & Ray 1994): one ray to each cell on the window's edge; each cell the
//    ray passes takes its visibility from the ray that passes nearest its centre (ties: the first
//    ray in a fixed order), so the result does not depend on the thread count.
//  - R3 (exact): one ray per cell, to its centre.
// Both are exact per ray; R2 differs from R3 only in which ray decides a cell.
#include <deadzone/model/viewshed.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <thread>

namespace deadzone::model {

namespace {

constexpr double earth_radius_m = 6378137.0; // WGS84 semi-major axis, as gdal_viewshed uses
constexpr float no_offset = std::numeric_limits<float>::infinity();

struct Sweep {
    const ElevationGrid& grid;
    int ox = 0;
    int oy = 0;
    double z_obs = 0.0;
    double curvature = 0.0; // cc / (2R), per m
    double target_height = 0.0;
    double max_distance2 = std::numeric_limits<double>::infinity();
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0; // window, inclusive

    bool is_nodata(float z) const { return std::isnan(z) || (grid.nodata && z == *grid.nodata); }
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

struct RayBuffer {
    std::vector<float> offset; // distance of the deciding ray from the cell centre, in cells
    std::vector<std::uint8_t> seen;
};

// Walks one R2 ray to the window-edge cell (ex, ey), recording every cell it passes.
void walk_ray(const Sweep& s, int ex, int ey, int window_width, RayBuffer& buffer) {
    const int dx = ex - s.ox;
    const int dy = ey - s.oy;
    const int n = std::max(std::abs(dx), std::abs(dy));
    if (n == 0) return;
    const double d_total = std::sqrt(s.distance2(dx, dy));
    const bool x_major = std::abs(dx) >= std::abs(dy);
    // Past the range (plus a cell's diagonal) nothing is recorded, so the walk can stop there.
    int k_end = n;
    if (std::isfinite(s.max_distance2)) {
        const double reach = std::sqrt(s.max_distance2) + 2.0 * std::max(s.grid.cell_width_m, s.grid.cell_height_m);
        k_end = std::min(n, static_cast<int>(std::ceil(n * reach / d_total)));
    }
    double max_slope = -std::numeric_limits<double>::infinity();
    for (int k = 1; k <= k_end; ++k) {
        const double minor = x_major ? s.oy + static_cast<double>(dy) * k / n : s.ox + static_cast<double>(dx) * k / n;
        const double rounded = std::round(minor);
        const int c = x_major ? s.ox + (dx > 0 ? k : -k) : static_cast<int>(rounded);
        const int r = x_major ? static_cast<int>(rounded) : s.oy + (dy > 0 ? k : -k);
        const std::size_t cell = static_cast<std::size_t>(r - s.y0) * window_width + (c - s.x0);
        const float offset = static_cast<float>(std::abs(minor - rounded));
        if (offset < buffer.offset[cell]) {
            buffer.offset[cell] = offset;
            buffer.seen[cell] = k == 1 || s.target_slope(c, r) >= max_slope;
        }
        if (k < k_end) {
            const double d = d_total * k / n;
            max_slope = std::max(max_slope, (s.terrain_at(dx, dy, k, n) - s.curvature * d * d - s.z_obs) / d);
        }
    }
}

// The window's edge cells in a fixed order: top row, right column, bottom row, left column.
std::vector<std::pair<int, int>> edge_cells(const Sweep& s) {
    std::vector<std::pair<int, int>> cells;
    for (int c = s.x0; c <= s.x1; ++c) cells.emplace_back(c, s.y0);
    for (int r = s.y0 + 1; r <= s.y1; ++r) cells.emplace_back(s.x1, r);
    if (s.y1 > s.y0) {
        for (int c = s.x1 - 1; c >= s.x0; --c) cells.emplace_back(c, s.y1);
    }
    if (s.x1 > s.x0) {
        for (int r = s.y1 - 1; r > s.y0; --r) cells.emplace_back(s.x0, r);
    }
    return cells;
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

// Visibility (1/0) of every window cell by R2, merged over threads by the nearest ray.
std::vector<std::uint8_t> sweep_r2(const Sweep& s, int threads) {
    const int w = s.x1 - s.x0 + 1;
    const std::size_t cells = static_cast<std::size_t>(w) * (s.y1 - s.y0 + 1);
    const auto edges = edge_cells(s);
    std::vector<RayBuffer> buffers(threads);
    parallel(threads, [&](int t, int count) {
        auto& b = buffers[t];
        b.offset.assign(cells, no_offset);
        b.seen.assign(cells, 0);
        const std::size_t begin = edges.size() * t / count;
        const std::size_t end = edges.size() * (t + 1) / count;
        for (std::size_t i = begin; i < end; ++i) walk_ray(s, edges[i].first, edges[i].second, w, b);
    });
    // Lower thread = earlier rays, so "first strictly nearer wins" matches a single thread.
    std::vector<std::uint8_t> seen = std::move(buffers[0].seen);
    std::vector<float> offset = std::move(buffers[0].offset);
    for (int t = 1; t < threads; ++t) {
        for (std::size_t i = 0; i < cells; ++i) {
            if (buffers[t].offset[i] < offset[i]) {
                offset[i] = buffers[t].offset[i];
                seen[i] = buffers[t].seen[i];
            }
        }
    }
    for (std::size_t i = 0; i < cells; ++i) {
        if (offset[i] == no_offset) { // no ray recorded it: the observer, or a cell out of range
            const int c = s.x0 + static_cast<int>(i % w);
            const int r = s.y0 + static_cast<int>(i / w);
            const bool in_range = s.distance2(c - s.ox, r - s.oy) <= s.max_distance2;
            seen[i] = (c == s.ox && r == s.oy) || (in_range && s.visible(c, r));
        }
    }
    return seen;
}

std::vector<std::uint8_t> sweep_r3(const Sweep& s, int threads) {
    const int w = s.x1 - s.x0 + 1;
    const int h = s.y1 - s.y0 + 1;
    std::vector<std::uint8_t> seen(static_cast<std::size_t>(w) * h, 0);
    parallel(threads, [&](int t, int count) {
        for (int r = s.y0 + t; r <= s.y1; r += count) {
            for (int c = s.x0; c <= s.x1; ++c) {
                seen[static_cast<std::size_t>(r - s.y0) * w + (c - s.x0)] = s.visible(c, r);
            }
        }
    });
    return seen;
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

ViewshedGridResult viewshed_grid(const ElevationGrid& grid, int ox, int oy, const ViewshedOptions& o) {
    validate(grid, ox, oy, o);
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
    const int threads = thread_count(o);
    const auto seen = o.exact ? sweep_r3(s, threads) : sweep_r2(s, threads);

    ViewshedGridResult result;
    result.values.assign(grid.z.size(), o.out_of_range);
    const int w = s.x1 - s.x0 + 1;
    for (int r = s.y0; r <= s.y1; ++r) {
        for (int c = s.x0; c <= s.x1; ++c) {
            if (s.distance2(c - ox, r - oy) > s.max_distance2) continue;
            const std::size_t i = static_cast<std::size_t>(r) * grid.width + c;
            if (s.is_nodata(grid.z[i])) {
                ++result.nodata_cells;
                result.values[i] = o.invisible;
                continue;
            }
            const bool v = seen[static_cast<std::size_t>(r - s.y0) * w + (c - s.x0)] != 0;
            result.values[i] = v ? o.visible : o.invisible;
            result.visible_cells += v ? 1 : 0;
        }
    }
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
    const auto window = viewshed_grid(grid, col - x0, row - y0, options);

    ViewshedRaster out;
    out.width = dem.width();
    out.height = dem.height();
    out.geotransform = g;
    out.crs_wkt = dem.crs_wkt();
    out.result.visible_cells = window.visible_cells;
    out.result.nodata_cells = window.nodata_cells;
    out.result.values.assign(static_cast<std::size_t>(out.width) * out.height, options.out_of_range);
    for (int r = 0; r < grid.height; ++r) {
        std::copy_n(window.values.begin() + static_cast<std::ptrdiff_t>(r) * grid.width, grid.width,
                    out.result.values.begin() + static_cast<std::ptrdiff_t>(r + y0) * out.width + x0);
    }
    return out;
}

} // namespace deadzone::model
