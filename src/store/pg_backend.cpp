// The PostgreSQL backend: connection and schema checks, transactions and the write lock, the
// upload log, the campaign record, current versions and closing them, tokens, and the
// database-side checks. Record rows are in pg_rows.cpp. See docs/store.md.
#include "pg_backend.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace deadzone::store {

namespace detail {

namespace {

/// The first half of the advisory-lock key: "dz" in ASCII, so deadzone's locks are told apart
/// from another application's on the same database; the second half is the schema's hash.
constexpr int lock_class = 0x647a;

const char* table_name(Entity entity) noexcept {
    switch (entity) {
    case Entity::village: return "villages";
    case Entity::commitment: return "commitments";
    case Entity::cell: return "cells";
    case Entity::sample: return "measurements";
    }
    return "?";
}

Upload upload_from(const PgResult& r, int row, const std::string& where) {
    Upload u;
    u.id = r.int64(row, 0);
    const auto kind = parse_upload_kind(r.text(row, 1));
    const auto mode = parse_import_mode(r.text(row, 3));
    if (!kind || !mode) {
        throw StoreError(fmt::format("{}: damaged upload #{}", where, u.id));
    }
    u.kind = *kind;
    u.operator_code = r.optional_text(row, 2).value_or("");
    u.mode = *mode;
    u.uploaded_at = r.text(row, 4);
    u.uploaded_by = r.text(row, 5);
    u.file_name = r.text(row, 6);
    u.sha256 = r.text(row, 7);
    u.rows_accepted = r.int64(row, 8);
    u.rows_warned = r.int64(row, 9);
    u.rows_rejected = r.int64(row, 10);
    u.added = r.int64(row, 11);
    u.changed = r.int64(row, 12);
    u.ended = r.int64(row, 13);
    return u;
}

} // namespace

PgBackend::PgBackend(const std::string& uri, const std::string& shown, bool create)
    : m_target(parse_pg_uri(uri, shown)), m_db(m_target), m_create(create) {
    if (!create) {
        pg_check_schema(m_db, m_target.schema);
    }
}

void PgBackend::begin(bool write) {
    if (m_hold && m_in_tx) {
        return; // a step of the held transaction: it already holds the write lock
    }
    if (write) {
        // Writers queue on one explicit lock per store, taken up front (an advisory lock keyed
        // by the schema): the second of two concurrent imports waits, then plans against what
        // the first committed. SERIALIZABLE would instead fail one of them with a serialization
        // error to be retried by the caller. READ COMMITTED inside the lock: every statement sees
        // the last committed upload, and no other writer can commit meanwhile.
        m_db.exec(fmt::format("BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({}, hashtext({}))",
                              lock_class, m_db.literal(m_target.schema)));
    } else {
        // Reads see one instant: the log and the three record kinds of a snapshot agree.
        m_db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
    m_in_tx = true;
}

void PgBackend::commit() {
    if (m_hold) {
        return; // committed by commit_held() with the other steps
    }
    m_db.exec("COMMIT");
    m_in_tx = false;
}

void PgBackend::commit_held() {
    m_hold = false;
    if (m_in_tx) {
        commit();
    }
}

void PgBackend::rollback() noexcept {
    m_hold = false;
    if (!m_in_tx) {
        return;
    }
    m_in_tx = false;
    try {
        m_db.exec("ROLLBACK");
    } catch (const StoreError&) {
        // The connection is gone: the server rolls the transaction back by itself.
    }
}

void PgBackend::create_schema() {
    const std::string schema = m_db.identifier(m_target.schema);
    m_db.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
    const auto taken = m_db.exec("SELECT to_regclass($1)::text IS NOT NULL", {schema + ".deadzone_meta"});
    if (taken.text(0, 0) == "t") {
        throw StoreError(fmt::format("{}: schema '{}' already holds a deadzone store; a store is created once (add "
                                     "uploads to it instead)",
                                     m_db.shown(), m_target.schema));
    }
    if (m_db.exec("SELECT to_regtype('public.geometry')::text IS NOT NULL").text(0, 0) != "t") {
        throw StoreError(fmt::format("{}: PostGIS is not installed in this database (CREATE EXTENSION postgis, as a "
                                     "superuser or the database owner)",
                                     m_db.shown()));
    }
    pg_create_schema(m_db, m_target.schema);
}

void PgBackend::write_campaign(const StoredCampaign& stored, const Campaign& campaign, std::int64_t upload_id) {
    m_db.exec("INSERT INTO campaign VALUES (1, $1, $2, $3, $4)",
              {campaign.name, stored.json_text, stored.base_dir.string(), std::to_string(upload_id)});
    for (const auto& o : campaign.operators) {
        m_db.exec("INSERT INTO operators VALUES ($1, $2, $3, $4)",
                  {o.code, o.name, nlohmann::json(o.mcc_mnc).dump(), o.color});
    }
    pg_write_styles(m_db, m_target.schema, campaign);
}

StoredCampaign PgBackend::read_campaign() {
    const auto r = m_db.exec("SELECT document, base_dir FROM campaign WHERE fid = 1");
    if (r.rows() != 1) {
        throw StoreError(fmt::format("{}: damaged deadzone store: no campaign recorded", m_db.shown()));
    }
    return StoredCampaign{r.text(0, 0), r.text(0, 1)};
}

std::int64_t PgBackend::append_upload(const Upload& u) {
    // Ids are given inside the write lock, one past the last committed: no gaps from rolled-back
    // uploads (a sequence would leave some), so ids match a GeoPackage store's for the same uploads.
    const std::int64_t id = m_db.exec("SELECT coalesce(max(id), 0) + 1 FROM uploads").int64(0, 0);
    m_db.exec("INSERT INTO uploads VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
              {std::to_string(id), std::string{to_string(u.kind)},
               u.operator_code.empty() ? std::nullopt : std::optional<std::string>{u.operator_code},
               std::string{to_string(u.mode)}, u.uploaded_at, u.uploaded_by, u.file_name, u.sha256,
               std::to_string(u.rows_accepted), std::to_string(u.rows_warned), std::to_string(u.rows_rejected),
               std::to_string(u.added), std::to_string(u.changed), std::to_string(u.ended)});
    return id;
}

std::vector<Upload> PgBackend::read_uploads() {
    const auto r = m_db.exec("SELECT id, kind, operator, mode, uploaded_at, uploaded_by, file_name, sha256, "
                             "rows_accepted, rows_warned, rows_rejected, added, changed, ended FROM uploads ORDER BY id");
    std::vector<Upload> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back(upload_from(r, i, m_db.shown()));
    }
    return out;
}

std::vector<CurrentVersion> PgBackend::current_versions(Entity entity, const std::string& operator_code) {
    std::vector<CurrentVersion> out;
    if (entity == Entity::cell) {
        const auto r = operator_code.empty()
                           ? m_db.exec("SELECT fid, digest, source, operator, site_id, cell_id FROM cells "
                                       "WHERE known_to_upload IS NULL")
                           : m_db.exec("SELECT fid, digest, source, operator, site_id, cell_id FROM cells "
                                       "WHERE operator = $1 AND known_to_upload IS NULL",
                                       {operator_code});
        out.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) {
            out.push_back(CurrentVersion{r.int64(i, 0), entity_key({r.text(i, 3), r.text(i, 4), r.text(i, 5)}),
                                         r.text(i, 1), r.text(i, 2)});
        }
    } else if (entity == Entity::sample) {
        const auto r = operator_code.empty()
                           ? m_db.exec("SELECT fid, digest, source, sample_key FROM measurements "
                                       "WHERE known_to_upload IS NULL")
                           : m_db.exec("SELECT fid, digest, source, sample_key FROM measurements "
                                       "WHERE operator = $1 AND known_to_upload IS NULL",
                                       {operator_code});
        out.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) {
            out.push_back(CurrentVersion{r.int64(i, 0), r.text(i, 3), r.text(i, 1), r.text(i, 2)});
        }
    } else if (entity == Entity::commitment) {
        const auto r = m_db.exec("SELECT fid, digest, source, village_id, operator FROM commitments "
                                 "WHERE known_to_upload IS NULL");
        for (int i = 0; i < r.rows(); ++i) {
            out.push_back(CurrentVersion{r.int64(i, 0), entity_key({r.text(i, 3), r.text(i, 4)}), r.text(i, 1),
                                         r.text(i, 2)});
        }
    } else {
        const auto r = m_db.exec("SELECT fid, digest, source, village_id FROM villages WHERE known_to_upload IS NULL");
        for (int i = 0; i < r.rows(); ++i) {
            out.push_back(CurrentVersion{r.int64(i, 0), entity_key({r.text(i, 3)}), r.text(i, 1), r.text(i, 2)});
        }
    }
    return out;
}

