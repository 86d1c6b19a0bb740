// pipeline: the whole chain ingest → model → overlay → track in one call, and the writing of
// every output file; `analyze` and the store's `export` both go through here.
#pragma once

#include <deadzone/analysis.hpp>
#include <deadzone/emit/layers.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/progress.hpp>

#include <filesystem>

namespace deadzone::pipeline {

struct Options {
    int threads = 0;               // 0 = all cores
    bool compute_gaps = true;
};

/// Runs model → overlay → track on inputs already read and validated.
Analysis analyze(Campaign campaign, ingest::Inputs inputs, Date as_of, const Options& options = {},
                 const Progress& progress = {});

/// Writes layers and reports into out_dir (created if needed). Files are written to a
/// temporary folder first and moved into place, so a failed run leaves earlier outputs intact.
void write_outputs(const Analysis& analysis, const std::filesystem::path& out_dir,
                   const emit::LayerOptions& layers = {}, const Progress& progress = {},
                   const emit::ReportOptions& reports = {});

} // namespace deadzone::pipeline
