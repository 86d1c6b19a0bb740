#include <deadzone/track/track.hpp>

#include <cstdint>
#include <unordered_map>

namespace deadzone::track {

namespace {

/// Decodes one UTF-8 code point at `pos` and advances it; invalid bytes come back as themselves
/// so that a broken name still sorts deterministically.
char32_t next_code_point(std::string_view text, std::size_t& pos) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    std::size_t length = 1;
    char32_t value = lead;
    if (lead >= 0xC0 && lead < 0xE0) {
        length = 2;
        value = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead < 0xF0) {
        length = 3;
        value = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead < 0xF8) {
        length = 4;
        value = lead & 0x07u;
    }
    if (length == 1 || pos + length > text.size()) {
        ++pos;
        return lead;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const unsigned char continuation = byte(pos + i);
        if ((continuation & 0xC0u) != 0x80u) {
            ++pos;
            return lead;
        }
        value = (value << 6) | (continuation & 0x3Fu);
    }
    pos += length;
    return value;
}

/// Primary sort key of each Vietnamese letter with a diacritic. Tone marks are ignored; the
/// letters Ă Â Ê Ô Ơ Ư Đ, which the Vietnamese alphabet orders after their base letter, get a
/// suffix above 'z' so that, e.g., every word in Ă comes after every word in A.
const std::unordered_map<char32_t, std::string>& letter_keys() {
    static const std::unordered_map<char32_t, std::string> keys = [] {
        const std::pair<const char*, const char*> groups[] = {
            {"a", "àáảãạÀÁẢÃẠ"},     {"a{", "ăằắẳẵặĂẰẮẲẴẶ"}, {"a|", "âầấẩẫậÂẦẤẨẪẬ"},
            {"e", "èéẻẽẹÈÉẺẼẸ"},     {"e|", "êềếểễệÊỀẾỂỄỆ"}, {"i", "ìíỉĩịÌÍỈĨỊ"},
            {"o", "òóỏõọÒÓỎÕỌ"},     {"o|", "ôồốổỗộÔỒỐỔỖỘ"}, {"o}", "ơờớởỡợƠỜỚỞỠỢ"},
            {"u", "ùúủũụÙÚỦŨỤ"},     {"u}", "ưừứửữựƯỪỨỬỮỰ"}, {"y", "ỳýỷỹỵỲÝỶỸỴ"},
            {"d~", "đĐ"},
        };
        std::unordered_map<char32_t, std::string> result;
        for (const auto& [key, letters] : groups) {
            const std::string_view text{letters};
            std::size_t pos = 0;
            while (pos < text.size()) {
                result.emplace(next_code_point(text, pos), key);
            }
        }
        return result;
    }();
    return keys;
}

std::string primary_key(std::string_view name) {
    std::string key;
    key.reserve(name.size());
    const auto& keys = letter_keys();
    std::size_t pos = 0;
    while (pos < name.size()) {
        const std::size_t begin = pos;
        const char32_t code_point = next_code_point(name, pos);
        if (code_point < 0x80) {
            const char c = static_cast<char>(code_point);
            key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        } else if (const auto found = keys.find(code_point); found != keys.end()) {
            key += found->second;
        } else {
            key.append(name.substr(begin, pos - begin));
        }
    }
    return key;
}

} // namespace

bool name_less(std::string_view a, std::string_view b) {
    const std::string key_a = primary_key(a);
    const std::string key_b = primary_key(b);
    if (key_a != key_b) {
        return key_a < key_b;
    }
    return a < b;
}

std::string ascii_fold(std::string_view text) {
    std::string out;
    const auto& keys = letter_keys();
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t c = next_code_point(text, pos);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (const auto it = keys.find(c); it != keys.end()) {
            out += it->second.front();
        } else {
            out += '_';
        }
    }
    return out;
}

} // namespace deadzone::track
