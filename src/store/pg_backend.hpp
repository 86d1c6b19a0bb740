// The PostgreSQL/PostGIS backend's private declarations, shared by pg_connection.cpp (libpq:
// connecting, statements, COPY, errors), pg_schema.cpp (tables, triggers, row-level security,
// views, QGIS styles), pg_backend.cpp (transactions, lock, log, campaign, tokens) and pg_rows.cpp
// (record rows: COPY in, snapshots out). See docs/store.md.
#pragma once

#include <deadzone/store/backend.hpp>

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace deadzone::store::detail {

/// A `postgresql://` store name split into what libpq connects to and deadzone's own
/// `schema=` parameter (libpq refuses parameters it does not know).
struct PgTarget {
    std::string conninfo; // the URI without schema=
    std::string schema = "public";
    std::string shown;    // for messages: password hidden
};
/// StoreError naming the store when the schema name is not a plain identifier.
PgTarget parse_pg_uri(const std::string& uri, const std::string& shown);

/// A query result (text format); null-safe access by row and column.
class PgResult {
public:
    explicit PgResult(PGresult* result) : m_result(result, &PQclear) {}
    int rows() const { return PQntuples(m_result.get()); }
    bool is_null(int row, int column) const { return PQgetisnull(m_result.get(), row, column) != 0; }
    std::string text(int row, int column) const;
    std::optional<std::string> optional_text(int row, int column) const;
    std::int64_t int64(int row, int column) const;
    std::optional<std::int64_t> optional_int64(int row, int column) const;
    double real(int row, int column) const;
    std::optional<double> optional_real(int row, int column) const;

private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> m_result;
};

/// One libpq connection; every failure is a StoreError naming the store (never the password).
class PgConnection {
public:
    PgConnection(const PgTarget& target);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    const std::string& shown() const { return m_shown; }
    /// Runs SQL (several statements allowed, no parameters); returns the last result.
    PgResult exec(const std::string& sql);
    /// One statement with text parameters (nullopt = NULL).
    PgResult exec(const std::string& sql, const std::vector<std::optional<std::string>>& params);
    /// COPY ... FROM STDIN with the rows already in COPY text format.
    void copy_in(const std::string& copy_sql, const std::string& data);
    /// 'text' quoted as an SQL identifier / literal.
    std::string identifier(const std::string& text) const;
    std::string literal(const std::string& text) const;

private:
    [[noreturn]] void fail(const std::string& what, PGresult* result = nullptr) const;
    PGconn* m_conn = nullptr;
    std::string m_shown;
};

/// COPY text format: each field is appended escaped (backslash, tab, newline, carriage return;
/// NULL as \N) and followed by a tab; copy_end_row turns the row's last tab into its newline.
void copy_field(std::string& line, const std::string& text);
void copy_field(std::string& line, const std::optional<std::string>& text);
void copy_null(std::string& line);
void copy_end_row(std::string& line);
/// The shortest text that reads back to the same double.
std::string exact_double(double value);
std::optional<std::string> exact_double(const std::optional<double>& value);

/// Creates the schema's tables, triggers, policies and views (pg_schema.cpp), inside the
/// current transaction, in the (existing, empty) schema first on the search path.
void pg_create_schema(PgConnection& db, const std::string& schema);
/// The QGIS default styles of the current_cells and current_villages views (layer_styles).
void pg_write_styles(PgConnection& db, const std::string& schema, const Campaign& campaign);
/// Refuses a schema that is not a deadzone store of this version (StoreError saying what to do).
void pg_check_schema(PgConnection& db, const std::string& schema);
/// Problems with the database-side guarantees: missing or disabled triggers, row-level security off.
std::vector<std::string> pg_check_guarantees(PgConnection& db, const std::string& schema);

class PgBackend final : public Backend {
public:
    /// create: the schema must not hold a store yet (created in the first write transaction).
    PgBackend(const std::string& uri, const std::string& shown, bool create);

    std::string location() const override { return m_db.shown(); }

    void begin(bool write) override;
    void commit() override;
    void rollback() noexcept override;
    void reserve(std::uint64_t) override {} // the server manages its space; a full disk rolls back

    void create_schema() override;
    void write_campaign(const StoredCampaign& stored, const Campaign& campaign, std::int64_t upload_id) override;
    StoredCampaign read_campaign() override;

    std::int64_t append_upload(const Upload& upload) override;
    std::vector<Upload> read_uploads() override;

    std::vector<CurrentVersion> current_versions(Entity entity, const std::string& operator_code) override;
    void close_versions(Entity entity, const std::vector<std::int64_t>& row_ids, std::int64_t upload_id) override;
    void insert_versions(const std::vector<NewVersion<Village>>& versions, std::int64_t upload_id) override;
    void insert_versions(const std::vector<NewVersion<Commitment>>& versions, std::int64_t upload_id) override;
    void insert_versions(const std::vector<NewVersion<Cell>>& versions, std::int64_t upload_id) override;
    void insert_versions(const std::vector<NewVersion<Sample>>& versions, std::int64_t upload_id) override;
    void read_versions_at(std::int64_t upload_id, ingest::Inputs& out) override;

    void insert_token(const TokenRecord& token) override;
    std::vector<TokenRecord> read_tokens() override;
    void set_token_revoked(const std::string& id, const std::string& revoked_at) override;

    std::vector<std::string> check_integrity() override;

    /// `init`: from the next begin(true) until commit_held(), every begin/commit of the core is
    /// part of one server transaction (the schema, the campaign, the villages and commitments
    /// uploads), so a failure at any step leaves no schema and no rows. A rollback() while held
    /// rolls the whole of it back and ends the hold.
    void hold_transaction() noexcept { m_hold = true; }
    /// COMMIT of the held transaction.
    void commit_held();

private:
    /// COPY straight into the table when row-level security does not apply to this role (the
    /// owner); else COPY into a transaction-local table and one INSERT ... SELECT, so that the
    /// policies check every row (PostgreSQL refuses COPY into a table whose policies apply).
    void copy_versions(const char* table, const std::string& columns, const std::string& data);
    void read_villages_at(std::int64_t upload_id, ingest::Inputs& out);
    void read_commitments_at(std::int64_t upload_id, ingest::Inputs& out);
    void read_cells_at(std::int64_t upload_id, ingest::Inputs& out);
    void read_samples_at(std::int64_t upload_id, ingest::Inputs& out);

    PgTarget m_target;
    PgConnection m_db;
    bool m_create = false;
    bool m_in_tx = false;
    bool m_hold = false;
};

} // namespace deadzone::store::detail
