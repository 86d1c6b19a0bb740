// pipeline/analyze: `deadzone analyze` as one library call (ingest → model → overlay → track →
// emit) that the CLI and the HTTP service both make; it returns the facts and every warning.
#pragma once

#include <deadzone/core/date.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/core/progress.hpp>
#include <deadzone/emit/layers.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/pipeline/analysis.hpp>

#include <filesystem>

namespace deadzone::pipeline {

struct AnalysisOptions {
    std::filesystem::path campaign; // campaign.json, or the folder holding it
    ingest::InputFiles files;       // overrides of the campaign's own input files
    Date as_of;
    std::filesystem::path out_dir;  // where the output set goes; empty = no file is written
    bool write_files = true;        // false: only analyse (out_dir is ignored)
    emit::LayerOptions layers;
    emit::ReportOptions reports;
    int threads = 0;                // 0 = all cores; results do not depend on it
    /// --lang: the human outputs' language over the campaign's `locale` (inputs are still read
    /// by the campaign's own rules: --lang never changes how a date or number is read).
    std::optional<Language> language;
};

struct AnalysisResult {
    Analysis analysis;
    Diagnostics diagnostics; // every warning, the inputs' first and then the model's
};

/// Reads the campaign and its inputs, analyses them and (when asked) writes the output set.
/// Throws InputError when an input is rejected (every problem listed, nothing written),
/// OutputRefused when out_dir may not be written (checked before any work, see outputs.hpp),
/// Failure on I/O errors, Cancelled when `progress` says stop.
AnalysisResult run_analysis(const AnalysisOptions& options, const Progress& progress = {});

/// Every file run_analysis reads for `options` once the campaign is loaded (what the output
/// folder must never be, contain or overwrite).
std::vector<std::filesystem::path> analysis_inputs(const Campaign& campaign, const ingest::InputFiles& files);

} // namespace deadzone::pipeline
