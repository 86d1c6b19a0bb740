#include "store_analysis.hpp"

#include <deadzone/geo/text.hpp>
#include <deadzone/pipeline.hpp>

#include <fmt/format.h>

namespace deadzone::cli {

StoreAnalysis analyze_store(const std::string& store_path, Date as_of, const std::string& known_at,
                            const Context& context) {
    auto store = store::open_store(store_path);
    std::optional<std::int64_t> upload_id;
    if (!known_at.empty()) {
        upload_id = store::resolve_known_at(store->uploads(), known_at);
    }
    auto snapshot = store->snapshot(upload_id);
    store.reset(); // the analysis needs no lock on the store
    const auto progress = context.progress();
    StoreAnalysis result{pipeline::analyze(std::move(snapshot.campaign), std::move(snapshot.inputs), as_of, {},
                                           progress.sub(0.0, 0.9)),
                         snapshot.known_at};
    return result;
}

std::string describe_known_at(const store::Upload& upload) {
    // The operator code and uploaded_by come from users: shown escaped (docs/hardening.md).
    return geo::escape_for_terminal(fmt::format(
        "known at upload #{} ({}: {}{}, {}, by {})", upload.id, upload.uploaded_at, store::to_string(upload.kind),
        upload.operator_code.empty() ? "" : " " + upload.operator_code, store::to_string(upload.mode),
        upload.uploaded_by));
}

} // namespace deadzone::cli
