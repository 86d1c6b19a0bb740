// deadzone analyze end to end on a five-village campaign whose every status was worked out by
// hand (tests/data/tiny): cells are fixed-radius discs (range_m 3 km) centred on 1 km villages,
// so a cell in service covers its village fully and coverage changes only on the cells' dates.
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <string>

using deadzone::test::read_file;
using deadzone::test::run_deadzone;
using deadzone::test::TempDir;
using nlohmann::json;

namespace {

const std::string tiny = std::string{DEADZONE_TEST_DATA} + "/tiny";

struct Expected {
    std::string status;
    json covered_on; // string or null
    json days_late;  // int or null
};

// key "V1/VTL"
std::map<std::string, Expected> statuses(const std::filesystem::path& out) {
    const auto doc = json::parse(read_file(out / "commitments.geojson"));
    std::map<std::string, Expected> result;
    for (const auto& feature : doc.at("features")) {
        const auto& p = feature.at("properties");
        result[p.at("village_id").get<std::string>() + "/" + p.at("operator").get<std::string>()] =
            Expected{p.at("status").get<std::string>(), p.at("covered_on"), p.at("days_late")};
    }
    return result;
}

void check(const std::map<std::string, Expected>& actual, const std::string& key,
           const std::string& status, json covered_on, json days_late) {
    CAPTURE(key);
    REQUIRE(actual.count(key) == 1);
    const auto& a = actual.at(key);
    CHECK(a.status == status);
    CHECK(a.covered_on == covered_on);
    CHECK(a.days_late == days_late);
}

const json& operator_entry(const json& progress, const std::string& code) {
    for (const auto& op : progress.at("operators")) {
        if (op.at("operator") == code) {
            return op;
        }
    }
    FAIL("no operator " << code);
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("analyze: statuses and milestones as of 2022-06-30") {
    TempDir out;
    const auto r = run_deadzone({"analyze", tiny, "--as-of", "2022-06-30", "--out", out.path().string(), "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto s = statuses(out.path());
    CHECK(s.size() == 6);
    check(s, "V1/VTL", "covered", "2022-06-15", nullptr);
    check(s, "V2/VTL", "pending", nullptr, nullptr);
    check(s, "V3/MBF", "pending", nullptr, nullptr);
    check(s, "V4/MBF", "pending", nullptr, nullptr); // D == deadline: not yet overdue
    check(s, "V5/VTL", "covered", "2022-06-20", nullptr);
    check(s, "V5/MBF", "pending", nullptr, nullptr);

    const auto progress = json::parse(read_file(out.path() / "progress.json"));
    CHECK(progress.at("as_of") == "2022-06-30");
    const auto& vtl = operator_entry(progress, "VTL");
    CHECK(vtl.at("covered") == 2);
    CHECK(vtl.at("pending") == 1);
    CHECK(vtl.at("milestones").at(0).at("achieved").get<double>() == doctest::Approx(2.0 / 3.0).epsilon(1e-3));
    CHECK(vtl.at("milestones").at(0).at("met") == true);
    CHECK(vtl.at("milestones").at(1).at("met").is_null());
    const auto& mbf = operator_entry(progress, "MBF");
    CHECK(mbf.at("pending") == 3);
    CHECK(mbf.at("milestones").at(0).at("achieved").get<double>() == 0.0);
    CHECK(mbf.at("milestones").at(0).at("met") == false);
}

TEST_CASE("analyze: late coverage and overdue commitments as of 2022-07-15") {
    TempDir out;
    const auto r = run_deadzone({"analyze", "--campaign", tiny + "/campaign.json", "--as-of", "2022-07-15", "--out", out.path().string(), "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto s = statuses(out.path());
    check(s, "V1/VTL", "covered", "2022-06-15", nullptr);
    check(s, "V2/VTL", "covered_late", "2022-07-10", 10);
    check(s, "V3/MBF", "pending", nullptr, nullptr);
    check(s, "V4/MBF", "overdue", nullptr, 15);
    check(s, "V5/VTL", "covered", "2022-06-20", nullptr);
    check(s, "V5/MBF", "covered", "2022-07-05", nullptr);
}

TEST_CASE("analyze: a cell going off air uncovers its village (as of 2022-08-05)") {
    TempDir out;
    const auto r = run_deadzone({"analyze", tiny, "--as-of", "2022-08-05", "--out", out.path().string(), "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto s = statuses(out.path());
    check(s, "V1/VTL", "covered", "2022-06-15", nullptr);
    check(s, "V2/VTL", "covered_late", "2022-07-10", 10);
    check(s, "V3/MBF", "overdue", nullptr, 6);
    check(s, "V4/MBF", "overdue", nullptr, 36);
    check(s, "V5/VTL", "overdue", nullptr, 6); // off air from 2022-07-20
    check(s, "V5/MBF", "covered", "2022-07-05", nullptr);

    const auto progress = json::parse(read_file(out.path() / "progress.json"));
    const auto& overall = progress.at("overall");
    CHECK(overall.at("covered") == 2);
    CHECK(overall.at("covered_late") == 1);
    CHECK(overall.at("overdue") == 3);
    CHECK(overall.at("pending") == 0);
    // Milestone 2022-07-30: V1, V2 (VTL) and V5 (MBF) covered that day → 3 of 6.
    CHECK(overall.at("milestones").at(1).at("achieved").get<double>() == doctest::Approx(0.5).epsilon(1e-3));
    CHECK(overall.at("milestones").at(1).at("met") == false);
    CHECK(operator_entry(progress, "VTL").at("milestones").at(1).at("achieved").get<double>() == doctest::Approx(2.0 / 3.0).epsilon(1e-3));
    CHECK(operator_entry(progress, "MBF").at("milestones").at(1).at("achieved").get<double>() == doctest::Approx(1.0 / 3.0).epsilon(1e-3));
}

TEST_CASE("analyze: re-runs are byte-identical, and a rejected input leaves earlier outputs alone") {
    TempDir a;
    TempDir b;
    REQUIRE(run_deadzone({"analyze", tiny, "--as-of", "2022-07-15", "--out", a.path().string(), "--quiet"}).exit_code == 0);
    REQUIRE(run_deadzone({"analyze", tiny, "--as-of", "2022-07-15", "--out", b.path().string(), "--quiet"}).exit_code == 0);
    int compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(a.path())) {
        CAPTURE(entry.path().filename().string());
        CHECK(read_file(entry.path()) == read_file(b.path() / entry.path().filename()));
        ++compared;
    }
    CHECK(compared >= 10);

    const auto before = read_file(a.path() / "progress.json");
    const auto bad = std::string{DEADZONE_TEST_DATA} + "/tiny/commitments.csv";
    TempDir scratch;
    const auto bad_commitments = scratch.path() / "commitments.csv";
    {
        std::ofstream f{bad_commitments};
        f << "village_id,operator,deadline\nV1,VTL,2022-06-31\n";
    }
    const auto r = run_deadzone({"analyze", tiny, "--commitments", bad_commitments.string(), "--as-of", "2022-07-15", "--out", a.path().string()});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("deadline") != std::string::npos);
    CHECK(read_file(a.path() / "progress.json") == before);
}

TEST_CASE("analyze: usage errors exit 2") {
    CHECK(run_deadzone({"analyze", tiny, "--out", "/tmp/x"}).exit_code == 2);                 // no --as-of
    CHECK(run_deadzone({"analyze", tiny, "--as-of", "2022-13-01", "--out", "/tmp/x"}).exit_code == 2);
    CHECK(run_deadzone({"analyze", "--as-of", "2022-07-01", "--out", "/tmp/x"}).exit_code == 2); // no campaign
    // A real calendar day outside the supported years says so, rather than "not a date".
    const auto far = run_deadzone({"analyze", tiny, "--as-of", "9999-12-31", "--out", "/tmp/x"});
    CHECK(far.exit_code == 2);
    CHECK(far.err.find("outside the years 1990-2100") != std::string::npos);
}

TEST_CASE("analyze: the bundled 2022 campaign's headline figures, terrain-blind (campaign_flat.json)") {
    // The default sample (campaign.json) has terrain: tests/cli/test_sample_terrain.cpp.
    const std::string campaign = std::string{DEADZONE_SOURCE_DIR} + "/geodata/campaign_flat.json";
    struct Day {
        const char* as_of;
        const char* headline;
        int covered, covered_late, overdue, pending;
        std::map<std::string, std::pair<int, bool>> operators; // covered + covered_late, first milestone met
    };
    const Day days[] = {
        {"2022-06-30", "As of 30 June 2022: 270 of 628 villages covered (43.0 %) — 40 % milestone met",
         270, 0, 0, 358, {{"VTL", {165, true}}, {"VNP", {82, true}}, {"MBF", {23, false}}}},
        {"2022-07-30", "As of 30 July 2022: 537 of 628 villages covered (85.5 %) — 100 % milestone missed",
         487, 50, 14, 77, {{"VTL", {293, true}}, {"VNP", {169, true}}, {"MBF", {75, false}}}},
    };
    for (const auto& day : days) {
        CAPTURE(day.as_of);
        TempDir out;
        const auto r = run_deadzone({"analyze", "--campaign", campaign, "--as-of", day.as_of, "--out", out.path().string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.rfind(std::string{day.headline} + "\n", 0) == 0);
        const auto progress = json::parse(read_file(out.path() / "progress.json"));
        const auto& overall = progress.at("overall");
        CHECK(overall.at("total") == 628);
        CHECK(overall.at("covered") == day.covered);
        CHECK(overall.at("covered_late") == day.covered_late);
        CHECK(overall.at("overdue") == day.overdue);
        CHECK(overall.at("pending") == day.pending);
        for (const auto& [code, expected] : day.operators) {
            CAPTURE(code);
            const auto& op = operator_entry(progress, code);
            CHECK(op.at("covered").get<int>() + op.at("covered_late").get<int>() == expected.first);
            CHECK(op.at("milestones").at(0).at("met") == expected.second);
        }
    }
}
