// emit/palette: text forms of the shared status colours (see the header for the decision).
#include <deadzone/emit/palette.hpp>

#include <fmt/format.h>

namespace deadzone::emit {

std::string hex(Rgb colour) {
    return fmt::format("#{:02x}{:02x}{:02x}", colour.r, colour.g, colour.b);
}

std::string rgb_triplet(Rgb colour) {
    return fmt::format("{},{},{}", colour.r, colour.g, colour.b);
}

} // namespace deadzone::emit
