// One bad-input fixture per rule (tests/data/bad), each read against the mini campaign: the exact
// row, field and code of every problem, and which rows survive.
#include "ingest_support.hpp"

#include <deadzone/geo/geodesic.hpp>

#include <boost/geometry/algorithms/is_valid.hpp>
#include <doctest/doctest.h>

using namespace deadzone;
using deadzone::test::data;
using deadzone::test::described;
using deadzone::test::mini_campaign;
using Lines = std::vector<std::string>;

namespace {
Lines station_problems(const std::string& name, std::optional<std::string> op = std::nullopt,
                       std::size_t* cells_read = nullptr) {
    Diagnostics diagnostics;
    ingest::StationOptions options;
    options.operator_code = std::move(op);
    const auto cells = ingest::read_stations(data("bad/" + name), mini_campaign(), options, diagnostics);
    if (cells_read != nullptr) {
        *cells_read = cells.size();
    }
    return described(diagnostics);
}
} // namespace

TEST_CASE("stations: one rule per fixture, row 3 is the faulty one") {
    const std::vector<std::pair<std::string, Lines>> cases{
        {"stations_lat_out_of_range.csv", {"row 3|lat|lat_out_of_range|error"}},
        {"stations_lon_out_of_range.csv", {"row 3|lon|lon_out_of_range|error"}},
        {"stations_swapped_lonlat.csv", {"row 3|lon|swapped_lonlat|error"}},
        {"stations_outside_area.csv", {"row 3|lon/lat|outside_area|error"}},
        {"stations_comma_decimal.csv", {"row 3|lon|bad_number|error"}},
        {"stations_missing_site_id.csv", {"row 3|site_id|missing_value|error"}},
        {"stations_duplicate_cell.csv", {"row 3|site_id/cell_id|duplicate_cell|error"}},
        {"stations_bad_date.csv", {"row 3|on_air_date|bad_date|error"}},
        {"stations_on_air_without_date.csv", {"row 3|on_air_date|on_air_without_date|error"}},
        {"stations_off_air_before_on_air.csv",
         {"row 3|off_air_date|off_air_before_on_air|error"}},
        {"stations_bad_azimuth.csv", {"row 3|azimuth_deg|azimuth_out_of_range|error"}},
        {"stations_bad_beamwidth.csv", {"row 3|beamwidth_deg|beamwidth_out_of_range|error"}},
        {"stations_bad_height.csv", {"row 3|height_m|height_out_of_range|error"}},
        {"stations_absurd_eirp.csv", {"row 3|eirp_dbm|eirp_out_of_range|error"}},
        {"stations_bad_freq.csv", {"row 3|freq_mhz|freq_out_of_range|error"}},
        {"stations_unknown_tech.csv", {"row 3|tech|unknown_tech|error"}},
        {"stations_bad_status.csv", {"row 3|status|bad_status|error"}},
        {"stations_unknown_operator.csv", {"row 3|operator|unknown_operator|error"}},
        {"stations_missing_lonlat_columns.csv", {"-|lon/lat|missing_column|error"}},
        {"stations_utm_without_crs.csv", {"-||crs_missing|error"}},
    };
    for (const auto& [name, expected] : cases) {
        CAPTURE(name);
        std::size_t cells = 0;
        CHECK(station_problems(name, std::nullopt, &cells) == expected);
        // Only the good row 2 survives (none when the whole file is unusable).
        const bool whole_file = expected.front().rfind("-|", 0) == 0;
        CHECK(cells == (whole_file ? 0u : 1u));
    }
}

TEST_CASE("stations: --operator rejects other operators' rows and fills missing ones") {
    CHECK(station_problems("stations_other_operator.csv", std::string{"VTL"}) ==
          Lines{"row 3|operator|other_operator|error"});
    CHECK(station_problems("stations_other_operator.csv").empty()); // without --operator both rows are fine
    CHECK(station_problems("stations_other_operator.csv", std::string{"XX"}) ==
          Lines{"-|operator|unknown_operator|error", "row 2|operator|other_operator|error",
                "row 3|operator|other_operator|error"});
}

