// pipeline/check: `deadzone check` as a library call: which files are checked, against what,
// and the cross-file rules; the CLI and the service only print the report.
//
// Which files: with a campaign alone, the campaign's own files; as soon as villages,
// commitments or stations are given, only the files given are checked, still against the
// campaign's operators, area and radius. Commitments are cross-checked against villages: the
// villages file given, else the campaign's (read for the cross-check only; its own problems are
// not reported). Stations need no villages, so none are read for them.
#pragma once

#include <deadzone/core/error.hpp>
#include <deadzone/core/progress.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace deadzone::pipeline {

struct CheckOptions {
    std::optional<std::filesystem::path> campaign; // campaign.json or its folder
    std::optional<std::filesystem::path> villages;
    std::optional<std::filesystem::path> commitments;
    std::vector<std::filesystem::path> stations;
    std::optional<std::string> operator_code;      // of the station files
    std::vector<std::filesystem::path> measurements; // field measurement files
};

struct CheckedFile {
    std::string file;
    std::string kind; // campaign | villages | commitments | stations | measurements
    std::size_t records = 0;
    std::size_t errors = 0;
    std::size_t warnings = 0;
};

struct CheckReport {
    std::vector<CheckedFile> files;
    std::vector<std::string> notes; // what was not checked, and why
    Diagnostics diagnostics;
    bool ok() const noexcept { return !diagnostics.has_errors(); }
};

/// Checks the files; never throws for bad input (it lands in the report). Throws UsageError
/// when there is nothing to check or the operator is given without station files.
CheckReport run_check(const CheckOptions& options, const Progress& progress = {});

/// {"ok", "errors", "warnings", "files": [...], "notes": [...], "problems": [...]}.
nlohmann::ordered_json check_json(const CheckReport& report);

} // namespace deadzone::pipeline
