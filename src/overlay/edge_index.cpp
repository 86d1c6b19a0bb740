#include "edge_index.hpp"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized" // Boost 1.74's envelope code, see geometry.cpp
#endif
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace deadzone::overlay::detail {

namespace {

/// Edges per run: short enough that a query's false hits cost little, long enough that the tree
/// stays small (a national coverage has about a million edges).
constexpr std::size_t run_edges = 16;

geo::Box edge_box(const geo::Point& a, const geo::Point& b) {
    return {{std::min(a.x(), b.x()), std::min(a.y(), b.y())}, {std::max(a.x(), b.x()), std::max(a.y(), b.y())}};
}

} // namespace

struct EdgeIndex::Tree {
    using Entry = std::pair<geo::Box, std::uint32_t>;
    bgi::rtree<Entry, bgi::quadratic<16>> rtree;
};

EdgeIndex::EdgeIndex(const geo::MultiPolygon& shape) : m_tree(std::make_unique<Tree>()) {
    std::vector<Tree::Entry> entries;
    const auto add_ring = [&](const geo::Ring& ring) {
        if (ring.size() < 2) {
            return;
        }
        const std::size_t edges = ring.size() - 1; // closed rings: the last point repeats the first
        for (std::size_t first = 0; first < edges; first += run_edges) {
            const std::size_t count = std::min(run_edges, edges - first);
            geo::Box box = edge_box(ring[first], ring[first + 1]);
            for (std::size_t i = first + 1; i < first + count; ++i) {
                bg::expand(box, ring[i + 1]);
            }
            entries.emplace_back(box, static_cast<std::uint32_t>(m_runs.size()));
            m_runs.push_back({&ring[first], static_cast<std::uint32_t>(count)});
        }
    };
    for (const auto& polygon : shape) {
        add_ring(polygon.outer());
        for (const auto& inner : polygon.inners()) {
            add_ring(inner);
        }
    }
    m_tree->rtree = decltype(m_tree->rtree)(entries.begin(), entries.end()); // packed (STR) construction
}

EdgeIndex::~EdgeIndex() = default;

bool EdgeIndex::reaches(const geo::Box& box) const {
    for (auto it = m_tree->rtree.qbegin(bgi::intersects(box)); it != m_tree->rtree.qend(); ++it) {
        const Run& run = m_runs[it->second];
        for (std::uint32_t i = 0; i < run.edges; ++i) {
            if (bg::intersects(edge_box(run.points[i], run.points[i + 1]), box)) {
                return true;
            }
        }
    }
    return false;
}

std::optional<bool> EdgeIndex::contains(const geo::Point& p, const geo::Box& clear) const {
    if (!bg::covered_by(p, clear)) {
        return std::nullopt;
    }
    // The ray from p due east: an edge crosses it when one end is above p and the other is not
    // (the half-open rule, so a vertex on the ray counts once) and the edge lies east of p.
    const geo::Box ray{p, {std::numeric_limits<double>::max(), p.y()}};
    bool inside = false;
    for (auto it = m_tree->rtree.qbegin(bgi::intersects(ray)); it != m_tree->rtree.qend(); ++it) {
        const Run& run = m_runs[it->second];
        for (std::uint32_t i = 0; i < run.edges; ++i) {
            const geo::Point& a = run.points[i];
            const geo::Point& b = run.points[i + 1];
            if ((a.y() > p.y()) == (b.y() > p.y())) {
                continue;
            }
            const geo::Box box = edge_box(a, b);
            if (bg::intersects(box, clear)) {
                return std::nullopt; // the caller's box is not clear of the edges
            }
            if (box.min_corner().x() > p.x()) {
                inside = !inside;
            }
        }
    }
    return inside;
}

} // namespace deadzone::overlay::detail
