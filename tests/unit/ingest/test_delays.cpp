// The delay fields of stations and commitments (DESIGN.md "Delays"): one bad-input fixture per
// rule (tests/data/bad), the exact row, field, code and severity, and the values read.
#include "ingest_support.hpp"

#include <doctest/doctest.h>

using namespace deadzone;
using deadzone::test::data;
using deadzone::test::described;
using deadzone::test::mini_campaign;
using Lines = std::vector<std::string>;

namespace {
Lines station_problems(const std::string& name, std::vector<Cell>* out = nullptr) {
    Diagnostics diagnostics;
    auto cells = ingest::read_stations(data("bad/" + name), mini_campaign(), {}, diagnostics);
    if (out != nullptr) {
        *out = std::move(cells);
    }
    return described(diagnostics);
}
} // namespace

TEST_CASE("delays: one rule per fixture, row 3 is the faulty one") {
    const std::vector<std::pair<std::string, Lines>> cases{
        {"stations_bad_delay_reason.csv", {"row 3|delay_reason|bad_delay_reason|error"}},
        {"stations_expected_on_air_for_on_air_cell.csv",
         {"row 3|expected_on_air_date|expected_on_air_cell|error"}},
        {"stations_expected_before_start.csv", {"row 3|expected_on_air_date|expected_before_start|error"}},
        {"stations_bad_power_source.csv", {"row 3|power_source|bad_power_source|error"}},
        {"stations_bad_backhaul.csv", {"row 3|backhaul|bad_backhaul|error"}},
    };
    for (const auto& [name, expected] : cases) {
        CAPTURE(name);
        std::vector<Cell> cells;
        CHECK(station_problems(name, &cells) == expected);
        CHECK(cells.size() == 1u); // the good row 2
    }
}

TEST_CASE("delays: a reason on an on-air cell only warns, and the row is kept") {
    std::vector<Cell> cells;
    CHECK(station_problems("stations_delay_reason_on_air_cell.csv", &cells) ==
          Lines{"row 3|delay_reason|delay_on_air|warning"});
    REQUIRE(cells.size() == 2);
    CHECK(cells[1].delay.reason == DelayReason::weather);
}

TEST_CASE("delays: values of a good row as given, canonical spellings") {
    std::vector<Cell> cells;
    station_problems("stations_bad_backhaul.csv", &cells);
    REQUIRE(cells.size() == 1);
    const Delay& delay = cells[0].delay;
    CHECK(delay.reason == DelayReason::power);
    CHECK(delay.note == "Chờ điện lưới");
    REQUIRE(delay.expected_on_air_date.has_value());
    CHECK(delay.expected_on_air_date->iso() == "2022-08-20");
    CHECK(delay.power_source == "none");
    CHECK(delay.backhaul == "microwave");
    CHECK(cells[0].extra.empty()); // the delay columns are known fields, not pass-through extras
}

TEST_CASE("commitments: support_fund_vnd is a whole number >= 0; note is kept") {
    Diagnostics village_problems;
    const auto villages = ingest::read_villages(data("mini/villages.geojson"), mini_campaign(), village_problems);
    for (const auto& [name, code] : std::vector<std::pair<std::string, std::string>>{
             {"commitments_negative_fund.csv", "out_of_range"}, {"commitments_fund_not_whole.csv", "bad_number"}}) {
        CAPTURE(name);
        Diagnostics diagnostics;
        const auto commitments = ingest::read_commitments(data("bad/" + name), mini_campaign(), &villages, diagnostics);
        CHECK(described(diagnostics) == Lines{"row 3|support_fund_vnd|" + code + "|error"});
        REQUIRE(commitments.size() == 1);
        CHECK(commitments[0].support_fund_vnd == 150000000);
        CHECK(commitments[0].note == "Quỹ VTCI hỗ trợ");
    }
}

TEST_CASE("delay reasons: names round-trip; the department can act on power, permit, pole_fee, access") {
    int actionable = 0;
    for (const auto reason : all_delay_reasons) {
        CHECK(parse_delay_reason(to_string(reason)) == reason);
        actionable += province_can_act(reason) ? 1 : 0;
    }
    CHECK(actionable == 4);
    CHECK(parse_delay_reason("POLE_FEE") == DelayReason::pole_fee);
    CHECK(!parse_delay_reason("rain").has_value());
}
