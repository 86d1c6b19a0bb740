// The PostgreSQL store in-process, against a real server: schema (PostGIS, GiST, views, QGIS
// styles), exact round trips (delay fields included), refused uploads and re-imports change
// nothing (row counts + content digest), the append-only rule and per-operator row-level
// security enforced by PostgreSQL itself, tokens, and `store copy` both ways with the history.
#include "pg_support.hpp"

#include <deadzone/core/source.hpp>
#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace deadzone;
using deadzone::test::PgSchema;
using deadzone::test::PgSql;
using deadzone::test::store_digest;
using store::ImportMode;
using store::UploadMeta;

namespace {

const char* campaign_json = R"({
  "name": "PG test",
  "operators": [
    {"code": "VTL", "name": "Viettel", "mcc_mnc": ["452-04"], "color": "#d7191c"},
    {"code": "VNP", "name": "VinaPhone", "mcc_mnc": ["452-02"], "color": "#2b83ba"}
  ],
  "milestones": [{"date": "2022-06-30", "target": 0.4}]
})";

store::CampaignDocument document() {
    return store::CampaignDocument{campaign_json, fs::temp_directory_path(), "campaign.json", "c0ffee", "tester"};
}

Village village(const std::string& id, double lon) {
    Village v;
    v.id = id;
    v.name = "Bản " + id;
    v.province = "Lào Cai";
    geo::Polygon polygon;
    polygon.outer() = {{lon, 21.0}, {lon + 0.01, 21.0}, {lon + 0.01, 21.01}, {lon, 21.01}, {lon, 21.0}};
    v.geometry = geo::MultiPolygon{polygon};
    v.population = 0.1 + 0.2; // not a short decimal: must come back bit for bit
    v.extra = {{"note", "tab\there\nand a \\ backslash"}, {"b", "2"}};
    v.source = source_location("villages.geojson:FID " + id);
    return v;
}

Commitment commitment(const std::string& village_id, const std::string& op) {
    Commitment c;
    c.village_id = village_id;
    c.operator_code = op;
    c.deadline = *Date::parse("2022-07-30");
    c.support_fund_vnd = 1250000000;
    c.note = "USF phase 2";
    c.source = source_location("commitments.csv:row " + village_id);
    return c;
}

Cell cell(const std::string& op, const std::string& site, const char* on_air = "2022-06-15") {
    Cell c;
    c.operator_code = op;
    c.site_id = site;
    c.cell_id = "1";
    c.position = geo::Point{105.0 + 1.0 / 3.0, 21.005};
    c.on_air_date = Date::parse(on_air);
    c.range_m = 3000.0;
    c.azimuth_deg = 120.0;
    c.source = source_location("stations.csv:row " + site);
    return c;
}

Cell late_cell(const std::string& op, const std::string& site) {
    Cell c = cell(op, site);
    c.status = CellStatus::building;
    c.on_air_date.reset();
    c.delay.reason = DelayReason::power;
    c.delay.note = "waiting for EVN";
    c.delay.expected_on_air_date = Date::parse("2022-08-15");
    c.delay.power_source = "solar";
    c.delay.backhaul = "microwave";
    return c;
}

UploadMeta meta(const std::string& op = "", const std::string& sha = "aa", ImportMode mode = ImportMode::replace) {
    return UploadMeta{mode, op, "file.csv", sha, "tester", 0};
}

