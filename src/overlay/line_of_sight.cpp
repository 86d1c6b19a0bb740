// Line-of-sight shares: an rtree over the line-of-sight shapes' envelopes, then per village
// the union of its intersections with the shapes of the cells in service, per operator and in
// all, with the overlay's repairing set operations.
#include <deadzone/overlay/line_of_sight.hpp>

#include <deadzone/geo/parallel.hpp>

#include "geometry.hpp"

// Boost.Geometry 1.74's envelope code, once inlined here, trips GCC's -Wmaybe-uninitialized
// (false positives inside Boost; its variables are set before use).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace deadzone::overlay {

namespace {

using Entry = std::pair<geo::Box, std::size_t>; // envelope, footprint index

double share(const geo::MultiPolygon& part, double village_m2) {
    if (part.empty() || village_m2 <= 0.0) return 0.0;
    return std::clamp(detail::equal_area_m2(part) / village_m2, 0.0, 1.0);
}

} // namespace

LineOfSight line_of_sight_fractions(const std::vector<Village>& villages, const std::vector<Cell>& cells,
                                    const std::vector<model::Footprint>& footprints, Date as_of, int threads) {
    LineOfSight out;
    std::vector<Entry> entries;
    std::vector<geo::Box> boxes(footprints.size());
    for (std::size_t i = 0; i < footprints.size(); ++i) {
        const auto& fp = footprints[i];
        if (!fp.line_of_sight) continue;
        out.has_terrain = true;
        if (fp.line_of_sight->empty() || fp.cell >= cells.size() || !cells[fp.cell].in_service(as_of)) continue;
        boxes[i] = bg::return_envelope<geo::Box>(*fp.line_of_sight);
        entries.emplace_back(boxes[i], i);
    }
    if (!out.has_terrain) return out;
    const bgi::rtree<Entry, bgi::rstar<16>> index(entries.begin(), entries.end());
    out.any.assign(villages.size(), 0.0);
    out.by_operator.assign(villages.size(), {});
    geo::ParallelOptions parallel;
    parallel.threads = threads;
    parallel.chunk = 16;
    geo::parallel_for(villages.size(), parallel, [&](std::size_t begin, std::size_t end) {
        for (std::size_t v = begin; v < end; ++v) {
            const auto& village = villages[v];
            const auto box = bg::return_envelope<geo::Box>(village.geometry);
            std::vector<Entry> hits;
            index.query(bgi::intersects(box), std::back_inserter(hits));
            // Cell order, so the unions (and their last bits) do not depend on the rtree.
            std::sort(hits.begin(), hits.end(), [](const Entry& a, const Entry& b) { return a.second < b.second; });
            const double village_m2 = detail::equal_area_m2(village.geometry);
            std::map<std::string, geo::MultiPolygon> seen;
            geo::MultiPolygon all;
            for (const auto& [ignored, i] : hits) {
                const auto& fp = footprints[i];
                auto part = detail::intersection(village.geometry, *fp.line_of_sight);
                if (part.empty()) continue;
                auto& mine = seen[cells[fp.cell].operator_code];
                mine = mine.empty() ? part : detail::unite(mine, part);
                all = all.empty() ? std::move(part) : detail::unite(all, part);
            }
            out.any[v] = share(all, village_m2);
            for (const auto& [code, part] : seen) out.by_operator[v][code] = share(part, village_m2);
        }
    });
    return out;
}

} // namespace deadzone::overlay
