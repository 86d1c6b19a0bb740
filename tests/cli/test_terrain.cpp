// deadzone analyze/check with terrain, end to end on a generated campaign: one omni cell, a
// 400 m wall 2 km east of it, a village in front of the wall, one behind it and one to the west.
// The village behind the wall is not covered and not in line of sight; the footprints layer and
// report.html name the model; DEM faults stop the run with exit 1 and say why.
#include "cli_support.hpp"

#include <deadzone/geo/gdal.hpp>

#include <doctest/doctest.h>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

using deadzone::test::read_file;
using deadzone::test::run_deadzone;
using deadzone::test::TempDir;
using nlohmann::json;

namespace {

constexpr double pi = 3.14159265358979323846;
const double m_per_deg_lon = 111195.0 * std::cos(21.0 * pi / 180.0);

// 0.3° square around (105, 21), 0.001° cells, 100 m ground, a 400 m high wall 2 km east.
void write_dem(const std::filesystem::path& path, const char* unit = "metre") {
    deadzone::geo::ensure_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    constexpr int n = 300;
    std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(
        driver->Create(path.string().c_str(), n, n, 1, GDT_Float32, nullptr), [](GDALDataset* d) { GDALClose(d); });
    REQUIRE(ds);
    double gt[6] = {104.85, 0.001, 0.0, 21.15, 0.0, -0.001};
    ds->SetGeoTransform(gt);
    ds->SetSpatialRef(&deadzone::geo::wgs84());
    const double wall = 105.0 + 2000.0 / m_per_deg_lon;
    std::vector<float> z;
    for (int r = 0; r < n; ++r) {
        for (int c = 0; c < n; ++c) z.push_back(std::fabs(104.85 + (c + 0.5) * 0.001 - wall) < 0.0015 ? 500.0f : 100.0f);
    }
    ds->GetRasterBand(1)->SetUnitType(unit);
    REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, n, n, z.data(), n, n, GDT_Float32, 0, 0, nullptr) == CE_None);
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// The campaign folder; `site_lon` moves the cell (0.13 puts its reach outside the DEM).
void write_campaign(const std::filesystem::path& dir, double site_lon = 105.0, const char* unit = "metre") {
    write_dem(dir / "dem.tif", unit);
    write_text(dir / "campaign.json", R"({
  "name": "Terrain test", "start_date": "2022-06-01",
  "operators": [{"code": "VTL", "name": "Viettel", "mcc_mnc": ["452-04"], "color": "#d7191c"}],
  "milestones": [{"date": "2022-07-30", "target": 1.0}],
  "coverage_rule": {"min_fraction": 0.9, "village_radius_m": 500},
  "model": {"propagation": "hata+diffraction", "environment": "urban", "city": "small",
            "radials": 180, "profile_step_m": 100},
  "terrain": {"dem": "dem.tif"},
  "villages": "villages.geojson", "commitments": "commitments.csv", "stations": ["stations.csv"]
})");
    const auto point = [](const char* id, double east_m) {
        return json{{"type", "Feature"},
                    {"properties", {{"village_id", id}, {"name", id}, {"province", "P"}}},
                    {"geometry", {{"type", "Point"}, {"coordinates", {105.0 + east_m / m_per_deg_lon, 21.0}}}}};
    };
    const json villages{{"type", "FeatureCollection"},
                        {"features", {point("FRONT", 1200.0), point("BEHIND", 3300.0), point("WEST", -2000.0)}}};
    write_text(dir / "villages.geojson", villages.dump());
    write_text(dir / "commitments.csv",
               "village_id,operator,deadline\nFRONT,VTL,2022-07-30\nBEHIND,VTL,2022-07-30\nWEST,VTL,2022-07-30\n");
    write_text(dir / "stations.csv", "operator,site_id,cell_id,lon,lat,tech,status,on_air_date\nVTL,S1,1," +
                                         std::to_string(site_lon) + ",21.0,4G,on_air,2022-06-01\n");
}

std::map<std::string, json> by_village(const std::filesystem::path& file) {
    std::map<std::string, json> out;
    // The document in a variable: a range-for over a member of a temporary would dangle.
    const auto doc = json::parse(read_file(file));
    for (const auto& f : doc.at("features")) {
        out[f.at("properties").at("village_id").get<std::string>()] = f.at("properties");
    }
    return out;
}

} // namespace

TEST_CASE("analyze with terrain: the village behind the ridge is neither covered nor in sight") {
    TempDir dir;
    write_campaign(dir.path());
    TempDir out;
    const auto r = run_deadzone({"analyze", dir.path().string(), "--as-of", "2022-06-30", "--out",
                                 out.path().string(), "--quiet"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto villages = by_village(out.path() / "villages.geojson");
    CHECK(villages.at("FRONT").at("coverage_any").get<double>() == doctest::Approx(1.0));
    CHECK(villages.at("WEST").at("coverage_any").get<double>() == doctest::Approx(1.0));
    CHECK(villages.at("BEHIND").at("coverage_any").get<double>() < 0.05);
    CHECK(villages.at("FRONT").at("los_fraction").get<double>() == doctest::Approx(1.0));
    CHECK(villages.at("BEHIND").at("los_fraction").get<double>() < 0.05);
    const auto commitments = by_village(out.path() / "commitments.geojson");
    CHECK(commitments.at("FRONT").at("status") == "covered");
    CHECK(commitments.at("BEHIND").at("status") == "pending");
    CHECK(commitments.at("BEHIND").at("los_fraction").get<double>() < 0.05);
    const auto footprints = json::parse(read_file(out.path() / "footprints.geojson"));
    REQUIRE(footprints.at("features").size() == 1);
    const auto& p = footprints.at("features")[0].at("properties");
    CHECK(p.at("model") == "hata+diffraction");
    CHECK(p.at("radials") == 180);
    CHECK(p.at("profile_step_m").get<double>() == 100.0);
    CHECK(p.at("parts").get<int>() >= 1);
    CHECK(std::filesystem::exists(out.path() / "footprints.qml"));
    CHECK(read_file(out.path() / "report.html").find("Coverage model: hata+diffraction") != std::string::npos);
}

TEST_CASE("analyze with terrain: DEM faults stop the run with exit 1 and say why") {
    SUBCASE("the cell's reach leaves the DEM") {
        TempDir dir;
        write_campaign(dir.path(), 105.13);
        TempDir out;
        const auto r = run_deadzone({"analyze", dir.path().string(), "--as-of", "2022-06-30", "--out",
                                     (out.path() / "o").string(), "--quiet"});
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("its reach needs elevations") != std::string::npos);
        CHECK(r.err.find("VTL") != std::string::npos);
        CHECK(r.err.find("lon 105.1500..") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(out.path() / "o"));
    }
    SUBCASE("a DEM in feet") {
        TempDir dir;
        write_campaign(dir.path(), 105.0, "ft");
        const auto r = run_deadzone({"check", "--campaign", (dir.path() / "campaign.json").string()});
        CHECK(r.exit_code == 1);
        CHECK((r.out + r.err).find("needs metres") != std::string::npos);
    }
}
