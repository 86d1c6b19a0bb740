// Private to the overlay stage: reads a population raster (GeoTIFF or any GDAL raster) one
// village window at a time and returns the populated pixels whose centre lies in the village.
#pragma once

#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/types.hpp>

#include <array>
#include <filesystem>
#include <memory>
#include <vector>

class GDALRasterBand;
class OGRCoordinateTransformation;

namespace deadzone::overlay::detail {

struct PopulationSample {
    geo::Point position; // pixel centre, WGS84 lon/lat
    double people = 0.0;
};

/// One open handle on the raster; not shared between threads (each worker opens its own,
/// GDAL datasets are not thread-safe while GDAL's block cache is).
class PopulationRaster {
public:
    /// Opens band 1 of the raster; throws InputError naming the file when it cannot. A raster
    /// without a CRS is taken to be WGS84 lon/lat (as WorldPop and GPW publish theirs).
    explicit PopulationRaster(const std::filesystem::path& path);
    ~PopulationRaster();
    PopulationRaster(const PopulationRaster&) = delete;
    PopulationRaster& operator=(const PopulationRaster&) = delete;

    /// Pixels with a positive, finite, non-nodata value whose centre lies in `shape` (boundary
    /// included), in row-major order of the raster.
    std::vector<PopulationSample> samples(const geo::MultiPolygon& shape, const geo::Box& box) const;

private:
    struct TransformDeleter {
        void operator()(OGRCoordinateTransformation* transform) const noexcept;
    };
    using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

    std::filesystem::path m_path;
    geo::DatasetPtr m_dataset;
    GDALRasterBand* m_band = nullptr;
    std::array<double, 6> m_to_georef{};
    std::array<double, 6> m_to_pixel{};
    bool m_has_nodata = false;
    double m_nodata = 0.0;
    int m_width = 0;
    int m_height = 0;
    TransformPtr m_lonlat_to_raster; // null when the raster is in lon/lat already
    TransformPtr m_raster_to_lonlat;
};

} // namespace deadzone::overlay::detail