/// Every field of every record, for comparing snapshots across backends.
std::string describe(const store::Snapshot& s) {
    std::string out = fmt::format("known at #{} {}\n", s.known_at.id, store::to_string(s.known_at.kind));
    for (const auto& v : s.inputs.villages) {
        out += fmt::format("V {} {} {} {} {} {} {}", v.id, v.name, v.province, v.population.value_or(-1),
                           v.households.value_or(-1), v.geometry.size(), source_text(v.source));
        for (const auto& p : v.geometry.front().outer()) {
            out += fmt::format(" {}/{}", p.x(), p.y());
        }
        for (const auto& [k, val] : v.extra) {
            out += " " + k + "=" + val;
        }
        out += "\n";
    }
    for (const auto& c : s.inputs.commitments) {
        out += fmt::format("C {} {} {} {} {} {}\n", c.village_id, c.operator_code, c.deadline.iso(),
                           c.support_fund_vnd.value_or(-1), c.note, source_text(c.source));
    }
    for (const auto& c : s.inputs.cells) {
        out += fmt::format("K {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}\n", c.key(), c.position.x(), c.position.y(),
                           to_string(c.status), c.on_air_date ? c.on_air_date->iso() : "-", c.range_m.value_or(-1),
                           c.azimuth_deg.value_or(-1), c.delay.reason ? to_string(*c.delay.reason) : "-", c.delay.note,
                           c.delay.expected_on_air_date ? c.delay.expected_on_air_date->iso() : "-",
                           c.delay.power_source, c.delay.backhaul, source_text(c.source), c.extra.size(), c.height_m.has_value());
    }
    return out;
}

/// The same uploads into any store: #2 villages, #3 commitments, #4 VTL, #5 VNP, #6 VTL changed.
void upload_sequence(store::Store& s) {
    REQUIRE(s.put_villages({village("V1", 105.0), village("V2", 105.1)}, meta("", "v")).upload);
    REQUIRE(s.put_commitments({commitment("V1", "VTL"), commitment("V2", "VNP")}, meta("", "c")).upload);
    REQUIRE(s.put_cells({cell("VTL", "S1"), late_cell("VTL", "S2")}, meta("VTL", "t1")).upload);
    REQUIRE(s.put_cells({cell("VNP", "N1")}, meta("VNP", "n1")).upload);
    REQUIRE(s.put_cells({cell("VTL", "S1", "2022-07-01"), cell("VTL", "S3")}, meta("VTL", "t2")).upload);
}

} // namespace

TEST_CASE("pg store: PostGIS tables, GiST indexes, current views and QGIS styles; exact round trip") {
    PgSchema schema;
    auto s = store::create_store(schema.uri(), document());
    upload_sequence(*s);
    PgSql sql{schema.name()};
    CHECK(sql.value("SELECT value FROM deadzone_meta WHERE key = 'schema_version'") == "3");
    CHECK(sql.value("SELECT type || ' ' || srid FROM geometry_columns WHERE f_table_schema = '" + schema.name() +
                    "' AND f_table_name = 'cells'") == "POINT 4326");
    CHECK(sql.value("SELECT type || ' ' || srid FROM geometry_columns WHERE f_table_schema = '" + schema.name() +
                    "' AND f_table_name = 'villages'") == "MULTIPOLYGON 4326");
    CHECK(sql.count("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + schema.name() +
                    "' AND indexdef LIKE '%USING gist (geom)%'") == 3); // villages, cells, measurements
    CHECK(sql.count("SELECT count(*) FROM current_cells") == 3); // S2 ended by #6
    CHECK(sql.count("SELECT count(*) FROM cells") == 5);
    CHECK(sql.value("SELECT string_agg(f_table_name, ',' ORDER BY f_table_name) FROM layer_styles WHERE "
                    "f_table_schema = '" + schema.name() + "' AND useasdefault") == "current_cells,current_villages");
    CHECK(sql.value("SELECT delay_reason || '|' || delay_note || '|' || expected_on_air_date || '|' || power_source "
                    "|| '|' || backhaul FROM cells WHERE site_id = 'S2'") ==
          "power|waiting for EVN|2022-08-15|solar|microwave");
    CHECK(sql.value("SELECT ST_AsText(geom) FROM cells WHERE site_id = 'N1'") == "POINT(105.33333333333333 21.005)");

    s.reset();
    s = store::open_store(schema.uri());
    const auto snap = s->snapshot();
    CHECK(snap.known_at.id == 6);
    REQUIRE(snap.inputs.villages.size() == 2);
    CHECK(*snap.inputs.villages[0].population == 0.1 + 0.2);
    CHECK(snap.inputs.villages[0].extra == village("V1", 105.0).extra);
    CHECK(snap.inputs.villages[0].geometry.front().outer().size() == 5);
    REQUIRE(snap.inputs.commitments.size() == 2);
    CHECK(*snap.inputs.commitments[0].support_fund_vnd == 1250000000);
    CHECK(snap.inputs.commitments[0].note == "USF phase 2");
    REQUIRE(snap.inputs.cells.size() == 3);
    CHECK(snap.inputs.cells[0].position.x() == 105.0 + 1.0 / 3.0);
    const auto at4 = s->snapshot(4);
    REQUIRE(at4.inputs.cells.size() == 2);
    const Cell& s2 = at4.inputs.cells[1];
    CHECK(s2.key() == "VTL/S2/1");
    CHECK(s2.delay.reason == DelayReason::power);
    CHECK(s2.delay.expected_on_air_date == Date::parse("2022-08-15"));
    CHECK(s2.delay.backhaul == "microwave");
    CHECK(s->check_integrity().empty());
}

