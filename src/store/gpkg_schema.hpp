// The GeoPackage store's schema: the GPKG core tables (so GDAL, ogrinfo and QGIS open the file)
// plus deadzone's versioned tables, with triggers that make the history append-only.
#pragma once

#include "sqlite.hpp"

namespace deadzone::store::detail {

/// 'GPKG' in PRAGMA application_id, and the GeoPackage version in user_version.
inline constexpr int gpkg_application_id = 0x47504B47;
inline constexpr int gpkg_user_version = 10200;
inline constexpr int wgs84_srs_id = 4326;

/// Creates every table, index and trigger of the current schema version in an empty database.
void create_schema(Database& db);

/// Refuses a file that is not a deadzone store of a schema version this build reads (StoreError
/// with a message saying what the file is and what to do); returns the version found (1 or the
/// current one: version 1 is read as it is and upgraded by upgrade_schema on the first write).
int check_schema(Database& db);

/// The schema version recorded in the store (inside a transaction).
int stored_schema_version(Database& db);

/// Inside a write transaction: brings a version-1 store to the current version (the delay
/// columns of version 2, and the append-only triggers covering them). Nothing else changes.
void upgrade_schema(Database& db, int from_version);

} // namespace deadzone::store::detail
