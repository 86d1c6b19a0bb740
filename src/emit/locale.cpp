// The translation catalogues, parsed once from the JSON compiled into the binary
// (cmake/embed_file.cmake), and the per-language forms of dates and numbers.
#include <deadzone/emit/locale.hpp>

#include <deadzone/core/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <stdexcept>

namespace deadzone::emit {

namespace detail {
std::string_view catalogue_en_json();
std::string_view catalogue_vi_json();
} // namespace detail

namespace {

using Catalogue = std::map<std::string, std::string, std::less<>>;

Catalogue parse_catalogue(std::string_view text, const char* name) {
    const auto document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        throw std::logic_error(fmt::format("share/locale/{}.json is not a JSON object", name));
    }
    Catalogue catalogue;
    for (const auto& [key, value] : document.items()) {
        if (!value.is_string()) {
            throw std::logic_error(fmt::format("share/locale/{}.json: '{}' is not a string", name, key));
        }
        catalogue.emplace(key, value.get<std::string>());
    }
    return catalogue;
}

const Catalogue& catalogue(Language language) {
    static const Catalogue en = parse_catalogue(detail::catalogue_en_json(), "en");
    static const Catalogue vi = parse_catalogue(detail::catalogue_vi_json(), "vi");
    return language == Language::vi ? vi : en;
}

/// Fills {name} placeholders; "{{" and "}}" stand for literal braces.
std::string fill(std::string_view text, TrArgs args, std::string_view key) {
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
            out += c;
            ++i;
            continue;
        }
        if (c != '{') {
            out += c;
            continue;
        }
        const auto close = text.find('}', i);
        if (close == std::string_view::npos) {
            throw std::logic_error(fmt::format("message '{}': unclosed placeholder", key));
        }
        const auto name = text.substr(i + 1, close - i - 1);
        bool found = false;
        for (const auto& [arg, value] : args) {
            if (arg == name) {
                out += value;
                found = true;
                break;
            }
        }
        if (!found) {
            throw std::logic_error(fmt::format("message '{}': no value for {{{}}}", key, name));
        }
        i = close;
    }
    return out;
}

} // namespace

std::string tr(std::string_view key, Language language, TrArgs args) {
    const auto& entries = catalogue(language);
    const auto it = entries.find(key);
    if (it == entries.end()) {
        throw std::logic_error(fmt::format("no message '{}' in share/locale/{}.json", key, to_string(language)));
    }
    return fill(it->second, args, key);
}

std::vector<std::string> catalogue_keys(Language language) {
    std::vector<std::string> keys;
    for (const auto& [key, text] : catalogue(language)) {
        keys.push_back(key);
    }
    return keys;
}

std::string catalogue_text(std::string_view key, Language language) {
    const auto& entries = catalogue(language);
    const auto it = entries.find(key);
    return it == entries.end() ? std::string{} : it->second;
}

std::string_view catalogue_json(Language language) {
    return language == Language::vi ? detail::catalogue_vi_json() : detail::catalogue_en_json();
}

std::string problem_text(const Problem& problem, Language language) {
    if (language == Language::en) {
        return problem.to_string();
    }
    const auto escaped = [](std::string_view text) { return escape_for_terminal(text); };
    std::string text = escaped(problem.where.file);
    if (!problem.where.layer.empty()) {
        text += ":" + escaped(problem.where.layer);
    }
    if (problem.where.row) {
        text += ":" + tr("problem.row", language, {{"row", std::to_string(*problem.where.row)}});
    } else if (problem.where.fid) {
        text += ":" + tr("problem.fid", language, {{"fid", std::to_string(*problem.where.fid)}});
    }
    if (!problem.field.empty()) {
        text += ": " + tr("problem.field", language, {{"field", escaped(problem.field)}});
    }
    text += ": " + tr(problem.severity == Severity::error ? "problem.error" : "problem.warning", language);
    text += " [" + escaped(problem.code) + "]: ";
    const auto explanation = catalogue_text("problem." + problem.code, language);
    if (explanation.empty()) {
        return text + escaped(problem.message);
    }
    return text + explanation + " (" + tr("problem.original", language, {{"detail", escaped(problem.message)}}) + ")";
}

std::string problem_summary(std::size_t errors, std::size_t warnings, Language language) {
    if (language == Language::en) { // the English wording the CLI has always printed
        return fmt::format("{} error{}, {} warning{}", errors, errors == 1 ? "" : "s", warnings,
                           warnings == 1 ? "" : "s");
    }
    return tr("problem.summary", language, {{"errors", std::to_string(errors)}, {"warnings", std::to_string(warnings)}});
}

std::string format_date(Date date, Language language) {
    if (language == Language::vi) {
        return fmt::format("{}/{}/{}", date.day(), date.month(), date.year());
    }
    return date.iso();
}

std::string format_decimal(double value, int decimals, Language language) {
    std::string text = fmt::format("{:.{}f}", value, decimals);
    if (text == fmt::format("-{:.{}f}", 0.0, decimals)) {
        text.erase(0, 1); // no "-0.0"
    }
    if (language == Language::vi) {
        for (auto& c : text) {
            c = c == '.' ? ',' : c;
        }
    }
    return text;
}

std::string format_percent(double fraction, int decimals, Language language) {
    return format_decimal(fraction * 100.0, decimals, language) + " %";
}

} // namespace deadzone::emit
