#include <deadzone/emit/layers.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/model/pathloss.hpp>
#include <deadzone/model/terrain_footprint.hpp>
#include <deadzone/overlay/overlay.hpp>
#include <deadzone/pipeline/pipeline.hpp>
#include <deadzone/track/track.hpp>

#include <fmt/format.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <set>
#include <string>
#include <system_error>
#include <tuple>

namespace deadzone::pipeline {

namespace {

// The propagation formulas are empirical: say once per technology and model when the campaign
// uses them outside the range they were fitted on (distance is judged per cell, not here).
void warn_model_validity(const Campaign& campaign, const std::vector<Cell>& cells, const Location& source,
                         Diagnostics& diagnostics) {
    std::set<std::tuple<int, double, double>> configurations;
    std::set<std::string> said;
    for (const auto& cell : cells) {
        if (cell.range_m || campaign.model.terrain_model == "itm") {
            continue; // a fixed radius bypasses the propagation model; ITM warns per link itself
        }
        const auto radio = model::radio_params(cell, campaign);
        const auto chosen = model::resolve(campaign.model.propagation, radio.freq_mhz);
        if (!configurations.emplace(static_cast<int>(chosen), radio.freq_mhz, radio.height_m).second) {
            continue;
        }
        model::PathLossQuery query;
        query.freq_mhz = radio.freq_mhz;
        query.tx_height_m = radio.height_m;
        query.rx_height_m = campaign.model.rx_height_m;
        query.distance_km = 5.0;
        query.environment = campaign.model.environment;
        query.city = campaign.model.city;
        for (auto& text : model::validity_warnings(chosen, query)) {
            auto message = fmt::format("{} cells ({}): {}", to_string(cell.tech),
                                       model::to_string(chosen), text);
            if (said.insert(message).second) {
                diagnostics.warning(source, "model",
                                    "model_validity", std::move(message));
            }
        }
    }
}

/// A run with field measurements: the campaign names sample files, or samples were given.
bool measured_run(const Campaign& campaign, const std::vector<Sample>& samples) {
    return !campaign.measurements.empty() || !samples.empty();
}

// Without terrain or measurements the footprint shapes serve the overlay and the dissolve only:
// emit needs each footprint's area (the stations layer); the footprints layer and line of sight
// exist for terrain runs. At national scale the shapes are the largest thing the run holds
// (300 000 discs of 128 vertices: ~0.6 GB): the dissolve takes those it merges, and the rest
// (cells not in service) are released here; cell, box and area stay.
void release_unused_shapes(std::vector<model::Footprint>& footprints) {
    for (auto& fp : footprints) fp.shape.clear();
#ifdef __GLIBC__
    // The shapes were built on the worker threads, in their malloc arenas, which keep the freed
    // pages; emit allocates on this thread and could not reuse them. Hand them back.
    malloc_trim(0);
#endif
}

} // namespace

Analysis analyze(Campaign campaign, ingest::Inputs inputs, Date as_of, const Options& options,
                 const Progress& progress) {
    Analysis analysis;
    analysis.as_of = as_of;
    Location source = options.campaign_source;
    if (source.file.empty()) {
        source.file = campaign.file.empty() ? std::string{"campaign"} : campaign.file.string();
    }
    warn_model_validity(campaign, inputs.cells, source, analysis.diagnostics);

    progress.report(0.0, "footprints");
    model::FootprintOptions footprint_options;
    footprint_options.threads = options.threads;
    // The model seam: the campaign picks the model; a terrain model checks its DEM here, once.
    model::FootprintModelFactory factory;
    if (!campaign.model.terrain_model.empty()) {
        const auto dem = model::check_dem(campaign);
        for (auto& warning : model::dem_warnings(dem)) analysis.diagnostics.add(std::move(warning));
        factory = model::make_terrain_footprint_factory(campaign, dem);
    } else {
        factory = model::make_model_factory(campaign);
    }
    analysis.footprints = options.footprint_cache
                              ? options.footprint_cache->build(inputs.cells, campaign, options.campaign_key, factory,
                                                               footprint_options, progress.sub(0.0, 0.25))
                              : model::build_footprints(inputs.cells, campaign, factory, footprint_options,
                                                        progress.sub(0.0, 0.25));
    for (auto& warning : model::footprint_warnings(analysis.footprints, inputs.cells, source.file)) {
        analysis.diagnostics.add(std::move(warning));
    }

    overlay::Options overlay_options;
    overlay_options.threads = options.threads;
    overlay_options.compute_gaps = options.compute_gaps;
    analysis.overlay = overlay::run_overlay(inputs.villages, inputs.cells, analysis.footprints,
                                            campaign, as_of, overlay_options,
                                            progress.sub(0.25, 0.85));
    const bool measured = measured_run(campaign, inputs.samples);
    progress.report(0.85, "tracking");
    if (measured) {
        overlay::MeasurementOptions measurement_options;
        measurement_options.threads = options.threads;
        // Over the terrain the calibration's predicted level is the terrain model's, as the footprints.
        if (!campaign.model.terrain_model.empty()) {
            measurement_options.point_model = factory;
        }
        analysis.measured = overlay::measure_villages(inputs.samples, inputs.villages, inputs.cells,
                                                      analysis.footprints, campaign, as_of, measurement_options);
        analysis.measurements = track::judge_measurements(campaign, inputs.villages, inputs.samples,
                                                          analysis.overlay, analysis.measured);
    }
    // Under coverage_rule.evidence `both` or `measurement` statuses follow the samples too.
    const bool by_evidence = analysis.measurements.active && campaign.coverage_rule.evidence != Evidence::prediction;
    const overlay::Result judged =
        by_evidence ? track::evidence_overlay(analysis.overlay, analysis.measurements, campaign) : overlay::Result{};
    const overlay::Result& statuses_from = by_evidence ? judged : analysis.overlay;
    analysis.tracking = track::run_track(campaign, inputs.villages, inputs.commitments, statuses_from, as_of);
    track::explain_delays(analysis.tracking, inputs.villages, inputs.commitments, inputs.cells, statuses_from);

    analysis.campaign = std::move(campaign);
    analysis.villages = std::move(inputs.villages);
    analysis.commitments = std::move(inputs.commitments);
    analysis.cells = std::move(inputs.cells);
    analysis.samples = std::move(inputs.samples);
    if (!options.dissolve_later) {
        dissolve(analysis, options, progress.sub(0.86, 1.0));
    }
    progress.report(1.0, "done");
    return analysis;
}

void dissolve(Analysis& analysis, const Options& options, const Progress& progress) {
    overlay::Options overlay_options;
    overlay_options.threads = options.threads;
    // The shapes are needed after the dissolve by the footprints layer over terrain and by the
    // measurements; otherwise the dissolve takes them (release_unused_shapes).
    const bool shapes_needed =
        !analysis.campaign.model.terrain_model.empty() || measured_run(analysis.campaign, analysis.samples);
    analysis.coverage = shapes_needed ? overlay::dissolve_coverage(analysis.cells, analysis.footprints, analysis.campaign,
                                                                   analysis.as_of, overlay_options, progress)
                                      : overlay::dissolve_coverage_consuming(analysis.cells, analysis.footprints,
                                                                             analysis.campaign, analysis.as_of,
                                                                             overlay_options, progress);
    if (!shapes_needed) release_unused_shapes(analysis.footprints);
}

} // namespace deadzone::pipeline
