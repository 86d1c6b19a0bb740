#include "population.hpp"

#include <deadzone/geo/raster.hpp>

#include <deadzone/core/error.hpp>

#include <boost/geometry.hpp>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>

namespace bg = boost::geometry;

namespace deadzone::overlay::detail {

void PopulationRaster::TransformDeleter::operator()(OGRCoordinateTransformation* transform) const noexcept {
    OGRCoordinateTransformation::DestroyCT(transform);
}

PopulationRaster::PopulationRaster(const std::filesystem::path& path) : m_path(path) {
    geo::ensure_gdal();
    const Location where{path.string(), std::nullopt, {}, std::nullopt};
    CPLErrorReset();
    m_dataset.reset(GDALDataset::Open(path.string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!m_dataset) {
        throw InputError(where, "population_raster", "unreadable",
                         "cannot open the population raster: " + geo::last_gdal_error());
    }
    if (m_dataset->GetRasterCount() < 1) {
        throw InputError(where, "population_raster", "no_band", "the population raster has no band");
    }
    m_band = m_dataset->GetRasterBand(1);
    m_width = m_dataset->GetRasterXSize();
    m_height = m_dataset->GetRasterYSize();
    if (m_dataset->GetGeoTransform(m_to_georef.data()) != CE_None ||
        !GDALInvGeoTransform(m_to_georef.data(), m_to_pixel.data())) {
        throw InputError(where, "population_raster", "no_georeference",
                         "the population raster has no usable geotransform");
    }
    int has_nodata = 0;
    m_nodata = m_band->GetNoDataValue(&has_nodata);
    m_has_nodata = has_nodata != 0;

    const OGRSpatialReference* srs = m_dataset->GetSpatialRef();
    if (srs != nullptr && !srs->IsEmpty()) {
        OGRSpatialReference raster_srs{*srs};
        raster_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!raster_srs.IsSame(&geo::wgs84())) {
            m_lonlat_to_raster.reset(OGRCreateCoordinateTransformation(&geo::wgs84(), &raster_srs));
            m_raster_to_lonlat.reset(OGRCreateCoordinateTransformation(&raster_srs, &geo::wgs84()));
            if (!m_lonlat_to_raster || !m_raster_to_lonlat) {
                throw InputError(where, "population_raster", "bad_crs",
                                 "cannot transform between the raster's CRS and WGS84: " +
                                     geo::last_gdal_error());
            }
        }
    }
}

PopulationRaster::~PopulationRaster() = default;

std::vector<PopulationSample> PopulationRaster::samples(const geo::MultiPolygon& shape,
                                                        const geo::Box& box) const {
    // The village envelope's pixels; geo/raster does the window arithmetic and the reading.
    const geo::PixelWindow window =
        geo::pixel_window(box, m_to_pixel, m_lonlat_to_raster.get(), m_width, m_height);
    if (window.empty()) {
        return {};
    }
    const int c0 = window.col0;
    const int r0 = window.row0;
    const int w = window.width();
    const int h = window.height();
    auto to_georef = m_to_georef;
    const std::vector<double> values = geo::read_window_f64(*m_band, window, m_path.string());

    std::vector<PopulationSample> out;
    std::vector<double> cx;
    std::vector<double> cy;
    std::vector<double> people;
    for (int r = 0; r < h; ++r) {
        for (int c = 0; c < w; ++c) {
            const double v = values[static_cast<std::size_t>(r) * static_cast<std::size_t>(w) +
                                    static_cast<std::size_t>(c)];
            if (!std::isfinite(v) || v <= 0.0 || (m_has_nodata && v == m_nodata)) {
                continue;
            }
            double gx = 0.0;
            double gy = 0.0;
            GDALApplyGeoTransform(to_georef.data(), c0 + c + 0.5, r0 + r + 0.5,
                                  &gx, &gy);
            cx.push_back(gx);
            cy.push_back(gy);
            people.push_back(v);
        }
    }
    if (cx.empty()) {
        return {};
    }
    std::vector<int> ok(cx.size(), TRUE);
    if (m_raster_to_lonlat) {
        m_raster_to_lonlat->Transform(static_cast<int>(cx.size()), cx.data(), cy.data(), nullptr, ok.data());
    }
    for (std::size_t i = 0; i < cx.size(); ++i) {
        const geo::Point centre{cx[i], cy[i]};
        if (ok[i] && bg::covered_by(centre, box) && bg::covered_by(centre, shape)) {
            out.push_back({centre, people[i]});
        }
    }
    return out;
}

} // namespace deadzone::overlay::detail
