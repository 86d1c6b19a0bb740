// The GeoPackage store in-process: schema (GPKG-conformant, GDAL opens it), exact round trips,
// versioning for replace and upsert, no-ops, the operator restriction, referential checks,
// append-only enforcement, refusal of other schema versions, and --known-at resolution.
#include <deadzone/core/source.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace deadzone;
using store::ImportMode;
using store::UploadMeta;

namespace {

const char* campaign_json = R"({
  "name": "Store test",
  "operators": [
    {"code": "VTL", "name": "Viettel", "mcc_mnc": ["452-04"], "color": "#d7191c"},
    {"code": "VNP", "name": "VinaPhone", "mcc_mnc": ["452-02"], "color": "#2b83ba"}
  ],
  "milestones": [{"date": "2022-06-30", "target": 0.4}, {"date": "2022-07-30", "target": 1.0}]
})";

struct Fixture {
    fs::path dir;
    fs::path path;
    Fixture() {
        dir = fs::temp_directory_path() / ("deadzone-store-unit-" + std::to_string(getpid()) + "-" +
                                           std::to_string(counter()++));
        fs::remove_all(dir);
        fs::create_directories(dir);
        path = dir / "store.gpkg";
    }
    ~Fixture() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::unique_ptr<store::Store> create() {
        return store::create_store(path, store::CampaignDocument{campaign_json, dir, "campaign.json", "c0ffee", "tester"});
    }
    std::string bytes() const {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    /// Runs SQL directly on the file; returns SQLite's error message or "" on success.
    std::string sql(const std::string& text) const {
        sqlite3* db = nullptr;
        sqlite3_open(path.c_str(), &db);
        char* message = nullptr;
        const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &message);
        std::string error = rc == SQLITE_OK ? "" : (message != nullptr ? message : "error");
        sqlite3_free(message);
        sqlite3_close(db);
        return error;
    }
    long long count(const std::string& query) const {
        sqlite3* db = nullptr;
        sqlite3_open(path.c_str(), &db);
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr);
        long long n = -1;
        if (sqlite3_step(stmt) == SQLITE_ROW) {
            n = sqlite3_column_int64(stmt, 0);
        }
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return n;
    }
};

geo::MultiPolygon square(double lon, double lat, double size) {
    geo::Polygon polygon;
    polygon.outer() = {{lon, lat}, {lon + size, lat}, {lon + size, lat + size}, {lon, lat + size}, {lon, lat}};
    return geo::MultiPolygon{polygon};
}

Village village(const std::string& id, double lon) {
    Village v;
    v.id = id;
    v.name = "Bản " + id;
    v.province = "Lào Cai";
    v.geometry = square(lon, 21.0, 0.01);
    v.source = source_location("villages.geojson:FID " + id);
    return v;
}

Commitment commitment(const std::string& village_id, const std::string& op, const char* deadline) {
    Commitment c;
    c.village_id = village_id;
    c.operator_code = op;
    c.deadline = *Date::parse(deadline);
    c.source = source_location("commitments.csv:row " + village_id);
    return c;
}

Cell cell(const std::string& op, const std::string& site, double lon, const char* on_air = "2022-06-15") {
    Cell c;
    c.operator_code = op;
    c.site_id = site;
    c.cell_id = "1";
    c.position = geo::Point{lon, 21.005};
    c.on_air_date = Date::parse(on_air);
    c.range_m = 3000.0;
    c.source = source_location("stations.csv:row " + site);
    return c;
}

UploadMeta meta(const std::string& op = "", ImportMode mode = ImportMode::replace, const std::string& sha = "aa") {
    return UploadMeta{mode, op, "file.csv", sha, "tester", 0};
}

std::vector<std::string> cell_sites(const store::Snapshot& snapshot) {
    std::vector<std::string> out;
    for (const auto& c : snapshot.inputs.cells) {
        out.push_back(c.operator_code + "/" + c.site_id + "@" + (c.on_air_date ? c.on_air_date->iso() : "-"));
    }
    return out;
}

} // namespace

