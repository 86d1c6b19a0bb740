// Hostile and careless inputs (tests/data/hostile, one file per case): what GDAL or a JSON parser
// would silently accept, misread or hang on must come out as a problem naming file, row and field.
#include "ingest_support.hpp"

#include <deadzone/core/date.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>

using namespace deadzone;
using deadzone::test::data;
using deadzone::test::described;
using deadzone::test::mini_campaign;
using Lines = std::vector<std::string>;

namespace {

Lines station_problems(const std::string& name, std::size_t* cells_read = nullptr,
                       Diagnostics* out = nullptr) {
    Diagnostics diagnostics;
    const auto cells = ingest::read_stations(data("hostile/" + name), mini_campaign(), {}, diagnostics);
    if (cells_read != nullptr) {
        *cells_read = cells.size();
    }
    if (out != nullptr) {
        *out = diagnostics;
    }
    return described(diagnostics);
}

Lines village_problems(const std::string& name, const Campaign& campaign, std::vector<Village>* villages = nullptr,
                       Diagnostics* out = nullptr) {
    Diagnostics diagnostics;
    auto read = ingest::read_villages(data("hostile/" + name), campaign, diagnostics);
    if (villages != nullptr) {
        *villages = std::move(read);
    }
    if (out != nullptr) {
        *out = diagnostics;
    }
    return described(diagnostics);
}

Lines campaign_problems(const std::string& name) {
    try {
        ingest::load_campaign(data("hostile/" + name));
    } catch (const InputError& e) {
        return described(e.problems());
    }
    return {};
}

std::string first_message(const Diagnostics& diagnostics) {
    return diagnostics.problems().empty() ? std::string{} : diagnostics.problems().front().message;
}

} // namespace

TEST_CASE("CSV quoting: an unclosed quote, a line break, a stray quote, values beyond the header") {
    const std::vector<std::tuple<std::string, Lines, std::size_t>> cases{
        // The quote opened in S2's lon swallows lines 3-5: reported, and the good S1 stays.
        {"stations_unclosed_quote.csv", {"row 3|lon|csv_unclosed_quote|error"}, 1},
        {"stations_line_break_in_value.csv", {"row 3|site_id|csv_line_break|error"}, 2},
        {"stations_stray_quote.csv", {"row 3|site_id|csv_stray_quote|error"}, 2},
        {"stations_values_beyond_header.csv", {"row 3||too_many_values|error"}, 2},
        // Empty values after the last column lose nothing.
        {"stations_trailing_separators.csv", {}, 2},
    };
    for (const auto& [name, expected, cells] : cases) {
        CAPTURE(name);
        std::size_t read = 0;
        CHECK(station_problems(name, &read) == expected);
        CHECK(read == cells);
    }
    Diagnostics d;
    station_problems("stations_unclosed_quote.csv", nullptr, &d);
    CHECK(first_message(d) ==
          "a quote opened on line 3 is never closed: lines 3-5 (3 lines) are read as this one row; close the quote");
    station_problems("stations_values_beyond_header.csv", nullptr, &d);
    CHECK(first_message(d).find("line 3 has 10 values but the header has 8 columns: 'Ericsson', '35'") == 0);
    station_problems("stations_line_break_in_value.csv", nullptr, &d);
    CHECK(first_message(d).find("the value spans lines 3-4") == 0);
}

TEST_CASE("numbers: a thousands separator is called one") {
    Diagnostics d;
    CHECK(station_problems("stations_thousands_separator.csv", nullptr, &d) == Lines{"row 3|freq_mhz|bad_number|error"});
    CHECK(first_message(d) == "'1,800' is not a number (',' looks like a thousands separator: write 1800)");
    CHECK(village_problems("villages_thousands_separator.csv", mini_campaign(), nullptr, &d) ==
          Lines{"row 3|population|bad_number|error", "row 4|population|bad_number|error"});
    CHECK(d.problems()[1].message == "'1.234.567' is not a number ('.' looks like a thousands separator: write 1234567)");
}

TEST_CASE("dates outside 1990-2100 are refused wherever they are read") {
    Diagnostics d;
    CHECK(station_problems("stations_date_year_0001.csv", nullptr, &d) == Lines{"row 3|on_air_date|bad_date|error"});
    CHECK(first_message(d) == "'0001-01-01' is outside the years 1990-2100");
    CHECK(station_problems("stations_date_year_9999.csv") == Lines{"row 3|on_air_date|bad_date|error"});
    Diagnostics commitments;
    ingest::read_commitments(data("hostile/commitments_deadline_1899.csv"), mini_campaign(), nullptr, commitments);
    CHECK(described(commitments) == Lines{"row 3|deadline|bad_date|error"});
    CHECK(campaign_problems("campaign_dates_out_of_range.json") ==
          Lines{"-|start_date|bad_date|error", "-|milestones[1].date|bad_date|error"});
}

