// Tokens: random, salted, hashed, checked in constant time; revoked once; stored in the store's
// deadzone_tokens table without the token text.
#include "service_support.hpp"

#include <deadzone/service/tokens.hpp>
#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <sqlite3.h>

using namespace deadzone;
namespace fs = std::filesystem;

TEST_CASE("a token verifies against its record only, and never once revoked") {
    const auto a = service::make_token(store::TokenRole::operator_role, "VTL", "alice");
    const auto b = service::make_token(store::TokenRole::operator_role, "VTL", "alice");
    CHECK(a.token.size() == 3 + 16 + 1 + 64); // 256 secret bits
    CHECK(a.token != b.token);
    CHECK(a.record.salt_hex != b.record.salt_hex);
    CHECK(a.record.hash_hex == service::token_hash(a.record.salt_hex, a.token));
    CHECK(a.record.hash_hex.size() == 64);
    CHECK(a.record.hash_hex.find(a.token.substr(20)) == std::string::npos);

    std::vector<store::TokenRecord> records{a.record, b.record};
    REQUIRE(service::verify_token(records, a.token));
    CHECK(service::verify_token(records, a.token)->id == a.record.id);
    CHECK(service::verify_token(records, b.token)->id == b.record.id);
    // One changed character of the secret, of the id, a truncation, an empty string.
    auto wrong = a.token;
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    CHECK_FALSE(service::verify_token(records, wrong));
    auto other_id = a.token;
    other_id.replace(3, 16, b.record.id); // b's id with a's secret
    CHECK_FALSE(service::verify_token(records, other_id));
    CHECK_FALSE(service::verify_token(records, a.token.substr(0, 50)));
    CHECK_FALSE(service::verify_token(records, ""));
    records[0].revoked_at = "2022-07-01T00:00:00.000Z";
    CHECK_FALSE(service::verify_token(records, a.token));
}

TEST_CASE("a token's scope must suit its role") {
    CHECK_THROWS_AS(service::make_token(store::TokenRole::operator_role, "", "x"), UsageError);
    CHECK_THROWS_AS(service::make_token(store::TokenRole::province, "", "x"), UsageError);
    CHECK_THROWS_AS(service::make_token(store::TokenRole::viewer, "VTL", "x"), UsageError);
    CHECK(store::parse_token_role("province") == store::TokenRole::province);
    CHECK(store::parse_token_role("tester") == store::TokenRole::tester);
    CHECK(std::string{store::to_string(store::TokenRole::tester)} == "tester");
    CHECK(std::string{store::to_string(store::TokenRole::operator_role)} == "operator");
    CHECK_FALSE(store::parse_token_role("admin"));
}

TEST_CASE("the store keeps tokens hashed, lists them in order and revokes each once") {
    test::TempDir dir{"deadzone-token-test"};
    const auto file = dir.path() / "s.gpkg";
    fs::copy_file(test::sample_store(), file);
    auto store = store::open_store(file.string());
    CHECK(store->tokens().empty()); // the sample store predates any token
    const auto first = service::issue_token(*store, store::TokenRole::viewer, "", "alice");
    const auto second = service::issue_token(*store, store::TokenRole::province, "Lào Cai", "bob");
    const auto listed = store->tokens();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].id == first.record.id);
    CHECK(listed[1].scope == "Lào Cai");
    CHECK(listed[1].created_by == "bob");
    CHECK_FALSE(listed[0].revoked_at);

    store->revoke_token(first.record.id);
    const auto after = store->tokens();
    REQUIRE(after[0].revoked_at);
    CHECK_FALSE(after[1].revoked_at);
    CHECK_THROWS_WITH_AS(store->revoke_token(first.record.id), doctest::Contains("revoked already"), StoreError);
    CHECK_THROWS_WITH_AS(store->revoke_token("0123456789abcdef"), doctest::Contains("no token 0123456789abcdef"),
                         StoreError);
    store.reset();

    // The token text is nowhere in the file; SQLite itself refuses deleting or rewriting a token.
    CHECK(test::read_file(file).find(first.token) == std::string::npos);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "DELETE FROM deadzone_tokens", nullptr, nullptr, nullptr) != SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE deadzone_tokens SET role = 'department'", nullptr, nullptr, nullptr) != SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE deadzone_tokens SET revoked_at = NULL", nullptr, nullptr, nullptr) != SQLITE_OK);
    sqlite3_close(db);
}

TEST_CASE("deadzone token add / list / revoke") {
    test::TempDir dir{"deadzone-token-cli"};
    const auto file = (dir.path() / "s.gpkg").string();
    fs::copy_file(test::sample_store(), file);
    const auto added = test::run_deadzone({"token", "add", file, "--operator", "vtl"});
    INFO(added.err);
    REQUIRE(added.exit_code == 0);
    const auto token = added.out.substr(0, added.out.find('\n'));
    CHECK(token.rfind("dz_", 0) == 0);
    const auto list = test::run_deadzone({"token", "list", file, "--json"});
    REQUIRE(list.exit_code == 0);
    CHECK(list.out.find(token) == std::string::npos);
    CHECK(list.out.find("\"scope\": \"VTL\"") != std::string::npos);
    CHECK(test::run_deadzone({"token", "add", file, "--operator", "XYZ"}).exit_code == 2);
    CHECK(test::run_deadzone({"token", "add", file, "--province", "Atlantis"}).exit_code == 2);
    CHECK(test::run_deadzone({"token", "add", file}).exit_code == 2);
    const auto id = token.substr(3, 16);
    CHECK(test::run_deadzone({"token", "revoke", file, id}).exit_code == 0);
    CHECK(test::run_deadzone({"token", "revoke", file, id}).exit_code == 3);
}
