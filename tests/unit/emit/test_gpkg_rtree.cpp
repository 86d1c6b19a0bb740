// The GeoPackage R-tree written in one pass (src/emit/gpkg_rtree.cpp) against the one GDAL
// builds row by row: the same schema and extension rows, the same index entries, SQLite's own
// integrity check (rtreecheck), GDAL's spatial filter against a brute-force answer, and edits
// through GDAL afterwards (the triggers and SQLite's R*Tree working on the packed tree).
#include "../../../src/emit/gpkg_rtree.hpp"
#include "../../../src/emit/layer_table.hpp"

#include <deadzone/geo/gdal.hpp>

#include <doctest/doctest.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace deadzone;
using namespace deadzone::emit::detail;

namespace {

struct Sqlite {
    sqlite3* db = nullptr;
    explicit Sqlite(const fs::path& file, int flags = SQLITE_OPEN_READONLY) {
        REQUIRE(sqlite3_open_v2(file.string().c_str(), &db, flags, nullptr) == SQLITE_OK);
    }
    ~Sqlite() { sqlite3_close(db); }
    /// Every row of `sql`, each as its columns' text joined by '|'.
    std::vector<std::string> rows(const std::string& sql) const {
        sqlite3_stmt* s = nullptr;
        REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK, sql);
        std::vector<std::string> out;
        while (sqlite3_step(s) == SQLITE_ROW) {
            std::string row;
            for (int i = 0; i < sqlite3_column_count(s); ++i) {
                const auto* text = sqlite3_column_text(s, i);
                row += (i > 0 ? "|" : "") + std::string{text != nullptr ? reinterpret_cast<const char*>(text) : "NULL"};
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(s);
        return out;
    }
};

struct Box {
    double min_x, min_y, max_x, max_y;
};

geo::GeometryPtr box_geometry(const Box& b) {
    if (b.min_x == b.max_x && b.min_y == b.max_y) {
        return geo::GeometryPtr{new OGRPoint(b.min_x, b.min_y)};
    }
    auto* ring = new OGRLinearRing;
    ring->addPoint(b.min_x, b.min_y);
    ring->addPoint(b.max_x, b.min_y);
    ring->addPoint(b.max_x, b.max_y);
    ring->addPoint(b.min_x, b.max_y);
    ring->addPoint(b.min_x, b.min_y);
    auto* polygon = new OGRPolygon;
    polygon->addRingDirectly(ring);
    auto* multi = new OGRMultiPolygon;
    multi->addGeometryDirectly(polygon);
    return geo::GeometryPtr{multi};
}

/// `n` rows: boxes and points over a region (some sharing a centre), every tenth without a
/// geometry, every 25th an empty one.
LayerTable random_table(std::size_t n, bool points, unsigned seed) {
    std::mt19937_64 rng{seed};
    std::uniform_real_distribution<double> lon{-180.0, 180.0}, lat{-60.0, 60.0}, size{1e-7, 0.5};
    LayerTable table;
    table.name = "things";
    table.title = "Things";
    table.description = "random boxes";
    table.geometry = points ? GeometryKind::point : GeometryKind::multipolygon;
    table.fields = {{"n", FieldType::integer64}};
    Box last{0, 0, 0, 0};
    for (std::size_t i = 0; i < n; ++i) {
        Row row;
        row.values = {static_cast<std::int64_t>(i)};
        if (i % 10 != 9) {
            const double x = i % 7 == 3 ? last.min_x : lon(rng), y = i % 7 == 3 ? last.min_y : lat(rng);
            last = points ? Box{x, y, x, y} : Box{x, y, x + size(rng), y + size(rng)};
            row.geometry = box_geometry(last);
        } else if (i % 25 == 24) {
            row.geometry.reset(points ? static_cast<OGRGeometry*>(new OGRPoint) : new OGRMultiPolygon);
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

/// The layer as GDAL writes it with its own (row by row) index.
void write_with_gdal(const LayerTable& table, const fs::path& file) {
    fs::remove(file);
    geo::ensure_gdal();
    auto* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    geo::DatasetPtr ds{driver->Create(file.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr)};
    REQUIRE(ds);
    const char* options[] = {"GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES", nullptr};
    auto srs = geo::wgs84();
    auto* layer = ds->CreateLayer(table.name.c_str(), &srs,
                                  table.geometry == GeometryKind::point ? wkbPoint : wkbMultiPolygon,
                                  const_cast<char**>(options));
    REQUIRE(layer != nullptr);
    OGRFieldDefn field("n", OFTInteger64);
    REQUIRE(layer->CreateField(&field) == OGRERR_NONE);
    ds->StartTransaction();
    for (const auto& row : table.rows) {
        OGRFeature feature(layer->GetLayerDefn());
        feature.SetField(0, static_cast<GIntBig>(std::get<std::int64_t>(row.values[0])));
        if (row.geometry) feature.SetGeometry(row.geometry.get());
        REQUIRE(layer->CreateFeature(&feature) == OGRERR_NONE);
    }
    ds->CommitTransaction();
}

void write_with_deadzone(const LayerTable& table, const fs::path& file) {
    fs::remove(file);
    GeoPackageWriter writer(file, "2022-06-30T00:00:00.000Z");
    writer.add(table, "<qgis/>");
    writer.finish();
}

std::vector<std::string> index_rows(const fs::path& file) {
    return Sqlite{file}.rows("SELECT id, minx, maxx, miny, maxy FROM rtree_things_geom ORDER BY id");
}

/// Some edits through GDAL: a geometry moved, one removed, a feature deleted, one added.
void edit(const fs::path& file) {
    geo::DatasetPtr ds{static_cast<GDALDataset*>(GDALOpenEx(file.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE,
                                                           nullptr, nullptr, nullptr))};
    REQUIRE(ds);
    auto* layer = ds->GetLayerByName("things");
    const bool points = layer->GetGeomType() == wkbPoint;
    const Box moved{10.25, 20.5, points ? 10.25 : 11.0, points ? 20.5 : 21.0};
    for (const GIntBig fid : {1, 2, 3}) {
        OGRFeatureUniquePtr f{layer->GetFeature(fid)};
        if (!f) continue;
        if (fid == 1) {
            f->SetGeometry(box_geometry(moved).get());
            REQUIRE(layer->SetFeature(f.get()) == OGRERR_NONE);
        } else if (fid == 2) {
            f->SetGeometryDirectly(nullptr);
            REQUIRE(layer->SetFeature(f.get()) == OGRERR_NONE);
        } else {
            REQUIRE(layer->DeleteFeature(fid) == OGRERR_NONE);
        }
    }
    OGRFeature added(layer->GetLayerDefn());
    added.SetGeometry(box_geometry({-3.5, -4.5, points ? -3.5 : -3.0, points ? -4.5 : -4.0}).get());
    REQUIRE(layer->CreateFeature(&added) == OGRERR_NONE);
}

} // namespace

TEST_CASE("rtree_lower and rtree_upper round as SQLite's R*Tree does") {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE VIRTUAL TABLE r USING rtree(id, lo, hi)", nullptr, nullptr, nullptr) == SQLITE_OK);
    std::mt19937_64 rng{7};
    std::vector<double> values{0.0, 1.0, -1.0, 0.1, -0.1, 105.8, -105.8, 1e-7, -1e-7, 179.9999999, 1e30, -1e30,
                               static_cast<double>(std::numeric_limits<float>::max())};
    std::uniform_real_distribution<double> wide{-200.0, 200.0}, narrow{-1e-3, 1e-3};
    for (int i = 0; i < 2000; ++i) values.push_back(i % 2 == 0 ? wide(rng) : narrow(rng));
    for (int i = 0; i < 200; ++i) values.push_back(static_cast<float>(wide(rng))); // exact floats
    sqlite3_stmt* insert = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO r VALUES (?, ?, ?)", -1, &insert, nullptr) == SQLITE_OK);
    sqlite3_stmt* read = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT lo, hi FROM r WHERE id = ?", -1, &read, nullptr) == SQLITE_OK);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(i + 1));
        sqlite3_bind_double(insert, 2, v);
        sqlite3_bind_double(insert, 3, v);
        REQUIRE(sqlite3_step(insert) == SQLITE_DONE);
        sqlite3_reset(insert);
        sqlite3_bind_int64(read, 1, static_cast<sqlite3_int64>(i + 1));
        REQUIRE(sqlite3_step(read) == SQLITE_ROW);
        CHECK_MESSAGE(sqlite3_column_double(read, 0) == static_cast<double>(rtree_lower(v)), v);
        CHECK_MESSAGE(sqlite3_column_double(read, 1) == static_cast<double>(rtree_upper(v)), v);
        CHECK(static_cast<double>(rtree_lower(v)) <= v);
        CHECK(static_cast<double>(rtree_upper(v)) >= v);
        sqlite3_reset(read);
    }
    sqlite3_finalize(insert);
    sqlite3_finalize(read);
    sqlite3_close(db);
}

TEST_CASE("the one-pass GeoPackage R-tree is GDAL's index, packed") {
    const auto dir = fs::temp_directory_path() / "deadzone_test_gpkg_rtree";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto theirs = dir / "gdal.gpkg";
    const auto ours = dir / "deadzone.gpkg";
    // 51 cells fill a node of a 4 KiB-page file: below, at and above one node, two levels, three.
    for (const std::size_t n : {0, 1, 9, 51, 52, 57, 2652, 2653, 20000}) {
        for (const bool points : {false, true}) {
            CAPTURE(n);
            CAPTURE(points);
            const auto table = random_table(n, points, static_cast<unsigned>(n * 2 + (points ? 1 : 0)));
            write_with_gdal(table, theirs);
            write_with_deadzone(table, ours);

            // The same schema (the virtual table, its shadow tables and triggers) and extension row.
            const std::string schema = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name LIKE '%things%' "
                                       "ORDER BY name";
            CHECK(Sqlite{ours}.rows(schema) == Sqlite{theirs}.rows(schema));
            const std::string extensions = "SELECT * FROM gpkg_extensions ORDER BY table_name";
            CHECK(Sqlite{ours}.rows(extensions) == Sqlite{theirs}.rows(extensions));
            // The same entries, SQLite's float boxes included; and a sound tree.
            const auto entries = index_rows(ours);
            CHECK(entries == index_rows(theirs));
            CHECK(Sqlite{ours}.rows("SELECT rtreecheck('rtree_things_geom')") == std::vector<std::string>{"ok"});
            std::size_t indexed = 0;
            for (const auto& row : table.rows) indexed += row.geometry && !row.geometry->IsEmpty() ? 1 : 0;
            CHECK(entries.size() == indexed);

            // GDAL finds the index and answers a spatial filter as a scan of every row would.
            {
                geo::DatasetPtr ds{static_cast<GDALDataset*>(
                    GDALOpenEx(ours.string().c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr))};
                REQUIRE(ds);
                auto* has = ds->ExecuteSQL("SELECT HasSpatialIndex('things', 'geom')", nullptr, nullptr);
                REQUIRE(has != nullptr);
                OGRFeatureUniquePtr f{has->GetNextFeature()};
                CHECK(f->GetFieldAsInteger(0) == 1);
                ds->ReleaseResultSet(has);
                auto* layer = ds->GetLayerByName("things");
                const Box windows[] = {{-20, -10, 40, 30}, {100, 5, 110, 25}, {-180, -90, 180, 90}, {0, 0, 1e-6, 1e-6}};
                for (const auto& w : windows) {
                    std::set<GIntBig> expected;
                    for (std::size_t r = 0; r < table.rows.size(); ++r) {
                        const auto& g = table.rows[r].geometry;
                        if (!g || g->IsEmpty()) continue;
                        OGREnvelope e;
                        g->getEnvelope(&e);
                        if (e.MinX <= w.max_x && e.MaxX >= w.min_x && e.MinY <= w.max_y && e.MaxY >= w.min_y) {
                            expected.insert(static_cast<GIntBig>(r + 1));
                        }
                    }
                    layer->SetSpatialFilterRect(w.min_x, w.min_y, w.max_x, w.max_y);
                    std::set<GIntBig> found;
                    layer->ResetReading();
                    while (auto* feature = layer->GetNextFeature()) {
                        found.insert(feature->GetFID());
                        OGRFeature::DestroyFeature(feature);
                    }
                    CHECK(found == expected);
                }
            }

            // Edits afterwards keep both indexes the same and ours sound.
            edit(theirs);
            edit(ours);
            CHECK(index_rows(ours) == index_rows(theirs));
            CHECK(Sqlite{ours}.rows("SELECT rtreecheck('rtree_things_geom')") == std::vector<std::string>{"ok"});
        }
    }
    fs::remove_all(dir);
}
