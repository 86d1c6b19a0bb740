// "Why it is late", worked by hand on real footprints: the overlay finds the day the operators'
// revised dates would meet the rule, tracking turns it into at-risk days, causes and to-do items.
#include "../overlay/fixtures.hpp"

#include <deadzone/overlay/overlay.hpp>
#include <deadzone/track/track.hpp>

#include <doctest/doctest.h>

using namespace deadzone;
using namespace deadzone::overlay::testing;

namespace {

// Village V: lon 105.00..105.01 x lat 20.00..20.01; bands cover longitude shares of it.
geo::Polygon band(double from_share, double to_share) {
    return rectangle(105.0 + 0.01 * from_share - (from_share == 0 ? 0.05 : 0.0), 19.9,
                     105.0 + 0.01 * to_share + (to_share == 1 ? 0.05 : 0.0), 20.1);
}

Cell waiting(std::string op, std::string site, std::optional<DelayReason> reason, std::optional<Date> expected,
             CellStatus status = CellStatus::building) {
    Cell c = cell(std::move(op), std::move(site), std::nullopt, std::nullopt, status);
    c.delay.reason = reason;
    c.delay.expected_on_air_date = expected;
    c.delay.note = "note of " + c.site_id;
    return c;
}

Commitment commitment(const char* op, const char* deadline) {
    Commitment c;
    c.village_id = "V";
    c.operator_code = op;
    c.deadline = day(deadline);
    return c;
}

struct Scenario {
    std::vector<Village> villages;
    std::vector<Cell> cells;
    std::vector<model::Footprint> footprints;
    std::vector<Commitment> commitments;
    Campaign campaign = overlay::testing::campaign(0.9);

    Scenario() {
        Village v = village("V", rectangle(105.0, 20.0, 105.01, 20.01));
        v.province = "Lào Cai";
        villages = {v};
        cells = {
            // VTL: 60 % on air since May; the other half arrives on its revised date, 20 days
            // after the 30 July deadline.
            cell("VTL", "WEST", day("2022-05-01")),
            waiting("VTL", "EAST", DelayReason::weather, day("2022-08-19")),
            // VNP (due 30 June, overdue): two candidate cells, one waiting for grid power (no
            // date), one for a permit (revised to 1 September).
            waiting("VNP", "P1", DelayReason::power, std::nullopt, CellStatus::planned),
            waiting("VNP", "P2", DelayReason::permit, day("2022-09-01")),
            // MBF: a cell whose revised date (1 July) has passed while it is still building.
            waiting("MBF", "LATE", DelayReason::pole_fee, day("2022-07-01")),
        };
        footprints = {footprint(0, band(0.0, 0.6)), footprint(1, band(0.5, 1.0)), footprint(2, band(0.0, 1.0)),
                      footprint(3, band(0.0, 1.0)), footprint(4, band(0.0, 1.0))};
        commitments = {commitment("VTL", "2022-07-30"), commitment("VNP", "2022-06-30"),
                       commitment("MBF", "2022-07-30")};
    }

    track::Tracking at(const char* as_of) const {
        const auto overlay = overlay::run_overlay(villages, cells, footprints, campaign, day(as_of));
        auto tracking = track::run_track(campaign, villages, commitments, overlay, day(as_of));
        track::explain_delays(tracking, villages, commitments, cells, overlay);
        return tracking;
    }
};

} // namespace

TEST_CASE("delays: at risk by the days the revised date falls after the deadline") {
    const Scenario s;
    const auto t = s.at("2022-07-15");
    const auto& d = t.delays;
    REQUIRE(d.commitments.size() == 3);

    // VTL: pending, expected 19 August = deadline + 20 days.
    CHECK(t.commitments[0].status == track::Status::pending);
    REQUIRE(d.commitments[0].expected_covered_on.has_value());
    CHECK(d.commitments[0].expected_covered_on->iso() == "2022-08-19");
    CHECK(d.commitments[0].at_risk);
    CHECK(d.commitments[0].expected_delay_days == 20);
    CHECK(d.commitments[0].reasons == std::vector<DelayReason>{DelayReason::weather});

    // VNP: overdue by 15 days; not "at risk" (already late); the permit cell would cover it.
    CHECK(t.commitments[1].status == track::Status::overdue);
    CHECK(!d.commitments[1].at_risk);
    CHECK(d.commitments[1].expected_covered_on->iso() == "2022-09-01");
    CHECK(d.commitments[1].reasons == std::vector<DelayReason>{DelayReason::power, DelayReason::permit});

    // MBF: a revised date already past counts as the next day: 16 July, before the deadline.
    CHECK(d.commitments[2].expected_covered_on->iso() == "2022-07-16");
    CHECK(!d.commitments[2].at_risk);
}

TEST_CASE("delays: a late commitment with a power cell and a permit cell counts once under each") {
    const Scenario s;
    const auto t = s.at("2022-07-15");
    const auto& vnp = t.delays.operators[1];
    REQUIRE(vnp.key == "VNP");
    REQUIRE(vnp.causes.size() == 2);
    CHECK(vnp.causes[0].reason == "power");
    CHECK(vnp.causes[1].reason == "permit");
    for (const auto& cause : vnp.causes) {
        CHECK(cause.overdue == 1);
        CHECK(cause.at_risk == 0);
        CHECK(cause.max_days == 15);
        CHECK(cause.commitments == std::vector<std::size_t>{1});
    }
    // The power cell has no revised date, but the permit cell alone covers the village, so
    // VNP's completion by its own dates is known.
    CHECK(vnp.operators_completion->iso() == "2022-09-01");

    // The province's to-do list: what the department can unblock, most days first.
    REQUIRE(t.delays.provinces.size() == 1);
    const auto& todo = t.delays.provinces[0].todo;
    // Only late and at-risk commitments: MBF's pole-fee cell is due before its deadline.
    REQUIRE(todo.size() == 2);
    CHECK(todo[0].commitment == 1); // VNP, overdue 15 days: power then permit
    CHECK(todo[0].reason == DelayReason::power);
    CHECK(todo[0].days == 15);
    CHECK(!todo[0].at_risk);
    CHECK(todo[1].reason == DelayReason::permit);
    CHECK(todo[1].commitment == 1);
}

TEST_CASE("delays: overall completion by the operators' dates is the last expected day") {
    const Scenario s;
    const auto t = s.at("2022-07-15");
    CHECK(t.delays.overall.at_risk == 1);
    CHECK(t.delays.overall.without_expected_date == 0);
    REQUIRE(t.delays.overall.operators_completion.has_value());
    CHECK(t.delays.overall.operators_completion->iso() == "2022-09-01");

    // Once the permit cell's date is gone nothing covers VNP by a known date.
    Scenario no_date;
    no_date.cells[3].delay.expected_on_air_date.reset();
    const auto u = no_date.at("2022-07-15");
    CHECK(!u.delays.commitments[1].expected_covered_on.has_value());
    CHECK(u.delays.overall.without_expected_date == 1);
    CHECK(!u.delays.overall.operators_completion.has_value());
}
