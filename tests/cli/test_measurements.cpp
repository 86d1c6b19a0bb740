// End to end: the tiny campaign with a hand-made drive test (tests/data/measure) and evidence
// `both` — exact verdicts, statuses, reliability, the measurements layer and the escaped reports.
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

using deadzone::test::read_file;
using deadzone::test::run_deadzone;
using deadzone::test::TempDir;
using json = nlohmann::json;

namespace {
const std::string measure = std::string{DEADZONE_TEST_DATA} + "/measure";

std::vector<std::string> commitment_lines(const json& layer) {
    std::vector<std::string> out;
    for (const auto& f : layer.at("features")) {
        const auto& p = f.at("properties");
        out.push_back(p.at("village_id").get<std::string>() + " " + p.at("operator").get<std::string>() + " " +
                      p.at("status").get<std::string>() + " " + p.at("verdict").get<std::string>() + " " +
                      std::to_string(p.at("samples").get<int>()));
    }
    return out;
}
} // namespace

TEST_CASE("analyze: drive tests judge the tiny campaign under evidence `both`") {
    TempDir out;
    const auto r = run_deadzone({"analyze", measure, "--as-of", "2022-07-30", "--out", out.path().string(), "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // V2 (VTL) and V5 (MBF) are predicted covered but measured weak: V2's deadline has passed
    // (overdue), V5's is the as-of date (pending). V4 is measured covered without a prediction:
    // `both` needs the prediction too. V3's samples are from May, outside the 30-day window.
    const auto commitments = json::parse(read_file(out.path() / "commitments.geojson"));
    CHECK(commitment_lines(commitments) == std::vector<std::string>{
                                               "V1 VTL covered confirmed 20", "V2 VTL overdue contradicted 20",
                                               "V3 MBF pending unmeasured 0", "V4 MBF overdue unpredicted 20",
                                               "V5 MBF pending contradicted 20", "V5 VTL pending unmeasured 0"});
    const auto progress = json::parse(read_file(out.path() / "progress.json"));
    const auto& m = progress.at("measurements");
    CHECK(m.at("evidence") == "both");
    CHECK(m.at("samples") == json{{"read", 105}, {"counted", 80}, {"in_villages", 80}});
    CHECK(m.at("verdicts").at("contradicted") == 2);
    CHECK(m.at("verdicts").at("confirmed") == 1);
    CHECK(m.at("verdicts").at("unpredicted") == 1);
    const auto& vtl = m.at("reliability").at("operators").at(0);
    CHECK(vtl.at("operator") == "VTL");
    CHECK(vtl.at("samples") == 40);
    CHECK(vtl.at("at_threshold") == 30);
    CHECK(vtl.at("share") == 0.75);
    CHECK(vtl.at("meets_average") == false);
    CHECK(vtl.at("provinces_below_bar") == json{"P1"});
    const auto& mbf = m.at("reliability").at("operators").at(1);
    CHECK(mbf.at("samples") == 20);
    CHECK(mbf.at("at_threshold") == 0);
    CHECK(m.at("contradicted").size() == 2);
    CHECK(m.at("contradicted").at(0).at("village_id") == "V2");
    CHECK(m.at("contradicted").at(1).at("village_id") == "V5");

    const auto csv = read_file(out.path() / "contradicted_villages.csv");
    CHECK(csv == "village_id,name,province,district,operator,samples,at_threshold,measured_share,first_sample_day\r\n"
                 "V2,Bản Hai,P1,D1,VTL,20,10,0.5000,2022-07-25\r\n"
                 "V5,Làng Năm,P2,D1,MBF,20,0,0.0000,2022-07-25\r\n");
    const auto layer = json::parse(read_file(out.path() / "measurements.geojson"));
    REQUIRE(layer.at("features").size() == 105);
    const auto& first = layer.at("features").at(0).at("properties");
    CHECK(first.at("signal") == "strong"); // -90 against -105
    CHECK(first.at("village_id") == "V1");
    CHECK(first.at("source") == "drive <test> & co");
    CHECK(std::filesystem::exists(out.path() / "measurements.qml"));
    const auto html = read_file(out.path() / "report.html");
    CHECK(html.find("Field measurements") != std::string::npos);
    CHECK(html.find("drive <test>") == std::string::npos); // nothing user-typed unescaped
    const auto villages = json::parse(read_file(out.path() / "villages.geojson"));
    CHECK(villages.at("features").at(1).at("properties").at("verdict_VTL") == "contradicted");
}

TEST_CASE("check: a faulty drive-test file is refused with its row and field") {
    const auto r = run_deadzone({"check", "--campaign", measure, "--measurements",
                                 std::string{DEADZONE_TEST_DATA} + "/bad/measurements_level_too_high.csv"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("row 3") != std::string::npos);
    CHECK(r.err.find("rsrp_dbm") != std::string::npos);
    CHECK(r.err.find("outside what a receiver reports") != std::string::npos);
}

// The bundled sample's synthetic drive tests (geodata/measurements, tools/gen_measurements.cpp):
// geodata/campaign_measured.json (the sample with them) keeps evidence `prediction` (headline 537 of 628); the same campaign under `both`
// drops the 75 contradicted commitments.
TEST_CASE("analyze: the sample's drive tests under evidence `prediction` and `both`") {
    const std::string geodata = std::string{DEADZONE_SOURCE_DIR} + "/geodata";
    auto campaign = json::parse(read_file(geodata + "/campaign_measured.json"));
    REQUIRE(campaign.contains("measurements"));
    for (const char* key : {"villages", "commitments"}) {
        campaign[key] = geodata + "/" + campaign[key].get<std::string>();
    }
    for (auto& file : campaign["stations"]) {
        file = geodata + "/" + file.get<std::string>();
    }
    for (auto& file : campaign["measurements"]) {
        file = geodata + "/" + file.get<std::string>();
    }
    struct Case {
        const char* evidence;
        const char* headline;
        int covered, covered_late, overdue, pending;
    };
    for (const Case& c : {Case{"prediction", "As of 30 July 2022: 537 of 628 villages covered", 487, 50, 14, 77},
                          Case{"both", "As of 30 July 2022: 462 of 628 villages covered", 418, 44, 50, 116}}) {
        CAPTURE(c.evidence);
        TempDir dir;
        campaign["coverage_rule"]["evidence"] = c.evidence;
        {
            std::ofstream out(dir.path() / "campaign.json");
            out << campaign.dump(2);
        }
        const auto r = run_deadzone({"analyze", (dir.path() / "campaign.json").string(), "--as-of", "2022-07-30", "--out",
                                     (dir.path() / "out").string(), "--quiet"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.rfind(c.headline, 0) == 0);
        const auto progress = json::parse(read_file(dir.path() / "out" / "progress.json"));
        CHECK(progress.at("overall").at("covered") == c.covered);
        CHECK(progress.at("overall").at("covered_late") == c.covered_late);
        CHECK(progress.at("overall").at("overdue") == c.overdue);
        CHECK(progress.at("overall").at("pending") == c.pending);
        const auto& m = progress.at("measurements");
        CHECK(m.at("samples").at("read") == 6856);
        CHECK(m.at("verdicts").at("confirmed") == 136);
        CHECK(m.at("verdicts").at("contradicted") == 75);
        CHECK(m.at("reliability").at("operators").at(0).at("share") == 0.9026);
    }
}
