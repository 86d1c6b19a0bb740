// The terrain keys of campaign.json: terrain.dem, model.propagation (itm, hata+diffraction),
// model.itm.*, model.radials, model.profile_step_m, model.k_factor, model.diffraction. Valid
// values land in the Campaign; every refusal names its key path, with its code and message.
#include "ingest_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace deadzone;
using deadzone::test::described;

namespace {

// A minimal campaign with `model` and `extra` members spliced in (JSON text).
nlohmann::json document(const std::string& model, const std::string& extra = R"("terrain": {"dem": "dem.tif"})") {
    std::string text = R"({"name": "t", "operators": [], "stations": "s.csv")";
    if (!model.empty()) text += R"(, "model": )" + model;
    if (!extra.empty()) text += ", " + extra;
    return nlohmann::json::parse(text + "}");
}

Campaign parsed(const std::string& model, const std::string& extra = R"("terrain": {"dem": "dem.tif"})") {
    return ingest::parse_campaign(document(model, extra), "/base", "c.json");
}

// The refusals as "field|code|error" plus each message, for one model section.
struct Refusal {
    std::vector<std::string> problems;
    std::vector<std::string> messages;
};

Refusal refused(const std::string& model, const std::string& extra = R"("terrain": {"dem": "dem.tif"})") {
    Refusal out;
    try {
        ingest::parse_campaign(document(model, extra), "/base", "c.json");
    } catch (const InputError& e) {
        out.problems = described(e.problems());
        for (const auto& p : e.problems()) {
            out.messages.push_back(p.message);
            CHECK(p.where.file == "c.json");
        }
    }
    return out;
}

std::vector<std::string> one(const std::string& field, const std::string& code) {
    return {"-|" + field + "|" + code + "|error"};
}

} // namespace

TEST_CASE("terrain keys: valid values land in the campaign") {
    const Campaign c = parsed(R"({"propagation": "itm", "radials": 720, "profile_step_m": 45.5, "k_factor": 1.2,
        "diffraction": "deygout", "itm": {"climate": 6, "n0": 320, "epsilon": 25, "sigma": 0.02,
        "polarization": "horizontal", "mdvar": 23, "time": 90, "location": 80, "situation": 70}})");
    CHECK(c.model.terrain_model == "itm");
    REQUIRE(c.terrain_dem);
    CHECK(*c.terrain_dem == std::filesystem::path{"/base/dem.tif"});
    CHECK(c.model.sampling.radials == 720);
    REQUIRE(c.model.sampling.profile_step_m);
    CHECK(*c.model.sampling.profile_step_m == 45.5);
    CHECK(c.model.terrain.k_factor == 1.2);
    CHECK(c.model.terrain.diffraction == model::DiffractionMethod::deygout);
    const auto& itm = c.model.terrain.itm;
    CHECK(itm.climate == model::itm::Climate::maritime_temperate_over_land);
    CHECK(itm.n0 == 320.0);
    CHECK(itm.epsilon == 25.0);
    CHECK(itm.sigma == 0.02);
    CHECK(itm.polarization == model::itm::Polarization::horizontal);
    CHECK(itm.mdvar == 23);
    CHECK(itm.quantiles.time_pct == 90.0);
    CHECK(itm.quantiles.location_pct == 80.0);
    CHECK(itm.quantiles.situation_pct == 70.0);
    CHECK(c.warnings.empty());
}

