// Values as a campaign declares them: Vietnamese vocabulary, day-first dates and decimal commas
// brought to the canonical text the readers parse, before any reader sees the row. Nothing is
// guessed: a day-first date or a decimal comma is read only where the campaign says so, and a
// value the declared rules leave ambiguous is an error naming its row and field.
#include "detail.hpp"

#include <deadzone/core/date.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace deadzone::ingest::detail {

InputRules input_rules(const Campaign& campaign) {
    InputRules rules;
    rules.vietnamese = campaign.locale == Language::vi;
    rules.day_first = campaign.date_format ? *campaign.date_format == DateFormat::day_first : rules.vietnamese;
    return rules;
}

namespace {
bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Fields with a fixed vocabulary that has Vietnamese words (aliases_vi.cpp).
constexpr std::array<std::string_view, 4> vocabulary_fields{"status", "delay_reason", "power_source", "backhaul"};
} // namespace

ValueKind value_kind(std::string_view name) {
    // The house style puts units in names, so the name says what a field holds; fields added
    // later (`rsrp_dbm`, `gap_km2`) are read the same way without being listed here.
    if (ends_with(name, "_date") || name == "deadline" || ends_with(name, "_on")) {
        return ValueKind::date;
    }
    static constexpr std::array<std::string_view, 9> units{"_m", "_mhz", "_dbm", "_db", "_dbi", "_deg",
                                                           "_vnd", "_km", "_km2"};
    if (name == "lon" || name == "lat" || name == "population" || name == "households" ||
        std::any_of(units.begin(), units.end(), [&](std::string_view unit) { return ends_with(name, unit); })) {
        return ValueKind::number;
    }
    return ValueKind::text;
}

namespace {
/// Splits "d/m/yyyy" (or with '.' or '-') into its three parts; false for any other shape.
bool split_day_first(std::string_view text, std::string_view& a, std::string_view& b, std::string_view& year) {
    const auto first = text.find_first_of("/.-");
    if (first == std::string_view::npos) {
        return false;
    }
    const char separator = text[first];
    const auto second = text.find(separator, first + 1);
    if (second == std::string_view::npos) {
        return false;
    }
    a = text.substr(0, first);
    b = text.substr(first + 1, second - first - 1);
    year = text.substr(second + 1);
    return all_digits(a) && all_digits(b) && all_digits(year) && a.size() <= 2 && b.size() <= 2 && year.size() == 4;
}

int small_number(std::string_view digits) {
    int value = 0;
    for (const char c : digits) {
        value = value * 10 + (c - '0');
    }
    return value;
}
} // namespace

std::optional<std::string> day_first_to_iso(std::string_view text) {
    std::string_view day;
    std::string_view month;
    std::string_view year;
    if (!split_day_first(text, day, month, year)) {
        return std::nullopt;
    }
    const auto iso = fmt::format("{}-{:02d}-{:02d}", year, small_number(month), small_number(day));
    if (!Date::parse(iso)) {
        return std::nullopt;
    }
    return iso;
}

namespace {
/// Why a d/m/yyyy-shaped date cannot be read, or "" when it is not of that shape.
std::string slash_date_problem(std::string_view text, bool day_first) {
    std::string_view a;
    std::string_view b;
    std::string_view year;
    if (!split_day_first(text, a, b, year)) {
        return {};
    }
    if (day_first) {
        return fmt::format("'{}' is not a date (d/m/yyyy: day, month, year)", text);
    }
    const int first = small_number(a);
    const int second = small_number(b);
    const std::string declare =
        "declare \"date_format\": \"d/m/yyyy\" (or \"locale\": \"vi\") in campaign.json if the file writes the day first";
    if (first <= 12 && second <= 12 && first != second) {
        return fmt::format("'{}' is not a date (YYYY-MM-DD): day {} of month {} or day {} of month {}? deadzone "
                           "does not guess; write {}-{:02d}-{:02d} or {}-{:02d}-{:02d}, or {}",
                           text, first, second, second, first, year, second, first, year, first, second, declare);
    }
    return fmt::format("'{}' is not a date (YYYY-MM-DD); write it as YYYY-MM-DD, or {}", text, declare);
}

std::string without_char(std::string_view text, char drop) {
    std::string out;
    std::copy_if(text.begin(), text.end(), std::back_inserter(out), [&](char c) { return c != drop; });
    return out;
}

/// "1.800" / "12.345.678": groups of three digits after the first, split by '.'.
bool dot_grouped(std::string_view digits) {
    const auto first = digits.find('.');
    if (first == std::string_view::npos || first == 0 || first > 3 || !all_digits(digits.substr(0, first))) {
        return false;
    }
    for (std::size_t pos = first; pos < digits.size(); pos += 4) {
        if (digits[pos] != '.' || pos + 4 > digits.size() || !all_digits(digits.substr(pos + 1, 3))) {
            return false;
        }
    }
    return true;
}
} // namespace

