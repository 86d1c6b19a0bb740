// Source formats (Excel-style CSV, XLSX, GeoPackage, Shapefile, FlatGeobuf, KML, WKT CSV,
// OpenCelliD) and CRS handling (VN-2000, UTM) checked against independently computed coordinates.
#include "ingest_support.hpp"

#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/geodesic.hpp>

#include <doctest/doctest.h>
#include <gdal_priv.h>
#include <ogr_feature.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <numbers>

using namespace deadzone;
using deadzone::test::data;
using deadzone::test::described;
using deadzone::test::mini_campaign;
using deadzone::test::ScratchDir;
using deadzone::test::write_text;
using Lines = std::vector<std::string>;

namespace {

struct PointRow {
    double x;
    double y;
    std::vector<std::string> values; // one per field
};

/// Writes a point layer with string fields through OGR (the same library users' tools use).
void write_points(const std::string& driver_name, const std::filesystem::path& file, int epsg,
                  const std::vector<std::string>& fields, const std::vector<PointRow>& rows) {
    geo::ensure_gdal();
    auto* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    REQUIRE(driver != nullptr);
    geo::DatasetPtr dataset{driver->Create(file.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr)};
    REQUIRE(dataset);
    OGRSpatialReference srs;
    OGRSpatialReference* srs_ptr = nullptr;
    if (epsg != 0) {
        srs.importFromEPSG(epsg);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        srs_ptr = &srs;
    }
    const bool tabular = driver_name == "XLSX";
    auto* layer = dataset->CreateLayer("cells", srs_ptr, tabular ? wkbNone : wkbPoint, nullptr);
    REQUIRE(layer != nullptr);
    // Indices as the driver assigned them: KML puts fields of its own first, Shapefile
    // shortens names to 10 characters.
    std::vector<int> index;
    for (const auto& name : fields) {
        OGRFieldDefn defn{name.c_str(), OFTString};
        REQUIRE(layer->CreateField(&defn) == OGRERR_NONE);
        index.push_back(layer->GetLayerDefn()->GetFieldCount() - 1);
    }
    for (const auto& row : rows) {
        OGRFeatureUniquePtr feature{OGRFeature::CreateFeature(layer->GetLayerDefn())};
        for (std::size_t i = 0; i < fields.size(); ++i) {
            feature->SetField(index[i], row.values[i].c_str());
        }
        if (!tabular) {
            OGRPoint point{row.x, row.y};
            feature->SetGeometry(&point);
        }
        REQUIRE(layer->CreateFeature(feature.get()) == OGRERR_NONE);
    }
}

// --- independent coordinate formulas (no PROJ): WGS84 ellipsoid, Krüger series -------------
constexpr double a_m = 6378137.0;
constexpr double f = 1.0 / 298.257223563;
constexpr double deg = std::numbers::pi / 180.0;

/// Transverse Mercator (UTM-style) easting/northing by Krüger's n-series to third order
/// (sub-millimetre within a zone).
std::pair<double, double> transverse_mercator(double lon, double lat, double lon0, double k0, double false_e) {
    const double n = f / (2.0 - f);
    const double big_a = a_m / (1.0 + n) * (1.0 + n * n / 4.0 + n * n * n * n / 64.0);
    const double alpha[3] = {n / 2.0 - 2.0 * n * n / 3.0 + 5.0 * n * n * n / 16.0,
                             13.0 * n * n / 48.0 - 3.0 * n * n * n / 5.0, 61.0 * n * n * n / 240.0};
    const double phi = lat * deg;
    const double dlambda = (lon - lon0) * deg;
    const double c = 2.0 * std::sqrt(n) / (1.0 + n);
    const double t = std::sinh(std::atanh(std::sin(phi)) - c * std::atanh(c * std::sin(phi)));
    const double xi = std::atan2(t, std::cos(dlambda));
    const double eta = std::atanh(std::sin(dlambda) / std::sqrt(1.0 + t * t));
    double e = eta;
    double nn = xi;
    for (int j = 1; j <= 3; ++j) {
        e += alpha[j - 1] * std::cos(2.0 * j * xi) * std::sinh(2.0 * j * eta);
        nn += alpha[j - 1] * std::sin(2.0 * j * xi) * std::cosh(2.0 * j * eta);
    }
    return {false_e + k0 * big_a * e, k0 * big_a * nn};
}

/// WGS84 lon/lat to VN-2000 lon/lat (both on the WGS84 ellipsoid) by inverting the published
/// EPSG:6960 "VN-2000 to WGS 84 (2)" coordinate-frame Helmert transformation.
std::pair<double, double> wgs84_to_vn2000(double lon, double lat) {
    const double e2 = f * (2.0 - f);
    const double phi = lat * deg;
    const double lambda = lon * deg;
    const double nu = a_m / std::sqrt(1.0 - e2 * std::sin(phi) * std::sin(phi));
    const double x = nu * std::cos(phi) * std::cos(lambda);
    const double y = nu * std::cos(phi) * std::sin(lambda);
    const double z = nu * (1.0 - e2) * std::sin(phi);
    const double tx = -191.90441429, ty = -39.30318279, tz = -111.45032835;
    const double sec = deg / 3600.0;
    const double rx = -0.00928836 * sec, ry = 0.01975479 * sec, rz = -0.00427372 * sec;
    const double s = 1.0 + 0.252906278e-6;
    // Forward (VN-2000 -> WGS 84): W = T + s * R * V with R = [[1, rz, -ry], [-rz, 1, rx], [ry, -rx, 1]].
    // Inverse: V = R^T (W - T) / s (R is orthogonal to first order; error ~ r^2 * 6e6 m, far below 1 mm).
    const double wx = (x - tx) / s, wy = (y - ty) / s, wz = (z - tz) / s;
    const double vx = wx - rz * wy + ry * wz;
    const double vy = rz * wx + wy - rx * wz;
    const double vz = -ry * wx + rx * wy + wz;
    const double p = std::hypot(vx, vy);
    double phi_v = std::atan2(vz, p * (1.0 - e2));
    for (int i = 0; i < 10; ++i) {
        const double nu_v = a_m / std::sqrt(1.0 - e2 * std::sin(phi_v) * std::sin(phi_v));
        phi_v = std::atan2(vz + e2 * nu_v * std::sin(phi_v), p);
    }
    return {std::atan2(vy, vx) / deg, phi_v / deg};
}

const std::vector<std::string> cell_fields{"operator", "site_id", "cell_id", "tech", "on_air_date", "height_m"};

std::vector<Cell> read(const std::filesystem::path& file, Diagnostics& diagnostics,
                       const Campaign& campaign = mini_campaign()) {
    return ingest::read_stations(file, campaign, {}, diagnostics);
}

} // namespace

