// geo/raster: read-only access to a single-band elevation raster through GDAL (RAII handles),
// windows of it as floats, its georeferencing, and a byte GeoTIFF writer on the same grid.
#pragma once

#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/types.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

class GDALRasterBand;
class OGRCoordinateTransformation;

namespace deadzone::geo {

/// GDAL's affine geotransform: x = g[0] + col·g[1] + row·g[2], y = g[3] + col·g[4] + row·g[5].
using GeoTransform = std::array<double, 6>;

/// A rectangle of cells read from band 1, row-major.
struct RasterWindow {
    int x_off = 0;
    int y_off = 0;
    int width = 0;
    int height = 0;
    std::vector<float> values;

    float at(int col, int row) const { return values[static_cast<std::size_t>(row - y_off) * width + (col - x_off)]; }
};

/// How a raster will be read: `cached`, many small windows (through GDAL's block cache);
/// `direct`, a few large windows each read once (an uncompressed GeoTIFF is then read straight
/// into the caller's buffer, GDAL's GTIFF_DIRECT_IO, unless the user set that option).
enum class RasterReads { cached, direct };

class Raster {
public:
    /// Opens `path` read-only; throws Failure naming the file when GDAL cannot.
    explicit Raster(const std::string& path, RasterReads reads = RasterReads::cached);

    const std::string& path() const noexcept { return m_path; }
    int width() const noexcept { return m_width; }
    int height() const noexcept { return m_height; }
    const GeoTransform& geotransform() const noexcept { return m_geotransform; }
    /// The CRS as WKT ("" when the raster has none).
    const std::string& crs_wkt() const noexcept { return m_crs_wkt; }
    bool crs_is_geographic() const noexcept { return m_geographic; }
    /// Band 1's unit type as GDAL reports it ("" when unset).
    const std::string& unit() const noexcept { return m_unit; }
    std::optional<double> nodata() const noexcept { return m_nodata; }

    /// Reads cells [x_off, x_off+width) × [y_off, y_off+height) of band 1 as floats.
    RasterWindow read(int x_off, int y_off, int width, int height) const;
    /// The same into `out` (width × height floats, rows `width` apart).
    void read_into(int x_off, int y_off, int width, int height, float* out) const;

    /// Band 1's minimum and maximum (exact), or nothing when every cell is nodata.
    std::optional<std::pair<double, double>> min_max() const;

    /// Cell (col, row) containing georeferenced point (x, y) (north-up rasters).
    std::pair<int, int> cell_of(double x, double y) const;

private:
    std::string m_path;
    DatasetPtr m_dataset;
    int m_width = 0;
    int m_height = 0;
    GeoTransform m_geotransform{};
    std::string m_crs_wkt;
    bool m_geographic = false;
    std::string m_unit;
    std::optional<double> m_nodata;
};

/// A window of pixels [col0, col1) × [row0, row1), clamped to the raster (empty when outside).
/// Advises the kernel to back [data, data + bytes) with transparent huge pages (Linux
/// madvise MADV_HUGEPAGE on the whole 2 MB pages inside the range), before first touch: large
/// raster buffers then fault in 2 MB at a time instead of 4 kB. Only advice; a no-op elsewhere.
void advise_huge_pages(void* data, std::size_t bytes);

struct PixelWindow {
    int col0 = 0;
    int row0 = 0;
    int col1 = 0;
    int row1 = 0;
    bool empty() const noexcept { return col1 <= col0 || row1 <= row0; }
    int width() const noexcept { return col1 - col0; }
    int height() const noexcept { return row1 - row0; }
};

/// The pixels under a WGS84 lon/lat box on a raster of `width` × `height` pixels: the box's
/// edges densified (so that their curved image in a projected CRS stays enclosed), taken to the
/// raster's CRS by `lonlat_to_raster` (null: the raster is in lon/lat) and to pixels by
/// `to_pixel` (GDAL's inverse geotransform). Empty when a point cannot be transformed.
PixelWindow pixel_window(const Box& box, const GeoTransform& to_pixel,
                         OGRCoordinateTransformation* lonlat_to_raster, int width, int height);

/// Band `band`'s pixels in `window` as doubles, row-major; throws Failure naming `path`.
std::vector<double> read_window_f64(GDALRasterBand& band, const PixelWindow& window, const std::string& path);

/// Refuses an elevation raster that is not in metres (unit "ft", "foot", "us-ft"...) or whose
/// values lie outside -500..9000 m; throws InputError naming the file and what is wrong. The
/// range is GDAL's exact min/max over the whole raster (one full read).
void check_elevation_units(const Raster& dem);

/// The unit half of check_elevation_units (no pixel is read).
void check_elevation_unit(const Raster& dem);

/// The range half, for a range already known (say of the window a command read); nullopt
/// means no valid cell.
void check_elevation_range(const Raster& dem, const std::optional<std::pair<double, double>>& range);

/// Writes a one-band Byte GeoTIFF (uncompressed, as gdal_viewshed writes) on the given grid;
/// throws Failure on error.
void write_byte_geotiff(const std::string& path, int width, int height, const GeoTransform& geotransform,
                        const std::string& crs_wkt, const std::vector<unsigned char>& values);

/// (lon, lat) in WGS84 to the raster's CRS; throws Failure if the CRS has no transformation.
std::pair<double, double> lonlat_to_raster_crs(const Raster& raster, double lon, double lat);

} // namespace deadzone::geo
