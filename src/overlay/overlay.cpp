#include <deadzone/overlay/overlay.hpp>

#include "geometry.hpp"
#include "population.hpp"

#include <deadzone/core/error.hpp>
#include <deadzone/geo/parallel.hpp>

// Boost.Geometry 1.74's envelope and rescale-policy code, once inlined here, trips GCC's
// -Wmaybe-uninitialized (false positives inside Boost; its variables are set before use).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace deadzone::overlay {

const Period* OperatorCoverage::period_at(Date day) const noexcept {
    for (const auto& period : covered_periods) {
        if (period.contains(day)) {
            return &period;
        }
    }
    return nullptr;
}

const OperatorCoverage* VillageCoverage::find(std::string_view operator_code) const noexcept {
    for (const auto& entry : operators) {
        if (entry.operator_code == operator_code) {
            return &entry;
        }
    }
    return nullptr;
}

namespace {

using IndexEntry = std::pair<geo::Box, std::size_t>; // footprint envelope, footprint index
using FootprintIndex = bgi::rtree<IndexEntry, bgi::rstar<16>>;

/// A fraction this close below the rule still meets it: the set operations and the area sums
/// carry rounding of about 1e-12, and a village covered exactly to the rule must count.
constexpr double rule_tolerance = 1e-9;


/// The part of one footprint inside one village.
struct Clip {
    std::size_t cell = 0;
    bool full = false;           // the footprint covers the whole village
    detail::Piece piece;         // village ∩ footprint; unused when full
    std::vector<char> people;    // per population sample: its centre is in this clip
};

/// Whether a footprint that is not convex holds the whole village: a few village vertices are
/// tried first, so that the common partial case leaves after a cheap test.
bool covers_village(const geo::MultiPolygon& village, const geo::MultiPolygon& shape) {
    for (const auto& polygon : village) {
        const auto& ring = polygon.outer();
        const std::size_t n = ring.size();
        for (std::size_t k = 0; k < 4 && n > 0; ++k) {
            if (!bg::covered_by(ring[k * n / 4], shape)) {
                return false;
            }
        }
    }
    return bg::covered_by(village, shape);
}

/// The part of one footprint (`shape`, its envelope `box`; `convex` when detail::is_convex_ccw holds)
/// inside a village: the whole village (a footprint holding it needs no overlay at all), a piece
/// of it, or nothing when only the envelopes meet. `cell` and `people` are left for the caller.
std::optional<Clip> clip_footprint(const geo::MultiPolygon& village, const geo::Box& village_box,
                                   const geo::MultiPolygon& shape, const geo::Box& box, bool convex) {
    Clip piece;
    const bool may_cover = bg::covered_by(village_box, box);
    geo::MultiPolygon part;
    if (convex) {
        auto fit = detail::fit_convex(village, shape.front().outer(), may_cover);
        switch (fit.kind) {
        case detail::ConvexFit::Kind::covers:
            piece.full = true;
            return piece;
        case detail::ConvexFit::Kind::apart:
            return std::nullopt; // envelopes overlap, shapes do not
        case detail::ConvexFit::Kind::clipped:
            part = std::move(fit.part);
            break;
        case detail::ConvexFit::Kind::general:
            part = detail::intersection(village, shape);
            break;
        }
    } else {
        if (may_cover && covers_village(village, shape)) {
            piece.full = true;
            return piece;
        }
        part = detail::intersection(village, shape);
    }
    if (part.empty() && !bg::intersects(village, shape)) {
        return std::nullopt; // envelopes overlap, shapes do not
    }
    piece.piece = detail::make_piece(std::move(part));
    return piece;
}

/// The footprint shapes one worker unfolded lately (a folded disc is written out whole to be
/// clipped): villages are visited in Hilbert order, so the discs one village meets are mostly
/// met again by the next few. Direct-mapped by footprint index.
class ShapeCache {
public:
    const geo::MultiPolygon& get(const std::vector<model::Footprint>& footprints, std::size_t id) {
        auto& slot = m_slots[id % m_slots.size()];
        if (slot.id != id + 1) {
            slot.id = id + 1;
            slot.shape = &footprints[id].shape.get(slot.scratch);
        }
        return *slot.shape;
    }

private:
    struct Slot {
        std::size_t id = 0; // footprint index + 1; 0: empty
        const geo::MultiPolygon* shape = nullptr;
        geo::MultiPolygon scratch;
    };
    std::array<Slot, 256> m_slots;
};

/// Everything the sweep of one village needs, built once per village.
class VillageOverlay {
public:
    VillageOverlay(const Village& village, const std::vector<model::Footprint>& footprints,
                   const std::vector<char>& convex, const FootprintIndex& index,
                   const detail::PopulationRaster* raster, ShapeCache& shapes)
        : m_village(village) {
        m_box = bg::return_envelope<geo::Box>(village.geometry);
        m_area_m2 = geo::equal_area_m2(village.geometry);
        if (raster != nullptr) {
            m_samples = raster->samples(village.geometry, m_box);
            for (const auto& sample : m_samples) {
                m_people += sample.people;
            }
            m_weighted = m_people > 0.0;
        }
        clip(footprints, convex, index, shapes);
    }

