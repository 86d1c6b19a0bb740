// The R2 viewshed sweep (Franklin & Ray 1994): one ray from the observer to each cell of the
// window's edge, every cell decided by the ray passing nearest its centre (ties: the first ray
// in edge order), run octant by octant and column by column outwards (see sweep_octant).
#include "viewshed_sweep.hpp"

#include <deadzone/geo/parallel.hpp>

#include <array>
#include <optional>
#include <utility>
#include <vector>

namespace deadzone::model::detail {

namespace {

// Whether a target `above` metres above the observer's eye, at squared distance d2, is seen
// over a horizon of slope hn / hd (hd > 0; hd = 0 with hn < 0: no horizon yet, −∞):
// above / √d2 ≥ hn / hd, decided on squares (no root, no division) by the signs first. Written
// without branches: the answer is as good as random from one cell to the next.
inline bool seen_over(double above, double d2, double hn, double hd) {
    const double a2 = above * above * (hd * hd);
    const double h2 = hn * hn * d2;
    const bool up = above >= 0.0;
    return (up & ((hn <= 0.0) | (a2 >= h2))) | (!up & (hn < 0.0) & (a2 <= h2));
}

// The rays split into 8 octants by major axis and the signs of their steps (octant_of). In its
// octant's frame a ray ends at major step n with minor offset p (0 ≤ p ≤ n), so at major step k
// it crosses minor offset p·k/n: the rays of an octant, sorted by slope p/n, cross every column
// (row) in that order. Cell (k, j) of the octant (j ≤ k) is decided by the ray crossing column
// k nearest j — one of the two rays around j — with ties to the lower edge index.
struct Ray {
    int n = 0;
    int p = 0;
    std::uint32_t index = 0; // in edge order
    int last = 0;            // the last major step walked (the range cut); non-increasing by slope
};

// An octant's rays, sorted by slope, as arrays (the per-step loops run over all of them).
// Where ray r is at the current major step: minor offset q + rem / n; its horizon, the highest
// slope (terrain − curvature − eye) / d seen before this step, is kept as the fraction hn / hd
// (rise and distance of the point that set it), so no step divides.
struct OctantRays {
    std::vector<int> n, p, last, q, rem;
    std::vector<std::uint32_t> index;
    std::vector<double> inv_n, step_m, hn, hd, terrain;

