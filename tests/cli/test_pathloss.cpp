// deadzone pathloss end to end: the published Okumura-Hata check value, the JSON document,
// validity warnings and usage errors (exit 2).
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

using deadzone::test::run_deadzone;
using nlohmann::json;

TEST_CASE("pathloss: published Hata value, urban large city, 869 MHz, 30 m, 1 m, 2 km") {
    const auto r = run_deadzone({"pathloss", "--model", "hata", "--environment", "urban", "--city", "large",
                                 "--freq-mhz", "869", "--tx-height-m", "30", "--rx-height-m", "1",
                                 "--distance-km", "2"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("path loss:    137.93 dB\n") != std::string::npos);
    CHECK(r.out.find("frequency:    869 MHz") != std::string::npos);
    CHECK(r.err.empty()); // all inputs inside Hata's validity range

    // urban and large are the defaults.
    const auto d = run_deadzone({"pathloss", "--model", "hata", "--freq-mhz", "869", "--tx-height-m", "30",
                                 "--rx-height-m", "1", "--distance-km", "2"});
    CHECK(d.exit_code == 0);
    CHECK(d.out == r.out);
}

TEST_CASE("pathloss --json") {
    const auto r = run_deadzone({"pathloss", "--model", "hata", "--freq-mhz", "869", "--tx-height-m", "30",
                                 "--rx-height-m", "1", "--distance-km", "2", "--json"});
    REQUIRE(r.exit_code == 0);
    const auto doc = json::parse(r.out);
    CHECK(doc.at("model") == "hata");
    CHECK(doc.at("environment") == "urban");
    CHECK(doc.at("city") == "large");
    CHECK(doc.at("inputs").at("freq_mhz") == 869.0);
    CHECK(doc.at("inputs").at("tx_height_m") == 30.0);
    CHECK(doc.at("inputs").at("rx_height_m") == 1.0);
    CHECK(doc.at("inputs").at("distance_km") == 2.0);
    CHECK(doc.at("path_loss_db").get<double>() == doctest::Approx(137.93).epsilon(1e-9));
    CHECK(doc.at("warnings").empty());

    // COST-231 metropolitan at 1800 MHz, 50 m, 3 m, 5 km = 157.0896 (tests/unit/model/test_pathloss.cpp),
    // inside every validity range; the open area adds the extension warning.
    const auto c = run_deadzone({"pathloss", "--model", "cost231", "--city", "large", "--freq-mhz", "1800",
                                 "--tx-height-m", "50", "--rx-height-m", "3", "--distance-km", "5", "--json"});
    REQUIRE(c.exit_code == 0);
    CHECK(json::parse(c.out).at("path_loss_db").get<double>() == doctest::Approx(157.09).epsilon(1e-9));
    const auto o = run_deadzone({"pathloss", "--model", "cost231", "--environment", "open", "--freq-mhz", "1800",
                                 "--tx-height-m", "50", "--rx-height-m", "3", "--distance-km", "5", "--json"});
    REQUIRE(o.exit_code == 0);
    const auto open = json::parse(o.out);
    CHECK(open.at("path_loss_db").get<double>() == doctest::Approx(120.49).epsilon(1e-9));
    REQUIRE(open.at("warnings").size() == 1);
    CHECK(open.at("warnings")[0].get<std::string>().find("extension") != std::string::npos);

    // Free space: no environment or city, heights optional.
    const auto f = run_deadzone({"pathloss", "--model", "fspl", "--freq-mhz", "1800", "--distance-km", "5", "--json"});
    REQUIRE(f.exit_code == 0);
    const auto fspl = json::parse(f.out);
    CHECK(fspl.at("path_loss_db").get<double>() == doctest::Approx(111.53).epsilon(1e-9));
    CHECK(fspl.at("environment").is_null());
    CHECK(fspl.at("inputs").at("tx_height_m").is_null());
}

TEST_CASE("pathloss: validity warnings go to stderr") {
    const auto r = run_deadzone({"pathloss", "--model", "hata", "--freq-mhz", "1800", "--tx-height-m", "20",
                                 "--rx-height-m", "1.5", "--distance-km", "0.5"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("warning: frequency 1800 MHz is outside the Okumura-Hata validity range 150-1500 MHz") !=
          std::string::npos);
    CHECK(r.err.find("transmitter height 20 m") != std::string::npos);
    CHECK(r.err.find("distance 0.5 km") != std::string::npos);
    CHECK(r.out.find("path loss:") != std::string::npos);
}

TEST_CASE("pathloss: bad flags and values exit 2") {
    const std::vector<std::vector<std::string>> bad{
        {"pathloss", "--model", "okumura", "--freq-mhz", "900", "--tx-height-m", "30", "--rx-height-m", "1.5",
         "--distance-km", "2"},
        {"pathloss", "--model", "hata", "--freq-mhz", "900", "--tx-height-m", "30", "--rx-height-m", "1.5"},
        {"pathloss", "--model", "hata", "--freq-mhz", "0", "--tx-height-m", "30", "--rx-height-m", "1.5",
         "--distance-km", "2"},
        {"pathloss", "--model", "hata", "--freq-mhz", "900", "--tx-height-m", "30", "--rx-height-m", "1.5",
         "--distance-km", "-2"},
        {"pathloss", "--model", "hata", "--freq-mhz", "900", "--tx-height-m", "-30", "--rx-height-m", "1.5",
         "--distance-km", "2"},
        {"pathloss", "--model", "hata", "--freq-mhz", "900", "--rx-height-m", "1.5", "--distance-km", "2"},
        {"pathloss", "--model", "hata", "--freq-mhz", "abc", "--tx-height-m", "30", "--rx-height-m", "1.5",
         "--distance-km", "2"},
        {"pathloss", "--model", "hata", "--environment", "rural", "--freq-mhz", "900", "--tx-height-m", "30",
         "--rx-height-m", "1.5", "--distance-km", "2"},
        {"pathloss", "--model", "hata", "--city", "medium", "--freq-mhz", "900", "--tx-height-m", "30",
         "--rx-height-m", "1.5", "--distance-km", "2"},
        {"pathloss", "--model", "hata", "--freq-mhz", "nan", "--tx-height-m", "30", "--rx-height-m", "1.5",
         "--distance-km", "2"},
    };
    for (const auto& args : bad) {
        const auto r = run_deadzone(args);
        CAPTURE(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK_FALSE(r.err.empty());
    }
    const auto missing = run_deadzone({"pathloss", "--model", "cost231", "--freq-mhz", "1800", "--tx-height-m",
                                       "30", "--distance-km", "2"});
    CHECK(missing.err.find("--rx-height-m is required for --model cost231") != std::string::npos);
}

TEST_CASE("pathloss --help names the defaults") {
    const auto r = run_deadzone({"pathloss", "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("default: urban") != std::string::npos);
    CHECK(r.out.find("default: large") != std::string::npos);
}

namespace {
const std::string itm_pfl = std::string(DEADZONE_TEST_DATA) + "/itm/ntia_pfl.txt";
const std::vector<std::string> itm_example{"pathloss", "--model", "itm", "--profile", itm_pfl, "--freq-mhz", "3500",
                                           "--tx-height-m", "15", "--rx-height-m", "3", "--climate", "5",
                                           "--n0", "301", "--epsilon", "15", "--sigma", "0.005",
                                           "--polarization", "vertical", "--mdvar", "1"};
std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}
} // namespace

TEST_CASE("pathloss --model itm: NTIA's example profile") {
    // NTIA's ITM driver prints 114.5 dB for these inputs (cmd_examples/o_p2ptls.txt).
    const auto r = run_deadzone(itm_example);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("path loss:    114.54 dB\n") != std::string::npos);
    CHECK(r.out.find("mode:         line_of_sight\n") != std::string::npos);
    CHECK(r.err.empty());

    const auto j = run_deadzone(with(itm_example, {"--time", "50", "--location", "50", "--situation", "50", "--json"}));
    REQUIRE(j.exit_code == 0);
    const auto doc = json::parse(j.out);
    CHECK(doc.at("model") == "itm");
    CHECK(doc.at("path_loss_db").get<double>() == doctest::Approx(114.54).epsilon(1e-9));
    CHECK(doc.at("mode") == "line_of_sight");
    CHECK(doc.at("d_km").get<double>() == doctest::Approx(3.635).epsilon(1e-9));
    CHECK(doc.at("horizons").at("tx").at("angle_mrad").get<double>() == doctest::Approx(-1.95).epsilon(1e-9));
    CHECK(doc.at("horizons").at("rx").at("angle_mrad").get<double>() == doctest::Approx(-0.86).epsilon(1e-9));
    CHECK(doc.at("horizons").at("tx").at("distance_m").get<double>() == 14868.0);
    CHECK(doc.at("horizons").at("rx").at("distance_m").get<double>() == 6494.0);
    CHECK(doc.at("delta_h_m").get<double>() == doctest::Approx(3.18).epsilon(1e-9));
    CHECK(doc.at("free_space_loss_db").get<double>() == doctest::Approx(114.54).epsilon(1e-9));
    CHECK(doc.at("warning_flags") == "0x0000");
    CHECK(doc.at("warnings").empty());

    // Confidence 90 % at reliability 90 %: NTIA's table gives 129.3 dB.
    const auto cr = run_deadzone(with(itm_example, {"--confidence", "90", "--reliability", "90", "--json"}));
    REQUIRE(cr.exit_code == 0);
    CHECK(std::abs(json::parse(cr.out).at("path_loss_db").get<double>() - 129.3) <= 0.05);
}

TEST_CASE("pathloss --model itm: warnings are reported, not clamped") {
    const auto r = run_deadzone({"pathloss", "--model", "itm", "--profile", itm_pfl, "--freq-mhz", "3500",
                                 "--tx-height-m", "15", "--rx-height-m", "0.7", "--json"});
    REQUIRE(r.exit_code == 0);
    const auto doc = json::parse(r.out);
    // 0x0002: receiver height below 1 m; 0x0400: its horizon nearer than a tenth of the smooth-earth one.
    CHECK(doc.at("warning_flags") == "0x0402");
    REQUIRE(doc.at("warnings").size() == 2);
    CHECK(doc.at("warnings")[0].get<std::string>().find("receiver height") != std::string::npos);
    CHECK(doc.at("warnings")[1].get<std::string>().find("receiver horizon") != std::string::npos);
}

TEST_CASE("pathloss --model itm: errors exit 2 naming the parameter") {
    const std::vector<std::pair<std::vector<std::string>, std::string>> bad{
        {with(itm_example, {"--climate", "9"}), "--climate"},
        {with(itm_example, {"--n0", "200"}), "--n0"},
        {with(itm_example, {"--time", "0"}), "--time"},
        {with(itm_example, {"--location", "100"}), "--location"},
        {with(itm_example, {"--confidence", "100"}), "--confidence"},
        {with(itm_example, {"--reliability", "-5"}), "--reliability"},
        {with(itm_example, {"--mdvar", "5"}), "--mdvar"},
        {with(itm_example, {"--epsilon", "0.5"}), "--epsilon"},
        {with(itm_example, {"--sigma", "0"}), "--sigma"},
        {with(itm_example, {"--time", "50", "--confidence", "50"}), "--confidence"},
        {with(itm_example, {"--distance-km", "3"}), "--distance-km"},
        {{"pathloss", "--model", "itm", "--freq-mhz", "900", "--tx-height-m", "30", "--rx-height-m", "2"}, "--profile"},
        {{"pathloss", "--model", "itm", "--profile", itm_pfl, "--freq-mhz", "15", "--tx-height-m", "30",
          "--rx-height-m", "2"},
         "--freq-mhz"},
        {{"pathloss", "--model", "itm", "--profile", itm_pfl, "--freq-mhz", "900", "--tx-height-m", "30"},
         "--rx-height-m"},
        {{"pathloss", "--model", "itm", "--profile", "no-such-file.pfl", "--freq-mhz", "900", "--tx-height-m", "30",
          "--rx-height-m", "2"},
         "--profile"},
        {{"pathloss", "--model", "hata", "--freq-mhz", "900", "--tx-height-m", "30", "--rx-height-m", "2",
          "--distance-km", "2", "--climate", "5"},
         "--climate"},
    };
    for (const auto& [args, option] : bad) {
        const auto r = run_deadzone(args);
        CAPTURE(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find(option) != std::string::npos);
    }
}

TEST_CASE("pathloss: a bad profile file is rejected (exit 1) naming file and field") {
    for (const auto& [file, field] : {std::pair{"itm_profile_short.pfl", "elevations"},
                                      std::pair{"itm_profile_not_a_number.pfl", "value 5"}}) {
        const auto r = run_deadzone({"pathloss", "--model", "itm", "--profile",
                                     std::string(DEADZONE_TEST_DATA) + "/bad/" + file, "--freq-mhz", "900",
                                     "--tx-height-m", "30", "--rx-height-m", "2"});
        CAPTURE(r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.err.find(file) != std::string::npos);
        CHECK(r.err.find(field) != std::string::npos);
    }
}

TEST_CASE("pathloss --model hata+diffraction") {
    // 10 km over one 50 m ridge at 300 MHz, antennas 10 m: Hata urban large city at 10 km
    // plus J(nu = 1.173397) = 14.998142 dB (tests/unit/model/test_diffraction.cpp).
    const std::string ridge = std::string(DEADZONE_TEST_DATA) + "/terrain/single_ridge.pfl";
    const auto h = run_deadzone({"pathloss", "--model", "hata", "--freq-mhz", "300", "--tx-height-m", "10",
                                 "--rx-height-m", "10", "--distance-km", "10", "--json"});
    REQUIRE(h.exit_code == 0);
    const double hata_db = json::parse(h.out).at("path_loss_db").get<double>();
    // Deygout in P.526's form adds T·C = 0.917890 · 10.4 dB to the single edge's J (test_diffraction.cpp).
    for (const auto& [method, diffraction_db] : {std::pair<std::string, double>{"bullington", 14.998142},
                                                 std::pair<std::string, double>{"deygout", 24.544193}}) {
        const auto r = run_deadzone({"pathloss", "--model", "hata+diffraction", "--diffraction", method, "--profile",
                                     ridge, "--freq-mhz", "300", "--tx-height-m", "10", "--rx-height-m", "10",
                                     "--json"});
        REQUIRE(r.exit_code == 0);
        const auto doc = json::parse(r.out);
        CHECK(doc.at("path_loss_db").get<double>() == doctest::Approx(hata_db + diffraction_db).epsilon(5e-5)); // 2 decimals
        CHECK(doc.at("mode") == "diffraction");
        CHECK(doc.at("diffraction") == method);
    }
}
