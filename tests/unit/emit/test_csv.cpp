// CSV cells: RFC 4180 quoting and neutralisation of text that a spreadsheet would run as a
// formula (OWASP "CSV injection"), with numbers left as numbers.
#include "../track/tiny_campaign.hpp"

#include <deadzone/emit/csv.hpp>
#include <deadzone/emit/reports.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using deadzone::emit::csv_text;
using deadzone::emit::CsvWriter;
using deadzone::emit::is_plain_number;
using deadzone::emit::starts_like_formula;

TEST_CASE("csv: text that starts like a formula gets a leading apostrophe") {
    CHECK(csv_text("=1+2") == "'=1+2");
    CHECK(csv_text("+1") == "'+1");
    CHECK(csv_text("-2+3") == "'-2+3");
    CHECK(csv_text("@SUM(A1:A9)") == "'@SUM(A1:A9)");
    CHECK(csv_text("\t=1") == "'\t=1");
    // A carriage return needs RFC 4180 quotes as well; the apostrophe goes inside them.
    CHECK(csv_text("\r=1") == "\"'\r=1\"");
    // Text that looks like a negative number is text in a text column: it stays text.
    CHECK(csv_text("-5") == "'-5");
    // The classic DDE payload: neutralised and, for its quote-free form, left unquoted.
    CHECK(csv_text("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0");
}

TEST_CASE("csv: ordinary text is unchanged, quoted only when RFC 4180 needs it") {
    CHECK(csv_text("Bản Một") == "Bản Một");
    CHECK(csv_text("a=b") == "a=b"); // only the first character matters
    CHECK(csv_text(" =1") == " =1");
    CHECK(csv_text("") == "");
    CHECK(csv_text("a,b") == "\"a,b\"");
    CHECK(csv_text("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_text("two\nlines") == "\"two\nlines\"");
    // A formula hidden behind a comma-split: the whole cell is one quoted, neutralised field.
    CHECK(csv_text("=1+2\",=3") == "\"'=1+2\"\",=3\"");
}

TEST_CASE("csv: numbers stay numbers; anything else given as a number is treated as text") {
    CHECK(is_plain_number("0"));
    CHECK(is_plain_number("-3"));
    CHECK(is_plain_number("0.4000"));
    CHECK_FALSE(is_plain_number("+3"));
    CHECK_FALSE(is_plain_number("-"));
    CHECK_FALSE(is_plain_number("1."));
    CHECK_FALSE(is_plain_number(".5"));
    CHECK_FALSE(is_plain_number("1e5"));
    CHECK_FALSE(is_plain_number("-1+2"));
    CHECK(starts_like_formula("-1"));
    CHECK_FALSE(starts_like_formula("1-"));

    CsvWriter csv;
    csv.text("days_late").number(-3).number("0.2500").number("-1+2").number(42LL);
    csv.end_row();
    csv.text("=x");
    csv.end_row();
    CHECK(csv.str() == "days_late,-3,0.2500,'-1+2,42\r\n'=x\r\n");
}

namespace {
std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}
} // namespace

TEST_CASE("progress.csv: hostile operator names and provinces reach the sheet as text") {
    deadzone::testing::TinyCampaign tiny;
    tiny.campaign.operators[0].name = "=HYPERLINK(\"http://example.invalid\",\"A\")";
    tiny.campaign.operators[1].name = "-2+3";
    tiny.villages[0].province = "@SUM(1)";
    tiny.villages[1].province = "@SUM(1)";
    tiny.villages[2].province = "+1";
    tiny.villages[3].province = "+1";
    tiny.villages[4].province = "-5";
    const auto dir = std::filesystem::temp_directory_path() / "deadzone_test_csv_hostile";
    std::filesystem::remove_all(dir);
    deadzone::emit::write_reports(tiny.analysis_at(deadzone::testing::day("2022-07-30")), dir);
    const auto csv = read_file(dir / "progress.csv");
    std::filesystem::remove_all(dir);
    // Figures as in test_reports.cpp (as of 07-30); only the text cells change.
    CHECK(csv.find("operator,A,\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"A\"\")\",3,1,1,0,1,"
                   "0.6667,") != std::string::npos);
    CHECK(csv.find("operator,B,'-2+3,3,") != std::string::npos);
    CHECK(csv.find("province,'@SUM(1),'@SUM(1),2,") != std::string::npos);
    CHECK(csv.find("province,'+1,'+1,") != std::string::npos);
    CHECK(csv.find("province,'-5,'-5,1,") != std::string::npos);
    // No line starts a cell with a raw trigger character.
    std::istringstream lines(csv);
    for (std::string line; std::getline(lines, line);) {
        CAPTURE(line);
        CHECK(line.find(",=") == std::string::npos);
        CHECK(line.find(",@") == std::string::npos);
        CHECK(line.find(",+") == std::string::npos);
    }
}