    OctantRays(const std::vector<Ray>& rays, const std::vector<double>& steps) {
        const std::size_t count = rays.size();
        for (auto* v : {&n, &p, &last}) v->resize(count);
        q.assign(count, 0);
        rem.assign(count, 0);
        index.resize(count);
        inv_n.resize(count);
        step_m = steps;
        hn.assign(count, -1.0);
        hd.assign(count, 0.0);
        terrain.resize(count);
        for (std::size_t r = 0; r < count; ++r) {
            n[r] = rays[r].n;
            p[r] = rays[r].p;
            last[r] = rays[r].last;
            index[r] = rays[r].index;
            inv_n[r] = 1.0 / rays[r].n;
        }
    }
};

// Moves rays [0, count) to the next major step: exact integer stepping of p·k / n.
void advance(OctantRays& a, std::size_t count) {
    int* const q = a.q.data();
    int* const rem = a.rem.data();
    const int* const p = a.p.data();
    const int* const n = a.n.data();
    for (std::size_t r = 0; r < count; ++r) {
        const int next = rem[r] + p[r];
        const int wrap = next >= n[r] ? 1 : 0;
        rem[r] = next - wrap * n[r];
        q[r] += wrap;
    }
}

// Takes in each ray's terrain at major step k: the horizon rises where the point's slope
// rise / d exceeds hn / hd (compared by cross-multiplying; d and hd are never negative).
void raise_horizons(OctantRays& a, std::size_t count, int k, double curvature, double z_obs) {
    const double* const terrain = a.terrain.data();
    const double* const step_m = a.step_m.data();
    double* const hn = a.hn.data();
    double* const hd = a.hd.data();
    for (std::size_t r = 0; r < count; ++r) {
        const double d = k * step_m[r];
        const double rise = terrain[r] - curvature * d * d - z_obs;
        const bool up = rise * hd[r] > hn[r] * d;
        hn[r] = up ? rise : hn[r];
        hd[r] = up ? d : hd[r];
    }
}

// Sorts an octant's rays by slope; rays of one direction (only when the observer is on the
// window's edge, along it) are one line: the one walked farthest stays, the lower edge index
// first. A steeper ray never walks farther (its steps are longer, its end nearer), so the rays
// still walking at any step are a prefix; the running minimum only evens out the range cut's
// rounding, beyond the range.
void order_rays(std::vector<Ray>& rays) {
    auto slope_less = [](const Ray& a, const Ray& b) {
        return static_cast<std::int64_t>(a.p) * b.n < static_cast<std::int64_t>(b.p) * a.n;
    };
    std::sort(rays.begin(), rays.end(), [&](const Ray& a, const Ray& b) {
        if (slope_less(a, b) || slope_less(b, a)) return slope_less(a, b);
        return a.last != b.last ? a.last > b.last : a.index < b.index;
    });
    rays.erase(std::unique(rays.begin(), rays.end(),
                           [&](const Ray& a, const Ray& b) { return !slope_less(a, b) && !slope_less(b, a); }),
               rays.end());
    for (std::size_t r = 1; r < rays.size(); ++r) rays[r].last = std::min(rays[r].last, rays[r - 1].last);
}

// The R2 sweep of one octant, column by column (row by row for a y-major octant) outwards from
// the observer: at step k every ray still walking moves to column k, each cell of column k the
// octant owns takes its verdict from the nearest ray's horizon, and then the rays take in the
// terrain where they cross column k. Each cell is visited once, and the rays' state is a few
// arrays as long as the window's edge (the ray-by-ray walk it replaced wrote each cell ~2.2
// times into a window-sized buffer of offsets to find the nearest ray). Cells owned: strictly
// inside the octant; the axis cells (j = 0) when the minor step is ≥ 0, whose axis ray passes
// them exactly; the diagonal cells (j = k) in the x-major octants, whose diagonal ray passes them
// exactly. So the octants write disjoint cells, on any thread, in any order.
// (The hot loops copy what they use into locals: the output's byte stores may alias any member.)
template <bool minor_down, bool z_plain>
class OctantSweep {
public:
    OctantSweep(const Sweep& s, int o, std::vector<Ray>& rays, std::uint8_t* seen, std::size_t stride)
        : m_s(s), m_x_major(o < 4), m_major_step((o & 2) ? -1 : 1) {
        const bool x = m_x_major;
        m_k_count = x ? (m_major_step > 0 ? s.x1 - s.ox : s.ox - s.x0) : (m_major_step > 0 ? s.y1 - s.oy : s.oy - s.y0);
        m_j_count = x ? (minor_down ? s.oy - s.y0 : s.y1 - s.oy) : (minor_down ? s.ox - s.x0 : s.x1 - s.ox);
        order_rays(rays);
        std::vector<double> steps(rays.size());
        for (std::size_t r = 0; r < rays.size(); ++r) {
            const int dx = x ? rays[r].n : rays[r].p;
            const int dy = x ? rays[r].p : rays[r].n;
            steps[r] = std::sqrt(s.distance2(dx, dy)) / rays[r].n;
        }
        m_rays.emplace(rays, steps);
        // A square window's octant: every ray ends at step n, at minor offsets p_min, p_min + 1, …
        m_uniform = !rays.empty();
        for (std::size_t r = 0; r < rays.size() && m_uniform; ++r) {
            m_uniform = m_rays->n[r] == m_rays->n[0] && m_rays->p[r] == m_rays->p[0] + static_cast<int>(r);
        }
        m_minor_origin = x ? s.oy : s.ox;
        m_minor_last = x ? s.grid.height - 1 : s.grid.width - 1;
        m_major_cell = x ? s.grid.cell_width_m : s.grid.cell_height_m;
        m_minor_cell = x ? s.grid.cell_height_m : s.grid.cell_width_m;
        const auto gw = static_cast<std::ptrdiff_t>(s.grid.width);
        const auto sw = static_cast<std::ptrdiff_t>(stride);
        m_major_grid = x ? m_major_step : m_major_step * gw;
        m_minor_grid = (x ? gw : 1) * (minor_down ? -1 : 1);
        m_major_seen = x ? m_major_step : m_major_step * sw;
        m_minor_seen = (x ? sw : 1) * (minor_down ? -1 : 1);
        m_origin_grid = static_cast<std::ptrdiff_t>(s.oy) * gw + s.ox;
        m_origin_seen = seen + static_cast<std::ptrdiff_t>(s.oy - s.y0) * sw + (s.ox - s.x0);
    }

