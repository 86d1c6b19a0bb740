#include <deadzone/date.hpp>

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
    CHECK(Date::parse("1970-01-01")->days() == 0);
    CHECK(Date::parse("2024-02-29"));

    CHECK_FALSE(Date::parse("2022-02-29"));
    CHECK_FALSE(Date::parse("2022-13-01"));
    CHECK_FALSE(Date::parse("2022-6-30"));
    CHECK_FALSE(Date::parse("30/06/2022"));
    CHECK_FALSE(Date::parse("2022-06-30T00:00"));
    CHECK_FALSE(Date::parse(""));
}
