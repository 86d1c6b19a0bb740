// Statuses, counts, milestones, timeline and forecast of the tiny campaign (tiny_campaign.hpp),
// worked out by hand at dates before, on and after each deadline and milestone.
#include "tiny_campaign.hpp"

#include <deadzone/core/error.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using deadzone::Date;
using deadzone::testing::day;
using deadzone::testing::TinyCampaign;
using deadzone::track::Counts;
using deadzone::track::Status;

namespace {

void check_counts(const Counts& counts, int covered, int late, int overdue, int pending) {
    CHECK(counts.covered == covered);
    CHECK(counts.covered_late == late);
    CHECK(counts.overdue == overdue);
    CHECK(counts.pending == pending);
    CHECK(counts.total == covered + late + overdue + pending);
}

std::vector<Status> statuses(const deadzone::track::Tracking& tracking) {
    std::vector<Status> result;
    for (const auto& c : tracking.commitments) {
        result.push_back(c.status);
    }
    return result;
}

} // namespace

TEST_CASE("status names") {
    CHECK(std::string(to_string(Status::covered)) == "covered");
    CHECK(std::string(to_string(Status::covered_late)) == "covered_late");
    CHECK(std::string(to_string(Status::overdue)) == "overdue");
    CHECK(std::string(to_string(Status::pending)) == "pending");
}

TEST_CASE("as of 2022-06-30: the first milestone and the first deadlines fall on the as-of date") {
    const TinyCampaign tiny;
    const auto t = tiny.track_at(day("2022-06-30"));
    // c0 covered since 06-10 <= deadline; c1 not yet covered, D == deadline so pending (not
    // overdue); c2 covered since 06-05; c3 never covered, D == deadline: pending; c4 pending;
    // c5 covered since 06-20.
    CHECK(statuses(t) == std::vector<Status>{Status::covered, Status::pending, Status::covered,
                                             Status::pending, Status::pending, Status::covered});
    CHECK(t.commitments[0].covered_on == day("2022-06-10"));
    CHECK(t.commitments[2].covered_on == day("2022-06-05"));
    CHECK(t.commitments[5].covered_on == day("2022-06-20"));
    CHECK_FALSE(t.commitments[1].covered_on);
    for (const auto& c : t.commitments) {
        CHECK_FALSE(c.days_late);
    }
    CHECK(t.commitments[0].coverage == doctest::Approx(0.95));
    CHECK(t.commitments[3].coverage == doctest::Approx(0.3));
    CHECK(t.commitments[4].coverage == 0.0); // no overlay entry for B in v5
    CHECK(t.commitments[4].village == 4);
    CHECK(t.commitments[5].village == 2);
    // Only c4 has no footprint that could ever cover it (c3's planned cell would: 0.95 >= 0.9).
    for (std::size_t i = 0; i < t.commitments.size(); ++i) {
        CHECK(t.commitments[i].cannot_be_met == (i == 4));
    }

    // Overall 3 of 6 covered = 0.5; A: c0, c2 of 3; B: c5 of 3.
    check_counts(t.overall.counts, 3, 0, 0, 3);
    CHECK(t.overall.counts.fraction == doctest::Approx(0.5));
    REQUIRE(t.operators.size() == 2);
    CHECK(t.operators[0].key == "A");
    check_counts(t.operators[0].counts, 2, 0, 0, 1);
    CHECK(t.operators[0].counts.fraction == doctest::Approx(2.0 / 3.0));
    CHECK(t.operators[1].key == "B");
    check_counts(t.operators[1].counts, 1, 0, 0, 2);

    // Provinces in Vietnamese order: Đ after D but before H (bytewise it would be last).
    REQUIRE(t.provinces.size() == 3);
    CHECK(t.provinces[0].key == "Điện Biên");
    CHECK(t.provinces[1].key == "Hà Giang");
    CHECK(t.provinces[2].key == "Lào Cai");
    check_counts(t.provinces[0].counts, 0, 0, 0, 1);             // c4
    check_counts(t.provinces[1].counts, 2, 0, 0, 1);             // c2, c5 | c3
    check_counts(t.provinces[2].counts, 1, 0, 0, 1);             // c0 | c1
    CHECK(t.provinces[2].counts.fraction == doctest::Approx(0.5));

    // Milestone 06-30 (50 %) is judged on its own day: overall 3/6 = 0.5 >= 0.5 met,
    // A 2/3 met, B 1/3 missed. Milestone 07-30 is upcoming: no verdict.
    const auto& m1 = t.overall.milestones.at(0);
    CHECK_FALSE(m1.upcoming);
    CHECK(m1.achieved == doctest::Approx(0.5));
    CHECK(m1.met == true);
    CHECK(t.operators[0].milestones.at(0).met == true);
    CHECK(t.operators[1].milestones.at(0).met == false);
    CHECK(t.operators[1].milestones.at(0).achieved == doctest::Approx(1.0 / 3.0));
    const auto& m2 = t.overall.milestones.at(1);
    CHECK(m2.upcoming);
    CHECK_FALSE(m2.met);
    CHECK(m2.achieved == doctest::Approx(0.5));

    // Timeline 06-01..06-30: 0 until 06-04, 1 from 06-05 (c2), 2 from 06-10 (c0), 3 from 06-20.
    const auto& timeline = t.overall.timeline;
    REQUIRE(timeline.size() == 30);
    CHECK(timeline.front().date == day("2022-06-01"));
    CHECK(timeline.back().date == day("2022-06-30"));
    CHECK(timeline[3].covered == 0);
    CHECK(timeline[4].covered == 1);
    CHECK(timeline[8].covered == 1);
    CHECK(timeline[9].covered == 2);
    CHECK(timeline[18].covered == 2);
    CHECK(timeline[19].covered == 3);
    CHECK(timeline[29].covered == 3);
    CHECK(t.operators[1].timeline[19].covered == 1);

    // Forecast: the campaign is 29 days old, so the window is 29 days (06-01 .. 06-30); nothing
    // was covered on 06-01. Overall pace 3/29 per day, 3 left: 29 days -> 2022-07-29.
    const auto& f = t.overall.forecast;
    CHECK(f.window_days == 29);
    CHECK(f.pace_per_day == doctest::Approx(3.0 / 29.0));
    CHECK(f.remaining == 3);
    CHECK_FALSE(f.done);
    CHECK(f.completion == day("2022-07-29"));
    // A: pace 2/29, 1 left: ceil(14.5) = 15 days -> 07-15. B: pace 1/29, 2 left: 58 days -> 08-27.
    CHECK(t.operators[0].forecast.completion == day("2022-07-15"));
    CHECK(t.operators[1].forecast.completion == day("2022-08-27"));
    // Upcoming 07-30 (30 days ahead): overall min(3 + 30*3/29, 6)/6 = 1; B (1 + 30/29)/3.
    CHECK(m2.forecast_achieved == doctest::Approx(1.0));
    CHECK(t.operators[1].milestones.at(1).forecast_achieved ==
          doctest::Approx((1.0 + 30.0 / 29.0) / 3.0));
    CHECK_FALSE(m1.forecast_achieved);
}

