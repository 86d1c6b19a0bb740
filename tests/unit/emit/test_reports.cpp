// progress.json, progress.csv, report.md and report.html for the tiny campaign of
// tests/unit/track/tiny_campaign.hpp, whose figures are worked out in test_track.cpp.
#include "../track/tiny_campaign.hpp"

#include <deadzone/emit/reports.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using deadzone::testing::day;
using deadzone::testing::TinyCampaign;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("deadzone_test_reports_" + name);
    fs::remove_all(dir);
    return dir;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator)) {
        parts.push_back(part);
    }
    if (!text.empty() && text.back() == separator) {
        parts.emplace_back();
    }
    return parts;
}

/// progress.csv rows by "group_type/group" (no field of the tiny campaign needs quoting).
std::map<std::string, std::map<std::string, std::string>> read_csv(const std::string& text) {
    std::vector<std::string> lines;
    for (auto line : split(text, '\n')) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    const auto header = split(lines.at(0), ',');
    std::map<std::string, std::map<std::string, std::string>> rows;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const auto fields = split(lines[i], ',');
        REQUIRE(fields.size() == header.size());
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < header.size(); ++c) {
            row[header[c]] = fields[c];
        }
        rows[fields[0] + "/" + fields[1]] = row;
    }
    return rows;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
        ++n;
    }
    return n;
}

} // namespace

TEST_CASE("headline") {
    const TinyCampaign tiny;
    // Villages with commitments: v1..v5. Covered = every commitment covered at D.
    // 06-30: v1 (c0) and v3 (c2, c5) -> 2 of 5; the 50 % milestone falls on D, met (3/6).
    CHECK(deadzone::emit::headline(tiny.analysis_at(day("2022-06-30"))) ==
          "As of 30 June 2022: 2 of 5 villages covered (40.0 %) — 50 % milestone met");
    // 07-01: same villages; the latest judged milestone is dated.
    CHECK(deadzone::emit::headline(tiny.analysis_at(day("2022-07-01"))) ==
          "As of 1 July 2022: 2 of 5 villages covered (40.0 %) — 50 % milestone of 30 June 2022 "
          "met");
    // 07-30: v1 and v2 (late); v3 no longer (c2 off air); 100 % milestone missed (3/6).
    CHECK(deadzone::emit::headline(tiny.analysis_at(day("2022-07-30"))) ==
          "As of 30 July 2022: 2 of 5 villages covered (40.0 %) — 100 % milestone missed");
    CHECK(deadzone::emit::headline(tiny.analysis_at(day("2022-05-20"))) ==
          "As of 20 May 2022: 0 of 5 villages covered (0.0 %) — next milestone: 50 % by 30 June "
          "2022");
}