TEST_CASE("OpenCelliD: range within range_m's limits, created within 1990-2100") {
    std::size_t cells = 0;
    CHECK(station_problems("opencellid_range_1000000.csv", &cells) == Lines{"row 3|range|range_out_of_range|error"});
    CHECK(cells == 1);
    CHECK(station_problems("opencellid_created_zero.csv", &cells) == Lines{"row 3|created|bad_date|error"});
    CHECK(cells == 1);
    CHECK(station_problems("opencellid_created_year_5138.csv", &cells) == Lines{"row 3|created|bad_date|error"});
    CHECK(cells == 1);
}

TEST_CASE("campaign area: derived from the villages when there is no area_bbox") {
    const Campaign campaign = ingest::load_campaign(data("hostile/noarea"));
    REQUIRE_FALSE(campaign.area);
    Diagnostics d;
    const auto cells = ingest::read_station_files(campaign.stations, campaign, {}, d);
    // Null Island and Paris are far from every village; the swapped pair is caught because the
    // other reading lies in the villages' area. S1 and S5 (38 km south of it) pass.
    CHECK(described(d) == Lines{"row 3|lon/lat|outside_area|error", "row 4|lon/lat|outside_area|error",
                                "row 5|lon|swapped_lonlat|error"});
    CHECK(cells.size() == 2);
    CHECK(d.problems()[0].message.find("outside the area of the campaign's villages (no area_bbox given)") !=
          std::string::npos);

    // read_inputs uses the villages it has just read, with the same verdicts.
    Diagnostics all;
    const auto inputs = ingest::read_inputs(campaign, {}, all);
    CHECK(described(all) == described(d));
    CHECK(inputs.cells.size() == 2);
}

TEST_CASE("campaign area: a file whose positions are all far away is not told to add a .prj") {
    Diagnostics d;
    CHECK(station_problems("stations_all_far_without_crs.csv", nullptr, &d) == Lines{"-||all_outside_area|error"});
    CHECK(first_message(d).find("none of its 2 positions lies in the campaign area") == 0);
    // Projected numbers still get the CRS advice.
    Diagnostics utm;
    ingest::read_stations(data("bad/stations_utm_without_crs.csv"), mini_campaign(), {}, utm);
    CHECK(described(utm) == Lines{"-||crs_missing|error"});
}

TEST_CASE("geometry: antimeridian, poles, holes outside their shell, bow-ties") {
    const Campaign anywhere = ingest::default_campaign(); // no area: the shapes alone are judged
    std::vector<Village> villages;
    CHECK(village_problems("villages_antimeridian.geojson", anywhere, &villages) ==
          Lines{"FID 1|geometry|crosses_antimeridian|error"});
    CHECK(villages.size() == 1);
    CHECK(village_problems("villages_point_near_antimeridian.geojson", anywhere) ==
          Lines{"FID 1|geometry|crosses_antimeridian|error"});
    CHECK(village_problems("villages_point_at_pole.geojson", anywhere) == Lines{"FID 1|geometry|around_pole|error"});
    CHECK(village_problems("villages_point_near_south_pole.geojson", anywhere) ==
          Lines{"FID 1|geometry|around_pole|error"});
    CHECK(village_problems("villages_hole_larger_than_shell.geojson", mini_campaign()) ==
          Lines{"FID 1|geometry|hole_outside_shell|error"});
    CHECK(village_problems("villages_hole_outside_shell.geojson", mini_campaign()) ==
          Lines{"FID 1|geometry|hole_outside_shell|error"});
    Diagnostics d;
    CHECK(village_problems("villages_bowtie.geojson", mini_campaign(), &villages, &d) ==
          Lines{"FID 1|geometry|geometry_repaired|warning"});
    CHECK(first_message(d) == "the polygon was invalid (self-intersection: a ring crosses itself) and has been repaired");
}

