#include <deadzone/emit/reports.hpp>
#include <deadzone/pipeline/outputs.hpp>
#include <deadzone/pipeline/pipeline.hpp>
#include <deadzone/pipeline/store_analysis.hpp>

#include <fmt/format.h>

namespace deadzone::pipeline {

StoreAnalysis analyze_store(const StoreAnalysisOptions& options, const Progress& progress) {
    auto store = store::open_store(options.store);
    std::optional<std::int64_t> upload_id;
    if (!options.known_at.empty()) {
        upload_id = store::resolve_known_at(store->uploads(), options.known_at);
    }
    auto snapshot = store->snapshot(upload_id);
    const std::string location = store->location();
    Options analysis_options;
    if (options.footprint_cache) {
        analysis_options.footprint_cache = options.footprint_cache;
        analysis_options.campaign_key = store_campaign_key(*store);
    }
    store.reset(); // the analysis needs no lock on the store
    analysis_options.threads = options.threads;
    // The campaign's warnings name the store it came from, not an empty file name.
    analysis_options.campaign_source = Location{location, {}, "campaign", {}};
    if (options.language) {
        snapshot.campaign.locale = *options.language;
    }
    return StoreAnalysis{analyze(std::move(snapshot.campaign), std::move(snapshot.inputs), options.as_of,
                                 analysis_options, progress),
                         snapshot.known_at};
}

std::string store_campaign_key(const store::Store& store) {
    // The campaign is upload 1 and is never replaced; its digest is that of its JSON text.
    const auto uploads = store.uploads();
    std::string digest;
    for (const auto& upload : uploads) {
        if (upload.kind == store::UploadKind::campaign) {
            digest = upload.sha256;
        }
    }
    return store.location() + "|campaign " + digest;
}

StoreAnalysis export_store(const StoreAnalysisOptions& options, const std::filesystem::path& out_dir,
                           const Progress& progress) {
    // Refused before any work: the output folder may not be, hold or overwrite the store.
    auto protected_files = store_files(options.store);
    check_output_folder(out_dir, protected_files);
    auto result = analyze_store(options, progress.sub(0.0, 0.9));
    const auto read = campaign_files(result.analysis.campaign); // a population raster
    protected_files.insert(protected_files.end(), read.begin(), read.end());
    write_outputs(result.analysis, out_dir, protected_files, {}, progress.sub(0.9, 1.0), options.reports);
    return result;
}

nlohmann::ordered_json report_json(const StoreAnalysis& result) {
    const auto& u = result.known_at;
    auto document = emit::progress_json(result.analysis);
    document["known_at"] = {{"upload", u.id},
                            {"uploaded_at", u.uploaded_at},
                            {"kind", store::to_string(u.kind)},
                            {"operator", u.operator_code.empty() ? nlohmann::ordered_json()
                                                                 : nlohmann::ordered_json(u.operator_code)},
                            {"sha256", u.sha256}};
    return document;
}

std::string describe_known_at(const store::Upload& upload) {
    return fmt::format("known at upload #{} ({}: {}{}, {}, by {})", upload.id, upload.uploaded_at,
                       store::to_string(upload.kind), upload.operator_code.empty() ? "" : " " + upload.operator_code,
                       store::to_string(upload.mode), upload.uploaded_by);
}

} // namespace deadzone::pipeline
