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

/// Refuses a file that is not a deadzone store of the current schema version (StoreError with
/// a message saying what the file is and what to do).
void check_schema(Database& db);

} // namespace deadzone::store::detail
