// The PostgreSQL store's schema: the GeoPackage store's tables with PostGIS geometry columns
// (EPSG:4326, GiST), the append-only rule as PL/pgSQL triggers (so PostgreSQL itself refuses
// an UPDATE of a closed version or any DELETE, whoever the client), per-operator row-level
// security, `current_*` views and their QGIS styles in `layer_styles`. Designed to distribute
// on Citus (docs/store.md): every primary and unique key of cells and commitments includes
// `operator`; the other tables are small (reference tables).
#include "pg_backend.hpp"

#include "../emit/qml.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace deadzone::store::detail {

namespace {

struct VersionedTable {
    const char* name;
    std::vector<const char*> columns; // every column except fid and known_to_upload
};

const std::vector<VersionedTable>& versioned_tables() {
    static const std::vector<VersionedTable> tables{
        {"villages",
         {"geom", "village_id", "name", "province", "district", "commune", "population", "households", "point_lon",
          "point_lat", "extra", "source", "digest", "known_from_upload"}},
        {"commitments",
         {"village_id", "operator", "deadline", "registered_on", "extra", "source", "digest", "known_from_upload",
          "support_fund_vnd", "note"}},
        {"cells",
         {"geom", "operator", "site_id", "cell_id", "tech", "status", "on_air_date", "off_air_date", "height_m",
          "freq_mhz", "eirp_dbm", "azimuth_deg", "beamwidth_deg", "tilt_deg", "range_m", "lon", "lat", "extra",
          "source", "digest", "known_from_upload", "delay_reason", "delay_note", "expected_on_air_date",
          "power_source", "backhaul"}},
        {"measurements",
         {"geom", "operator", "time", "day", "tech", "level_dbm", "cell_id", "origin", "lon", "lat", "sample_key",
          "ordinal", "source", "digest", "known_from_upload"}}};
    return tables;
}

constexpr const char* tables_sql = R"sql(
CREATE TABLE deadzone_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE uploads (
  id BIGINT PRIMARY KEY CHECK (id > 0),
  kind TEXT NOT NULL CHECK (kind IN ('campaign', 'villages', 'commitments', 'stations', 'measurements')),
  operator TEXT, mode TEXT NOT NULL CHECK (mode IN ('replace', 'upsert')),
  uploaded_at TEXT NOT NULL, uploaded_by TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
  rows_accepted BIGINT NOT NULL, rows_warned BIGINT NOT NULL, rows_rejected BIGINT NOT NULL,
  added BIGINT NOT NULL, changed BIGINT NOT NULL, ended BIGINT NOT NULL);
CREATE TABLE campaign (
  fid INTEGER PRIMARY KEY CHECK (fid = 1), name TEXT NOT NULL, document TEXT NOT NULL,
  base_dir TEXT NOT NULL, upload_id BIGINT NOT NULL REFERENCES uploads (id));
CREATE TABLE operators (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, mcc_mnc TEXT NOT NULL, color TEXT NOT NULL);
CREATE TABLE operator_roles (
  role_name TEXT PRIMARY KEY, operator TEXT NOT NULL REFERENCES operators (code));
CREATE TABLE deadzone_tokens (
  id TEXT PRIMARY KEY, role TEXT NOT NULL, scope TEXT NOT NULL, salt_hex TEXT NOT NULL,
  hash_hex TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT);

CREATE TABLE villages (
  fid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, geom geometry(MultiPolygon, 4326),
  village_id TEXT NOT NULL, name TEXT NOT NULL, province TEXT NOT NULL, district TEXT NOT NULL,
  commune TEXT NOT NULL, population DOUBLE PRECISION, households BIGINT,
  point_lon DOUBLE PRECISION, point_lat DOUBLE PRECISION, extra TEXT NOT NULL, source TEXT NOT NULL,
  digest TEXT NOT NULL, known_from_upload BIGINT NOT NULL REFERENCES uploads (id),
  known_to_upload BIGINT REFERENCES uploads (id));
CREATE INDEX villages_geom ON villages USING GIST (geom);
CREATE INDEX villages_at ON villages (known_from_upload, known_to_upload);
CREATE UNIQUE INDEX villages_one_current ON villages (village_id) WHERE known_to_upload IS NULL;

CREATE TABLE commitments (
  fid BIGINT GENERATED ALWAYS AS IDENTITY, operator TEXT NOT NULL, village_id TEXT NOT NULL,
  deadline DATE NOT NULL, registered_on DATE, extra TEXT NOT NULL, source TEXT NOT NULL,
  digest TEXT NOT NULL, known_from_upload BIGINT NOT NULL REFERENCES uploads (id),
  known_to_upload BIGINT REFERENCES uploads (id), support_fund_vnd BIGINT, note TEXT,
  PRIMARY KEY (operator, fid));
CREATE INDEX commitments_fid ON commitments (fid);
CREATE INDEX commitments_at ON commitments (known_from_upload, known_to_upload);
CREATE UNIQUE INDEX commitments_one_current ON commitments (operator, village_id) WHERE known_to_upload IS NULL;

-- The big table: no foreign keys to uploads (a per-row check costs about as much as the row
-- itself in a 300 000-cell COPY; check_integrity verifies the references instead) and only the
-- indexes the store uses: the key (fid lookups when closing), current versions per operator
-- (the partial unique index), GiST for GIS clients.
CREATE TABLE cells (
  fid BIGINT GENERATED ALWAYS AS IDENTITY, operator TEXT NOT NULL, geom geometry(Point, 4326) NOT NULL,
  site_id TEXT NOT NULL, cell_id TEXT NOT NULL, tech TEXT NOT NULL, status TEXT NOT NULL,
  on_air_date DATE, off_air_date DATE, height_m DOUBLE PRECISION, freq_mhz DOUBLE PRECISION,
  eirp_dbm DOUBLE PRECISION, azimuth_deg DOUBLE PRECISION, beamwidth_deg DOUBLE PRECISION,
  tilt_deg DOUBLE PRECISION, range_m DOUBLE PRECISION, lon DOUBLE PRECISION NOT NULL,
  lat DOUBLE PRECISION NOT NULL, extra TEXT NOT NULL, source TEXT NOT NULL, digest TEXT NOT NULL,
  known_from_upload BIGINT NOT NULL, known_to_upload BIGINT,
  delay_reason TEXT, delay_note TEXT, expected_on_air_date DATE, power_source TEXT, backhaul TEXT,
  PRIMARY KEY (fid, operator));
CREATE INDEX cells_geom ON cells USING GIST (geom);
CREATE UNIQUE INDEX cells_one_current ON cells (operator, site_id, cell_id) WHERE known_to_upload IS NULL;

-- Field samples: per operator like cells (the same distribution key), ordered by upload and row.
CREATE TABLE measurements (
  fid BIGINT GENERATED ALWAYS AS IDENTITY, operator TEXT NOT NULL, geom geometry(Point, 4326) NOT NULL,
  time TEXT NOT NULL, day DATE NOT NULL, tech TEXT NOT NULL, level_dbm DOUBLE PRECISION NOT NULL,
  cell_id TEXT NOT NULL, origin TEXT NOT NULL, lon DOUBLE PRECISION NOT NULL, lat DOUBLE PRECISION NOT NULL,
  sample_key TEXT NOT NULL, ordinal BIGINT NOT NULL, source TEXT NOT NULL, digest TEXT NOT NULL,
  known_from_upload BIGINT NOT NULL, known_to_upload BIGINT,
  PRIMARY KEY (fid, operator));
CREATE INDEX measurements_geom ON measurements USING GIST (geom);
CREATE UNIQUE INDEX measurements_one_current ON measurements (operator, sample_key) WHERE known_to_upload IS NULL;

CREATE VIEW current_measurements AS SELECT * FROM measurements WHERE known_to_upload IS NULL;
CREATE VIEW current_villages AS SELECT * FROM villages WHERE known_to_upload IS NULL;
CREATE VIEW current_commitments AS SELECT * FROM commitments WHERE known_to_upload IS NULL;
CREATE VIEW current_cells AS SELECT * FROM cells WHERE known_to_upload IS NULL;

CREATE TABLE IF NOT EXISTS layer_styles (
  id SERIAL PRIMARY KEY, f_table_catalog VARCHAR, f_table_schema VARCHAR, f_table_name VARCHAR,
  f_geometry_column VARCHAR, stylename TEXT, styleqml XML, stylesld XML, useasdefault BOOLEAN,
  description TEXT, owner VARCHAR(63) DEFAULT CURRENT_USER, ui XML,
  update_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP, type VARCHAR);

CREATE FUNCTION deadzone_refuse() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION 'deadzone store: % is history: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $f$;

CREATE FUNCTION deadzone_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
     OR ROW(NEW.id, NEW.role, NEW.scope, NEW.salt_hex, NEW.hash_hex, NEW.created_at, NEW.created_by)
        IS DISTINCT FROM ROW(OLD.id, OLD.role, OLD.scope, OLD.salt_hex, OLD.hash_hex, OLD.created_at, OLD.created_by)
  THEN
    RAISE EXCEPTION 'deadzone store: a token can only be revoked, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $f$;
CREATE TRIGGER deadzone_tokens_revoke_only BEFORE UPDATE ON deadzone_tokens
  FOR EACH ROW EXECUTE FUNCTION deadzone_revoke_only();

-- Row-level security: a role listed in operator_roles may add and close only its operator's
-- cells and log only its operator's station uploads. Owners (the department's role) are not
-- subject to it; every other role must be granted explicitly (deadzone_grant_operator).
ALTER TABLE cells ENABLE ROW LEVEL SECURITY;
CREATE POLICY cells_read ON cells FOR SELECT USING (true);
CREATE POLICY cells_insert_own ON cells FOR INSERT
  WITH CHECK (operator = (SELECT r.operator FROM operator_roles r WHERE r.role_name = current_user));
