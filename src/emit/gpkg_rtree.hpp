// emit/gpkg_rtree (internal): a GeoPackage layer's spatial index ("gpkg_rtree_index", an SQLite
// R*Tree) written in one pass. GDAL 3.6 (Debian 12) fills the index with one R*Tree insert per
// row, 3.8 s for 300 000 stations; this packs the tree from the rows' boxes (sort-tile-
// recursive) and writes SQLite's node, parent and rowid tables directly. Everything else is what
// GDAL writes: the gpkg_extensions row, the virtual table and its six triggers, with the same
// SQL, so GDAL, QGIS and SQLite edit the layer afterwards as they would GDAL's own index.
#pragma once

#include <gdal_priv.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace deadzone::emit::detail {

/// One indexed feature: its fid and the bounding box of its (non-empty) geometry.
struct RtreeEntry {
    std::int64_t id = 0;
    double min_x = 0.0, max_x = 0.0, min_y = 0.0, max_y = 0.0;
};

/// Adds the R-tree spatial index of `table`.`column` to the GeoPackage `dataset` (a GDAL GPKG
/// dataset whose layer was created without one, with `fid` as its FID column), holding `entries`
/// (ids unique), inside one transaction. Throws deadzone::Failure naming `file` when SQLite refuses.
void write_gpkg_rtree(GDALDataset& dataset, const std::string& table, const std::string& column,
                      std::vector<RtreeEntry> entries, const std::filesystem::path& file);

/// The float a SQLite R*Tree stores for a box's lower (upper) bound `value`: the nearest float
/// not above (not below) it, rounded as SQLite 3's rtree module rounds it.
float rtree_lower(double value);
float rtree_upper(double value);

} // namespace deadzone::emit::detail
