// The store end to end, with real processes: init from the tiny campaign, uploads refused whole,
// no-op re-imports, the operator restriction, --known-at replay byte for byte, two imports at
// once, and a SIGKILL in the middle of a large import.
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <fmt/format.h>

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

extern char** environ;

using deadzone::test::read_file;
using deadzone::test::run_deadzone;
using deadzone::test::RunResult;
using deadzone::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string tiny = std::string{DEADZONE_TEST_DATA} + "/tiny";
const char* header = "operator,site_id,cell_id,lon,lat,tech,status,on_air_date,off_air_date,range_m\n";

void write(const fs::path& file, const std::string& text) {
    std::ofstream{file, std::ios::binary} << text;
}

/// The tiny campaign's VTL and MBF cells as two operator files.
struct TinyStore {
    TempDir dir{"deadzone-store-cli"};
    fs::path store = dir.path() / "tiny.gpkg";
    fs::path vtl = dir.path() / "vtl.csv";
    fs::path mbf = dir.path() / "mbf.csv";
    TinyStore() {
        write(vtl, std::string{header} +
                       "VTL,S1,1,105.005,21.005,4G,on_air,2022-06-15,,3000\n"
                       "VTL,S2,1,105.205,21.005,4G,on_air,2022-07-10,,3000\n"
                       "VTL,S5,1,105.805,21.005,4G,off_air,2022-06-20,2022-07-20,3000\n");
        write(mbf, std::string{header} +
                       "MBF,S3,1,105.405,21.005,4G,planned,,,3000\n"
                       "MBF,S6,1,105.805,21.005,4G,on_air,2022-07-05,,3000\n");
        const auto init = run_deadzone({"init", store.string(), "--campaign", tiny + "/campaign.json"});
        INFO(init.err);
        REQUIRE(init.exit_code == 0);
    }
    RunResult import_stations(const fs::path& file, const std::string& op, const std::string& mode = "replace") {
        return run_deadzone({"import", store.string(), "--stations", file.string(), "--operator", op, "--mode", mode});
    }
};

std::size_t history_rows(const fs::path& store) {
    const auto result = run_deadzone({"history", store.string(), "--json"});
    REQUIRE(result.exit_code == 0);
    return nlohmann::json::parse(result.out).size();
}

long long sql_count(const fs::path& store, const std::string& query) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
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

std::string integrity(const fs::path& store) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
    std::string text;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        text += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return text;
}

/// `count` cells of one operator inside the tiny campaign's area, a fixed pattern.
void write_many_cells(const fs::path& file, const std::string& op, int count, const std::string& on_air) {
    std::ofstream out{file, std::ios::binary};
    out << header;
    for (int i = 0; i < count; ++i) {
        out << fmt::format("{},{}{},{},{:.6f},{:.6f},4G,on_air,{},,2000\n", op, op, i / 3, i % 3 + 1,
                           104.6 + (i % 1000) * 0.0018, 20.6 + (i / 1000) * 0.0018, on_air);
    }
}

} // namespace

TEST_CASE("store cli: init logs the campaign, villages and commitments as uploads 1-3") {
    TinyStore t;
    const auto history = run_deadzone({"history", t.store.string(), "--json"});
    REQUIRE(history.exit_code == 0);
    const auto log = nlohmann::json::parse(history.out);
    REQUIRE(log.size() == 3);
    CHECK(log[0]["kind"] == "campaign");
    CHECK(log[1]["kind"] == "villages");
    CHECK(log[1]["rows_accepted"] == 5);
    CHECK(log[2]["kind"] == "commitments");
    CHECK(log[2]["rows_accepted"] == 6);
    CHECK(log[2]["rows_rejected"] == 0);
    CHECK(log[1]["sha256"].get<std::string>().size() == 64);
    // A second init never overwrites.
    const auto again = run_deadzone({"init", t.store.string(), "--campaign", tiny + "/campaign.json"});
    CHECK(again.exit_code == 3);
    CHECK(again.err.find("already exists") != std::string::npos);
}

