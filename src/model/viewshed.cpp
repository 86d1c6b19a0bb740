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

#include <deadzone/geo/parallel.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <thread>
#include <tuple>

namespace deadzone::model {

namespace {

constexpr double earth_radius_m = 6378137.0; // WGS84 semi-major axis, as gdal_viewshed uses
constexpr float no_offset = std::numeric_limits<float>::infinity();

struct ViewshedCounts {
    std::size_t visible_cells = 0;
    std::size_t nodata_cells = 0;
};

// Reserves `count` elements and asks the kernel for transparent huge pages on them before they
// are first touched: the sweep's buffers are megabytes, and their 4 kB page faults cost as much
// as the sweep itself on a virtual machine. Only advice: no effect where unsupported.
template <typename T>
void advise_huge_pages(std::vector<T>& v, std::size_t count) {
    v.reserve(count);
    geo::advise_huge_pages(v.data(), count * sizeof(T));
}

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

// Where each R2 ray records a cell: the cell's distance from the ray (in cells) and whether the
// ray sees it; the ray that passes nearest a cell's centre decides it (ties: the lower ray index
// in edge order).
struct Record {
    float offset = no_offset;
    std::uint8_t seen = 0;
    std::uint32_t ray = 0;
};

// The rays split into 8 octants by major axis and the signs of their steps. An x-major ray with
// dx > 0 passes only cells with c > ox and |r − oy| ≤ c − ox (its minor offset rounds to at most
// k at step k), and so on: two octants share only the cells on the axis between them (minor
// offset 0) and on the diagonal (|minor offset| = k). Each octant owns the cells strictly inside
// it and writes them straight to the shared buffers; its boundary cells go to a side list of its
// own, merged after all octants by (offset, ray). So octants run on any thread, in any order,
// and the result is the single-threaded one, byte for byte.
struct Octant {
    std::vector<std::uint32_t> rays;  // edge indices, ascending
    std::vector<Record> boundary;     // [2k]: axis cell at step k, [2k + 1]: diagonal cell
};

int octant_of(int dx, int dy) {
    const bool x_major = std::abs(dx) >= std::abs(dy);
    const int major = x_major ? dx : dy;
    const int minor = x_major ? dy : dx;
    return (x_major ? 0 : 4) + (major > 0 ? 0 : 2) + (minor >= 0 ? 0 : 1);
}

// Per window cell: the deciding ray's offset, its sign bit set when that ray does not see the
// cell (−0 included), +inf while no ray has recorded it.
struct Shared {
    std::vector<float> offset;
};

// Whether a target `above` metres above the observer's eye, at squared distance d2, is seen
// over a horizon of slope `horizon`: above / √d2 ≥ horizon, decided on squares (no root, no
// division) by the signs first; a horizon of −∞ (nothing between) sees everything. Written
// without branches: in the ray walk the answer is as good as random.
inline bool seen_over(double above, double d2, double horizon) {
    const double a2 = above * above;
    const double h2 = horizon * horizon * d2;
    const bool up = above >= 0.0;
    return (up & ((horizon <= 0.0) | (a2 >= h2))) | (!up & (horizon < 0.0) & (a2 <= h2));
}

// Walks R2 ray `ray` to the window-edge cell (ex, ey), recording every cell it passes.
// `z_plain`: the window holds no nodata, so the interpolation needs no checks (same values).
// The minor coordinate at major step k is origin + minor_delta·k/n; it is stepped exactly in
// integers (whole part q and remainder rem of |minor_delta|·k / n), so a step costs no
// division, rounding or root: the interpolation weight, the cell the ray passes nearest and
// its offset all come from rem. The horizon is the largest slope (terrain − curvature − eye) / d
// so far; it is divided out only when it rises. (Computing every step's verdict and storing it by
// a select instead of the branch on "nearer" measured slower: most steps are not the nearest.)
void walk_ray(const Sweep& s, int ex, int ey, std::uint32_t ray, int window_width, bool z_plain, Shared& out,
              Octant& octant) {
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
    const int major_step = x_major ? (dx > 0 ? 1 : -1) : (dy > 0 ? 1 : -1);
    const int minor_delta = x_major ? dy : dx;
    const bool minor_down = minor_delta < 0;
    const int minor_abs = std::abs(minor_delta);
    const int minor_origin = x_major ? s.oy : s.ox;
    const int minor_last = x_major ? s.grid.height - 1 : s.grid.width - 1;
    const double major_cell = x_major ? s.grid.cell_width_m : s.grid.cell_height_m;
    const double minor_cell = x_major ? s.grid.cell_height_m : s.grid.cell_width_m;
    const double inv_n = 1.0 / n;
    const double step_m = d_total * inv_n;
    const double eye = s.z_obs - s.target_height; // a target is seen when z − curvature − eye clears
    const float* const z = s.grid.z.data();
    const std::size_t gw = static_cast<std::size_t>(s.grid.width);
    // Cell (c, r) of the grid and of the window, moved by one major and one minor step.
    const std::ptrdiff_t major_grid = x_major ? major_step : major_step * static_cast<std::ptrdiff_t>(gw);
    const std::ptrdiff_t minor_grid = x_major ? static_cast<std::ptrdiff_t>(gw) : 1;
    const std::ptrdiff_t major_window = x_major ? major_step : major_step * static_cast<std::ptrdiff_t>(window_width);
    const std::ptrdiff_t minor_window = x_major ? window_width : 1;
    const std::ptrdiff_t origin_grid = static_cast<std::ptrdiff_t>(s.oy) * static_cast<std::ptrdiff_t>(gw) + s.ox;
    const std::ptrdiff_t origin_window =
        static_cast<std::ptrdiff_t>(s.oy - s.y0) * window_width + (s.ox - s.x0);
    float* const offsets = out.offset.data();
    double horizon = -std::numeric_limits<double>::infinity();
    int q = 0;   // |minor − origin| = q + rem / n
    int rem = 0;
    for (int k = 1; k <= k_end; ++k) {
        rem += minor_abs;
        const bool wrap = rem >= n;
        rem -= wrap ? n : 0;
        q += wrap ? 1 : 0;
        // The two cells the ray passes between: m0 at the lower coordinate, at fraction t of a
        // cell below it (t = 0 on a cell centre).
        const bool below = minor_down & (rem != 0);
        const int lower_off = minor_down ? -(q + (below ? 1 : 0)) : q; // m0 − origin
        const int t_num = below ? n - rem : rem;
        const int m0 = minor_origin + lower_off;
        const int m1 = std::min(m0 + 1, minor_last);
        const std::ptrdiff_t i0 = origin_grid + k * major_grid + lower_off * minor_grid;
        const std::ptrdiff_t i1 = i0 + (m1 - m0) * minor_grid;
        const float z0 = z[i0];
        const float z1 = z[i1];
        // The nearer of the two is the cell the ray passes nearest (round half away from zero).
        const bool upper = 2 * t_num >= n;
        const int nearest_off = lower_off + (upper ? 1 : 0); // signed, from the origin
        const int minor_off = std::abs(nearest_off);
        const float offset = static_cast<float>((upper ? n - t_num : t_num) * inv_n);
        const double major_m = k * major_cell;
        const double minor_m = minor_off * minor_cell;
        const double d2 = major_m * major_m + minor_m * minor_m;
        const float target = upper ? z1 : z0;
        if (minor_off != 0 && minor_off != k) [[likely]] {
            float& slot = offsets[origin_window + k * major_window + nearest_off * minor_window];
            if (offset < std::fabs(slot)) {
                const bool seen = seen_over(target - s.curvature * d2 - eye, d2, horizon);
                slot = seen ? offset : -offset;
            }
        } else {
            Record& b = octant.boundary[2 * static_cast<std::size_t>(k) + (minor_off == 0 ? 0 : 1)];
            if (offset < b.offset) {
                b.offset = offset;
                b.seen = seen_over(target - s.curvature * d2 - eye, d2, horizon);
                b.ray = ray;
            }
        }
        if (k < k_end) {
            // The terrain where the ray crosses this column (row), as Sweep::terrain_at.
            const double t = t_num * inv_n;
            const double terrain = z_plain ? z0 + (static_cast<double>(z1) - z0) * t : s.interpolate(z0, z1, t);
            const double d = k * step_m;
            const double rise = terrain - s.curvature * d * d - s.z_obs;
            if (rise > horizon * d) horizon = rise / d;
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

// The cell at step k on octant o's axis (boundary 0) or diagonal (boundary 1).
std::pair<int, int> boundary_cell(const Sweep& s, int o, int k, int which) {
    const bool x_major = o < 4;
    const int major = (o & 2) ? -k : k;
    const int minor = which == 0 ? 0 : ((o & 1) ? -k : k);
    return x_major ? std::pair{s.ox + major, s.oy + minor} : std::pair{s.ox + minor, s.oy + major};
}

// Visibility (1/0) of every window cell by R2 into `seen` (window cell (0, 0), rows `stride`
// apart): the 8 octants on the threads, then their boundary cells merged by the nearest ray.
void sweep_r2(const Sweep& s, int threads, std::uint8_t* seen, std::size_t stride) {
    const int w = s.x1 - s.x0 + 1;
    const std::size_t cells = static_cast<std::size_t>(w) * (s.y1 - s.y0 + 1);
    const auto edges = edge_cells(s);
    bool z_plain = true;
    for (int r = s.y0; r <= s.y1 && z_plain; ++r) {
        for (int c = s.x0; c <= s.x1; ++c) {
            if (s.is_nodata(s.z(c, r))) {
                z_plain = false;
                break;
            }
        }
    }
    std::array<Octant, 8> octants;
    int longest = 0;
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const int dx = edges[i].first - s.ox;
        const int dy = edges[i].second - s.oy;
        if (dx == 0 && dy == 0) continue;
        longest = std::max({longest, std::abs(dx), std::abs(dy)});
        octants[static_cast<std::size_t>(octant_of(dx, dy))].rays.push_back(static_cast<std::uint32_t>(i));
    }
    for (auto& o : octants) o.boundary.assign(2 * (static_cast<std::size_t>(longest) + 1), Record{});
    Shared shared;
    advise_huge_pages(shared.offset, cells);
    shared.offset.assign(cells, no_offset);
    geo::ParallelOptions parallel_options;
    parallel_options.threads = threads;
    geo::parallel_for(octants.size(), parallel_options, [&](std::size_t begin, std::size_t end) {
        for (std::size_t o = begin; o < end; ++o) {
            for (const std::uint32_t i : octants[o].rays) {
                walk_ray(s, edges[i].first, edges[i].second, i, w, z_plain, shared, octants[o]);
            }
        }
    });
    // Boundary cells: each lies between two octants; the nearer ray wins, then the lower index.
    struct Candidate {
        std::size_t cell;
        Record record;
    };
    std::vector<Candidate> candidates;
    for (int o = 0; o < 8; ++o) {
        const auto& boundary = octants[static_cast<std::size_t>(o)].boundary;
        for (std::size_t j = 2; j < boundary.size(); ++j) {
            if (boundary[j].offset == no_offset) continue;
            const auto [c, r] = boundary_cell(s, o, static_cast<int>(j / 2), static_cast<int>(j % 2));
            candidates.push_back({static_cast<std::size_t>(r - s.y0) * w + (c - s.x0), boundary[j]});
        }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return std::tie(a.cell, a.record.offset, a.record.ray) < std::tie(b.cell, b.record.offset, b.record.ray);
    });
    for (std::size_t j = 0; j < candidates.size(); ++j) {
        if (j > 0 && candidates[j].cell == candidates[j - 1].cell) continue;
        const Record& best = candidates[j].record;
        shared.offset[candidates[j].cell] = best.seen ? best.offset : -best.offset;
    }
    const std::vector<float>& offset = shared.offset;
    const int h = s.y1 - s.y0 + 1;
    for (int rw = 0; rw < h; ++rw) {
        const float* from = offset.data() + static_cast<std::size_t>(rw) * w;
        std::uint8_t* to = seen + static_cast<std::size_t>(rw) * stride;
        for (int cw = 0; cw < w; ++cw) {
            if (from[cw] == no_offset) { // no ray recorded it: the observer, or a cell out of range
                const int c = s.x0 + cw;
                const int r = s.y0 + rw;
                const bool in_range = s.distance2(c - s.ox, r - s.oy) <= s.max_distance2;
                to[cw] = (c == s.ox && r == s.oy) || (in_range && s.visible(c, r));
            } else {
                to[cw] = !std::signbit(from[cw]);
            }
        }
    }
}

void sweep_r3(const Sweep& s, int threads, std::uint8_t* seen, std::size_t stride) {
    parallel(threads, [&](int t, int count) {
        for (int r = s.y0 + t; r <= s.y1; r += count) {
            for (int c = s.x0; c <= s.x1; ++c) {
                seen[static_cast<std::size_t>(r - s.y0) * stride + (c - s.x0)] = s.visible(c, r);
            }
        }
    });
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

// The viewshed into `out`, the output cell of grid cell (0, 0), rows `stride` apart; cells
// outside the window are left as they are (the caller fills them with out_of_range).
ViewshedCounts viewshed_into(const ElevationGrid& grid, int ox, int oy, const ViewshedOptions& o, std::uint8_t* out,
                             std::size_t stride) {
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
    std::uint8_t* const window = out + static_cast<std::size_t>(s.y0) * stride + s.x0;
    if (o.exact) {
        sweep_r3(s, threads, window, stride);
    } else {
        sweep_r2(s, threads, window, stride);
    }
    // 1/0 from the sweep → the output values, in place, rows on the threads. A row's cells in
    // range are one run around the observer's column (the distance grows with |c − ox|), found
    // with the same test as the sweep's.
    const int rows = s.y1 - s.y0 + 1;
    std::vector<std::size_t> visible(static_cast<std::size_t>(rows)), nodata(static_cast<std::size_t>(rows));
    geo::ParallelOptions by_rows;
    by_rows.threads = threads;
    by_rows.chunk = 64;
    geo::parallel_for(static_cast<std::size_t>(rows), by_rows, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const int r = s.y0 + static_cast<int>(i);
            std::uint8_t* row = out + static_cast<std::size_t>(r) * stride;
            const float* z = grid.z.data() + static_cast<std::size_t>(r) * grid.width;
            auto in_range = [&](int c) { return s.distance2(c - ox, r - oy) <= s.max_distance2; };
            int lo = s.x0;
            int hi = s.x1;
            if (!in_range(ox)) {
                hi = lo - 1;
            } else if (std::isfinite(s.max_distance2)) {
                // An estimate by the root, then moved cell by cell to the test's own answer.
                const double dy = (r - oy) * grid.cell_height_m;
                const double half = std::floor(std::sqrt(std::max(0.0, s.max_distance2 - dy * dy)) / grid.cell_width_m);
                lo = static_cast<int>(std::max<double>(s.x0, ox - half));
                hi = static_cast<int>(std::min<double>(s.x1, ox + half));
                while (lo < ox && !in_range(lo)) ++lo;
                while (lo > s.x0 && in_range(lo - 1)) --lo;
                while (hi > ox && !in_range(hi)) --hi;
                while (hi < s.x1 && in_range(hi + 1)) ++hi;
            }
            for (int c = s.x0; c < lo; ++c) row[c] = o.out_of_range;
            for (int c = std::max(lo, hi + 1); c <= s.x1; ++c) row[c] = o.out_of_range;
            std::size_t seen = 0, void_cells = 0;
            for (int c = lo; c <= hi; ++c) {
                const bool void_cell = s.is_nodata(z[c]);
                const bool v = row[c] != 0 && !void_cell;
                row[c] = v ? o.visible : o.invisible;
                seen += v ? 1 : 0;
                void_cells += void_cell ? 1 : 0;
            }
            visible[i] = seen;
            nodata[i] = void_cells;
        }
    });
    ViewshedCounts counts;
    for (int i = 0; i < rows; ++i) {
        counts.visible_cells += visible[static_cast<std::size_t>(i)];
        counts.nodata_cells += nodata[static_cast<std::size_t>(i)];
    }
    return counts;
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

    {
        // Metres above sea level, judged on the cells read (not a second pass over the DEM).
        float lo = std::numeric_limits<float>::infinity();
        float hi = -lo;
        for (const float z : grid.z) {
            if (std::isnan(z) || (grid.nodata && z == *grid.nodata)) continue;
            lo = std::min(lo, z);
            hi = std::max(hi, z);
        }
        geo::check_elevation_range(dem, lo <= hi ? std::optional{std::pair<double, double>{lo, hi}} : std::nullopt);
    }
    validate(grid, col - x0, row - y0, options);

    ViewshedRaster out;
    out.width = dem.width();
    out.height = dem.height();
    out.geotransform = g;
    out.crs_wkt = dem.crs_wkt();
    // The sweep writes straight into the DEM-sized output (no window-sized copy).
    const std::size_t size = static_cast<std::size_t>(out.width) * out.height;
    advise_huge_pages(out.result.values, size);
    out.result.values.assign(size, options.out_of_range);
    const auto counts = viewshed_into(grid, col - x0, row - y0, options,
                                      out.result.values.data() + static_cast<std::size_t>(y0) * out.width + x0,
                                      static_cast<std::size_t>(out.width));
    out.result.visible_cells = counts.visible_cells;
    out.result.nodata_cells = counts.nodata_cells;
    return out;
}

} // namespace deadzone::model
