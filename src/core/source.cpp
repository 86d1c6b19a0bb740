// Entity Location ↔ its stored text (include/deadzone/core/source.hpp).
#include <deadzone/core/source.hpp>

#include <charconv>
#include <string_view>

namespace deadzone {

namespace {

// The number after `marker` when `source` ends in marker + digits.
std::optional<long> trailing_number(const std::string& source, std::string_view marker, std::size_t& at) {
    at = source.rfind(marker);
    if (at == std::string::npos || at == 0) return std::nullopt;
    const char* first = source.data() + at + marker.size();
    const char* last = source.data() + source.size();
    if (first == last) return std::nullopt;
    long value = 0;
    const auto [end, error] = std::from_chars(first, last, value);
    if (error != std::errc{} || end != last || value < 0) return std::nullopt;
    return value;
}

} // namespace

std::string source_text(const Location& where) {
    std::string text = where.file;
    if (!where.layer.empty()) {
        text += ":" + where.layer;
    }
    if (where.row) {
        text += ":row " + std::to_string(*where.row);
    } else if (where.fid) {
        text += ":FID " + std::to_string(*where.fid);
    }
    return text;
}

Location source_location(const std::string& source) {
    std::size_t at = 0;
    if (const auto row = trailing_number(source, ":row ", at)) {
        return Location{source.substr(0, at), row, {}, std::nullopt};
    }
    if (const auto fid = trailing_number(source, ":FID ", at)) {
        return Location{source.substr(0, at), std::nullopt, {}, fid};
    }
    return Location{source, std::nullopt, {}, std::nullopt};
}

} // namespace deadzone
