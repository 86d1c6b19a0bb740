// The translation catalogues: the same keys and placeholders in both languages, Vietnamese
// dates and numbers, Vietnamese reports (of the tiny campaign, and of the sample with its delays
// and field measurements) with no English catalogue text, Vietnamese QGIS legends and problems.
#include "../track/tiny_campaign.hpp"
#include "report_text.hpp"

#include <deadzone/emit/locale.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/geo/gdal.hpp>

#include <cpl_minixml.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

using deadzone::Language;
using deadzone::testing::day;
using deadzone::testing::TinyCampaign;
using deadzone::testing::check_no_english;
using deadzone::testing::read;
namespace emit = deadzone::emit;
namespace fs = std::filesystem;

namespace {

std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> names;
    static const std::regex pattern{R"(\{([a-z_]+)\})"};
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
        names.insert((*it)[1]);
    }
    return names;
}

} // namespace

TEST_CASE("both catalogues hold the same keys with the same placeholders") {
    const auto en = emit::catalogue_keys(Language::en);
    const auto vi = emit::catalogue_keys(Language::vi);
    CHECK(en.size() >= 80);
    CHECK(en == vi);
    for (const auto& key : en) {
        INFO(key);
        const auto english = emit::catalogue_text(key, Language::en);
        const auto vietnamese = emit::catalogue_text(key, Language::vi);
        CHECK_FALSE(vietnamese.empty());
        CHECK(placeholders(english) == placeholders(vietnamese));
        // Every message is translated: a copy of the English text would be a fallback in disguise.
        CHECK(vietnamese != english);
    }
}

TEST_CASE("tr fills named placeholders and refuses what it cannot") {
    CHECK(emit::tr("heading.overdue", Language::en, {{"count", "3"}}) == "Overdue commitments (3)");
    CHECK(emit::tr("heading.overdue", Language::vi, {{"count", "3"}}) == "Cam kết quá hạn (3)");
    CHECK_THROWS_AS(emit::tr("no.such.key", Language::vi), std::logic_error);
    CHECK_THROWS_AS(emit::tr("heading.overdue", Language::vi), std::logic_error); // {count} missing
}

TEST_CASE("Vietnamese dates and numbers") {
    CHECK(emit::format_date(day("2022-06-30"), Language::vi) == "30/6/2022");
    CHECK(emit::format_date(day("2022-01-05"), Language::vi) == "5/1/2022");
    CHECK(emit::format_date(day("2022-06-30"), Language::en) == "2022-06-30");
    CHECK(emit::format_percent(0.43, 1, Language::vi) == "43,0 %");
    CHECK(emit::format_percent(0.4299, 2, Language::en) == "42.99 %");
    CHECK(emit::format_decimal(-0.00001, 2, Language::vi) == "0,00");
}

TEST_CASE("a Vietnamese report holds no English catalogue text") {
    const TinyCampaign tiny;
    auto analysis = tiny.analysis_at(day("2022-07-01"));
    analysis.campaign.locale = Language::vi;
    CHECK(emit::headline(analysis) ==
          "Tính đến 1/7/2022: 2/5 thôn đã được phủ sóng (40,0 %) — mốc 50 % ngày 30/6/2022: đạt");
    const fs::path dir = fs::temp_directory_path() / "deadzone_test_locale_vi";
    fs::remove_all(dir);
    emit::write_reports(analysis, dir);
    const std::string md = read(dir / "report.md");
    const std::string html = read(dir / "report.html");
    CHECK(html.find("<html lang=\"vi\">") != std::string::npos);
    // The coverage model line is Vietnamese too (the model and method names stay as they are).
    CHECK(html.find("Mô hình tính vùng phủ sóng: suy hao đường truyền trung vị") != std::string::npos);
    CHECK(md.rfind("# Tiny test campaign — tiến độ tính đến 1/7/2022\n", 0) == 0);
    CHECK(md.find("| 50 % trước 30/6/2022 |") != std::string::npos);
    check_no_english(md, html);
    // progress.json is a machine output: its headline and keys stay English.
    CHECK(read(dir / "progress.json").find("\"headline\": \"As of 1 July 2022") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("problems in Vietnamese keep their code, file, row and field") {
    deadzone::Problem problem{deadzone::Severity::error, {"trạm.csv", 3, "", std::nullopt}, "lat", "lat_out_of_range",
                              "95.3 is not a latitude (-90 to 90)"};
    CHECK(emit::problem_text(problem, Language::en) == problem.to_string());
    CHECK(emit::problem_text(problem, Language::vi) ==
          "trạm.csv:dòng 3: trường 'lat': lỗi [lat_out_of_range]: Vĩ độ phải nằm trong khoảng -90 đến 90. "
          "(nguyên văn: 95.3 is not a latitude (-90 to 90))");
    problem.severity = deadzone::Severity::warning;
    problem.code = "no_such_code_in_the_catalogue";
    problem.where = {"a.gpkg", std::nullopt, "villages", 7};
    CHECK(emit::problem_text(problem, Language::vi) ==
          "a.gpkg:villages:đối tượng FID 7: trường 'lat': cảnh báo [no_such_code_in_the_catalogue]: "
          "95.3 is not a latitude (-90 to 90)");
    CHECK(emit::problem_summary(1, 2, Language::en) == "1 error, 2 warnings");
    CHECK(emit::problem_summary(1, 2, Language::vi) == "1 lỗi, 2 cảnh báo");
}
