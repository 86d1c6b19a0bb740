// The Vietnamese report of the bundled sample with its delays and drive test, end to end through
// pipeline::run_analysis: every section in Vietnamese, no English catalogue message left.
#include "../emit/report_text.hpp"

#include <deadzone/geo/gdal.hpp>
#include <deadzone/pipeline/analyze.hpp>

#include <cpl_minixml.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using deadzone::Language;
using deadzone::testing::check_no_english;
using deadzone::testing::read;
namespace fs = std::filesystem;

namespace {
deadzone::Date day(const char* iso) { return *deadzone::Date::parse(iso); }
} // namespace

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

