// `deadzone viewshed`: the cells of a DEM in line of sight of an observer, as a GeoTIFF on the
// DEM's grid over the cells within range, with gdal_viewshed's values and extent (255 visible,
// 0 not visible or out of range).
#include "command.hpp"

#include <deadzone/geo/raster.hpp>
#include <deadzone/model/viewshed.hpp>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <ostream>
#include <string>

namespace deadzone::cli {

namespace {

void require_finite(const char* option, double value) {
    if (!std::isfinite(value)) throw UsageError(fmt::format("viewshed: {} must be a number", option));
}

class ViewshedCommand final : public Command {
public:
    const char* name() const override { return "viewshed"; }
    const char* summary() const override {
        return "Cells of a DEM in line of sight of an observer, as a GeoTIFF (like gdal_viewshed)";
    }

    void setup(CLI::App& app) override {
        app.add_option("--dem", m_dem, "Elevation raster in metres (any GDAL raster, any CRS)")->required();
        app.add_option("--lon", m_lon, "Observer longitude, WGS84 degrees")->required();
        app.add_option("--lat", m_lat, "Observer latitude, WGS84 degrees")->required();
        app.add_option("--observer-height-m", m_options.observer_height_m,
                       "Observer height above the ground (gdal_viewshed -oz)")
            ->required();
        app.add_option("--target-height-m", m_options.target_height_m,
                       "Target height above the ground at each cell (gdal_viewshed -tz)")
            ->required();
        app.add_option("--max-distance-m", m_options.max_distance_m,
                       "Range in metres; cells beyond it are 0 (gdal_viewshed -md; default: 0 = no limit)");
        app.add_option("--curvature-coefficient", m_options.curvature_coefficient,
                       "Earth curvature coefficient: 1 - refraction (gdal_viewshed -cc; default: 0.85714)");
        app.add_flag("--exact", m_options.exact,
                     "One line of sight per cell (R3) instead of rays to the window's edge (R2, default)");
        app.add_option("--out", m_out,
                       "Output GeoTIFF over the cells within range (Byte: 255 visible, 0 not visible or out of range)")
            ->required();
        add_threads_option(app, m_options.threads);
    }

    int run(Context& context) override {
        require_finite("--lon", m_lon);
        require_finite("--lat", m_lat);
        if (std::abs(m_lon) > 180.0 || std::abs(m_lat) > 90.0) {
            throw UsageError(fmt::format("viewshed: --lon/--lat {:g},{:g} is not a WGS84 position", m_lon, m_lat));
        }
        require_finite("--observer-height-m", m_options.observer_height_m);
        require_finite("--target-height-m", m_options.target_height_m);
        require_finite("--curvature-coefficient", m_options.curvature_coefficient);
        if (!std::isfinite(m_options.max_distance_m) || m_options.max_distance_m < 0.0) {
            throw UsageError("viewshed: --max-distance-m must be 0 (no limit) or a positive number");
        }
        std::error_code ec;
        if (std::filesystem::exists(m_out, ec) && std::filesystem::equivalent(m_out, m_dem, ec)) {
            throw UsageError("viewshed: --out is the input DEM; refusing to overwrite an input");
        }
        const geo::Raster dem(m_dem, geo::RasterReads::direct);
        geo::check_elevation_unit(dem); // the values: on the window read, in viewshed_raster
        const auto [x, y] = geo::lonlat_to_raster_crs(dem, m_lon, m_lat);
        model::ViewshedRaster v;
        try {
            v = model::viewshed_raster(dem, x, y, m_options);
        } catch (const std::invalid_argument& e) {
            throw UsageError(fmt::format("viewshed: {} ({:g}, {:g})", e.what(), m_lon, m_lat));
        }
        if (v.result.nodata_cells > 0) {
            context.err << fmt::format("deadzone: warning: {}: {} nodata cells in range are reported not visible "
                                       "and do not block sight\n",
                                       m_dem, v.result.nodata_cells);
        }
        geo::write_byte_geotiff(m_out, v.width, v.height, v.geotransform, v.crs_wkt, v.result.values);
        if (!context.quiet) {
            context.out << fmt::format("viewshed: {} cells visible ({} algorithm) -> {}\n", v.result.visible_cells,
                                       m_options.exact ? "R3 exact" : "R2", m_out);
        }
        return ExitCode::ok;
    }

private:
    std::string m_dem;
    std::string m_out;
    double m_lon = 0.0;
    double m_lat = 0.0;
    model::ViewshedOptions m_options;
};

} // namespace

std::unique_ptr<Command> make_viewshed_command() { return std::make_unique<ViewshedCommand>(); }

} // namespace deadzone::cli
