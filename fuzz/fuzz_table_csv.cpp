// Fuzz target: a station list and a commitment list read from one CSV file (GDAL's CSV
// driver plus deadzone's field matching, number and date parsing, coordinate checks). Any
// exception other than InputError / Failure escaping a reader is a finding.
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
    const auto file = fuzz::write_input("input.csv", data, size);
    try {
        Diagnostics diagnostics;
        (void)ingest::read_stations(file, fuzz::campaign(), {}, diagnostics);
        Diagnostics commitment_diagnostics;
        (void)ingest::read_commitments(file, fuzz::campaign(), nullptr, commitment_diagnostics);
    } catch (const InputError&) {
    } catch (const Failure&) {
    }
    return 0;
}