TEST_CASE("as of 2022-07-01: a day after the first deadlines") {
    const TinyCampaign tiny;
    const auto t = tiny.track_at(day("2022-07-01"));
    CHECK(statuses(t) == std::vector<Status>{Status::covered, Status::overdue, Status::covered,
                                             Status::overdue, Status::pending, Status::covered});
    CHECK(t.commitments[1].days_late == 1);
    CHECK(t.commitments[3].days_late == 1);
    CHECK_FALSE(t.commitments[4].days_late);
    check_counts(t.overall.counts, 3, 0, 2, 1);
    // The 06-30 milestone is judged at 06-30, not at the as-of date.
    CHECK(t.overall.milestones[0].achieved == doctest::Approx(0.5));
    CHECK(t.overall.milestones[0].met == true);
    CHECK(t.overall.milestones[1].upcoming);
}

TEST_CASE("as of 2022-07-30: late coverage, a cell off air, the final milestone on the day") {
    const TinyCampaign tiny;
    const auto t = tiny.track_at(day("2022-07-30"));
    // c1 covered from 07-05, deadline 06-30: covered_late by 5 days. c2's cell went off air on
    // 07-10: not covered at D, D == deadline 07-30: pending, though it was covered in June.
    // c3 overdue since 06-30: 30 days.
    CHECK(statuses(t) == std::vector<Status>{Status::covered, Status::covered_late,
                                             Status::pending, Status::overdue, Status::pending,
                                             Status::covered});
    CHECK(t.commitments[1].covered_on == day("2022-07-05"));
    CHECK(t.commitments[1].days_late == 5);
    CHECK_FALSE(t.commitments[2].covered_on);
    CHECK(t.commitments[2].coverage == doctest::Approx(0.4));
    CHECK_FALSE(t.commitments[2].cannot_be_met); // the off-air cell could come back
    CHECK(t.commitments[3].days_late == 30);
    check_counts(t.overall.counts, 2, 1, 1, 2);
    CHECK(t.overall.counts.fraction == doctest::Approx(0.5));

    // 06-30 milestone still judged at 06-30: c0, c2, c5 covered then -> 0.5 met.
    CHECK(t.overall.milestones[0].achieved == doctest::Approx(0.5));
    CHECK(t.overall.milestones[0].met == true);
    // 07-30 milestone is on D, so judged (not upcoming): c0, c1, c5 -> 0.5 < 1.0 missed.
    const auto& m2 = t.overall.milestones[1];
    CHECK_FALSE(m2.upcoming);
    CHECK(m2.met == false);
    CHECK(m2.achieved == doctest::Approx(0.5));
    CHECK_FALSE(m2.forecast_achieved);
    // A: 06-30 c0, c2 -> 2/3 met; 07-30 c0, c1 -> 2/3 missed.
    CHECK(t.operators[0].milestones[0].met == true);
    CHECK(t.operators[0].milestones[1].achieved == doctest::Approx(2.0 / 3.0));
    CHECK(t.operators[0].milestones[1].met == false);

    // The burn-up is not monotonic: A has 2 (c0, c2) until c1 joins on 07-05, 3 on
    // 07-05..07-09, and 2 again from 07-10 when c2's cell goes off air.
    const auto& a = t.operators[0].timeline;
    REQUIRE(a.size() == 60);
    CHECK(a[static_cast<std::size_t>(day("2022-07-04") - day("2022-06-01"))].covered == 2);
    CHECK(a[static_cast<std::size_t>(day("2022-07-05") - day("2022-06-01"))].covered == 3);
    CHECK(a[static_cast<std::size_t>(day("2022-07-09") - day("2022-06-01"))].covered == 3);
    CHECK(a[static_cast<std::size_t>(day("2022-07-10") - day("2022-06-01"))].covered == 2);

    // Pace: 3 covered on 06-30 and 3 now: zero net progress, so no completion date.
    CHECK(t.overall.forecast.window_days == 30);
    CHECK(t.overall.forecast.pace_per_day == 0.0);
    CHECK(t.overall.forecast.remaining == 3);
    CHECK_FALSE(t.overall.forecast.completion);
    CHECK_FALSE(t.overall.forecast.done);
}