    bool weighted() const noexcept { return m_weighted; }
    double area_m2() const noexcept { return m_area_m2; }
    const std::vector<Clip>& clips() const noexcept { return m_clips; }
    const geo::MultiPolygon& shape() const noexcept { return m_village.geometry; }

    /// Union of the given clips inside the village; `full` when one of them covers it all.
    detail::Piece union_of(const std::vector<std::size_t>& ids) const {
        std::vector<detail::Piece> pieces;
        for (const auto id : ids) {
            if (m_clips[id].full) {
                return village_piece();
            }
            if (!m_clips[id].piece.shape.empty()) {
                pieces.push_back(m_clips[id].piece);
            }
        }
        return detail::make_piece(detail::cascaded_union(std::move(pieces)));
    }

    /// Adds clips to a union already computed (cells coming on air).
    detail::Piece extend(detail::Piece base, const std::vector<std::size_t>& ids) const {
        std::vector<detail::Piece> pieces{std::move(base)};
        for (const auto id : ids) {
            if (m_clips[id].full) {
                return village_piece();
            }
            if (!m_clips[id].piece.shape.empty()) {
                pieces.push_back(m_clips[id].piece);
            }
        }
        return detail::make_piece(detail::cascaded_union(std::move(pieces)));
    }

    detail::Piece village_piece() const { return detail::Piece{m_village.geometry, m_box}; }

    /// Area fraction of a union computed by union_of/extend (exactly 1 for the village itself:
    /// the same vertices give the same sum).
    double area_fraction(const detail::Piece& covered) const {
        if (m_area_m2 <= 0.0) {
            return 0.0;
        }
        return std::clamp(geo::equal_area_m2(covered.shape) / m_area_m2, 0.0, 1.0);
    }

    /// Population fraction of the union of the given clips: pixel centres in any of them.
    double people_fraction(const std::vector<std::size_t>& ids) const {
        double covered = 0.0;
        for (std::size_t s = 0; s < m_samples.size(); ++s) {
            for (const auto id : ids) {
                if (m_clips[id].full || m_clips[id].people[s] != 0) {
                    covered += m_samples[s].people;
                    break;
                }
            }
        }
        return std::clamp(covered / m_people, 0.0, 1.0);
    }

private:
    void clip(const std::vector<model::Footprint>& footprints, const std::vector<char>& convex,
              const FootprintIndex& index, ShapeCache& shapes) {
        std::vector<IndexEntry> candidates;
        index.query(bgi::intersects(m_box), std::back_inserter(candidates));
        // Cell order, so that everything downstream is independent of the rtree's layout.
        std::sort(candidates.begin(), candidates.end(), [&](const IndexEntry& a, const IndexEntry& b) {
            return footprints[a.second].cell < footprints[b.second].cell;
        });
        for (const auto& [box, id] : candidates) {
            const auto& footprint = footprints[id];
            auto piece = clip_footprint(m_village.geometry, m_box, shapes.get(footprints, id), footprint.box,
                                        convex[id] != 0);
            if (!piece) {
                continue;
            }
            piece->cell = footprint.cell;
            if (m_weighted) {
                piece->people.assign(m_samples.size(), 0);
                for (std::size_t s = 0; s < m_samples.size(); ++s) {
                    const auto& position = m_samples[s].position;
                    piece->people[s] = piece->full || (bg::covered_by(position, piece->piece.box) &&
                                                       bg::covered_by(position, piece->piece.shape));
                }
            }
            m_clips.push_back(std::move(*piece));
        }
    }

