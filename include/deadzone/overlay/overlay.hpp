// overlay: per village, the fraction covered by each operator and by all operators together at
// the as-of date, the periods during which each operator met the coverage rule (found by
// sweeping the cells' on-air/off-air events), and the uncovered remainder. rtree-indexed.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/date.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/core/progress.hpp>
#include <deadzone/model/footprint.hpp>

#include <optional>
#include <string>
#include <vector>

namespace deadzone::overlay {

/// Covered on the days [from, to); `to` empty = still covered at the end of the data.
struct Period {
    Date from;
    std::optional<Date> to;
    bool contains(Date day) const noexcept { return from <= day && (!to || day < *to); }
};

struct OperatorCoverage {
    std::string operator_code;
    double fraction = 0.0;           // covered share at the as-of date
    /// Share covered if every listed cell of the operator were in service (planned and
    /// building ones included, dates ignored): tells whether the plan can meet the rule.
    double potential_fraction = 0.0;
    /// Every period in which fraction >= min_fraction, in date order, over all dates.
    std::vector<Period> covered_periods;
    /// When the rule is not met at the as-of date: the first day it would be met if the cells not
    /// yet on air arrive on their listed or revised (expected_on_air_date) dates; empty if never.
    std::optional<Date> expected_covered_on;
    /// Cells whose footprint intersects the village (indices into the cell list, ascending).
    std::vector<std::size_t> cells;

    /// The covered period containing `day`, if any.
    const Period* period_at(Date day) const noexcept;
};

struct VillageCoverage {
    double area_km2 = 0.0;       // equal-area (geo::equal_area_m2), as every area deadzone reports
    double any_fraction = 0.0;   // all operators together at the as-of date
    /// One entry per operator with a footprint touching the village, sorted by code.
    std::vector<OperatorCoverage> operators;
    geo::MultiPolygon gap;       // the part no operator covers at the as-of date
    double gap_km2 = 0.0;
    /// Fractions of this village are population-weighted (false when no raster was given or the
    /// raster holds no populated pixel centre inside the village: then they are area fractions).
    bool population_weighted = false;

    const OperatorCoverage* find(std::string_view operator_code) const noexcept;
};

struct Options {
    int threads = 0;            // 0 = all cores
    bool compute_gaps = true;   // gap geometries (not needed for a plain report)
};

struct Result {
    Date as_of;
    bool population_weighted = false; // fractions weighted by the campaign's population raster
    std::vector<VillageCoverage> villages; // parallel to the village list
};

Result run_overlay(const std::vector<Village>& villages, const std::vector<Cell>& cells,
                   const std::vector<model::Footprint>& footprints, const Campaign& campaign,
                   Date as_of, const Options& options = {}, const Progress& progress = {});

/// Area share of `village` covered by the union of `footprints` (their order is the union's),
/// measured as run_overlay measures an area fraction: the same fast paths, clips, cascaded union
/// and equal-area ratio. For callers that weigh candidate cells one village at a time (the
/// sample generator, tools/gen_campaign).
double covered_fraction(const geo::MultiPolygon& village, const std::vector<const geo::MultiPolygon*>& footprints);

/// Footprints of one operator's cells in service at a date, dissolved (coverage.geojson).
struct OperatorArea {
    std::string operator_code;
    geo::MultiPolygon area;
    double area_km2 = 0.0;
    std::size_t cells = 0; // cells in service that contributed
};

/// One entry per campaign operator (in campaign order), even when it has no cell on air.
std::vector<OperatorArea> dissolve_coverage(const std::vector<Cell>& cells,
                                            const std::vector<model::Footprint>& footprints,
                                            const Campaign& campaign, Date as_of,
                                            const Progress& progress = {});
/// The same on `options.threads` threads (0 = all cores; compute_gaps does not apply).
std::vector<OperatorArea> dissolve_coverage(const std::vector<Cell>& cells,
                                            const std::vector<model::Footprint>& footprints,
                                            const Campaign& campaign, Date as_of, const Options& options,
                                            const Progress& progress = {});
/// The same, moving the shapes of the footprints it merges into the union instead of copying
/// them (they are left empty; cell, box and area stay): for a caller that needs them no more.
/// At national scale the copies were a third of the footprints' memory at the run's peak.
std::vector<OperatorArea> dissolve_coverage_consuming(const std::vector<Cell>& cells,
                                                      std::vector<model::Footprint>& footprints,
                                                      const Campaign& campaign, Date as_of, const Options& options,
                                                      const Progress& progress = {});

} // namespace deadzone::overlay
