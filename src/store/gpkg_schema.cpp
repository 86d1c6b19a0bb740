#include "gpkg_schema.hpp"

#include <deadzone/geo/gdal.hpp>
#include <deadzone/store/store.hpp>

#include <cpl_conv.h>
#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <string>
#include <vector>

namespace deadzone::store::detail {

namespace {

struct VersionedTable {
    const char* name;
    std::vector<const char*> columns; // every column except fid and known_to_upload
};

// Only known_to_upload may change, once, from NULL to an upload id: that is how a version is
// closed. Everything else is written once. Enforced by SQLite itself, so no client (GDAL,
// QGIS, a script) can rewrite history either.
std::string append_only_triggers(const VersionedTable& table) {
    std::string changed;
    for (const char* column : table.columns) {
        changed += fmt::format(" OR NEW.{0} IS NOT OLD.{0}", column);
    }
    return fmt::format(
        "CREATE TRIGGER {0}_no_delete BEFORE DELETE ON {0} BEGIN "
        "SELECT RAISE(ABORT, 'deadzone store: {0} is history and cannot be deleted'); END;\n"
        "CREATE TRIGGER {0}_close_only BEFORE UPDATE ON {0} WHEN OLD.known_to_upload IS NOT NULL "
        "OR NEW.known_to_upload IS NULL OR NEW.fid IS NOT OLD.fid{1} BEGIN "
        "SELECT RAISE(ABORT, 'deadzone store: {0} is history: a version can only be closed'); END;\n",
        table.name, changed);
}

std::string frozen_triggers(const char* table) {
    return fmt::format(
        "CREATE TRIGGER {0}_no_delete BEFORE DELETE ON {0} BEGIN "
        "SELECT RAISE(ABORT, 'deadzone store: {0} cannot be deleted'); END;\n"
        "CREATE TRIGGER {0}_no_update BEFORE UPDATE ON {0} BEGIN "
        "SELECT RAISE(ABORT, 'deadzone store: {0} cannot be changed'); END;\n",
        table);
}

std::string wgs84_wkt() {
    char* wkt = nullptr;
    geo::ensure_gdal();
    geo::wgs84().exportToWkt(&wkt);
    std::string text = wkt != nullptr ? wkt : "";
    CPLFree(wkt);
    return text;
}

// Every column but fid and known_to_upload, per versioned table (the triggers freeze them).
std::vector<VersionedTable> versioned_tables() {
    return {{"villages",
             {"geom", "village_id", "name", "province", "district", "commune", "population", "households",
              "point_lon", "point_lat", "extra", "source", "digest", "known_from_upload"}},
            {"commitments",
             {"village_id", "operator", "deadline", "registered_on", "extra", "source", "digest",
              "known_from_upload", "support_fund_vnd", "note"}},
            {"cells",
             {"geom", "operator", "site_id", "cell_id", "tech", "status", "on_air_date", "off_air_date", "height_m",
              "freq_mhz", "eirp_dbm", "azimuth_deg", "beamwidth_deg", "tilt_deg", "range_m", "lon", "lat", "extra",
              "source", "digest", "known_from_upload", "delay_reason", "delay_note", "expected_on_air_date",
              "power_source", "backhaul"}},
            {"measurements",
             {"geom", "operator", "time", "day", "tech", "level_dbm", "cell_id", "origin", "lon", "lat", "sample_key",
              "ordinal", "source", "digest", "known_from_upload"}}};
}

// Version 3's table (a version-2 store gets it at its first write).
constexpr const char* measurements_sql = R"sql(
CREATE TABLE measurements (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, operator TEXT NOT NULL, time TEXT NOT NULL,
  day DATE NOT NULL, tech TEXT NOT NULL, level_dbm DOUBLE NOT NULL, cell_id TEXT NOT NULL,
  origin TEXT NOT NULL, lon DOUBLE NOT NULL, lat DOUBLE NOT NULL, sample_key TEXT NOT NULL,
  ordinal INTEGER NOT NULL, source TEXT NOT NULL, digest TEXT NOT NULL,
  known_from_upload INTEGER NOT NULL REFERENCES uploads(id),
  known_to_upload INTEGER REFERENCES uploads(id));
CREATE INDEX measurements_by_version ON measurements (operator, known_to_upload);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
  ('measurements', 'features', 'measurements', 'Every version of every field sample (current: known_to_upload IS NULL)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('measurements', 'geom', 'POINT', 4326, 0, 0);
)sql";

} // namespace

void upgrade_schema(Database& db, int from_version) {
    if (from_version >= schema_version) {
        return;
    }
    const auto tables = versioned_tables();
    std::string sql = "DROP TRIGGER deadzone_meta_no_update;\n";
    if (from_version < 2) {
        // Version 2: nullable delay columns (NULL in every version-1 row, which is what those
        // rows meant), and the close-only triggers recreated so that they freeze the new columns.
        sql += R"sql(
ALTER TABLE commitments ADD COLUMN support_fund_vnd INTEGER;
ALTER TABLE commitments ADD COLUMN note TEXT;
ALTER TABLE cells ADD COLUMN delay_reason TEXT;
ALTER TABLE cells ADD COLUMN delay_note TEXT;
ALTER TABLE cells ADD COLUMN expected_on_air_date DATE;
ALTER TABLE cells ADD COLUMN power_source TEXT;
ALTER TABLE cells ADD COLUMN backhaul TEXT;
DROP TRIGGER villages_no_delete; DROP TRIGGER villages_close_only;
DROP TRIGGER commitments_no_delete; DROP TRIGGER commitments_close_only;
DROP TRIGGER cells_no_delete; DROP TRIGGER cells_close_only;
)sql";
        for (const auto& table : tables) {
            if (std::string_view{table.name} != "measurements") {
                sql += append_only_triggers(table);
            }
        }
    }
    // Version 3: the measurements table (no sample was stored before it).
    sql += measurements_sql;
    sql += append_only_triggers(tables.back());
    sql += fmt::format("UPDATE deadzone_meta SET value = '{}' WHERE key = 'schema_version';\n", schema_version);
    sql += "CREATE TRIGGER deadzone_meta_no_update BEFORE UPDATE ON deadzone_meta BEGIN "
           "SELECT RAISE(ABORT, 'deadzone store: deadzone_meta cannot be changed'); END;\n";
    db.exec(sql);
}

