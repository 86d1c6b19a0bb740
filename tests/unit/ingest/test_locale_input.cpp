// Vietnamese spreadsheets: header and value aliases, day-first dates and decimal commas, each
// accepted only where the campaign declares it, and the Vietnamese sample upload read to exactly
// the cells of the English station file.
#include "ingest_support.hpp"

#include "../../../src/ingest/locale_input.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

using namespace deadzone;
using deadzone::test::data;
using deadzone::test::described;
using deadzone::test::mini_campaign;
using deadzone::test::ScratchDir;
using deadzone::test::write_text;
using Lines = std::vector<std::string>;

namespace {

Campaign with_locale(Campaign campaign, Language language, std::optional<DateFormat> format = std::nullopt) {
    campaign.locale = language;
    campaign.date_format = format;
    return campaign;
}

std::filesystem::path source_dir() { return std::filesystem::path{DEADZONE_SOURCE_DIR}; }

} // namespace

TEST_CASE("every canonical input field has a Vietnamese name that leads back to it") {
    // The canonical fields of docs/ingest.md, written out by hand: a field added without a
    // Vietnamese name fails here.
    const std::vector<std::string> canonical{
        // villages
        "village_id", "name", "province", "district", "commune", "population", "households", "lon", "lat", "wkt",
        // commitments
        "operator", "deadline", "registered_on", "support_fund_vnd", "note",
        // stations
        "site_id", "cell_id", "tech", "status", "on_air_date", "off_air_date", "height_m", "freq_mhz", "eirp_dbm",
        "azimuth_deg", "beamwidth_deg", "tilt_deg", "range_m", "delay_reason", "delay_note", "expected_on_air_date",
        "power_source", "backhaul"};
    std::set<std::string> reached;
    std::map<std::string, std::string> field_of_key;
    for (const auto& row : ingest::detail::vietnamese_headers()) {
        const auto field = ingest::detail::vietnamese_header_field(row.alias);
        REQUIRE(field.has_value());
        CHECK_MESSAGE(*field == row.canonical, row.alias); // no two rows share a key
        reached.insert(*field);
        const auto [it, inserted] = field_of_key.emplace(ingest::detail::alias_key(row.alias), row.canonical);
        CHECK_MESSAGE((inserted || it->second == row.canonical), row.alias);
    }
    CHECK(reached == std::set<std::string>(canonical.begin(), canonical.end()));
}

TEST_CASE("header names compare without diacritics, case, blanks or punctuation") {
    using ingest::detail::alias_key;
    CHECK(alias_key("Mã trạm") == "ma_tram");
    CHECK(alias_key("MÃ TRẠM") == "ma_tram");
    CHECK(alias_key("ma_tram") == "ma_tram");
    CHECK(alias_key("Ma-Tram") == "ma_tram");
    CHECK(alias_key("Đơn vị") == "don_vi");
    CHECK(alias_key("Kinh phí hỗ trợ (VNĐ)") == "kinh_phi_ho_tro_vnd");
    // Combining marks (NFD, as some Mac exports write) and the old tone placement "Toạ"/"Tọa".
    CHECK(alias_key("Vi\xCC\x83 \xC4\x91o\xCC\xA3\xCC\x82") == alias_key("Vĩ độ"));
    CHECK(alias_key("Hoà") == alias_key("Hòa"));
    CHECK(ingest::detail::vietnamese_header_field("KINH DO") == std::optional<std::string>{"lon"});
    CHECK(ingest::detail::vietnamese_header_field("Tỉnh / Thành phố") == std::optional<std::string>{"province"});
    CHECK_FALSE(ingest::detail::vietnamese_header_field("Ghi chú khác").has_value());
}

TEST_CASE("status and delay words in Vietnamese") {
    using ingest::detail::vietnamese_value;
    CHECK(vietnamese_value("status", "Đã phát sóng") == std::optional<std::string>{"on_air"});
    CHECK(vietnamese_value("status", "đang xây dựng") == std::optional<std::string>{"building"});
    CHECK(vietnamese_value("status", "Kế hoạch") == std::optional<std::string>{"planned"});
    CHECK(vietnamese_value("status", "Ngừng phát sóng") == std::optional<std::string>{"off_air"});
    CHECK(vietnamese_value("backhaul", "Cáp quang") == std::optional<std::string>{"fiber"});
    CHECK(vietnamese_value("power_source", "Điện mặt trời") == std::optional<std::string>{"solar"});
    CHECK(vietnamese_value("delay_reason", "Thời tiết") == std::optional<std::string>{"weather"});
    // A word belongs to its field only.
    CHECK_FALSE(vietnamese_value("status", "Cáp quang").has_value());
}