CREATE POLICY cells_close_own ON cells FOR UPDATE
  USING (operator = (SELECT r.operator FROM operator_roles r WHERE r.role_name = current_user))
  WITH CHECK (operator = (SELECT r.operator FROM operator_roles r WHERE r.role_name = current_user));
ALTER TABLE measurements ENABLE ROW LEVEL SECURITY;
CREATE POLICY measurements_read ON measurements FOR SELECT USING (true);
CREATE POLICY measurements_insert_own ON measurements FOR INSERT
  WITH CHECK (operator = (SELECT r.operator FROM operator_roles r WHERE r.role_name = current_user));
CREATE POLICY measurements_close_own ON measurements FOR UPDATE
  USING (operator = (SELECT r.operator FROM operator_roles r WHERE r.role_name = current_user))
  WITH CHECK (operator = (SELECT r.operator FROM operator_roles r WHERE r.role_name = current_user));
ALTER TABLE uploads ENABLE ROW LEVEL SECURITY;
CREATE POLICY uploads_read ON uploads FOR SELECT USING (true);
CREATE POLICY uploads_own ON uploads FOR INSERT
  WITH CHECK (kind IN ('stations', 'measurements')
              AND operator = (SELECT r.operator FROM operator_roles r WHERE r.role_name = current_user));
)sql";

