// Helpers for the PostgreSQL tests: a fresh schema per test (tests run in parallel on one
// server), raw SQL through libpq (to look at what the store wrote, or to try what it forbids),
// and a content digest of a whole store.
#pragma once

#include <libpq-fe.h>

#include <string>
#include <vector>

namespace deadzone::test {

/// DEADZONE_TEST_PG_URI (the tests only run when it is set).
std::string pg_server_uri();

/// A schema `t_<random>` named in `uri` (the store's URI); dropped (CASCADE) at the end.
class PgSchema {
public:
    PgSchema();
    ~PgSchema();
    PgSchema(const PgSchema&) = delete;
    PgSchema& operator=(const PgSchema&) = delete;
    const std::string& name() const noexcept { return m_name; }
    const std::string& uri() const noexcept { return m_uri; }

private:
    std::string m_name;
    std::string m_uri;
};

/// One raw connection, search_path set to the schema when given.
class PgSql {
public:
    explicit PgSql(const std::string& schema = "");
    ~PgSql();
    PgSql(const PgSql&) = delete;
    PgSql& operator=(const PgSql&) = delete;
    /// Runs SQL; returns "" on success, else the server's message.
    std::string run(const std::string& sql);
    /// The first column of the first row as text ("" when no row); the query must succeed.
    std::string value(const std::string& sql);
    long long count(const std::string& sql) { return std::stoll(value(sql)); }

private:
    PGconn* m_conn = nullptr;
};

/// Row counts and an md5 of every row of every table of the store in `schema`: equal digests =
/// nothing stored changed.
std::string store_digest(const std::string& schema);

} // namespace deadzone::test
