// The store end to end, with real processes: init from the tiny campaign, uploads refused whole,
// no-op re-imports, the operator restriction, --known-at replay byte for byte, two imports at
// once, a SIGKILL in the middle of a large import, a full disk, empty replace uploads, forged
// log text and a damaged store.
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <fmt/format.h>

#include <deadzone/store/store.hpp>

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

using deadzone::test::read_file;
using deadzone::test::run_deadzone;
using deadzone::test::RunResult;
using deadzone::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string tiny = std::string{DEADZONE_TEST_DATA} + "/tiny";
const std::string hostile = std::string{DEADZONE_TEST_DATA} + "/hostile";
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
    /// The store in `store_dir` (e.g. a small tmpfs) when given, else in the temporary folder.
    explicit TinyStore(const fs::path& store_dir = {}) {
        if (!store_dir.empty()) {
            store = store_dir / "tiny.gpkg";
        }
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

TEST_CASE("store cli: a store named with 240 bytes (SQLite's -wal and -shm still fit in 255) is made") {
    TempDir dir("deadzone-store-long");
    const auto store = dir.path() / (std::string(235, 's') + ".gpkg");
    const auto init = run_deadzone({"init", store.string(), "--campaign", tiny + "/campaign.json"});
    CAPTURE(init.err);
    REQUIRE(init.exit_code == 0); // its temporary name, '.<name>.init-<pid>', once made it refuse
    const auto history = run_deadzone({"history", store.string(), "--json"});
    REQUIRE(history.exit_code == 0);
    CHECK(nlohmann::json::parse(history.out).size() == 3);
    std::vector<std::string> entries;
    for (const auto& entry : fs::directory_iterator(dir.path())) entries.push_back(entry.path().filename().string());
    CHECK(entries == std::vector<std::string>{store.filename().string()}); // no temporary left
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
    const auto wal = fs::path{t.store.string() + "-wal"};
    const auto bytes_before = read_file(t.store);

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

    // Kill it once its transaction has spilled more than 1 MB of new pages: they go to the
    // write-ahead log, never into the store file.
    bool seen = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    int status = 0;
    std::error_code ec;
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(wal) && fs::file_size(wal, ec) > 1024 * 1024) {
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
    CHECK(fs::exists(wal));                    // the uncommitted pages are left in the log...
    CHECK(read_file(t.store) == bytes_before); // ...and the store file itself is untouched

    // The next opener ignores them: same log, same figures, sound file, log gone.
    CHECK(history_rows(t.store) == 4);
    CHECK(integrity(t.store) == "ok");
    CHECK(sql_count(t.store, "SELECT count(*) FROM cells") == 3);
    CHECK(!fs::exists(wal));
    CHECK(read_file(t.store) == bytes_before);
    const auto report_after = run_deadzone({"report", t.store.string(), "--as-of", "2022-07-31"});
    CHECK(report_after.out == report_before.out);
    // And the same import, run to the end, lands.
    const auto rerun = t.import_stations(big, "VTL");
    CHECK(rerun.exit_code == 0);
    CHECK(rerun.out.find("150000 added") != std::string::npos);
}

namespace {

/// A small tmpfs mounted for one test (needs root); `mounted` false when it cannot be.
struct SmallDisk {
    TempDir mount_point{"deadzone-small-disk"};
    bool mounted = false;
    std::string why;
    explicit SmallDisk(const std::string& size) {
        const std::string options = "size=" + size;
        if (::mount("tmpfs", mount_point.path().c_str(), "tmpfs", 0, options.c_str()) == 0) {
            mounted = true;
        } else {
            why = std::strerror(errno);
        }
    }
    ~SmallDisk() {
        if (mounted) {
            ::umount2(mount_point.path().c_str(), MNT_DETACH);
        }
    }
    std::uint64_t free_bytes() const {
        struct statvfs info {};
        statvfs(mount_point.path().c_str(), &info);
        return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
    }
    /// Writes a filler file until only about `leave` bytes are free (0: until the disk is full).
    void fill(std::uint64_t leave) {
        std::ofstream out{mount_point.path() / "filler", std::ios::binary | std::ios::app};
        const std::string block(4096, 'x');
        while (out && free_bytes() > leave) {
            out.write(block.data(), static_cast<std::streamsize>(block.size()));
            out.flush();
        }
    }
};

bool skip_without_mount(const SmallDisk& disk) {
    if (disk.mounted) {
        return false;
    }
    const auto message = "SKIPPED: cannot mount a small tmpfs (" + disk.why +
                         "); the full-disk store test needs root (run the tests as root or in CI)";
    std::cerr << "\n*** " << message << " ***\n\n";
    MESSAGE(message);
    return true;
}

bool files_next_to(const fs::path& store, const char* suffix) {
    return fs::exists(fs::path{store.string() + suffix});
}

} // namespace

TEST_CASE("store cli: an import that cannot fit on the disk leaves the store file byte-identical") {
    SmallDisk disk{"24m"};
    if (skip_without_mount(disk)) {
        return;
    }
    TinyStore t{disk.mount_point.path()};
    REQUIRE(t.import_stations(t.vtl, "VTL").exit_code == 0); // #4
    // Committed and checkpointed: the store file alone holds upload #4.
    CHECK(!files_next_to(t.store, "-wal"));
    const auto before = read_file(t.store);
    const auto sha_before = deadzone::store::sha256_file(t.store);
    const auto big = t.dir.path() / "vtl-big.csv"; // outside the small disk
    write_many_cells(big, "VTL", 20000, "2022-06-01");

    SUBCASE("refused up front: too little room for the upload") {
        disk.fill(700 * 1024);
        const auto result = t.import_stations(big, "VTL");
        CHECK(result.exit_code == 3);
        CHECK(result.err.find("not enough free disk space") != std::string::npos);
        CHECK(result.err.find("tiny.gpkg") != std::string::npos);
    }
    SUBCASE("the disk is completely full") {
        disk.fill(0);
        const auto result = t.import_stations(big, "VTL");
        CHECK(result.exit_code == 3);
    }
    CHECK(deadzone::store::sha256_file(t.store) == sha_before);
    CHECK(read_file(t.store) == before);
    // The copy of the file alone is the store as it was: same log, sound.
    const auto copy = t.dir.path() / "copy.gpkg";
    fs::copy_file(t.store, copy);
    CHECK(integrity(copy) == "ok");
    CHECK(sql_count(copy, "SELECT count(*) FROM uploads") == 4);
    CHECK(sql_count(copy, "SELECT count(*) FROM cells") == 3);
    fs::remove(disk.mount_point.path() / "filler");
    CHECK(integrity(t.store) == "ok");
    CHECK(history_rows(t.store) == 4);
    // With room again, the same import lands.
    const auto rerun = t.import_stations(big, "VTL");
    CHECK(rerun.exit_code == 0);
    CHECK(rerun.out.find("20000 added") != std::string::npos);
}

TEST_CASE("store cli: a store is a GeoPackage that ogrinfo lists, and the file alone holds the last upload") {
    TinyStore t;
    REQUIRE(t.import_stations(t.vtl, "VTL").exit_code == 0);
    const auto copy = t.dir.path() / "copy.gpkg";
    fs::copy_file(t.store, copy);
    CHECK(sql_count(copy, "SELECT count(*) FROM uploads") == 4);
    CHECK(sql_count(copy, "SELECT count(*) FROM cells WHERE known_to_upload IS NULL") == 3);
    if (std::system("ogrinfo --version > /dev/null 2>&1") != 0) {
        MESSAGE("ogrinfo not installed: GeoPackage listing not checked here (test_store checks it through GDAL)");
        return;
    }
    const auto listing = t.dir.path() / "ogrinfo.txt";
    const auto command = fmt::format("ogrinfo -ro -q '{}' > '{}' 2>&1", copy.string(), listing.string());
    REQUIRE(std::system(command.c_str()) == 0);
    const auto text = read_file(listing);
    CHECK(text.find("villages (Multi Polygon)") != std::string::npos);
    CHECK(text.find("cells (Point)") != std::string::npos);
    CHECK(text.find("uploads") != std::string::npos);
}

TEST_CASE("store cli: a header-only file in replace mode is refused unless --allow-empty") {
    TinyStore t;
    REQUIRE(t.import_stations(t.vtl, "VTL").exit_code == 0); // #4
    REQUIRE(t.import_stations(t.mbf, "MBF").exit_code == 0); // #5
    const auto before = read_file(t.store);
    const auto header_only = hostile + "/store_header_only_stations.csv";
    const auto refused = t.import_stations(header_only, "VTL");
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("store_header_only_stations.csv") != std::string::npos);
    CHECK(refused.err.find("end all 3 current cells of VTL") != std::string::npos);
    CHECK(refused.err.find("--allow-empty") != std::string::npos);
    CHECK(read_file(t.store) == before);

    const auto commitments = hostile + "/store_header_only_commitments.csv";
    const auto no_commitments = run_deadzone({"import", t.store.string(), "--commitments", commitments});
    CHECK(no_commitments.exit_code == 1);
    CHECK(no_commitments.err.find("store_header_only_commitments.csv") != std::string::npos);
    CHECK(no_commitments.err.find("end all 6 current commitments") != std::string::npos);
    CHECK(read_file(t.store) == before);
    // An empty (0-byte) file is refused too, naming it.
    const auto empty = t.import_stations(hostile + "/store_empty_stations.csv", "VTL");
    CHECK(empty.exit_code == 1);
    CHECK(empty.err.find("store_empty_stations.csv") != std::string::npos);
    CHECK(read_file(t.store) == before);
    // An upsert of nothing changes nothing; it is not refused.
    CHECK(t.import_stations(header_only, "VTL", "upsert").out.find("No change") != std::string::npos);

    // Said on purpose: VTL's cells end, MBF's stay.
    const auto allowed = run_deadzone({"import", t.store.string(), "--stations", header_only, "--operator", "VTL",
                                       "--allow-empty"});
    CHECK(allowed.exit_code == 0);
    CHECK(allowed.out.find("0 added, 0 changed, 3 ended") != std::string::npos);
    CHECK((allowed.out + allowed.err).find("ends 3 of the 3 current cells of VTL") != std::string::npos);
    CHECK(sql_count(t.store, "SELECT count(*) FROM cells WHERE known_to_upload IS NULL") == 2);
}

