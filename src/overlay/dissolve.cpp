// dissolve_coverage: per operator, the footprints of its cells in service at a date merged into
// one valid shape (coverage.geojson), by a cascaded union in Hilbert order (docs/overlay.md,
// "dissolve_coverage").
#include <deadzone/overlay/overlay.hpp>

#include "geometry.hpp"

#include <deadzone/core/error.hpp>

// Boost.Geometry 1.74's envelope code, once inlined here, trips GCC's -Wmaybe-uninitialized
// (false positives inside Boost; its variables are set before use).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bg = boost::geometry;

namespace deadzone::overlay {

std::vector<OperatorArea> dissolve_coverage(const std::vector<Cell>& cells,
                                            const std::vector<model::Footprint>& footprints,
                                            const Campaign& campaign, Date as_of,
                                            const Progress& progress) {
    return dissolve_coverage(cells, footprints, campaign, as_of, Options{}, progress);
}

namespace {

// dissolve_coverage's body; `consume`: the pieces take the footprints' shapes by move (the
// footprints are not const then).
template <bool consume, typename Footprints>
std::vector<OperatorArea> dissolve(const std::vector<Cell>& cells, Footprints& footprints, const Campaign& campaign,
                                   Date as_of, const Options& options, const Progress& progress) {
    std::vector<OperatorArea> out;
    const int threads = options.threads;
    const double share = campaign.operators.empty() ? 1.0 : 1.0 / campaign.operators.size();
    for (std::size_t o = 0; o < campaign.operators.size(); ++o) {
        const auto& code = campaign.operators[o].code;
        const auto step = progress.sub(o * share, (o + 1) * share);
        std::vector<std::size_t> ids;
        geo::Box extent;
        bg::assign_inverse(extent);
        for (std::size_t i = 0; i < footprints.size(); ++i) {
            const auto& footprint = footprints[i];
            if (footprint.cell >= cells.size()) {
                throw Failure("overlay: footprint " + std::to_string(i) + " refers to cell " +
                              std::to_string(footprint.cell) + " of " + std::to_string(cells.size()));
            }
            const auto& cell = cells[footprint.cell];
            if (cell.operator_code == code && cell.in_service(as_of) && !footprint.shape.empty()) {
                ids.push_back(i);
                bg::expand(extent, footprint.box);
            }
        }
        // Hilbert order puts neighbours side by side, so the cascade's first levels merge
        // overlapping footprints and every piece covers a compact area. Distant parts cost
        // little in a merge (see detail::cascaded_union), so no grouping is needed.
        const double width = std::max(extent.max_corner().x() - extent.min_corner().x(), 1e-9);
        const double height = std::max(extent.max_corner().y() - extent.min_corner().y(), 1e-9);
        std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
        keyed.reserve(ids.size());
        for (const auto i : ids) {
            geo::Point centre;
            bg::centroid(footprints[i].box, centre);
            keyed.emplace_back(detail::hilbert_key((centre.x() - extent.min_corner().x()) / width,
                                                   (centre.y() - extent.min_corner().y()) / height),
                               footprints[i].cell);
        }
        std::vector<std::size_t> order(ids.size());
        for (std::size_t k = 0; k < ids.size(); ++k) {
            order[k] = k;
        }
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keyed[a] < keyed[b]; });
        // Each footprint is made a piece (a folded disc unfolded) as the cascade's first level
        // reaches it, so that an operator's footprints are never all whole at once.
        const auto piece = [&](std::size_t k) {
            auto& footprint = footprints[ids[order[k]]];
            if constexpr (consume) {
                return detail::Piece{footprint.shape.take(), footprint.box};
            } else {
                return detail::Piece{footprint.shape.unfolded(), footprint.box};
            }
        };
        OperatorArea area;
        area.operator_code = code;
        area.cells = ids.size();
        // Valid by itself, not only once the writers have repaired it (tools/bench-dissolve
        // measures this cascade against GEOS' unary union: the cascade is the faster).
        area.area = detail::valid_shape(detail::cascaded_union(order.size(), piece, threads));
        area.area_km2 = geo::equal_area_m2(area.area) / 1e6;
        step.report(1.0, "dissolving coverage");
        out.push_back(std::move(area));
    }
    return out;
}

} // namespace

std::vector<OperatorArea> dissolve_coverage(const std::vector<Cell>& cells,
                                            const std::vector<model::Footprint>& footprints,
                                            const Campaign& campaign, Date as_of, const Options& options,
                                            const Progress& progress) {
    return dissolve<false>(cells, footprints, campaign, as_of, options, progress);
}

std::vector<OperatorArea> dissolve_coverage_consuming(const std::vector<Cell>& cells,
                                                      std::vector<model::Footprint>& footprints,
                                                      const Campaign& campaign, Date as_of, const Options& options,
                                                      const Progress& progress) {
    return dissolve<true>(cells, footprints, campaign, as_of, options, progress);
}

} // namespace deadzone::overlay
