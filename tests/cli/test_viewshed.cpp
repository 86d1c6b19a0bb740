// deadzone viewshed end to end: a generated rough DEM (GeoTIFF, UTM 48N), the output grid and
// values, refused inputs, and (its own CTest, tests/CMakeLists.txt) agreement with gdal_viewshed.
#include "cli_support.hpp"

#include <algorithm>
#include <deadzone/geo/raster.hpp>

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

using deadzone::test::read_file;
using deadzone::test::run_deadzone;
using deadzone::test::run_deadzone_with_file_limit;
using deadzone::test::TempDir;

namespace {

constexpr int dem_size = 301;
constexpr double cell_m = 30.0;
constexpr double origin_x = 500000.0;
constexpr double origin_y = 2400000.0;

// A rough, deterministic relief: two scales of ridges plus seeded noise (± 12 m), 100-1100 m.
float relief(int x, int y, std::uint32_t& state) {
    state = state * 1664525u + 1013904223u;
    const double noise = ((state >> 8) & 0xFFFF) / 65535.0 * 24.0 - 12.0;
    return static_cast<float>(600.0 + 300.0 * std::sin(x / 23.0) * std::cos(y / 31.0) +
                              150.0 * std::sin((x + 2.0 * y) / 11.0) + 60.0 * std::cos((3.0 * x - y) / 7.0) + noise);
}

void write_dem(const std::string& path, double scale = 1.0, const char* unit = "m") {
    deadzone::geo::ensure_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    REQUIRE(driver != nullptr);
    std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(
        driver->Create(path.c_str(), dem_size, dem_size, 1, GDT_Float32, nullptr),
        [](GDALDataset* d) { GDALClose(d); });
    REQUIRE(ds);
    double gt[6] = {origin_x, cell_m, 0.0, origin_y, 0.0, -cell_m};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(32648);
    ds->SetSpatialRef(&srs);
    std::vector<float> z;
    std::uint32_t state = 2024;
    for (int y = 0; y < dem_size; ++y) {
        for (int x = 0; x < dem_size; ++x) z.push_back(static_cast<float>(relief(x, y, state) * scale));
    }
    auto* band = ds->GetRasterBand(1);
    band->SetUnitType(unit);
    REQUIRE(band->RasterIO(GF_Write, 0, 0, dem_size, dem_size, z.data(), dem_size, dem_size, GDT_Float32, 0, 0,
                           nullptr) == CE_None);
}

// lon/lat of the centre of DEM cell (col, row), and that centre in UTM.
struct Site {
    double lon, lat, x, y;
};
Site site_at(int col, int row) {
    Site s{0, 0, origin_x + (col + 0.5) * cell_m, origin_y - (row + 0.5) * cell_m};
    OGRSpatialReference utm;
    utm.importFromEPSG(32648);
    utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs;
    wgs.importFromEPSG(4326);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&utm, &wgs));
    s.lon = s.x;
    s.lat = s.y;
    REQUIRE(ct->Transform(1, &s.lon, &s.lat));
    return s;
}

std::string fmt_double(double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10f", v);
    return buffer;
}

/// `deadzone viewshed` from the centre cell (150, 150), 30 m up, targets 1.5 m, range 3 km.
std::vector<std::string> site_viewshed(const std::string& dem, const std::string& out) {
    const auto s = site_at(150, 150);
    return {"viewshed", "--dem", dem, "--lon", fmt_double(s.lon), "--lat", fmt_double(s.lat),
            "--observer-height-m", "30", "--target-height-m", "1.5", "--max-distance-m", "3000", "--out", out};
}

} // namespace