TEST_CASE("text: not UTF-8, NUL characters, NFD spellings") {
    std::vector<Village> villages;
    Diagnostics d;
    CHECK(village_problems("villages_cp1258.csv", mini_campaign(), &villages, &d) ==
          Lines{"row 2|name|bad_encoding|error", "row 2|province|bad_encoding|error", "row 3|name|bad_encoding|error",
                "row 3|province|bad_encoding|error"});
    CHECK(villages.empty());
    CHECK(first_message(d) == "the text is not UTF-8 (byte 0xF4 at position 3); save the file as UTF-8 (it may be "
                              "Windows-1258 or Latin-1)");

    CHECK(village_problems("villages_utf16.csv", mini_campaign(), nullptr, &d) == Lines{"-||bad_encoding|error"});
    CHECK(first_message(d) == "the file is UTF-16 (it starts with that byte-order mark); save it as UTF-8");

    CHECK(village_problems("villages_nul_in_name.csv", mini_campaign(), &villages) ==
          Lines{"row 3|name|nul_character|error"});
    CHECK(villages.size() == 1);
    CHECK(village_problems("villages_nul_in_name.geojson", mini_campaign()) == Lines{"FID 1|name|nul_character|error"});

    // "Hà Giang" with a precomposed à and with a + U+0300: one province after reading.
    CHECK(village_problems("villages_nfd_province.csv", mini_campaign(), &villages).empty());
    REQUIRE(villages.size() == 2);
    CHECK(villages[0].province == "H\xC3\xA0 Giang");
    CHECK(villages[1].province == "H\xC3\xA0 Giang");
}

TEST_CASE("input files: no features, FIFOs, unreadable files") {
    CHECK(village_problems("villages_empty_collection.geojson", mini_campaign()) == Lines{"-||no_features|error"});
    CHECK(village_problems("villages_empty_file.csv", mini_campaign()) == Lines{"-||no_features|error"});

    test::ScratchDir dir;
    const auto fifo = dir / "stations.csv";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Opening a FIFO for reading blocks until a writer comes: the readers must refuse it first.
    auto pending = std::async(std::launch::async, [&] {
        Diagnostics stations;
        ingest::read_stations(fifo, mini_campaign(), {}, stations);
        Diagnostics villages;
        ingest::read_villages(fifo, mini_campaign(), villages);
        return described(stations) == Lines{"-||not_a_file|error"} && described(villages) == Lines{"-||not_a_file|error"};
    });
    REQUIRE(pending.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
    CHECK(pending.get());
    try {
        ingest::load_campaign(fifo);
        CHECK(false);
    } catch (const InputError& e) {
        CHECK(described(e.problems()) == Lines{"-||not_a_file|error"});
    }

    if (::geteuid() != 0) { // root reads anything: the case cannot be made
        const auto locked = dir / "villages.csv";
        test::write_text(locked, "village_id,name,lon,lat\nV1,A,104.7,22.6\n");
        ::chmod(locked.c_str(), 0);
        Diagnostics d;
        ingest::read_villages(locked, mini_campaign(), d);
        CHECK(described(d) == Lines{"-||permission_denied|error"});
    }
}

TEST_CASE("campaign.json: operator codes that clash with generated names") {
    const std::vector<std::pair<std::string, Lines>> cases{
        {"campaign_operator_any.json", {"-|operators[1].code|operator_name_clash|error"}},
        {"campaign_operator_any_mixed_case.json", {"-|operators[0].code|operator_name_clash|error"}},
        {"campaign_operator_date.json", {"-|operators[1].code|operator_name_clash|error"}},
        {"campaign_operator_all_upper.json", {"-|operators[0].code|operator_name_clash|error"}},
        {"campaign_operator_space_underscore.json", {"-|operators[1].code|operator_name_clash|error"}},
        {"campaign_operator_dash_dot.json", {"-|operators[1].code|operator_name_clash|error"}},
        {"campaign_operator_slash.json", {"-|operators[1].code|operator_name_clash|error"}},
    };
    for (const auto& [name, expected] : cases) {
        CAPTURE(name);
        CHECK(campaign_problems(name) == expected);
    }
}

TEST_CASE("campaign.json: duplicate keys, duplicate milestones, unknown keys") {
    CHECK(campaign_problems("campaign_duplicate_key.json") ==
          Lines{"-|coverage_rule.min_fraction|duplicate_key|error", "-|name|duplicate_key|error"});
    CHECK(campaign_problems("campaign_duplicate_milestone.json") ==
          Lines{"-|milestones[1].date|duplicate_milestone|error"});

    const Campaign campaign = ingest::load_campaign(data("hostile/campaign_unknown_keys.json"));
    CHECK(described(campaign.warnings) ==
          Lines{"-|coverage_rul|unknown_key|warning", "-|operators[0].colour|unknown_key|warning"});
    CHECK(campaign.warnings[0].message ==
          "'coverage_rul' is not a campaign key and is ignored (did you mean 'coverage_rule'?); start your own keys "
          "with '_' or 'x_'");
    // The sample campaign has no unknown keys ("description" is one of deadzone's).
    CHECK(ingest::load_campaign(std::filesystem::path{DEADZONE_SOURCE_DIR} / "geodata").warnings.empty());
}
