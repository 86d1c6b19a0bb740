// report.html's map at national scale (src/emit/report_map.cpp): above 5 000 villages the page
// counts villages into hexagons instead of drawing a circle each, stays small, and its counts
// add up to the campaign's totals.
#include "../track/tiny_campaign.hpp"

#include <deadzone/core/source.hpp>
#include <deadzone/emit/palette.hpp>
#include <deadzone/emit/reports.hpp>

#include <doctest/doctest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

using deadzone::testing::day;
namespace fs = std::filesystem;
using namespace deadzone;

namespace {

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
        ++n;
    }
    return n;
}

/// Expected village counts, worked out per village while the campaign is built.
struct Expected {
    std::array<int, 4> by_status{}; // covered, covered late, pending, overdue
    int uncommitted = 0;
    int cannot = 0;
};

/// `n` villages on a 0.02° grid over northern Vietnam, one commitment of operator A each except
/// every tenth village. Village i, as of 2022-07-30:
///   i % 4 == 0  covered since 06-10, deadline 06-30        → covered
///   i % 4 == 1  covered since 07-05, deadline 06-30        → covered late
///   i % 4 == 2  never covered, deadline 08-30              → pending
///   i % 4 == 3  never covered, deadline 06-30              → overdue
/// and, when never covered and i % 3 == 0, a potential coverage of 0.5 < 0.9: cannot be met.
Analysis national_analysis(int n, Expected& expected) {
    Analysis analysis;
    analysis.campaign.name = "Many villages";
    analysis.campaign.start_date = day("2022-06-01");
    analysis.campaign.operators = {{"A", "Operator A", {"452-90"}, "#d7191c"}};
    analysis.campaign.milestones = {{day("2022-07-30"), 1.0}};
    analysis.campaign.coverage_rule.min_fraction = 0.9;
    analysis.as_of = day("2022-07-30");
    analysis.overlay.as_of = analysis.as_of;
    analysis.overlay.villages.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        Village v;
        v.id = "V" + std::to_string(i);
        v.name = "Village " + std::to_string(i);
        v.province = i % 2 == 0 ? "Lào Cai" : "Hà Giang";
        const double lon = 103.5 + 0.02 * (i % 150);
        const double lat = 21.0 + 0.02 * (i / 150);
        v.point = geo::Point{lon, lat};
        geo::Polygon square;
        const double h = 0.004;
        square.outer() = {{lon - h, lat - h}, {lon + h, lat - h}, {lon + h, lat + h}, {lon - h, lat + h}, {lon - h, lat - h}};
        v.geometry.push_back(square);
        analysis.villages.push_back(v);
        if (i % 10 == 9) {
            ++expected.uncommitted;
            continue;
        }
        Commitment c;
        c.village_id = v.id;
        c.operator_code = "A";
        c.deadline = day(i % 4 == 2 ? "2022-08-30" : "2022-06-30");
        c.source = source_location("commitments.csv:" + std::to_string(i + 2));
        analysis.commitments.push_back(c);

        overlay::OperatorCoverage entry;
        entry.operator_code = "A";
        entry.potential_fraction = 0.95;
        entry.fraction = 0.1;
        if (i % 4 == 0 || i % 4 == 1) {
            entry.covered_periods = {{day(i % 4 == 0 ? "2022-06-10" : "2022-07-05"), std::nullopt}};
            entry.fraction = 0.95;
        } else if (i % 3 == 0) {
            entry.potential_fraction = 0.5;
            ++expected.cannot;
        }
        ++expected.by_status[static_cast<std::size_t>(i % 4)];
        analysis.overlay.villages[static_cast<std::size_t>(i)].operators.push_back(entry);
    }
    analysis.tracking = track::run_track(analysis.campaign, analysis.villages, analysis.commitments, analysis.overlay,
                                         analysis.as_of);
    return analysis;
}

/// The integer after `key="` at `pos`.
long attribute(const std::string& text, std::size_t pos, const std::string& key) {
    const auto at = text.find(key + "=\"", pos);
    REQUIRE(at != std::string::npos);
    return std::stol(text.substr(at + key.size() + 2));
}

} // namespace

TEST_CASE("the statuses of the test campaign are the intended ones") {
    Expected expected;
    const auto analysis = national_analysis(40, expected);
    using track::Status;
    REQUIRE(analysis.tracking.commitments.size() == 36);
    // Commitment k belongs to village k + k / 9 (every tenth village has none).
    for (std::size_t k = 0; k < analysis.tracking.commitments.size(); ++k) {
        const int village = static_cast<int>(k + k / 9);
        const Status want[] = {Status::covered, Status::covered_late, Status::pending, Status::overdue};
        CHECK_MESSAGE(analysis.tracking.commitments[k].status == want[village % 4], village);
        CHECK_MESSAGE(analysis.tracking.commitments[k].cannot_be_met == (village % 4 >= 2 && village % 3 == 0), village);
    }
}

