// pipeline/outputs: the output folder of `analyze` and `export`, written as a whole set or not
// at all, and never over an input, a store, or anything deadzone did not write itself.
#pragma once

#include <deadzone/core/error.hpp>
#include <deadzone/core/progress.hpp>
#include <deadzone/emit/layers.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/pipeline/analysis.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace deadzone::pipeline {

/// The output folder cannot be used (exit code 2): it is, holds or would overwrite an input or
/// a store, or holds something deadzone did not write. Nothing was written.
class OutputRefused : public UsageError {
public:
    using UsageError::UsageError;
};

/// The file every output folder deadzone writes carries: its first line says what it is, then
/// one line per file of the set. A folder without it is never replaced unless it is empty.
inline constexpr const char* output_marker = ".deadzone-output";

/// Throws OutputRefused when `out_dir` may not receive an output set:
///  - it is empty (""), or exists and is not a folder;
///  - it is, or contains (at any depth, through symlinks or `..`), one of `protected_files`,
///    or holds a hard link to one (same device and inode);
///  - it exists, is not empty, and has no output marker, or holds an entry its marker does not
///    list (a file someone put there) or a sub-folder.
/// `protected_files` that do not exist are ignored.
void check_output_folder(const std::filesystem::path& out_dir,
                         const std::vector<std::filesystem::path>& protected_files);

/// Writes layers and reports as one set: into a fresh sibling folder first
/// (`.NAME.deadzone-new-PID-N` beside `out_dir`), then swapped in whole by one atomic rename
/// (renameat2 RENAME_EXCHANGE) under a lock on the parent folder, after check_output_folder
/// passed again under that lock. A failure at any point leaves the earlier set as it was;
/// concurrent writers into one folder each land whole, the last one wins. `coverage_ready`:
/// see emit::write_layers.
void write_outputs(const Analysis& analysis, const std::filesystem::path& out_dir,
                   const std::vector<std::filesystem::path>& protected_files,
                   const emit::LayerOptions& layers = {}, const Progress& progress = {},
                   const emit::ReportOptions& reports = {}, const std::shared_future<void>& coverage_ready = {});

/// The files an analysis of `campaign` reads: the campaign file, its villages, commitments,
/// station files and population raster (as resolved at load time).
std::vector<std::filesystem::path> campaign_files(const Campaign& campaign);

/// The files of a store named by `store` (a path, or "gpkg:PATH"): the GeoPackage and the
/// SQLite side files next to it (-wal, -shm, -journal). Empty for a URI naming no file.
std::vector<std::filesystem::path> store_files(const std::string& store);

} // namespace deadzone::pipeline
