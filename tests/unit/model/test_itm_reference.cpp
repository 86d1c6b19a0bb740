// NTIA's published ITM results as data (tests/data/itm/*.csv, like PROJ's .gie files): every
// line is a profile, inputs, the published loss and the tolerance, checked by this one test.
#include <deadzone/model/itm.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace deadzone::model;

namespace {

const std::string itm_data = std::string(DEADZONE_TEST_DATA) + "/itm/";

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(slurp(path));
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (header) {
            header = false;
            continue;
        }
        std::vector<std::string> cells;
        std::stringstream cs(line);
        std::string cell;
        while (std::getline(cs, cell, ',')) cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

itm::Quantiles parse_quantiles(const std::string& text) {
    const auto colon = text.find(':');
    const std::string kind = text.substr(0, colon);
    std::vector<double> v;
    std::stringstream s(text.substr(colon + 1));
    std::string part;
    while (std::getline(s, part, '/')) v.push_back(std::stod(part));
    if (kind == "cr") {
        REQUIRE(v.size() == 2);
        return itm::Quantiles::from_confidence_reliability(v[0], v[1]);
    }
    REQUIRE(v.size() == 3);
    return itm::Quantiles{v[0], v[1], v[2]};
}

itm::Parameters pfl_example_parameters() {
    itm::Parameters p;
    p.tx_height_m = 15.0;
    p.rx_height_m = 3.0;
    p.climate = itm::Climate::continental_temperate;
    p.n0 = 301.0;
    p.freq_mhz = 3500.0;
    p.polarization = itm::Polarization::vertical;
    p.epsilon = 15.0;
    p.sigma = 0.005;
    p.mdvar = 1;
    return p;
}

} // namespace

TEST_CASE("itm: NTIA reference cases (tests/data/itm/p2p_cases.csv)") {
    const auto rows = read_csv(itm_data + "p2p_cases.csv");
    REQUIRE(rows.size() == 15);
    for (const auto& c : rows) {
        REQUIRE(c.size() == 13);
        const auto profile = parse_itm_profile(slurp(itm_data + c[0]), c[0]);
        itm::Parameters p;
        p.tx_height_m = std::stod(c[1]);
        p.rx_height_m = std::stod(c[2]);
        p.climate = static_cast<itm::Climate>(std::stoi(c[3]));
        p.n0 = std::stod(c[4]);
        p.freq_mhz = std::stod(c[5]);
        p.polarization = c[6] == "vertical" ? itm::Polarization::vertical : itm::Polarization::horizontal;
        p.epsilon = std::stod(c[7]);
        p.sigma = std::stod(c[8]);
        p.mdvar = std::stoi(c[9]);
        p.quantiles = parse_quantiles(c[10]);
        const double expected = std::stod(c[11]);
        const double tolerance = std::stod(c[12]);
        const auto r = itm::point_to_point(profile, p);
        INFO(c[0] << " " << c[5] << " MHz " << c[10] << ": computed " << r.loss_db << " dB, published " << expected);
        CHECK(std::abs(r.loss_db - expected) <= tolerance);
    }
}

TEST_CASE("itm: NTIA intermediate values over pfl.txt") {
    const auto profile = parse_itm_profile(slurp(itm_data + "ntia_pfl.txt"), "ntia_pfl.txt");
    const auto r = itm::point_to_point(profile, pfl_example_parameters());
    const std::map<std::string, double> computed = {
        {"free_space_db", r.free_space_db},
        {"d_km", r.distance_m / 1000.0},
        {"theta_hzn_tx_mrad", r.theta_hzn_rad[0] * 1000.0},
        {"theta_hzn_rx_mrad", r.theta_hzn_rad[1] * 1000.0},
        {"d_hzn_tx_m", r.d_hzn_m[0]},
        {"d_hzn_rx_m", r.d_hzn_m[1]},
        {"h_e_tx_m", r.h_e_m[0]},
        {"h_e_rx_m", r.h_e_m[1]},
        {"n_s", r.n_s},
        {"delta_h_m", r.delta_h_m},
        {"a_ref_db", r.reference_attenuation_db},
        {"mode", static_cast<double>(r.mode)},
    };
    const auto rows = read_csv(itm_data + "ntia_pfl_intermediates.csv");
    REQUIRE(rows.size() == computed.size());
    for (const auto& row : rows) {
        REQUIRE(row.size() == 3);
        const auto it = computed.find(row[0]);
        REQUIRE_MESSAGE(it != computed.end(), "unknown quantity " << row[0]);
        INFO(row[0] << ": computed " << it->second << ", published " << row[1]);
        CHECK(std::abs(it->second - std::stod(row[1])) <= std::stod(row[2]));
    }
    CHECK(r.warnings == 0);
}

TEST_CASE("itm: same inputs give bit-identical results") {
    const auto profile = parse_itm_profile(slurp(itm_data + "ntia_p2p_3.txt"), "ntia_p2p_3.txt");
    itm::Parameters p;
    p.freq_mhz = 990.0;
    const auto a = itm::point_to_point(profile, p);
    const auto b = itm::point_to_point(profile, p);
    CHECK(a.loss_db == b.loss_db);
    CHECK(a.delta_h_m == b.delta_h_m);
}
