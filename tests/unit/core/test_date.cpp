#include <deadzone/core/date.hpp>

#include <doctest/doctest.h>

using deadzone::Date;

TEST_CASE("dates parse strictly and print as ISO 8601") {
    const auto d = Date::parse("2022-06-30");
    REQUIRE(d);
    CHECK(d->iso() == "2022-06-30");
    CHECK(d->days() == 19173); // 52 years (13 leap days) + 180 days
    CHECK(d->year() == 2022);
    CHECK(d->month() == 6u);
    CHECK(d->day() == 30u);
    CHECK(*Date::parse("2022-07-30") - *d == 30);
    CHECK(Date::from_ymd(1970, 1, 1)->days() == 0);
    CHECK(Date::parse("2024-02-29"));

    CHECK_FALSE(Date::parse("2022-02-29"));
    CHECK_FALSE(Date::parse("2022-13-01"));
    CHECK_FALSE(Date::parse("2022-6-30"));
    CHECK_FALSE(Date::parse("30/06/2022"));
    CHECK_FALSE(Date::parse("2022-06-30T00:00"));
    CHECK_FALSE(Date::parse(""));
}

TEST_CASE("dates read from input must fall in 1990-2100") {
    CHECK(Date::parse("1990-01-01"));
    CHECK(Date::parse("2100-12-31"));
    CHECK_FALSE(Date::parse("1989-12-31"));
    CHECK_FALSE(Date::parse("2101-01-01"));
    CHECK_FALSE(Date::parse("0001-01-01"));
    CHECK_FALSE(Date::parse("0000-01-01"));
    CHECK_FALSE(Date::parse("9999-12-31"));
    CHECK_FALSE(Date::parse("1970-01-01"));
    CHECK(Date::parse_problem("9999-12-31") == "'9999-12-31' is outside the years 1990-2100");
    CHECK(Date::parse_problem("2022-02-30") == "'2022-02-30' is not a date (YYYY-MM-DD)");
    CHECK(Date::parse_problem("2022-06-30").empty());
    // Built from numbers, a date is not limited; the check is separate.
    CHECK_FALSE(Date::from_ymd(1970, 1, 1)->in_supported_range());
    CHECK(Date::from_ymd(2022, 6, 30)->in_supported_range());
}