TEST_CASE("store cli: a bad upload is refused whole, every problem listed, the store unchanged") {
    TinyStore t;
    const auto before = read_file(t.store);
    const auto bad = t.dir.path() / "bad.csv";
    write(bad, std::string{header} +
                   "VTL,S1,1,105.005,21.005,4G,on_air,2022-06-15,,3000\n"
                   "VTL,S2,1,105.205,95.0,4G,on_air,2022-07-10,,3000\n"
                   "VTL,S3,1,105.405,21.005,9G,on_air,2022-07-10,,3000\n");
    const auto result = t.import_stations(bad, "VTL");
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("bad.csv:row 3") != std::string::npos);
    CHECK(result.err.find("bad.csv:row 4") != std::string::npos);
    CHECK(read_file(t.store) == before);
    CHECK(history_rows(t.store) == 3);

    // Commitments naming a village the store does not hold.
    const auto commitments = t.dir.path() / "commitments.csv";
    write(commitments, "village_id,operator,deadline\nV1,VTL,2022-06-30\nV99,VTL,2022-06-30\n");
    const auto rejected = run_deadzone({"import", t.store.string(), "--commitments", commitments.string()});
    CHECK(rejected.exit_code == 1);
    CHECK(rejected.err.find("V99") != std::string::npos);
    CHECK(read_file(t.store) == before);
}

TEST_CASE("store cli: an upload for one operator may not hold another operator's cells") {
    TinyStore t;
    REQUIRE(t.import_stations(t.mbf, "MBF").exit_code == 0);
    const auto before = read_file(t.store);
    const auto mixed = t.dir.path() / "mixed.csv";
    write(mixed, std::string{header} + "VTL,S1,1,105.005,21.005,4G,on_air,2022-06-15,,3000\n"
                                       "MBF,S6,1,105.805,21.005,4G,on_air,2022-01-01,,3000\n");
    const auto result = t.import_stations(mixed, "VTL");
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("mixed.csv:row 3") != std::string::npos);
    CHECK(read_file(t.store) == before);
    // A VTL replace leaves MBF's cells current.
    REQUIRE(t.import_stations(t.vtl, "VTL").exit_code == 0);
    CHECK(sql_count(t.store, "SELECT count(*) FROM cells WHERE operator = 'MBF' AND known_to_upload IS NULL") == 2);
}

TEST_CASE("store cli: re-importing the same content is a no-op and says so") {
    TinyStore t;
    const auto first = t.import_stations(t.vtl, "VTL");
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("Upload #4") != std::string::npos);
    CHECK(first.out.find("3 added") != std::string::npos);
    const auto before = read_file(t.store);
    const auto again = t.import_stations(t.vtl, "VTL");
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("No change") != std::string::npos);
    CHECK(again.out.find("same file as upload #4") != std::string::npos);
    CHECK(read_file(t.store) == before);
    CHECK(history_rows(t.store) == 4);
}

TEST_CASE("store cli: --known-at replays an earlier report byte for byte") {
    TinyStore t;
    REQUIRE(t.import_stations(t.vtl, "VTL").exit_code == 0); // #4
    REQUIRE(t.import_stations(t.mbf, "MBF").exit_code == 0); // #5
    const std::vector<std::string> report{"report", t.store.string(), "--as-of", "2022-07-31"};
    const auto then = run_deadzone(report);
    REQUIRE(then.exit_code == 0);
    auto json_args = report;
    json_args.push_back("--json");
    const auto then_json = run_deadzone(json_args);
    REQUIRE(then_json.exit_code == 0);
    CHECK(then.out.find("known at upload #5") != std::string::npos);
    const auto progress = nlohmann::json::parse(then_json.out);
    CHECK(progress["known_at"]["upload"] == 5);

    // A correction: S2 was really on air on 2022-06-25, and S5 never went off air.
    const auto corrected = t.dir.path() / "vtl-corrected.csv";
    write(corrected, std::string{header} +
                         "VTL,S1,1,105.005,21.005,4G,on_air,2022-06-15,,3000\n"
                         "VTL,S2,1,105.205,21.005,4G,on_air,2022-06-25,,3000\n"
                         "VTL,S5,1,105.805,21.005,4G,on_air,2022-06-20,,3000\n");
    const auto correction = t.import_stations(corrected, "VTL");
    REQUIRE(correction.exit_code == 0);
    CHECK(correction.out.find("2 changed") != std::string::npos);
    const auto now = run_deadzone(report);
    REQUIRE(now.exit_code == 0);
    CHECK(now.out != then.out);
    CHECK(now.out.find("known at upload #6") != std::string::npos);

    auto replay_args = report;
    replay_args.insert(replay_args.end(), {"--known-at", "5"});
    const auto replay = run_deadzone(replay_args);
    REQUIRE(replay.exit_code == 0);
    CHECK(replay.out == then.out);
    replay_args.push_back("--json");
    const auto replay_json = run_deadzone(replay_args);
    CHECK(replay_json.out == then_json.out);

    // By time: the log's own timestamp of upload 5 selects upload 5.
    const auto log = nlohmann::json::parse(run_deadzone({"history", t.store.string(), "--json"}).out);
    auto by_time = report;
    by_time.insert(by_time.end(), {"--known-at", log[4]["uploaded_at"].get<std::string>()});
    CHECK(run_deadzone(by_time).out == then.out);

    // export writes the same files as analyze from the replayed state.
    const auto out_dir = t.dir.path() / "export";
    const auto exported =
        run_deadzone({"export", t.store.string(), "--as-of", "2022-07-31", "--known-at", "5", "--out", out_dir.string()});
    REQUIRE(exported.exit_code == 0);
    const auto exported_progress = nlohmann::json::parse(read_file(out_dir / "progress.json"));
    auto expected = progress;
    expected.erase("known_at");
    CHECK(exported_progress == expected);
    CHECK(fs::exists(out_dir / "commitments.geojson"));
}