TEST_CASE("formats: CSV as Excel writes it (BOM, CRLF, semicolons, other column names)") {
    ScratchDir dir;
    const auto file = dir / "excel.csv";
    write_text(file, "\xEF\xBB\xBF" "Operator;Site;Cell;Longitude;Latitude;Technology;On_Air_Date;Antenna Height\r\n"
                     "VTL;HG001;1;104.705;22.605;LTE;2022-06-10;35\r\n"
                     "VTL;HG001;2;104.705;22.605;LTE;2022-06-10;abc\r\n"
                     "VTL;HG002;1;104.81;22.625;GSM;2022-07-01;30\r\n");
    Diagnostics diagnostics;
    const auto cells = read(file, diagnostics);
    CHECK(described(diagnostics) == Lines{"row 3|Antenna Height|bad_number|error"});
    REQUIRE(cells.size() == 2);
    CHECK(cells[0].operator_code == "VTL");
    CHECK(cells[0].site_id == "HG001");
    CHECK(cells[0].position.x() == 104.705);
    CHECK(cells[0].height_m == 35.0);
    CHECK(cells[1].tech == Tech::g2);
    CHECK(cells[1].source == Location{"excel.csv", 4, {}, {}});
}

TEST_CASE("formats: XLSX written by GDAL, spreadsheet row numbers") {
    ScratchDir dir;
    const auto file = dir / "cells.xlsx";
    write_points("XLSX", file, 0, {"operator", "site_id", "lon", "lat", "tech", "on_air_date"},
                 {{0, 0, {"MBF", "M1", "104.7", "22.6", "4G", "2022-06-01"}},
                  {0, 0, {"MBF", "M2", "104.8", "22.7", "4G", "2022-06-31"}},
                  {0, 0, {"MBF", "M3", "104.9", "22.8", "3G", "2022-06-02"}}});
    Diagnostics diagnostics;
    const auto cells = read(file, diagnostics);
    CHECK(described(diagnostics) == Lines{"row 3|on_air_date|bad_date|error"});
    REQUIRE(cells.size() == 2);
    CHECK(cells[1].site_id == "M3");
    CHECK(cells[1].position.y() == 22.8);
    CHECK(cells[1].source == Location{"cells.xlsx", 4, {}, {}});
}

