// Escaping untrusted text for terminals and logs, and bounding names built from a user's file
// name (docs/hardening.md).
#include <deadzone/core/text.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <optional>

namespace deadzone {

namespace {

/// The code point of the valid UTF-8 sequence starting at `i`, and its length; nullopt when the
/// bytes there are not one (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
struct Decoded {
    char32_t code_point;
    std::size_t length;
};

std::optional<Decoded> decode_utf8(std::string_view text, std::size_t i) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    const std::uint8_t lead = byte(i);
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
        return Decoded{lead, 1};
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, cp = lead & 0x1Fu, minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, cp = lead & 0x0Fu, minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, cp = lead & 0x07u, minimum = 0x10000;
    } else {
        return std::nullopt; // continuation byte, C0/C1 overlong lead, or F5..FF
    }
    if (i + length > text.size()) {
        return std::nullopt;
    }
    for (std::size_t k = 1; k < length; ++k) {
        const std::uint8_t next = byte(i + k);
        if ((next & 0xC0u) != 0x80u) {
            return std::nullopt;
        }
        cp = (cp << 6) | (next & 0x3Fu);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return std::nullopt;
    }
    return Decoded{cp, length};
}

/// Code points above ASCII that a terminal acts on or that reorder or break the displayed line.
bool is_unsafe_wide(char32_t cp) noexcept {
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool is_unsafe_ascii(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
}

} // namespace

bool is_terminal_safe(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            if (is_unsafe_ascii(text[i])) {
                return false;
            }
            ++i;
            continue;
        }
        const auto decoded = decode_utf8(text, i);
        if (!decoded || is_unsafe_wide(decoded->code_point)) {
            return false;
        }
        i += decoded->length;
    }
    return true;
}

std::string escape_for_terminal(std::string_view text) {
    if (is_terminal_safe(text)) {
        return std::string{text};
    }
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (static_cast<unsigned char>(c) < 0x80) {
            switch (c) {
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (is_unsafe_ascii(c)) {
                    out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
                } else {
                    out += c;
                }
            }
            ++i;
            continue;
        }
        const auto decoded = decode_utf8(text, i);
        if (!decoded) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
            ++i;
            continue;
        }
        if (is_unsafe_wide(decoded->code_point)) {
            out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(decoded->code_point));
        } else {
            out.append(text.substr(i, decoded->length));
        }
        i += decoded->length;
    }
    return out;
}

std::string bounded_name(std::string_view name, std::size_t max_bytes) {
    if (name.size() <= max_bytes) return std::string{name};
    std::uint64_t hash = 14695981039346656037ull; // FNV-1a, 64 bits
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    std::size_t keep = max_bytes > 17 ? max_bytes - 17 : 0;
    while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep; // not mid-character
    return fmt::format("{}~{:016x}", name.substr(0, keep), hash);
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    if (from.empty()) return text;
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

} // namespace deadzone