    ViewshedCounts run() {
        OctantRays& a = *m_rays;
        std::size_t alive = a.n.size();  // rays walking at step k: last ≥ k
        std::size_t rising = a.n.size(); // rays taking in the terrain at step k: last > k
        for (int k = 1; k <= m_k_count; ++k) {
            while (alive > 0 && a.last[alive - 1] < k) --alive;
            while (rising > 0 && a.last[rising - 1] <= k) --rising;
            if (!m_uniform) advance(a, alive); // a uniform octant's rays are placed from p·k directly
            const int j_last = cells_in_range(k);
            if (alive == 0) {
                judge_unwalked(k, j_last);
            } else if (m_uniform) {
                judge_uniform(k, j_last, alive);
            } else {
                judge_nearest(k, j_last, alive);
            }
            if (m_uniform) {
                raise_uniform(k, rising);
            } else {
                for (std::size_t r = 0; r < rising; ++r) {
                    a.terrain[r] = terrain_at(k, a.q[r], a.rem[r], a.n[r], a.inv_n[r]);
                }
                raise_horizons(a, rising, k, m_s.curvature, m_s.z_obs);
            }
        }
        return m_tally;
    }

private:
    static constexpr int j_first = minor_down ? 1 : 0; // the axis belongs to the octant above it

    std::ptrdiff_t cell_grid(int k, int j) const { return m_origin_grid + k * m_major_grid + j * m_minor_grid; }
    std::uint8_t& cell_out(int k, int j) const { return m_origin_seen[k * m_major_seen + j * m_minor_seen]; }
    double distance2(int k, int j) const { // = Sweep::distance2 of the cell, bit for bit
        const double major_m = k * m_major_cell;
        const double minor_m = j * m_minor_cell;
        return major_m * major_m + minor_m * minor_m;
    }

    // The last cell of column k within range (by Sweep::finish's test); the cells after it are
    // written out_of_range here, without a ray.
    int cells_in_range(int k) {
        const int j_end = std::min(m_x_major ? k : k - 1, m_j_count);
        if (!std::isfinite(m_s.max_distance2)) return j_end;
        const double major_m = k * m_major_cell;
        const double left = std::max(0.0, m_s.max_distance2 - major_m * major_m);
        int j_last = static_cast<int>(std::min<double>(j_end, std::floor(std::sqrt(left) / m_minor_cell)));
        while (j_last >= j_first && distance2(k, j_last) > m_s.max_distance2) --j_last;
        while (j_last < j_end && distance2(k, j_last + 1) <= m_s.max_distance2) ++j_last;
        for (int j = std::max(j_last + 1, j_first); j <= j_end; ++j) cell_out(k, j) = m_s.out_of_range_value;
        return j_last;
    }

    // Cell (k, j) judged over ray `best`'s horizon.
    void judge(int k, int j, std::size_t best) {
        const Sweep& s = m_s;
        const double d2 = distance2(k, j);
        const float zc = s.grid.z[static_cast<std::size_t>(cell_grid(k, j))];
        const double eye = s.z_obs - s.target_height; // a target is seen when z − curvature − eye clears
        cell_out(k, j) = s.finish(seen_over(zc - s.curvature * d2 - eye, d2, m_rays->hn[best], m_rays->hd[best]), zc,
                                  d2, z_plain, m_tally);
    }

    // Past every ray's range cut: out of range (judged by the exact line of sight if not).
    void judge_unwalked(int k, int j_last) {
        for (int j = j_first; j <= j_last; ++j) {
            const double d2 = distance2(k, j);
            const int c = m_x_major ? m_s.ox + m_major_step * k : m_s.ox + (minor_down ? -j : j);
            const int r = m_x_major ? m_s.oy + (minor_down ? -j : j) : m_s.oy + m_major_step * k;
            cell_out(k, j) = m_s.finish(d2 <= m_s.max_distance2 && m_s.visible(c, r),
                                        m_s.grid.z[static_cast<std::size_t>(cell_grid(k, j))], d2, z_plain, m_tally);
        }
    }

