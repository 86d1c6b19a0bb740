// Field names, aliases and strict parsing of the text values every reader sees.
#include "detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace deadzone::ingest::detail {

std::string trim(std::string_view text) {
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (text.substr(0, bom.size()) == bom) {
        text.remove_prefix(bom.size());
    }
    const auto is_blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_blank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_blank(text.back())) {
        text.remove_suffix(1);
    }
    return std::string{text};
}

std::string normalize_name(std::string_view name) {
    std::string out = trim(name);
    for (auto& c : out) {
        c = c == ' ' || c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<double> parse_number(std::string_view text) {
    const std::string value = trim(text);
    if (value.empty()) {
        return std::nullopt;
    }
    const char* begin = value.data();
    const char* end = value.data() + value.size();
    if (*begin == '+') { // from_chars rejects a leading plus; spreadsheets write one
        ++begin;
    }
    double number = 0.0;
    const auto [ptr, ec] = std::from_chars(begin, end, number);
    if (ec != std::errc{} || ptr != end || !std::isfinite(number)) {
        return std::nullopt;
    }
    return number;
}

std::optional<long long> parse_integer(std::string_view text) {
    const std::string value = trim(text);
    if (value.empty()) {
        return std::nullopt;
    }
    long long number = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec == std::errc{} && ptr == value.data() + value.size()) {
        return number;
    }
    // Sources with typed columns print whole numbers as "12.0"; accept them when exact.
    if (const auto real = parse_number(value); real && std::floor(*real) == *real &&
                                                std::fabs(*real) < 9.0e15) {
        return static_cast<long long>(*real);
    }
    return std::nullopt;
}

namespace {
bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "1,800" / "12,345,678" (optionally with a decimal part after `decimal`): digit groups of three
/// after the first, split by `separator`.
bool grouped_thousands(std::string_view text, char separator, char decimal) {
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        text.remove_prefix(1);
    }
    if (const auto point = text.find(decimal); point != std::string_view::npos) {
        if (!all_digits(text.substr(point + 1))) {
            return false;
        }
        text = text.substr(0, point);
    }
    const auto first = text.find(separator);
    if (first == std::string_view::npos || first == 0 || first > 3 || !all_digits(text.substr(0, first))) {
        return false;
    }
    for (std::size_t pos = first; pos < text.size(); pos += 4) {
        if (text[pos] != separator || pos + 4 > text.size() || !all_digits(text.substr(pos + 1, 3))) {
            return false;
        }
    }
    return true;
}

std::string without(std::string_view text, char drop) {
    std::string out;
    for (const char c : text) {
        if (c != drop) {
            out += c;
        }
    }
    return out;
}
} // namespace

std::string number_advice(std::string_view text_in) {
    const std::string text = trim(text_in);
    // "1,800" is ambiguous in principle, but a comma before exactly three digits is how
    // spreadsheets group thousands; calling it a decimal comma would suggest 1.8.
    if (grouped_thousands(text, ',', '.')) {
        return fmt::format(" (',' looks like a thousands separator: write {})", without(text, ','));
    }
    if (std::count(text.begin(), text.end(), '.') >= 2 && grouped_thousands(text, '.', ',')) {
        std::string plain = without(text, '.');
        std::replace(plain.begin(), plain.end(), ',', '.');
        return fmt::format(" ('.' looks like a thousands separator: write {})", plain);
    }
    if (grouped_thousands(text, ' ', '.')) {
        return fmt::format(" (digits grouped with blanks: write {})", without(text, ' '));
    }
    if (text.find(',') != std::string::npos) {
        std::string point = text;
        std::replace(point.begin(), point.end(), ',', '.');
        if (parse_number(point)) {
            return fmt::format(" (use a point as decimal separator: {})", point);
        }
        return " (use a point as decimal separator)";
    }
    return {};
}

