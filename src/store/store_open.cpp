// Choosing the backend from a store's name: a path or "gpkg:PATH" is a GeoPackage file;
// "postgresql://...[?schema=NAME]" names a PostgreSQL store (when this build has libpq).
#include "store_detail.hpp"

#ifdef DEADZONE_HAVE_POSTGRESQL
#include "pg_backend.hpp"
#endif

#include <deadzone/store/gpkg.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace deadzone::store {

namespace detail {

namespace {

/// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db": names go into
/// messages and logs, passwords must not.
std::string without_password(const std::string& uri) {
    static const std::regex password{R"(^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*):[^@/]*@)"};
    return std::regex_replace(uri, password, "$1:***@", std::regex_constants::format_first_only);
}

} // namespace

StoreUri parse_store_uri(const std::string& uri) {
    // Longer than any path or connection URI the system takes; refused before std::regex sees it
    // (its matcher recurses once per character).
    if (uri.size() > 8192) {
        throw StoreError(fmt::format("a store name of {} characters is longer than any path or URI (8192 at most)",
                                     uri.size()));
    }
    StoreUri out;
    out.shown = without_password(uri);
    static const std::regex scheme{R"(^([a-zA-Z][a-zA-Z0-9+.-]*)://)"};
    std::smatch m;
    if (uri.rfind("gpkg:", 0) == 0) {
        out.path = uri.substr(5);
        out.shown = out.path.string();
    } else if (std::regex_search(uri, m, scheme)) {
        std::string name = m[1].str();
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        if (name != "postgresql" && name != "postgres") {
            throw StoreError(fmt::format("{}: unknown kind of store '{}://' (a store is a GeoPackage path, "
                                         "gpkg:PATH or postgresql://...)",
                                         out.shown, m[1].str()));
        }
        out.kind = StoreUri::Kind::postgresql;
        out.uri = uri;
    } else {
        out.path = uri;
    }
    if (out.kind == StoreUri::Kind::gpkg && out.path.empty()) {
        throw StoreError("a store needs a name (a GeoPackage path, gpkg:PATH or postgresql://...)");
    }
    return out;
}

void refuse_backend(const StoreUri& where) {
    throw StoreError(fmt::format("{}: PostgreSQL stores are not built into this version of deadzone; use a "
                                 "GeoPackage store (a file path)",
                                 where.shown));
}

std::unique_ptr<Backend> make_backend(const std::string& uri, bool create) {
    const auto where = parse_store_uri(uri);
    if (where.kind == StoreUri::Kind::postgresql) {
#ifdef DEADZONE_HAVE_POSTGRESQL
        return std::make_unique<PgBackend>(where.uri, where.shown, create);
#else
        refuse_backend(where);
#endif
    }
    return create ? create_gpkg_backend(where.path) : open_gpkg_backend(where.path);
}

} // namespace detail

std::unique_ptr<Store> create_store(const std::filesystem::path& path, const CampaignDocument& campaign) {
    return Store::create(create_gpkg_backend(path), campaign);
}

std::unique_ptr<Store> open_store(const std::filesystem::path& path) {
    return Store::open(open_gpkg_backend(path));
}

std::unique_ptr<Store> create_store(const std::string& uri, const CampaignDocument& campaign) {
    return Store::create(detail::make_backend(uri, true), campaign);
}

std::unique_ptr<Store> open_store(const std::string& uri) {
    return Store::open(detail::make_backend(uri, false));
}

} // namespace deadzone::store
