// DEM profiles along geodesics: positions from PROJ's geod_lineinit/geod_position (Karney),
// elevations by bilinear interpolation between cell centres of one window read up front.
#include <deadzone/model/terrain_profile.hpp>

#include <deadzone/core/error.hpp>

#include <fmt/format.h>
#include <geodesic.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace deadzone::model {

namespace {

const geod_geodesic& wgs84_geodesic() {
    static const geod_geodesic g = [] {
        geod_geodesic value{};
        geod_init(&value, 6378137.0, 1.0 / 298.257223563);
        return value;
    }();
    return g;
}

bool is_wgs84_lonlat(const geo::Raster& dem) {
    if (!dem.crs_is_geographic()) return false;
    OGRSpatialReference srs;
    srs.importFromWkt(dem.crs_wkt().c_str());
    return srs.IsSame(&geo::wgs84()) != 0;
}

} // namespace

DemSampler::DemSampler(const geo::Raster& dem, double lon_min, double lat_min, double lon_max, double lat_max)
    : m_geotransform(dem.geotransform()), m_nodata(dem.nodata() ? std::optional<float>(static_cast<float>(*dem.nodata()))
                                                                 : std::nullopt) {
    if (!is_wgs84_lonlat(dem)) {
        OGRSpatialReference target;
        target.importFromWkt(dem.crs_wkt().c_str());
        target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        m_to_dem.reset(OGRCreateCoordinateTransformation(&geo::wgs84(), &target));
        if (!m_to_dem) throw Failure(dem.path() + ": no transformation from WGS84 to the DEM's CRS");
    }
    // The box's corners and edge midpoints in the DEM's CRS bound the window (fine for boxes of
    // a few tens of km; a margin of one cell covers the curvature of projected edges).
    double col_min = std::numeric_limits<double>::infinity(), col_max = -col_min;
    double row_min = col_min, row_max = -col_min;
    for (double fx : {0.0, 0.5, 1.0}) {
        for (double fy : {0.0, 0.5, 1.0}) {
            double x = lon_min + fx * (lon_max - lon_min);
            double y = lat_min + fy * (lat_max - lat_min);
            if (m_to_dem && !m_to_dem->Transform(1, &x, &y)) throw Failure(dem.path() + ": cannot transform lon/lat");
            const double col = (x - m_geotransform[0]) / m_geotransform[1] - 0.5;
            const double row = (y - m_geotransform[3]) / m_geotransform[5] - 0.5;
            col_min = std::min(col_min, col);
            col_max = std::max(col_max, col);
            row_min = std::min(row_min, row);
            row_max = std::max(row_max, row);
        }
    }
    const int x0 = static_cast<int>(std::floor(col_min)) - 1;
    const int y0 = static_cast<int>(std::floor(row_min)) - 1;
    const int x1 = static_cast<int>(std::ceil(col_max)) + 1;
    const int y1 = static_cast<int>(std::ceil(row_max)) + 1;
    if (x0 < 0 || y0 < 0 || x1 >= dem.width() || y1 >= dem.height()) {
        throw InputError(Location{dem.path(), std::nullopt, {}, std::nullopt}, "extent", "outside_dem",
                         fmt::format("the area lon {:.5f}..{:.5f}, lat {:.5f}..{:.5f} reaches outside the DEM's "
                                     "coverage (no elevation is assumed there)",
                                     lon_min, lon_max, lat_min, lat_max));
    }
    m_window = dem.read(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    for (float z : m_window.values) {
        m_nodata_cells += std::isnan(z) || (m_nodata && z == *m_nodata);
    }
    if (m_nodata_cells > 0) fill_voids();
}

// Voids are filled from their valid 4-neighbours, ring by ring inwards (each pass uses only
// the previous pass's values, so the result does not depend on the scan order). A window with
// no valid cell at all stays void, and the profile then says so.
void DemSampler::fill_voids() {
    auto& v = m_window.values;
    const int w = m_window.width;
    const int h = m_window.height;
    const auto is_void = [&](float z) { return std::isnan(z) || (m_nodata && z == *m_nodata); };
    for (bool changed = true; changed;) {
        changed = false;
        std::vector<float> next = v;
        for (int r = 0; r < h; ++r) {
            for (int c = 0; c < w; ++c) {
                const std::size_t i = static_cast<std::size_t>(r) * w + c;
                if (!is_void(v[i])) continue;
                double sum = 0.0;
                int count = 0;
                const int nb[4][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
                for (const auto& d : nb) {
                    const int rr = r + d[0];
                    const int cc = c + d[1];
                    if (rr < 0 || cc < 0 || rr >= h || cc >= w) continue;
                    const float z = v[static_cast<std::size_t>(rr) * w + cc];
                    if (!is_void(z)) {
                        sum += z;
                        ++count;
                    }
                }
                if (count > 0) {
                    next[i] = static_cast<float>(sum / count);
                    changed = true;
                }
            }
        }
        v = std::move(next);
    }
}

DemSampler::~DemSampler() = default;

double DemSampler::elevation_m(double lon, double lat) const {
    double x = lon;
    double y = lat;
    if (m_to_dem && !m_to_dem->Transform(1, &x, &y)) return std::numeric_limits<double>::quiet_NaN();
    // Continuous cell coordinates with cell centres at integers.
    const double col = (x - m_geotransform[0]) / m_geotransform[1] - 0.5;
    const double row = (y - m_geotransform[3]) / m_geotransform[5] - 0.5;
    const int c0 = static_cast<int>(std::floor(col));
    const int r0 = static_cast<int>(std::floor(row));
    const double tx = col - c0;
    const double ty = row - r0;
    double sum = 0.0;
    double weight = 0.0;
    for (int dr = 0; dr <= 1; ++dr) {
        for (int dc = 0; dc <= 1; ++dc) {
            const int c = c0 + dc;
            const int r = r0 + dr;
            if (c < m_window.x_off || r < m_window.y_off || c >= m_window.x_off + m_window.width ||
                r >= m_window.y_off + m_window.height) {
                continue;
            }
            const float z = m_window.at(c, r);
            if (std::isnan(z) || (m_nodata && z == *m_nodata)) continue;
            const double w = (dc ? tx : 1.0 - tx) * (dr ? ty : 1.0 - ty);
            sum += w * z;
            weight += w;
        }
    }
    return weight > 0.0 ? sum / weight : std::numeric_limits<double>::quiet_NaN();
}

ItmProfile radial_profile(const DemSampler& dem, double lon, double lat, double azimuth_deg, double length_m,
                          double step_m) {
    if (!(length_m > 0.0) || !(step_m > 0.0)) {
        throw std::invalid_argument("a radial profile needs a positive length and step");
    }
    const int intervals = std::max(1, static_cast<int>(std::ceil(length_m / step_m - 1e-9)));
    geod_geodesicline line{};
    geod_lineinit(&line, &wgs84_geodesic(), lat, lon, azimuth_deg, 0u);
    ItmProfile p;
    p.spacing_m = length_m / intervals;
    p.elevations_m.reserve(static_cast<std::size_t>(intervals) + 1);
    for (int i = 0; i <= intervals; ++i) {
        double plat = 0.0;
        double plon = 0.0;
        geod_position(&line, i * p.spacing_m, &plat, &plon, nullptr);
        const double z = dem.elevation_m(plon, plat);
        if (std::isnan(z)) {
            throw InputError(Location{}, "elevation", "void",
                             fmt::format("no elevation at lon {:.6f}, lat {:.6f} (a void with no valid neighbour)",
                                         plon, plat));
        }
        p.elevations_m.push_back(z);
    }
    return p;
}

} // namespace deadzone::model
