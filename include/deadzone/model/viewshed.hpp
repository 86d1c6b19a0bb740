// model/viewshed: which cells of an elevation grid a point observer sees, with the parameter
// meanings and output values of gdal_viewshed; run on all cores, deterministic.
#pragma once

#include <deadzone/geo/raster.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace deadzone::model {

/// gdal_viewshed's parameters; every field has its default.
struct ViewshedOptions {
    double observer_height_m = 2.0;          // -oz: above the ground at the observer's cell
    double target_height_m = 0.0;            // -tz: above the ground at each target cell
    double max_distance_m = 0.0;             // -md: 0 = no limit
    double curvature_coefficient = 0.85714;  // -cc: 1 − 1/7 (light refraction); 0 = flat earth
    std::uint8_t visible = 255;              // -vv
    std::uint8_t invisible = 0;              // -iv
    std::uint8_t out_of_range = 0;           // -ov
    bool exact = false;   // true: one line of sight per cell (R3); false: rays to the window's edge (R2)
    int threads = 0;      // 0 = all cores
};

/// A grid of elevations (m) with metric cell sizes, row-major, row 0 at the top.
struct ElevationGrid {
    int width = 0;
    int height = 0;
    double cell_width_m = 1.0;
    double cell_height_m = 1.0;
    std::vector<float> z;
    std::optional<float> nodata;
};

struct ViewshedGridResult {
    std::vector<std::uint8_t> values; // same shape as the grid
    std::size_t visible_cells = 0;
    std::size_t nodata_cells = 0;     // nodata cells inside the range (reported, never visible)
};

/// Viewshed of the observer at cell (col, row). Throws std::invalid_argument for an observer
/// outside the grid or on a nodata cell, or a negative/non-finite parameter.
ViewshedGridResult viewshed_grid(const ElevationGrid& grid, int observer_col, int observer_row,
                                 const ViewshedOptions& options);

struct ViewshedRaster {
    int width = 0;
    int height = 0;
    geo::GeoTransform geotransform{};
    std::string crs_wkt;
    ViewshedGridResult result;
};

/// Viewshed over a DEM for an observer at (x, y) in the DEM's CRS. Geographic DEMs get metric
/// cell sizes at the observer's latitude (WGS84 radius). The output is on the DEM's grid, over
/// the cells within range (the window gdal_viewshed writes; the whole DEM without a range).
/// Only the window within range is read, and its valid cells must lie in -500..9000 m
/// (geo::check_elevation_range: InputError otherwise) — a country-wide VRT is never read whole.
ViewshedRaster viewshed_raster(const geo::Raster& dem, double observer_x, double observer_y,
                               const ViewshedOptions& options);

} // namespace deadzone::model
