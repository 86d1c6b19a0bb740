// What a reader sees of a report, for the locale tests of the emit stage (test_locale.cpp) and of
// the pipeline (test_locale_sample.cpp): a file's bytes, report.html's visible text, and the check
// that a Vietnamese report holds no English catalogue message.
#pragma once

#include <deadzone/emit/locale.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace deadzone::testing {

namespace emit = deadzone::emit;
namespace fs = std::filesystem;

inline std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// What a reader sees in report.html: the text outside tags and the style sheet (class names are
/// English). Tags become spaces. A loop, not std::regex: libstdc++'s regex recurses once per
/// character and overflows the stack under ASan on a long tag-like stretch (the inline script's "<").
inline std::string visible_text(const std::string& html) {
    const std::string style_free = html.substr(0, html.find("<style>")) + html.substr(html.find("</style>"));
    std::string text;
    text.reserve(style_free.size());
    for (std::size_t i = 0; i < style_free.size(); ++i) {
        if (style_free[i] == '<') {
            const auto close = style_free.find('>', i);
            if (close == std::string::npos) {
                text.append(style_free, i, std::string::npos);
                break;
            }
            text += ' ';
            i = close;
        } else {
            text += style_free[i];
        }
    }
    return text;
}

/// No English message of more than one word (single words such as "Operator" could be a name) in
/// a Vietnamese report.md or in what a reader sees of report.html.
inline void check_no_english(const std::string& md, const std::string& html) {
    const std::string text = visible_text(html);
    for (const auto& key : emit::catalogue_keys(Language::en)) {
        const auto english = emit::catalogue_text(key, Language::en);
        const auto cut = english.find('{');
        const std::string fixed = english.substr(0, cut); // the text before any placeholder
        if (fixed.find(' ') == std::string::npos || fixed.size() < 8) {
            continue;
        }
        INFO(key);
        CHECK(md.find(fixed) == std::string::npos);
        CHECK(text.find(fixed) == std::string::npos);
    }
}

} // namespace deadzone::testing