TEST_CASE("store: a new store is a GeoPackage that GDAL opens, with schema version and campaign upload") {
    Fixture f;
    {
        auto s = f.create();
        s->put_villages({village("V1", 105.0), village("V2", 105.2)}, meta());
        s->put_cells({cell("VTL", "S1", 105.005)}, meta("VTL"));
    }
    CHECK(f.count("PRAGMA application_id") == 0x47504B47);
    CHECK(f.count("PRAGMA user_version") == 10200);
    CHECK(f.count("SELECT count(*) FROM deadzone_meta WHERE key = 'schema_version' AND value = '3'") == 1);
    CHECK(f.count("SELECT count(*) FROM uploads WHERE id = 1 AND kind = 'campaign' AND uploaded_by = 'tester'") == 1);
    CHECK(f.count("SELECT count(*) FROM operators") == 2);

    auto dataset = geo::open_vector(f.path.string());
    auto* villages = dataset->GetLayerByName("villages");
    auto* cells = dataset->GetLayerByName("cells");
    REQUIRE(villages != nullptr);
    REQUIRE(cells != nullptr);
    CHECK(villages->GetFeatureCount() == 2);
    CHECK(cells->GetFeatureCount() == 1);
    CHECK(wkbFlatten(villages->GetGeomType()) == wkbMultiPolygon);
    OGREnvelope envelope;
    REQUIRE(cells->GetExtent(&envelope, TRUE) == OGRERR_NONE);
    CHECK(envelope.MinX == 105.005);
    CHECK(envelope.MinY == 21.005);
    CHECK(dataset->GetLayerByName("uploads") != nullptr);
}

