// Schema version 2: the stations' delay fields and the commitments' fund and note are stored;
// a version-1 store (tests/data/store/store_v1.gpkg, made by the release before) reads as it is,
// keeps its digests (re-imports stay no-ops) and is upgraded by its first write; and for the
// sample campaign (and campaign_measured.json with its drive test stored), `report --json` and
// `export` from a store equal `analyze` on the files.
#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace deadzone;

namespace {

struct Dir {
    fs::path path;
    Dir() {
        static int n = 0;
        path = fs::temp_directory_path() / fmt::format("deadzone-store-delays-{}-{}", getpid(), n++);
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Runs the deadzone binary (arguments are plain paths and words here); returns stdout, and the
/// exit status through `status`.
std::string run(const std::string& args, int& status) {
    const std::string command = fmt::format("'{}' -q {} 2>/dev/null", DEADZONE_BINARY, args);
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[4096];
    while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) {
        out.append(buffer, n);
    }
    status = ::pclose(pipe);
    return out;
}

std::string sql_text(const fs::path& db_path, const std::string& query) {
    sqlite3* db = nullptr;
    sqlite3_open(db_path.c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    std::string text;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW &&
        sqlite3_column_text(stmt, 0) != nullptr) {
        text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    } else if (stmt == nullptr) {
        text = std::string{"error: "} + sqlite3_errmsg(db);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return text;
}

std::string sql_error(const fs::path& db_path, const std::string& statement) {
    sqlite3* db = nullptr;
    sqlite3_open(db_path.c_str(), &db);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &message);
    std::string error = rc == SQLITE_OK ? "" : (message != nullptr ? message : "error");
    sqlite3_free(message);
    sqlite3_close(db);
    return error;
}

const char* v1_cells = "operator,site_id,cell_id,lon,lat,tech,status,on_air_date,off_air_date,range_m\n"
                       "VTL,S1,1,105.005,21.005,4G,on_air,2022-06-15,,3000\n"
                       "VTL,S2,1,105.205,21.005,4G,building,,,3000\n";


TEST_CASE("store: a version-1 store reads as it is, keeps its digests, and its first write upgrades it") {
    Dir dir;
    const fs::path path = dir.path / "store.gpkg";
    fs::copy_file(fs::path{DEADZONE_TEST_DATA} / "store" / "store_v1.gpkg", path);
    auto store = store::open_store(path);
    const auto before = store->snapshot();
    CHECK(before.known_at.id == 4);
    REQUIRE(before.inputs.cells.size() == 2);
    CHECK(before.inputs.cells[1].delay.empty());
    CHECK(sql_text(path, "SELECT value FROM deadzone_meta WHERE key = 'schema_version'") == "1");

    // The same file as upload 4: the digests of version 1 are unchanged, so nothing is written
    // (and a no-op writes nothing, not even the upgrade).
    std::ofstream{dir.path / "vtl.csv"} << v1_cells;
    CHECK(store::import_stations(*store, dir.path / "vtl.csv", "VTL").no_op());
    CHECK(sql_text(path, "SELECT value FROM deadzone_meta WHERE key = 'schema_version'") == "1");

    std::ofstream{dir.path / "vtl-late.csv"}
        << "operator,site_id,cell_id,lon,lat,tech,status,on_air_date,off_air_date,range_m,delay_reason,delay_note,"
           "expected_on_air_date,power_source,backhaul\n"
           "VTL,S1,1,105.005,21.005,4G,on_air,2022-06-15,,3000,,,,,\n"
           "VTL,S2,1,105.205,21.005,4G,building,,,3000,power,waiting for the grid,2022-08-20,solar,microwave\n";
    const auto late = store::import_stations(*store, dir.path / "vtl-late.csv", "VTL");
    REQUIRE(late.upload);
    CHECK(late.changed == 1);
    CHECK(late.unchanged == 1);
    CHECK(sql_text(path, "SELECT value FROM deadzone_meta WHERE key = 'schema_version'") == "3"); // straight to the current version
    store.reset();

    store = store::open_store(path);
    const auto now = store->snapshot();
    const Cell& s2 = now.inputs.cells[1];
    CHECK(s2.delay.reason == DelayReason::power);
    CHECK(s2.delay.note == "waiting for the grid");
    CHECK(s2.delay.expected_on_air_date == Date::parse("2022-08-20"));
    CHECK(s2.delay.power_source == "solar");
    CHECK(s2.delay.backhaul == "microwave");
    CHECK(store->snapshot(4).inputs.cells[1].delay.empty()); // known-at replays the version-1 state
    CHECK(store->check_integrity().empty());
    // The recreated triggers cover the new columns too.
    CHECK(sql_error(path, "UPDATE cells SET delay_note = 'x' WHERE known_to_upload IS NOT NULL").find("history") !=
          std::string::npos);
    CHECK(sql_error(path, "UPDATE cells SET backhaul = 'fiber' WHERE known_to_upload IS NULL").find("history") !=
          std::string::npos);
    CHECK(sql_error(path, "UPDATE deadzone_meta SET value = '1'").find("cannot be changed") != std::string::npos);
}

/// The sample campaign `campaign` (a file of geodata/) as a store — init, each operator's station
/// files, then its measurement files when `measurements` — exported and reported next to
/// `analyze` of the files.
void store_equals_files(const Dir& dir, const std::string& campaign, bool measurements) {
    const std::string geodata = std::string{DEADZONE_SOURCE_DIR} + "/geodata";
    const auto store = (dir.path / "sample.gpkg").string();
    int status = 0;
    run(fmt::format("init '{}' --campaign '{}/{}'", store, geodata, campaign), status);
    REQUIRE(status == 0);
    for (const auto& [file, op, mode] : std::vector<std::tuple<const char*, const char*, const char*>>{
             {"viettel.csv", "VTL", "replace"},
             {"vinaphone.geojson", "VNP", "replace"},
             {"mobifone.gpkg", "MBF", "replace"},
             {"mobifone_opencellid.csv", "MBF", "upsert"}}) {
        run(fmt::format("import '{}' --stations '{}/stations/{}' --operator {} --mode {}", store, geodata, file, op, mode),
            status);
        REQUIRE(status == 0);
    }
    if (measurements) {
        // The drive test holds all three operators' samples: one department upload.
        run(fmt::format("import '{}' --measurements '{}/measurements/drive_test_2022.csv'", store, geodata), status);
        REQUIRE(status == 0);
    }
    const auto analyzed = dir.path / "analyzed";
    const auto exported = dir.path / "exported";
    run(fmt::format("analyze '{}/{}' --as-of 2022-07-30 --out '{}'", geodata, campaign, analyzed.string()), status);
    REQUIRE(status == 0);
    run(fmt::format("export '{}' --as-of 2022-07-30 --out '{}'", store, exported.string()), status);
    REQUIRE(status == 0);
    auto report = nlohmann::json::parse(run(fmt::format("report '{}' --as-of 2022-07-30 --json", store), status));
    REQUIRE(status == 0);
    CHECK(report["known_at"]["upload"] == (measurements ? 8 : 7));
    report.erase("known_at");
    const auto progress = nlohmann::json::parse(slurp(analyzed / "progress.json"));
    CHECK(report == progress);
    // The sample has late cells with reasons and revised dates: they reach the store's outputs.
    CHECK(slurp(exported / "stations.geojson").find("\"delay_reason\":\"weather\"") != std::string::npos);
    std::vector<std::string> same_bytes{"progress.json", "progress.csv", "report.md", "report.html", "villages.qml",
                                        "stations.qml"};
    if (measurements) {
        CHECK(progress["measurements"]["samples"]["read"] == 6856);
        for (const char* name : {"measurements.geojson", "measurements.qml", "contradicted_villages.csv",
                                 "villages.geojson", "commitments.geojson"}) {
            same_bytes.emplace_back(name);
        }
    }
    for (const auto& name : same_bytes) {
        INFO(name);
        CHECK(fs::exists(exported / name));
        CHECK(slurp(exported / name) == slurp(analyzed / name));
    }
    // GeoJSON: the same features in the same order; a feature's properties may list the extra
    // attributes of other files in another order (the store holds cells by key, not by file).
    for (const char* name : {"villages.geojson", "commitments.geojson", "coverage.geojson", "gaps.geojson",
                             "stations.geojson"}) {
        INFO(name);
        CHECK(nlohmann::json::parse(slurp(exported / name)) == nlohmann::json::parse(slurp(analyzed / name)));
    }
}

} // namespace

TEST_CASE("store: report --json and export from a store equal analyze on the sample's files (delays included)") {
    Dir dir;
    store_equals_files(dir, "campaign_flat.json", false);
}

TEST_CASE("store: with the drive test stored, export equals analyze of campaign_measured.json (measurements)") {
    Dir dir;
    store_equals_files(dir, "campaign_measured.json", true);
}
