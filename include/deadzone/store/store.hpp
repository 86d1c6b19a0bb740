// store: a campaign's whole history in one place — settings, villages, commitments, versioned
// cells and a log of every upload — from which any past state can be replayed exactly.
#pragma once

#include <deadzone/campaign.hpp>
#include <deadzone/entities.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/progress.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace deadzone::store {

/// The schema this build writes and reads. A store recording another version is refused with
/// a message naming both (there is no older deadzone schema to migrate from yet).
inline constexpr int schema_version = 1;

enum class UploadKind { campaign, villages, commitments, stations };
const char* to_string(UploadKind kind) noexcept;
std::optional<UploadKind> parse_upload_kind(std::string_view text) noexcept;

/// replace: the upload is the full current list (of its operator, for stations) and records
/// missing from it are ended; upsert: listed records are added or updated, others untouched.
enum class ImportMode { replace, upsert };
const char* to_string(ImportMode mode) noexcept;
std::optional<ImportMode> parse_import_mode(std::string_view text) noexcept;

/// One row of the upload log. Upload ids grow in commit order.
struct Upload {
    std::int64_t id = 0;
    UploadKind kind = UploadKind::stations;
    std::string operator_code; // stations only
    ImportMode mode = ImportMode::replace;
    std::string uploaded_at;   // UTC, "2022-07-01T08:30:12.345Z"
    std::string uploaded_by;   // the account that ran the import
    std::string file_name;     // as given on the command line
    std::string sha256;        // of the file's bytes, lower-case hex
    std::int64_t rows_accepted = 0;
    std::int64_t rows_warned = 0;   // rows with at least one warning (accepted all the same)
    std::int64_t rows_rejected = 0; // always 0: an upload with any error is refused whole
    std::int64_t added = 0;    // records new to the store
    std::int64_t changed = 0;  // records whose previous version this upload closed
    std::int64_t ended = 0;    // records missing from a replace upload, closed
};

/// Who/what an upload is, as recorded in the log (the store fills id and time).
struct UploadMeta {
    ImportMode mode = ImportMode::replace;
    std::string operator_code; // stations: every cell must belong to it
    std::string file_name;
    std::string sha256;
    std::string uploaded_by;
    std::int64_t rows_warned = 0;
};

struct ImportResult {
    /// The recorded upload; empty when nothing changed (a no-op leaves the store untouched).
    std::optional<Upload> upload;
    std::int64_t added = 0;
    std::int64_t changed = 0;
    std::int64_t ended = 0;
    std::int64_t unchanged = 0;
    /// For a no-op: the latest earlier upload of the same kind (and operator) whose file had
    /// the same SHA-256, if any.
    std::optional<std::int64_t> same_file_as;
    std::vector<Problem> warnings; // from ingest, kept for the caller to print
    bool no_op() const noexcept { return !upload.has_value(); }
};

/// What the store knew right after one upload: the campaign and the records current then,
/// ordered by key (villages by id, commitments by village then operator, cells by key).
struct Snapshot {
    Campaign campaign; // input file paths cleared: the records below are the inputs
    ingest::Inputs inputs;
    Upload known_at;   // the last upload included
};

/// The campaign settings as recorded at init: the JSON text is re-parsed on every open.
struct CampaignDocument {
    std::string json_text;
    std::filesystem::path base_dir; // for paths inside the campaign (population raster)
    std::string file_name;
    std::string sha256;
    std::string uploaded_by;
};

/// Storage backend. Every put_* is one transaction: it either lands whole (and is logged as
/// one upload) or changes nothing; it throws InputError (store unchanged) for records that
/// conflict with the store (unknown village, duplicate key, a cell of another operator...).
/// Records are never updated or deleted: a change closes the old version (known_to_upload)
/// and opens a new one (known_from_upload). Concurrent writers are serialised by the backend.
class Store {
public:
    virtual ~Store() = default;

    /// A description for messages ("store.gpkg").
    virtual std::string location() const = 0;
    /// The campaign as recorded at init (input file paths cleared).
    virtual Campaign campaign() const = 0;

    virtual ImportResult put_villages(const std::vector<Village>& villages, const UploadMeta& meta) = 0;
    virtual ImportResult put_commitments(const std::vector<Commitment>& commitments,
                                         const UploadMeta& meta) = 0;
    virtual ImportResult put_cells(const std::vector<Cell>& cells, const UploadMeta& meta) = 0;

    /// The upload log, oldest first.
    virtual std::vector<Upload> uploads() const = 0;
    /// The state right after upload `upload_id` (the latest upload when empty).
    virtual Snapshot snapshot(std::optional<std::int64_t> upload_id = std::nullopt) const = 0;
    /// Runs the backend's own consistency check; returns the problems found (empty = sound).
    virtual std::vector<std::string> check_integrity() const = 0;
};

/// Creates a new GeoPackage store holding the campaign (logged as upload 1). Throws StoreError
/// if `path` exists.
std::unique_ptr<Store> create_store(const std::filesystem::path& path, const CampaignDocument& campaign);

/// Opens an existing store; StoreError when the file is missing, is not a deadzone store, or
/// records a schema version this build cannot read.
std::unique_ptr<Store> open_store(const std::filesystem::path& path);

// ---- Uploads from files: ingest, then one put_* (backend-independent) ----

struct ImportOptions {
    ImportMode mode = ImportMode::replace;
    /// The account recorded in the log; empty = the current user ($USER, else the passwd entry).
    std::string uploaded_by;
};

/// `deadzone init`: reads and validates the campaign and the villages and commitments files
/// it names, then creates the store with them as uploads 1 (campaign), 2 (villages) and
/// 3 (commitments). The store file appears only when everything succeeded.
struct InitResult {
    std::unique_ptr<Store> store;
    std::vector<Problem> warnings; // from reading the campaign's villages and commitments
};

InitResult init_store(const std::filesystem::path& path, const std::filesystem::path& campaign_file,
                                  const ImportOptions& options = {}, const Progress& progress = {});

ImportResult import_villages(Store& store, const std::filesystem::path& file,
                             const ImportOptions& options = {}, const Progress& progress = {});
/// Village ids are checked against the store's current villages.
ImportResult import_commitments(Store& store, const std::filesystem::path& file,
                                const ImportOptions& options = {}, const Progress& progress = {});
/// Every row must belong to `operator_code` (rows without an operator take it).
ImportResult import_stations(Store& store, const std::filesystem::path& file, const std::string& operator_code,
                             const ImportOptions& options = {}, const Progress& progress = {});

/// Resolves a --known-at value against the log: an upload id ("7"), or a UTC time
/// ("2022-07-01T09:00:00Z", "2022-07-01 09:00", or a date "2022-07-01" meaning the end of
/// that day) giving the last upload made at or before it. Throws UsageError when malformed
/// or when nothing was uploaded by then.
std::int64_t resolve_known_at(const std::vector<Upload>& uploads, const std::string& text);

/// Lower-case hex SHA-256 of a file's bytes; Failure if it cannot be read.
std::string sha256_file(const std::filesystem::path& file);
/// The account running this process.
std::string current_user();

} // namespace deadzone::store
