// Text hygiene for every value read: UTF-8 well-formedness and Unicode normalisation (NFC).
//
// Normalisation uses ICU's Normalizer2: ICU is already loaded through GDAL, so linking it costs
// nothing at run time, and composition needs the full Unicode tables (canonical ordering of
// combining marks, composition exclusions) that a hand-written table would get wrong.
#include "detail.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

namespace deadzone::ingest::detail {

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char lead = byte(i);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80;  // allowed range of the second byte (Unicode Table 3-7)
        unsigned char high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            low = lead == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
            high = lead == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) {
            return i;
        }
        for (std::size_t k = 2; k < length; ++k) {
            if ((byte(i + k) & 0xC0u) != 0x80u) {
                return i;
            }
        }
        i += length;
    }
    return std::nullopt;
}

std::string to_nfc(std::string_view text) {
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        return std::string{text}; // ASCII is always NFC
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || nfc == nullptr) {
        return std::string{text};
    }
    const auto source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    if (nfc->isNormalized(source, status) && U_SUCCESS(status)) {
        return std::string{text};
    }
    status = U_ZERO_ERROR;
    const icu::UnicodeString composed = nfc->normalize(source, status);
    if (U_FAILURE(status)) {
        return std::string{text};
    }
    std::string out;
    composed.toUTF8String(out);
    return out;
}

namespace {
/// Whether the file holds the JSON escape \u0000, read in blocks (village files can be large).
bool contains_escaped_nul(const std::filesystem::path& file) {
    constexpr std::string_view needle = "\\u0000";
    std::ifstream stream{file, std::ios::binary};
    std::string carry;
    std::vector<char> block(1 << 20);
    while (stream) {
        stream.read(block.data(), static_cast<std::streamsize>(block.size()));
        const auto got = static_cast<std::size_t>(stream.gcount());
        if (got == 0) {
            break;
        }
        std::string window = carry;
        window.append(block.data(), got);
        if (window.find(needle) != std::string::npos) {
            return true;
        }
        carry = window.substr(window.size() > needle.size() ? window.size() - needle.size() : 0);
    }
    return false;
}
} // namespace

void report_json_nul_characters(const std::filesystem::path& file, Diagnostics& diagnostics) {
    if (!contains_escaped_nul(file)) {
        return; // the common case: one pass over the bytes, no second parse
    }
    std::ifstream stream{file, std::ios::binary};
    const std::string text{std::istreambuf_iterator<char>{stream}, std::istreambuf_iterator<char>{}};
    const Location file_location{file.string(), std::nullopt, {}, std::nullopt};
    const auto document = nlohmann::json::parse(text, nullptr, false);
    const auto features = document.is_object() ? document.find("features") : document.end();
    if (document.is_discarded() || !document.is_object() || features == document.end() || !features->is_array()) {
        diagnostics.error(file_location, "", "nul_character",
                          "the file holds a NUL character (\\u0000), which would cut a value short");
        return;
    }
    for (std::size_t i = 0; i < features->size(); ++i) {
        const auto& feature = (*features)[i];
        if (!feature.is_object() || !feature.contains("properties") || !feature["properties"].is_object()) {
            continue;
        }
        // GDAL numbers features by their integer "id" when they have one, else by position.
        const auto id = feature.find("id");
        const long fid = id != feature.end() && id->is_number_integer() ? id->get<long>() : static_cast<long>(i);
        for (const auto& [key, value] : feature["properties"].items()) {
            if (value.is_string() && value.get_ref<const std::string&>().find('\0') != std::string::npos) {
                const auto& whole = value.get_ref<const std::string&>();
                diagnostics.error(Location{file.string(), std::nullopt, {}, fid}, key, "nul_character",
                                  fmt::format("'{}' holds a NUL character (\\u0000) after '{}', which would "
                                              "cut the value short",
                                              key, whole.substr(0, whole.find('\0'))));
            }
        }
    }
}

} // namespace deadzone::ingest::detail