TEST_CASE("terrain keys: defaults, names in any case, confidence/reliability, absolute DEM path") {
    const Campaign d = parsed(R"({"propagation": "hata+diffraction"})");
    CHECK(d.model.terrain_model == "hata+diffraction");
    CHECK(d.model.sampling.radials == 360);
    CHECK_FALSE(d.model.sampling.profile_step_m);
    CHECK(d.model.terrain.k_factor == doctest::Approx(4.0 / 3.0));
    CHECK(d.model.terrain.diffraction == model::DiffractionMethod::bullington);
    CHECK(d.model.terrain.itm.climate == model::itm::Climate::continental_temperate);
    CHECK(d.model.terrain.itm.n0 == 301.0);
    CHECK(d.model.terrain.itm.quantiles.time_pct == 50.0);

    CHECK(parsed(R"({"propagation": "ITM"})").model.terrain_model == "itm");
    CHECK(parsed(R"({"propagation": "Hata+Diffraction"})").model.terrain_model == "hata+diffraction");

    // ITM's convention: situation = confidence, time = reliability, location = 50.
    const Campaign cr = parsed(R"({"propagation": "itm", "itm": {"confidence": 90, "reliability": 95}})");
    CHECK(cr.model.terrain.itm.quantiles.situation_pct == 90.0);
    CHECK(cr.model.terrain.itm.quantiles.time_pct == 95.0);
    CHECK(cr.model.terrain.itm.quantiles.location_pct == 50.0);
    const Campaign only_time = parsed(R"({"propagation": "itm", "itm": {"time": 10}})");
    CHECK(only_time.model.terrain.itm.quantiles.time_pct == 10.0);
    CHECK(only_time.model.terrain.itm.quantiles.location_pct == 50.0);

    const Campaign absolute = parsed(R"({"propagation": "itm"})", R"("terrain": {"dem": "/data/srtm.vrt"})");
    CHECK(*absolute.terrain_dem == std::filesystem::path{"/data/srtm.vrt"});

    // A DEM with a terrain-blind model is kept but said to be unused.
    const Campaign unused = parsed(R"({"propagation": "hata"})");
    CHECK(described(unused.warnings) == std::vector<std::string>{"-|terrain.dem|dem_unused|warning"});
    // An unknown key under model.itm is a warning with a hint.
    const Campaign typo = parsed(R"({"propagation": "itm", "itm": {"climat": 3}})");
    REQUIRE(typo.warnings.size() == 1);
    CHECK(typo.warnings[0].field == "model.itm.climat");
    CHECK(typo.warnings[0].message.find("did you mean 'climate'") != std::string::npos);
}

TEST_CASE("terrain keys: terrain.dem and model.propagation refusals") {
    auto r = refused(R"({"propagation": "itm"})", "");
    CHECK(r.problems == one("model.propagation", "needs_dem"));
    CHECK(r.messages.at(0).find("terrain.dem") != std::string::npos);

    r = refused(R"({"propagation": "itm"})", R"("terrain": "dem.tif")");
    CHECK(r.problems == std::vector<std::string>{"-|terrain|bad_value|error", "-|model.propagation|needs_dem|error"});

    r = refused(R"({"propagation": "itm"})", R"("terrain": {"dem": 5})");
    CHECK(r.problems == std::vector<std::string>{"-|terrain.dem|bad_value|error", "-|model.propagation|needs_dem|error"});
    CHECK(r.messages.at(0) == "expected a string, found 5");

    r = refused(R"({"propagation": "itm2"})");
    CHECK(r.problems == one("model.propagation", "bad_value"));
    CHECK(r.messages.at(0) == "'itm2' is not one of auto|automatic|fspl|hata|cost231|itm|hata+diffraction");

    r = refused(R"({"propagation": 3})");
    CHECK(r.problems == one("model.propagation", "bad_value"));
    CHECK(r.messages.at(0) == "expected a string, found 3");
}

TEST_CASE("terrain keys: radials, profile step, k-factor and diffraction refusals") {
    auto r = refused(R"({"propagation": "itm", "radials": 7})");
    CHECK(r.problems == one("model.radials", "out_of_range"));
    CHECK(r.messages.at(0) == "7 is outside [8, 7200]");
    CHECK(refused(R"({"propagation": "itm", "radials": 7201})").problems == one("model.radials", "out_of_range"));
    r = refused(R"({"propagation": "itm", "radials": 90.5})");
    CHECK(r.problems == one("model.radials", "bad_value"));
    CHECK(r.messages.at(0) == "90.5 is not a whole number");
    CHECK(refused(R"({"propagation": "itm", "radials": "many"})").problems == one("model.radials", "bad_value"));

    r = refused(R"({"propagation": "itm", "profile_step_m": 0.5})");
    CHECK(r.problems == one("model.profile_step_m", "out_of_range"));
    CHECK(r.messages.at(0) == "0.5 is outside [1, 10000]");
    CHECK(refused(R"({"propagation": "itm", "profile_step_m": 20000})").problems ==
          one("model.profile_step_m", "out_of_range"));
    CHECK(refused(R"({"propagation": "itm", "profile_step_m": null})").problems.empty());

    r = refused(R"({"propagation": "hata+diffraction", "k_factor": 0})");
    CHECK(r.problems == one("model.k_factor", "out_of_range"));
    CHECK(r.messages.at(0) == "0 is outside (0, 100]");
    CHECK(refused(R"({"propagation": "hata+diffraction", "k_factor": -1.5})").problems ==
          one("model.k_factor", "out_of_range"));
    CHECK(refused(R"({"propagation": "hata+diffraction", "k_factor": "4/3"})").problems ==
          one("model.k_factor", "bad_value"));

    r = refused(R"({"propagation": "hata+diffraction", "diffraction": "epstein"})");
    CHECK(r.problems == one("model.diffraction", "bad_value"));
    CHECK(r.messages.at(0) == "'epstein' is not one of bullington|deygout");
}

