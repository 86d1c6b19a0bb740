// The translation catalogues: the same keys and placeholders in both languages, Vietnamese
// dates and numbers, and Vietnamese reports of the tiny campaign with no English catalogue text.
#include "../track/tiny_campaign.hpp"

#include <deadzone/emit/locale.hpp>
#include <deadzone/emit/reports.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

using deadzone::Language;
using deadzone::testing::day;
using deadzone::testing::TinyCampaign;
namespace emit = deadzone::emit;
namespace fs = std::filesystem;

namespace {

std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> names;
    static const std::regex pattern{R"(\{([a-z_]+)\})"};
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
        names.insert((*it)[1]);
    }
    return names;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("both catalogues hold the same keys with the same placeholders") {
    const auto en = emit::catalogue_keys(Language::en);
    const auto vi = emit::catalogue_keys(Language::vi);
    CHECK(en.size() >= 80);
    CHECK(en == vi);
    for (const auto& key : en) {
        INFO(key);
        const auto english = emit::catalogue_text(key, Language::en);
        const auto vietnamese = emit::catalogue_text(key, Language::vi);
        CHECK_FALSE(vietnamese.empty());
        CHECK(placeholders(english) == placeholders(vietnamese));
        // Every message is translated: a copy of the English text would be a fallback in disguise.
        CHECK(vietnamese != english);
    }
}

TEST_CASE("tr fills named placeholders and refuses what it cannot") {
    CHECK(emit::tr("heading.overdue", Language::en, {{"count", "3"}}) == "Overdue commitments (3)");
    CHECK(emit::tr("heading.overdue", Language::vi, {{"count", "3"}}) == "Cam kết quá hạn (3)");
    CHECK_THROWS_AS(emit::tr("no.such.key", Language::vi), std::logic_error);
    CHECK_THROWS_AS(emit::tr("heading.overdue", Language::vi), std::logic_error); // {count} missing
}

TEST_CASE("Vietnamese dates and numbers") {
    CHECK(emit::format_date(day("2022-06-30"), Language::vi) == "30/6/2022");
    CHECK(emit::format_date(day("2022-01-05"), Language::vi) == "5/1/2022");
    CHECK(emit::format_date(day("2022-06-30"), Language::en) == "2022-06-30");
    CHECK(emit::format_percent(0.43, 1, Language::vi) == "43,0 %");
    CHECK(emit::format_percent(0.4299, 2, Language::en) == "42.99 %");
    CHECK(emit::format_decimal(-0.00001, 2, Language::vi) == "0,00");
}

TEST_CASE("a Vietnamese report holds no English catalogue text") {
    const TinyCampaign tiny;
    auto analysis = tiny.analysis_at(day("2022-07-01"));
    analysis.campaign.locale = Language::vi;
    CHECK(emit::headline(analysis) ==
          "Tính đến 1/7/2022: 2/5 thôn đã được phủ sóng (40,0 %) — mốc 50 % ngày 30/6/2022: đạt");
    const fs::path dir = fs::temp_directory_path() / "deadzone_test_locale_vi";
    fs::remove_all(dir);
    emit::write_reports(analysis, dir);
    const std::string md = read(dir / "report.md");
    const std::string html = read(dir / "report.html");
    CHECK(html.find("<html lang=\"vi\">") != std::string::npos);
    // What a reader sees: the text outside tags and the style sheet (class names are English).
    const std::string style_free = html.substr(0, html.find("<style>")) + html.substr(html.find("</style>"));
    // Tags become spaces. A loop, not std::regex: libstdc++'s regex recurses once per character
    // and overflows the stack under ASan on a long tag-like stretch (the inline script's "<").
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
    CHECK(md.rfind("# Tiny test campaign — tiến độ tính đến 1/7/2022\n", 0) == 0);
    CHECK(md.find("| 50 % trước 30/6/2022 |") != std::string::npos);
    // English messages of more than one word (single words such as "Operator" could be a name).
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
    // progress.json is a machine output: its headline and keys stay English.
    CHECK(read(dir / "progress.json").find("\"headline\": \"As of 1 July 2022") != std::string::npos);
    fs::remove_all(dir);
}
