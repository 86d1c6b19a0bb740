// Inputs found by the fuzzers (fuzz/, docs/hardening.md), reduced by hand to one small file each
// under tests/data/bad/: each must now give ordinary problems, never a crash.
#include "ingest_support.hpp"

using deadzone::Diagnostics;
using deadzone::test::data;
using deadzone::test::described;
using deadzone::test::mini_campaign;

TEST_CASE("fuzz regression: a lon column without a lat column (a WKT column present)") {
    // fuzz_table_csv: the lat label was read from column -1 (out of bounds) when the row had a
    // lon value, an empty WKT and no lat column at all.
    Diagnostics diagnostics;
    const auto cells = deadzone::ingest::read_stations(data("bad/stations_lon_without_lat_column.csv"),
                                                       mini_campaign(), {}, diagnostics);
    CHECK(described(diagnostics) == std::vector<std::string>{"row 2|lat|missing_value|error"});
    REQUIRE(cells.size() == 1);
    CHECK(cells[0].site_id == "S2");
}

TEST_CASE("fuzz regression: a JSON number beyond double's range in campaign.json") {
    // fuzz_campaign: nlohmann::json throws out_of_range (not parse_error) for 1e400; it escaped
    // load_campaign as a raw library exception instead of an InputError naming the file.
    try {
        (void)deadzone::ingest::load_campaign(data("bad/campaign_number_overflow.json"));
        FAIL("expected an InputError");
    } catch (const deadzone::InputError& e) {
        CHECK(described(e.problems()) == std::vector<std::string>{"-||bad_json|error"});
        CHECK(e.problems().at(0).where.file.find("campaign_number_overflow.json") != std::string::npos);
    }
}