TEST_CASE("day-first dates are converted only as d/m/yyyy") {
    using ingest::detail::day_first_to_iso;
    CHECK(day_first_to_iso("30/6/2022") == std::optional<std::string>{"2022-06-30"});
    CHECK(day_first_to_iso("03/04/2022") == std::optional<std::string>{"2022-04-03"});
    CHECK(day_first_to_iso("3.4.2022") == std::optional<std::string>{"2022-04-03"});
    CHECK(day_first_to_iso("31-12-2021") == std::optional<std::string>{"2021-12-31"});
    CHECK_FALSE(day_first_to_iso("31/2/2022").has_value());  // no such day
    CHECK_FALSE(day_first_to_iso("6/30/2022").has_value());  // month 30
    CHECK_FALSE(day_first_to_iso("30/6/22").has_value());    // two-digit year: which century?
    CHECK_FALSE(day_first_to_iso("30/6-2022").has_value());  // mixed separators
    CHECK_FALSE(day_first_to_iso("2022-06-30").has_value()); // ISO is not this shape
}

TEST_CASE("decimal commas: 1.800,5 is 1800.5, and nothing ambiguous passes") {
    using ingest::detail::decimal_comma_number;
    const auto value = [](std::string_view text) { return decimal_comma_number(text).value; };
    CHECK(value("1.800,5") == std::optional<std::string>{"1800.5"});
    CHECK(value("105,8") == std::optional<std::string>{"105.8"});
    CHECK(value("-0,25") == std::optional<std::string>{"-0.25"});
    CHECK(value("12.345.678") == std::optional<std::string>{"12345678"});
    CHECK(value("1.234.567,89") == std::optional<std::string>{"1234567.89"});
    CHECK_FALSE(value("1800").has_value()); // plain: left as it is
    CHECK(decimal_comma_number("1800").problem.empty());
    CHECK(decimal_comma_number("1.800").problem ==
          "'1.800' is ambiguous in a file with decimal commas (locale vi): write 1800 if '.' groups thousands, "
          "or 1,800 for a decimal");
    CHECK(decimal_comma_number("105.8").problem ==
          "'105.8' has a decimal point, but this file writes decimal commas (locale vi, ';'-separated): write 105,8");
    CHECK_FALSE(decimal_comma_number("1,2,3").problem.empty());
    CHECK_FALSE(decimal_comma_number("18.00,5").problem.empty()); // '.' not grouping thousands
}

TEST_CASE("campaign locale and date_format") {
    ScratchDir dir;
    const auto write = [&](const std::string& extra) {
        write_text(dir / "campaign.json",
                   R"({"name": "x", "operators": [{"code": "VTL", "name": "Viettel"}])" + extra + "}");
        return ingest::load_campaign(dir / "campaign.json");
    };
    CHECK(write("").locale == Language::en);
    CHECK_FALSE(write("").date_format.has_value());
    const auto vi = write(R"(, "locale": "vi", "date_format": "d/m/yyyy")");
    CHECK(vi.locale == Language::vi);
    CHECK(vi.date_format == std::optional<DateFormat>{DateFormat::day_first});
    CHECK(vi.warnings.empty());
    CHECK(ingest::detail::input_rules(vi).day_first);
    // vi alone reads day-first; an explicit "iso" keeps a vi campaign strict.
    CHECK(ingest::detail::input_rules(write(R"(, "locale": "vi")")).day_first);
    CHECK_FALSE(ingest::detail::input_rules(write(R"(, "locale": "vi", "date_format": "iso")")).day_first);
    CHECK(ingest::detail::input_rules(write(R"(, "date_format": "d/m/yyyy")")).day_first);
    CHECK_FALSE(ingest::detail::input_rules(write(R"(, "date_format": "d/m/yyyy")")).vietnamese);
    try {
        write(R"(, "locale": "fr", "date_format": "m/d/yyyy")");
        FAIL("a bad locale must be refused");
    } catch (const InputError& e) {
        CHECK(described(e.problems()) == Lines{"-|locale|bad_value|error", "-|date_format|bad_value|error"});
    }
}