    const Village& m_village;
    geo::Box m_box;
    double m_area_m2 = 0.0;
    std::vector<detail::PopulationSample> m_samples;
    double m_people = 0.0;
    bool m_weighted = false;
    std::vector<Clip> m_clips;
};

/// The operator's state at the as-of date, kept for the all-operators union.
struct AsOfState {
    std::vector<std::size_t> active; // clip ids
    detail::Piece covered;           // their union (area mode only)
};

struct SweepOutput {
    OperatorCoverage coverage;
    AsOfState as_of;
};

/// The first day on which the operator's revised dates would meet the rule: starting from the
/// cells in service at the as-of date, add each cell that is not on air yet on the day it is due
/// (its on-air date when listed in the future, else its expected_on_air_date; a revised date
/// already past counts as the next day, since the cell is still not on air). Off-air events after
/// the as-of date are not anticipated. Empty when these cells never meet the rule.
std::optional<Date> expected_cover_date(const VillageOverlay& overlay, const std::vector<Cell>& cells,
                                        const std::vector<std::size_t>& ids, const AsOfState& state,
                                        Date as_of, double min_fraction) {
    std::vector<std::pair<Date, std::size_t>> arrivals;
    for (const auto id : ids) {
        const Cell& cell = cells[overlay.clips()[id].cell];
        if (const auto service = cell.service()) {
            if (service->first > as_of) {
                arrivals.emplace_back(service->first, id);
            }
        } else if ((cell.status == CellStatus::planned || cell.status == CellStatus::building) &&
                   cell.delay.expected_on_air_date) {
            arrivals.emplace_back(std::max(*cell.delay.expected_on_air_date, as_of + 1), id);
        }
    }
    if (arrivals.empty()) {
        return std::nullopt; // nothing arrives: no copy of the as-of state needed
    }
    std::sort(arrivals.begin(), arrivals.end());
    std::vector<std::size_t> active = state.active;
    detail::Piece covered = state.covered;
    for (std::size_t i = 0; i < arrivals.size();) {
        const Date date = arrivals[i].first;
        std::vector<std::size_t> added;
        for (; i < arrivals.size() && arrivals[i].first == date; ++i) {
            added.push_back(arrivals[i].second);
            active.push_back(arrivals[i].second);
        }
        double value = 0.0;
        if (overlay.weighted()) {
            std::sort(active.begin(), active.end());
            value = overlay.people_fraction(active);
        } else {
            covered = overlay.extend(std::move(covered), added);
            value = overlay.area_fraction(covered);
        }
        if (value >= min_fraction - rule_tolerance) {
            return date;
        }
    }
    return std::nullopt;
}

/// A clip's cell going on air (on) or off air.
struct Event {
    Date date;
    bool on = false;
    std::size_t id = 0; // clip id
};

/// The clips' on-air and off-air events in date order (on-air after off-air on the same day);
/// `all_permanent` tells whether every clip is on air from some date and never off.
std::vector<Event> service_events(const VillageOverlay& overlay, const std::vector<Cell>& cells,
                                  const std::vector<std::size_t>& ids, bool& all_permanent) {
    std::vector<Event> events;
    all_permanent = true;
    for (const auto id : ids) {
        const auto service = cells[overlay.clips()[id].cell].service();
        if (!service) {
            all_permanent = false;
            continue;
        }
        events.push_back({service->first, true, id});
        if (service->end) {
            all_permanent = false;
            events.push_back({*service->end, false, id});
        }
    }
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
        return std::tie(a.date, a.on, a.id) < std::tie(b.date, b.on, b.id);
    });
    return events;
}

/// The periods in which a step function of the date (value from each step's date on) meets the
/// rule.
std::vector<Period> periods_meeting(const std::vector<std::pair<Date, double>>& steps, double min_fraction) {
    std::vector<Period> periods;
    std::optional<Date> start;
    for (const auto& [date, fraction] : steps) {
        const bool meets = fraction >= min_fraction - rule_tolerance;
        if (meets && !start) {
            start = date;
        } else if (!meets && start) {
            periods.push_back({*start, date});
            start.reset();
        }
    }
    if (start) {
        periods.push_back({*start, std::nullopt});
    }
    return periods;
}