TEST_CASE("progress.json carries the contract keys and the hand-computed figures") {
    const TinyCampaign tiny;
    const auto doc = deadzone::emit::progress_json(tiny.analysis_at(day("2022-07-30")));
    CHECK(doc.at("as_of") == "2022-07-30");
    const auto& overall = doc.at("overall");
    CHECK(overall.at("covered") == 2);
    CHECK(overall.at("covered_late") == 1);
    CHECK(overall.at("overdue") == 1);
    CHECK(overall.at("pending") == 2);
    CHECK(overall.at("total") == 6);
    CHECK(overall.at("fraction") == 0.5);
    REQUIRE(doc.at("operators").size() == 2);
    const auto& a = doc.at("operators")[0];
    CHECK(a.at("operator") == "A");
    CHECK(a.at("covered") == 1);
    CHECK(a.at("covered_late") == 1);
    CHECK(a.at("pending") == 1);
    CHECK(a.at("fraction") == 0.6667);
    const auto& milestones = a.at("milestones");
    REQUIRE(milestones.size() == 2);
    CHECK(milestones[0].at("date") == "2022-06-30");
    CHECK(milestones[0].at("target") == 0.5);
    CHECK(milestones[0].at("achieved") == 0.6667);
    CHECK(milestones[0].at("met") == true);
    CHECK(milestones[1].at("date") == "2022-07-30");
    CHECK(milestones[1].at("met") == false);
    // Key order is fixed.
    std::vector<std::string> keys;
    for (const auto& [key, value] : a.items()) {
        keys.push_back(key);
    }
    CHECK(keys == std::vector<std::string>{"operator", "name", "covered", "covered_late", "overdue",
                                           "pending", "total", "fraction", "milestones"});
    for (const char* key : {"campaign", "provinces", "timeline", "forecast", "overdue",
                            "cannot_be_met", "coverage_rule", "villages", "headline"}) {
        CHECK_MESSAGE(doc.contains(key), key);
    }
    CHECK(doc.at("provinces")[0].at("province") == "Điện Biên");
    REQUIRE(doc.at("overdue").size() == 1);
    CHECK(doc.at("overdue")[0].at("village_id") == "v4");
    CHECK(doc.at("overdue")[0].at("days_late") == 30);
    REQUIRE(doc.at("cannot_be_met").size() == 1);
    CHECK(doc.at("cannot_be_met")[0].at("village_id") == "v5");
    CHECK(doc.at("cannot_be_met")[0].at("potential_coverage") == 0.0);
    CHECK(doc.at("timeline").at("points").size() == 60);
    CHECK(doc.at("timeline").at("points")[39] ==
          nlohmann::ordered_json{{"date", "2022-07-10"}, {"all", 3}, {"A", 2}, {"B", 1}});
    CHECK(doc.at("forecast").at("label").get<std::string>().find("FORECAST") == 0);
    CHECK(doc.at("forecast").at("overall").at("note") == "no recent progress");
    CHECK(doc.at("forecast").at("overall").at("completion").is_null());
}

TEST_CASE("progress.json: upcoming milestone has met null and a forecast") {
    const TinyCampaign tiny;
    const auto doc = deadzone::emit::progress_json(tiny.analysis_at(day("2022-06-30")));
    const auto& b = doc.at("operators")[1];
    CHECK(b.at("milestones")[0].at("met") == false);
    CHECK(b.at("milestones")[1].at("met").is_null());
    CHECK(b.at("milestones")[1].at("upcoming") == true);
    // (1 + 30/29) / 3 = 0.678161 -> 0.6782
    CHECK(b.at("milestones")[1].at("forecast_achieved") == 0.6782);
    CHECK(doc.at("forecast").at("operators")[1].at("completion") == "2022-08-27");
    CHECK(doc.at("overdue").empty());
}

TEST_CASE("overdue list: most days late first, ties by province in Vietnamese order") {
    const TinyCampaign tiny;
    const auto doc = deadzone::emit::progress_json(tiny.analysis_at(day("2022-08-15")));
    const auto& overdue = doc.at("overdue");
    REQUIRE(overdue.size() == 3);
    CHECK(overdue[0].at("village_id") == "v4"); // 46 days
    CHECK(overdue[0].at("days_late") == 46);
    CHECK(overdue[1].at("village_id") == "v5"); // 16 days, Điện Biên
    CHECK(overdue[2].at("village_id") == "v3"); // 16 days, Hà Giang
}