    // Ray p crosses column k at p·k/n; for cell j, j·n = pl·k + rm: ray pl is rm/n of a cell
    // below j, ray pl + 1 (k − rm)/n above it (stepped exactly, no division).
    void judge_uniform(int k, int j_last, std::size_t alive) {
        const OctantRays& a = *m_rays;
        const int n = a.n[0];
        const int p_min = a.p[0];
        const int step_q = n / k;
        const int step_r = n % k;
        int pl = j_first * n / k;
        int rm = j_first * n % k;
        const auto last_ray = static_cast<std::ptrdiff_t>(alive) - 1;
        for (int j = j_first; j <= j_last; ++j) {
            const std::ptrdiff_t lo = pl - p_min;
            bool up = 2 * rm > k;
            if (2 * rm == k && lo + 1 <= last_ray && lo >= 0) up = a.index[lo + 1] < a.index[lo];
            judge(k, j, static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(lo + (up ? 1 : 0), 0, last_ray)));
            pl += step_q;
            rm += step_r;
            const bool wrap = rm >= k;
            rm -= wrap ? k : 0;
            pl += wrap ? 1 : 0;
        }
    }

    // Rays of several lengths: `lo`, the last ray crossing at or below j, moves up with j; the
    // nearer of it and the next decides, by their offsets from j in cells as the float of an
    // exact fraction (distinct fractions of these sizes stay distinct).
    void judge_nearest(int k, int j_last, std::size_t alive) {
        const OctantRays& a = *m_rays;
        std::size_t lo = 0;
        for (int j = j_first; j <= j_last; ++j) {
            auto at_or_below = [&](std::size_t r) { return a.q[r] < j || (a.q[r] == j && a.rem[r] == 0); };
            while (lo + 1 < alive && at_or_below(lo + 1)) ++lo;
            std::size_t best = lo;
            if (lo + 1 < alive && at_or_below(lo)) {
                const std::size_t hi = lo + 1;
                const float below = static_cast<float>(((j - a.q[lo]) * a.n[lo] - a.rem[lo]) * a.inv_n[lo]);
                const float above = static_cast<float>(((a.q[hi] - j) * a.n[hi] + a.rem[hi]) * a.inv_n[hi]);
                if (above < below || (above == below && a.index[hi] < a.index[lo])) best = hi;
            }
            judge(k, j, best);
        }
    }

    // The terrain where a ray at minor offset q + rem/n crosses column k (as Sweep::terrain_at):
    // between m0 at the lower coordinate and the next cell, at fraction t of a cell from m0.
    double terrain_at(int k, int q, int rem, int n, double inv_n) const {
        const bool below = minor_down & (rem != 0);
        const int lower_off = minor_down ? -(q + (below ? 1 : 0)) : q; // m0 − origin
        const int t_num = below ? n - rem : rem;
        const int m0 = m_minor_origin + lower_off;
        const int m1 = std::min(m0 + 1, m_minor_last);
        const std::ptrdiff_t minor_grid = minor_down ? -m_minor_grid : m_minor_grid; // towards higher m
        const std::ptrdiff_t i0 = m_origin_grid + k * m_major_grid + lower_off * minor_grid;
        const float* const z = m_s.grid.z.data();
        const float z0 = z[i0];
        const float z1 = z[i0 + (m1 - m0) * minor_grid];
        const double t = t_num * inv_n;
        return z_plain ? z0 + (static_cast<double>(z1) - z0) * t : m_s.interpolate(z0, z1, t);
    }

    // Ray p_min + r is at (p_min + r)·k / n = q + rem / n: one division per column, then exact
    // steps of k / n, and the horizon raised in the same pass.
    void raise_uniform(int k, std::size_t rising) {
        OctantRays& a = *m_rays;
        const int n = a.n[0];
        const double inv_n = a.inv_n[0];
        const double curvature = m_s.curvature;
        const double z_obs = m_s.z_obs;
        const std::int64_t first = static_cast<std::int64_t>(a.p[0]) * k; // p_min is 0 or 1 here
        int q = static_cast<int>(first / n);
        int rem = static_cast<int>(first % n);
        double* const hn = a.hn.data();
        double* const hd = a.hd.data();
        const double* const step_m = a.step_m.data();
        for (std::size_t r = 0; r < rising; ++r) {
            const double terrain = terrain_at(k, q, rem, n, inv_n);
            const double d = k * step_m[r];
            const double rise = terrain - curvature * d * d - z_obs;
            const bool up = rise * hd[r] > hn[r] * d;
            hn[r] = up ? rise : hn[r];
            hd[r] = up ? d : hd[r];
            rem += k;
            const bool wrap = rem >= n;
            rem -= wrap ? n : 0;
            q += wrap ? 1 : 0;
        }
    }

