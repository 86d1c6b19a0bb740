// Field measurements in the store, with real processes: a store built from the drive-test
// campaign's files exports the very bytes `analyze` writes from the files; re-imports are
// no-ops; an operator's upload may hold only its samples; --known-at replays before and after
// the measurements; `store copy` carries them.
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using deadzone::test::read_file;
using deadzone::test::run_deadzone;
using deadzone::test::RunResult;
using deadzone::test::TempDir;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string data = DEADZONE_TEST_DATA;
const std::string measure = data + "/measure";

void write(const fs::path& file, const std::string& text) {
    std::ofstream{file, std::ios::binary} << text;
}

/// tests/data/tiny/stations.csv split by operator (an upload holds one operator's cells).
void split_stations(const fs::path& vtl, const fs::path& mbf) {
    std::istringstream in{read_file(data + "/tiny/stations.csv")};
    std::string header, line, v, m;
    std::getline(in, header);
    while (std::getline(in, line)) {
        (line.rfind("VTL,", 0) == 0 ? v : m) += line + "\n";
    }
    write(vtl, header + "\n" + v);
    write(mbf, header + "\n" + m);
}

/// The drive-test campaign as a store: init (uploads 1-3), VTL and MBF stations (4, 5); the
/// tests then upload the drive-test file holding both operators' samples (6). The campaign is
/// tests/data/measure's with its commitments in key order: a store lists commitments by
/// village, then operator, and report.html's map lists a village's commitments in input order
/// (V5's are MBF, VTL from a store but VTL, MBF from tiny/commitments.csv), which has nothing to
/// do with measurements.
struct MeasuredStore {
    TempDir dir{"deadzone-store-measure"};
    fs::path store = dir.path() / "measure.gpkg";
    fs::path campaign = dir.path() / "campaign";
    MeasuredStore() {
        const auto vtl = dir.path() / "vtl.csv";
        const auto mbf = dir.path() / "mbf.csv";
        split_stations(vtl, mbf);
        fs::create_directories(campaign);
        auto doc = json::parse(read_file(measure + "/campaign.json"));
        doc["villages"] = data + "/tiny/villages.geojson";
        doc["commitments"] = (campaign / "commitments.csv").string();
        doc["stations"] = json::array({data + "/tiny/stations.csv"});
        doc["measurements"] = json::array({measure + "/drive_test.csv"});
        write(campaign / "campaign.json", doc.dump(2));
        write(campaign / "commitments.csv", "village_id,operator,deadline\nV1,VTL,2022-06-30\nV2,VTL,2022-06-30\n"
                                            "V3,MBF,2022-07-30\nV4,MBF,2022-06-30\nV5,MBF,2022-07-30\n"
                                            "V5,VTL,2022-07-30\n");
        REQUIRE(run_deadzone({"init", store.string(), "--campaign", (campaign / "campaign.json").string()}).exit_code ==
                0);
        REQUIRE(run_deadzone({"import", store.string(), "--stations", vtl.string(), "--operator", "VTL"}).exit_code == 0);
        REQUIRE(run_deadzone({"import", store.string(), "--stations", mbf.string(), "--operator", "MBF"}).exit_code == 0);
    }
    RunResult import(const std::string& file, const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args{"import", store.string(), "--measurements", file};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_deadzone(args);
    }
};