/// The GeoPackage's own tables and deadzone's (before measurements, which older stores gain by
/// migration: measurements_sql), with the layers registered in gpkg_contents.
const char* const schema_sql = R"sql(
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');

CREATE TABLE deadzone_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE uploads (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, operator TEXT, mode TEXT NOT NULL,
  uploaded_at DATETIME NOT NULL, uploaded_by TEXT NOT NULL, file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL, rows_accepted INTEGER NOT NULL, rows_warned INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL, added INTEGER NOT NULL, changed INTEGER NOT NULL,
  ended INTEGER NOT NULL);

CREATE TABLE campaign (
  fid INTEGER PRIMARY KEY CHECK (fid = 1), name TEXT NOT NULL, document TEXT NOT NULL,
  base_dir TEXT NOT NULL, upload_id INTEGER NOT NULL REFERENCES uploads(id));

CREATE TABLE operators (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  mcc_mnc TEXT NOT NULL, color TEXT NOT NULL);

CREATE TABLE villages (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, village_id TEXT NOT NULL,
  name TEXT NOT NULL, province TEXT NOT NULL, district TEXT NOT NULL, commune TEXT NOT NULL,
  population DOUBLE, households INTEGER, point_lon DOUBLE, point_lat DOUBLE,
  extra TEXT NOT NULL, source TEXT NOT NULL, digest TEXT NOT NULL,
  known_from_upload INTEGER NOT NULL REFERENCES uploads(id),
  known_to_upload INTEGER REFERENCES uploads(id));
CREATE INDEX villages_by_version ON villages (known_to_upload, village_id);

CREATE TABLE commitments (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, village_id TEXT NOT NULL, operator TEXT NOT NULL,
  deadline DATE NOT NULL, registered_on DATE, extra TEXT NOT NULL, source TEXT NOT NULL,
  digest TEXT NOT NULL, known_from_upload INTEGER NOT NULL REFERENCES uploads(id),
  known_to_upload INTEGER REFERENCES uploads(id), support_fund_vnd INTEGER, note TEXT);
CREATE INDEX commitments_by_version ON commitments (known_to_upload, village_id, operator);

