// "Why it is late" end to end on the bundled sample: the figures its seeded delay data gives as of
// the second milestone, and the provincial to-do files of --todo (docs/reports.md).
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <sstream>

using namespace deadzone::test;
using json = nlohmann::json;

TEST_CASE("delays: the sample as of 2022-07-30 — at risk per operator, causes, to-do files") {
    const std::string campaign = std::string{DEADZONE_SOURCE_DIR} + "/geodata/campaign_flat.json";
    TempDir out;
    const auto dir = out.path() / "out";
    const auto r = run_deadzone({"analyze", "--campaign", campaign, "--as-of", "2022-07-30", "--out", dir.string(), "--todo", "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto progress = json::parse(read_file(dir / "progress.json"));

    // Pending commitments whose operators' revised dates fall after 30 July.
    CHECK(progress.at("at_risk").size() == 61);
    std::map<std::string, int> at_risk;
    for (const auto& op : progress.at("operators")) {
        at_risk[op.at("operator").get<std::string>()] = op.at("at_risk").get<int>();
    }
    CHECK(at_risk == std::map<std::string, int>{{"VTL", 11}, {"VNP", 13}, {"MBF", 37}});
    // Every at-risk row says by how much, and it is after the deadline.
    for (const auto& row : progress.at("at_risk")) {
        CHECK(row.at("status") == "pending");
        CHECK(row.at("expected_delay_days").get<int>() > 0);
        CHECK(row.at("expected_covered_on").get<std::string>() > row.at("deadline").get<std::string>());
    }
    // 19 open commitments have no revised date: the operators' completion is unknown.
    const auto& overall = progress.at("forecast").at("overall");
    CHECK(overall.at("without_expected_date") == 19);
    CHECK(overall.at("operators_completion").is_null());

    // To-do lists: only what a department can act on, in 12 provinces, one CSV each.
    const std::set<std::string> actionable{"power", "permit", "pole_fee", "access"};
    std::size_t provinces_with_todo = 0;
    std::size_t rows = 0;
    for (const auto& province : progress.at("provinces")) {
        const auto& todo = province.at("todo");
        if (todo.empty()) {
            continue;
        }
        ++provinces_with_todo;
        int previous_days = 1 << 30;
        for (const auto& item : todo) {
            CHECK(actionable.count(item.at("reason").get<std::string>()) == 1);
            CHECK(item.at("days").get<int>() <= previous_days); // most days first
            previous_days = item.at("days").get<int>();
            ++rows;
        }
    }
    CHECK(provinces_with_todo == 12);
    CHECK(rows == 95);
    std::size_t files = 0;
    std::size_t csv_rows = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const auto name = entry.path().filename().string();
        if (name.rfind("todo_", 0) != 0) {
            continue;
        }
        ++files;
        std::istringstream lines(read_file(entry.path()));
        std::string line;
        std::getline(lines, line);
        CHECK(line.rfind("province,district,commune,village_id,village,operator,reason,state,days", 0) == 0);
        while (std::getline(lines, line)) {
            ++csv_rows;
        }
    }
    CHECK(files == 12);
    CHECK(csv_rows == rows);
    CHECK(std::filesystem::exists(dir / "todo_11_lao_cai.csv"));

    // The reports say it too.
    const auto html = read_file(dir / "report.html");
    CHECK(html.find("<section id=\"why-late\">") != std::string::npos);
    CHECK(html.find("<h2>To-do for the provincial departments</h2>") != std::string::npos);
    CHECK(read_file(dir / "report.md").find("## Why it is late") != std::string::npos);
}
