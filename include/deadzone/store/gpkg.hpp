// store/gpkg: the GeoPackage backend (one SQLite file, write-ahead log, checkpoint after every
// commit) and its geometry blob codec, exposed for tests and fuzzing.
#pragma once

#include <deadzone/geo/types.hpp>
#include <deadzone/store/backend.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace deadzone::store {

struct GpkgOptions {
    /// Refuse an upload when the file system cannot take it (before writing, and again before
    /// COMMIT with the exact growth). Off only in tests that must reach SQLite's own full-disk
    /// handling.
    bool check_free_space = true;
};

/// A backend over a new, empty GeoPackage file (StoreError if `path` exists); the store core
/// creates the schema in its first transaction.
std::unique_ptr<Backend> create_gpkg_backend(const std::filesystem::path& path, const GpkgOptions& options = {});
/// A backend over an existing deadzone GeoPackage; StoreError when missing, foreign or of
/// another schema version.
std::unique_ptr<Backend> open_gpkg_backend(const std::filesystem::path& path, const GpkgOptions& options = {});

namespace detail {

/// Decodes a GeoPackage geometry blob ("GP", version, flags, srs_id, envelope, ISO WKB) of a
/// (multi)polygon. Any byte string is safe to give: damage throws StoreError naming `where`.
/// The fuzzing entry point for the store's blob decoder.
geo::MultiPolygon decode_gpkg_geometry(const std::uint8_t* data, std::size_t size, const std::string& where = "blob");

} // namespace detail

} // namespace deadzone::store