TEST_CASE("store: every field of villages, commitments and cells round-trips exactly") {
    Fixture f;
    auto s = f.create();
    Village v = village("V1", 105.123456789012345);
    v.district = "Bát Xát";
    v.commune = "Y Tý";
    v.population = 1234.5;
    v.households = 321;
    v.point = geo::Point{105.128, 21.005};
    v.extra = {{"zeta", "1"}, {"alpha", "ký tự"}, {"empty", ""}};
    geo::Polygon holed;
    holed.outer() = {{106.0, 21.0}, {106.1, 21.0}, {106.1, 21.1}, {106.0, 21.1}, {106.0, 21.0}};
    holed.inners().push_back({{106.02, 21.02}, {106.02, 21.05}, {106.05, 21.05}, {106.05, 21.02}, {106.02, 21.02}});
    Village w = village("V2", 106.0);
    w.geometry = geo::MultiPolygon{holed, square(107.0, 21.0, 0.02)[0]};
    s->put_villages({v, w}, meta());

    Commitment c = commitment("V1", "VTL", "2022-06-30");
    c.registered_on = Date::parse("2022-04-02");
    c.extra = {{"note", "rain"}};
    s->put_commitments({c, commitment("V2", "VNP", "2022-07-30")}, meta());

    Cell full = cell("VTL", "S1", 105.00512345678901);
    full.cell_id = "A";
    full.tech = Tech::g3;
    full.status = CellStatus::off_air;
    full.off_air_date = Date::parse("2022-07-20");
    full.height_m = 32.5;
    full.freq_mhz = 2100.0;
    full.eirp_dbm = 58.25;
    full.azimuth_deg = 120.0;
    full.beamwidth_deg = 65.0;
    full.tilt_deg = 3.0;
    full.range_m = 0.1 + 0.2; // not 0.3: the exact double must survive
    full.extra = {{"vendor", "Nokia"}, {"band", "B1"}};
    Cell bare = cell("VTL", "S2", 105.2);
    bare.cell_id = "";
    bare.on_air_date.reset();
    bare.range_m.reset();
    bare.status = CellStatus::planned;
    s->put_cells({full, bare}, meta("VTL"));

    const auto snap = s->snapshot();
    CHECK(snap.known_at.id == 4);
    REQUIRE(snap.inputs.villages.size() == 2);
    const auto& rv = snap.inputs.villages[0];
    CHECK(rv.id == "V1");
    CHECK(rv.name == v.name);
    CHECK(rv.province == v.province);
    CHECK(rv.district == v.district);
    CHECK(rv.commune == v.commune);
    CHECK(rv.population == v.population);
    CHECK(rv.households == v.households);
    REQUIRE(rv.point);
    CHECK(rv.point->x() == 105.128);
    CHECK(rv.extra == v.extra);
    CHECK(rv.source == v.source);
    CHECK(rv.geometry[0].outer().size() == 5);
    CHECK(rv.geometry[0].outer()[1].x() == v.geometry[0].outer()[1].x());
    const auto& rw = snap.inputs.villages[1];
    REQUIRE(rw.geometry.size() == 2);
    REQUIRE(rw.geometry[0].inners().size() == 1);
    for (std::size_t i = 0; i < holed.inners()[0].size(); ++i) {
        CHECK(rw.geometry[0].inners()[0][i].x() == holed.inners()[0][i].x());
        CHECK(rw.geometry[0].inners()[0][i].y() == holed.inners()[0][i].y());
    }
    CHECK(!rw.point);
    CHECK(!rw.population);
    CHECK(!rw.households);

    REQUIRE(snap.inputs.commitments.size() == 2);
    CHECK(snap.inputs.commitments[0].village_id == "V1");
    CHECK(snap.inputs.commitments[0].registered_on == c.registered_on);
    CHECK(snap.inputs.commitments[0].deadline == c.deadline);
    CHECK(snap.inputs.commitments[0].extra == c.extra);
    CHECK(!snap.inputs.commitments[1].registered_on);

    REQUIRE(snap.inputs.cells.size() == 2);
    const auto& rc = snap.inputs.cells[0];
    CHECK(rc.key() == "VTL/S1/A");
    CHECK(rc.position.x() == full.position.x());
    CHECK(rc.tech == Tech::g3);
    CHECK(rc.status == CellStatus::off_air);
    CHECK(rc.on_air_date == full.on_air_date);
    CHECK(rc.off_air_date == full.off_air_date);
    CHECK(rc.height_m == full.height_m);
    CHECK(rc.freq_mhz == full.freq_mhz);
    CHECK(rc.eirp_dbm == full.eirp_dbm);
    CHECK(rc.azimuth_deg == full.azimuth_deg);
    CHECK(rc.beamwidth_deg == full.beamwidth_deg);
    CHECK(rc.tilt_deg == full.tilt_deg);
    CHECK(rc.range_m == full.range_m);
    CHECK(rc.extra == full.extra);
    const auto& rb = snap.inputs.cells[1];
    CHECK(rb.key() == "VTL/S2/");
    CHECK(rb.status == CellStatus::planned);
    CHECK(!rb.on_air_date);
    CHECK(!rb.range_m);
    CHECK(!rb.azimuth_deg);
    CHECK(rb.extra.empty());

    CHECK(snap.campaign.name == "Store test");
    CHECK(snap.campaign.operators.size() == 2);
    CHECK(!snap.campaign.villages);
    CHECK(snap.campaign.stations.empty());
}

TEST_CASE("store: replace closes changed and missing cells, keeps history, and replays past states") {
    Fixture f;
    auto s = f.create();
    s->put_villages({village("V1", 105.0)}, meta());                                              // #2
    const auto first = s->put_cells({cell("VTL", "S1", 105.0), cell("VTL", "S2", 105.1), cell("VTL", "S3", 105.2)},
                                    meta("VTL"));                                                 // #3
    REQUIRE(first.upload);
    CHECK(first.upload->id == 3);
    CHECK(first.added == 3);
    const auto vnp = s->put_cells({cell("VNP", "N1", 105.3)}, meta("VNP"));                        // #4
    // S1 changes its on-air date, S2 is unchanged, S3 is missing, S4 is new.
    const auto second = s->put_cells(
        {cell("VTL", "S1", 105.0, "2022-07-01"), cell("VTL", "S2", 105.1), cell("VTL", "S4", 105.4)}, meta("VTL")); // #5
    REQUIRE(second.upload);
    CHECK(second.added == 1);
    CHECK(second.changed == 1);
    CHECK(second.ended == 1);
    CHECK(second.unchanged == 1);
    CHECK(second.upload->added == 1);
    CHECK(second.upload->changed == 1);
    CHECK(second.upload->ended == 1);

    CHECK(cell_sites(s->snapshot()) ==
          std::vector<std::string>{"VNP/N1@2022-06-15", "VTL/S1@2022-07-01", "VTL/S2@2022-06-15", "VTL/S4@2022-06-15"});
    CHECK(cell_sites(s->snapshot(3)) ==
          std::vector<std::string>{"VTL/S1@2022-06-15", "VTL/S2@2022-06-15", "VTL/S3@2022-06-15"});
    CHECK(cell_sites(s->snapshot(4)).size() == 4);
    CHECK(s->snapshot(2).inputs.cells.empty());
    CHECK(s->snapshot(3).known_at.id == 3);

    // Nothing deleted: 3 + 1 + 2 new versions; the two closed ones carry the closing upload.
    CHECK(f.count("SELECT count(*) FROM cells") == 6);
    CHECK(f.count("SELECT count(*) FROM cells WHERE known_to_upload = 5") == 2);
    CHECK(f.count("SELECT count(*) FROM cells WHERE known_to_upload IS NULL") == 4);
    CHECK(s->check_integrity().empty());
}