TEST_CASE("terrain keys: model.itm refusals, each naming its key") {
    struct Case {
        const char* itm;
        const char* field;
        const char* code;
        const char* message;
    };
    const Case cases[] = {
        {R"({"climate": 0})", "model.itm.climate", "out_of_range", "0 is outside [1, 7]"},
        {R"({"climate": 8})", "model.itm.climate", "out_of_range", "8 is outside [1, 7]"},
        {R"({"climate": 2.5})", "model.itm.climate", "bad_value", "2.5 is not a whole number 1-7"},
        {R"({"n0": 249})", "model.itm.n0", "out_of_range", "249 is outside [250, 400]"},
        {R"({"n0": 401})", "model.itm.n0", "out_of_range", "401 is outside [250, 400]"},
        {R"({"epsilon": 0.5})", "model.itm.epsilon", "out_of_range", "0.5 is outside [1, 100]"},
        {R"({"sigma": 0})", "model.itm.sigma", "out_of_range", "0 is outside (0, 100]"},
        {R"({"polarization": "circular"})", "model.itm.polarization", "bad_value",
         "'circular' is not one of horizontal|vertical"},
        {R"({"mdvar": -1})", "model.itm.mdvar", "out_of_range", "-1 is outside [0, 33]"},
        {R"({"mdvar": 34})", "model.itm.mdvar", "out_of_range", "34 is outside [0, 33]"},
        {R"({"mdvar": 4})", "model.itm.mdvar", "bad_value", "4 is not one of 0-3, 10-13, 20-23, 30-33"},
        {R"({"mdvar": 1.5})", "model.itm.mdvar", "bad_value", "1.5 is not one of 0-3, 10-13, 20-23, 30-33"},
        {R"({"time": 0})", "model.itm.time", "out_of_range", "0 is outside (0, 100)"},
        {R"({"location": 100})", "model.itm.location", "out_of_range", "100 is outside (0, 100)"},
        {R"({"situation": -5})", "model.itm.situation", "out_of_range", "-5 is outside (0, 100)"},
        {R"({"confidence": 100})", "model.itm.confidence", "out_of_range", "100 is outside (0, 100)"},
        {R"({"reliability": "high"})", "model.itm.reliability", "bad_value", "expected a number, found \"high\""},
        {R"({"time": 50, "confidence": 90})", "model.itm", "bad_value",
         "give time/location/situation or confidence/reliability, not both"},
        {R"({"situation": 50, "reliability": 90})", "model.itm", "bad_value",
         "give time/location/situation or confidence/reliability, not both"},
        {R"([1, 2])", "model.itm", "bad_value", "expected an object, found [1,2]"},
    };
    for (const auto& c : cases) {
        INFO(c.itm);
        const auto r = refused(std::string{R"({"propagation": "itm", "itm": )"} + c.itm + "}");
        CHECK(r.problems == one(c.field, c.code));
        REQUIRE(r.messages.size() == 1);
        CHECK(r.messages[0] == c.message);
    }
    // Accepted edges: mdvar 30-33 (no location and no situation variability), whole-number floats.
    CHECK(parsed(R"({"propagation": "itm", "itm": {"mdvar": 33}})").model.terrain.itm.mdvar == 33);
    CHECK(parsed(R"({"propagation": "itm", "itm": {"mdvar": 13.0, "climate": 7.0}})").model.terrain.itm.mdvar == 13);
    // Several bad keys are all reported in one pass.
    const auto many = refused(R"({"propagation": "itm", "radials": 3, "k_factor": 0, "itm": {"climate": 9, "n0": 1}})");
    CHECK(many.problems == std::vector<std::string>{"-|model.radials|out_of_range|error",
                                                    "-|model.k_factor|out_of_range|error",
                                                    "-|model.itm.climate|out_of_range|error",
                                                    "-|model.itm.n0|out_of_range|error"});
}