TEST_CASE("viewshed: GeoTIFF on the DEM's grid over the cells in range, 255/0") {
    TempDir dir("deadzone-viewshed");
    const auto dem = (dir.path() / "dem.tif").string();
    const auto out = (dir.path() / "los.tif").string();
    write_dem(dem);
    const auto r = run_deadzone(site_viewshed(dem, out));
    CAPTURE(r.err);
    REQUIRE(r.exit_code == 0);
    const deadzone::geo::Raster los(out);
    // 3 km at 30 m: 100 cells each side of the observer's cell (150, 150), as gdal_viewshed.
    CHECK(los.width() == 201);
    CHECK(los.height() == 201);
    CHECK(los.geotransform()[0] == origin_x + 50 * cell_m);
    CHECK(los.geotransform()[3] == origin_y - 50 * cell_m);
    CHECK(los.geotransform()[1] == cell_m);
    CHECK(los.geotransform()[5] == -cell_m);
    const auto w = los.read(0, 0, 201, 201);
    std::size_t visible = 0, other = 0;
    for (float v : w.values) {
        visible += v == 255.0f;
        other += v != 255.0f && v != 0.0f;
    }
    CHECK(other == 0);
    CHECK(w.at(100, 100) == 255.0f); // the observer
    CHECK(w.at(0, 0) == 0.0f);       // the window's corner, 4.2 km away: out of range
    CHECK(visible > 50);
    CHECK(visible < 3.1416 * 100 * 100); // within the 3 km (100-cell) disc

    // Without a range the output is the whole DEM.
    const auto whole = (dir.path() / "whole.tif").string();
    auto args = site_viewshed(dem, whole);
    REQUIRE(args[11] == "--max-distance-m");
    args[12] = "0"; // no limit
    REQUIRE(run_deadzone(args).exit_code == 0);
    const deadzone::geo::Raster all(whole);
    CHECK(all.width() == dem_size);
    CHECK(all.height() == dem_size);
    CHECK(all.geotransform()[0] == origin_x);
    CHECK(all.geotransform()[3] == origin_y);
}

TEST_CASE("viewshed: refused inputs") {
    TempDir dir("deadzone-viewshed-bad");
    const auto feet = (dir.path() / "dem_feet.tif").string();
    write_dem(feet, 3.28084, "ft");
    const auto absurd = (dir.path() / "dem_cm.tif").string();
    write_dem(absurd, 100.0, "m");
    const auto dem = (dir.path() / "dem.tif").string();
    write_dem(dem);
    const auto s = site_at(150, 150);
    auto args = [&](const std::string& in, const std::string& out, const std::string& lon) {
        return std::vector<std::string>{"viewshed", "--dem", in, "--lon", lon, "--lat", fmt_double(s.lat),
                                        "--observer-height-m", "10", "--target-height-m", "0", "--out", out};
    };
    const auto f = run_deadzone(args(feet, (dir.path() / "a.tif").string(), fmt_double(s.lon)));
    CHECK(f.exit_code == 1);
    CHECK(f.err.find("metres") != std::string::npos);
    const auto c = run_deadzone(args(absurd, (dir.path() / "b.tif").string(), fmt_double(s.lon)));
    CHECK(c.exit_code == 1);
    CHECK(c.err.find("-500..9000") != std::string::npos);
    const auto same = run_deadzone(args(dem, dem, fmt_double(s.lon)));
    CHECK(same.exit_code == 2);
    CHECK(same.err.find("overwrite") != std::string::npos);
    const auto outside = run_deadzone(args(dem, (dir.path() / "c.tif").string(), "100"));
    CHECK(outside.exit_code == 2);
    CHECK(outside.err.find("outside the DEM") != std::string::npos);
}

TEST_CASE("viewshed: a write that fails (a full disk) exits 3 and leaves the earlier file as it was") {
    TempDir dir("deadzone-viewshed-full");
    const auto dem = (dir.path() / "dem.tif").string();
    write_dem(dem);
    const auto out = dir.path() / "los.tif";
    {
        std::ofstream earlier{out, std::ios::binary};
        earlier << "the earlier result";
    }
    const auto s = site_at(150, 150);
    const std::vector<std::string> args{"viewshed", "--dem", dem, "--lon", fmt_double(s.lon), "--lat",
                                        fmt_double(s.lat), "--observer-height-m", "30", "--target-height-m", "1.5",
                                        "--out", out.string()};
    // 1 kB: the DEM is already written, and the GeoTIFF (several kB) cannot be.
    const auto r = run_deadzone_with_file_limit(args, 1024);
    CAPTURE(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(out.string() + ": cannot write") != std::string::npos);
    CHECK(r.err.find("partial") == std::string::npos); // the message names the file asked for
    CHECK(r.out.empty());
    CHECK(read_file(out) == "the earlier result");
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
    CHECK(entries == 2); // dem.tif and los.tif: no partial file left behind
    // Without the limit the same command replaces the file.
    const auto ok = run_deadzone(args);
    CHECK(ok.exit_code == 0);
    CHECK(read_file(out).substr(0, 2) == "II"); // a little-endian TIFF now
}

