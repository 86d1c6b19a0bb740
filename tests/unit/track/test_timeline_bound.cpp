// The timeline's size is bounded: daily points for spans up to timeline_daily_days, weekly points
// (ending on the as-of date) beyond, so a far as-of date cannot blow progress.json up.
#include "tiny_campaign.hpp"

#include <doctest/doctest.h>

using deadzone::testing::TinyCampaign;
using deadzone::testing::day;

TEST_CASE("timeline: daily up to two years, weekly after") {
    const TinyCampaign tiny; // starts 2022-06-01

    // 2024-06-01 is 731 days after the start: 732 days inclusive, still daily.
    const auto daily = tiny.track_at(day("2024-06-01")).overall.timeline;
    REQUIRE(daily.size() == 732);
    CHECK(daily.front().date == day("2022-06-01"));
    CHECK(daily.back().date == day("2024-06-01"));

    // One more day: weekly. 733 days inclusive; points on as_of, as_of - 7, ... down to day 4
    // (732 - 7*104 = 4 days after the start), plus the start itself: 105 + 1 points.
    const auto weekly = tiny.track_at(day("2024-06-02")).overall.timeline;
    REQUIRE(weekly.size() == 106);
    CHECK(weekly.front().date == day("2022-06-01"));
    CHECK(weekly[1].date == day("2022-06-05"));
    CHECK(weekly[2].date == day("2022-06-12"));
    CHECK(weekly.back().date == day("2024-06-02"));
    // Values are still the day's own counts: on 06-05 only v3/A is covered (from 06-05).
    CHECK(weekly.front().covered == 0);
    CHECK(weekly[1].covered == 1);
    // At the end v1/A, v2/A and v3/B are covered (v3/A went off air on 07-10).
    CHECK(weekly.back().covered == 3);
    for (std::size_t i = 2; i < weekly.size(); ++i) {
        CHECK(weekly[i].date - weekly[i - 1].date == 7);
    }
}

TEST_CASE("timeline: the latest date anyone can give stays small") {
    const TinyCampaign tiny;
    const auto t = tiny.track_at(day("2100-12-31"));
    // 2022-06-01 .. 2100-12-31 is 28 703 days: 4 101 weekly points plus the start, not 28 703.
    CHECK(t.overall.timeline.size() == 4102);
    CHECK(t.operators[0].timeline.size() == t.overall.timeline.size());
    CHECK(t.overall.timeline.back().date == day("2100-12-31"));
}