FieldMap match_fields(const std::vector<std::string>& column_names, const std::vector<FieldSpec>& specs) {
    FieldMap map;
    map.column.assign(specs.size(), -1);
    std::vector<std::string> names;
    names.reserve(column_names.size());
    for (const auto& name : column_names) {
        names.push_back(normalize_name(name));
    }
    std::vector<bool> claimed(names.size(), false);
    auto claim = [&](std::size_t spec, const std::string& wanted) {
        for (std::size_t c = 0; c < names.size(); ++c) {
            if (!claimed[c] && names[c] == wanted) {
                claimed[c] = true;
                map.column[spec] = static_cast<int>(c);
                return true;
            }
        }
        return false;
    };
    // Canonical names win over aliases, so a file with both "id" and "village_id" maps the latter.
    for (std::size_t s = 0; s < specs.size(); ++s) {
        claim(s, specs[s].name);
    }
    for (std::size_t s = 0; s < specs.size(); ++s) {
        for (const auto& alias : specs[s].aliases) {
            if (map.column[s] >= 0 || claim(s, alias)) {
                break;
            }
        }
    }
    // Vietnamese headers last: an English name in the same file is the more deliberate choice.
    for (std::size_t c = 0; c < names.size(); ++c) {
        if (claimed[c]) {
            continue;
        }
        if (const auto field = vietnamese_header_field(column_names[c])) {
            for (std::size_t s = 0; s < specs.size(); ++s) {
                if (map.column[s] < 0 && specs[s].name == *field) {
                    claimed[c] = true;
                    map.column[s] = static_cast<int>(c);
                    break;
                }
            }
        }
    }
    for (std::size_t c = 0; c < names.size(); ++c) {
        if (!claimed[c]) {
            // A Vietnamese header of a field this reader does not use ("Tỉnh" in a station list)
            // passes through under its English name: layer field names stay English.
            std::string name = trim(column_names[c]);
            if (const auto field = vietnamese_header_field(name);
                field && std::find(names.begin(), names.end(), *field) == names.end() &&
                std::find(map.extra_names.begin(), map.extra_names.end(), *field) == map.extra_names.end()) {
                name = *field;
            }
            map.extra_columns.push_back(static_cast<int>(c));
            map.extra_names.push_back(std::move(name));
        }
    }
    return map;
}

std::string field_label(const LayerInfo& layer, const std::vector<FieldSpec>& specs, int index) {
    const int column = layer.fields.column[static_cast<std::size_t>(index)];
    if (column >= 0) {
        return trim(layer.column_names[static_cast<std::size_t>(column)]);
    }
    return specs[static_cast<std::size_t>(index)].name;
}

const std::string& required_value(const LayerInfo& layer, const std::vector<FieldSpec>& specs,
                                  const Row& row, int index, Diagnostics& diagnostics, bool& rejected) {
    const auto& value = row.values[static_cast<std::size_t>(index)];
    if (value.empty()) {
        if (layer.fields.column[static_cast<std::size_t>(index)] >= 0) {
            const auto label = field_label(layer, specs, index);
            diagnostics.error(row.where, label, "missing_value", fmt::format("'{}' is empty", label));
        } else {
            rejected = true;
        }
    }
    return value;
}

std::map<Tech, RadioDefaults> builtin_radio_defaults() {
    return {
        {Tech::g2, RadioDefaults{900.0, 58.0, 30.0, 65.0, -95.0}},
        {Tech::g3, RadioDefaults{2100.0, 58.0, 30.0, 65.0, -100.0}},
        {Tech::g4, RadioDefaults{1800.0, 61.0, 30.0, 65.0, -100.0}},
        {Tech::g5, RadioDefaults{3500.0, 62.0, 30.0, 65.0, -100.0}},
    };
}

void sort_by_location(std::vector<Problem>& problems) {
    // Files and layers keep the order in which they were read; rows go top to bottom within them.
    std::vector<std::pair<std::string, std::string>> groups;
    auto group_of = [&](const Problem& p) {
        const auto key = std::make_pair(p.where.file, p.where.layer);
        const auto it = std::find(groups.begin(), groups.end(), key);
        if (it != groups.end()) {
            return static_cast<long>(it - groups.begin());
        }
        groups.push_back(key);
        return static_cast<long>(groups.size() - 1);
    };
    std::vector<std::pair<std::pair<long, long>, std::size_t>> keys;
    keys.reserve(problems.size());
    for (std::size_t i = 0; i < problems.size(); ++i) {
        const auto& where = problems[i].where;
        const long line = where.row ? *where.row : (where.fid ? *where.fid : -1);
        keys.push_back({{group_of(problems[i]), line}, i});
    }
    std::stable_sort(keys.begin(), keys.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Problem> sorted;
    sorted.reserve(problems.size());
    for (const auto& key : keys) {
        sorted.push_back(std::move(problems[key.second]));
    }
    problems = std::move(sorted);
}

void flush_sorted(Diagnostics& local, Diagnostics& diagnostics) {
    auto problems = local.problems();
    sort_by_location(problems);
    for (auto& problem : problems) {
        diagnostics.add(std::move(problem));
    }
    local = Diagnostics{};
}

Location entity_source(const LayerInfo& layer, const Location& where) {
    return Location{layer.short_name, where.row, {}, where.row ? std::nullopt : where.fid};
}

} // namespace deadzone::ingest::detail
