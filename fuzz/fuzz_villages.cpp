// Fuzz target: villages GeoJSON (GDAL's GeoJSON driver, then deadzone's geometry checks,
// repair, point-to-disc and equal-area measurement).
#include "fuzz_support.hpp"

#include <deadzone/core/error.hpp>
#include <deadzone/ingest/ingest.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    deadzone::fuzz::initialize();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deadzone;
    const auto file = fuzz::write_input("villages.geojson", data, size);
    try {
        Diagnostics diagnostics;
        (void)ingest::read_villages(file, fuzz::campaign(), diagnostics);
    } catch (const InputError&) {
    } catch (const Failure&) {
    }
    return 0;
}