TEST_CASE("stations: the mini campaign's good files, values as given") {
    Diagnostics diagnostics;
    const auto cells = ingest::read_station_files(mini_campaign().stations, mini_campaign(), {}, diagnostics);
    CHECK(described(diagnostics).empty());
    REQUIRE(cells.size() == 5);
    CHECK(cells[0].key() == "VTL/HG001/1");
    CHECK(cells[0].position.x() == 104.705);
    CHECK(cells[0].position.y() == 22.605);
    CHECK(cells[0].azimuth_deg == 0.0);
    CHECK(cells[0].on_air_date->iso() == "2022-06-10");
    CHECK(cells[0].source == Location{"stations.csv", 2, {}, {}});
    REQUIRE(cells[0].extra.size() == 1);
    CHECK(cells[0].extra[0] == std::pair<std::string, std::string>{"vendor", "Ericsson"});
    // Omni 2G cell without status: on air because it has an on-air date; radio fields left empty.
    CHECK(cells[2].key() == "VTL/HG002/");
    CHECK(cells[2].tech == Tech::g2);
    CHECK(cells[2].status == CellStatus::on_air);
    CHECK(cells[2].is_omni());
    CHECK_FALSE(cells[2].beamwidth_deg);
    CHECK(cells[3].status == CellStatus::building);
    CHECK_FALSE(cells[3].freq_mhz);
    // GeoJSON: Point geometry, LTE alias, FID location.
    CHECK(cells[4].key() == "VNP/LC001/A");
    CHECK(cells[4].tech == Tech::g4);
    CHECK(cells[4].position.x() == 103.26);
    CHECK(cells[4].source == Location{"stations_vnp.geojson", {}, {}, 0});
}

TEST_CASE("stations: a cell key repeated in a second file is an error there") {
    Diagnostics diagnostics;
    std::vector<std::size_t> counts;
    const auto files = std::vector<std::filesystem::path>{data("mini/stations.csv"), data("bad/stations_bad_height.csv"),
                                                          data("bad/stations_duplicate_cell.csv")};
    ingest::read_station_files(files, mini_campaign(), {}, diagnostics, &counts);
    // VTL/S1/1 (row 2 of both bad files) is first seen in stations_bad_height.csv.
    CHECK(described(diagnostics) == Lines{"row 3|height_m|height_out_of_range|error",
                                          "row 2|site_id/cell_id|duplicate_cell|error",
                                          "row 3|site_id/cell_id|duplicate_cell|error"});
    CHECK(diagnostics.problems()[1].where.file == data("bad/stations_duplicate_cell.csv").string());
    // Both name the first row of the key, in the earlier file.
    CHECK(diagnostics.problems()[1].message == "cell VTL/S1/1 is already listed at stations_bad_height.csv:row 2");
    CHECK(diagnostics.problems()[2].message == "cell VTL/S1/1 is already listed at stations_bad_height.csv:row 2");
    CHECK(counts == std::vector<std::size_t>{4, 1, 0});

    // Within one file, the first row of the key is named the same way.
    Diagnostics one;
    ingest::read_station_files({data("bad/stations_duplicate_cell.csv")}, mini_campaign(), {}, one);
    REQUIRE(one.problems().size() == 1);
    CHECK(one.problems()[0].message == "cell VTL/S1/1 is already listed at stations_duplicate_cell.csv:row 2");
}

TEST_CASE("villages: one rule per fixture") {
    const std::vector<std::pair<std::string, Lines>> cases{
        {"villages_duplicate_id.geojson", {"FID 1|village_id|duplicate_id|error"}},
        {"villages_self_intersecting.geojson", {"FID 1|geometry|geometry_repaired|warning"}},
        {"villages_empty_geometry.geojson",
         {"FID 1|geometry|empty_geometry|error", "FID 2|geometry|empty_geometry|error"}},
        {"villages_missing_name.geojson", {"FID 1|name|missing_value|error"}},
        {"villages_line_geometry.geojson", {"FID 1|geometry|bad_geometry_type|error"}},
        {"villages_bad_population.geojson", {"FID 1|population|bad_number|error"}},
        {"villages_degenerate_polygon.geojson", {"FID 1|geometry|empty_geometry|error"}},
    };
    for (const auto& [name, expected] : cases) {
        CAPTURE(name);
        Diagnostics diagnostics;
        ingest::read_villages(data("bad/" + name), mini_campaign(), diagnostics);
        CHECK(described(diagnostics) == expected);
    }
}

TEST_CASE("villages: a repaired bow tie is valid, counter-clockwise and keeps its area") {
    Diagnostics diagnostics;
    const auto villages = ingest::read_villages(data("bad/villages_self_intersecting.geojson"), mini_campaign(), diagnostics);
    REQUIRE(villages.size() == 2);
    const auto& bow = villages[1].geometry;
    CHECK(boost::geometry::is_valid(bow));
    // Two triangles of 0.02 x 0.01 degrees each: half of the 0.02 x 0.02 square.
    CHECK(bow.size() == 2);
    const double square_m2 = geo::area_m2(villages[0].geometry) * 4.0; // village 0 is 0.01 x 0.01 degrees
    CHECK(geo::area_m2(bow) == doctest::Approx(square_m2 / 2.0).epsilon(0.01));
}

