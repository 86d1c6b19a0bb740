// Field samples against villages and footprints: an rtree over the villages' envelopes and one
// over the footprints' boxes, then exact point-in-polygon tests (boundary counts as inside, as
// the overlay's intersections do). Each sample writes only its own slot, so the result does not
// depend on the thread count.
#include <deadzone/overlay/measurements.hpp>

#include <deadzone/geo/geodesic.hpp>
#include <deadzone/geo/parallel.hpp>
#include <deadzone/model/pathloss.hpp>

// Boost.Geometry 1.74's envelope code trips GCC 12's -Wmaybe-uninitialized (false positives
// inside Boost, as in ingest/stations.cpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

namespace deadzone::overlay {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using Entry = std::pair<geo::Box, std::uint32_t>;
using Index = bgi::rtree<Entry, bgi::rstar<16>>;

Index village_index(const std::vector<Village>& villages) {
    std::vector<Entry> entries;
    entries.reserve(villages.size());
    for (std::size_t i = 0; i < villages.size(); ++i) {
        if (!villages[i].geometry.empty()) {
            entries.emplace_back(bg::return_envelope<geo::Box>(villages[i].geometry), static_cast<std::uint32_t>(i));
        }
    }
    return Index(entries.begin(), entries.end()); // bulk loading: packed, and fast
}

Index footprint_index(const std::vector<model::Footprint>& footprints) {
    std::vector<Entry> entries;
    entries.reserve(footprints.size());
    for (std::size_t i = 0; i < footprints.size(); ++i) {
        if (!footprints[i].shape.empty()) {
            entries.emplace_back(footprints[i].box, static_cast<std::uint32_t>(i));
        }
    }
    return Index(entries.begin(), entries.end());
}

/// The villages holding `point`, ascending.
void containing_villages(const Index& index, const std::vector<Village>& villages, const geo::Point& point,
                         std::vector<Entry>& scratch, std::vector<std::uint32_t>& out) {
    scratch.clear();
    out.clear();
    index.query(bgi::intersects(point), std::back_inserter(scratch));
    for (const auto& [box, v] : scratch) {
        if (bg::covered_by(point, villages[v].geometry)) {
            out.push_back(v);
        }
    }
    std::sort(out.begin(), out.end());
}

/// Predicted coverage and level of one sample from its operator's cells of its technology.
void judge_prediction(const Sample& sample, const Index& index, const std::vector<Cell>& cells,
                      const std::vector<model::Footprint>& footprints, const Campaign& campaign, bool predict,
                      model::FootprintModel* point_model, std::vector<Entry>& scratch, SampleJudgement& judgement) {
    scratch.clear();
    index.query(bgi::intersects(sample.position), std::back_inserter(scratch));
    // Cell order, so that ties between equally strong cells do not depend on the rtree's layout.
    std::sort(scratch.begin(), scratch.end(), [](const Entry& a, const Entry& b) { return a.second < b.second; });
    geo::MultiPolygon unfolded;
    for (const auto& [box, f] : scratch) {
        const auto& footprint = footprints[f];
        const Cell& cell = cells[footprint.cell];
        if (cell.operator_code != sample.operator_code || cell.tech != sample.tech || !cell.in_service(sample.day) ||
            !bg::covered_by(sample.position, footprint.shape.get(unfolded))) {
            continue;
        }
        judgement.predicted_covered = true;
        if (!predict) {
            return;
        }
        const auto level = point_model ? predicted_level_dbm(cell, campaign, sample.position, *point_model)
                                       : predicted_level_dbm(cell, campaign, sample.position);
        if (level && (std::isnan(judgement.predicted_dbm) || *level > judgement.predicted_dbm)) {
            judgement.predicted_dbm = *level;
            judgement.best_cell = static_cast<std::int32_t>(footprint.cell);
        }
    }
}

/// EIRP + horizontal pattern towards `point` - the path loss: what both level predictions return.
double received_dbm(const Cell& cell, const model::RadioParams& radio, const Campaign& campaign,
                    const geo::Point& point, double distance_m, double loss_db) {
    double pattern_db = 0.0;
    if (radio.azimuth_deg && distance_m > 0.0) {
        const double off = geo::azimuth_deg(cell.position, point) - *radio.azimuth_deg;
        pattern_db = model::antenna_pattern_db(off, radio.beamwidth_deg, campaign.model.max_attenuation_db);
    }
    return radio.eirp_dbm + pattern_db - loss_db;
}

} // namespace

const OperatorSamples* VillageSamples::find(std::string_view operator_code) const noexcept {
    for (const auto& entry : operators) {
        if (entry.operator_code == operator_code) {
            return &entry;
        }
    }
    return nullptr;
}

