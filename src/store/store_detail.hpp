// Small helpers shared by the store's backend and its import functions.
#pragma once

#include <cstdint>
#include <memory>
#include <filesystem>
#include <string>
#include <string_view>

namespace deadzone::store {
class Backend;
}

namespace deadzone::store::detail {

/// Lower-case hex SHA-256 of bytes.
std::string sha256_hex(std::string_view bytes);

/// The current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ" (sorts as text in time order).
std::string now_utc();

/// Bytes an unprivileged process may still write on the file system holding `dir`
/// (statvfs f_bavail); StoreError when it cannot be asked.
std::uint64_t free_bytes(const std::filesystem::path& dir);

/// Where a store lives, from the name given to open_store/create_store.
struct StoreUri {
    enum class Kind { gpkg, postgresql };
    Kind kind = Kind::gpkg;
    std::filesystem::path path; // gpkg
    std::string uri;            // postgresql, as given
    std::string shown;          // for messages (a password replaced by "***")
};

/// A plain path or "gpkg:PATH" is a GeoPackage; "postgresql://" or "postgres://" a PostgreSQL
/// store; any other "scheme://" is refused (StoreError listing the kinds known).
StoreUri parse_store_uri(const std::string& uri);

/// StoreError for a kind of store this build has no backend for.
[[noreturn]] void refuse_backend(const StoreUri& where);

/// The backend a store name selects: a new, empty one (create: refused when the store exists) or
/// an existing store's (refused when it is not one this build reads).
std::unique_ptr<Backend> make_backend(const std::string& uri, bool create);

} // namespace deadzone::store::detail