TEST_CASE("the four reports agree and are deterministic") {
    const TinyCampaign tiny;
    const auto analysis = tiny.analysis_at(day("2022-07-30"));
    const fs::path first = fresh_dir("a");
    const fs::path second = fresh_dir("b");
    deadzone::emit::write_reports(analysis, first);
    deadzone::emit::write_reports(analysis, second);
    for (const char* name : {"progress.json", "progress.csv", "report.md", "report.html"}) {
        const std::string a = read(first / name);
        CHECK_MESSAGE(!a.empty(), name);
        CHECK_MESSAGE(a == read(second / name), name);
    }

    const auto doc = nlohmann::json::parse(read(first / "progress.json"));
    const auto csv = read_csv(read(first / "progress.csv"));
    const std::string md = read(first / "report.md");
    const std::string html = read(first / "report.html");

    // CSV rows: overall, 2 operators, 3 provinces, each equal to the JSON group.
    REQUIRE(csv.size() == 6);
    const auto same = [&](const std::map<std::string, std::string>& row,
                          const nlohmann::json& group) {
        for (const char* key : {"covered", "covered_late", "overdue", "pending", "total"}) {
            CHECK_MESSAGE(row.at(key) == std::to_string(group.at(key).get<int>()), key);
        }
        CHECK(std::stod(row.at("fraction")) == group.at("fraction").get<double>());
        const auto& ms = group.at("milestones");
        CHECK(std::stod(row.at("achieved_2022-06-30")) == ms[0].at("achieved").get<double>());
        CHECK(row.at("met_2022-06-30") == (ms[0].at("met").get<bool>() ? "met" : "missed"));
        CHECK(std::stod(row.at("achieved_2022-07-30")) == ms[1].at("achieved").get<double>());
    };
    same(csv.at("overall/all"), doc.at("overall"));
    same(csv.at("operator/A"), doc.at("operators")[0]);
    same(csv.at("operator/B"), doc.at("operators")[1]);
    for (const auto& province : doc.at("provinces")) {
        same(csv.at("province/" + province.at("province").get<std::string>()), province);
    }
    CHECK(csv.at("overall/all").at("met_2022-07-30") == "missed");
    CHECK(csv.at("operator/B").at("name") == "Operator <B> & Co");
    CHECK(csv.at("overall/all").at("forecast_completion") == "no recent progress");

    // Markdown: the same counts and shares (fraction 0.6667 shown as 66.67 %).
    CHECK(md.find(doc.at("headline").get<std::string>()) != std::string::npos);
    CHECK(md.find("| Operator Á (A) | 3 | 1 | 1 | 0 | 1 | 66.67 % | 66.67 % — **met** | "
                  "66.67 % — **missed** |") != std::string::npos);
    CHECK(md.find("| Operator \\<B\\> & Co (B) | 3 | 1 | 0 | 1 | 1 | 33.33 % |") !=
          std::string::npos);
    CHECK(md.find("| **All operators** | 6 | 2 | 1 | 1 | 2 | 50.00 % |") != std::string::npos);
    CHECK(md.find("| Bản Bốn (v4) | Hà Giang | B | 2022-06-30 | 30.00 % | 30 |") !=
          std::string::npos);
    CHECK(md.find("## Forecast (not a measurement)") != std::string::npos);

    // HTML: self-contained, charts and map, text escaped.
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("http") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(count(html, "<svg class=\"chart\"") == 3); // all operators + A + B
    CHECK(count(html, "<svg class=\"map\"") == 1);
    CHECK(html.find("<title>Vietnam</title>") != std::string::npos);
    CHECK(count(html, "<circle cx=") >= 5 + 2 * 3);  // five villages + milestone markers
    CHECK(html.find(doc.at("headline").get<std::string>()) != std::string::npos);
    CHECK(html.find("Operator &lt;B&gt; &amp; Co") != std::string::npos);
    CHECK(html.find("Operator <B>") == std::string::npos);
    CHECK(html.find("Bản Hai &quot;&amp; &lt;Hai&gt;&quot;") != std::string::npos);
    CHECK(html.find("Forecast (not a measurement)") != std::string::npos);
    CHECK(html.find("@media print") != std::string::npos);
    CHECK(html.find("<td class=\"n\">30</td>") != std::string::npos); // v4 30 days late
}

TEST_CASE("reports with no commitments") {
    TinyCampaign tiny;
    tiny.commitments.clear();
    const auto analysis = tiny.analysis_at(day("2022-06-30"));
    CHECK(deadzone::emit::headline(analysis) == "As of 30 June 2022: no villages have commitments");
    const fs::path dir = fresh_dir("empty");
    deadzone::emit::write_reports(analysis, dir);
    const auto doc = nlohmann::json::parse(read(dir / "progress.json"));
    CHECK(doc.at("overall").at("total") == 0);
    CHECK(doc.at("overall").at("milestones")[0].at("met").is_null());
    CHECK(read(dir / "report.html").find("no commitments") != std::string::npos);
}
