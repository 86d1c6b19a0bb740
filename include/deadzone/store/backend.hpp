// store backend: the narrow interface a storage engine implements for the store core — read and
// write versioned rows and the upload log inside one transaction. Everything else (digests,
// upload planning, ownership, referential checks, the log's content, --known-at) is the core's.
#pragma once

#include <deadzone/core/entities.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/store/store.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::store {

/// The versioned record kinds.
enum class Entity { village, commitment, cell, sample };
const char* to_string(Entity entity) noexcept;

/// The key of a record as the core compares it: its key fields joined by U+001F (a character
/// no key may contain). Villages: village_id; commitments: village_id, operator; cells:
/// operator, site_id, cell_id; samples: operator, time, tech, lon, lat, cell_id (sample_key()).
/// A backend builds the same string from its key columns (samples: stores it as it is).
std::string entity_key(std::initializer_list<std::string_view> fields);
/// A sample's key: entity_key of operator, time, tech, lon, lat (shortest exact text), cell_id.
std::string sample_key(const Sample& sample);

/// One current version (known_to_upload not set), as the core needs it to plan an upload.
struct CurrentVersion {
    std::int64_t row_id = 0; // the backend's id of this version, passed back to close it
    std::string key;         // entity_key(...)
    std::string digest;      // as stored with the version
    std::string source;      // where the record came from, as stored (core/source.hpp's text)
};

/// A record to store as a new version, with what the core computed for it.
template <typename Record>
struct NewVersion {
    const Record* record = nullptr;
    const std::string* digest = nullptr;
    /// Villages only: the geometry as ISO WKB, little-endian (computed once, for the digest).
    const std::vector<unsigned char>* wkb = nullptr;
    /// Samples only: the record's place in its upload (a snapshot lists samples by upload, then
    /// by this), and its key as the core computed it.
    std::int64_t ordinal = 0;
    const std::string* key = nullptr;
};

/// The campaign as recorded at creation: its JSON text (re-parsed by the core on every open)
/// and the folder that relative paths inside it (a population raster) start from.
struct StoredCampaign {
    std::string json_text;
    std::filesystem::path base_dir;
};

/// A storage engine for the store. One transaction at a time per object; the core brackets
/// every read and every write in begin/commit (rollback on any exception). Contracts:
/// - begin(true) takes the store's write lock up front, so concurrent writers queue (waiting as
///   long as an upload may take) instead of failing; reads in a transaction see one instant.
/// - Nothing written inside a transaction is visible to anyone, or present in the store's
///   durable form, before commit(); after rollback() (or a crash) the store is as it was.
/// - Versions are never updated or deleted except close_versions setting known_to once.
/// - Upload ids are assigned by append_upload, growing in commit order.
/// - Errors are StoreError (naming location()), never a library-specific exception.
class Backend {
public:
    virtual ~Backend() = default;

    /// A description for messages ("store.gpkg", "postgresql://host/db").
    virtual std::string location() const = 0;

    virtual void begin(bool write) = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    /// Inside a write transaction, before anything is written: the new versions take about
    /// `bytes`. A backend that can run out of room refuses here (StoreError), changing nothing.
    virtual void reserve(std::uint64_t bytes) = 0;

    /// Creates the empty schema (inside the first write transaction of a new store).
    virtual void create_schema() = 0;
    virtual void write_campaign(const StoredCampaign& stored, const Campaign& campaign, std::int64_t upload_id) = 0;
    virtual StoredCampaign read_campaign() = 0;

    /// Appends one log row (kind, operator, mode, time, account, file, sha256, counts; the id
    /// in `upload` is ignored) and returns the id given to it.
    virtual std::int64_t append_upload(const Upload& upload) = 0;
    /// The whole log, oldest first.
    virtual std::vector<Upload> read_uploads() = 0;

    /// The current versions of one kind; for cells and samples, of one operator when
    /// `operator_code` is not empty. Any order.
    virtual std::vector<CurrentVersion> current_versions(Entity entity, const std::string& operator_code) = 0;
    /// Sets known_to_upload = upload_id on these versions (all current).
    virtual void close_versions(Entity entity, const std::vector<std::int64_t>& row_ids, std::int64_t upload_id) = 0;
    /// Stores new versions with known_from_upload = upload_id, every field exactly (doubles bit
    /// for bit, the extra attributes in their order) and the record's source and digest.
    virtual void insert_versions(const std::vector<NewVersion<Village>>& versions, std::int64_t upload_id) = 0;
    virtual void insert_versions(const std::vector<NewVersion<Commitment>>& versions, std::int64_t upload_id) = 0;
    virtual void insert_versions(const std::vector<NewVersion<Cell>>& versions, std::int64_t upload_id) = 0;
    virtual void insert_versions(const std::vector<NewVersion<Sample>>& versions, std::int64_t upload_id) = 0;
    /// Every version with known_from_upload <= upload_id < known_to_upload (or still current),
    /// appended to `out` in any order (the core sorts by key), except samples: ordered by
    /// known_from_upload, then ordinal.
    virtual void read_versions_at(std::int64_t upload_id, ingest::Inputs& out) = 0;

    /// API tokens (table deadzone_tokens), each call inside begin/commit. read_tokens: any order.
    /// set_token_revoked: the core checked the token exists and is not revoked yet.
    virtual void insert_token(const TokenRecord& token) = 0;
    virtual std::vector<TokenRecord> read_tokens() = 0;
    virtual void set_token_revoked(const std::string& id, const std::string& revoked_at) = 0;

    /// The engine's own consistency check (page checksums, b-trees...); problems found, empty =
    /// sound. The core adds the versioning invariants itself.
    virtual std::vector<std::string> check_integrity() = 0;
};

// ---- Helpers a backend uses to store the parts of a record that have no column type ----

/// Extra attributes as JSON text `[[key, value], ...]` in source order; InputError naming
/// `source` when a value is not UTF-8.
std::string attributes_to_json(const Attributes& extra, const Location& source);
/// The reverse; StoreError naming `where` when the text is damaged.
Attributes attributes_from_json(const std::string& text, const std::string& where);
/// A stored "YYYY-MM-DD" (or nothing); StoreError naming `where` when damaged.
std::optional<Date> parse_stored_date(const std::optional<std::string>& text, const std::string& where);

} // namespace deadzone::store