TEST_CASE("store: upsert adds and updates the listed cells only") {
    Fixture f;
    auto s = f.create();
    s->put_cells({cell("VTL", "S1", 105.0), cell("VTL", "S2", 105.1), cell("VTL", "S3", 105.2)}, meta("VTL"));
    const auto result =
        s->put_cells({cell("VTL", "S2", 105.1, "2022-08-01"), cell("VTL", "S9", 105.9)}, meta("VTL", ImportMode::upsert));
    REQUIRE(result.upload);
    CHECK(result.upload->mode == ImportMode::upsert);
    CHECK(result.added == 1);
    CHECK(result.changed == 1);
    CHECK(result.ended == 0);
    CHECK(cell_sites(s->snapshot()) == std::vector<std::string>{"VTL/S1@2022-06-15", "VTL/S2@2022-08-01",
                                                                "VTL/S3@2022-06-15", "VTL/S9@2022-06-15"});
}

TEST_CASE("store: the same content again is a no-op that leaves the file untouched") {
    Fixture f;
    auto s = f.create();
    const std::vector<Cell> cells{cell("VTL", "S1", 105.0), cell("VTL", "S2", 105.1)};
    s->put_cells(cells, meta("VTL", ImportMode::replace, "sha-1"));
    const auto before = f.bytes();
    const auto again = s->put_cells(cells, meta("VTL", ImportMode::replace, "sha-1"));
    CHECK(again.no_op());
    CHECK(again.unchanged == 2);
    REQUIRE(again.same_file_as);
    CHECK(*again.same_file_as == 2);
    // Same records from another file (other row order, other source rows): still nothing new.
    auto reordered = std::vector<Cell>{cells[1], cells[0]};
    reordered[0].source = source_location("other.csv:row 2");
    const auto other = s->put_cells(reordered, meta("VTL", ImportMode::replace, "sha-2"));
    CHECK(other.no_op());
    CHECK(!other.same_file_as);
    CHECK(f.bytes() == before);
    CHECK(s->uploads().size() == 2);
}

TEST_CASE("store: an operator's upload may only contain and change its own cells") {
    Fixture f;
    auto s = f.create();
    s->put_cells({cell("VNP", "N1", 105.3)}, meta("VNP"));
    const auto before = f.bytes();
    try {
        s->put_cells({cell("VTL", "S1", 105.0), cell("VNP", "N1", 105.3, "2022-09-01")}, meta("VTL"));
        FAIL("a VNP cell in a VTL upload must be refused");
    } catch (const InputError& e) {
        REQUIRE(e.problems().size() == 1);
        CHECK(e.problems()[0].code == "wrong_operator");
        CHECK(e.problems()[0].where.file == "stations.csv:row N1");
    }
    CHECK(f.bytes() == before);
    // A VTL replace upload does not end VNP's cells.
    s->put_cells({cell("VTL", "S1", 105.0)}, meta("VTL"));
    CHECK(cell_sites(s->snapshot()) == std::vector<std::string>{"VNP/N1@2022-06-15", "VTL/S1@2022-06-15"});
    CHECK_THROWS_AS(s->put_cells({cell("XYZ", "S1", 105.0)}, meta("XYZ")), InputError);
}

