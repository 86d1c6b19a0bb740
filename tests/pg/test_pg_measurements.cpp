// Field samples in the PostgreSQL store against a real server: the same uploads give the same
// snapshots (every field, bit for bit, in upload-then-row order) as the GeoPackage store;
// re-imports are no-ops; PostgreSQL refuses rewriting sample history; an operator's role
// writes only its own samples (row-level security); `store copy` carries them both ways.
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
  "name": "PG samples",
  "operators": [
    {"code": "VTL", "name": "Viettel", "mcc_mnc": ["452-04"], "color": "#d7191c"},
    {"code": "VNP", "name": "VinaPhone", "mcc_mnc": ["452-02"], "color": "#2b83ba"}
  ]
})";

store::CampaignDocument document() {
    return store::CampaignDocument{campaign_json, fs::temp_directory_path(), "campaign.json", "c0ffee", "tester"};
}

Sample sample(const std::string& op, int minute, double level, const std::string& cell = "") {
    Sample s;
    s.operator_code = op;
    s.time = fmt::format("2022-07-19T08:{:02}:00+07:00", minute);
    s.day = *Date::parse("2022-07-19");
    s.tech = Tech::g4;
    s.position = geo::Point{105.0 + 0.1 / 3.0 * minute, 21.0 + 0.2 / 7.0}; // not short decimals
    s.level_dbm = level;
    s.cell_id = cell;
    s.origin = "drive\ttest \\ co";
    s.source = Location{"drive.csv", minute + 2, {}, {}};
    return s;
}

UploadMeta meta(const std::string& op, const std::string& sha, ImportMode mode = ImportMode::replace) {
    UploadMeta m;
    m.mode = mode;
    m.operator_code = op;
    m.file_name = "drive.csv";
    m.sha256 = sha;
    m.uploaded_by = "tester";
    return m;
}

/// Uploads 2-5: both operators' samples (out of key order), VTL's own replace with one level
/// changed and one sample ended, then an upsert adding one VNP sample.
void upload_samples(store::Store& s) {
    REQUIRE(s.put_samples({sample("VTL", 9, -90.5, "A/1"), sample("VNP", 1, -101.25), sample("VTL", 3, -95)},
                          meta("", "m1"))
                .upload);
    REQUIRE(s.put_samples({sample("VTL", 9, -91.5, "A/1")}, meta("VTL", "m2")).upload);
    REQUIRE(s.put_samples({sample("VNP", 4, -99)}, meta("VNP", "m3", ImportMode::upsert)).upload);
}

std::string describe(const std::vector<Sample>& samples) {
    std::string text;
    for (const auto& s : samples) {
        text += fmt::format("{}|{}|{}|{}|{:a}|{:a}|{:a}|{}|{}|{}\n", s.operator_code, s.time, s.day.iso(),
                            to_string(s.tech), s.position.x(), s.position.y(), s.level_dbm, s.cell_id, s.origin,
                            source_text(s.source));
    }
    return text;
}

} // namespace

TEST_CASE("pg samples: the same snapshots as the GeoPackage store; no-op re-imports; counts") {
    PgSchema schema;
    const fs::path dir = fs::temp_directory_path() / fmt::format("deadzone-pg-samples-{}", getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto pg = store::create_store(schema.uri(), document());
    auto gpkg = store::create_store(dir / "a.gpkg", document());
    upload_samples(*pg);
    upload_samples(*gpkg);
    const auto log = pg->uploads();
    REQUIRE(log.size() == 4);
    CHECK(log[1].kind == store::UploadKind::measurements);
    CHECK(log[1].operator_code.empty());
    CHECK(log[1].added == 3);
    CHECK(log[2].operator_code == "VTL");
    CHECK(log[2].changed == 1);
    CHECK(log[2].ended == 1); // VTL's minute-3 sample; VNP's stay
    CHECK(log[3].added == 1);
    // Upload then row order: the VNP minute-1 sample of upload 2, then upload 3's, then upload 4's.
    CHECK(describe(pg->snapshot(4).inputs.samples) ==
          describe({sample("VNP", 1, -101.25), sample("VTL", 9, -91.5, "A/1"), sample("VNP", 4, -99)}));
    for (std::int64_t id = 1; id <= 4; ++id) {
        INFO("upload #", id);
        CHECK(describe(pg->snapshot(id).inputs.samples) == describe(gpkg->snapshot(id).inputs.samples));
    }
    const auto before = store_digest(schema.name());
    CHECK(pg->put_samples({sample("VTL", 9, -91.5, "A/1")}, meta("VTL", "m2")).no_op());
    // A sample key twice in one upload is refused, naming both rows.
    CHECK_THROWS_AS(pg->put_samples({sample("VTL", 5, -90), sample("VTL", 5, -80)}, meta("VTL", "d")), InputError);
    // An operator's upload holding another operator's sample is refused.
    CHECK_THROWS_AS(pg->put_samples({sample("VNP", 6, -90)}, meta("VTL", "w")), InputError);
    CHECK(store_digest(schema.name()) == before);
    CHECK(pg->check_integrity().empty());

    // PostgreSQL refuses rewriting sample history, whoever the client.
    PgSql sql{schema.name()};
    CHECK(sql.run("UPDATE measurements SET level_dbm = 0").find("history") != std::string::npos);
    CHECK(sql.run("DELETE FROM measurements").find("history") != std::string::npos);
    CHECK(sql.run("TRUNCATE measurements").find("history") != std::string::npos);
    CHECK(store_digest(schema.name()) == before);

    // PostgreSQL -> GeoPackage -> PostgreSQL keeps every sample version and the order.
    pg.reset();
    gpkg.reset();
    PgSchema copy;
    const auto first = store::copy_store(schema.uri(), (dir / "b.gpkg").string());
    CHECK(first.versions == 3 + 1 + 1);
    store::copy_store((dir / "b.gpkg").string(), copy.uri());
    auto original = store::open_store(schema.uri());
    auto round_trip = store::open_store(copy.uri());
    for (std::int64_t id = 1; id <= 4; ++id) {
        CHECK(describe(original->snapshot(id).inputs.samples) == describe(round_trip->snapshot(id).inputs.samples));
    }
    fs::remove_all(dir);
}

TEST_CASE("pg samples: an operator's database role writes only its own samples (row-level security)") {
    PgSchema schema;
    auto s = store::create_store(schema.uri(), document());
    upload_samples(*s);
    PgSql sql{schema.name()};
    const std::string role = schema.name() + "_vtl";
    REQUIRE(sql.run("CREATE ROLE " + role + " NOLOGIN") == "");
    REQUIRE(sql.run("SELECT deadzone_grant_operator('" + role + "', 'VTL')") == "");
    const std::string as_role = schema.uri() + "&options=-crole%3D" + role;
    auto op_store = store::open_store(as_role);
    const auto before = store_digest(schema.name());
    // The whole-campaign replace would end VNP's samples: PostgreSQL refuses, nothing lands.
    CHECK_THROWS(op_store->put_samples({sample("VTL", 7, -90)}, meta("", "all")));
    CHECK(store_digest(schema.name()) == before);
    // Its own samples land.
    CHECK(op_store->put_samples({sample("VTL", 7, -90)}, meta("VTL", "own")).upload);
    op_store.reset();
    s.reset();
    sql.run("DROP OWNED BY " + role);
    sql.run("DROP ROLE " + role);
}