/// Sweeps one operator's service events in date order; the fraction is a step function of the
/// date that only changes at events, so one overlay per distinct event date suffices.
SweepOutput sweep_operator(const VillageOverlay& overlay, const std::vector<Cell>& cells,
                           const std::string& code, const std::vector<std::size_t>& ids,
                           Date as_of, double min_fraction) {
    SweepOutput out;
    out.coverage.operator_code = code;
    for (const auto id : ids) {
        out.coverage.cells.push_back(overlay.clips()[id].cell);
    }
    bool all_permanent = true;
    const auto events = service_events(overlay, cells, ids, all_permanent);

    const bool weighted = overlay.weighted();
    std::vector<std::size_t> active;
    detail::Piece covered;
    double value = 0.0;
    std::vector<std::pair<Date, double>> steps;
    for (std::size_t i = 0; i < events.size();) {
        const Date date = events[i].date;
        std::vector<std::size_t> added;
        bool removed = false;
        for (; i < events.size() && events[i].date == date; ++i) {
            if (events[i].on) {
                added.push_back(events[i].id);
                active.push_back(events[i].id);
            } else {
                removed = true;
                std::erase(active, events[i].id);
            }
        }
        std::sort(active.begin(), active.end());
        if (weighted) {
            value = overlay.people_fraction(active);
        } else {
            // Cells only arriving: grow the previous union; a cell leaving: rebuild it.
            covered = removed ? overlay.union_of(active) : overlay.extend(std::move(covered), added);
            value = overlay.area_fraction(covered);
        }
        steps.emplace_back(date, value);
        if (date <= as_of) {
            out.coverage.fraction = value;
            const bool last_before = i == events.size() || events[i].date > as_of;
            if (last_before) {
                out.as_of.active = active;
                if (!weighted) {
                    out.as_of.covered = covered;
                }
            }
        }
    }

    out.coverage.covered_periods = periods_meeting(steps, min_fraction);

    if (out.coverage.fraction < min_fraction - rule_tolerance) {
        out.coverage.expected_covered_on =
            expected_cover_date(overlay, cells, ids, out.as_of, as_of, min_fraction);
    }

    if (all_permanent && !ids.empty()) {
        out.coverage.potential_fraction = value; // the sweep ended with every clip active
    } else if (weighted) {
        out.coverage.potential_fraction = overlay.people_fraction(ids);
    } else {
        out.coverage.potential_fraction = overlay.area_fraction(overlay.union_of(ids));
    }
    return out;
}

VillageCoverage cover_village(const Village& village, const std::vector<Cell>& cells,
                              const std::vector<model::Footprint>& footprints, const std::vector<char>& convex,
                              const FootprintIndex& index, const detail::PopulationRaster* raster,
                              ShapeCache& shapes, Date as_of, double min_fraction, bool compute_gaps) {
    const VillageOverlay overlay(village, footprints, convex, index, raster, shapes);
    VillageCoverage out;
    out.area_km2 = overlay.area_m2() / 1e6;
    out.population_weighted = overlay.weighted();

    std::map<std::string, std::vector<std::size_t>> by_operator;
    for (std::size_t id = 0; id < overlay.clips().size(); ++id) {
        by_operator[cells[overlay.clips()[id].cell].operator_code].push_back(id);
    }

    std::vector<std::size_t> active_all;
    std::vector<detail::Piece> covered_all;
    for (const auto& [code, ids] : by_operator) {
        auto sweep = sweep_operator(overlay, cells, code, ids, as_of, min_fraction);
        out.operators.push_back(std::move(sweep.coverage));
        active_all.insert(active_all.end(), sweep.as_of.active.begin(), sweep.as_of.active.end());
        if (!sweep.as_of.covered.shape.empty()) {
            covered_all.push_back(std::move(sweep.as_of.covered));
        }
    }
    std::sort(active_all.begin(), active_all.end());

    const bool any_full = std::any_of(active_all.begin(), active_all.end(),
                                      [&](std::size_t id) { return overlay.clips()[id].full; });
    detail::Piece covered;
    const bool need_geometry = compute_gaps || !overlay.weighted();
    if (any_full) {
        covered = overlay.village_piece();
    } else if (need_geometry && !active_all.empty()) {
        covered = covered_all.size() == 1 ? std::move(covered_all.front())
                  : overlay.weighted()    ? overlay.union_of(active_all)
                                          : detail::make_piece(detail::cascaded_union(std::move(covered_all)));
    }
    if (overlay.weighted()) {
        out.any_fraction = overlay.people_fraction(active_all);
    } else if (any_full) {
        out.any_fraction = overlay.area_m2() > 0.0 ? 1.0 : 0.0;
    } else {
        out.any_fraction = overlay.area_fraction(covered);
    }

    if (compute_gaps) {
        if (any_full) {
            out.gap.clear();
        } else if (covered.shape.empty()) {
            out.gap = village.geometry;
        } else {
            out.gap = detail::difference(village.geometry, covered.shape);
        }
        out.gap_km2 = geo::equal_area_m2(out.gap) / 1e6;
    }
    return out;
}

