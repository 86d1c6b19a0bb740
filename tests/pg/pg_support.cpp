#include "pg_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace deadzone::test {

std::string pg_server_uri() {
    const char* uri = std::getenv("DEADZONE_TEST_PG_URI");
    if (uri == nullptr) {
        FAIL("DEADZONE_TEST_PG_URI is not set");
    }
    return uri;
}

PgSchema::PgSchema() {
    std::random_device random;
    m_name = fmt::format("t_{:08x}{:08x}", random(), random());
    const std::string server = pg_server_uri();
    m_uri = server + (server.find('?') == std::string::npos ? "?" : "&") + "schema=" + m_name;
}

PgSchema::~PgSchema() {
    try {
        PgSql sql;
        sql.run("DROP SCHEMA IF EXISTS " + m_name + " CASCADE");
    } catch (...) {
    }
}

PgSql::PgSql(const std::string& schema) {
    m_conn = PQconnectdb(pg_server_uri().c_str());
    REQUIRE_MESSAGE(PQstatus(m_conn) == CONNECTION_OK, PQerrorMessage(m_conn));
    PQsetNoticeProcessor(m_conn, [](void*, const char*) {}, nullptr);
    if (!schema.empty()) {
        REQUIRE(run("SET search_path = " + schema + ", public") == "");
    }
}

PgSql::~PgSql() {
    PQfinish(m_conn);
}

std::string PgSql::run(const std::string& sql) {
    PGresult* result = PQexec(m_conn, sql.c_str());
    const auto status = PQresultStatus(result);
    std::string error = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? "" : PQresultErrorMessage(result);
    PQclear(result);
    return error;
}

std::string PgSql::value(const std::string& sql) {
    PGresult* result = PQexec(m_conn, sql.c_str());
    const auto status = PQresultStatus(result);
    INFO(sql);
    INFO(PQresultErrorMessage(result));
    REQUIRE(status == PGRES_TUPLES_OK);
    std::string text = PQntuples(result) > 0 && PQgetisnull(result, 0, 0) == 0 ? PQgetvalue(result, 0, 0) : "";
    PQclear(result);
    return text;
}

std::string store_digest(const std::string& schema) {
    PgSql sql{schema};
    std::string digest;
    for (const char* table : {"deadzone_meta", "uploads", "campaign", "operators", "operator_roles", "villages",
                              "commitments", "cells", "deadzone_tokens", "layer_styles"}) {
        digest += fmt::format("{}:{}:{}\n", table, sql.value(fmt::format("SELECT count(*) FROM {}", table)),
                              sql.value(fmt::format("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                                                    "FROM {} t",
                                                    table)));
    }
    return digest;
}

} // namespace deadzone::test