void PgBackend::close_versions(Entity entity, const std::vector<std::int64_t>& row_ids, std::int64_t upload_id) {
    if (row_ids.empty()) {
        return;
    }
    std::string array = "{";
    for (const auto fid : row_ids) {
        array += (array.size() > 1 ? "," : "") + std::to_string(fid);
    }
    array += "}";
    const auto r = m_db.exec(fmt::format("WITH closed AS (UPDATE {} SET known_to_upload = $1 WHERE known_to_upload "
                                         "IS NULL AND fid IN (SELECT unnest($2::bigint[])) RETURNING 1) "
                                         "SELECT count(*) FROM closed",
                                         table_name(entity)),
                             {std::to_string(upload_id), array});
    // Row-level security hides rows instead of failing: a role closing another operator's
    // versions would silently close none. Refuse (the transaction rolls back).
    if (r.int64(0, 0) != static_cast<std::int64_t>(row_ids.size())) {
        throw StoreError(fmt::format("{}: could close only {} of {} {} versions (not allowed to this database "
                                     "role?); nothing was recorded",
                                     m_db.shown(), r.int64(0, 0), row_ids.size(), to_string(entity)));
    }
}

void PgBackend::insert_token(const TokenRecord& t) {
    m_db.exec("INSERT INTO deadzone_tokens VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
              {t.id, std::string{to_string(t.role)}, t.scope, t.salt_hex, t.hash_hex, t.created_at, t.created_by,
               t.revoked_at});
}