std::vector<std::string> files_in(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

TEST_CASE("store measurements: export from a store built from the files = analyze of the files, byte for byte") {
    MeasuredStore t;
    const auto imported = t.import(measure + "/drive_test.csv", {"--json"});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    const auto report = json::parse(imported.out);
    CHECK(report["upload"]["kind"] == "measurements");
    CHECK(report["upload"]["id"] == 6);
    CHECK(report["added"] == 105); // every row of drive_test.csv

    const auto from_files = t.dir.path() / "files";
    const auto from_store = t.dir.path() / "store";
    REQUIRE(run_deadzone({"analyze", t.campaign.string(), "--as-of", "2022-07-30", "--out", from_files.string(),
                          "--quiet"})
                .exit_code == 0);
    const auto exported =
        run_deadzone({"export", t.store.string(), "--as-of", "2022-07-30", "--out", from_store.string(), "--quiet"});
    INFO(exported.err);
    REQUIRE(exported.exit_code == 0);
    const auto names = files_in(from_files);
    REQUIRE(names == files_in(from_store));
    CHECK(std::find(names.begin(), names.end(), "measurements.geojson") != names.end());
    for (const auto& name : names) {
        INFO(name);
        CHECK(read_file(from_store / name) == read_file(from_files / name));
    }
    // report --json: progress.json plus where the store stood.
    auto store_json = json::parse(run_deadzone({"report", t.store.string(), "--as-of", "2022-07-30", "--json"}).out);
    CHECK(store_json["known_at"]["kind"] == "measurements");
    store_json.erase("known_at");
    CHECK(store_json == json::parse(read_file(from_files / "progress.json")));
    CHECK(store_json["measurements"]["samples"]["read"] == 105);
}

TEST_CASE("store measurements: no-op re-import, the operator's own rows only, history, --known-at, store copy") {
    MeasuredStore t;
    const auto file = measure + "/drive_test.csv";
    // A VTL upload of a file holding MBF rows is refused whole: nothing recorded.
    const auto refused = t.import(file, {"--operator", "VTL"});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("belongs to operator 'MBF'") != std::string::npos);
    CHECK(json::parse(run_deadzone({"history", t.store.string(), "--json"}).out).size() == 5);

    REQUIRE(t.import(file).exit_code == 0); // #6
    const auto again = t.import(file);
    REQUIRE(again.exit_code == 0);
    CHECK(again.out.find("No change") != std::string::npos);
    CHECK(again.out.find("same file as upload #6") != std::string::npos);

    // Only VTL's samples, as VTL's upload, in replace mode: MBF's samples stay.
    std::istringstream in{read_file(file)};
    std::string line, vtl_rows, header;
    std::getline(in, header);
    int vtl_count = 0, total = 0;
    while (std::getline(in, line)) {
        ++total;
        if (line.find(",VTL,") != std::string::npos || line.find(",452-04,") != std::string::npos) {
            // Every VTL sample 20 dB weaker: each one changes, and -90 dBm falls below -105.
            vtl_rows += line + "\n";
            ++vtl_count;
        }
    }
    REQUIRE(vtl_count == 40); // 20 by operator code, 20 by MCC-MNC
    REQUIRE(vtl_count < total);
    std::string weaker;
    std::istringstream rows{vtl_rows};
    while (std::getline(rows, line)) {
        const auto comma = line.rfind(',');
        const auto level_start = line.rfind(',', comma - 1) + 1;
        const double level = std::stod(line.substr(level_start, comma - level_start));
        weaker += line.substr(0, level_start) + std::to_string(static_cast<int>(level) - 20) + line.substr(comma) + "\n";
    }
    const auto vtl_file = t.dir.path() / "vtl_weaker.csv";
    write(vtl_file, header + "\n" + weaker);
    const auto changed = t.import(vtl_file.string(), {"--operator", "VTL", "--json"});
    INFO(changed.err);
    REQUIRE(changed.exit_code == 0);
    const auto changed_report = json::parse(changed.out);
    CHECK(changed_report["changed"] == vtl_count);
    CHECK(changed_report["ended"] == 0);
    CHECK(changed_report["upload"]["operator"] == "VTL");

    const auto history = json::parse(run_deadzone({"history", t.store.string(), "--json"}).out);
    REQUIRE(history.size() == 7);
    CHECK(history[5]["kind"] == "measurements");
    CHECK(history[6]["kind"] == "measurements");
    CHECK(json::parse(run_deadzone({"history", t.store.string(), "--operator", "VTL", "--json"}).out).size() == 2);

    const std::vector<std::string> report{"report", t.store.string(), "--as-of", "2022-07-30", "--json"};
    auto at = [&](const std::string& known_at) {
        auto args = report;
        args.insert(args.end(), {"--known-at", known_at});
        const auto r = run_deadzone(args);
        REQUIRE(r.exit_code == 0);
        return json::parse(r.out);
    };
    CHECK(at("5")["measurements"]["samples"]["read"] == 0);
    CHECK(at("6")["measurements"]["samples"]["read"] == total);
    CHECK(at("7")["measurements"]["samples"]["read"] == total);
    CHECK(at("6")["measurements"] != at("7")["measurements"]);

    // store copy carries every sample version: the copy replays each upload identically.
    const auto copy = t.dir.path() / "copy.gpkg";
    const auto copied = run_deadzone({"store", "copy", t.store.string(), copy.string()});
    INFO(copied.err);
    REQUIRE(copied.exit_code == 0);
    for (const char* k : {"5", "6", "7"}) {
        auto args = report;
        args.insert(args.end(), {"--known-at", k});
        auto copy_args = args;
        copy_args[1] = copy.string();
        CHECK(run_deadzone(copy_args).out == run_deadzone(args).out);
    }
}
