// Schema version 3: field samples in the store core (GeoPackage backend): keys and digests
// (no-op re-imports, a corrected level is `changed`), operator scope of replace, ownership,
// duplicate keys, upload-then-row order, --known-at; and a version-2 store
// (tests/data/store/store_v2.gpkg, made by the release before) reads as it is and is upgraded
// by its first write.
#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace deadzone;
using store::ImportMode;
using store::UploadMeta;

namespace {

struct Dir {
    fs::path path;
    Dir() {
        static int n = 0;
        path = fs::temp_directory_path() / fmt::format("deadzone-store-samples-{}-{}", getpid(), n++);
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string sql_text(const fs::path& db_path, const std::string& query) {
    sqlite3* db = nullptr;
    sqlite3_open(db_path.c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    std::string text;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
            text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            text = std::string{"error: "} + sqlite3_errmsg(db);
        }
    } else {
        text = std::string{"error: "} + sqlite3_errmsg(db);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return text;
}

const char* campaign_json = R"({
  "name": "Samples",
  "operators": [
    {"code": "VTL", "name": "Viettel", "mcc_mnc": ["452-04"], "color": "#d7191c"},
    {"code": "MBF", "name": "MobiFone", "mcc_mnc": ["452-01"], "color": "#7b3294"}
  ]
})";

Sample sample(const std::string& op, int minute, double level) {
    Sample s;
    s.operator_code = op;
    s.time = fmt::format("2022-07-19T08:{:02}:00+07:00", minute);
    s.day = *Date::parse("2022-07-19");
    s.tech = Tech::g4;
    s.position = geo::Point{105.0 + 0.001 * minute, 21.0};
    s.level_dbm = level;
    s.origin = "drive_test";
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

std::vector<std::string> listed(const std::vector<Sample>& samples) {
    std::vector<std::string> out;
    for (const auto& s : samples) {
        out.push_back(fmt::format("{} {} {}", s.operator_code, s.time.substr(14, 2), s.level_dbm));
    }
    return out;
}

} // namespace

TEST_CASE("store samples: keys, digests, operator scope, ownership, order and known-at") {
    Dir dir;
    auto s = store::create_store(dir.path / "s.gpkg",
                                 store::CampaignDocument{campaign_json, dir.path, "campaign.json", "c0", "tester"});
    // #2: both operators, rows out of key order.
    auto r = s->put_samples({sample("VTL", 9, -90), sample("MBF", 1, -100), sample("VTL", 3, -95)}, meta("", "a"));
    REQUIRE(r.upload);
    CHECK(r.upload->kind == store::UploadKind::measurements);
    CHECK(r.upload->operator_code.empty());
    CHECK(r.added == 3);
    // The same content again (another file name and hash): nothing recorded.
    r = s->put_samples({sample("VTL", 9, -90), sample("MBF", 1, -100), sample("VTL", 3, -95)}, meta("", "b"));
    CHECK(r.no_op());
    CHECK(r.unchanged == 3);
    // #3: VTL's replace: minute 9 corrected (changed), minute 3 missing (ended), MBF untouched.
    r = s->put_samples({sample("VTL", 9, -92.5)}, meta("VTL", "c"));
    REQUIRE(r.upload);
    CHECK(r.upload->operator_code == "VTL");
    CHECK(r.changed == 1);
    CHECK(r.ended == 1);
    CHECK(r.unchanged == 0);
    // Ownership: a VTL upload holding an MBF sample is refused whole.
    CHECK_THROWS_AS(s->put_samples({sample("VTL", 4, -90), sample("MBF", 5, -90)}, meta("VTL", "d")), InputError);
    // A key twice in one upload is refused, naming both rows.
    try {
        s->put_samples({sample("MBF", 7, -90), sample("MBF", 7, -80)}, meta("MBF", "e", ImportMode::upsert));
        FAIL("accepted a duplicate sample");
    } catch (const InputError& e) {
        REQUIRE(e.problems().size() == 1);
        CHECK(e.problems()[0].code == "duplicate_id");
        CHECK(e.problems()[0].where.file == "drive.csv"); // the row in its own field (source_location)
        CHECK(e.problems()[0].where.row == 9);
        CHECK(e.problems()[0].message.find("drive.csv:row 9") != std::string::npos);
    }
    // #4: an MBF upsert adds one.
    REQUIRE(s->put_samples({sample("MBF", 2, -101)}, meta("MBF", "f", ImportMode::upsert)).upload);
    CHECK(s->uploads().size() == 4);

    // By upload, then row: #2's MBF minute 1, #3's VTL minute 9, #4's MBF minute 2.
    CHECK(listed(s->snapshot().inputs.samples) == std::vector<std::string>{"MBF 01 -100", "VTL 09 -92.5", "MBF 02 -101"});
    // --known-at #2: the first upload's rows in their file order.
    CHECK(listed(s->snapshot(2).inputs.samples) == std::vector<std::string>{"VTL 09 -90", "MBF 01 -100", "VTL 03 -95"});
    CHECK(s->snapshot(1).inputs.samples.empty());
    CHECK(s->check_integrity().empty());
    // SQLite itself refuses rewriting sample history.
    CHECK(sql_text(dir.path / "s.gpkg", "UPDATE measurements SET level_dbm = 0").find("history") != std::string::npos);
    CHECK(sql_text(dir.path / "s.gpkg", "DELETE FROM measurements").find("history") != std::string::npos);
}

TEST_CASE("store samples: a version-2 store reads as it is and its first write adds the measurements table") {
    Dir dir;
    const fs::path path = dir.path / "store.gpkg";
    fs::copy_file(fs::path{DEADZONE_TEST_DATA} / "store" / "store_v2.gpkg", path);
    auto s = store::open_store(path);
    CHECK(sql_text(path, "SELECT value FROM deadzone_meta WHERE key = 'schema_version'") == "2");
    const auto before = s->snapshot();
    CHECK(before.known_at.id == 4);
    CHECK(before.inputs.cells.size() == 3);
    CHECK(before.inputs.samples.empty());
    CHECK(s->check_integrity().empty());
    REQUIRE(s->put_samples({sample("VTL", 1, -90)}, meta("VTL", "a")).upload);
    CHECK(sql_text(path, "SELECT value FROM deadzone_meta WHERE key = 'schema_version'") == "3");
    s.reset();
    s = store::open_store(path);
    CHECK(s->snapshot().inputs.samples.size() == 1);
    CHECK(s->snapshot(4).inputs.cells.size() == 3);
    CHECK(s->snapshot(4).inputs.samples.empty());
    CHECK(s->check_integrity().empty());
    CHECK(sql_text(path, "DELETE FROM measurements").find("history") != std::string::npos);
    CHECK(sql_text(path, "UPDATE deadzone_meta SET value = '2'").find("cannot be changed") != std::string::npos);
}
