// gen-dem: a seeded, deterministic synthetic elevation model for the sample campaign — relief
// with the character of northern Vietnam's mountains (ridges of 500-2 000 m trending north-west
// to south-east, plateaus in the centre, plains along the coast) and each village of a villages
// file at the bottom of a valley. It is NOT real terrain (geodata/README.md says so); it lets the
// sample exercise terrain footprints without shipping tens of megabytes of SRTM.
//
// usage: gen-dem --villages geodata/villages.geojson --out geodata/terrain/dem.tif
//                [--bbox 101.9,11.6,109.4,23.6] [--cell-deg 0.0025] [--seed 2022]
// Output: GeoTIFF, EPSG:4326, Int16 metres (unit type "metre"), deflate; same bytes every run.

#include <deadzone/geo/gdal.hpp>

#include <CLI/CLI.hpp>
#include <cpl_string.h>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

namespace {

std::uint64_t mix(std::uint64_t x) { // splitmix64's finaliser: integer-only, so portable
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

double lattice(std::int64_t ix, std::int64_t iy, std::uint64_t seed) {
    const std::uint64_t h = mix(seed ^ mix(static_cast<std::uint64_t>(ix) * 0x100000001b3ULL ^ mix(static_cast<std::uint64_t>(iy))));
    return static_cast<double>(h >> 11) / 9007199254740992.0; // [0, 1)
}

// Value noise in [0, 1): smoothstep between lattice values one unit apart.
double value_noise(double x, double y, std::uint64_t seed) {
    const double fx = std::floor(x);
    const double fy = std::floor(y);
    const auto ix = static_cast<std::int64_t>(fx);
    const auto iy = static_cast<std::int64_t>(fy);
    const double tx = x - fx;
    const double ty = y - fy;
    const double sx = tx * tx * (3.0 - 2.0 * tx);
    const double sy = ty * ty * (3.0 - 2.0 * ty);
    const double a = lattice(ix, iy, seed);
    const double b = lattice(ix + 1, iy, seed);
    const double c = lattice(ix, iy + 1, seed);
    const double d = lattice(ix + 1, iy + 1, seed);
    return (a + (b - a) * sx) * (1.0 - sy) + (c + (d - c) * sx) * sy;
}

// Ridged multifractal: sharp crests where the noise crosses its middle, summed over octaves
// from 60 km down to ~4 km wavelength; coordinates in km, stretched along the NW-SE trend.
double ridges(double x_km, double y_km, std::uint64_t seed) {
    const double c = std::numbers::sqrt2 / 2.0;
    const double u = (x_km - y_km) * c / 2.2; // along the trend (NW-SE): longer features
    const double v = (x_km + y_km) * c;       // across it
    double sum = 0.0;
    double weight = 0.0;
    double amplitude = 1.0;
    double wavelength = 60.0;
    for (int octave = 0; octave < 5; ++octave) {
        const double n = value_noise(u / wavelength, v / wavelength, seed + static_cast<std::uint64_t>(octave));
        const double ridge = 1.0 - std::fabs(2.0 * n - 1.0);
        sum += amplitude * ridge * ridge;
        weight += amplitude;
        amplitude *= 0.5;
        wavelength /= 2.0;
    }
    return sum / weight; // [0, 1)
}

// Longitude of the coast at a latitude (a coarse outline of Vietnam's): land west of it.
double coast_lon(double lat) {
    static const double table[][2] = {{8.0, 105.0},  {10.5, 107.0}, {12.0, 109.2}, {14.0, 109.2}, {16.0, 108.3},
                                      {17.5, 106.8}, {19.0, 105.9}, {20.0, 106.5}, {21.0, 107.4}, {22.0, 108.2},
                                      {24.0, 110.0}};
    const int n = static_cast<int>(std::size(table));
    if (lat <= table[0][0]) return table[0][1];
    for (int i = 1; i < n; ++i) {
        if (lat <= table[i][0]) {
            const double t = (lat - table[i - 1][0]) / (table[i][0] - table[i - 1][0]);
            return table[i - 1][1] + t * (table[i][1] - table[i - 1][1]);
        }
    }
    return table[n - 1][1];
}

struct Grid {
    double lon0 = 0, lat1 = 0, cell = 0; // upper-left corner, cell size (degrees)
    int width = 0, height = 0;
    std::vector<double> z;
    double lon(int col) const { return lon0 + (col + 0.5) * cell; }
    double lat(int row) const { return lat1 - (row + 0.5) * cell; }
};

void relief(Grid& g, std::uint64_t seed) {
    constexpr double km_per_deg = 111.195;
    for (int r = 0; r < g.height; ++r) {
        const double lat = g.lat(r);
        const double coast = coast_lon(lat);
        const double y_km = lat * km_per_deg;
        for (int c = 0; c < g.width; ++c) {
            const double lon = g.lon(c);
            const double x_km = lon * km_per_deg * std::cos(lat * std::numbers::pi / 180.0);
            // Mountains rise over ~80 km inland from the coast; the north is higher than the south.
            const double inland = std::clamp((coast - lon) / 0.75, 0.0, 1.0);
            const double north = std::clamp((lat - 11.0) / 11.0, 0.35, 1.0);
            const double ridge = ridges(x_km, y_km, seed);
            const double plateau = 0.25 * value_noise(x_km / 90.0, y_km / 90.0, seed + 17);
            const double z = 5.0 + inland * (120.0 + north * 1900.0 * (0.85 * ridge + plateau) * ridge);
            g.z[static_cast<std::size_t>(r) * g.width + c] = z;
        }
    }
}

// Each village sits in a valley: the ground around it is lowered towards a floor of a third of
// its height, over a Gaussian of 1.8 km, so ridges around it shade it from distant sites.
void carve_valleys(Grid& g, const std::vector<std::pair<double, double>>& villages) {
    constexpr double sigma_km = 1.8;
    constexpr double km_per_deg = 111.195;
    const std::vector<double> before = g.z;
    for (const auto& [vlon, vlat] : villages) {
        const double cos_lat = std::cos(vlat * std::numbers::pi / 180.0);
        const int reach_cols = static_cast<int>(std::ceil(3.0 * sigma_km / (km_per_deg * cos_lat * g.cell)));
        const int reach_rows = static_cast<int>(std::ceil(3.0 * sigma_km / (km_per_deg * g.cell)));
        const int c0 = static_cast<int>(std::floor((vlon - g.lon0) / g.cell));
        const int r0 = static_cast<int>(std::floor((g.lat1 - vlat) / g.cell));
        for (int r = std::max(0, r0 - reach_rows); r <= std::min(g.height - 1, r0 + reach_rows); ++r) {
            for (int c = std::max(0, c0 - reach_cols); c <= std::min(g.width - 1, c0 + reach_cols); ++c) {
                const double dx = (g.lon(c) - vlon) * km_per_deg * cos_lat;
                const double dy = (g.lat(r) - vlat) * km_per_deg;
                const double w = std::exp(-(dx * dx + dy * dy) / (2.0 * sigma_km * sigma_km));
                const std::size_t i = static_cast<std::size_t>(r) * g.width + c;
                const double carved = before[i] - (before[i] * 2.0 / 3.0) * w;
                g.z[i] = std::min(g.z[i], carved);
            }
        }
    }
}

std::vector<std::pair<double, double>> read_village_points(const std::string& path) {
    deadzone::geo::ensure_gdal();
    std::unique_ptr<GDALDataset> ds{GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY)};
    if (!ds || ds->GetLayerCount() < 1) throw std::runtime_error(path + ": cannot open as a vector layer");
    std::vector<std::pair<double, double>> points;
    OGRLayer* layer = ds->GetLayer(0);
    layer->ResetReading();
    while (OGRFeature* f = layer->GetNextFeature()) {
        if (const OGRGeometry* geometry = f->GetGeometryRef()) {
            OGRPoint centre;
            if (geometry->Centroid(&centre) == OGRERR_NONE) points.emplace_back(centre.getX(), centre.getY());
        }
        OGRFeature::DestroyFeature(f);
    }
    return points;
}

void write_tiff(const Grid& g, const std::string& path) {
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    char** options = nullptr;
    options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
    options = CSLSetNameValue(options, "PREDICTOR", "2");
    options = CSLSetNameValue(options, "TILED", "YES");
    std::unique_ptr<GDALDataset> out{driver->Create(path.c_str(), g.width, g.height, 1, GDT_Int16, options)};
    CSLDestroy(options);
    if (!out) throw std::runtime_error(path + ": cannot create");
    double transform[6] = {g.lon0, g.cell, 0.0, g.lat1, 0.0, -g.cell};
    out->SetGeoTransform(transform);
    out->SetProjection(SRS_WKT_WGS84_LAT_LONG);
    // No date or software tag: the same inputs give the same bytes.
    out->SetMetadataItem("TIFFTAG_SOFTWARE", nullptr);
    GDALRasterBand* band = out->GetRasterBand(1);
    band->SetUnitType("metre");
    band->SetDescription("synthetic elevation (gen-dem), not real terrain");
    std::vector<std::int16_t> row(static_cast<std::size_t>(g.width));
    for (int r = 0; r < g.height; ++r) {
        for (int c = 0; c < g.width; ++c) {
            row[c] = static_cast<std::int16_t>(std::lround(g.z[static_cast<std::size_t>(r) * g.width + c]));
        }
        if (band->RasterIO(GF_Write, 0, r, g.width, 1, row.data(), g.width, 1, GDT_Int16, 0, 0) != CE_None) {
            throw std::runtime_error(path + ": cannot write");
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"gen-dem: a synthetic elevation model for the sample campaign"};
    std::string villages;
    std::string out;
    std::string bbox = "101.9,11.6,109.4,23.6";
    double cell = 0.0025;
    std::uint64_t seed = 2022;
    app.add_option("--villages", villages, "villages file whose villages sit in valleys")->required();
    app.add_option("--out", out, "GeoTIFF to write")->required();
    app.add_option("--bbox", bbox, "min_lon,min_lat,max_lon,max_lat");
    app.add_option("--cell-deg", cell, "cell size in degrees")->check(CLI::Range(0.0002, 0.1));
    app.add_option("--seed", seed, "random seed");
    CLI11_PARSE(app, argc, argv);
    try {
        double b[4] = {0, 0, 0, 0};
        if (std::sscanf(bbox.c_str(), "%lf,%lf,%lf,%lf", &b[0], &b[1], &b[2], &b[3]) != 4 || b[0] >= b[2] ||
            b[1] >= b[3]) {
            std::cerr << "gen-dem: --bbox must be min_lon,min_lat,max_lon,max_lat\n";
            return 2;
        }
        Grid g;
        g.lon0 = b[0];
        g.lat1 = b[3];
        g.cell = cell;
        g.width = static_cast<int>(std::ceil((b[2] - b[0]) / cell));
        g.height = static_cast<int>(std::ceil((b[3] - b[1]) / cell));
        g.z.assign(static_cast<std::size_t>(g.width) * g.height, 0.0);
        relief(g, seed);
        carve_valleys(g, read_village_points(villages));
        write_tiff(g, out);
        const auto [lo, hi] = std::minmax_element(g.z.begin(), g.z.end());
        std::cout << fmt::format("gen-dem: {} ({}x{} cells of {:g}°, {:.0f}..{:.0f} m)\n", out, g.width, g.height,
                                 cell, *lo, *hi);
    } catch (const std::exception& e) {
        std::cerr << "gen-dem: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