/// Only known_to_upload may change, once, from NULL: the function compares every other column.
std::string close_only_trigger(const VersionedTable& table) {
    std::string new_row, old_row;
    for (const char* column : table.columns) {
        const std::string name = column;
        // Geometries compared as EWKB bytes: exact, whatever PostGIS's '=' means.
        const std::string n = name == "geom" ? "ST_AsEWKB(NEW.geom)" : "NEW." + name;
        const std::string o = name == "geom" ? "ST_AsEWKB(OLD.geom)" : "OLD." + name;
        new_row += (new_row.empty() ? "" : ", ") + n;
        old_row += (old_row.empty() ? "" : ", ") + o;
    }
    return fmt::format(R"sql(
CREATE FUNCTION {0}_close_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF OLD.known_to_upload IS NOT NULL OR NEW.known_to_upload IS NULL OR NEW.fid IS DISTINCT FROM OLD.fid
     OR ROW({1}) IS DISTINCT FROM ROW({2}) THEN
    RAISE EXCEPTION 'deadzone store: {0} is history: a version can only be closed'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $f$;
CREATE TRIGGER {0}_close_only BEFORE UPDATE ON {0} FOR EACH ROW EXECUTE FUNCTION {0}_close_only();
CREATE TRIGGER {0}_no_delete BEFORE DELETE ON {0} FOR EACH ROW EXECUTE FUNCTION deadzone_refuse();
CREATE TRIGGER {0}_no_truncate BEFORE TRUNCATE ON {0} FOR EACH STATEMENT EXECUTE FUNCTION deadzone_refuse();
)sql",
                       table.name, new_row, old_row);
}

