#include "fixtures.hpp"

#include <deadzone/core/error.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/overlay/overlay.hpp>

#include <doctest/doctest.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <array>
#include <cmath>
#include <filesystem>

using namespace deadzone;
using namespace deadzone::overlay::testing;

namespace {

/// A 4 x 4 GeoTIFF of 0.0025 degree pixels over lon 105.00..105.01, lat 20.00..20.01, rows
/// north to south. The two western columns hold 10 people per pixel, the eastern ones 30,
/// except one nodata pixel (-1) in the north-east corner.
std::filesystem::path write_raster(const std::filesystem::path& dir) {
    geo::ensure_gdal();
    std::filesystem::create_directories(dir);
    const auto path = dir / "population.tif";
    auto* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    REQUIRE(driver != nullptr);
    geo::DatasetPtr dataset{driver->Create(path.string().c_str(), 4, 4, 1, GDT_Float32, nullptr)};
    REQUIRE(dataset);
    std::array<double, 6> transform{105.0, 0.0025, 0.0, 20.01, 0.0, -0.0025};
    dataset->SetGeoTransform(transform.data());
    dataset->SetSpatialRef(&geo::wgs84());
    std::array<float, 16> people{10, 10, 30, -1,  //
                                 10, 10, 30, 30,  //
                                 10, 10, 30, 30,  //
                                 10, 10, 30, 30};
    auto* band = dataset->GetRasterBand(1);
    band->SetNoDataValue(-1);
    REQUIRE(band->RasterIO(GF_Write, 0, 0, 4, 4, people.data(), 4, 4, GDT_Float32, 0, 0) == CE_None);
    return path;
}

} // namespace

TEST_CASE("population-weighted fractions count the people of pixels whose centre is covered") {
    const auto dir = std::filesystem::temp_directory_path() / "deadzone_overlay_population";
    auto c = campaign();
    c.population_raster = write_raster(dir);

    const std::vector<Village> villages{
        village("IN", rectangle(105.0, 20.0, 105.01, 20.01)),
        village("OUTSIDE", rectangle(106.0, 20.0, 106.01, 20.01)), // no raster there: by area
    };
    const std::vector<Cell> cells{cell("VTL", "WEST", day("2022-05-01")),
                                  cell("VNP", "OUT_WEST", day("2022-05-01"))};
    const std::vector<model::Footprint> footprints{
        footprint(0, rectangle(104.9, 19.9, 105.005, 20.1)), // western half of IN
        footprint(1, rectangle(105.9, 19.9, 106.005, 20.1)), // western half of OUTSIDE
    };
    const auto result = overlay::run_overlay(villages, cells, footprints, c, day("2022-06-30"));
    CHECK(result.population_weighted);

    const auto& in = result.villages[0];
    CHECK(in.population_weighted);
    // West: 8 pixels x 10 = 80 people; east: 7 pixels x 30 = 210 (one is nodata): 80 / 290.
    REQUIRE(in.operators.size() == 1);
    CHECK(in.operators[0].fraction == doctest::Approx(80.0 / 290.0).epsilon(1e-12));
    CHECK(in.any_fraction == doctest::Approx(80.0 / 290.0).epsilon(1e-12));
    // The gap stays geometric: half the village's area.
    CHECK(in.gap_km2 == doctest::Approx(in.area_km2 / 2).epsilon(1e-6));

    const auto& outside = result.villages[1];
    CHECK(!outside.population_weighted);
    REQUIRE(outside.operators.size() == 1);
    CHECK(std::fabs(outside.operators[0].fraction - 0.5) < 1e-6);

    std::filesystem::remove_all(dir);
}

TEST_CASE("an unreadable population raster is rejected naming the file") {
    auto c = campaign();
    c.population_raster = std::filesystem::temp_directory_path() / "deadzone_no_such_raster.tif";
    const std::vector<Village> villages{village("V", rectangle(105.0, 20.0, 105.01, 20.01))};
    try {
        overlay::run_overlay(villages, {}, {}, c, day("2022-06-30"));
        FAIL("expected InputError");
    } catch (const InputError& error) {
        REQUIRE(error.problems().size() == 1);
        CHECK(error.problems()[0].where.file.find("deadzone_no_such_raster.tif") != std::string::npos);
        CHECK(error.problems()[0].field == "population_raster");
    }
}