TEST_CASE("the Vietnamese sample upload reads to exactly the cells of the English file") {
    const Campaign english = ingest::load_campaign(source_dir() / "geodata");
    const Campaign vietnamese = with_locale(english, Language::vi);
    Diagnostics en_problems;
    Diagnostics vi_problems;
    const auto en_cells = ingest::read_stations(source_dir() / "geodata/stations/viettel.csv", english, {}, en_problems);
    const auto vi_cells =
        ingest::read_stations(source_dir() / "geodata/uploads/viettel_vi.csv", vietnamese, {}, vi_problems);
    CHECK(en_problems.error_count() == 0);
    CHECK(described(vi_problems) == described(en_problems));
    REQUIRE(en_cells.size() == 1097);
    REQUIRE(vi_cells.size() == en_cells.size());
    std::size_t delayed = 0;
    for (std::size_t i = 0; i < en_cells.size(); ++i) {
        const Cell& a = en_cells[i];
        const Cell& b = vi_cells[i];
        INFO(a.key());
        CHECK(b.key() == a.key());
        CHECK(b.position.x() == a.position.x());
        CHECK(b.position.y() == a.position.y());
        CHECK(b.tech == a.tech);
        CHECK(b.status == a.status);
        CHECK(b.on_air_date == a.on_air_date);
        CHECK(b.off_air_date == a.off_air_date);
        CHECK(b.height_m == a.height_m);
        CHECK(b.freq_mhz == a.freq_mhz);
        CHECK(b.eirp_dbm == a.eirp_dbm);
        CHECK(b.azimuth_deg == a.azimuth_deg);
        CHECK(b.beamwidth_deg == a.beamwidth_deg);
        CHECK(b.tilt_deg == a.tilt_deg);
        CHECK(b.range_m == a.range_m);
        CHECK(b.delay.reason == a.delay.reason);
        CHECK(b.delay.note == a.delay.note);
        CHECK(b.delay.expected_on_air_date == a.delay.expected_on_air_date);
        CHECK(b.delay.power_source == a.delay.power_source);
        CHECK(b.delay.backhaul == a.delay.backhaul);
        CHECK(b.extra == a.extra); // "Tỉnh" passes through as "province"
        delayed += a.delay.empty() ? 0 : 1;
    }
    CHECK(delayed == 27); // 27 building/planned cells carry delay fields: they were compared too
}

TEST_CASE("the Vietnamese sample is refused by an English campaign, with how to declare it") {
    const Campaign english = ingest::load_campaign(source_dir() / "geodata");
    Diagnostics problems;
    ingest::read_stations(source_dir() / "geodata/uploads/viettel_vi.csv", english, {}, problems);
    REQUIRE(problems.error_count() > 0);
    const auto& first = problems.problems().front();
    CHECK(first.code == "bad_date");
    CHECK(first.field == "Ngày phát sóng");
    CHECK(first.message == "'10/10/2012' is not a date (YYYY-MM-DD); write it as YYYY-MM-DD, or declare "
                           "\"date_format\": \"d/m/yyyy\" (or \"locale\": \"vi\") in campaign.json if the file "
                           "writes the day first");
}

TEST_CASE("villages and commitments with Vietnamese headers") {
    ScratchDir dir;
    write_text(dir / "thon.csv",
               "Mã thôn;Tên thôn;Tỉnh;Huyện;Xã;Dân số;Số hộ;Kinh độ;Vĩ độ\n"
               "HG-001;Thôn Lũng Cú;Hà Giang;Đồng Văn;Lũng Cú;1250,0;312;105,3162;23,3640\n");
    write_text(dir / "cam_ket.csv",
               "Mã thôn;Nhà mạng;Hạn hoàn thành;Ngày đăng ký;Kinh phí hỗ trợ (VNĐ);Ghi chú\n"
               "HG-001;VTL;30/6/2022;15/4/2022;1.500.000.000;đợt 1\n");
    const Campaign campaign = with_locale(mini_campaign(), Language::vi);
    Diagnostics problems;
    const auto villages = ingest::read_villages(dir / "thon.csv", campaign, problems);
    const auto commitments = ingest::read_commitments(dir / "cam_ket.csv", campaign, &villages, problems);
    CHECK(described(problems).empty());
    REQUIRE(villages.size() == 1);
    CHECK(villages[0].id == "HG-001");
    CHECK(villages[0].name == "Thôn Lũng Cú");
    CHECK(villages[0].province == "Hà Giang");
    CHECK(villages[0].district == "Đồng Văn");
    CHECK(villages[0].commune == "Lũng Cú");
    CHECK(villages[0].population == std::optional<double>{1250.0});
    CHECK(villages[0].households == std::optional<std::int64_t>{312});
    REQUIRE(villages[0].point.has_value());
    CHECK(villages[0].point->x() == 105.3162);
    CHECK(villages[0].point->y() == 23.364);
    REQUIRE(commitments.size() == 1);
    CHECK(commitments[0].deadline.iso() == "2022-06-30");
    CHECK(commitments[0].registered_on->iso() == "2022-04-15");
    CHECK(commitments[0].support_fund_vnd == std::optional<std::int64_t>{1500000000});
    CHECK(commitments[0].note == "đợt 1");
}

