#include <deadzone/core/date.hpp>

#include <chrono>
#include <cstdio>

namespace deadzone {

namespace {
std::chrono::year_month_day ymd(std::int32_t days) {
    return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}
} // namespace

std::optional<Date> Date::from_ymd(int year, unsigned month, unsigned day) {
    const std::chrono::year_month_day value{std::chrono::year{year}, std::chrono::month{month},
                                            std::chrono::day{day}};
    if (!value.ok()) {
        return std::nullopt;
    }
    return Date{static_cast<std::int32_t>(std::chrono::sys_days{value}.time_since_epoch().count())};
}

namespace {
/// The calendar day of a strict YYYY-MM-DD text, without the range check.
std::optional<Date> parse_calendar_day(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    auto digits = [&](std::size_t from, std::size_t count, int& out) {
        out = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return false;
            }
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    int year = 0;
    int month = 0;
    int day = 0;
    if (!digits(0, 4, year) || !digits(5, 2, month) || !digits(8, 2, day)) {
        return std::nullopt;
    }
    return Date::from_ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}
} // namespace

bool Date::in_supported_range() const {
    const int y = year();
    return y >= first_year && y <= last_year;
}

std::optional<Date> Date::parse(std::string_view text) {
    const auto date = parse_calendar_day(text);
    if (!date || !date->in_supported_range()) {
        return std::nullopt;
    }
    return date;
}

std::string Date::parse_problem(std::string_view text) {
    const auto date = parse_calendar_day(text);
    if (!date) {
        return "'" + std::string{text} + "' is not a date (YYYY-MM-DD)";
    }
    if (!date->in_supported_range()) {
        return "'" + std::string{text} + "' is outside the years " + std::to_string(first_year) + "-" +
               std::to_string(last_year);
    }
    return {};
}

int Date::year() const { return static_cast<int>(ymd(m_days).year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd(m_days).month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd(m_days).day()); }

std::string Date::iso() const {
    const auto value = ymd(m_days);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(value.year()),
                  static_cast<unsigned>(value.month()), static_cast<unsigned>(value.day()));
    return buffer;
}

} // namespace deadzone
