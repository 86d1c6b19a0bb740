// The propagation seam: a fake FootprintModel plugged into build_footprints through a factory.
// It proves that (1) the factory is called once per worker thread, before the work, and each
// model is used by one thread only (the per-thread contract), (2) a footprint may be a
// MultiPolygon with a hole and an island, and the overlay honours both: a village inside the
// hole is not covered, one on the island is.
#include <deadzone/model/footprint.hpp>
#include <deadzone/overlay/overlay.hpp>

#include <boost/geometry/algorithms/correct.hpp>
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

using namespace deadzone;

namespace {

geo::Ring square(double x0, double y0, double size) {
    return geo::Ring{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}};
}

// A 0.2° square around the cell with a 0.06° hole in its middle (a shadow) and a 0.04° island
// east of it (a lit slope beyond the ridge). Records which thread used which instance.
class FakeModel final : public model::FootprintModel {
public:
    FakeModel(std::mutex& mutex, std::set<std::pair<const void*, std::thread::id>>& uses)
        : m_mutex(mutex), m_uses(uses) {}

    geo::MultiPolygon footprint(const Cell& cell, const model::RadioParams&) override {
        ++m_calls; // unsynchronised on purpose: the contract says one thread per instance
        {
            const std::lock_guard lock(m_mutex);
            m_uses.emplace(this, std::this_thread::get_id());
        }
        const double x = cell.position.x();
        const double y = cell.position.y();
        geo::Polygon main;
        main.outer() = square(x - 0.1, y - 0.1, 0.2);
        main.inners().push_back(square(x - 0.03, y - 0.03, 0.06));
        geo::Polygon island;
        island.outer() = square(x + 0.15, y - 0.02, 0.04);
        geo::MultiPolygon shape{main, island};
        boost::geometry::correct(shape);
        return shape;
    }

private:
    std::mutex& m_mutex;
    std::set<std::pair<const void*, std::thread::id>>& m_uses;
    int m_calls = 0;
};

Village disc_village(const std::string& id, double lon, double lat) {
    Village v;
    v.id = id;
    v.name = id;
    v.province = "P";
    geo::Polygon p;
    p.outer() = square(lon - 0.005, lat - 0.005, 0.01);
    boost::geometry::correct(p);
    v.geometry = geo::MultiPolygon{p};
    return v;
}

} // namespace

TEST_CASE("model seam: one fake model per thread, MultiPolygon footprints with a hole and an island") {
    Campaign campaign;
    campaign.operators.push_back(Operator{"VTL", "Viettel", {"452-04"}, "#d7191c"});
    campaign.radio_defaults[Tech::g4] = RadioDefaults{};
    std::vector<Cell> cells;
    for (int i = 0; i < 600; ++i) {
        Cell c;
        c.operator_code = "VTL";
        c.site_id = "S" + std::to_string(i);
        c.cell_id = "1";
        c.tech = Tech::g4;
        c.position = geo::Point{104.0 + 0.5 * (i % 30), 20.0 + 0.5 * (i / 30)};
        c.on_air_date = *Date::parse("2022-01-01");
        cells.push_back(c);
    }
    std::mutex mutex;
    std::set<std::pair<const void*, std::thread::id>> uses;
    std::atomic<int> made{0};
    const model::FootprintModelFactory factory = [&] {
        ++made;
        return std::make_unique<FakeModel>(mutex, uses);
    };
    const auto fps = model::build_footprints(cells, campaign, factory, model::FootprintOptions{2});
    CHECK(made == 2); // once per worker, not once per cell
    // Each instance was used by exactly one thread.
    std::set<const void*> instances;
    for (const auto& [instance, thread] : uses) {
        CHECK(instances.insert(instance).second);
    }
    REQUIRE(fps.size() == cells.size());
    for (std::size_t i = 0; i < fps.size(); ++i) {
        CHECK(fps[i].cell == i);
        const auto shape = fps[i].shape.unfolded();
        REQUIRE(shape.size() == 2);
        CHECK(shape[0].inners().size() == 1);
        CHECK(fps[i].box.max_corner().x() == doctest::Approx(cells[i].position.x() + 0.19));
    }
    // Area: the square minus the hole plus the island, 0.04 - 0.0036 + 0.0016 = 0.038
    // deg², at ~20° N about 0.038 × 111.32 × 110.6 × cos(20°) km² (within 1 %).
    const double deg2_km2 = 111.32 * 110.6 * std::cos(20.0 * 3.14159265358979 / 180.0);
    CHECK(fps[0].area_km2 == doctest::Approx(0.038 * deg2_km2).epsilon(0.01));

    // The overlay: a village in the shadow of cell 0 is not covered, one on its island is, one
    // on the lit ring is.
    const double x = cells[0].position.x();
    const double y = cells[0].position.y();
    const std::vector<Village> villages{disc_village("shadow", x, y), disc_village("island", x + 0.17, y),
                                        disc_village("ring", x + 0.07, y)};
    const auto result = overlay::run_overlay(villages, cells, fps, campaign, *Date::parse("2022-06-30"));
    CHECK(result.villages[0].any_fraction == doctest::Approx(0.0));
    CHECK(result.villages[1].any_fraction == doctest::Approx(1.0));
    CHECK(result.villages[2].any_fraction == doctest::Approx(1.0));
}