std::vector<TokenRecord> PgBackend::read_tokens() {
    const auto r = m_db.exec("SELECT id, role, scope, salt_hex, hash_hex, created_at, created_by, revoked_at "
                             "FROM deadzone_tokens");
    std::vector<TokenRecord> out;
    for (int i = 0; i < r.rows(); ++i) {
        TokenRecord t;
        t.id = r.text(i, 0);
        const auto role = parse_token_role(r.text(i, 1));
        if (!role) {
            throw StoreError(fmt::format("{}: damaged token {} (role '{}')", m_db.shown(), t.id, r.text(i, 1)));
        }
        t.role = *role;
        t.scope = r.text(i, 2);
        t.salt_hex = r.text(i, 3);
        t.hash_hex = r.text(i, 4);
        t.created_at = r.text(i, 5);
        t.created_by = r.text(i, 6);
        t.revoked_at = r.optional_text(i, 7);
        out.push_back(std::move(t));
    }
    return out;
}

void PgBackend::set_token_revoked(const std::string& id, const std::string& revoked_at) {
    m_db.exec("UPDATE deadzone_tokens SET revoked_at = $1 WHERE id = $2", {revoked_at, id});
}

std::vector<std::string> PgBackend::check_integrity() {
    return pg_check_guarantees(m_db, m_target.schema);
}

} // namespace detail

} // namespace deadzone::store
