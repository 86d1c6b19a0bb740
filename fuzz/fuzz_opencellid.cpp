// Fuzz target: OpenCelliD export rows. The fixed header is prepended so that every input
// takes the OpenCelliD path (MCC-MNC to operator, radio, created timestamp, range).
#include "fuzz_support.hpp"

#include <deadzone/core/error.hpp>
#include <deadzone/ingest/ingest.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    deadzone::fuzz::initialize();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deadzone;
    static const std::string header =
        "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\n";
    const auto file = fuzz::write_input("cells.csv", data, size, header);
    try {
        Diagnostics diagnostics;
        (void)ingest::read_stations(file, fuzz::campaign(), {}, diagnostics);
    } catch (const InputError&) {
    } catch (const Failure&) {
    }
    return 0;
}