TEST_CASE("store: conflicting records are refused whole, naming every problem") {
    Fixture f;
    auto s = f.create();
    s->put_villages({village("V1", 105.0), village("V2", 105.2)}, meta());
    const auto before = f.bytes();
    try {
        s->put_commitments({commitment("V1", "VTL", "2022-06-30"), commitment("V7", "VTL", "2022-06-30"),
                            commitment("V8", "VNP", "2022-06-30")},
                           meta());
        FAIL("unknown villages must be refused");
    } catch (const InputError& e) {
        REQUIRE(e.problems().size() == 2);
        CHECK(e.problems()[0].code == "unknown_village");
        CHECK(e.problems()[1].message.find("V8") != std::string::npos);
    }
    CHECK_THROWS_AS(s->put_cells({cell("VTL", "S1", 105.0), cell("VTL", "S1", 105.1)}, meta("VTL")), InputError);
    CHECK(f.bytes() == before);

    s->put_commitments({commitment("V2", "VTL", "2022-06-30")}, meta());
    try {
        s->put_villages({village("V1", 105.0)}, meta()); // drops V2, which a commitment names
        FAIL("dropping a committed village must be refused");
    } catch (const InputError& e) {
        REQUIRE(e.problems().size() == 1);
        CHECK(e.problems()[0].code == "village_in_use");
    }
    CHECK(s->snapshot().inputs.villages.size() == 2);
}

TEST_CASE("store: history is append-only, enforced by the database itself") {
    Fixture f;
    {
        auto s = f.create();
        s->put_cells({cell("VTL", "S1", 105.0)}, meta("VTL"));
    }
    CHECK(f.sql("UPDATE cells SET lon = 0").find("history") != std::string::npos);
    CHECK(f.sql("DELETE FROM cells").find("history") != std::string::npos);
    CHECK(f.sql("DELETE FROM uploads").find("cannot be deleted") != std::string::npos);
    CHECK(f.sql("UPDATE uploads SET uploaded_by = 'someone else'").find("cannot be changed") != std::string::npos);
    CHECK(f.sql("UPDATE deadzone_meta SET value = '2'").find("cannot be changed") != std::string::npos);
    CHECK(f.count("SELECT count(*) FROM cells WHERE lon = 105.0") == 1);
}

TEST_CASE("store: other schema versions and foreign files are refused with a clear message") {
    Fixture f;
    f.create();
    auto reopen_message = [&f] {
        try {
            store::open_store(f.path);
        } catch (const StoreError& e) {
            return std::string{e.what()};
        }
        return std::string{"opened"};
    };
    CHECK(reopen_message() == "opened");
    REQUIRE(f.sql("DROP TRIGGER deadzone_meta_no_update; UPDATE deadzone_meta SET value = '0' "
                  "WHERE key = 'schema_version'") == "");
    CHECK(reopen_message().find("schema version 0 is older than this deadzone's version 3") != std::string::npos);
    REQUIRE(f.sql("UPDATE deadzone_meta SET value = '4' WHERE key = 'schema_version'") == "");
    CHECK(reopen_message().find("schema version 4 was written by a newer deadzone") != std::string::npos);

    std::ofstream{f.dir / "notes.gpkg"} << "this is not a database, just some text that is long enough......";
    try {
        store::open_store(f.dir / "notes.gpkg");
        FAIL("a text file is not a store");
    } catch (const StoreError& e) {
        CHECK(std::string{e.what()}.find("not a deadzone store") != std::string::npos);
    }
    CHECK_THROWS_AS(store::open_store(f.dir / "missing.gpkg"), StoreError);
    CHECK_THROWS_AS(f.create(), StoreError); // never over an existing store
}

