// Shared by the terrain tests of the model stage (test_terrain_footprint.cpp) and the overlay
// stage (test_terrain_levels.cpp): a small generated DEM in GDAL's memory file system, a campaign
// with terrain over it, and an omni 4G cell (also test_footprint.cpp's).
#pragma once

#include <deadzone/core/source.hpp>
#include <deadzone/core/campaign.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/geo/gdal.hpp>

#include <doctest/doctest.h>
#include <gdal_priv.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace deadzone::test {

// A 0.3° × 0.3° WGS84 DEM from (104.85, 21.15) down to (105.15, 20.85), 0.001° cells, with
// elevations z(lon, lat) at the cell centres.
inline std::string make_dem(const std::string& name, const std::function<double(double, double)>& z,
                     const char* unit = nullptr, std::optional<double> nodata = std::nullopt) {
    const std::string path = "/vsimem/" + name + ".tif";
    geo::ensure_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    constexpr int n = 300;
    std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(driver->Create(path.c_str(), n, n, 1, GDT_Float32, nullptr),
                                                           [](GDALDataset* d) { GDALClose(d); });
    double gt[6] = {104.85, 0.001, 0.0, 21.15, 0.0, -0.001};
    ds->SetGeoTransform(gt);
    ds->SetSpatialRef(&geo::wgs84());
    if (unit) ds->GetRasterBand(1)->SetUnitType(unit);
    if (nodata) ds->GetRasterBand(1)->SetNoDataValue(*nodata);
    std::vector<float> values;
    for (int r = 0; r < n; ++r) {
        for (int c = 0; c < n; ++c) values.push_back(static_cast<float>(z(104.85 + (c + 0.5) * 0.001, 21.15 - (r + 0.5) * 0.001)));
    }
    REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, n, n, values.data(), n, n, GDT_Float32, 0, 0, nullptr) ==
            CE_None);
    return path;
}

inline Campaign terrain_campaign(const std::string& dem, const std::string& model = "hata+diffraction") {
    Campaign campaign;
    campaign.operators.push_back(Operator{"VTL", "Viettel", {"452-04"}, "#d7191c"});
    campaign.radio_defaults[Tech::g4] = RadioDefaults{1800.0, 61.0, 30.0, 65.0, -100.0};
    campaign.model.environment = Environment::urban;
    campaign.model.city = CitySize::small;
    campaign.model.terrain_model = model;
    campaign.model.sampling.radials = 180;
    campaign.model.sampling.profile_step_m = 100.0;
    campaign.terrain_dem = dem;
    return campaign;
}

inline Cell omni_at(double lon, double lat) {
    Cell cell;
    cell.operator_code = "VTL";
    cell.site_id = "S1";
    cell.cell_id = "1";
    cell.position = geo::Point{lon, lat};
    cell.tech = Tech::g4;
    cell.source = source_location("stations.csv:2");
    return cell;
}

} // namespace deadzone::test