std::optional<double> predicted_level_dbm(const Cell& cell, const Campaign& campaign, const geo::Point& point) {
    if (cell.range_m) {
        return std::nullopt; // a fixed radius says where, not how strong
    }
    const auto radio = model::radio_params(cell, campaign);
    const double distance_m = geo::distance_m(cell.position, point);
    if (distance_m > campaign.model.max_range_m) {
        return std::nullopt;
    }
    model::PathLossQuery query;
    query.freq_mhz = radio.freq_mhz;
    query.tx_height_m = radio.height_m;
    query.rx_height_m = campaign.model.rx_height_m;
    // The empirical formulas are fitted from 1 km out; a sample under the mast is held at 20 m
    // rather than letting log10(d) run to minus infinity.
    query.distance_km = std::max(distance_m, 20.0) / 1000.0;
    query.environment = campaign.model.environment;
    query.city = campaign.model.city;
    const double loss_db = model::path_loss_db(model::resolve(campaign.model.propagation, radio.freq_mhz), query);
    return received_dbm(cell, radio, campaign, point, distance_m, loss_db);
}

std::optional<double> predicted_level_dbm(const Cell& cell, const Campaign& campaign, const geo::Point& point,
                                          model::FootprintModel& model) {
    if (cell.range_m) {
        return std::nullopt;
    }
    const auto radio = model::radio_params(cell, campaign);
    const auto loss_db = model.loss_db_at(cell, radio, point);
    if (!loss_db) {
        return predicted_level_dbm(cell, campaign, point);
    }
    return received_dbm(cell, radio, campaign, point, geo::distance_m(cell.position, point), *loss_db);
}

MeasurementOverlay measure_villages(const std::vector<Sample>& samples, const std::vector<Village>& villages,
                                    const std::vector<Cell>& cells, const std::vector<model::Footprint>& footprints,
                                    const Campaign& campaign, Date as_of, const MeasurementOptions& options,
                                    const Progress& progress) {
    MeasurementOverlay result;
    result.as_of = as_of;
    if (const auto window = campaign.coverage_rule.measurement.window_days) {
        result.window_first_day = as_of - (*window - 1);
    }
    result.samples.resize(samples.size());
    result.villages.resize(villages.size());
    progress.report(0.0, "indexing villages");
    const Index villages_rtree = village_index(villages);
    const Index footprints_rtree = footprint_index(footprints);
    std::map<Tech, double> thresholds;
    for (const auto& [tech, defaults] : campaign.radio_defaults) {
        thresholds[tech] = campaign.measurement_threshold_dbm(tech);
    }

    // (sample, village) pairs per chunk, merged in chunk order after the loop.
    std::mutex merge_mutex;
    std::map<std::size_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>> pairs_by_chunk;
    geo::ParallelOptions parallel;
    parallel.threads = options.threads;
    parallel.chunk = 4096;
    parallel.on_progress = [&](std::size_t done) {
        progress.report(static_cast<double>(done) / static_cast<double>(std::max<std::size_t>(samples.size(), 1)),
                        "measurements");
    };
    geo::parallel_for(samples.size(), parallel, [&](std::size_t begin, std::size_t end) {
        // This chunk's own model (its own DEM handle) when the levels come over the terrain.
        const auto point_model =
            options.predict_levels && options.point_model ? options.point_model() : std::unique_ptr<model::FootprintModel>{};
        std::vector<Entry> scratch;
        std::vector<std::uint32_t> inside;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
        for (std::size_t s = begin; s < end; ++s) {
            const Sample& sample = samples[s];
            SampleJudgement& judgement = result.samples[s];
            judgement.counted = sample.day <= as_of && (!result.window_first_day || *result.window_first_day <= sample.day);
            const auto threshold = thresholds.find(sample.tech);
            judgement.at_threshold = threshold != thresholds.end() && sample.level_dbm >= threshold->second;
            containing_villages(villages_rtree, villages, sample.position, scratch, inside);
            if (!inside.empty()) {
                judgement.village = static_cast<std::int32_t>(inside.front());
            }
            if (!judgement.counted) {
                continue; // outside the window: shown on the layer, judged by nothing
            }
            for (const auto v : inside) {
                pairs.emplace_back(v, static_cast<std::uint32_t>(s));
            }
            judge_prediction(sample, footprints_rtree, cells, footprints, campaign, options.predict_levels,
                             point_model.get(), scratch, judgement);
        }
        const std::lock_guard lock(merge_mutex);
        pairs_by_chunk.emplace(begin, std::move(pairs));
    });

    for (const auto& [begin, pairs] : pairs_by_chunk) {
        for (const auto& [v, s] : pairs) {
            const Sample& sample = samples[s];
            auto& list = result.villages[v].operators;
            auto it = std::lower_bound(list.begin(), list.end(), sample.operator_code,
                                       [](const OperatorSamples& a, const std::string& code) { return a.operator_code < code; });
            if (it == list.end() || it->operator_code != sample.operator_code) {
                it = list.insert(it, OperatorSamples{sample.operator_code, 0, 0, std::nullopt});
            }
            ++it->samples;
            it->at_threshold += result.samples[s].at_threshold ? 1 : 0;
            if (!it->first_day || sample.day < *it->first_day) {
                it->first_day = sample.day;
            }
        }
    }
    progress.report(1.0, "measurements");
    return result;
}

} // namespace deadzone::overlay