TEST_CASE("pg store: refused uploads and re-imports change nothing (row counts and content digest)") {
    PgSchema schema;
    auto s = store::create_store(schema.uri(), document());
    upload_sequence(*s);
    const auto before = store_digest(schema.name());
    CHECK_THROWS_AS(s->put_cells({cell("VTL", "S9"), cell("VNP", "N9")}, meta("VTL")), InputError);
    CHECK_THROWS_AS(s->put_commitments({commitment("V9", "VTL")}, meta("", "c2")), InputError);
    CHECK_THROWS_AS(s->put_villages({village("V1", 105.0)}, meta("", "v2")), InputError); // V2 still committed
    CHECK_THROWS_AS(s->put_cells({}, meta("VNP", "empty")), InputError);                    // empty replace
    CHECK(store_digest(schema.name()) == before);
    const auto again = s->put_cells({cell("VTL", "S3"), cell("VTL", "S1", "2022-07-01")}, meta("VTL", "t2"));
    CHECK(again.no_op());
    REQUIRE(again.same_file_as);
    CHECK(*again.same_file_as == 6);
    CHECK(store_digest(schema.name()) == before);
}

TEST_CASE("pg store: PostgreSQL itself refuses rewriting history, whoever the client") {
    PgSchema schema;
    auto s = store::create_store(schema.uri(), document());
    upload_sequence(*s);
    PgSql sql{schema.name()};
    const auto before = store_digest(schema.name());
    CHECK(sql.run("UPDATE cells SET known_to_upload = 6 WHERE known_to_upload IS NOT NULL").find("a version can only be closed") != std::string::npos);
    CHECK(sql.run("UPDATE cells SET on_air_date = '2022-01-01' WHERE site_id = 'S3'").find("a version can only be closed") != std::string::npos);
    CHECK(sql.run("UPDATE cells SET geom = ST_SetSRID(ST_MakePoint(1, 2), 4326) WHERE site_id = 'S3'").find("history") != std::string::npos);
    CHECK(sql.run("DELETE FROM cells").find("history") != std::string::npos);
    CHECK(sql.run("TRUNCATE cells CASCADE").find("history") != std::string::npos);
    CHECK(sql.run("DELETE FROM villages WHERE village_id = 'V1'").find("history") != std::string::npos);
    CHECK(sql.run("UPDATE commitments SET deadline = '2030-01-01'").find("history") != std::string::npos);
    CHECK(sql.run("UPDATE uploads SET uploaded_by = 'someone else'").find("history") != std::string::npos);
    CHECK(sql.run("DELETE FROM uploads WHERE id = 6").find("history") != std::string::npos);
    CHECK(sql.run("UPDATE deadzone_meta SET value = '9'").find("history") != std::string::npos);
    CHECK(store_digest(schema.name()) == before);
    // Closing a current version is the one change allowed (rolled back here).
    CHECK(sql.run("BEGIN; UPDATE cells SET known_to_upload = 6 WHERE site_id = 'S3' AND known_to_upload IS NULL; "
                  "ROLLBACK") == "");
    CHECK(s->check_integrity().empty());
    REQUIRE(sql.run("ALTER TABLE cells DISABLE TRIGGER cells_close_only") == "");
    CHECK(s->check_integrity() ==
          std::vector<std::string>{"trigger cells_close_only is missing or disabled: history is not protected"});
}