TEST_CASE("as of 2022-08-15: after every deadline") {
    const TinyCampaign tiny;
    const auto t = tiny.track_at(day("2022-08-15"));
    CHECK(statuses(t) == std::vector<Status>{Status::covered, Status::covered_late,
                                             Status::overdue, Status::overdue, Status::overdue,
                                             Status::covered});
    CHECK(t.commitments[2].days_late == 16); // 08-15 - 07-30
    CHECK(t.commitments[3].days_late == 46); // 08-15 - 06-30
    CHECK(t.commitments[4].days_late == 16);
    CHECK(t.commitments[4].cannot_be_met);
    check_counts(t.overall.counts, 2, 1, 3, 0);
    check_counts(t.operators[1].counts, 1, 0, 2, 0);
    for (const auto& m : t.overall.milestones) {
        CHECK_FALSE(m.upcoming);
    }
}

TEST_CASE("as of 2022-05-20: before the campaign starts") {
    const TinyCampaign tiny;
    const auto t = tiny.track_at(day("2022-05-20"));
    check_counts(t.overall.counts, 0, 0, 0, 6);
    CHECK(t.overall.counts.fraction == 0.0);
    CHECK(t.overall.timeline.empty());
    CHECK(t.overall.forecast.window_days == 0);
    CHECK(t.overall.forecast.pace_per_day == 0.0);
    CHECK_FALSE(t.overall.forecast.completion);
    for (const auto& m : t.overall.milestones) {
        CHECK(m.upcoming);
        CHECK(m.achieved == 0.0);
        CHECK(m.forecast_achieved == 0.0);
    }
    CHECK(t.commitments[4].cannot_be_met);
}