CREATE TABLE cells (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, operator TEXT NOT NULL,
  site_id TEXT NOT NULL, cell_id TEXT NOT NULL, tech TEXT NOT NULL, status TEXT NOT NULL,
  on_air_date DATE, off_air_date DATE, height_m DOUBLE, freq_mhz DOUBLE, eirp_dbm DOUBLE,
  azimuth_deg DOUBLE, beamwidth_deg DOUBLE, tilt_deg DOUBLE, range_m DOUBLE,
  lon DOUBLE NOT NULL, lat DOUBLE NOT NULL, extra TEXT NOT NULL, source TEXT NOT NULL,
  digest TEXT NOT NULL, known_from_upload INTEGER NOT NULL REFERENCES uploads(id),
  known_to_upload INTEGER REFERENCES uploads(id), delay_reason TEXT, delay_note TEXT,
  expected_on_air_date DATE, power_source TEXT, backhaul TEXT);
CREATE INDEX cells_by_version ON cells (operator, known_to_upload);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
  ('villages', 'features', 'villages', 'Every version of every village (current: known_to_upload IS NULL)', 4326),
  ('cells', 'features', 'cells', 'Every version of every cell (current: known_to_upload IS NULL)', 4326),
  ('commitments', 'attributes', 'commitments', 'Every version of every commitment', NULL),
  ('uploads', 'attributes', 'uploads', 'The upload log', NULL),
  ('operators', 'attributes', 'operators', 'Operators of the campaign', NULL);
INSERT INTO gpkg_geometry_columns VALUES
  ('villages', 'geom', 'MULTIPOLYGON', 4326, 0, 0),
  ('cells', 'geom', 'POINT', 4326, 0, 0);
)sql";

void create_schema(Database& db) {
    db.exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};", gpkg_application_id,
                        gpkg_user_version));
    db.exec(schema_sql);

    db.exec(measurements_sql);

    Statement srs{db, "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?, "
                      "'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')"};
    srs.bind(1, std::string_view{wgs84_wkt()}).run();

    Statement meta{db, "INSERT INTO deadzone_meta VALUES ('schema_version', ?), ('created_by', ?)"};
    meta.bind(1, std::string_view{std::to_string(schema_version)}).bind(2, std::string_view{"deadzone 0.1.0"}).run();

    std::string triggers;
    for (const auto& table : versioned_tables()) {
        triggers += append_only_triggers(table);
    }
    triggers += frozen_triggers("uploads");
    triggers += frozen_triggers("campaign");
    triggers += frozen_triggers("operators");
    triggers += frozen_triggers("deadzone_meta");
    db.exec(triggers);
}

int stored_schema_version(Database& db) {
    Statement version{db, "SELECT value FROM deadzone_meta WHERE key = 'schema_version'"};
    if (!version.step()) {
        throw StoreError(fmt::format("{}: damaged deadzone store: no schema version recorded", db.path()));
    }
    const std::string text = version.text(0);
    try {
        return std::stoi(text);
    } catch (const std::exception&) {
        throw StoreError(fmt::format("{}: damaged deadzone store: schema version '{}' is not a number", db.path(), text));
    }
}

int check_schema(Database& db) {
    const auto& path = db.path();
    // The first read tells a non-SQLite file apart.
    if (sqlite3_exec(db.handle(), "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
        throw StoreError(fmt::format("{}: not a deadzone store (not a GeoPackage/SQLite file: {})", path,
                                     sqlite3_errmsg(db.handle())));
    }
    Statement table{db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'deadzone_meta'"};
    table.step();
    if (table.int64(0) == 0) {
        throw StoreError(fmt::format(
            "{}: not a deadzone store (an SQLite/GeoPackage file without deadzone's tables); "
            "a store is made once, from a campaign",
            path));
    }
    const int found = stored_schema_version(db);
    if (found > schema_version) {
        throw StoreError(fmt::format(
            "{}: store schema version {} was written by a newer deadzone; this deadzone reads version {} — "
            "upgrade deadzone to open it",
            path, found, schema_version));
    }
    if (found < 1) {
        throw StoreError(fmt::format(
            "{}: store schema version {} is older than this deadzone's version {} and no migration from it "
            "exists; open it with the deadzone release that made it",
            path, found, schema_version));
    }
    return found;
}

} // namespace deadzone::store::detail
