// libpq for the PostgreSQL backend: the store name (a libpq URI plus deadzone's own schema=),
// the session settings the rows rely on (ISO dates, exact doubles, UTF-8), statements, COPY and
// errors turned into StoreError naming the store.
#include "pg_backend.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <regex>

namespace deadzone::store::detail {

namespace {

std::string url_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::strtol(text.substr(i + 1, 2).c_str(), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

} // namespace

PgTarget parse_pg_uri(const std::string& uri, const std::string& shown) {
    PgTarget target;
    target.shown = shown;
    const auto question = uri.find('?');
    target.conninfo = uri.substr(0, question);
    std::string kept;
    std::size_t start = question == std::string::npos ? uri.size() + 1 : question + 1;
    while (start <= uri.size()) {
        const auto end = std::min(uri.find('&', start), uri.size());
        const std::string param = uri.substr(start, end - start);
        if (param.rfind("schema=", 0) == 0) {
            target.schema = url_decode(param.substr(7));
        } else if (!param.empty()) {
            kept += (kept.empty() ? "?" : "&") + param;
        }
        start = end + 1;
    }
    target.conninfo += kept;
    if (kept.find("connect_timeout=") == std::string::npos) {
        // An unreachable server fails in seconds instead of the system's TCP timeout.
        target.conninfo += (kept.empty() ? "?" : "&") + std::string{"connect_timeout=15"};
    }
    // A plain lower-case identifier: it is quoted anyway, but a name that needs quoting in psql
    // or QGIS is a trap for the people who open the store there.
    static const std::regex plain{"^[a-z_][a-z0-9_]{0,62}$"};
    if (!std::regex_match(target.schema, plain)) {
        throw StoreError(fmt::format("{}: schema '{}' must be a plain lower-case name (letters, digits, _)", shown,
                                     target.schema));
    }
    return target;
}

std::string PgResult::text(int row, int column) const {
    return std::string{PQgetvalue(m_result.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(m_result.get(), row, column))};
}

std::optional<std::string> PgResult::optional_text(int row, int column) const {
    return is_null(row, column) ? std::nullopt : std::optional<std::string>{text(row, column)};
}

std::int64_t PgResult::int64(int row, int column) const {
    std::int64_t value = 0;
    const char* begin = PQgetvalue(m_result.get(), row, column);
    std::from_chars(begin, begin + PQgetlength(m_result.get(), row, column), value);
    return value;
}

std::optional<std::int64_t> PgResult::optional_int64(int row, int column) const {
    return is_null(row, column) ? std::nullopt : std::optional<std::int64_t>{int64(row, column)};
}

double PgResult::real(int row, int column) const {
    double value = 0.0;
    const char* begin = PQgetvalue(m_result.get(), row, column);
    std::from_chars(begin, begin + PQgetlength(m_result.get(), row, column), value);
    return value;
}

std::optional<double> PgResult::optional_real(int row, int column) const {
    return is_null(row, column) ? std::nullopt : std::optional<double>{real(row, column)};
}

PgConnection::PgConnection(const PgTarget& target) : m_shown(target.shown) {
    m_conn = PQconnectdb(target.conninfo.c_str());
    // A constructor that throws runs no destructor: the connection libpq allocated even for a
    // failed attempt is finished here before the error leaves.
    try {
        if (m_conn == nullptr || PQstatus(m_conn) != CONNECTION_OK) {
            fail("cannot connect to the PostgreSQL server");
        }
        // Notices (CREATE ... IF NOT EXISTS) are not the user's business.
        PQsetNoticeProcessor(m_conn, [](void*, const char*) {}, nullptr);
        // ISO dates and shortest-exact doubles are what the rows are parsed with; the store's
        // schema first on the path, PostGIS (in public) after it.
        exec(fmt::format("SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3; "
                         "SET TimeZone = 'UTC'; SET search_path = {}, public",
                         identifier(target.schema)));
    } catch (...) {
        PQfinish(m_conn);
        m_conn = nullptr;
        throw;
    }
}

PgConnection::~PgConnection() {
    PQfinish(m_conn);
}

void PgConnection::fail(const std::string& what, PGresult* result) const {
    std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
    if (message.empty() && m_conn != nullptr) {
        message = PQerrorMessage(m_conn);
    }
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
    }
    if (result != nullptr) {
        PQclear(result);
    }
    throw StoreError(fmt::format("{}: {}: {}", m_shown, what, message));
}

PgResult PgConnection::exec(const std::string& sql) {
    PGresult* result = PQexec(m_conn, sql.c_str());
    const auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        fail("PostgreSQL refused", result);
    }
    return PgResult{result};
}

PgResult PgConnection::exec(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p ? p->c_str() : nullptr);
    }
    PGresult* result = PQexecParams(m_conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                    nullptr, nullptr, 0);
    const auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        fail("PostgreSQL refused", result);
    }
    return PgResult{result};
}

void PgConnection::copy_in(const std::string& copy_sql, const std::string& data) {
    PGresult* start = PQexec(m_conn, copy_sql.c_str());
    if (PQresultStatus(start) != PGRES_COPY_IN) {
        fail("COPY refused", start);
    }
    PQclear(start);
    // Sent in slices: libpq buffers each, and a slice of a few MB keeps memory flat.
    constexpr std::size_t slice = 4 << 20;
    for (std::size_t at = 0; at < data.size(); at += slice) {
        const auto size = std::min(slice, data.size() - at);
        if (PQputCopyData(m_conn, data.data() + at, static_cast<int>(size)) != 1) {
            fail("COPY failed");
        }
    }
    if (PQputCopyEnd(m_conn, nullptr) != 1) {
        fail("COPY failed");
    }
    PGresult* end = PQgetResult(m_conn);
    if (PQresultStatus(end) != PGRES_COMMAND_OK) {
        fail("COPY refused", end);
    }
    PQclear(end);
    while (PGresult* more = PQgetResult(m_conn)) {
        PQclear(more);
    }
}

std::string PgConnection::identifier(const std::string& text) const {
    char* quoted = PQescapeIdentifier(m_conn, text.c_str(), text.size());
    if (quoted == nullptr) {
        fail("cannot quote a name");
    }
    std::string out{quoted};
    PQfreemem(quoted);
    return out;
}

std::string PgConnection::literal(const std::string& text) const {
    char* quoted = PQescapeLiteral(m_conn, text.c_str(), text.size());
    if (quoted == nullptr) {
        fail("cannot quote a value");
    }
    std::string out{quoted};
    PQfreemem(quoted);
    return out;
}

void copy_field(std::string& line, const std::string& text) {
    for (const char c : text) {
        switch (c) {
        case '\\': line += "\\\\"; break;
        case '\t': line += "\\t"; break;
        case '\n': line += "\\n"; break;
        case '\r': line += "\\r"; break;
        default: line += c;
        }
    }
    line += '\t';
}

void copy_field(std::string& line, const std::optional<std::string>& text) {
    if (text) {
        copy_field(line, *text);
    } else {
        copy_null(line);
    }
}

void copy_null(std::string& line) {
    line += "\\N\t";
}

void copy_end_row(std::string& line) {
    line.back() = '\n';
}

std::string exact_double(double value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string{buffer, static_cast<std::size_t>(end - buffer)};
}

std::optional<std::string> exact_double(const std::optional<double>& value) {
    return value ? std::optional<std::string>{exact_double(*value)} : std::nullopt;
}

} // namespace deadzone::store::detail