TEST_CASE("formats: GeoPackage, Shapefile, FlatGeobuf and KML round trips") {
    const std::vector<std::pair<std::string, std::string>> formats{
        {"GPKG", "cells.gpkg"}, {"ESRI Shapefile", "cells.shp"}, {"FlatGeobuf", "cells.fgb"}, {"KML", "cells.kml"}};
    for (const auto& [driver, name] : formats) {
        CAPTURE(driver);
        ScratchDir dir;
        write_points(driver, dir / name, 4326, cell_fields,
                     {{104.705, 22.605, {"VTL", "HG001", "1", "4G", "2022-06-10", "35"}},
                      {104.81, 22.625, {"VTL", "HG002", "", "2G", "2022-07-01", "-3"}},
                      {103.26, 22.36, {"VNP", "LC001", "A", "NR", "2022-06-20", "40"}}});
        Diagnostics diagnostics;
        const auto cells = read(dir / name, diagnostics);
        CAPTURE(described(diagnostics));
        REQUIRE(diagnostics.problems().size() == 1);
        const auto& problem = diagnostics.problems()[0];
        CHECK(problem.code == "height_out_of_range");
        CHECK(problem.field == "height_m");
        CHECK_FALSE(problem.where.row);
        REQUIRE(problem.where.fid); // the FID of the second feature, whatever the driver numbers from
        REQUIRE(cells.size() == 2);
        CHECK(cells[0].key() == "VTL/HG001/1");
        CHECK(cells[0].position.x() == doctest::Approx(104.705).epsilon(1e-12));
        CHECK(cells[0].position.y() == doctest::Approx(22.605).epsilon(1e-12));
        CHECK(cells[0].on_air_date->iso() == "2022-06-10");
        CHECK(cells[1].tech == Tech::g5);
    }
}

TEST_CASE("CRS: WGS 84 / UTM 48N lands on the independently computed position") {
    // Truth: Hà Giang area, computed here with Krüger's series (no PROJ involved).
    const double lon = 104.9836;
    const double lat = 22.8233;
    const auto [e, n] = transverse_mercator(lon, lat, 105.0, 0.9996, 500000.0);
    ScratchDir dir;
    write_points("GPKG", dir / "utm.gpkg", 32648, cell_fields, {{e, n, {"VTL", "U1", "1", "4G", "2022-06-10", "30"}}});
    Diagnostics diagnostics;
    const auto cells = read(dir / "utm.gpkg", diagnostics);
    CHECK(described(diagnostics).empty());
    REQUIRE(cells.size() == 1);
    CHECK(geo::distance_m(cells[0].position, geo::Point{lon, lat}) < 0.01);
}

TEST_CASE("CRS: VN-2000 / UTM 48N (EPSG:3405) and VN-2000 geographic (EPSG:4756) within 1 m") {
    const double lon = 105.8542; // Hà Nội
    const double lat = 21.0285;
    const auto [vlon, vlat] = wgs84_to_vn2000(lon, lat);
    // The datum shift is real (about 0.0017 degrees of latitude here): without it we would be off.
    CHECK(geo::distance_m(geo::Point{vlon, vlat}, geo::Point{lon, lat}) > 100.0);
    const auto [e, n] = transverse_mercator(vlon, vlat, 105.0, 0.9996, 500000.0);
    ScratchDir dir;
    write_points("GPKG", dir / "vn2000_utm.gpkg", 3405, cell_fields, {{e, n, {"VTL", "V1", "1", "4G", "2022-06-10", "30"}}});
    write_points("ESRI Shapefile", dir / "vn2000_geo.shp", 4756, cell_fields,
                 {{vlon, vlat, {"VTL", "V2", "1", "4G", "2022-06-10", "30"}}});
    for (const std::string name : {"vn2000_utm.gpkg", "vn2000_geo.shp"}) {
        CAPTURE(name);
        Diagnostics diagnostics;
        const auto cells = read(dir / name, diagnostics);
        CHECK(described(diagnostics) == Lines{});
        REQUIRE(cells.size() == 1);
        CHECK(geo::distance_m(cells[0].position, geo::Point{lon, lat}) < 1.0);
    }
}

