// pipeline/store_analysis: `report` and `export` as library calls: the store's state as known
// at an upload, run through the pipeline as of a date (and, for export, written out).
#pragma once

#include <deadzone/core/date.hpp>
#include <deadzone/core/progress.hpp>
#include <deadzone/pipeline/analysis.hpp>
#include <deadzone/store/store.hpp>

#include <deadzone/emit/reports.hpp>
#include <deadzone/pipeline/footprint_cache.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace deadzone::pipeline {

struct StoreAnalysisOptions {
    std::string store;    // as given to open_store
    Date as_of;
    std::string known_at; // an upload id or a UTC time (see store::resolve_known_at); empty = latest
    int threads = 0;
    emit::ReportOptions reports; // export: optional report files (to-do lists)
    std::optional<Language> language; // --lang: the human outputs' language over the campaign's locale
    /// Footprints kept between analyses of this store (the service keeps one); null = none.
    std::shared_ptr<FootprintCache> footprint_cache;
};

/// The key under which a store's footprints may be cached (FootprintCache): the store and the
/// digest of the campaign it was created with.
std::string store_campaign_key(const store::Store& store);

struct StoreAnalysis {
    Analysis analysis;    // analysis.diagnostics: the model's warnings, naming STORE:campaign
    store::Upload known_at;
};

/// Throws StoreError (store unusable), UsageError (a --known-at that names no upload).
StoreAnalysis analyze_store(const StoreAnalysisOptions& options, const Progress& progress = {});

/// analyze_store, then the output set into out_dir. The folder is checked first (it may not
/// be, or hold, the store or a file the campaign reads: OutputRefused), then written whole.
StoreAnalysis export_store(const StoreAnalysisOptions& options, const std::filesystem::path& out_dir,
                           const Progress& progress = {});

/// progress.json plus "known_at": {"upload", "uploaded_at", "kind", "operator", "sha256"}.
nlohmann::ordered_json report_json(const StoreAnalysis& result);

/// "known at upload #5 (2022-07-01T08:30:12.345Z: stations VTL, replace, by alice)".
std::string describe_known_at(const store::Upload& upload);

} // namespace deadzone::pipeline
