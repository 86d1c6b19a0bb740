// Fuzz target: the ITM terrain profile reader (`pathloss --profile FILE`: intervals, spacing,
// elevations, separated by commas, blanks or newlines): a typed error or a profile, never a crash.
#include <deadzone/core/error.hpp>
#include <deadzone/model/itm.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace deadzone;
    try {
        const auto profile =
            model::parse_itm_profile(std::string_view{reinterpret_cast<const char*>(data), size}, "fuzz.pfl");
        (void)profile;
    } catch (const InputError&) {
    } catch (const UsageError&) {
    }
    return 0;
}