TEST_CASE("CRS: a Shapefile without .prj is read as WGS84 only when it fits") {
    ScratchDir dir;
    write_points("ESRI Shapefile", dir / "lonlat.shp", 0, cell_fields, {{104.7, 22.6, {"VTL", "S1", "1", "4G", "2022-06-10", "30"}}});
    write_points("ESRI Shapefile", dir / "metres.shp", 0, cell_fields,
                 {{583000, 2322000, {"VTL", "S1", "1", "4G", "2022-06-10", "30"}},
                  {584000, 2323000, {"VTL", "S2", "1", "4G", "2022-06-10", "30"}}});
    Diagnostics good;
    CHECK(read(dir / "lonlat.shp", good).size() == 1);
    CHECK(described(good) == Lines{});
    Diagnostics bad;
    CHECK(read(dir / "metres.shp", bad).empty());
    CHECK(described(bad) == Lines{"-||crs_missing|error"});
}

TEST_CASE("formats: CSV with a WKT column; villages from lon/lat columns with aliases") {
    ScratchDir dir;
    write_text(dir / "wkt.csv", "site_id,operator,WKT,on_air_date,tech\n"
                                "S1,VNP,POINT (103.26 22.36),2022-06-20,4G\n"
                                "S2,VNP,POINT (103.27,2022-06-20,4G\n");
    Diagnostics diagnostics;
    const auto cells = read(dir / "wkt.csv", diagnostics);
    CHECK(described(diagnostics) == Lines{"row 3|wkt|bad_wkt|error"});
    REQUIRE(cells.size() == 1);
    CHECK(cells[0].position.x() == 103.26);

    write_text(dir / "villages.csv", "ID,Name,Tinh,LNG,LAT,households\nA1,Bản A,Hà Giang,104.7,22.6,12\nA2,Bản B,Hà Giang,104.8,22.7,1.5\n");
    Diagnostics village_problems;
    const auto villages = ingest::read_villages(dir / "villages.csv", mini_campaign(), village_problems);
    CHECK(described(village_problems) == Lines{"row 3|households|bad_number|error"});
    REQUIRE(villages.size() == 1);
    CHECK(villages[0].id == "A1");
    CHECK(villages[0].province == "Hà Giang");
    REQUIRE(villages[0].point);
    CHECK(geo::area_m2(villages[0].geometry) == doctest::Approx(std::numbers::pi * 500.0 * 500.0).epsilon(0.001));
}

TEST_CASE("formats: OpenCelliD export") {
    ScratchDir dir;
    write_text(dir / "cells.csv",
               "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\n"
               "LTE,452,1,10201,26113025,0,104.705,22.605,1200,14,1,1656633600,1660000000,0\n"
               "GSM,452,4,301,5521,0,104.81,22.625,0,3,1,1654041600,1660000000,-85\n"
               "UMTS,452,7,301,77,0,104.81,22.625,500,3,1,1654041600,1660000000,0\n"
               "CDMA,452,4,301,78,0,104.81,22.625,500,3,1,1654041600,1660000000,0\n"
               "LTE,452,1,10201,26113026,0,104.705,22.605,1200,14,1,,1660000000,0\n");
    Diagnostics diagnostics;
    const auto cells = read(dir / "cells.csv", diagnostics);
    CHECK(described(diagnostics) == Lines{"row 4|mcc/net|unknown_operator|error", "row 5|radio|unknown_tech|error",
                                          "row 6|created|on_air_without_date|error"});
    REQUIRE(cells.size() == 2);
    CHECK(cells[0].key() == "MBF/10201-26113025/LTE");
    CHECK(cells[0].tech == Tech::g4);
    CHECK(cells[0].status == CellStatus::on_air);
    CHECK(cells[0].on_air_date->iso() == "2022-07-01");
    CHECK(cells[0].range_m == 1200.0);
    CHECK(cells[0].is_omni());
    CHECK(cells[1].operator_code == "VTL");
    CHECK(cells[1].tech == Tech::g2);
    CHECK(cells[1].on_air_date->iso() == "2022-06-01");
    CHECK_FALSE(cells[1].range_m); // 0 = unknown in these exports
    REQUIRE(cells[1].extra.size() == 5);
    CHECK(cells[1].extra[4] == std::pair<std::string, std::string>{"averageSignal", "-85"});
}

TEST_CASE("no campaign: operators are not checked, positions need only be on Earth") {
    Diagnostics diagnostics;
    const auto campaign = ingest::default_campaign();
    const auto cells = read(data("bad/stations_unknown_operator.csv"), diagnostics, campaign);
    CHECK(described(diagnostics).empty());
    CHECK(cells.size() == 2);
    Diagnostics far;
    CHECK(read(data("bad/stations_outside_area.csv"), far, campaign).size() == 2);
}
