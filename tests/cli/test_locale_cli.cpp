// The CLI's human messages in Vietnamese: problems keep their code, file, row and field and gain
// the code's explanation from share/locale/vi.json, with --lang vi or a campaign whose locale is
// vi; --json stays the same machine document in both languages.
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

using deadzone::test::run_deadzone;

namespace {
const std::string data_dir = DEADZONE_TEST_DATA;
const std::string source_dir = DEADZONE_SOURCE_DIR;

/// The option that checks a bad file, from its name's prefix ("" for other files).
std::string option_for(const std::string& name) {
    for (const char* kind : {"stations", "commitments", "measurements", "villages", "campaign"}) {
        if (name.rfind(std::string{kind} + "_", 0) == 0) {
            return std::string{"--"} + kind;
        }
    }
    return {};
}
} // namespace

TEST_CASE("check --lang vi: the explanation in Vietnamese, the same code, file, row and field") {
    const auto file = data_dir + "/bad/stations_lat_out_of_range.csv";
    const auto english = run_deadzone({"check", "--campaign", data_dir + "/mini", "--stations", file});
    const auto result = run_deadzone({"check", "--campaign", data_dir + "/mini", "--stations", file, "--lang", "vi"});
    CHECK(result.exit_code == 1);
    CHECK(english.exit_code == 1);
    CHECK(english.err.find(file + ":row 3: field 'lat': error: latitude 210.5 is outside [-90, 90]") != std::string::npos);
    CHECK(result.err.find(file + ":dòng 3: trường 'lat': lỗi [lat_out_of_range]: Vĩ độ phải nằm trong khoảng -90 đến "
                                 "90. (nguyên văn: latitude 210.5 is outside [-90, 90])\n") != std::string::npos);
    CHECK(result.err.find("1 lỗi, 0 cảnh báo\n") != std::string::npos);
    CHECK(result.err.find("error") == std::string::npos);
    // The machine document does not change with the language.
    const auto json_en = run_deadzone({"check", "--campaign", data_dir + "/mini", "--stations", file, "--json"});
    const auto json_vi =
        run_deadzone({"check", "--campaign", data_dir + "/mini", "--stations", file, "--json", "--lang", "vi"});
    CHECK(json_vi.out == json_en.out);
    CHECK(nlohmann::json::parse(json_vi.out).at("problems").at(0).at("code") == "lat_out_of_range");
}

TEST_CASE("check: a campaign whose locale is vi explains its problems in Vietnamese; --lang en wins") {
    const auto campaign = source_dir + "/geodata/uploads/campaign_vi.json";
    const auto file = data_dir + "/bad/stations_vi_decimal_point.csv";
    const auto vi = run_deadzone({"check", "--campaign", campaign, "--stations", file, "--operator", "VTL"});
    CHECK(vi.exit_code == 1);
    CHECK(vi.err.find(file + ":dòng 2: trường 'Kinh độ': lỗi [bad_number]: Giá trị không phải là số theo cách viết mà "
                             "chiến dịch chấp nhận. (nguyên văn: ") != std::string::npos);
    const auto en = run_deadzone({"check", "--campaign", campaign, "--stations", file, "--operator", "VTL", "--lang", "en"});
    CHECK(en.exit_code == 1);
    CHECK(en.err.find(file + ":row 2: field 'Kinh độ': error: ") != std::string::npos);
    CHECK(en.err.find("[bad_number]") == std::string::npos);
}

TEST_CASE("every problem the bad test files raise has a Vietnamese explanation") {
    // tests/data/bad holds one file per bad-input case: each of their problem lines in Vietnamese
    // must carry the catalogue's explanation (a code without one would print its English only).
    std::size_t lines = 0;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir + "/bad")) {
        const auto name = entry.path().filename().string();
        const auto option = option_for(name);
        if (option.empty()) {
            continue;
        }
        const auto result = run_deadzone({"check", option, entry.path().string(), "--lang", "vi"});
        std::istringstream text(result.err + result.out);
        for (std::string line; std::getline(text, line);) {
            if (line.find(": lỗi [") == std::string::npos && line.find(": cảnh báo [") == std::string::npos) {
                continue;
            }
            ++lines;
            INFO(line);
            CHECK(line.find(" (nguyên văn: ") != std::string::npos);
        }
    }
    CHECK(lines >= 60);
}
