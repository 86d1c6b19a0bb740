// emit/reports: progress.json, progress.csv, report.md and a self-contained report.html
// (inline SVG burn-up charts and map) — the same numbers in all four.
#pragma once

#include <deadzone/pipeline/analysis.hpp>

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>

namespace deadzone::emit {

/// The progress.json document.
nlohmann::ordered_json progress_json(const Analysis& analysis);

/// "As of 30 June 2022: 251 of 628 villages covered (40.0 %) — 40 % milestone met".
std::string headline(const Analysis& analysis);

struct ReportOptions {
    /// Also write each province's to-do list as todo_NN_<province>.csv (`--todo`).
    bool todo_csv = false;
};

void write_reports(const Analysis& analysis, const std::filesystem::path& out_dir,
                   const ReportOptions& options = {});

} // namespace deadzone::emit
