// store: a campaign's whole history in one place — settings, villages, commitments, versioned
// cells and a log of every upload — from which any past state can be replayed exactly.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/core/progress.hpp>
#include <deadzone/ingest/ingest.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace deadzone::store {

/// The schema this build writes and reads. A store recording another version is refused with
/// a message naming both, except (GeoPackage) versions 1 and 2, which are read as they are and
/// upgraded by the first write (version 2 added the delay columns, version 3 the measurements
/// table).
inline constexpr int schema_version = 3;

enum class UploadKind { campaign, villages, commitments, stations, measurements };
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
    std::string operator_code; // stations; measurements of one operator (empty: any operator's)
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

/// An API token as stored: never the token itself, only a salted hash of it.
/// `tester`: a contracted drive-test company — reads everything, uploads measurements only (of any
/// operator), never stations, villages or commitments.
enum class TokenRole { operator_role, department, viewer, province, tester };
const char* to_string(TokenRole role) noexcept; // "operator", "department", "viewer", "province", "tester"
std::optional<TokenRole> parse_token_role(std::string_view text) noexcept;
struct TokenRecord {
    std::string id;         // public id, 16 lower-case hex chars; shown by `token list`, used by `token revoke`
    TokenRole role = TokenRole::viewer;
    std::string scope;      // operator code (role operator), province name (role province), else empty
    std::string salt_hex;   // 32 hex chars (16 random bytes)
    std::string hash_hex;   // SHA-256 of salt bytes || token text, lower-case hex (see service/tokens.hpp)
    std::string created_at; // UTC "2022-07-01T08:30:12.345Z"
    std::string created_by; // account
    std::optional<std::string> revoked_at;
};

/// Who/what an upload is, as recorded in the log (the store fills id and time).
struct UploadMeta {
    ImportMode mode = ImportMode::replace;
    std::string operator_code; // stations: every cell must belong to it; measurements: every
                               // sample, when set (empty: samples of any campaign operator)
    std::string file_name;
    std::string sha256;
    std::string uploaded_by;
    std::int64_t rows_warned = 0;
    /// replace: an upload with no records would end every current record of its kind (of its
    /// operator, for stations); it is refused unless this is set.
    bool allow_empty = false;
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

class Backend;

/// A campaign's store: the backend-neutral core over one Backend (GeoPackage file, or another
/// engine behind the same interface). Every put_* is one transaction: it either lands whole
/// (and is logged as one upload) or changes nothing; it throws InputError (store unchanged) for
/// records that conflict with the store (unknown village, duplicate key, a cell of another
/// operator...). Records are never updated or deleted: a change closes the old version
/// (known_to_upload) and opens a new one (known_from_upload). Concurrent writers are
/// serialised by the backend's write lock.
class Store {
public:
    /// A new store over an empty backend: creates its schema and records the campaign as
    /// upload 1, in one transaction.
    static std::unique_ptr<Store> create(std::unique_ptr<Backend> backend, const CampaignDocument& campaign);
    /// An existing store; StoreError ("damaged deadzone store") when its campaign cannot be read.
    static std::unique_ptr<Store> open(std::unique_ptr<Backend> backend);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// A description for messages ("store.gpkg").
    std::string location() const;
    /// The campaign as recorded at init (input file paths cleared).
    const Campaign& campaign() const noexcept { return m_campaign; }

    ImportResult put_villages(const std::vector<Village>& villages, const UploadMeta& meta);
    ImportResult put_commitments(const std::vector<Commitment>& commitments, const UploadMeta& meta);
    ImportResult put_cells(const std::vector<Cell>& cells, const UploadMeta& meta);
    /// Field measurements: keyed by operator, time, technology, position and cell id (a key twice
    /// in one upload is refused); replace ends the samples missing from the upload, of its
    /// operator when meta.operator_code is set, else of every operator. A snapshot lists them in
    /// upload order, then row order (the order `analyze` reads files in).
    ImportResult put_samples(const std::vector<Sample>& samples, const UploadMeta& meta);