CommaNumber decimal_comma_number(std::string_view text) {
    std::string_view body = text;
    std::string sign;
    if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
        sign = body.front() == '-' ? "-" : "";
        body.remove_prefix(1);
    }
    const auto comma = body.find(',');
    const auto dots = std::count(body.begin(), body.end(), '.');
    if (comma == std::string_view::npos && dots == 0) {
        return {}; // plain digits (or not a number at all: the reader says so)
    }
    if (comma != std::string_view::npos) {
        const auto whole = body.substr(0, comma);
        const auto fraction = body.substr(comma + 1);
        const bool whole_ok = all_digits(whole) || dot_grouped(whole);
        if (whole_ok && all_digits(fraction)) {
            return {sign + without_char(whole, '.') + "." + std::string{fraction}, {}};
        }
        return {std::nullopt, fmt::format("'{}' is not a number written with a decimal comma (as 1.800,5 or 105,8)",
                                          text)};
    }
    if (dots >= 2 && dot_grouped(body)) {
        return {sign + without_char(body, '.'), {}}; // two points can only group thousands
    }
    if (dot_grouped(body)) {
        const std::string plain = without_char(body, '.');
        std::string decimal{body};
        std::replace(decimal.begin(), decimal.end(), '.', ',');
        return {std::nullopt,
                fmt::format("'{}' is ambiguous in a file with decimal commas (locale vi): write {}{} if '.' groups "
                            "thousands, or {}{} for a decimal",
                            text, sign, plain, sign, decimal)};
    }
    std::string decimal{body};
    std::replace(decimal.begin(), decimal.end(), '.', ',');
    return {std::nullopt, fmt::format("'{}' has a decimal point, but this file writes decimal commas (locale vi, "
                                      "';'-separated): write {}{}",
                                      text, sign, decimal)};
}

bool localize_row(const LayerInfo& layer, const std::vector<FieldSpec>& specs, const std::vector<bool>& text_column,
                  Row& row, Diagnostics& diagnostics) {
    bool ok = true;
    for (std::size_t s = 0; s < specs.size(); ++s) {
        auto& value = row.values[s];
        const int column = layer.fields.column[s];
        if (value.empty() || column < 0) {
            continue;
        }
        const std::string& name = specs[s].name;
        const auto label = [&] { return trim(layer.column_names[static_cast<std::size_t>(column)]); };
        if (std::find(vocabulary_fields.begin(), vocabulary_fields.end(), name) != vocabulary_fields.end()) {
            if (auto canonical = vietnamese_value(name, value)) {
                value = std::move(*canonical);
            }
            continue;
        }
        const ValueKind kind = value_kind(name);
        if (kind == ValueKind::date && !Date::parse(value)) {
            if (auto iso = layer.rules.day_first ? day_first_to_iso(value) : std::nullopt) {
                value = std::move(*iso);
            } else if (const auto problem = slash_date_problem(value, layer.rules.day_first); !problem.empty()) {
                diagnostics.error(row.where, label(), "bad_date", problem);
                ok = false;
            }
        } else if (kind == ValueKind::number && layer.decimal_comma && text_column[s]) {
            auto number = decimal_comma_number(value);
            if (number.value) {
                value = std::move(*number.value);
            } else if (!number.problem.empty()) {
                diagnostics.error(row.where, label(), "bad_number", number.problem);
                ok = false;
            }
        }
    }
    return ok;
}

} // namespace deadzone::ingest::detail
