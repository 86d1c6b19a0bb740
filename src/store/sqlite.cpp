#include "sqlite.hpp"

#include <fmt/format.h>

namespace deadzone::store::detail {

namespace {
// Long enough for another process's 300 000-cell import to finish; writers queue, not fail.
constexpr int busy_timeout_ms = 10 * 60 * 1000;
} // namespace

Database::Database(const std::string& path, bool create) : m_path(path) {
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = m_db != nullptr ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw StoreError(fmt::format("{}: cannot open the store: {}", path, message));
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busy_timeout_ms);
}

Database::~Database() {
    sqlite3_close_v2(m_db);
}

void Database::fail(std::string_view doing) const {
    if ((sqlite3_extended_errcode(m_db) & 0xff) == SQLITE_FULL) {
        throw StoreError(fmt::format("{}: the disk holding the store is full ({}); nothing was recorded and the "
                                     "store is unchanged — free some space and try again",
                                     m_path, doing));
    }
    throw StoreError(fmt::format("{}: {}: {}", m_path, doing, sqlite3_errmsg(m_db)));
}

std::int64_t Database::query_int(const std::string& sql) {
    Statement q{*this, sql};
    return q.step() ? q.int64(0) : 0;
}

std::string Database::query_text(const std::string& sql) {
    Statement q{*this, sql};
    return q.step() ? q.text(0) : std::string{};
}

void Database::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);
        fail(sql.size() <= 40 ? sql : sql.substr(0, 40) + "…");
    }
}

Statement::Statement(Database& db, const std::string& sql) : m_db(db) {
    if (sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &m_stmt, nullptr) != SQLITE_OK) {
        db.fail("preparing a query (is this a deadzone store?)");
    }
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, const std::optional<double>& value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view{*value}) : bind_null(index);
}

Statement& Statement::bind_blob(int index, const std::vector<unsigned char>& blob) {
    sqlite3_bind_blob(m_stmt, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    m_db.fail("running a query");
}

void Statement::run() {
    step();
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data != nullptr ? std::string{reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)}
                           : std::string{};
}

std::optional<std::string> Statement::optional_text(int column) const {
    return is_null(column) ? std::nullopt : std::optional<std::string>{text(column)};
}

std::optional<double> Statement::optional_real(int column) const {
    return is_null(column) ? std::nullopt : std::optional<double>{real(column)};
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
    return is_null(column) ? std::nullopt : std::optional<std::int64_t>{int64(column)};
}

std::vector<unsigned char> Statement::blob(int column) const {
    const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data != nullptr ? std::vector<unsigned char>(data, data + size) : std::vector<unsigned char>{};
}

Transaction::Transaction(Database& db, bool write) : m_db(db) {
    m_db.exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
    m_open = true;
}

Transaction::~Transaction() {
    if (m_open) {
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_open = false;
}

} // namespace deadzone::store::detail