TEST_CASE("viewshed: an output named with 250 bytes (the file system allows 255) is written") {
    TempDir dir("deadzone-viewshed-long");
    const auto dem = (dir.path() / "dem.tif").string();
    write_dem(dem);
    const auto out = dir.path() / (std::string(246, 'v') + ".tif");
    const auto r = run_deadzone(site_viewshed(dem, out.string()));
    CAPTURE(r.err);
    CHECK(r.exit_code == 0);
    CHECK(read_file(out).substr(0, 2) == "II");
}

TEST_CASE("viewshed: --out through a symlink replaces the file it names; the link stays a link") {
    TempDir dir("deadzone-viewshed-link");
    const auto dem = (dir.path() / "dem.tif").string();
    write_dem(dem);
    std::filesystem::create_directory(dir.path() / "real");
    const auto real = dir.path() / "real" / "los.tif";
    {
        std::ofstream earlier{real, std::ios::binary};
        earlier << "the earlier result";
    }
    const auto link = dir.path() / "los.tif";
    std::filesystem::create_symlink("real/los.tif", link);
    const auto r = run_deadzone(site_viewshed(dem, link.string()));
    CAPTURE(r.err);
    CHECK(r.exit_code == 0);
    CHECK(std::filesystem::is_symlink(link));
    CHECK(read_file(real).substr(0, 2) == "II");
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path() / "real")) ++entries;
    CHECK(entries == 1); // no partial file left beside the real one
}

// Run by CTest as viewshed.vs_gdal (needs gdal_viewshed on PATH); skipped in the plain cli run.
TEST_CASE("viewshed agrees with gdal_viewshed" * doctest::skip()) {
    TempDir dir("deadzone-viewshed-gdal");
    const auto dem = (dir.path() / "dem.tif").string();
    write_dem(dem);
    int compared_runs = 0;
    for (const auto& [col, row, oz, md] : {std::tuple{150, 150, 10.0, 4000.0}, std::tuple{60, 220, 25.0, 0.0},
                                          std::tuple{230, 40, 2.0, 2500.0}}) {
        const auto s = site_at(col, row);
        const auto ours = (dir.path() / "ours.tif").string();
        const auto theirs = (dir.path() / "gdal.tif").string();
        const auto r = run_deadzone({"viewshed", "--dem", dem, "--lon", fmt_double(s.lon), "--lat",
                                     fmt_double(s.lat), "--observer-height-m", std::to_string(oz),
                                     "--target-height-m", "2", "--max-distance-m", std::to_string(md),
                                     "--curvature-coefficient", "0.85714", "--out", ours});
        REQUIRE(r.exit_code == 0);
        std::string command = "gdal_viewshed -q -oz " + std::to_string(oz) + " -tz 2 -cc 0.85714 -ox " +
                              fmt_double(s.x) + " -oy " + fmt_double(s.y) +
                              (md > 0 ? " -md " + std::to_string(md) : std::string{}) + " '" + dem + "' '" + theirs +
                              "'";
        REQUIRE(std::system(command.c_str()) == 0);
        const deadzone::geo::Raster a(ours);
        const deadzone::geo::Raster b(theirs);
        // Both write the window within range: the same extent, on the DEM's grid.
        CHECK(a.width() == b.width());
        CHECK(a.height() == b.height());
        CHECK(a.geotransform()[0] == doctest::Approx(b.geotransform()[0]));
        CHECK(a.geotransform()[3] == doctest::Approx(b.geotransform()[3]));
        const int dx = static_cast<int>(std::lround((b.geotransform()[0] - origin_x) / cell_m));
        const int dy = static_cast<int>(std::lround((origin_y - b.geotransform()[3]) / cell_m));
        const auto va = a.read(0, 0, a.width(), a.height());
        const auto vb = b.read(0, 0, b.width(), b.height());
        std::size_t same = 0, total = 0;
        for (int y = 0; y < std::min(a.height(), b.height()); ++y) {
            for (int x = 0; x < std::min(a.width(), b.width()); ++x) {
                const double ex = (x - col + dx) * cell_m;
                const double ey = (y - row + dy) * cell_m;
                if (md > 0 && ex * ex + ey * ey > md * md) continue; // compare inside the range only
                ++total;
                same += (va.at(x, y) == 255.0f) == (vb.at(x, y) == 255.0f);
            }
        }
        const double agreement = static_cast<double>(same) / static_cast<double>(total);
        MESSAGE("observer (" << col << "," << row << ") oz " << oz << " md " << md << ": agreement with gdal_viewshed "
                             << agreement * 100.0 << " % of " << total << " cells");
        CHECK(agreement >= 0.97);
        ++compared_runs;
    }
    CHECK(compared_runs == 3);
}
