// The GeoPackage backend: one SQLite file in WAL mode, one transaction per upload, the upload
// log, the campaign record, closing versions and the free-space checks. See docs/store.md.
#include "gpkg_backend.hpp"
#include "gpkg_schema.hpp"
#include "store_detail.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace deadzone::store {

namespace detail {

namespace {

// Room kept free beyond what an upload needs: SQLite's own bookkeeping, the -shm file.
constexpr std::uint64_t space_margin_bytes = 1 << 20;

constexpr const char* upload_columns =
    "SELECT id, kind, operator, mode, uploaded_at, uploaded_by, file_name, sha256, rows_accepted, rows_warned, "
    "rows_rejected, added, changed, ended FROM uploads";

Upload read_upload(const Statement& q, const std::string& path) {
    Upload u;
    u.id = q.int64(0);
    const auto kind = parse_upload_kind(q.text(1));
    const auto mode = parse_import_mode(q.text(3));
    if (!kind || !mode) {
        throw StoreError(fmt::format("{}: damaged upload #{}", path, u.id));
    }
    u.kind = *kind;
    u.operator_code = q.optional_text(2).value_or("");
    u.mode = *mode;
    u.uploaded_at = q.text(4);
    u.uploaded_by = q.text(5);
    u.file_name = q.text(6);
    u.sha256 = q.text(7);
    u.rows_accepted = q.int64(8);
    u.rows_warned = q.int64(9);
    u.rows_rejected = q.int64(10);
    u.added = q.int64(11);
    u.changed = q.int64(12);
    u.ended = q.int64(13);
    return u;
}

} // namespace

const char* table_of(Entity entity) noexcept {
    switch (entity) {
    case Entity::village: return "villages";
    case Entity::commitment: return "commitments";
    case Entity::cell: return "cells";
    case Entity::sample: return "measurements";
    }
    return "?";
}

GpkgBackend::GpkgBackend(const std::filesystem::path& path, bool create, const GpkgOptions& options)
    : m_db(path.string(), create), m_options(options) {
    if (!create) {
        m_schema = check_schema(m_db);
    }
    m_db.exec("PRAGMA synchronous = FULL");
}

/// WAL: an uncommitted upload (refused, failed on a full disk, killed) only ever touches the
/// -wal file, never the store file itself, so the store file alone is always a committed
/// state. A store made before WAL was used is switched by its first write.
void GpkgBackend::enable_wal() {
    if (m_wal) {
        return;
    }
    if (m_db.query_text("PRAGMA journal_mode = WAL") != "wal") {
        throw StoreError(fmt::format("{}: cannot switch the store to write-ahead logging", m_db.path()));
    }
    m_wal = true;
}

void GpkgBackend::begin(bool write) {
    if (write) {
        enable_wal();
    }
    // IMMEDIATE: the write lock is taken up front, so two writers queue on the busy timeout
    // instead of deadlocking on a lock upgrade.
    m_db.exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
    m_write = write;
    if (m_schema < schema_version) {
        try {
            // Another process may have upgraded the store since it was opened; inside the write
            // lock, the first writer upgrades it (in this same transaction: all or nothing).
            m_schema = stored_schema_version(m_db);
            if (write && m_schema < schema_version) {
                upgrade_schema(m_db, m_schema);
                m_upgraded_from = m_schema; // undone by a rollback (a no-op upload rolls back too)
                m_schema = schema_version;
            }
        } catch (...) {
            rollback();
            throw;
        }
    }
    m_pages_before = write ? m_db.query_int("PRAGMA page_count") : 0;
}

void GpkgBackend::commit() {
    if (m_write && m_options.check_free_space) {
        // The exact growth of the store file is known now: if the disk cannot take the
        // checkpoint, roll back instead of leaving a half-copied store file. The pages still in
        // the cache go to the WAL at COMMIT.
        const std::int64_t page_size = m_db.query_int("PRAGMA page_size");
        const std::int64_t cache = m_db.query_int("PRAGMA cache_size");
        const std::uint64_t cache_bytes = cache < 0 ? static_cast<std::uint64_t>(-cache) * 1024
                                                    : static_cast<std::uint64_t>(cache * page_size);
        const std::int64_t growth = std::max<std::int64_t>(0, m_db.query_int("PRAGMA page_count") - m_pages_before);
        require_free(static_cast<std::uint64_t>(growth * page_size) + cache_bytes + space_margin_bytes,
                     "to commit this upload");
    }
    m_db.exec("COMMIT");
    m_upgraded_from = 0;
    if (m_write) {
        // Copy the upload into the store file now, so that the file alone holds it. Busy
        // readers can delay the copy; the upload is durable in the WAL meanwhile and the next
        // checkpoint (a later commit, or the last connection closing) completes it.
        sqlite3_wal_checkpoint_v2(m_db.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    }
    m_write = false;
}

void GpkgBackend::rollback() noexcept {
    sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    m_write = false;
    if (m_upgraded_from != 0) {
        m_schema = m_upgraded_from;
        m_upgraded_from = 0;
    }
}

std::filesystem::path GpkgBackend::folder() const {
    const auto parent = std::filesystem::path{m_db.path()}.parent_path();
    return parent.empty() ? std::filesystem::path{"."} : parent;
}

void GpkgBackend::require_free(std::uint64_t need, const char* when) const {
    const std::uint64_t free = free_bytes(folder());
    if (free < need) {
        throw StoreError(fmt::format("{}: not enough free disk space {} (about {:.1f} MB needed, {:.1f} MB free); "
                                     "nothing was recorded and the store is unchanged",
                                     m_db.path(), when, static_cast<double>(need) / 1e6,
                                     static_cast<double>(free) / 1e6));
    }
}

void GpkgBackend::reserve(std::uint64_t bytes) {
    // The WAL takes about `bytes`, and the checkpoint after COMMIT grows the store file by as
    // much again. Refusing now is cheaper than failing half-way.
    if (m_options.check_free_space) {
        require_free(2 * bytes + space_margin_bytes, "for this upload");
    }
}

void GpkgBackend::create_schema() {
    detail::create_schema(m_db);
    create_token_table(m_db);
}

void GpkgBackend::write_campaign(const StoredCampaign& stored, const Campaign& campaign, std::int64_t upload_id) {
    Statement row{m_db, "INSERT INTO campaign VALUES (1, ?, ?, ?, ?)"};
    row.bind(1, std::string_view{campaign.name})
        .bind(2, std::string_view{stored.json_text})
        .bind(3, std::string_view{stored.base_dir.string()})
        .bind(4, upload_id)
        .run();
    Statement op{m_db, "INSERT INTO operators (code, name, mcc_mnc, color) VALUES (?, ?, ?, ?)"};
    for (const auto& o : campaign.operators) {
        op.bind(1, std::string_view{o.code})
            .bind(2, std::string_view{o.name})
            .bind(3, std::string_view{nlohmann::json(o.mcc_mnc).dump()})
            .bind(4, std::string_view{o.color})
            .run();
    }
}

StoredCampaign GpkgBackend::read_campaign() {
    Statement row{m_db, "SELECT document, base_dir FROM campaign WHERE fid = 1"};
    if (!row.step()) {
        throw StoreError(fmt::format("{}: damaged deadzone store: no campaign recorded", m_db.path()));
    }
    return StoredCampaign{row.text(0), row.text(1)};
}

std::int64_t GpkgBackend::append_upload(const Upload& u) {
    Statement insert{m_db, "INSERT INTO uploads (kind, operator, mode, uploaded_at, uploaded_by, file_name, sha256, "
                           "rows_accepted, rows_warned, rows_rejected, added, changed, ended) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
    insert.bind(1, std::string_view{to_string(u.kind)})
        .bind(2, u.operator_code.empty() ? std::nullopt : std::optional<std::string>{u.operator_code})
        .bind(3, std::string_view{to_string(u.mode)})
        .bind(4, std::string_view{u.uploaded_at})
        .bind(5, std::string_view{u.uploaded_by})
        .bind(6, std::string_view{u.file_name})
        .bind(7, std::string_view{u.sha256})
        .bind(8, u.rows_accepted)
        .bind(9, u.rows_warned)
        .bind(10, u.rows_rejected)
        .bind(11, u.added)
        .bind(12, u.changed)
        .bind(13, u.ended)
        .run();
    return sqlite3_last_insert_rowid(m_db.handle());
}

std::vector<Upload> GpkgBackend::read_uploads() {
    Statement q{m_db, std::string{upload_columns} + " ORDER BY id"};
    std::vector<Upload> out;
    while (q.step()) {
        out.push_back(read_upload(q, m_db.path()));
    }
    return out;
}

std::vector<CurrentVersion> GpkgBackend::current_versions(Entity entity, const std::string& operator_code) {
    std::vector<CurrentVersion> out;
    if (entity == Entity::cell) {
        Statement q{m_db, operator_code.empty()
                              ? "SELECT fid, digest, source, operator, site_id, cell_id FROM cells "
                                "WHERE known_to_upload IS NULL"
                              : "SELECT fid, digest, source, operator, site_id, cell_id FROM cells "
                                "WHERE operator = ?1 AND known_to_upload IS NULL"};
        if (!operator_code.empty()) {
            q.bind(1, std::string_view{operator_code});
        }
        while (q.step()) {
            out.push_back(CurrentVersion{q.int64(0), entity_key({q.text(3), q.text(4), q.text(5)}), q.text(1), q.text(2)});
        }
    } else if (entity == Entity::sample) {
        if (m_schema < 3) {
            return out; // not upgraded yet: no sample was ever stored
        }
        Statement q{m_db, operator_code.empty()
                              ? "SELECT fid, digest, source, sample_key FROM measurements WHERE known_to_upload IS NULL"
                              : "SELECT fid, digest, source, sample_key FROM measurements "
                                "WHERE operator = ?1 AND known_to_upload IS NULL"};
        if (!operator_code.empty()) {
            q.bind(1, std::string_view{operator_code});
        }
        while (q.step()) {
            out.push_back(CurrentVersion{q.int64(0), q.text(3), q.text(1), q.text(2)});
        }
    } else if (entity == Entity::commitment) {
        Statement q{m_db, "SELECT fid, digest, source, village_id, operator FROM commitments "
                          "WHERE known_to_upload IS NULL"};
        while (q.step()) {
            out.push_back(CurrentVersion{q.int64(0), entity_key({q.text(3), q.text(4)}), q.text(1), q.text(2)});
        }
    } else {
        Statement q{m_db, "SELECT fid, digest, source, village_id FROM villages WHERE known_to_upload IS NULL"};
        while (q.step()) {
            out.push_back(CurrentVersion{q.int64(0), entity_key({q.text(3)}), q.text(1), q.text(2)});
        }
    }
    return out;
}

void GpkgBackend::close_versions(Entity entity, const std::vector<std::int64_t>& row_ids, std::int64_t upload_id) {
    Statement update{m_db, fmt::format("UPDATE {} SET known_to_upload = ? WHERE fid = ?", table_of(entity))};
    for (const auto fid : row_ids) {
        update.bind(1, upload_id).bind(2, fid).run();
    }
}

std::vector<std::string> GpkgBackend::check_integrity() {
    std::vector<std::string> problems;
    Statement q{m_db, "PRAGMA integrity_check"};
    while (q.step()) {
        if (q.text(0) != "ok") {
            problems.push_back(q.text(0));
        }
    }
    return problems;
}

} // namespace detail

std::unique_ptr<Backend> create_gpkg_backend(const std::filesystem::path& path, const GpkgOptions& options) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        throw StoreError(fmt::format("{}: already exists; a store is created once (add uploads to it instead)",
                                     path.string()));
    }
    return std::make_unique<detail::GpkgBackend>(path, true, options);
}

std::unique_ptr<Backend> open_gpkg_backend(const std::filesystem::path& path, const GpkgOptions& options) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw StoreError(fmt::format("{}: no such store (a store is made once, from a campaign)", path.string()));
    }
    return std::make_unique<detail::GpkgBackend>(path, false, options);
}

} // namespace deadzone::store