std::string frozen_triggers(const char* table) {
    return fmt::format(
        "CREATE TRIGGER {0}_frozen BEFORE UPDATE OR DELETE ON {0} FOR EACH ROW EXECUTE FUNCTION deadzone_refuse();\n"
        "CREATE TRIGGER {0}_no_truncate BEFORE TRUNCATE ON {0} FOR EACH STATEMENT EXECUTE FUNCTION "
        "deadzone_refuse();\n",
        table);
}

/// `SELECT deadzone_grant_operator('vtl_uploads', 'VTL')` (run by the store's owner): the role
/// may read the store and upload that operator's stations and measurements, nothing else.
std::string grant_function(const std::string& schema) {
    return fmt::format(R"sql(
CREATE FUNCTION deadzone_grant_operator(role_name TEXT, operator_code TEXT) RETURNS void
LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO {0}.operator_roles VALUES (role_name, operator_code);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', {1}, role_name);
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', {1}, role_name);
  -- Token hashes are salted, but an operator has no business reading them.
  EXECUTE format('REVOKE SELECT ON %I.deadzone_tokens FROM %I', {1}, role_name);
  EXECUTE format('GRANT INSERT ON %I.cells, %I.measurements, %I.uploads TO %I', {1}, {1}, {1}, role_name);
  EXECUTE format('GRANT UPDATE (known_to_upload) ON %I.cells, %I.measurements TO %I', {1}, {1}, role_name);
END $f$;
)sql",
                       schema, "'" + schema + "'"); // a plain lower-case name (parse_pg_uri)
}

} // namespace

void pg_create_schema(PgConnection& db, const std::string& schema) {
    std::string sql = tables_sql;
    for (const auto& table : versioned_tables()) {
        sql += close_only_trigger(table);
    }
    for (const char* table : {"uploads", "campaign", "operators", "deadzone_meta"}) {
        sql += frozen_triggers(table);
    }
    sql += "CREATE TRIGGER deadzone_tokens_no_delete BEFORE DELETE ON deadzone_tokens FOR EACH ROW "
           "EXECUTE FUNCTION deadzone_refuse();\n";
    sql += grant_function(schema);
    sql += fmt::format("INSERT INTO deadzone_meta VALUES ('schema_version', '{}'), ('created_by', 'deadzone 0.1.0');\n",
                       schema_version);
    db.exec(sql);
}

void pg_write_styles(PgConnection& db, const std::string& schema, const Campaign& campaign) {
    struct Style {
        const char* view;
        emit::detail::LayerKind kind;
    };
    for (const auto& style : {Style{"current_cells", emit::detail::LayerKind::stations},
                              Style{"current_villages", emit::detail::LayerKind::villages}}) {
        db.exec("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                "stylename, styleqml, useasdefault, description, type) "
                "VALUES (current_database(), $1, $2::varchar, 'geom', $2::text, XMLPARSE(DOCUMENT $3), true, "
                "'deadzone: the versions in force now', $4)",
                {schema, std::string{style.view}, emit::detail::layer_qml(style.kind, campaign),
                 std::string{style.kind == emit::detail::LayerKind::stations ? "Point" : "MultiPolygon"}});
    }
}

