// deadzone pathloss end to end: the published Okumura-Hata check value, the JSON document,
// validity warnings and usage errors (exit 2).
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

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