TEST_CASE("report.html aggregates 12 000 villages into hexagons whose counts add up") {
    Expected expected;
    const auto analysis = national_analysis(12000, expected);
    const fs::path dir = fs::temp_directory_path() / "deadzone_test_report_map";
    fs::remove_all(dir);
    emit::write_reports(analysis, dir);
    const std::string html = read(dir / "report.html");
    const auto size = fs::file_size(dir / "report.html");
    MESSAGE("report.html of 12 000 villages: " << size << " bytes");
    CHECK(size < 2'000'000);
    CHECK(count(html, "<svg class=\"map\"") == 1);
    CHECK(count(html, "<circle cx=") < 10); // milestone markers only, no village circles

    const auto map = html.find("<svg class=\"map\"");
    REQUIRE(map != std::string::npos);
    const auto map_bytes = html.find("</svg>", map) - map;
    MESSAGE("its map: " << map_bytes << " bytes");
    // At most some 4 600 hexagons fit the 860 x 900 frame (these villages fill all of it); the
    // rest of the page is the overdue and cannot-be-met lists.
    CHECK(map_bytes < 1'000'000);
    CHECK(attribute(html, map, "data-villages") == 12000);
    long villages = 0;
    std::array<long, 6> sums{};
    std::size_t hexagons = 0;
    std::string fills;
    const std::string marker = "\" data-villages=\"";
    // From the end of the <svg> tag, which carries the total in its own data-villages.
    for (auto pos = html.find(marker, html.find('>', map)); pos != std::string::npos; pos = html.find(marker, pos + 1)) {
        ++hexagons;
        villages += attribute(html, pos + 1, "data-villages");
        const auto counts = html.find("data-counts=\"", pos) + 13;
        std::istringstream in(html.substr(counts, html.find('"', counts) - counts));
        std::string field;
        std::array<long, 6> here{};
        for (std::size_t k = 0; k < here.size(); ++k) {
            REQUIRE(std::getline(in, field, ','));
            here[k] = std::stol(field);
            sums[k] += here[k];
        }
        // Its fill is the shared palette's colour (the legend's) of its most common status, the
        // worse on a tie; "no commitment" only when it outnumbers every status.
        using track::Status;
        const std::array<std::pair<Status, long>, 4> worst_first{
            {{Status::overdue, here[3]}, {Status::pending, here[2]}, {Status::covered_late, here[1]}, {Status::covered, here[0]}}};
        std::optional<Status> shown;
        long best = here[4];
        for (const auto& [status, n] : worst_first) {
            if (n > 0 && (n > best || (n == best && !shown))) {
                best = n;
                shown = status;
            }
        }
        const auto fill = html.rfind("fill=\"", pos) + 6;
        CHECK(html.substr(fill, 7) == emit::hex(emit::status_rgb(shown)));
        fills += html.substr(fill, 7) + " ";
    }
    // Every status shows somewhere, in the legend's colours (amber for covered late, grey for pending).
    CHECK(fills.find("#f5a623") != std::string::npos);
    CHECK(fills.find("#a0a0a0") != std::string::npos);
    CHECK(hexagons > 50);
    CHECK(villages == 12000);
    CHECK(sums[0] == expected.by_status[0]);
    CHECK(sums[1] == expected.by_status[1]);
    CHECK(sums[2] == expected.by_status[2]);
    CHECK(sums[3] == expected.by_status[3]);
    CHECK(sums[4] == expected.uncommitted);
    CHECK(sums[5] == expected.cannot);
    // Hand-derived: 12 000 villages, 1 200 without a commitment; the rest by i % 4.
    CHECK(expected.uncommitted == 1200);
    CHECK(sums[0] + sums[1] + sums[2] + sums[3] == 10800);
    CHECK(html.find("12000 villages are too many to draw one by one") != std::string::npos);

    // The overdue list (2 700 here) shows the first html_list_limit rows and says where the
    // rest are; its heading still counts them all.
    const auto overdue = html.find("<section id=\"overdue\">");
    const auto cannot = html.find("<section id=\"cannot-be-met\">");
    REQUIRE(overdue != std::string::npos);
    REQUIRE(cannot != std::string::npos);
    const std::string overdue_section = html.substr(overdue, cannot - overdue);
    CHECK(overdue_section.find("Overdue commitments (" + std::to_string(expected.by_status[3]) + ")") !=
          std::string::npos);
    CHECK(count(overdue_section, "<tr><td>") == 1000);
    CHECK(overdue_section.find("The 1000 most overdue of " + std::to_string(expected.by_status[3]) +
                               " are listed here; report.md lists every one") != std::string::npos);
    const std::string markdown = read(dir / "report.md");
    const auto md_overdue = markdown.find("## Overdue commitments");
    REQUIRE(md_overdue != std::string::npos);
    const auto md_end = markdown.find("\n## ", md_overdue + 1);
    // Every overdue commitment in report.md: one table row each, after the header and its rule.
    CHECK(count(markdown.substr(md_overdue, md_end - md_overdue), "\n| ") == static_cast<std::size_t>(expected.by_status[3]) + 1);
    CHECK(expected.by_status[3] > 1000);

    fs::remove_all(dir);
}

TEST_CASE("report.html keeps one circle per village up to 5 000 villages") {
    Expected expected;
    const auto analysis = national_analysis(5000, expected);
    const fs::path dir = fs::temp_directory_path() / "deadzone_test_report_map_5000";
    fs::remove_all(dir);
    emit::write_reports(analysis, dir);
    const std::string html = read(dir / "report.html");
    CHECK(count(html, "<circle cx=") >= 5000);
    CHECK(html.find("data-counts=") == std::string::npos);
    fs::remove_all(dir);
}