void pg_check_schema(PgConnection& db, const std::string& schema) {
    const auto found = db.exec("SELECT to_regclass($1)::text IS NOT NULL, to_regclass($2)::text IS NOT NULL",
                               {db.identifier(schema) + ".deadzone_meta", db.identifier(schema) + ".cells"});
    if (found.text(0, 0) != "t" || found.text(0, 1) != "t") {
        throw StoreError(fmt::format("{}: no deadzone store in schema '{}' (a store is made once, from a campaign: "
                                     "deadzone init)",
                                     db.shown(), schema));
    }
    const auto version = db.exec("SELECT value FROM deadzone_meta WHERE key = 'schema_version'");
    if (version.rows() != 1) {
        throw StoreError(fmt::format("{}: damaged deadzone store: no schema version recorded", db.shown()));
    }
    const std::string text = version.text(0, 0);
    if (text != std::to_string(schema_version)) {
        // No in-place migration on a database server (the upgrade would need the schema owner's
        // rights at an arbitrary open): a version-2 store is copied into a new one instead.
        throw StoreError(fmt::format("{}: store schema version {} is not this deadzone's version {}; open it with "
                                     "the deadzone release that made it{}",
                                     db.shown(), text, schema_version,
                                     text == "2" ? " (version 3 added field measurements: with that release, "
                                                   "'deadzone store copy' it to a GeoPackage file, which this "
                                                   "release upgrades and can copy back)"
                                                 : ""));
    }
}

std::vector<std::string> pg_check_guarantees(PgConnection& db, const std::string& schema) {
    std::vector<std::string> problems;
    // Every append-only trigger present and enabled, row-level security on.
    const auto triggers = db.exec(
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON "
        "n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
        {schema});
    std::vector<std::string> present;
    for (int i = 0; i < triggers.rows(); ++i) {
        present.push_back(triggers.text(i, 0));
    }
    std::vector<std::string> expected;
    for (const auto& table : versioned_tables()) {
        for (const char* suffix : {"_close_only", "_no_delete", "_no_truncate"}) {
            expected.push_back(std::string{table.name} + suffix);
        }
    }
    for (const char* table : {"uploads", "campaign", "operators", "deadzone_meta"}) {
        expected.push_back(std::string{table} + "_frozen");
        expected.push_back(std::string{table} + "_no_truncate");
    }
    expected.push_back("deadzone_tokens_revoke_only");
    expected.push_back("deadzone_tokens_no_delete");
    for (const auto& name : expected) {
        if (std::find(present.begin(), present.end(), name) == present.end()) {
            problems.push_back(fmt::format("trigger {} is missing or disabled: history is not protected", name));
        }
    }
    const auto dangling = db.exec("SELECT count(*) FROM cells c WHERE NOT EXISTS (SELECT 1 FROM uploads u WHERE u.id = "
                                  "c.known_from_upload) OR (c.known_to_upload IS NOT NULL AND NOT EXISTS (SELECT 1 "
                                  "FROM uploads u WHERE u.id = c.known_to_upload))");
    if (dangling.text(0, 0) != "0") {
        problems.push_back(fmt::format("{} cell versions name an upload that is not in the log", dangling.text(0, 0)));
    }
    const auto dangling_samples = db.exec(
        "SELECT count(*) FROM measurements m WHERE NOT EXISTS (SELECT 1 FROM uploads u WHERE u.id = "
        "m.known_from_upload) OR (m.known_to_upload IS NOT NULL AND NOT EXISTS (SELECT 1 FROM uploads u WHERE "
        "u.id = m.known_to_upload))");
    if (dangling_samples.text(0, 0) != "0") {
        problems.push_back(
            fmt::format("{} sample versions name an upload that is not in the log", dangling_samples.text(0, 0)));
    }
    const auto rls = db.exec("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE n.nspname = $1 AND c.relname IN ('cells', 'measurements', 'uploads') AND NOT c.relrowsecurity "
                             "ORDER BY 1",
                             {schema});
    for (int i = 0; i < rls.rows(); ++i) {
        problems.push_back(fmt::format("row-level security is off on {}", rls.text(i, 0)));
    }
    return problems;
}

} // namespace deadzone::store::detail