TEST_CASE("pg store: an operator's database role writes only its own cells (row-level security)") {
    PgSchema schema;
    auto s = store::create_store(schema.uri(), document());
    upload_sequence(*s);
    PgSql sql{schema.name()};
    const std::string role = schema.name() + "_vtl";
    REQUIRE(sql.run("CREATE ROLE " + role + " NOLOGIN") == "");
    REQUIRE(sql.run("SELECT deadzone_grant_operator('" + role + "', 'VTL')") == "");
    const auto before = store_digest(schema.name());
    const std::string insert = "INSERT INTO cells (operator, geom, site_id, cell_id, tech, status, lon, lat, extra, "
                               "source, digest, known_from_upload) VALUES ('{}', ST_SetSRID(ST_MakePoint(105, 21), "
                               "4326), 'X1', '1', '4G', 'planned', 105, 21, '[]', 'sql', 'x', 6)";
    REQUIRE(sql.run("SET ROLE " + role) == "");
    CHECK(sql.run(fmt::format(fmt::runtime(insert), "VNP")).find("row-level security") != std::string::npos);
    CHECK(sql.run("INSERT INTO uploads VALUES (7, 'stations', 'VNP', 'replace', 'now', 'x', 'f', 's', 0, 0, 0, 0, 0, "
                  "0)").find("row-level security") != std::string::npos);
    // Closing another operator's cell touches nothing: the rows are invisible to the UPDATE.
    CHECK(sql.value("WITH c AS (UPDATE cells SET known_to_upload = 6 WHERE operator = 'VNP' AND known_to_upload IS "
                    "NULL RETURNING 1) SELECT count(*) FROM c") == "0");
    CHECK(sql.run("UPDATE cells SET site_id = 'Z' WHERE operator = 'VTL'").find("permission denied") != std::string::npos);
    CHECK(sql.run("INSERT INTO villages (village_id) VALUES ('V9')").find("permission denied") != std::string::npos);
    // Its own cells: allowed (rolled back).
    CHECK(sql.run("BEGIN; " + fmt::format(fmt::runtime(insert), "VTL") + "; ROLLBACK") == "");
    REQUIRE(sql.run("RESET ROLE") == "");
    CHECK(store_digest(schema.name()) == before);

    // The same through deadzone, connected as that role: its own upload lands, another's is refused.
    const std::string as_role = schema.uri() + "&options=-crole%3D" + role;
    auto op_store = store::open_store(as_role);
    CHECK(op_store->put_cells({cell("VTL", "S1", "2022-07-01"), cell("VTL", "S4")}, meta("VTL", "t3")).upload);
    const auto landed = store_digest(schema.name());
    CHECK_THROWS_AS(op_store->put_cells({cell("VNP", "N2")}, meta("VNP", "n2")), StoreError);
    CHECK(store_digest(schema.name()) == landed);
    op_store.reset();
    s.reset();
    sql.run("DROP OWNED BY " + role);
    sql.run("DROP ROLE " + role);
}

