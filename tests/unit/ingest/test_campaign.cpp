#include "ingest_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace deadzone;
using deadzone::test::data;
using deadzone::test::described;

TEST_CASE("campaign: the mini campaign, its defaults and resolved paths") {
    const Campaign campaign = ingest::load_campaign(data("mini")); // a folder means its campaign.json
    CHECK(campaign.name == "Mini campaign for ingest tests");
    CHECK(campaign.file == data("mini") / "campaign.json");
    REQUIRE(campaign.operators.size() == 3);
    CHECK(campaign.operators[2].code == "MBF");
    CHECK(campaign.operator_for_mcc_mnc("452-01") == &campaign.operators[2]);
    // Milestones come sorted although the file lists them the other way round.
    REQUIRE(campaign.milestones.size() == 2);
    CHECK(campaign.milestones[0].date.iso() == "2022-06-30");
    CHECK(campaign.milestones[0].target == doctest::Approx(0.4));
    CHECK(campaign.milestones[1].date.iso() == "2022-07-30");
    // 4G overrides only the EIRP; every other field and technology comes from built-in defaults.
    CHECK(campaign.defaults_for(Tech::g4).eirp_dbm == 60.0);
    CHECK(campaign.defaults_for(Tech::g4).freq_mhz == 1800.0);
    CHECK(campaign.defaults_for(Tech::g2).freq_mhz == 900.0);
    CHECK(campaign.defaults_for(Tech::g2).threshold_dbm == -95.0);
    CHECK(campaign.defaults_for(Tech::g3).freq_mhz == 2100.0);
    CHECK(campaign.defaults_for(Tech::g5).freq_mhz == 3500.0);
    CHECK(campaign.defaults_for(Tech::g5).eirp_dbm == 62.0);
    CHECK(campaign.model.propagation == PropagationModel::hata);
    CHECK(campaign.model.environment == Environment::suburban);
    CHECK(campaign.model.max_range_m == 35000.0); // not in the file: default
    REQUIRE(campaign.area);
    CHECK(campaign.area->min_corner().x() == 102.1);
    CHECK(campaign.area->max_corner().y() == 23.4);
    REQUIRE(campaign.villages);
    CHECK(*campaign.villages == data("mini") / "villages.geojson");
    REQUIRE(campaign.stations.size() == 2);
    CHECK(campaign.stations[1] == data("mini") / "stations_vnp.geojson");
}

TEST_CASE("campaign: the sample campaign in geodata loads") {
    const Campaign campaign = ingest::load_campaign(std::filesystem::path{DEADZONE_SOURCE_DIR} / "geodata/campaign.json");
    CHECK(campaign.operators.size() == 3);
    CHECK(campaign.model.environment == Environment::urban);
    CHECK(campaign.radio_defaults.size() == 4);
    REQUIRE(campaign.stations.size() == 4);
    CHECK(campaign.stations[2].filename() == "mobifone.gpkg");
    CHECK(campaign.stations[3].filename() == "mobifone_opencellid.csv");
}

namespace {
std::vector<std::string> campaign_problems(const std::filesystem::path& file) {
    try {
        ingest::load_campaign(file);
    } catch (const InputError& e) {
        return described(e.problems());
    }
    return {};
}
} // namespace

TEST_CASE("campaign: a target above 1 names its key path") {
    CHECK(campaign_problems(data("bad/campaign_bad_target.json")) ==
          std::vector<std::string>{"-|milestones[1].target|out_of_range|error"});
}

TEST_CASE("campaign: every bad key is reported in one pass") {
    CHECK(campaign_problems(data("bad/campaign_many_problems.json")) ==
          std::vector<std::string>{
              "-|name|missing_key|error",
              "-|operators[1].mcc_mnc[0]|bad_value|error",
              "-|milestones[0].date|bad_date|error",
              "-|radio_defaults.6G|unknown_tech|error",
              "-|model.propagation|bad_value|error",
              "-|area_bbox|bad_value|error",
          });
}

TEST_CASE("campaign: broken JSON and a missing file") {
    CHECK(campaign_problems(data("bad/campaign_bad_json.json")) == std::vector<std::string>{"-||bad_json|error"});
    CHECK(campaign_problems(data("bad/no_such_campaign.json")) == std::vector<std::string>{"-||file_not_found|error"});
}

TEST_CASE("campaign: parse_campaign checks operators, rule and radio values") {
    const auto doc = nlohmann::json::parse(R"({
        "name": "x",
        "operators": [{"code": "VTL", "mcc_mnc": ["452-04"]}, {"code": "vtl", "mcc_mnc": ["452-04"], "color": "red"}],
        "coverage_rule": {"min_fraction": 0, "village_radius_m": -5},
        "radio_defaults": {"LTE": {"freq_mhz": 10, "beamwidth_deg": 400}},
        "model": {"rx_height_m": "tall"},
        "stations": "one.csv"
    })");
    try {
        ingest::parse_campaign(doc, "/base", "stored campaign");
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK(described(e.problems()) == std::vector<std::string>{
                                             "-|operators[1].code|duplicate_operator|error",
                                             "-|operators[1].mcc_mnc[0]|duplicate_mcc_mnc|error",
                                             "-|operators[1].color|bad_value|error",
                                             "-|coverage_rule.min_fraction|out_of_range|error",
                                             "-|coverage_rule.village_radius_m|out_of_range|error",
                                             "-|radio_defaults.LTE.freq_mhz|out_of_range|error",
                                             "-|radio_defaults.LTE.beamwidth_deg|out_of_range|error",
                                             "-|model.rx_height_m|bad_value|error",
                                         });
        CHECK(e.problems().front().where.file == "stored campaign");
    }
    const auto good = nlohmann::json::parse(R"({"name": "y", "operators": [], "stations": "one.csv", "extra_key": 1})");
    const Campaign campaign = ingest::parse_campaign(good, "/base", "stored");
    REQUIRE(campaign.stations.size() == 1);
    CHECK(campaign.stations[0] == std::filesystem::path{"/base/one.csv"});
    CHECK(campaign.radio_defaults.size() == 4);
}

TEST_CASE("campaign: default_campaign has every technology and no operators") {
    const Campaign campaign = ingest::default_campaign();
    CHECK(campaign.operators.empty());
    CHECK_FALSE(campaign.area);
    CHECK(campaign.defaults_for(Tech::g2).eirp_dbm == 58.0);
    CHECK(campaign.defaults_for(Tech::g4).eirp_dbm == 61.0);
}
