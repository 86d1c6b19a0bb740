// Fuzz target: a station list read from an XLSX workbook (GDAL's XLSX driver: zip + XML,
// then deadzone's row handling). Seeds are workbooks made by tools/fuzz.sh from tests/data CSVs.
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
    const auto file = fuzz::write_input("input.xlsx", data, size);
    try {
        Diagnostics diagnostics;
        (void)ingest::read_stations(file, fuzz::campaign(), {}, diagnostics);
    } catch (const InputError&) {
    } catch (const Failure&) {
    }
    return 0;
}