    /// The upload log, oldest first.
    std::vector<Upload> uploads() const;
    /// The state right after upload `upload_id` (the latest upload when empty).
    Snapshot snapshot(std::optional<std::int64_t> upload_id = std::nullopt) const;
    /// API tokens (not versioned, not in the upload log). add_token stores a record as given;
    /// tokens() lists them ordered by created_at, then id; revoke_token sets revoked_at = now
    /// once (StoreError "no token <id>" when unknown, and when already revoked).
    void add_token(const TokenRecord& token);
    std::vector<TokenRecord> tokens() const;
    void revoke_token(const std::string& id);
    /// The backend's own check plus the versioning invariant (one current version per key);
    /// returns the problems found (empty = sound).
    std::vector<std::string> check_integrity() const;

private:
    Store(std::unique_ptr<Backend> backend, Campaign campaign);
    std::unique_ptr<Backend> m_backend;
    Campaign m_campaign;
};

/// Creates a new store at `uri` holding the campaign (logged as upload 1). A plain path or
/// "gpkg:PATH" is a GeoPackage file (StoreError if it exists); "postgresql://...?schema=NAME"
/// a PostgreSQL/PostGIS store in that schema (StoreError if it holds one already; refused with
/// a StoreError when this build has no libpq).
std::unique_ptr<Store> create_store(const std::string& uri, const CampaignDocument& campaign);
std::unique_ptr<Store> create_store(const std::filesystem::path& path, const CampaignDocument& campaign);

/// Opens an existing store named as for create_store; StoreError when it is missing, is not a
/// deadzone store, records a schema version this build cannot read, or is damaged.
std::unique_ptr<Store> open_store(const std::string& uri);
std::unique_ptr<Store> open_store(const std::filesystem::path& path);

/// What `deadzone store copy` carried over.
struct CopyResult {
    std::int64_t uploads = 0;  // log rows, ids and times kept
    std::int64_t versions = 0; // record versions (every version of every record, current or closed)
    std::int64_t tokens = 0;
};

/// `deadzone store copy FROM TO`: creates the store `to_uri` (GeoPackage or PostgreSQL; it must
/// not exist) holding the whole history of `from_uri` — the campaign, every upload of the log
/// with its id, time and counts, every version of every record with the upload it was known
/// from and to, and the API tokens. Read in one read transaction, written in one write
/// transaction: it lands whole or not at all. StoreError when the source's history does not
/// replay to its own log's counts (a damaged store).
CopyResult copy_store(const std::string& from_uri, const std::string& to_uri, const Progress& progress = {});

// ---- Uploads from files: ingest, then one put_* (backend-independent) ----

struct ImportOptions {
    ImportMode mode = ImportMode::replace;
    /// The account recorded in the log; empty = the current user ($USER, else the passwd entry).
    std::string uploaded_by;
    /// See UploadMeta::allow_empty.
    bool allow_empty = false;
    /// The name recorded in the log; empty = the file's path (the service: the client's name,
    /// not its private temporary path).
    std::string file_name;
};

/// `deadzone init`: reads and validates the campaign and the villages and commitments files
/// it names, then creates the store with them as uploads 1 (campaign), 2 (villages) and
/// 3 (commitments). The store file appears only when everything succeeded.
struct InitResult {
    std::unique_ptr<Store> store;
    std::vector<Problem> warnings; // from reading the campaign's villages and commitments
};

InitResult init_store(const std::string& uri, const std::filesystem::path& campaign_file,
                      const ImportOptions& options = {}, const Progress& progress = {});
/// The same for a GeoPackage path (a path is always a file, whatever its spelling).
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

/// Field measurements (docs/measurements.md). With `operator_code` every row must belong to it
/// (rows without an operator take it) and replace ends only that operator's samples; without it
/// the file may hold samples of any campaign operator and replace ends every stored sample
/// missing from it.
ImportResult import_measurements(Store& store, const std::filesystem::path& file, const std::string& operator_code,
                                 const ImportOptions& options = {}, const Progress& progress = {});

/// Resolves a "known at" value against the log: an upload id ("7"), or a UTC time
/// ("2022-07-01T09:00:00Z", "2022-07-01 09:00", or a date "2022-07-01" meaning the end of
/// that day) giving the last upload made at or before it. Throws UsageError when malformed,
/// naming no upload of the log, or when nothing was uploaded by then.
std::int64_t resolve_known_at(const std::vector<Upload>& uploads, const std::string& text);

/// Lower-case hex SHA-256 of a file's bytes; Failure if it cannot be read.
std::string sha256_file(const std::filesystem::path& file);
/// The account running this process: $USER when it is a plain name (no control characters,
/// valid UTF-8, at most 64 bytes), else the passwd entry.
std::string current_user();

/// Text from outside (a file name, an account name) made safe for a one-line log entry, a
/// table or a terminal: control characters (C0, DEL, C1), line and paragraph separators and
/// bidirectional overrides become visible escapes ("\n", "\x1b", "\u{202e}"); bytes that are
/// not UTF-8 become "\xNN". Plain text is returned unchanged.
std::string escape_log_text(std::string_view text);

} // namespace deadzone::store
