// DEM profiles along geodesics: a plane DEM (bilinear interpolation is exact on it) in WGS84,
// so expected elevations follow from the sample positions alone.
#include <deadzone/core/error.hpp>
#include <deadzone/geo/geodesic.hpp>
#include <deadzone/geo/raster.hpp>
#include <deadzone/model/terrain_profile.hpp>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

using namespace deadzone;

namespace {

// 0.2° × 0.2° from lon 105, lat 21.2 down, 0.001° cells; z = 100 + 1000·(lon − 105) at centres.
std::string plane_dem() {
    const std::string path = "/vsimem/deadzone_plane_dem.tif";
    geo::ensure_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(driver->Create(path.c_str(), 200, 200, 1, GDT_Float32, nullptr),
                                                           [](GDALDataset* d) { GDALClose(d); });
    double gt[6] = {105.0, 0.001, 0.0, 21.2, 0.0, -0.001};
    ds->SetGeoTransform(gt);
    ds->SetSpatialRef(&geo::wgs84());
    std::vector<float> z;
    for (int r = 0; r < 200; ++r) {
        for (int c = 0; c < 200; ++c) z.push_back(static_cast<float>(100.0 + 1000.0 * (c + 0.5) * 0.001));
    }
    REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 200, 200, z.data(), 200, 200, GDT_Float32, 0, 0, nullptr) ==
            CE_None);
    return path;
}

} // namespace

TEST_CASE("terrain profile: geodesic radials over a plane DEM") {
    const geo::Raster dem(plane_dem());
    const model::DemSampler sampler(dem, 105.03, 21.03, 105.17, 21.17);
    // Due north from lon 105.05: the longitude stays, so every sample is 100 + 1000·0.05 = 150 m.
    const auto north = model::radial_profile(sampler, 105.05, 21.05, 0.0, 5000.0, 100.0);
    CHECK(north.intervals() == 50);
    CHECK(north.spacing_m == 100.0);
    for (double z : north.elevations_m) CHECK(z == doctest::Approx(150.0).epsilon(1e-5));
    // Due east 5 km: the end elevation follows the end point's longitude (geo::destination).
    const auto east = model::radial_profile(sampler, 105.05, 21.05, 90.0, 5000.0, 300.0);
    CHECK(east.intervals() == 17); // ceil(5000/300); spacing 5000/17 m
    CHECK(east.spacing_m == doctest::Approx(5000.0 / 17.0));
    const auto end = geo::destination(geo::Point{105.05, 21.05}, 90.0, 5000.0);
    CHECK(east.elevations_m.back() == doctest::Approx(100.0 + 1000.0 * (end.x() - 105.0)).epsilon(1e-6));
    for (std::size_t i = 1; i < east.elevations_m.size(); ++i) CHECK(east.elevations_m[i] > east.elevations_m[i - 1]);
}

TEST_CASE("terrain profile: an area outside the DEM is refused with its extent") {
    const geo::Raster dem(plane_dem());
    try {
        const model::DemSampler sampler(dem, 104.9, 21.0, 105.1, 21.1);
        FAIL("expected InputError");
    } catch (const InputError& e) {
        REQUIRE(!e.problems().empty());
        CHECK(e.problems().front().field == "extent");
        CHECK(e.problems().front().message.find("lon 104.90000..105.10000") != std::string::npos);
    }
}