TEST_CASE("store: --known-at resolves upload ids and times") {
    std::vector<store::Upload> uploads(3);
    uploads[0].id = 1;
    uploads[0].uploaded_at = "2022-06-30T23:59:59.999Z";
    uploads[1].id = 2;
    uploads[1].uploaded_at = "2022-07-01T08:30:00.000Z";
    uploads[2].id = 3;
    uploads[2].uploaded_at = "2022-07-02T00:00:00.000Z";
    CHECK(store::resolve_known_at(uploads, "2") == 2);
    CHECK(store::resolve_known_at(uploads, "2022-06-30") == 1);
    CHECK(store::resolve_known_at(uploads, "2022-07-01") == 2);
    CHECK(store::resolve_known_at(uploads, "2022-07-01T08:29:59Z") == 1);
    CHECK(store::resolve_known_at(uploads, "2022-07-01T08:30Z") == 2);
    CHECK(store::resolve_known_at(uploads, "2022-07-01 08:30:00.000") == 2);
    // 15:29 in Hanoi (UTC+7) is 08:29 UTC.
    CHECK(store::resolve_known_at(uploads, "2022-07-01T15:29:00+07:00") == 1);
    CHECK(store::resolve_known_at(uploads, "2022-07-02T06:59:59+07:00") == 2);
    CHECK(store::resolve_known_at(uploads, "2030-01-01") == 3);
    CHECK_THROWS_AS(store::resolve_known_at(uploads, "9"), UsageError);
    CHECK_THROWS_AS(store::resolve_known_at(uploads, "2022-06-29"), UsageError);
    CHECK_THROWS_AS(store::resolve_known_at(uploads, "yesterday"), UsageError);
    CHECK_THROWS_AS(store::resolve_known_at(uploads, "2022-02-30"), UsageError);
}

TEST_CASE("store: an empty replace upload is refused unless allowed; ending more than half warns") {
    Fixture f;
    auto s = f.create();
    s->put_villages({village("V1", 105.0), village("V2", 105.2)}, meta());                   // #2
    s->put_cells({cell("VTL", "S1", 105.0), cell("VTL", "S2", 105.1), cell("VTL", "S3", 105.2)}, meta("VTL")); // #3
    s->put_cells({cell("VNP", "N1", 105.3)}, meta("VNP"));                                     // #4
    const auto before = f.bytes();
    try {
        s->put_cells({}, meta("VTL"));
        FAIL("an empty replace must be refused");
    } catch (const InputError& e) {
        REQUIRE(e.problems().size() == 1);
        CHECK(e.problems()[0].code == "empty_replace");
        CHECK(e.problems()[0].where.file == "file.csv");
        CHECK(e.problems()[0].message ==
              "holds no records: as a full current list it would end all 3 current cells of VTL; refused, nothing "
              "recorded (an empty upload must be allowed explicitly)");
        CHECK(e.problems()[0].message.find("--") == std::string::npos); // the library names no CLI flag
    }
    CHECK_THROWS_AS(s->put_villages({}, meta()), InputError);
    CHECK(f.bytes() == before);
    // Empty with nothing to end (no VTL... commitments yet) is no refusal: it is a no-op.
    CHECK(s->put_commitments({}, meta()).no_op());

    // Two of three ended: a warning, the upload lands.
    const auto fewer = s->put_cells({cell("VTL", "S1", 105.0)}, meta("VTL"));
    REQUIRE(fewer.upload);
    CHECK(fewer.ended == 2);
    REQUIRE(fewer.warnings.size() == 1);
    CHECK(fewer.warnings[0].severity == Severity::warning);
    CHECK(fewer.warnings[0].code == "ends_many");
    CHECK(fewer.warnings[0].message == "this upload ends 2 of the 3 current cells of VTL (more than half)");

    auto allowed = meta("VTL");
    allowed.allow_empty = true;
    const auto emptied = s->put_cells({}, allowed);
    REQUIRE(emptied.upload);
    CHECK(emptied.ended == 1);
    CHECK(cell_sites(s->snapshot()) == std::vector<std::string>{"VNP/N1@2022-06-15"});
}