TEST_CASE("pg store: tokens are stored, listed and revoked once; PostgreSQL refuses any other change") {
    PgSchema schema;
    auto s = store::create_store(schema.uri(), document());
    store::TokenRecord t;
    t.id = "0123456789abcdef";
    t.role = store::TokenRole::operator_role;
    t.scope = "VTL";
    t.salt_hex = std::string(32, 'a');
    t.hash_hex = std::string(64, 'b');
    t.created_at = "2022-07-01T08:30:12.345Z";
    t.created_by = "tester";
    s->add_token(t);
    auto t2 = t;
    t2.id = "fedcba9876543210";
    t2.role = store::TokenRole::viewer;
    t2.scope.clear();
    t2.created_at = "2022-07-01T08:00:00.000Z";
    s->add_token(t2);
    const auto listed = s->tokens();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].id == "fedcba9876543210");
    CHECK(listed[1].role == store::TokenRole::operator_role);
    CHECK(listed[1].scope == "VTL");
    s->revoke_token(t.id);
    CHECK(s->tokens()[1].revoked_at.has_value());
    CHECK_THROWS_AS(s->revoke_token(t.id), StoreError);
    CHECK_THROWS_WITH_AS(s->revoke_token("0000000000000000"), doctest::Contains(": no token 0000000000000000"), StoreError);
    PgSql sql{schema.name()};
    CHECK(sql.run("UPDATE deadzone_tokens SET hash_hex = 'x'").find("revoked") != std::string::npos);
    CHECK(sql.run("DELETE FROM deadzone_tokens").find("history") != std::string::npos);
}

TEST_CASE("pg store: known-at snapshots equal the GeoPackage store's; store copy keeps the whole history both ways") {
    PgSchema schema;
    const fs::path dir = fs::temp_directory_path() / fmt::format("deadzone-pg-copy-{}", getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto pg = store::create_store(schema.uri(), document());
    auto gpkg = store::create_store(dir / "a.gpkg", document());
    upload_sequence(*pg);
    upload_sequence(*gpkg);
    store::TokenRecord t{"0123456789abcdef", store::TokenRole::department, "", std::string(32, 'a'),
                         std::string(64, 'b'), "2022-07-01T08:30:12.345Z", "tester", std::nullopt};
    pg->add_token(t);
    for (std::int64_t id = 1; id <= 6; ++id) {
        INFO("upload #", id);
        CHECK(describe(pg->snapshot(id)) == describe(gpkg->snapshot(id)));
    }
    pg.reset();
    gpkg.reset();

    // PostgreSQL -> GeoPackage -> PostgreSQL: the same log (ids, times, counts), every snapshot, the token.
    PgSchema copy;
    const auto first = store::copy_store(schema.uri(), (dir / "b.gpkg").string());
    CHECK(first.uploads == 6);
    CHECK(first.versions == 2 + 2 + 2 + 1 + 2);
    CHECK(first.tokens == 1);
    const auto second = store::copy_store((dir / "b.gpkg").string(), copy.uri());
    CHECK(second.versions == first.versions);
    auto original = store::open_store(schema.uri());
    auto round_trip = store::open_store(copy.uri());
    const auto log_a = original->uploads();
    const auto log_b = round_trip->uploads();
    REQUIRE(log_a.size() == log_b.size());
    for (std::size_t i = 0; i < log_a.size(); ++i) {
        CHECK(log_a[i].uploaded_at == log_b[i].uploaded_at);
        CHECK(log_a[i].sha256 == log_b[i].sha256);
        CHECK(log_a[i].changed == log_b[i].changed);
        CHECK(describe(original->snapshot(log_a[i].id)) == describe(round_trip->snapshot(log_b[i].id)));
    }
    CHECK(round_trip->tokens().size() == 1);
    PgSql a{schema.name()};
    PgSql b{copy.name()};
    const std::string history = "SELECT string_agg(site_id || ':' || known_from_upload || '-' || "
                                "coalesce(known_to_upload::text, 'now') || ':' || digest, ',' ORDER BY site_id, "
                                "known_from_upload) FROM cells";
    CHECK(a.value(history) == b.value(history));
    // The target must be new.
    CHECK_THROWS_AS(store::copy_store(schema.uri(), copy.uri()), StoreError);
    CHECK_THROWS_AS(store::copy_store(schema.uri(), (dir / "b.gpkg").string()), StoreError);
    fs::remove_all(dir);
}