TEST_CASE("store cli: a replace that ends more than half of the records warns") {
    TinyStore t;
    REQUIRE(t.import_stations(t.vtl, "VTL").exit_code == 0);
    const auto one = t.dir.path() / "vtl-one.csv";
    write(one, std::string{header} + "VTL,S1,1,105.005,21.005,4G,on_air,2022-06-15,,3000\n");
    const auto result = t.import_stations(one, "VTL");
    CHECK(result.exit_code == 0);
    CHECK((result.out + result.err).find("warning: this upload ends 2 of the 3 current cells of VTL (more than half)") !=
          std::string::npos);
    // One of three is not more than half.
    const auto two = t.dir.path() / "vtl-two.csv";
    write(two, std::string{header} + "VTL,S1,1,105.005,21.005,4G,on_air,2022-06-15,,3000\n"
                                     "VTL,S2,1,105.205,21.005,4G,on_air,2022-07-10,,3000\n");
    REQUIRE(t.import_stations(t.vtl, "VTL").exit_code == 0);
    const auto fewer = t.import_stations(two, "VTL");
    CHECK(fewer.exit_code == 0);
    CHECK((fewer.out + fewer.err).find("more than half") == std::string::npos);
}

TEST_CASE("store cli: an account or file name with control characters cannot forge history rows") {
    TinyStore t;
    // A file name holding a newline, a fake row and a screen-clearing escape.
    const auto forged = t.dir.path() / "vtl.csv\n  99  2030-01-01T00:00:00.000Z  mallory\x1b[2J.csv";
    fs::copy_file(t.vtl, forged);
    const char* saved = std::getenv("USER");
    const std::string saved_user = saved != nullptr ? saved : "";
    setenv("USER", "alice\n  98  2030-01-01T00:00:00.000Z  mallory", 1);
    const auto imported = t.import_stations(forged, "VTL");
    if (saved != nullptr) {
        setenv("USER", saved_user.c_str(), 1);
    } else {
        unsetenv("USER");
    }
    REQUIRE(imported.exit_code == 0);
    CHECK(imported.out.find('\x1b') == std::string::npos);

    const auto history = run_deadzone({"history", t.store.string()});
    REQUIRE(history.exit_code == 0);
    CHECK(std::count(history.out.begin(), history.out.end(), '\n') == 5); // header + 4 uploads
    CHECK(history.out.find('\x1b') == std::string::npos);
    CHECK(history.out.find("vtl.csv\\n  99") != std::string::npos);
    CHECK(history.out.find("\\x1b[2J") != std::string::npos);
    const auto log = nlohmann::json::parse(run_deadzone({"history", t.store.string(), "--json"}).out);
    // $USER with a newline is not believed: the account's passwd name is recorded instead.
    CHECK(log[3]["uploaded_by"].get<std::string>().find("mallory") == std::string::npos);
    CHECK(log[3]["file"].get<std::string>().find('\n') == std::string::npos);
}

TEST_CASE("store cli: a damaged campaign inside a store is exit 3, 'damaged store', naming the store") {
    TinyStore t;
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(t.store.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_exec(db, "DROP TRIGGER campaign_no_update", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_prepare_v2(db, "UPDATE campaign SET document = ?", -1, &stmt, nullptr);
    const auto damaged = read_file(hostile + "/store_damaged_campaign.json");
    sqlite3_bind_text(stmt, 1, damaged.c_str(), static_cast<int>(damaged.size()), SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(stmt) == SQLITE_DONE);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"report", t.store.string(), "--as-of", "2022-07-31"},
             {"history", t.store.string()},
             {"import", t.store.string(), "--stations", t.vtl.string(), "--operator", "VTL"}}) {
        const auto result = run_deadzone(args);
        INFO(args[0], ": ", result.err);
        CHECK(result.exit_code == 3);
        CHECK(result.err.find("tiny.gpkg: damaged deadzone store") != std::string::npos);
    }
}