TEST_CASE("store: log text from outside is escaped, so it cannot forge rows or drive a terminal") {
    CHECK(store::escape_log_text("vtl.csv") == "vtl.csv");
    CHECK(store::escape_log_text("Bản Lào Cai.csv") == "Bản Lào Cai.csv");
    CHECK(store::escape_log_text("a\nb\rc\td") == "a\\nb\\rc\\td");
    CHECK(store::escape_log_text("x\x1b[2Jy") == "x\\x1b[2Jy");
    CHECK(store::escape_log_text(std::string{"nul\0in", 6}) == "nul\\x00in");
    CHECK(store::escape_log_text("del\x7f") == "del\\x7f");
    CHECK(store::escape_log_text("c1\xc2\x9b") == "c1\\x9b");                 // U+009B, the 8-bit CSI
    CHECK(store::escape_log_text("rtl\xe2\x80\xae.csv") == "rtl\\u{202e}.csv"); // right-to-left override
    CHECK(store::escape_log_text("latin1 caf\xe9") == "latin1 caf\\xe9");      // not UTF-8
    CHECK(store::escape_log_text("\xc0\xaf") == "\\xc0\\xaf");                 // overlong '/'

    Fixture f;
    auto s = f.create();
    auto hostile = meta("VTL");
    hostile.uploaded_by = "alice\n  9  2030-01-01  mallory";
    hostile.file_name = "v.csv\x1b[2J";
    const auto result = s->put_cells({cell("VTL", "S1", 105.0)}, hostile);
    REQUIRE(result.upload);
    const auto log = s->uploads();
    REQUIRE(log.size() == 2);
    CHECK(log[1].uploaded_by == "alice\\n  9  2030-01-01  mallory");
    CHECK(log[1].file_name == "v.csv\\x1b[2J");
    CHECK(result.upload->uploaded_by == log[1].uploaded_by);
}

TEST_CASE("store: a damaged campaign record makes the store 'damaged', a StoreError naming it") {
    Fixture f;
    f.create();
    REQUIRE(f.sql("DROP TRIGGER campaign_no_update; UPDATE campaign SET document = '{\"name\": \"x\", \"oper'") == "");
    try {
        store::open_store(f.path);
        FAIL("a damaged campaign must be refused");
    } catch (const StoreError& e) {
        const std::string message = e.what();
        CHECK(message.find(f.path.string() + ": damaged deadzone store: the recorded campaign cannot be read") == 0);
    }
    // Valid JSON that is no campaign is damage as well.
    REQUIRE(f.sql("UPDATE campaign SET document = '{\"name\": \"x\"}'") == "");
    CHECK_THROWS_AS(store::open_store(f.path), StoreError);
}

TEST_CASE("store: after a commit the store file alone holds the upload, even while the store is open") {
    Fixture f;
    auto s = f.create();
    s->put_cells({cell("VTL", "S1", 105.0), cell("VTL", "S2", 105.1)}, meta("VTL"));
    const auto copy = f.dir / "copy.gpkg";
    fs::copy_file(f.path, copy); // the -wal file is not copied
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(copy.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM uploads), (SELECT count(*) FROM cells)", -1, &stmt, nullptr);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(sqlite3_column_int(stmt, 0) == 2);
    CHECK(sqlite3_column_int(stmt, 1) == 2);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    sqlite3_open(f.path.c_str(), &db);
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(std::string{reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))} == "wal");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

TEST_CASE("store: a store made with the rollback journal (before WAL) opens, and its first write switches it") {
    Fixture f;
    {
        auto s = f.create();
        s->put_cells({cell("VTL", "S1", 105.0)}, meta("VTL"));
    }
    REQUIRE(f.sql("PRAGMA journal_mode = DELETE") == ""); // what earlier deadzone versions wrote
    auto s = store::open_store(f.path);
    CHECK(cell_sites(s->snapshot()) == std::vector<std::string>{"VTL/S1@2022-06-15"});
    s->put_cells({cell("VTL", "S2", 105.1)}, meta("VTL", ImportMode::upsert));
    s.reset();
    sqlite3* db = nullptr;
    sqlite3_open(f.path.c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(std::string{reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))} == "wal");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    CHECK(f.count("SELECT count(*) FROM cells WHERE known_to_upload IS NULL") == 2);
    CHECK(f.count("SELECT count(*) FROM deadzone_meta WHERE key = 'schema_version' AND value = '3'") == 1);
}
