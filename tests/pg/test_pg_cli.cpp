// The PostgreSQL store end to end with real processes: the same uploads into a GeoPackage and a
// PostgreSQL store give byte-identical `report --json`, `export` and `--known-at` replays (upload
// times aside); two concurrent imports (same and different operators) both land with correct
// versions; `kill -9` mid-import leaves nothing; a server restart between uploads loses nothing;
// `store copy` carries the whole history.
#include "cli_support.hpp"
#include "pg_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using deadzone::test::PgSchema;
using deadzone::test::PgSql;
using deadzone::test::read_file;
using deadzone::test::run_deadzone;
using deadzone::test::RunResult;
using deadzone::test::store_digest;
using deadzone::test::TempDir;

namespace {

const std::string geodata = std::string{DEADZONE_SOURCE_DIR} + "/geodata";
const std::string tiny = std::string{DEADZONE_TEST_DATA} + "/tiny";
const char* header = "operator,site_id,cell_id,lon,lat,tech,status,on_air_date,off_air_date,range_m\n";

void write_many_cells(const fs::path& file, const std::string& op, int count, const std::string& on_air, int first = 0) {
    std::ofstream out{file, std::ios::binary};
    out << header;
    for (int i = first; i < first + count; ++i) {
        out << fmt::format("{},{}{},{},{:.6f},{:.6f},4G,on_air,{},,2000\n", op, op, i / 3, i % 3 + 1,
                           104.6 + (i % 1000) * 0.0018, 20.6 + (i / 1000) * 0.0018, on_air);
    }
}

RunResult must(const std::vector<std::string>& args) {
    auto result = run_deadzone(args);
    INFO(args[0], " ", args[1], ": ", result.err);
    REQUIRE(result.exit_code == 0);
    return result;
}

/// A report or log without its upload times (the one thing two stores of the same uploads differ in).
nlohmann::json without_times(nlohmann::json document) {
    if (document.is_array()) {
        for (auto& row : document) {
            row.erase("uploaded_at");
        }
    } else if (document.contains("known_at")) {
        document["known_at"].erase("uploaded_at");
    }
    return document;
}

/// The sample campaign's uploads, the same into any store: #4-#7 stations, a refused upload,
/// then #8 a VTL correction.
void sample_uploads(const std::string& store, const fs::path& corrected) {
    must({"init", store, "--campaign", geodata + "/campaign_flat.json"});
    must({"import", store, "--stations", geodata + "/stations/viettel.csv", "--operator", "VTL"});
    must({"import", store, "--stations", geodata + "/stations/vinaphone.geojson", "--operator", "VNP"});
    must({"import", store, "--stations", geodata + "/stations/mobifone.gpkg", "--operator", "MBF"});
    must({"import", store, "--stations", geodata + "/stations/mobifone_opencellid.csv", "--operator", "MBF", "--mode",
          "upsert"});
    CHECK(run_deadzone({"import", store, "--stations", geodata + "/uploads/mobifone_faulty.csv", "--operator", "MBF"})
              .exit_code == 1);
    must({"import", store, "--stations", corrected.string(), "--operator", "VTL"});
}

/// Waits until an import holds the store's write lock (an advisory lock on the server).
bool wait_for_writer(PgSql& sql, int seconds) {
    for (int i = 0; i < seconds * 20; ++i) {
        if (sql.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 25722") > 0) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

} // namespace

TEST_CASE("pg cli: the same uploads into a GeoPackage and a PostgreSQL store give byte-identical outputs") {
    TempDir dir{"deadzone-pg-equivalence"};
    PgSchema schema;
    const auto gpkg = (dir.path() / "sample.gpkg").string();
    // A correction: every VTL cell due on air on 2022-07-15 is a day late, one site is gone.
    std::string corrected = read_file(geodata + "/stations/viettel.csv");
    for (std::size_t at = 0; (at = corrected.find(",2022-07-15,", at)) != std::string::npos; ++at) {
        corrected.replace(at, 12, ",2022-07-16,");
    }
    const auto corrected_file = dir.path() / "viettel-corrected.csv";
    std::ofstream{corrected_file, std::ios::binary} << corrected;
    sample_uploads(gpkg, corrected_file);
    sample_uploads(schema.uri(), corrected_file);

    const auto history_gpkg = nlohmann::json::parse(must({"history", gpkg, "--json"}).out);
    CHECK(history_gpkg.size() == 8);
    CHECK(without_times(history_gpkg) == without_times(nlohmann::json::parse(must({"history", schema.uri(), "--json"}).out)));
    for (const std::vector<std::string>& when : {std::vector<std::string>{}, {"--known-at", "5"}, {"--known-at", "7"}}) {
        std::vector<std::string> a{"report", gpkg, "--as-of", "2022-07-30", "--json"};
        std::vector<std::string> b{"report", schema.uri(), "--as-of", "2022-07-30", "--json"};
        a.insert(a.end(), when.begin(), when.end());
        b.insert(b.end(), when.begin(), when.end());
        const auto from_gpkg = must(a).out;
        const auto from_pg = must(b).out;
        INFO("known at: ", when.empty() ? "latest" : when[1]);
        CHECK(without_times(nlohmann::json::parse(from_gpkg)).dump(2) == without_times(nlohmann::json::parse(from_pg)).dump(2));
        // Byte for byte once the two upload times are the same text.
        const auto time_a = nlohmann::json::parse(from_gpkg)["known_at"]["uploaded_at"].get<std::string>();
        const auto time_b = nlohmann::json::parse(from_pg)["known_at"]["uploaded_at"].get<std::string>();
        std::string same = from_pg;
        same.replace(same.find(time_b), time_b.size(), time_a);
        CHECK(same == from_gpkg);
    }
    const auto out_gpkg = dir.path() / "export-gpkg";
    const auto out_pg = dir.path() / "export-pg";
    must({"export", gpkg, "--as-of", "2022-07-30", "--known-at", "7", "--out", out_gpkg.string()});
    must({"export", schema.uri(), "--as-of", "2022-07-30", "--known-at", "7", "--out", out_pg.string()});
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(out_gpkg)) {
        const auto name = entry.path().filename().string();
        names.insert(name);
        if (name == "deadzone.gpkg") {
            continue; // a GeoPackage records the time it was written
        }
        INFO(name);
        CHECK(read_file(entry.path()) == read_file(out_pg / name));
    }
    CHECK(names == std::set<std::string>{".deadzone-output", "commitments.geojson", "commitments.qml", "coverage.geojson", "coverage.qml",
                                         "deadzone.gpkg", "gaps.geojson", "gaps.qml", "progress.csv", "progress.json",
                                         "report.html", "report.md", "stations.geojson", "stations.qml",
                                         "villages.geojson", "villages.qml"});
}

TEST_CASE("pg cli: two imports at the same time, same and different operators, both land with correct versions") {
    TempDir dir{"deadzone-pg-concurrent"};
    PgSchema schema;
    must({"init", schema.uri(), "--campaign", tiny + "/campaign.json"});
    const auto vtl_a = dir.path() / "vtl-a.csv";
    const auto vtl_b = dir.path() / "vtl-b.csv";
    const auto mbf = dir.path() / "mbf.csv";
    write_many_cells(vtl_a, "VTL", 20000, "2022-06-15");
    write_many_cells(vtl_b, "VTL", 20000, "2022-06-20", 10000); // half the same keys, other dates
    write_many_cells(mbf, "MBF", 20000, "2022-06-25");
    const std::string command = fmt::format(
        "'{0}' -q import '{1}' --stations '{2}' --operator VTL > /dev/null 2>&1 & a=$!; "
        "'{0}' -q import '{1}' --stations '{3}' --operator VTL > /dev/null 2>&1 & b=$!; "
        "'{0}' -q import '{1}' --stations '{4}' --operator MBF > /dev/null 2>&1 & c=$!; "
        "wait $a; ra=$?; wait $b; rb=$?; wait $c; rc=$?; exit $((ra * 16 + rb * 4 + rc))",
        DEADZONE_BINARY, schema.uri(), vtl_a.string(), vtl_b.string(), mbf.string());
    const int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    const auto log = nlohmann::json::parse(must({"history", schema.uri(), "--json"}).out);
    REQUIRE(log.size() == 6);
    // The two VTL uploads were planned one after the other: the later one replaced the earlier.
    std::vector<nlohmann::json> vtl;
    for (const auto& u : log) {
        if (u["operator"] == "VTL") {
            vtl.push_back(u);
        }
    }
    REQUIRE(vtl.size() == 2);
    CHECK(vtl[0]["added"] == 20000);
    CHECK(vtl[1]["added"] == 10000);
    CHECK(vtl[1]["changed"] == 10000);
    CHECK(vtl[1]["ended"] == 10000);
    const bool b_last = vtl[1]["file"].get<std::string>().find("vtl-b") != std::string::npos;
    PgSql sql{schema.name()};
    CHECK(sql.count("SELECT count(*) FROM current_cells WHERE operator = 'VTL'") == 20000);
    CHECK(sql.count(fmt::format("SELECT count(*) FROM current_cells WHERE operator = 'VTL' AND on_air_date = '{}'",
                                b_last ? "2022-06-20" : "2022-06-15")) == 20000);
    CHECK(sql.count("SELECT count(*) FROM current_cells WHERE operator = 'MBF'") == 20000);
    CHECK(sql.count("SELECT count(*) FROM cells") == 20000 + 20000 + 20000);
    CHECK(sql.count("SELECT count(*) FROM cells WHERE known_to_upload IS NOT NULL") == 20000);
}

TEST_CASE("pg cli: kill -9 of an import in the middle of its transaction leaves no trace; ids stay consecutive") {
    TempDir dir{"deadzone-pg-kill"};
    PgSchema schema;
    must({"init", schema.uri(), "--campaign", tiny + "/campaign.json"});
    const auto big = dir.path() / "big.csv";
    write_many_cells(big, "VTL", 150000, "2022-06-15");
    const auto before = store_digest(schema.name());
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        execl(DEADZONE_BINARY, DEADZONE_BINARY, "-q", "import", schema.uri().c_str(), "--stations", big.c_str(),
              "--operator", "VTL", static_cast<char*>(nullptr));
        _exit(127);
    }
    PgSql watcher;
    const bool writing = wait_for_writer(watcher, 120);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // well into COPY / INSERT
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(writing);
    CHECK(WIFSIGNALED(status));
    // The server notices the dropped connection and rolls back, releasing the lock.
    for (int i = 0; i < 200 && watcher.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 25722") > 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(store_digest(schema.name()) == before);
    const auto small = dir.path() / "small.csv";
    write_many_cells(small, "VTL", 30, "2022-06-15");
    const auto next = must({"import", schema.uri(), "--stations", small.string(), "--operator", "VTL"});
    CHECK(next.out.find("Upload #4 ") != std::string::npos);
}

TEST_CASE("pg cli: a server restart between uploads loses nothing") {
    const char* cluster = std::getenv("DEADZONE_TEST_PG_DIR");
    if (cluster == nullptr) {
        MESSAGE("SKIPPED: DEADZONE_TEST_PG_DIR is not set (a server not started by tools/pg_test_cluster.sh "
                "cannot be restarted by the test)");
        return;
    }
    TempDir dir{"deadzone-pg-restart"};
    PgSchema schema;
    must({"init", schema.uri(), "--campaign", tiny + "/campaign.json"});
    const auto first = dir.path() / "first.csv";
    const auto second = dir.path() / "second.csv";
    write_many_cells(first, "VTL", 3000, "2022-06-15");
    write_many_cells(second, "VTL", 3000, "2022-06-20");
    must({"import", schema.uri(), "--stations", first.string(), "--operator", "VTL"});
    const auto report = must({"report", schema.uri(), "--as-of", "2022-07-30", "--json"}).out;
    const auto before = store_digest(schema.name());
    const std::string restart = fmt::format("'{}/tools/pg_test_cluster.sh' restart '{}'", DEADZONE_SOURCE_DIR, cluster);
    REQUIRE(std::system(restart.c_str()) == 0);
    CHECK(store_digest(schema.name()) == before);
    must({"import", schema.uri(), "--stations", second.string(), "--operator", "VTL"});
    CHECK(must({"report", schema.uri(), "--as-of", "2022-07-30", "--known-at", "4", "--json"}).out == report);
    CHECK(nlohmann::json::parse(must({"history", schema.uri(), "--json"}).out).size() == 5);
}

TEST_CASE("pg cli: store copy moves a store with its history both ways; reports are identical, times included") {
    TempDir dir{"deadzone-pg-copy"};
    PgSchema schema;
    const auto gpkg = (dir.path() / "tiny.gpkg").string();
    const auto back = (dir.path() / "back.gpkg").string();
    must({"init", gpkg, "--campaign", tiny + "/campaign.json"});
    const auto a = dir.path() / "a.csv";
    const auto b = dir.path() / "b.csv";
    write_many_cells(a, "VTL", 300, "2022-06-15");
    write_many_cells(b, "VTL", 300, "2022-07-15", 150);
    must({"import", gpkg, "--stations", a.string(), "--operator", "VTL"});
    must({"import", gpkg, "--stations", b.string(), "--operator", "VTL"});
    const auto copied = must({"store", "copy", gpkg, schema.uri()});
    CHECK(copied.out == fmt::format("Copied 5 uploads, {} record versions and 0 tokens into {}.\n", 5 + 6 + 300 + 300,
                                    schema.uri()));
    must({"store", "copy", schema.uri(), back});
    for (const char* known_at : {"4", "5"}) {
        const std::vector<std::string> args{"--as-of", "2022-07-30", "--known-at", known_at, "--json"};
        auto from = [&](const std::string& store) {
            std::vector<std::string> all{"report", store};
            all.insert(all.end(), args.begin(), args.end());
            return must(all).out;
        };
        CHECK(from(schema.uri()) == from(gpkg));
        CHECK(from(back) == from(gpkg));
    }
    CHECK(must({"history", back, "--json"}).out == must({"history", gpkg, "--json"}).out);
    const auto again = run_deadzone({"store", "copy", gpkg, schema.uri()});
    CHECK(again.exit_code == 3);
    CHECK(again.err.find("already holds a deadzone store") != std::string::npos);
}

TEST_CASE("pg cli: init is one transaction: a refused commitments step leaves no store, a later init succeeds") {
    PgSchema schema;
    PgSql sql;
    // Every file is validated before the server is touched, so a commitments file ingest accepts
    // can only be refused by the server itself. Make it refuse: when init creates this schema's
    // `commitments` table, an event trigger arms a BEFORE INSERT trigger on it that raises, so
    // the third step (upload #3) fails after the schema, upload #1 and upload #2 were written.
    const auto arm = fmt::format(R"SQL(
CREATE OR REPLACE FUNCTION public.{0}_refuse() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN RAISE EXCEPTION 'test: the server refuses commitment %', NEW.village_id; END $f$;
CREATE OR REPLACE FUNCTION public.{0}_arm() RETURNS event_trigger LANGUAGE plpgsql AS $f$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE object_type = 'table' AND object_identity = '{0}.commitments' LOOP
    EXECUTE 'CREATE OR REPLACE TRIGGER refuse BEFORE INSERT ON {0}.commitments FOR EACH ROW EXECUTE FUNCTION public.{0}_refuse()';
  END LOOP;
END $f$;
CREATE EVENT TRIGGER {0}_arm ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION public.{0}_arm();
)SQL", schema.name());
    REQUIRE(sql.run(arm) == "");
    const auto failed = run_deadzone({"init", schema.uri(), "--campaign", geodata + "/campaign_flat.json"});
    const auto disarm = fmt::format("DROP EVENT TRIGGER {0}_arm; DROP FUNCTION public.{0}_arm(); "
                                    "DROP FUNCTION public.{0}_refuse() CASCADE",
                                    schema.name());
    CHECK(sql.run(disarm) == "");
    INFO(failed.err);
    CHECK(failed.exit_code != 0);
    CHECK(failed.err.find("the server refuses commitment") != std::string::npos);
    // Nothing of it is left: no schema (init created it inside the same transaction), so no
    // campaign, no villages, no upload log.
    CHECK(sql.count(fmt::format("SELECT count(*) FROM pg_namespace WHERE nspname = '{}'", schema.name())) == 0);
    CHECK(run_deadzone({"history", schema.uri()}).exit_code != 0);

    // The same init, the server no longer refusing: the store is created whole.
    must({"init", schema.uri(), "--campaign", geodata + "/campaign_flat.json"});
    PgSql in_schema{schema.name()};
    CHECK(in_schema.count("SELECT count(*) FROM uploads") == 3);
    CHECK(in_schema.value("SELECT string_agg(kind, ',' ORDER BY id) FROM uploads") == "campaign,villages,commitments");
    CHECK(in_schema.count("SELECT count(*) FROM villages") == 628);
    CHECK(in_schema.count("SELECT count(*) FROM commitments") == 628); // geodata/commitments.csv: 628 rows
}
