// Uploads from files, independent of the backend: ingest reads and validates, any error rejects
// the whole file before the store is touched, then one put_* applies it as one transaction.
#include "store_detail.hpp"

#ifdef DEADZONE_HAVE_POSTGRESQL
#include "pg_backend.hpp"
#endif

#include <deadzone/core/text.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

namespace deadzone::store {

namespace {

std::vector<Problem> warnings_of(const Diagnostics& diagnostics) {
    std::vector<Problem> out;
    for (const auto& p : diagnostics.problems()) {
        if (p.severity == Severity::warning) {
            out.push_back(p);
        }
    }
    return out;
}

/// Rows (or features) with at least one warning.
std::int64_t rows_warned(const Diagnostics& diagnostics) {
    std::set<std::tuple<std::string, std::string, long, long>> rows;
    for (const auto& p : diagnostics.problems()) {
        if (p.severity == Severity::warning && (p.where.row || p.where.fid)) {
            rows.emplace(p.where.file, p.where.layer, p.where.row.value_or(-1), p.where.fid.value_or(-1));
        }
    }
    return static_cast<std::int64_t>(rows.size());
}

UploadMeta meta_for(const std::filesystem::path& file, const ImportOptions& options, const Diagnostics& diagnostics) {
    UploadMeta meta;
    meta.mode = options.mode;
    meta.file_name = options.file_name.empty() ? file.string() : options.file_name;
    meta.sha256 = sha256_file(file);
    meta.uploaded_by = options.uploaded_by.empty() ? current_user() : options.uploaded_by;
    meta.rows_warned = rows_warned(diagnostics);
    meta.allow_empty = options.allow_empty;
    return meta;
}

/// Ingest's warnings first (file order), then the store's (about the upload as a whole).
void prepend_warnings(ImportResult& result, const Diagnostics& diagnostics) {
    auto warnings = warnings_of(diagnostics);
    warnings.insert(warnings.end(), result.warnings.begin(), result.warnings.end());
    result.warnings = std::move(warnings);
}

void reject_on_errors(const Diagnostics& diagnostics) {
    if (diagnostics.has_errors()) {
        throw InputError(diagnostics.problems());
    }
}

void require_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec) && !std::filesystem::is_directory(file, ec)) {
        throw InputError(Location{file.string(), std::nullopt, {}, std::nullopt}, "", "missing_file",
                         "no such file");
    }
}

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw Failure(fmt::format("{}: cannot be read", file.string()));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void remove_quietly(const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    for (const char* suffix : {"-journal", "-wal", "-shm"}) {
        std::filesystem::remove(file.string() + suffix, ec);
    }
}

} // namespace

ImportResult import_villages(Store& store, const std::filesystem::path& file, const ImportOptions& options,
                             const Progress& progress) {
    require_file(file);
    const Campaign campaign = store.campaign();
    Diagnostics diagnostics;
    progress.report(0.0, "reading villages");
    auto villages = ingest::read_villages(file, campaign, diagnostics);
    reject_on_errors(diagnostics);
    progress.report(0.6, "storing villages");
    auto result = store.put_villages(villages, meta_for(file, options, diagnostics));
    prepend_warnings(result, diagnostics);
    progress.report(1.0, "done");
    return result;
}

ImportResult import_commitments(Store& store, const std::filesystem::path& file, const ImportOptions& options,
                                const Progress& progress) {
    require_file(file);
    const Campaign campaign = store.campaign();
    Diagnostics diagnostics;
    progress.report(0.0, "reading commitments");
    // Village ids are checked by the store inside its write transaction, against the villages
    // current at that moment (another upload may land between reading and writing).
    auto commitments = ingest::read_commitments(file, campaign, nullptr, diagnostics);
    reject_on_errors(diagnostics);
    progress.report(0.6, "storing commitments");
    auto result = store.put_commitments(commitments, meta_for(file, options, diagnostics));
    prepend_warnings(result, diagnostics);
    progress.report(1.0, "done");
    return result;
}

