// The footprint cache: a cell computed once is copied afterwards, bit for bit what the model
// makes; any change to a value its footprint depends on (or to the campaign key) recomputes it;
// analyses of a store with and without the cache give the same report.
#include <deadzone/geo/types.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/pipeline/pipeline.hpp>
#include <deadzone/pipeline/store_analysis.hpp>
#include <deadzone/store/store.hpp>

#include <boost/geometry.hpp>
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>

using namespace deadzone;
namespace fs = std::filesystem;

namespace {

const fs::path mini = fs::path{DEADZONE_TEST_DATA} / "mini";

Cell cell(const char* site, double lon, double lat, std::optional<double> azimuth) {
    Cell c;
    c.operator_code = "VTL";
    c.site_id = site;
    c.cell_id = "1";
    c.position = geo::Point{lon, lat};
    c.tech = Tech::g4;
    c.status = CellStatus::on_air;
    c.on_air_date = Date::parse("2022-06-10");
    c.azimuth_deg = azimuth;
    return c;
}

std::string wkt(const geo::MultiPolygon& shape) {
    std::ostringstream out;
    out.precision(17);
    out << boost::geometry::wkt(shape);
    return out.str();
}

void check_same(const std::vector<model::Footprint>& a, const std::vector<model::Footprint>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].cell == i);
        CHECK(b[i].cell == i);
        CHECK(a[i].shape.folded() == b[i].shape.folded());
        CHECK(wkt(a[i].shape.unfolded()) == wkt(b[i].shape.unfolded()));
        CHECK(a[i].area_km2 == b[i].area_km2);
    }
}

} // namespace

TEST_CASE("footprint cache: computed once, then copied bit for bit; a changed value recomputes") {
    const Campaign campaign = ingest::load_campaign(mini / "campaign.json");
    std::vector<Cell> cells{cell("S1", 104.705, 22.605, std::nullopt), cell("S2", 104.72, 22.61, 120.0),
                            cell("S3", 104.69, 22.59, 240.0)};
    const auto factory = model::make_model_factory(campaign);
    const auto direct = model::build_footprints(cells, campaign, factory);

    pipeline::FootprintCache cache;
    check_same(cache.build(cells, campaign, "campaign A", factory, {}), direct);
    CHECK(cache.stats().computed == 3);
    CHECK(cache.stats().hits == 0);

    // The same cells again, in another order and with a fourth: only the new one is computed,
    // and each footprint says its own index.
    std::vector<Cell> more{cells[2], cells[0], cell("S4", 104.70, 22.62, std::nullopt), cells[1]};
    const auto again = cache.build(more, campaign, "campaign A", factory, {});
    check_same(again, model::build_footprints(more, campaign, factory));
    CHECK(cache.stats().computed == 4);
    CHECK(cache.stats().hits == 3);

    // A value the footprint depends on: recomputed; a date is not one of them.
    auto changed = cells;
    changed[0].height_m = 45.0;
    changed[1].off_air_date = Date::parse("2022-07-01");
    check_same(cache.build(changed, campaign, "campaign A", factory, {}), model::build_footprints(changed, campaign, factory));
    CHECK(cache.stats().computed == 5);
    CHECK(cache.stats().hits == 5);

    // Another campaign key: nothing is shared.
    cache.build(cells, campaign, "campaign B", factory, {});
    CHECK(cache.stats().computed == 8);
}

TEST_CASE("footprint cache: entries the latest call did not use are dropped past twice its size") {
    const Campaign campaign = ingest::load_campaign(mini / "campaign.json");
    const auto factory = model::make_model_factory(campaign);
    pipeline::FootprintCache cache;
    std::vector<Cell> first;
    for (int i = 0; i < 6; ++i) {
        first.push_back(cell(("A" + std::to_string(i)).c_str(), 104.6 + 0.01 * i, 22.6, std::nullopt));
    }
    cache.build(first, campaign, "k", factory, {});
    CHECK(cache.size() == 6);
    const std::vector<Cell> second{cell("B0", 104.5, 22.5, std::nullopt), cell("B1", 104.51, 22.5, std::nullopt)};
    cache.build(second, campaign, "k", factory, {});
    CHECK(cache.size() == 2); // 8 > 2 × 2: the six unused ones go
}

TEST_CASE("footprint cache: a store's analyses with the cache report what they report without it") {
    std::random_device device;
    const auto dir = fs::temp_directory_path() / ("deadzone-fpcache-" + std::to_string(device()));
    fs::create_directories(dir);
    const auto store_file = dir / "mini.gpkg";
    {
        auto init = store::init_store(store_file, mini / "campaign.json");
        const auto stations = dir / "vtl.csv";
        std::ofstream{stations} << "operator,site_id,cell_id,lon,lat,tech,status,on_air_date\n"
                                   "VTL,S1,1,104.705,22.605,4G,on_air,2022-06-10\n"
                                   "VTL,S2,1,104.715,22.600,4G,on_air,2022-07-10\n";
        store::import_stations(*init.store, stations, "VTL");
    }
    auto cache = std::make_shared<pipeline::FootprintCache>();
    for (const char* as_of : {"2022-06-30", "2022-07-30"}) {
        pipeline::StoreAnalysisOptions options;
        options.store = store_file.string();
        options.as_of = *Date::parse(as_of);
        const auto plain = pipeline::report_json(pipeline::analyze_store(options)).dump(2);
        options.footprint_cache = cache;
        CHECK(pipeline::report_json(pipeline::analyze_store(options)).dump(2) == plain);
    }
    CHECK(cache->stats().computed == 2); // the second date took both from the cache
    CHECK(cache->stats().hits == 2);
    std::error_code ec;
    fs::remove_all(dir, ec);
}
