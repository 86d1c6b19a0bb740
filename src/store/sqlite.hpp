// A thin RAII layer over the SQLite C API for the GeoPackage store: a connection, prepared
// statements with typed binds and reads, and a transaction that rolls back unless committed.
#pragma once

#include <deadzone/core/error.hpp>

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::store::detail {

class Database {
public:
    /// Opens (or creates, when `create`) the file; StoreError naming it on failure.
    Database(const std::string& path, bool create);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    sqlite3* handle() const noexcept { return m_db; }
    const std::string& path() const noexcept { return m_path; }
    void exec(const std::string& sql);
    /// Throws StoreError with the path, what was being done and SQLite's message (a full disk
    /// is said in words: nothing was recorded).
    [[noreturn]] void fail(std::string_view doing) const;
    /// One integer from a PRAGMA or a one-row query.
    std::int64_t query_int(const std::string& sql);
    /// One text value from a PRAGMA or a one-row query ("" when there is no row).
    std::string query_text(const std::string& sql);

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Statement {
public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::optional<double>& value);
    Statement& bind(int index, const std::optional<std::int64_t>& value);
    Statement& bind(int index, const std::optional<std::string>& value);
    Statement& bind_blob(int index, const std::vector<unsigned char>& blob);
    Statement& bind_null(int index);

    /// True while a row is available.
    bool step();
    /// Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    std::optional<double> optional_real(int column) const;
    std::optional<std::int64_t> optional_int64(int column) const;
    std::vector<unsigned char> blob(int column) const;

private:
    Database& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

/// BEGIN (IMMEDIATE for writers: the write lock is taken up front, so two writers queue on
/// the busy timeout instead of deadlocking on lock upgrade); rolls back unless commit() ran.
class Transaction {
public:
    Transaction(Database& db, bool write);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_open = false;
};

} // namespace deadzone::store::detail
