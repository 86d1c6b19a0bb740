// The bundled sample as a newcomer runs it (`deadzone analyze geodata`): with terrain, Hata +
// knife-edge diffraction over the committed synthetic DEM. Its headline and status counts at
// both milestones (the terrain-blind figures are in test_analyze.cpp), which model the report
// names, the footprints layer (one per cell, with holes and islands, none cut back to the star),
// and the same bytes at 1 and 2 threads. About a minute of CPU: CTest label `slow`.
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

using namespace deadzone::test;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string geodata = std::string{DEADZONE_SOURCE_DIR} + "/geodata";

std::map<std::string, std::string> folder(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file()) files[entry.path().filename().string()] = read_file(entry.path());
    }
    return files;
}

} // namespace

TEST_CASE("sample with terrain: headline, statuses, model, footprints and the same bytes at 1 and 2 threads") {
    struct Day {
        const char* as_of;
        const char* headline;
        int covered, covered_late, overdue, pending, at_risk;
        std::map<std::string, int> operators; // covered + covered_late
    };
    // Terrain-blind the same days give 270 and 537 of 628 (test_analyze.cpp): ridges hide valley
    // villages from sites placed for a flat-earth plan (geodata/README.md, "Terrain").
    const Day days[] = {
        {"2022-06-30", "As of 30 June 2022: 170 of 628 villages covered (27.1 %) — 40 % milestone missed",
         170, 0, 0, 458, 79, {{"VTL", 105}, {"VNP", 51}, {"MBF", 14}}},
        {"2022-07-30", "As of 30 July 2022: 347 of 628 villages covered (55.3 %) — 100 % milestone missed",
         314, 33, 104, 177, 40, {{"VTL", 186}, {"VNP", 112}, {"MBF", 49}}},
    };
    TempDir out;
    for (const auto& day : days) {
        CAPTURE(day.as_of);
        const auto dir = out.path() / day.as_of;
        const auto r = run_deadzone({"analyze", geodata, "--as-of", day.as_of, "--out", dir.string(), "--threads", "2"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.rfind(std::string{day.headline} + "\n", 0) == 0);
        CHECK(r.err.find("footprint_star_only") == std::string::npos);
        CHECK(r.err.find("kept only the ground lit") == std::string::npos);
        const auto progress = json::parse(read_file(dir / "progress.json"));
        const auto& overall = progress.at("overall");
        CHECK(overall.at("total") == 628);
        CHECK(overall.at("covered") == day.covered);
        CHECK(overall.at("covered_late") == day.covered_late);
        CHECK(overall.at("overdue") == day.overdue);
        CHECK(overall.at("pending") == day.pending);
        CHECK(progress.at("at_risk").size() == static_cast<std::size_t>(day.at_risk));
        std::map<std::string, int> operators;
        for (const auto& op : progress.at("operators")) {
            operators[op.at("operator").get<std::string>()] = op.at("covered").get<int>() + op.at("covered_late").get<int>();
            CHECK(op.at("milestones").at(0).at("met") == false);
        }
        CHECK(operators == day.operators);
        // The report says which model produced the verdicts.
        const auto html = read_file(dir / "report.html");
        CHECK(html.find("hata+diffraction") != std::string::npos);
        CHECK(html.find("dem.tif") != std::string::npos);
    }

    const auto dir = out.path() / "2022-07-30";
    const auto footprints = json::parse(read_file(dir / "footprints.geojson")).at("features");
    CHECK(footprints.size() == 2234);
    int with_islands = 0;
    int with_holes = 0;
    for (const auto& f : footprints) {
        CHECK(f.at("properties").at("model") == "hata+diffraction");
        with_islands += f.at("properties").at("parts").get<int>() > 1;
        with_holes += f.at("properties").at("holes").get<int>() > 0;
    }
    CHECK(with_islands == 114);
    CHECK(with_holes == 85);
    const auto villages = json::parse(read_file(dir / "villages.geojson")).at("features");
    for (const auto& v : villages) CHECK(v.at("properties").contains("los_fraction"));

    // One thread writes the same bytes as two.
    const auto single = out.path() / "2022-07-30-1";
    const auto r = run_deadzone({"analyze", geodata, "--as-of", "2022-07-30", "--out", single.string(), "--threads", "1", "--quiet"});
    REQUIRE(r.exit_code == 0);
    const auto two = folder(dir);
    const auto one = folder(single);
    CHECK(two.size() >= 15);
    for (const auto& [name, bytes] : two) {
        CAPTURE(name);
        REQUIRE(one.count(name) == 1);
        CHECK(bytes == one.at(name));
    }
}
