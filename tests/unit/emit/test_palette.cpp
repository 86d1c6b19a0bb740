// One status palette for QGIS, report.html and the dashboard (include/deadzone/emit/palette.hpp).
#include "../track/tiny_campaign.hpp"

#include <deadzone/emit/layers.hpp>
#include <deadzone/emit/palette.hpp>
#include <deadzone/emit/reports.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using deadzone::testing::day;
using deadzone::testing::TinyCampaign;
using deadzone::track::Status;
namespace emit = deadzone::emit;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("palette: the four statuses and 'none' in hex and QGIS form, all different") {
    CHECK(emit::hex(emit::status_rgb(Status::covered)) == "#1a9641");
    CHECK(emit::hex(emit::status_rgb(Status::covered_late)) == "#f5a623");
    CHECK(emit::hex(emit::status_rgb(Status::overdue)) == "#d7191c");
    CHECK(emit::hex(emit::status_rgb(Status::pending)) == "#a0a0a0");
    CHECK(emit::hex(emit::status_rgb(std::nullopt)) == "#bdbdbd");
    CHECK(emit::rgb_triplet(emit::status_rgb(Status::covered_late)) == "245,166,35");
    const std::string all[] = {emit::hex(emit::status_rgb(Status::covered)),
                               emit::hex(emit::status_rgb(Status::covered_late)),
                               emit::hex(emit::status_rgb(Status::overdue)),
                               emit::hex(emit::status_rgb(Status::pending)),
                               emit::hex(emit::status_rgb(std::nullopt))};
    for (std::size_t i = 0; i < 5; ++i) {
        for (std::size_t j = i + 1; j < 5; ++j) {
            CHECK(all[i] != all[j]);
        }
    }
}

TEST_CASE("palette: report.html's map and legend and the commitments' QGIS style use the same colours") {
    const TinyCampaign tiny;
    const auto analysis = tiny.analysis_at(day("2022-08-15")); // covered, late and overdue villages
    const fs::path dir = fs::temp_directory_path() / "deadzone_test_palette";
    fs::remove_all(dir);
    emit::write_reports(analysis, dir);
    emit::LayerOptions options;
    options.gpkg = false;
    emit::write_layers(analysis, dir, options);
    const std::string html = read(dir / "report.html");
    const std::string qml = read(dir / "commitments.qml");
    for (const auto status : {Status::covered, Status::covered_late, Status::overdue, Status::pending}) {
        const auto colour = emit::status_rgb(status);
        INFO(deadzone::track::to_string(status));
        CHECK(html.find("fill=\"" + emit::hex(colour) + "\"") != std::string::npos);
        CHECK(qml.find(emit::rgb_triplet(colour) + ",200") != std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("palette: the dashboard's map.js repeats the same hex values") {
    const std::string js = read(fs::path{DEADZONE_SOURCE_DIR} / "web" / "js" / "map.js");
    REQUIRE(!js.empty());
    const std::pair<const char*, std::optional<Status>> entries[] = {
        {"covered", Status::covered},   {"covered_late", Status::covered_late}, {"pending", Status::pending},
        {"overdue", Status::overdue},   {"none", std::nullopt}};
    for (const auto& [name, status] : entries) {
        INFO(name);
        CHECK(js.find(std::string{"  "} + name + ": '" + emit::hex(emit::status_rgb(status)) + "',") !=
              std::string::npos);
    }
}