TEST_CASE("store cli: two imports started at the same time both land") {
    TinyStore t;
    const auto vtl = t.dir.path() / "vtl-many.csv";
    const auto mbf = t.dir.path() / "mbf-many.csv";
    write_many_cells(vtl, "VTL", 30000, "2022-06-15");
    write_many_cells(mbf, "MBF", 30000, "2022-06-20");
    const std::string command = fmt::format(
        "'{0}' -q import '{1}' --stations '{2}' --operator VTL > /dev/null 2>&1 & a=$!; "
        "'{0}' -q import '{1}' --stations '{3}' --operator MBF > /dev/null 2>&1 & b=$!; "
        "wait $a; ra=$?; wait $b; rb=$?; exit $((ra * 16 + rb))",
        DEADZONE_BINARY, t.store.string(), vtl.string(), mbf.string());
    const int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(history_rows(t.store) == 5);
    CHECK(sql_count(t.store, "SELECT count(*) FROM cells WHERE operator = 'VTL' AND known_to_upload IS NULL") == 30000);
    CHECK(sql_count(t.store, "SELECT count(*) FROM cells WHERE operator = 'MBF' AND known_to_upload IS NULL") == 30000);
    CHECK(sql_count(t.store, "SELECT count(DISTINCT known_from_upload) FROM cells") == 2);
    CHECK(integrity(t.store) == "ok");
}

TEST_CASE("store cli: SIGKILL in the middle of an import leaves the store as it was") {
    TinyStore t;
    REQUIRE(t.import_stations(t.vtl, "VTL").exit_code == 0);
    const auto report_before = run_deadzone({"report", t.store.string(), "--as-of", "2022-07-31"});
    REQUIRE(report_before.exit_code == 0);
    const auto big = t.dir.path() / "vtl-big.csv";
    write_many_cells(big, "VTL", 150000, "2022-06-01");
    const auto journal = fs::path{t.store.string() + "-journal"};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const std::string binary = DEADZONE_BINARY;
    const std::string store = t.store.string();
    const std::string file = big.string();
    const char* argv[] = {binary.c_str(), "-q", "import", store.c_str(), "--stations", file.c_str(),
                          "--operator", "VTL", nullptr};
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, binary.c_str(), &actions, nullptr, const_cast<char* const*>(argv), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);

    // Kill it once its transaction has spilled new pages into the store file: the file then
    // holds uncommitted data that only the journal can undo.
    const auto size_before = fs::file_size(t.store);
    bool seen = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    int status = 0;
    std::error_code ec;
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(journal) && fs::file_size(t.store, ec) > size_before + 1024 * 1024) {
            seen = true;
            kill(pid, SIGKILL);
            break;
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (seen) {
        waitpid(pid, &status, 0);
    }
    REQUIRE_MESSAGE(seen, "the import finished before it could be killed mid-transaction");
    CHECK(WIFSIGNALED(status));
    CHECK(fs::exists(journal)); // a hot journal is left behind...
    CHECK(fs::file_size(t.store) > size_before);

    // ...and the next opener rolls it back: same log, same figures, sound file.
    CHECK(history_rows(t.store) == 4);
    CHECK(integrity(t.store) == "ok");
    CHECK(sql_count(t.store, "SELECT count(*) FROM cells") == 3);
    CHECK(!fs::exists(journal));
    CHECK(fs::file_size(t.store) == size_before);
    const auto report_after = run_deadzone({"report", t.store.string(), "--as-of", "2022-07-31"});
    CHECK(report_after.out == report_before.out);
    // And the same import, run to the end, lands.
    const auto rerun = t.import_stations(big, "VTL");
    CHECK(rerun.exit_code == 0);
    CHECK(rerun.out.find("150000 added") != std::string::npos);
}
