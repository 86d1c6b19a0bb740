// The GeoPackage backend's API token table, deadzone_tokens: created with new stores and, for a
// store made before tokens existed, by the first token write (CREATE ... IF NOT EXISTS: the
// schema version does not change, an older build simply ignores the table). Triggers keep the
// rows append-only except for setting revoked_at once.
#include "gpkg_backend.hpp"

#include <fmt/format.h>

namespace deadzone::store::detail {

namespace {

bool has_token_table(Database& db) {
    return db.query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'deadzone_tokens'") > 0;
}

} // namespace

void create_token_table(Database& db) {
    db.exec(R"sql(
CREATE TABLE IF NOT EXISTS deadzone_tokens (
  id TEXT NOT NULL PRIMARY KEY, role TEXT NOT NULL, scope TEXT NOT NULL, salt_hex TEXT NOT NULL,
  hash_hex TEXT NOT NULL, created_at DATETIME NOT NULL, created_by TEXT NOT NULL, revoked_at DATETIME);
CREATE TRIGGER IF NOT EXISTS deadzone_tokens_no_delete BEFORE DELETE ON deadzone_tokens BEGIN
  SELECT RAISE(ABORT, 'deadzone store: tokens are revoked, never deleted'); END;
CREATE TRIGGER IF NOT EXISTS deadzone_tokens_revoke_only BEFORE UPDATE ON deadzone_tokens
  WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.id IS NOT OLD.id OR NEW.role IS NOT OLD.role
    OR NEW.scope IS NOT OLD.scope OR NEW.salt_hex IS NOT OLD.salt_hex OR NEW.hash_hex IS NOT OLD.hash_hex
    OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by BEGIN
  SELECT RAISE(ABORT, 'deadzone store: a token can only be revoked, once'); END;
)sql");
}

void GpkgBackend::insert_token(const TokenRecord& token) {
    create_token_table(m_db);
    Statement row{m_db, "INSERT INTO deadzone_tokens VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};
    row.bind(1, std::string_view{token.id})
        .bind(2, std::string_view{to_string(token.role)})
        .bind(3, std::string_view{token.scope})
        .bind(4, std::string_view{token.salt_hex})
        .bind(5, std::string_view{token.hash_hex})
        .bind(6, std::string_view{token.created_at})
        .bind(7, std::string_view{token.created_by})
        .bind(8, token.revoked_at)
        .run();
}

std::vector<TokenRecord> GpkgBackend::read_tokens() {
    std::vector<TokenRecord> out;
    if (!has_token_table(m_db)) {
        return out; // a store made before tokens: none issued yet
    }
    Statement q{m_db, "SELECT id, role, scope, salt_hex, hash_hex, created_at, created_by, revoked_at "
                      "FROM deadzone_tokens"};
    while (q.step()) {
        TokenRecord t;
        t.id = q.text(0);
        const auto role = parse_token_role(q.text(1));
        if (!role) {
            throw StoreError(fmt::format("{}: damaged token {}: unknown role", m_db.path(), t.id));
        }
        t.role = *role;
        t.scope = q.text(2);
        t.salt_hex = q.text(3);
        t.hash_hex = q.text(4);
        t.created_at = q.text(5);
        t.created_by = q.text(6);
        t.revoked_at = q.optional_text(7);
        out.push_back(std::move(t));
    }
    return out;
}

void GpkgBackend::set_token_revoked(const std::string& id, const std::string& revoked_at) {
    Statement q{m_db, "UPDATE deadzone_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"};
    q.bind(1, std::string_view{revoked_at}).bind(2, std::string_view{id}).run();
}

} // namespace deadzone::store::detail