TEST_CASE("bad Vietnamese values: one file each, named row and field") {
    const Campaign vi = with_locale(mini_campaign(), Language::vi);
    const Campaign en = mini_campaign();
    struct Case {
        const char* file;
        const Campaign* campaign;
        Lines expected;
    };
    const std::vector<Case> cases{
        {"stations_vi_ambiguous_thousands.csv", &vi, {"row 2|Tần số (MHz)|bad_number|error"}},
        {"stations_vi_decimal_point.csv", &vi, {"row 2|Kinh độ|bad_number|error"}},
        {"stations_vi_two_commas.csv", &vi, {"row 2|Kinh độ|bad_number|error"}},
        {"stations_vi_no_such_day.csv", &vi, {"row 2|Ngày phát sóng|bad_date|error"}},
        {"stations_day_first_undeclared.csv", &en, {"row 2|on_air_date|bad_date|error"}},
        // ',' separates the columns, so a decimal comma cannot be declared there.
        {"stations_vi_decimal_comma_comma_separated.csv", &vi, {"row 2|lon|bad_number|error"}},
    };
    for (const auto& c : cases) {
        INFO(c.file);
        Diagnostics problems;
        const auto cells = ingest::read_stations(data(std::string{"bad/"} + c.file), *c.campaign, {}, problems);
        CHECK(cells.empty());
        CHECK(described(problems) == c.expected);
    }
    Diagnostics problems;
    ingest::read_stations(data("bad/stations_day_first_undeclared.csv"), en, {}, problems);
    REQUIRE_FALSE(problems.problems().empty());
    CHECK(problems.problems().front().message ==
          "'03/04/2022' is not a date (YYYY-MM-DD): day 3 of month 4 or day 4 of month 3? deadzone does not guess; "
          "write 2022-04-03 or 2022-03-04, or declare \"date_format\": \"d/m/yyyy\" (or \"locale\": \"vi\") in "
          "campaign.json if the file writes the day first");
    // The same file in a campaign that declares day-first dates is read.
    Diagnostics declared;
    const auto cells = ingest::read_stations(data("bad/stations_day_first_undeclared.csv"),
                                             with_locale(en, Language::en, DateFormat::day_first), {}, declared);
    REQUIRE(cells.size() == 1);
    CHECK(cells[0].on_air_date->iso() == "2022-04-03");
}

TEST_CASE("decimal commas are not read in an English campaign, even ';'-separated") {
    Diagnostics problems;
    ingest::read_stations(data("bad/stations_vi_ambiguous_thousands.csv"),
                          with_locale(mini_campaign(), Language::en, DateFormat::day_first), {}, problems);
    // '1.800' is 1.8 MHz in an English campaign: read as written, then out of range.
    CHECK(described(problems) == Lines{"row 2|Kinh độ|bad_number|error", "row 2|Vĩ độ|bad_number|error",
                                       "row 2|Tần số (MHz)|freq_out_of_range|error"});
}

TEST_CASE("docs/ingest.md lists the alias table of the code") {
    std::ifstream stream{source_dir() / "docs/ingest.md"};
    const std::string text{std::istreambuf_iterator<char>{stream}, std::istreambuf_iterator<char>{}};
    // Each documented row: "| `canonical` | `Alias`, `Alias` |".
    std::set<std::pair<std::string, std::string>> documented;
    std::istringstream lines{text.substr(text.find("## Vietnamese headers"))};
    for (std::string line; std::getline(lines, line) && line.rfind("## Vietnamese values", 0) != 0;) {
        if (line.rfind("| `", 0) != 0) {
            continue;
        }
        const auto end = line.find('`', 3);
        const std::string canonical = line.substr(3, end - 3);
        for (auto open = line.find('`', line.find('|', end)); open != std::string::npos;
             open = line.find('`', line.find('`', open + 1) + 1)) {
            const auto close = line.find('`', open + 1);
            documented.emplace(canonical, line.substr(open + 1, close - open - 1));
        }
    }
    std::set<std::pair<std::string, std::string>> coded;
    for (const auto& row : ingest::detail::vietnamese_headers()) {
        coded.emplace(row.canonical, row.alias);
    }
    CHECK(documented == coded);
}
