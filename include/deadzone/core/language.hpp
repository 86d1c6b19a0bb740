// The two languages deadzone speaks (campaign `locale`, `--lang`) and how input files write dates.
// Human outputs follow the language; machine outputs (JSON keys, field names, codes) never do.
#pragma once

#include <optional>
#include <string_view>

namespace deadzone {

enum class Language { en, vi };

/// "en" / "vi" (any case); nullopt otherwise.
inline std::optional<Language> parse_language(std::string_view text) noexcept {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (text.size() != 2) {
        return std::nullopt;
    }
    const char a = lower(text[0]);
    const char b = lower(text[1]);
    if (a == 'e' && b == 'n') {
        return Language::en;
    }
    if (a == 'v' && b == 'i') {
        return Language::vi;
    }
    return std::nullopt;
}

inline const char* to_string(Language language) noexcept {
    return language == Language::vi ? "vi" : "en";
}

/// How input files write dates beside ISO 8601 (which is always accepted). Day-first is never
/// guessed: 03/04/2022 is 3 April only in a campaign that says so.
enum class DateFormat { iso, day_first };

} // namespace deadzone
