// Field measurement files and the campaign's measurement keys: one bad-input fixture per rule
// (tests/data/bad/measurements_*.csv, row 3 faulty, row 2 good), the values a good row gives,
// and ISO 8601 times.
#include "ingest_support.hpp"

#include <doctest/doctest.h>

using namespace deadzone;
using deadzone::test::data;
using deadzone::test::described;
using deadzone::test::mini_campaign;
using Lines = std::vector<std::string>;

namespace deadzone::ingest::detail {
std::optional<Date> parse_sample_time(std::string_view text);
}

namespace {
Lines sample_problems(const std::string& name, std::size_t* read = nullptr) {
    Diagnostics diagnostics;
    const auto samples = ingest::read_measurements({data("bad/" + name)}, mini_campaign(), {}, diagnostics);
    if (read != nullptr) {
        *read = samples.size();
    }
    return described(diagnostics);
}

Lines campaign_problems(const std::string& name) {
    try {
        ingest::load_campaign(data("bad/" + name));
    } catch (const InputError& error) {
        return described(error.problems());
    }
    return {};
}
} // namespace

TEST_CASE("measurements: one rule per fixture, row 3 is the faulty one") {
    const std::vector<std::pair<std::string, Lines>> cases{
        {"measurements_level_too_high.csv", {"row 3|rsrp_dbm|level_out_of_range|error"}},
        {"measurements_level_too_low.csv", {"row 3|rsrp_dbm|level_out_of_range|error"}},
        {"measurements_rxlev_too_high.csv", {"row 3|rxlev_dbm|level_out_of_range|error"}},
        {"measurements_bad_number.csv", {"row 3|rsrp_dbm|bad_number|error"}},
        {"measurements_bad_time.csv", {"row 3|time|bad_time|error"}},
        {"measurements_missing_time.csv", {"row 3|time|missing_value|error"}},
        {"measurements_unknown_operator.csv", {"row 3|operator|unknown_operator|error"}},
        {"measurements_unknown_mcc_mnc.csv", {"row 3|mcc_mnc|unknown_mcc_mnc|error"}},
        {"measurements_operator_mismatch.csv", {"row 3|mcc_mnc|operator_mismatch|error"}},
        {"measurements_level_of_other_tech.csv", {"row 3|rscp_dbm|missing_value|error"}},
        {"measurements_unknown_tech.csv", {"row 3|tech|unknown_tech|error"}},
        {"measurements_outside_area.csv", {"row 3|lon/lat|outside_area|error"}},
        {"measurements_missing_level_columns.csv", {"-|rsrp_dbm/rscp_dbm/rxlev_dbm|missing_column|error"}},
    };
    for (const auto& [name, expected] : cases) {
        CAPTURE(name);
        std::size_t read = 0;
        CHECK(sample_problems(name, &read) == expected);
        const bool whole_file = expected.front().rfind("-|", 0) == 0;
        CHECK(read == (whole_file ? 0u : 1u));
    }
}

TEST_CASE("measurements: a good row's values, the operator through its MCC-MNC") {
    test::ScratchDir dir;
    test::write_text(dir / "m.csv", "time,mcc_mnc,lon,lat,tech,rsrp_dbm,rscp_dbm,rxlev_dbm,cell_id,source\n"
                                    "2022-07-12T23:30:00+07:00,452-02,105.8,21.0,LTE,-101.5,,,4501,drive_test\n"
                                    "2022-07-13,452-01,105.9,21.1,3G,,-88,,,\n"
                                    "2022-07-14 06:00,452-04,105.7,21.2,GSM,,,-71,,\n");
    Diagnostics diagnostics;
    std::vector<std::size_t> counts;
    const auto samples = ingest::read_measurements({dir / "m.csv"}, mini_campaign(), {}, diagnostics, &counts);
    CHECK(described(diagnostics).empty());
    REQUIRE(samples.size() == 3);
    CHECK(counts == std::vector<std::size_t>{3});
    CHECK(samples[0].operator_code == "VNP");
    CHECK(samples[0].tech == Tech::g4);
    CHECK(samples[0].level_dbm == -101.5);
    CHECK(samples[0].day == *Date::parse("2022-07-12")); // the day as written, not moved to UTC
    CHECK(samples[0].cell_id == "4501");
    CHECK(samples[0].origin == "drive_test");
    CHECK(samples[0].position.x() == 105.8);
    CHECK(samples[1].operator_code == "MBF");
    CHECK(samples[1].level_dbm == -88.0);
    CHECK(samples[2].operator_code == "VTL");
    CHECK(samples[2].tech == Tech::g2);
}

TEST_CASE("measurements: ISO 8601 times") {
    using ingest::detail::parse_sample_time;
    for (const char* good : {"2022-07-12", "2022-07-12T08:30", "2022-07-12T08:30:15", "2022-07-12T08:30:15.250Z",
                             "2022-07-12 08:30:15+07:00", "2022-07-12T08:30:15-0300", "2022-07-12T23:59:60Z"}) {
        CAPTURE(good);
        CHECK(parse_sample_time(good) == *Date::parse("2022-07-12"));
    }
    for (const char* bad : {"2022-7-12", "12/07/2022", "2022-02-30", "2022-07-12T24:00", "2022-07-12T08",
                            "2022-07-12T08:30:15.", "2022-07-12T08:30Zulu", "2022-07-12T08:30+7", "2022-07-12x"}) {
        CAPTURE(bad);
        CHECK(!parse_sample_time(bad).has_value());
    }
}

TEST_CASE("measurements: campaign keys") {
    CHECK(campaign_problems("campaign_bad_evidence.json") == Lines{"-|coverage_rule.evidence|bad_value|error"});
    CHECK(campaign_problems("campaign_evidence_without_measurements.json") ==
          Lines{"-|coverage_rule.evidence|missing_measurements|error"});
    CHECK(campaign_problems("campaign_bad_measurement_rule.json") ==
          Lines{"-|coverage_rule.measurement.share|out_of_range|error",
                "-|coverage_rule.measurement.min_samples|out_of_range|error",
                "-|coverage_rule.measurement.window_days|bad_value|error",
                "-|coverage_rule.measurement.threshold_dbm.4G|out_of_range|error",
                "-|coverage_rule.measurement.threshold_dbm.6G|unknown_tech|error"});

    test::ScratchDir dir;
    test::write_text(dir / "campaign.json",
                     R"({"name": "m", "operators": [{"code": "VTL"}], "measurements": ["a.csv", "b.gpkg"],
                         "coverage_rule": {"evidence": "both", "measurement": {"share": 0.8, "min_samples": 30,
                         "window_days": 60, "threshold_dbm": {"4G": -110}, "x_note": 1}}})");
    const auto campaign = ingest::load_campaign(dir / "campaign.json");
    CHECK(campaign.coverage_rule.evidence == Evidence::both);
    CHECK(campaign.coverage_rule.measurement.share == 0.8);
    CHECK(campaign.coverage_rule.measurement.min_samples == 30);
    CHECK(campaign.coverage_rule.measurement.window_days == 60);
    CHECK(campaign.measurement_threshold_dbm(Tech::g4) == -110.0);
    CHECK(campaign.measurement_threshold_dbm(Tech::g2) == -95.0); // radio_defaults' threshold
    REQUIRE(campaign.measurements.size() == 2);
    CHECK(campaign.measurements[1] == dir / "b.gpkg");
    CHECK(campaign.warnings.empty());
}