ImportResult import_stations(Store& store, const std::filesystem::path& file, const std::string& operator_code,
                             const ImportOptions& options, const Progress& progress) {
    require_file(file);
    const Campaign campaign = store.campaign();
    const Operator* op = campaign.find_operator(operator_code);
    if (op == nullptr) {
        throw InputError(Location{file.string(), std::nullopt, {}, std::nullopt}, "operator", "unknown_operator",
                         fmt::format("operator '{}' is not an operator of the campaign", operator_code));
    }
    Diagnostics diagnostics;
    progress.report(0.0, "reading stations");
    ingest::StationOptions station_options;
    station_options.operator_code = op->code;
    auto cells = ingest::read_stations(file, campaign, station_options, diagnostics);
    reject_on_errors(diagnostics);
    progress.report(0.6, "storing cells");
    auto meta = meta_for(file, options, diagnostics);
    meta.operator_code = op->code;
    auto result = store.put_cells(cells, meta);
    prepend_warnings(result, diagnostics);
    progress.report(1.0, "done");
    return result;
}

ImportResult import_measurements(Store& store, const std::filesystem::path& file, const std::string& operator_code,
                                 const ImportOptions& options, const Progress& progress) {
    require_file(file);
    const Campaign campaign = store.campaign();
    ingest::StationOptions sample_options;
    if (!operator_code.empty()) {
        const Operator* op = campaign.find_operator(operator_code);
        if (op == nullptr) {
            throw InputError(Location{file.string(), std::nullopt, {}, std::nullopt}, "operator", "unknown_operator",
                             fmt::format("operator '{}' is not an operator of the campaign", operator_code));
        }
        sample_options.operator_code = op->code;
    }
    Diagnostics diagnostics;
    progress.report(0.0, "reading measurements");
    auto samples = ingest::read_measurements({file}, campaign, sample_options, diagnostics);
    reject_on_errors(diagnostics);
    progress.report(0.6, "storing samples");
    auto meta = meta_for(file, options, diagnostics);
    meta.operator_code = sample_options.operator_code.value_or("");
    auto result = store.put_samples(samples, meta);
    prepend_warnings(result, diagnostics);
    progress.report(1.0, "done");
    return result;
}

