// model/terrain_profile: elevation profiles from a DEM along geodesics (PROJ geod_*), sampled
// bilinearly, in ITM's profile form — the input of the terrain models for one radial.
#pragma once

#include <deadzone/geo/raster.hpp>
#include <deadzone/model/itm.hpp>

#include <memory>

class OGRCoordinateTransformation;

namespace deadzone::model {

/// Bilinear elevations at WGS84 lon/lat from the part of a DEM covering a lon/lat box.
class DemSampler {
public:
    /// Reads the DEM cells covering [lon_min, lon_max] × [lat_min, lat_max] (plus one cell).
    /// Throws InputError naming the DEM and the missing lon/lat extent when the box reaches
    /// outside the DEM.
    DemSampler(const geo::Raster& dem, double lon_min, double lat_min, double lon_max, double lat_max);
    ~DemSampler();
    DemSampler(const DemSampler&) = delete;
    DemSampler& operator=(const DemSampler&) = delete;

    /// Elevation (m) at (lon, lat): bilinear between the four nearest cell centres. Voids in the
    /// window were filled from their neighbours when it was read (fill_voids); NaN only when
    /// the whole window is void.
    double elevation_m(double lon, double lat) const;
    /// Nodata cells in the window read, before filling.
    std::size_t nodata_cells() const noexcept { return m_nodata_cells; }

private:
    void fill_voids();

    geo::GeoTransform m_geotransform{};
    geo::RasterWindow m_window;
    std::optional<float> m_nodata;
    std::unique_ptr<OGRCoordinateTransformation> m_to_dem; // null: the DEM is WGS84 lon/lat
    std::size_t m_nodata_cells = 0;
};

/// The profile from (lon, lat) along the geodesic of initial azimuth `azimuth_deg`, one sample
/// every `step_m` up to `length_m` (the last step may be shorter: the spacing is length /
/// ceil(length/step)). Throws std::invalid_argument for non-positive length/step and
/// InputError when a sample falls on a void with no valid neighbour.
ItmProfile radial_profile(const DemSampler& dem, double lon, double lat, double azimuth_deg, double length_m,
                          double step_m);

} // namespace deadzone::model