/// Village indices in Hilbert order of their envelopes' centres.
std::vector<std::size_t> hilbert_order(const std::vector<Village>& villages) {
    const double none = std::numeric_limits<double>::quiet_NaN(); // an empty village goes first
    std::vector<geo::Point> centres(villages.size(), geo::Point{none, none});
    for (std::size_t v = 0; v < villages.size(); ++v) {
        if (!villages[v].geometry.empty()) {
            bg::centroid(bg::return_envelope<geo::Box>(villages[v].geometry), centres[v]);
        }
    }
    return detail::hilbert_order(centres);
}

} // namespace

Result run_overlay(const std::vector<Village>& villages, const std::vector<Cell>& cells,
                   const std::vector<model::Footprint>& footprints, const Campaign& campaign,
                   Date as_of, const Options& options, const Progress& progress) {
    std::vector<IndexEntry> entries;
    entries.reserve(footprints.size());
    std::vector<char> convex(footprints.size(), 0); // footprints open to the convex fast paths
    geo::MultiPolygon unfolded;
    for (std::size_t i = 0; i < footprints.size(); ++i) {
        if (footprints[i].cell >= cells.size()) {
            throw Failure("overlay: footprint " + std::to_string(i) + " refers to cell " +
                          std::to_string(footprints[i].cell) + " of " + std::to_string(cells.size()));
        }
        if (!footprints[i].shape.empty()) {
            entries.emplace_back(footprints[i].box, i);
            convex[i] = detail::is_convex_ccw(footprints[i].shape.get(unfolded)) ? 1 : 0;
        }
    }
    const FootprintIndex index(entries.begin(), entries.end()); // bulk-loaded (packed)

    Result result;
    result.as_of = as_of;
    result.villages.resize(villages.size());
    if (campaign.population_raster) {
        // Opened here once so that a bad raster is reported before any work starts.
        const detail::PopulationRaster check(*campaign.population_raster);
        result.population_weighted = true;
    }

    geo::ParallelOptions parallel;
    parallel.threads = options.threads;
    parallel.chunk = 8;
    parallel.on_progress = [&](std::size_t done) {
        progress.report(static_cast<double>(done) / static_cast<double>(villages.size()), "overlay");
    };
    // Villages are visited in Hilbert order of their envelopes' centres, so that one worker's
    // consecutive villages meet the same footprints (ShapeCache) and memory; each result goes
    // to its village's own slot, so the order changes nothing in it.
    const auto order = hilbert_order(villages);
    // One raster handle per thread: a GDAL dataset must not be read from two threads at once.
    const auto workers = static_cast<std::size_t>(geo::parallel_workers(villages.size(), parallel));
    std::vector<std::unique_ptr<detail::PopulationRaster>> rasters(workers);
    std::vector<ShapeCache> caches(workers);
    geo::parallel_for(villages.size(), parallel, [&](std::size_t begin, std::size_t end, int worker) {
        auto& raster = rasters[static_cast<std::size_t>(worker)];
        if (campaign.population_raster && !raster) {
            raster = std::make_unique<detail::PopulationRaster>(*campaign.population_raster);
        }
        auto& cache = caches[static_cast<std::size_t>(worker)];
        for (std::size_t k = begin; k < end; ++k) {
            const std::size_t v = order[k];
            result.villages[v] = cover_village(villages[v], cells, footprints, convex, index, raster.get(), cache,
                                               as_of, campaign.coverage_rule.min_fraction, options.compute_gaps);
        }
    });
    progress.report(1.0, "overlay");
    return result;
}

double covered_fraction(const geo::MultiPolygon& village, const std::vector<const geo::MultiPolygon*>& footprints) {
    const double area_m2 = geo::equal_area_m2(village);
    if (area_m2 <= 0.0) {
        return 0.0;
    }
    const auto village_box = bg::return_envelope<geo::Box>(village);
    std::vector<detail::Piece> pieces;
    for (const auto* shape : footprints) {
        if (shape->empty()) {
            continue;
        }
        const auto box = bg::return_envelope<geo::Box>(*shape);
        if (!bg::intersects(box, village_box)) {
            continue;
        }
        auto clip = clip_footprint(village, village_box, *shape, box, detail::is_convex_ccw(*shape));
        if (!clip) {
            continue;
        }
        if (clip->full) {
            return 1.0; // as VillageOverlay::area_fraction of the village itself
        }
        if (!clip->piece.shape.empty()) {
            pieces.push_back(std::move(clip->piece));
        }
    }
    const auto covered = detail::cascaded_union(std::move(pieces));
    return std::clamp(geo::equal_area_m2(covered) / area_m2, 0.0, 1.0);
}

} // namespace deadzone::overlay
