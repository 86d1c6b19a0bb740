// Calendar dates as whole days since 1970-01-01 (proleptic Gregorian), parsed and printed as
// ISO 8601 YYYY-MM-DD. Dates in deadzone carry no time of day and no time zone.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace deadzone {

class Date {
public:
    constexpr Date() noexcept = default;
    constexpr explicit Date(std::int32_t days_since_epoch) noexcept : m_days(days_since_epoch) {}

    /// The years a date read from input may fall in. Anything outside is a typo or a sentinel
    /// (0001-01-01, 9999-12-31, a Unix time of 0), and one far-off date would stretch every
    /// timeline and forecast over centuries.
    static constexpr int first_year = 1990;
    static constexpr int last_year = 2100;

    /// Strict YYYY-MM-DD (a valid calendar day in [first_year, last_year]); nullopt otherwise.
    /// Every date deadzone reads from a file or an option goes through here.
    static std::optional<Date> parse(std::string_view text);
    /// Why `text` is refused by parse(), as the end of a sentence: "'2022-06-31' is not a date
    /// (YYYY-MM-DD)" or "'9999-12-31' is outside the years 1990-2100"; empty when parse() accepts it.
    static std::string parse_problem(std::string_view text);
    /// Whether the day lies in [first_year, last_year] (for dates built from numbers).
    bool in_supported_range() const;
    /// From a calendar day; nullopt when it does not exist (e.g. 2022-02-30).
    static std::optional<Date> from_ymd(int year, unsigned month, unsigned day);

    constexpr std::int32_t days() const noexcept { return m_days; }
    int year() const;
    unsigned month() const;
    unsigned day() const;
    std::string iso() const; // "2022-06-30"

    constexpr Date operator+(std::int32_t n) const noexcept { return Date{m_days + n}; }
    constexpr Date operator-(std::int32_t n) const noexcept { return Date{m_days - n}; }
    constexpr std::int32_t operator-(Date other) const noexcept { return m_days - other.m_days; }
    constexpr auto operator<=>(const Date&) const noexcept = default;

private:
    std::int32_t m_days = 0;
};

} // namespace deadzone