    const Sweep& m_s;
    bool m_x_major;
    int m_major_step;
    int m_k_count = 0;
    int m_j_count = 0;
    std::optional<OctantRays> m_rays;
    bool m_uniform = false;
    int m_minor_origin = 0;
    int m_minor_last = 0;
    double m_major_cell = 0.0;
    double m_minor_cell = 0.0;
    std::ptrdiff_t m_major_grid = 0;
    std::ptrdiff_t m_minor_grid = 0; // one step of j, away from the axis
    std::ptrdiff_t m_major_seen = 0;
    std::ptrdiff_t m_minor_seen = 0;
    std::ptrdiff_t m_origin_grid = 0;
    std::uint8_t* m_origin_seen = nullptr;
    ViewshedCounts m_tally;
};

template <bool minor_down, bool z_plain>
ViewshedCounts sweep_octant(const Sweep& s, int o, std::vector<Ray>& rays, std::uint8_t* seen, std::size_t stride) {
    return OctantSweep<minor_down, z_plain>(s, o, rays, seen, stride).run();
}

int octant_of(int dx, int dy) {
    const bool x_major = std::abs(dx) >= std::abs(dy);
    const int major = x_major ? dx : dy;
    const int minor = x_major ? dy : dx;
    return (x_major ? 0 : 4) + (major > 0 ? 0 : 2) + (minor >= 0 ? 0 : 1);
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

} // namespace

ViewshedCounts sweep_r2(const Sweep& s, int threads, std::uint8_t* out, std::size_t stride) {
    const bool z_plain = !s.has_voids;
    // Past the range (plus a cell's diagonal) nothing is decided, so a ray stops there.
    const double reach = std::isfinite(s.max_distance2)
                             ? std::sqrt(s.max_distance2) + 2.0 * std::max(s.grid.cell_width_m, s.grid.cell_height_m)
                             : 0.0;
    std::array<std::vector<Ray>, 8> octants;
    const auto edges = edge_cells(s);
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const int dx = edges[i].first - s.ox;
        const int dy = edges[i].second - s.oy;
        if (dx == 0 && dy == 0) continue;
        const bool x_major = std::abs(dx) >= std::abs(dy);
        Ray ray;
        ray.n = std::max(std::abs(dx), std::abs(dy));
        ray.p = x_major ? std::abs(dy) : std::abs(dx);
        ray.index = static_cast<std::uint32_t>(i);
        ray.last = ray.n;
        if (std::isfinite(s.max_distance2)) {
            const double d_total = std::sqrt(s.distance2(dx, dy));
            ray.last = std::min(ray.n, static_cast<int>(std::ceil(ray.n * reach / d_total)));
        }
        octants[static_cast<std::size_t>(octant_of(dx, dy))].push_back(ray);
    }
    std::array<ViewshedCounts, 9> tallies{};
    out[static_cast<std::size_t>(s.oy - s.y0) * stride + (s.ox - s.x0)] = s.finish(true, s.z(s.ox, s.oy), 0.0, false, tallies[8]);
    geo::ParallelOptions parallel_options;
    parallel_options.threads = threads;
    geo::parallel_for(octants.size(), parallel_options, [&](std::size_t begin, std::size_t end) {
        for (std::size_t o = begin; o < end; ++o) {
            const int oct = static_cast<int>(o);
            const bool down = (oct & 1) != 0;
            tallies[o] = down ? (z_plain ? sweep_octant<true, true>(s, oct, octants[o], out, stride)
                                         : sweep_octant<true, false>(s, oct, octants[o], out, stride))
                              : (z_plain ? sweep_octant<false, true>(s, oct, octants[o], out, stride)
                                         : sweep_octant<false, false>(s, oct, octants[o], out, stride));
        }
    });
    ViewshedCounts counts;
    for (const auto& t : tallies) {
        counts.visible_cells += t.visible_cells;
        counts.nodata_cells += t.nodata_cells;
    }
    return counts;
}

} // namespace deadzone::model::detail
