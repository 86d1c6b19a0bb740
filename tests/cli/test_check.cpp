// End-to-end runs of `deadzone check`: exit codes, messages naming file:row and field, --json,
// the faulty MobiFone upload and the clean sample campaign.
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

using deadzone::test::run_deadzone;

namespace {
const std::string data_dir = DEADZONE_TEST_DATA;
const std::string source_dir = DEADZONE_SOURCE_DIR;

std::vector<std::string> problem_list(const nlohmann::json& doc) {
    std::vector<std::string> out;
    for (const auto& p : doc.at("problems")) {
        out.push_back((p.at("row").is_null() ? std::string{"-"} : std::to_string(p.at("row").get<long>())) + "|" +
                      (p.at("field").is_null() ? std::string{} : p.at("field").get<std::string>()) + "|" +
                      p.at("code").get<std::string>() + "|" + p.at("severity").get<std::string>());
    }
    return out;
}
} // namespace

TEST_CASE("check: a clean campaign exits 0 and summarises each file") {
    const auto result = run_deadzone({"check", "--campaign", data_dir + "/mini"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("villages.geojson: 3 villages, 0 errors, 0 warnings") != std::string::npos);
    CHECK(result.out.find("commitments.csv: 4 commitments, 0 errors, 0 warnings") != std::string::npos);
    CHECK(result.out.find("stations.csv: 4 cells, 0 errors, 0 warnings") != std::string::npos);
    CHECK(result.out.find("stations_vnp.geojson: 1 cell, 0 errors, 0 warnings") != std::string::npos);
}

TEST_CASE("check: a bad row exits 1 naming file, row and field") {
    const auto file = data_dir + "/bad/stations_lat_out_of_range.csv";
    const auto result = run_deadzone({"check", "--campaign", data_dir + "/mini", "--stations", file});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find(file + ":row 3: field 'lat': error: latitude 210.5 is outside [-90, 90]") != std::string::npos);
    CHECK(result.out.find("stations_lat_out_of_range.csv: 1 cell, 1 error, 0 warnings") != std::string::npos);
}

TEST_CASE("check: warnings alone exit 0") {
    const auto result = run_deadzone({"check", "--campaign", data_dir + "/mini", "--villages",
                                      data_dir + "/bad/villages_self_intersecting.geojson"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("villages_self_intersecting.geojson:FID 1: field 'geometry': warning:") != std::string::npos);
}

TEST_CASE("check: usage errors exit 2") {
    CHECK(run_deadzone({"check"}).exit_code == 2);
    CHECK(run_deadzone({"check", "--campaign", data_dir + "/mini", "--operator", "MBF"}).exit_code == 2);
    CHECK(run_deadzone({"check", "--no-such-option"}).exit_code == 2);
}

TEST_CASE("check: a missing file is an input error") {
    const auto result = run_deadzone({"check", "--villages", data_dir + "/bad/does_not_exist.geojson"});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("does_not_exist.geojson: error: the file does not exist") != std::string::npos);
    CHECK(run_deadzone({"check", "--campaign", data_dir + "/nowhere"}).exit_code == 1);
}

TEST_CASE("check: a bad campaign exits 1 with every key") {
    const auto result = run_deadzone({"check", "--json", "--campaign", data_dir + "/bad/campaign_many_problems.json"});
    CHECK(result.exit_code == 1);
    const auto doc = nlohmann::json::parse(result.out);
    CHECK(doc.at("ok") == false);
    CHECK(doc.at("errors") == 6);
    CHECK(problem_list(doc).at(1) == "-|operators[1].mcc_mnc[0]|bad_value|error");
}

TEST_CASE("check: without a campaign, operator codes are not checked (and it says so)") {
    const auto result = run_deadzone({"check", "--stations", data_dir + "/bad/stations_unknown_operator.csv"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("operator codes are not checked") != std::string::npos);
}

TEST_CASE("check: the faulty MobiFone upload, exact problem list") {
    const auto result = run_deadzone({"check", "--json", "--campaign", source_dir + "/geodata/campaign.json",
                                      "--stations", source_dir + "/geodata/uploads/mobifone_faulty.csv",
                                      "--operator", "MBF"});
    CHECK(result.exit_code == 1);
    const auto doc = nlohmann::json::parse(result.out);
    CHECK(problem_list(doc) == std::vector<std::string>{
                                   "4|lon|swapped_lonlat|error",
                                   "5|lat|lat_out_of_range|error",
                                   "6|site_id|missing_value|error",
                                   "7|site_id/cell_id|duplicate_cell|error",
                                   "8|on_air_date|bad_date|error",
                                   "9|on_air_date|on_air_without_date|error",
                                   "10|azimuth_deg|azimuth_out_of_range|error",
                                   "11|beamwidth_deg|beamwidth_out_of_range|error",
                                   "12|tech|unknown_tech|error",
                                   "13|operator|other_operator|error",
                                   "14|height_m|height_out_of_range|error",
                                   "15|eirp_dbm|eirp_out_of_range|error",
                                   "16|lon|bad_number|error",
                                   "17|lon/lat|outside_area|error",
                                   "18|status|status_assumed_planned|warning",
                               });
    // Only the given file is checked (not the campaign's own station files), with per-file counts.
    REQUIRE(doc.at("files").size() == 2);
    CHECK(doc.at("files")[1].at("kind") == "stations");
    CHECK(doc.at("files")[1].at("records") == 4);
    CHECK(doc.at("files")[1].at("errors") == 14);
    CHECK(doc.at("files")[1].at("warnings") == 1);

    const auto human = run_deadzone({"check", "--campaign", source_dir + "/geodata/campaign.json", "--stations",
                                     source_dir + "/geodata/uploads/mobifone_faulty.csv", "--operator", "MBF"});
    CHECK(human.exit_code == 1);
    CHECK(human.err.find("mobifone_faulty.csv:row 16: field 'lon': error: '105,8' is not a number") != std::string::npos);
}

// Needs the generated sample (geodata/villages.geojson etc., written by tools/gen_campaign.cpp).
TEST_CASE("check: the clean sample campaign in geodata") {
    REQUIRE(std::filesystem::exists(source_dir + "/geodata/villages.geojson"));
    const auto result = run_deadzone({"check", "--json", "--campaign", source_dir + "/geodata"});
    CHECK(result.exit_code == 0);
    const auto doc = nlohmann::json::parse(result.out);
    CHECK(doc.at("errors") == 0);
    bool villages = false;
    bool commitments = false;
    for (const auto& file : doc.at("files")) {
        if (file.at("kind") == "villages") {
            villages = true;
            CHECK(file.at("records") == 628);
        }
        if (file.at("kind") == "commitments") {
            commitments = true;
            CHECK(file.at("records") == 628);
        }
    }
    CHECK(villages);
    CHECK(commitments);
    // The sample has terrain: its DEM is checked with the campaign's files.
    bool terrain = false;
    for (const auto& file : doc.at("files")) terrain = terrain || file.at("kind") == "terrain";
    CHECK(terrain);
    const auto human = run_deadzone({"check", "--campaign", source_dir + "/geodata"});
    CHECK(human.exit_code == 0);
    CHECK(human.out.find("dem.tif: 1 elevation model, 0 errors, 0 warnings") != std::string::npos);
}
