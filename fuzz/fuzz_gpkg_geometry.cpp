// Fuzz target: the store's GeoPackage geometry blob decoder (header, envelope, WKB), which reads
// what a store file holds: a damaged or hostile store must give a StoreError, never a crash.
#include <deadzone/core/error.hpp>
#include <deadzone/store/gpkg.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deadzone;
    try {
        (void)store::detail::decode_gpkg_geometry(data, size, "fuzz");
    } catch (const StoreError&) {
    }
    return 0;
}
