// pipeline: the whole chain ingest → model → overlay → track in one call, and the writing of
// every output file; `analyze`, `check`, `report` and `export` are library calls here
// (pipeline/*.hpp), which the CLI and the HTTP service only fill and print.
#pragma once

#include <deadzone/core/progress.hpp>
#include <deadzone/emit/layers.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/pipeline/analysis.hpp>
#include <deadzone/pipeline/analyze.hpp>
#include <deadzone/pipeline/footprint_cache.hpp>
#include <deadzone/pipeline/outputs.hpp>
#include <deadzone/pipeline/problems.hpp>

#include <filesystem>

namespace deadzone::pipeline {

struct Options {
    int threads = 0;               // 0 = all cores
    bool compute_gaps = true;
    /// Where the campaign came from, for its warnings; empty file = the campaign's own file
    /// (a store passes itself and the layer "campaign").
    Location campaign_source;
    /// Footprints kept between analyses (the HTTP service keeps one); null = computed here.
    /// `campaign_key` identifies the campaign's settings for it (see footprint_cache.hpp).
    std::shared_ptr<FootprintCache> footprint_cache;
    std::string campaign_key;
    /// Leave Analysis::coverage to a later call of dissolve(), which the caller may run while
    /// the other layers are written (run_analysis does; emit writes the coverage layer last).
    bool dissolve_later = false;
};

/// Runs model → overlay → track on inputs already read and validated, then dissolves each
/// operator's coverage (unless `options.dissolve_later`).
Analysis analyze(Campaign campaign, ingest::Inputs inputs, Date as_of, const Options& options = {},
                 const Progress& progress = {});

/// Fills `analysis.coverage`: each operator's footprints in service, dissolved. Without terrain
/// and measurements nothing else needs the footprint shapes: it takes those it merges and
/// releases the rest (each footprint keeps its cell, box and area). It reads the campaign, the
/// as-of date, the cells and the footprints, and writes nothing but the coverage and the
/// footprints' shapes, so emit may write every other layer meanwhile.
void dissolve(Analysis& analysis, const Options& options = {}, const Progress& progress = {});

} // namespace deadzone::pipeline