TEST_CASE("villages: the mini villages, a point becomes a disc") {
    Diagnostics diagnostics;
    const auto villages = ingest::read_villages(data("mini/villages.geojson"), mini_campaign(), diagnostics);
    CHECK(described(diagnostics).empty());
    REQUIRE(villages.size() == 3);
    CHECK(villages[0].name == "Bản Phùng");
    CHECK(villages[0].province == "Hà Giang");
    CHECK(villages[0].population == 812.0);
    CHECK(villages[0].households == 164);
    CHECK(villages[0].extra == Attributes{{"source_note", "survey 2021"}});
    CHECK(villages[1].geometry.size() == 2);
    REQUIRE(villages[2].point);
    CHECK(villages[2].point->x() == 103.25);
    CHECK(geo::area_m2(villages[2].geometry) == doctest::Approx(3.14159265 * 500.0 * 500.0).epsilon(0.001));
    for (const auto& village : villages) {
        CHECK(boost::geometry::is_valid(village.geometry));
    }
}

TEST_CASE("commitments: one rule per fixture, checked against the mini villages") {
    Diagnostics village_problems;
    const auto villages = ingest::read_villages(data("mini/villages.geojson"), mini_campaign(), village_problems);
    const std::vector<std::pair<std::string, Lines>> cases{
        {"commitments_unknown_village.csv", {"row 3|village_id|unknown_village|error"}},
        {"commitments_unknown_operator.csv", {"row 3|operator|unknown_operator|error"}},
        {"commitments_bad_date.csv", {"row 3|deadline|bad_date|error"}},
        {"commitments_duplicate.csv", {"row 3|village_id|duplicate_commitment|error"}},
        {"commitments_missing_deadline.csv", {"row 3|deadline|missing_value|error"}},
        {"commitments_missing_deadline_column.csv", {"-|deadline|missing_column|error"}},
    };
    for (const auto& [name, expected] : cases) {
        CAPTURE(name);
        Diagnostics diagnostics;
        const auto commitments = ingest::read_commitments(data("bad/" + name), mini_campaign(), &villages, diagnostics);
        CHECK(described(diagnostics) == expected);
        CHECK(commitments.size() == (expected.front().rfind("-|", 0) == 0 ? 0u : 1u));
    }
    // Without villages, an unknown village id cannot be detected.
    Diagnostics diagnostics;
    ingest::read_commitments(data("bad/commitments_unknown_village.csv"), mini_campaign(), nullptr, diagnostics);
    CHECK(described(diagnostics).empty());
}

TEST_CASE("read_inputs: the whole mini campaign") {
    Diagnostics diagnostics;
    const auto inputs = ingest::read_inputs(mini_campaign(), {}, diagnostics);
    CHECK(described(diagnostics).empty());
    CHECK(inputs.villages.size() == 3);
    REQUIRE(inputs.commitments.size() == 4);
    CHECK(inputs.commitments[2].operator_code == "MBF");
    CHECK(inputs.commitments[2].deadline.iso() == "2022-07-30");
    CHECK_FALSE(inputs.commitments[2].registered_on);
    CHECK(inputs.commitments[0].note == "first wave"); // a known field since the delays issue
    CHECK(inputs.commitments[0].extra.empty());
    CHECK(inputs.cells.size() == 5);
}

TEST_CASE("missing files are input problems, not crashes") {
    Diagnostics diagnostics;
    ingest::InputFiles files;
    files.villages = data("bad/nope.geojson");
    files.stations = {data("bad/nope.csv")};
    const auto inputs = ingest::read_inputs(mini_campaign(), files, diagnostics);
    // The campaign's commitments are still read, but not checked against villages that could
    // not be read (that would flag every one of them).
    CHECK(described(diagnostics) == Lines{"-||file_not_found|error", "-||file_not_found|error"});
    CHECK(inputs.commitments.size() == 4);
}

TEST_CASE("read_inputs: problems in file order, though the stations are read beside the villages") {
    // The mini campaign has an area_bbox, so its station files are read on a second thread;
    // their problems still come after the villages' and the commitments'.
    REQUIRE(mini_campaign().area);
    for (int run = 0; run < 20; ++run) {
        Diagnostics diagnostics;
        ingest::InputFiles files;
        files.villages = data("bad/nope.geojson");
        files.commitments = data("bad/commitments_bad_date.csv");
        files.stations = {data("bad/nope.csv")};
        const auto inputs = ingest::read_inputs(mini_campaign(), files, diagnostics);
        REQUIRE(described(diagnostics) ==
                Lines{"-||file_not_found|error", "row 3|deadline|bad_date|error", "-||file_not_found|error"});
        CHECK(diagnostics.problems()[0].where.file.find("nope.geojson") != std::string::npos);
        CHECK(diagnostics.problems()[2].where.file.find("nope.csv") != std::string::npos);
        CHECK(inputs.cells.empty());
    }
}
