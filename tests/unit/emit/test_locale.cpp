// The translation catalogues: the same keys and placeholders in both languages, Vietnamese
// dates and numbers, Vietnamese reports (of the tiny campaign, and of the sample with its delays
// and field measurements) with no English catalogue text, Vietnamese QGIS legends and problems.
#include "../track/tiny_campaign.hpp"

#include <deadzone/emit/locale.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/pipeline/analyze.hpp>

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

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// What a reader sees in report.html: the text outside tags and the style sheet (class names are
/// English). Tags become spaces. A loop, not std::regex: libstdc++'s regex recurses once per
/// character and overflows the stack under ASan on a long tag-like stretch (the inline script's "<").
std::string visible_text(const std::string& html) {
    const std::string style_free = html.substr(0, html.find("<style>")) + html.substr(html.find("</style>"));
    std::string text;
    text.reserve(style_free.size());
    for (std::size_t i = 0; i < style_free.size(); ++i) {
        if (style_free[i] == '<') {
            const auto close = style_free.find('>', i);
            if (close == std::string::npos) {
                text.append(style_free, i, std::string::npos);
                break;
            }
            text += ' ';
            i = close;
        } else {
            text += style_free[i];
        }
    }
    return text;
}

/// No English message of more than one word (single words such as "Operator" could be a name) in
/// a Vietnamese report.md or in what a reader sees of report.html.
void check_no_english(const std::string& md, const std::string& html) {
    const std::string text = visible_text(html);
    for (const auto& key : emit::catalogue_keys(Language::en)) {
        const auto english = emit::catalogue_text(key, Language::en);
        const auto cut = english.find('{');
        const std::string fixed = english.substr(0, cut); // the text before any placeholder
        if (fixed.find(' ') == std::string::npos || fixed.size() < 8) {
            continue;
        }
        INFO(key);
        CHECK(md.find(fixed) == std::string::npos);
        CHECK(text.find(fixed) == std::string::npos);
    }
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

TEST_CASE("a Vietnamese report of the sample with delays and field measurements holds no English") {
    // The sample campaign with its drive test: "Why it is late" (at risk, causes, to-do lists) and
    // "Field measurements" (verdicts, reliability, calibration, contradicted villages) both appear.
    const fs::path dir = fs::temp_directory_path() / "deadzone_test_locale_vi_sample";
    fs::remove_all(dir);
    deadzone::pipeline::AnalysisOptions options;
    options.campaign = fs::path{DEADZONE_SOURCE_DIR} / "geodata" / "campaign_measured.json";
    options.as_of = day("2022-07-30"); // the drive test's window: samples counted, calibration tables
    options.out_dir = dir;
    options.language = Language::vi;
    const auto result = deadzone::pipeline::run_analysis(options);
    REQUIRE(result.analysis.measurements.active);
    const std::string md = read(dir / "report.md");
    const std::string html = read(dir / "report.html");
    // The sections are there, in Vietnamese, with Vietnamese dates and decimal commas.
    CHECK(md.find("\n## Vì sao chậm tiến độ\n") != std::string::npos);
    CHECK(md.find("\n### Nguyên nhân theo nhà mạng\n") != std::string::npos);
    CHECK(md.find("\n## Việc cần làm của các sở cấp tỉnh\n") != std::string::npos);
    CHECK(md.find("\n## Đo kiểm thực địa\n") != std::string::npos);
    CHECK(md.find("\n### Độ tin cậy của bản đồ (thước đo của ARCEP)\n") != std::string::npos);
    CHECK(md.find("\n### Hiệu chỉnh mô hình\n") != std::string::npos);
    CHECK(md.find("| Kết luận | Thôn × nhà mạng |") != std::string::npos);
    CHECK(md.find("| được xác nhận | ") != std::string::npos);
    CHECK(md.find("(30 ngày đến 30/7/2022)") != std::string::npos); // the measurement window, day first
    CHECK(md.find("| VTL | 4G | 2652 | +0,05 dB | 8,22 dB | 8,22 dB |") != std::string::npos);
    CHECK(md.find("| VTL | 3821 | 3449 | 90,26 % | không đạt | Bắc Kạn, ") != std::string::npos);
    CHECK(md.find("| tất cả | chưa rõ (19 chưa có ngày điều chỉnh) |") != std::string::npos);
    CHECK(html.find("<h2>Vì sao chậm tiến độ</h2>") != std::string::npos);
    CHECK(html.find("<h2>Đo kiểm thực địa</h2>") != std::string::npos);
    CHECK(html.find("aria-label=\"Mức đo được so với mức dự đoán\"") != std::string::npos);
    // No ISO date and no decimal point in a number cell of the delay and measurement tables.
    const auto why = md.substr(md.find("\n## Vì sao chậm tiến độ\n"));
    CHECK(why.find("2022-0") == std::string::npos);
    CHECK(why.find(" dB |") != std::string::npos);
    for (std::size_t at = why.find(" dB"); at != std::string::npos; at = why.find(" dB", at + 1)) {
        const auto start = why.rfind(' ', at - 1);
        const auto number = why.substr(start + 1, at - start - 1);
        INFO(number);
        CHECK(number.find('.') == std::string::npos);
        CHECK(number.find(',') != std::string::npos);
    }
    check_no_english(md, html);

    // QGIS legends follow the language: the sidecar .qml and the GeoPackage's layer_styles.
    const std::string samples_qml = read(dir / "measurements.qml");
    CHECK(samples_qml.find("label=\"Mạnh (trên ngưỡng từ 10 dB trở lên)\"") != std::string::npos);
    CHECK(samples_qml.find("label=\"Kém (dưới ngưỡng hơn 10 dB)\"") != std::string::npos);
    CHECK(samples_qml.find("Strong") == std::string::npos);
    CHECK(read(dir / "commitments.qml").find("label=\"Quá hạn\"") != std::string::npos);
    deadzone::geo::ensure_gdal();
    GDALDatasetUniquePtr gpkg{GDALDataset::Open((dir / "deadzone.gpkg").string().c_str(), GDAL_OF_VECTOR)};
    REQUIRE(gpkg);
    auto* styles = gpkg->GetLayerByName("layer_styles");
    REQUIRE(styles != nullptr);
    std::map<std::string, std::string> qml_of;
    styles->ResetReading();
    while (auto* f = styles->GetNextFeature()) {
        OGRFeatureUniquePtr feature{f};
        qml_of[feature->GetFieldAsString("f_table_name")] = feature->GetFieldAsString("styleQML");
    }
    CHECK(qml_of["measurements"] == samples_qml);
    CHECK(qml_of["commitments"] == read(dir / "commitments.qml"));
    gpkg.reset();
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
