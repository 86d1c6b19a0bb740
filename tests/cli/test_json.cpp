// With --json, stdout is exactly one JSON document for every command, on success and on
// failure (nlohmann's parse refuses anything before or after the document); warnings go to
// stderr and name their source (a store's campaign is "STORE:campaign", never an empty name).
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

using deadzone::test::run_deadzone;
using deadzone::test::RunResult;
using deadzone::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string data = DEADZONE_TEST_DATA;

nlohmann::json parse_stdout(const std::vector<std::string>& args, int expected_code) {
    const auto r = run_deadzone(args);
    CAPTURE(args);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == expected_code);
    nlohmann::json doc;
    CHECK_NOTHROW(doc = nlohmann::json::parse(r.out));
    return doc;
}

} // namespace

TEST_CASE("json: report --json with a model warning prints one document; the warning names the store") {
    TempDir dir{"deadzone-json"};
    const auto store = (dir.path() / "mini.gpkg").string();
    REQUIRE(run_deadzone({"init", store, "--campaign", data + "/mini/campaign.json"}).exit_code == 0);
    const auto stations = dir.path() / "vtl.csv";
    std::ofstream{stations} << "operator,site_id,cell_id,lon,lat,tech,status,on_air_date\n"
                               "VTL,S1,1,104.705,22.605,4G,on_air,2022-06-10\n";
    REQUIRE(run_deadzone({"import", store, "--stations", stations.string(), "--operator", "VTL"}).exit_code == 0);

    const auto r = run_deadzone({"report", store, "--as-of", "2022-07-30", "--json"});
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).at("known_at").at("upload") == 4);
    // Hata is fitted on 150-1500 MHz; the 4G default is 1800 MHz.
    CHECK(r.err.find(store + ":campaign: field 'model': warning:") != std::string::npos);
    CHECK(r.err.find("\n: field") == std::string::npos);
    CHECK(r.err.rfind(": field", 0) != 0);

    const auto text = run_deadzone({"report", store, "--as-of", "2022-07-30"});
    CHECK(text.out.find("warning") == std::string::npos); // the table on stdout, warnings apart
    CHECK(text.err.find(store + ":campaign: field 'model': warning:") != std::string::npos);

    CHECK(parse_stdout({"history", store, "--json"}, 0).size() == 4);
    CHECK(parse_stdout({"report", store, "--as-of", "2022-07-30", "--known-at", "99", "--json"}, 2)
              .at("ok") == false);
    CHECK(parse_stdout({"report", dir.path().string() + "/none.gpkg", "--as-of", "2022-07-30", "--json"}, 3)
              .at("error").at("code") == "failure");
}

TEST_CASE("json: check, analyze and pathloss print one document, also when they fail") {
    TempDir out{"deadzone-json-out"};
    CHECK(parse_stdout({"check", "--campaign", data + "/mini", "--json"}, 0).at("ok") == true);
    const auto bad = parse_stdout({"check", "--campaign", data + "/mini", "--stations",
                                   data + "/bad/stations_lat_out_of_range.csv", "--json"},
                                  1);
    CHECK(bad.at("problems").at(0).at("field") == "lat");
    CHECK(parse_stdout({"analyze", data + "/mini", "--as-of", "2022-07-30", "--out", out.path().string(), "--json"}, 0)
              .at("as_of") == "2022-07-30");
    // Rejected input (errors and warnings): the problems inside the document, lines on stderr.
    const auto rejected = parse_stdout({"analyze", data + "/mini", "--stations", data + "/bad/stations_bad_date.csv",
                                        "--as-of", "2022-07-30", "--out", out.path().string(), "--json"},
                                       1);
    CHECK(rejected.at("error").at("code") == "input_rejected");
    CHECK(!rejected.at("problems").empty());
    CHECK(parse_stdout({"analyze", data + "/mini", "--as-of", "2022-07-30", "--out", "", "--json"}, 2)
              .at("error").at("code") == "usage_error");
    CHECK(parse_stdout({"analyze", data + "/mini", "--as-of", "2022-07-30", "--out", out.path().string(),
                        "--threads", "two", "--json"},
                       2)
              .at("error").at("message") == "--threads: must be a whole number of threads (0 = all cores), not 'two'");
    CHECK(parse_stdout({"pathloss", "--model", "hata", "--freq-mhz", "900", "--tx-height-m", "30", "--rx-height-m",
                        "1.5", "--distance-km", "5", "--json"},
                       0)
              .is_object());
    CHECK(parse_stdout({"frobnicate", "--json"}, 2).at("error").at("message") ==
          "unknown command 'frobnicate'; the commands are: check, analyze, pathloss, init, import, report, export, "
          "history, viewshed, serve, token");
}

TEST_CASE("cli: usage messages say what is wrong (exit 2)") {
    const auto threads = run_deadzone({"analyze", data + "/tiny", "--as-of", "2022-07-30", "--out", "/tmp/x",
                                       "--threads", "two"});
    CHECK(threads.exit_code == 2);
    CHECK(threads.err.rfind("deadzone: --threads: must be a whole number of threads (0 = all cores), not 'two'\n", 0) == 0);
    CHECK(threads.err.size() < 200); // no 309-digit range
    const auto unknown = run_deadzone({"frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.rfind("deadzone: unknown command 'frobnicate'; the commands are: check, analyze,", 0) == 0);
    const auto none = run_deadzone({});
    CHECK(none.exit_code == 2);
    CHECK(none.err.rfind("deadzone: no command given; the commands are: check,", 0) == 0);
    CHECK(run_deadzone({"--help"}).exit_code == 0);
    CHECK(run_deadzone({"analyze", data + "/tiny", "--as-of", "2022-07-30", "--out", ""}).exit_code == 2);
}