namespace {

/// The campaign document as the store keeps it: its text, folder, name, digest and uploader.
CampaignDocument campaign_document(const Campaign& campaign, const std::filesystem::path& campaign_file,
                                   const ImportOptions& options) {
    std::error_code ec;
    const std::filesystem::path document_file = !campaign.file.empty() ? campaign.file
                                                : std::filesystem::is_directory(campaign_file, ec)
                                                    ? campaign_file / "campaign.json"
                                                    : campaign_file;
    CampaignDocument document;
    document.json_text = read_text(document_file);
    document.base_dir = std::filesystem::absolute(document_file, ec).parent_path();
    document.file_name = document_file.string();
    document.sha256 = sha256_file(document_file);
    document.uploaded_by = options.uploaded_by.empty() ? current_user() : options.uploaded_by;
    return document;
}

/// The villages and commitments the campaign names, read and checked before any store exists.
struct InitialLists {
    std::vector<Village> villages;
    std::vector<Commitment> commitments;
    Diagnostics village_diagnostics;
    Diagnostics commitment_diagnostics;
    Diagnostics diagnostics; // both
};

InitialLists read_initial_lists(const Campaign& campaign, const Progress& progress) {
    InitialLists lists;
    if (campaign.villages) {
        progress.report(0.1, "reading villages");
        lists.villages = ingest::read_villages(*campaign.villages, campaign, lists.village_diagnostics);
        lists.diagnostics.append(lists.village_diagnostics);
    }
    if (campaign.commitments) {
        progress.report(0.4, "reading commitments");
        lists.commitments = ingest::read_commitments(*campaign.commitments, campaign,
                                                     campaign.villages ? &lists.villages : nullptr,
                                                     lists.commitment_diagnostics);
        lists.diagnostics.append(lists.commitment_diagnostics);
    }
    reject_on_errors(lists.diagnostics);
    return lists;
}

/// Uploads 2 (villages) and 3 (commitments), each replacing nothing.
void put_initial_lists(Store& store, const Campaign& campaign, const InitialLists& lists,
                       const std::string& uploaded_by) {
    if (campaign.villages) {
        auto meta = UploadMeta{ImportMode::replace, "", campaign.villages->string(), sha256_file(*campaign.villages),
                               uploaded_by, rows_warned(lists.village_diagnostics)};
        store.put_villages(lists.villages, meta);
    }
    if (campaign.commitments) {
        auto meta = UploadMeta{ImportMode::replace, "", campaign.commitments->string(),
                               sha256_file(*campaign.commitments), uploaded_by, rows_warned(lists.commitment_diagnostics)};
        store.put_commitments(lists.commitments, meta);
    }
}

/// A database server has no "temporary name": the schema, upload 1 (campaign), 2 (villages) and
/// 3 (commitments) are one server transaction, so a failure at any step (a record the store
/// refuses, a lost connection, a full disk) leaves no schema and no rows.
std::unique_ptr<Store> create_on_server(const std::string& uri, const CampaignDocument& document,
                                        const Campaign& campaign, const InitialLists& lists) {
#ifdef DEADZONE_HAVE_POSTGRESQL
    auto backend = detail::make_backend(uri, true);
    auto* pg = dynamic_cast<detail::PgBackend*>(backend.get());
    if (pg != nullptr) {
        pg->hold_transaction();
    }
    auto store = Store::create(std::move(backend), document);
    put_initial_lists(*store, campaign, lists, document.uploaded_by);
    if (pg != nullptr) {
        pg->commit_held();
    }
    return store;
#else
    (void)campaign;
    (void)lists;
    return create_store(uri, document); // refused: no PostgreSQL backend in this build
#endif
}

/// A GeoPackage store, built under a temporary name and linked into place at the end: a failed
/// or killed init leaves no half-made store behind, and link() refuses to replace a store made
/// meanwhile.
void create_gpkg(const std::filesystem::path& path, const CampaignDocument& document, const Campaign& campaign,
                 const InitialLists& lists) {
    const auto temporary =
        path.parent_path() / fmt::format(".{}.init-{}", bounded_name(path.filename().string(), 160), getpid());
    remove_quietly(temporary);
    try {
        auto store = create_store(temporary, document);
        put_initial_lists(*store, campaign, lists, document.uploaded_by);
        store.reset();
        if (::link(temporary.c_str(), path.c_str()) != 0) {
            const int error = errno;
            throw StoreError(error == EEXIST
                                 ? fmt::format("{}: already exists (created by someone else meanwhile)", path.string())
                                 : fmt::format("{}: cannot create: {}", path.string(), std::strerror(error)));
        }
        remove_quietly(temporary);
    } catch (...) {
        remove_quietly(temporary);
        throw;
    }
}

} // namespace

InitResult init_store(const std::string& uri, const std::filesystem::path& campaign_file,
                      const ImportOptions& options, const Progress& progress) {
    const auto where = detail::parse_store_uri(uri);
    const bool server = where.kind != detail::StoreUri::Kind::gpkg;
    const std::filesystem::path& path = where.path;
    std::error_code ec;
    if (!server && std::filesystem::exists(path, ec)) {
        throw StoreError(fmt::format("{}: already exists; a store is created once (add uploads to it instead)",
                                     path.string()));
    }
    progress.report(0.0, "reading campaign");
    const Campaign campaign = ingest::load_campaign(campaign_file);
    const CampaignDocument document = campaign_document(campaign, campaign_file, options);
    // Everything is read and validated before the store exists.
    const InitialLists lists = read_initial_lists(campaign, progress);
    progress.report(0.6, "creating store");
    if (server) {
        auto store = create_on_server(uri, document, campaign, lists);
        progress.report(1.0, "done");
        return InitResult{std::move(store), warnings_of(lists.diagnostics)};
    }
    create_gpkg(path, document, campaign, lists);
    progress.report(1.0, "done");
    return InitResult{open_store(path), warnings_of(lists.diagnostics)};
}

InitResult init_store(const std::filesystem::path& path, const std::filesystem::path& campaign_file,
                      const ImportOptions& options, const Progress& progress) {
    return init_store("gpkg:" + path.string(), campaign_file, options, progress);
}

} // namespace deadzone::store
