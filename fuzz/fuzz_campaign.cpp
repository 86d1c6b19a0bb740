// Fuzz target: campaign.json (JSON parsing and every key's validation). Relative input
// paths in the document resolve inside the scratch folder, where nothing else lives.
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
    const auto file = fuzz::write_input("campaign.json", data, size);
    try {
        (void)ingest::load_campaign(file);
    } catch (const InputError&) {
    } catch (const Failure&) {
    }
    return 0;
}