TEST_CASE("without a start date the timeline starts at the first event") {
    TinyCampaign tiny;
    tiny.campaign.start_date.reset();
    const auto t = tiny.track_at(day("2022-06-30"));
    // First event: c2 covered from 06-05; 26 days to 06-30.
    REQUIRE(t.overall.timeline.size() == 26);
    CHECK(t.overall.timeline.front().date == day("2022-06-05"));
    CHECK(t.overall.timeline.front().covered == 1);
    // Window 25 days (06-05 .. 06-30): from 1 to 3 covered, pace 2/25 = 0.08; 3 left:
    // ceil(37.5) = 38 days -> 2022-08-07.
    CHECK(t.overall.forecast.window_days == 25);
    CHECK(t.overall.forecast.pace_per_day == doctest::Approx(0.08));
    CHECK(t.overall.forecast.completion == day("2022-08-07"));
}

TEST_CASE("a shorter forecast window") {
    const TinyCampaign tiny;
    deadzone::track::Options options;
    options.forecast_window_days = 15;
    const auto t = tiny.track_at(day("2022-06-30"), options);
    // 06-15: c2, c0 covered (2); 06-30: 3. Pace 1/15, 3 left: 45 days -> 2022-08-14.
    CHECK(t.overall.forecast.window_days == 15);
    CHECK(t.overall.forecast.pace_per_day == doctest::Approx(1.0 / 15.0));
    CHECK(t.overall.forecast.completion == day("2022-08-14"));
}

TEST_CASE("zero commitments") {
    TinyCampaign tiny;
    tiny.commitments.clear();
    const auto t = tiny.track_at(day("2022-06-30"));
    CHECK(t.commitments.empty());
    check_counts(t.overall.counts, 0, 0, 0, 0);
    CHECK(t.overall.counts.fraction == 0.0);
    CHECK(t.overall.forecast.done);
    CHECK_FALSE(t.overall.forecast.completion);
    REQUIRE(t.overall.milestones.size() == 2);
    CHECK_FALSE(t.overall.milestones[0].met); // no verdict: nothing was due
    CHECK(t.operators.size() == 2);
    CHECK(t.provinces.empty());
}

TEST_CASE("a finished campaign is done") {
    TinyCampaign tiny;
    tiny.commitments = {tiny.commitments[0], tiny.commitments[5]};
    const auto t = tiny.track_at(day("2022-07-01"));
    check_counts(t.overall.counts, 2, 0, 0, 0);
    CHECK(t.overall.counts.fraction == 1.0);
    CHECK(t.overall.forecast.done);
    CHECK(t.overall.forecast.remaining == 0);
    CHECK_FALSE(t.overall.forecast.completion);
}

TEST_CASE("inconsistent inputs are refused") {
    const TinyCampaign tiny;
    SUBCASE("overlay for another date") {
        CHECK_THROWS_AS(deadzone::track::run_track(tiny.campaign, tiny.villages, tiny.commitments,
                                                   tiny.overlay_at(day("2022-06-01")),
                                                   day("2022-06-30")),
                        deadzone::Failure);
    }
    SUBCASE("unknown village and operator, both reported") {
        auto commitments = tiny.commitments;
        commitments[1].village_id = "nowhere";
        commitments[3].operator_code = "ZZZ";
        try {
            deadzone::track::run_track(tiny.campaign, tiny.villages, commitments,
                                       tiny.overlay_at(day("2022-06-30")), day("2022-06-30"));
            FAIL("expected an InputError");
        } catch (const deadzone::InputError& error) {
            REQUIRE(error.problems().size() == 2);
            CHECK(error.problems()[0].field == "village_id");
            // The commitment's own Location: the row in its field, as a JSON consumer reads it.
            CHECK(error.problems()[0].where.file == "commitments.csv");
            CHECK(error.problems()[0].where.row == 3);
            CHECK(error.problems()[1].field == "operator");
        }
    }
}

TEST_CASE("Vietnamese name order") {
    using deadzone::track::name_less;
    CHECK(name_less("Điện Biên", "Hà Giang"));
    CHECK(name_less("Dak Lak", "Đà Nẵng"));  // Đ comes after every D
    CHECK(name_less("Cao Bằng", "Dak Lak"));
    CHECK(name_less("An Giang", "Ăn"));       // Ă after A
    CHECK(name_less("Lai Châu", "Lào Cai"));  // tone marks do not decide before letters do
    CHECK(name_less("Lao", "Lào"));           // ... but break ties
    CHECK_FALSE(name_less("Lào Cai", "Lào Cai"));
    CHECK(name_less("Yên Bái", "\xff"));       // invalid UTF-8 still ordered
}
