#include "fixtures.hpp"

#include <deadzone/core/error.hpp>
#include <deadzone/overlay/overlay.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <sstream>

using namespace deadzone;
using namespace deadzone::overlay::testing;
namespace bg = boost::geometry;

namespace {

struct Scenario {
    std::vector<Village> villages;
    std::vector<Cell> cells;
    std::vector<model::Footprint> footprints;
};

/// Seeded random villages (discs and rectangles) and cells (omni discs and sectors) in a
/// 0.4 x 0.4 degree box, with assorted statuses and dates.
Scenario random_scenario(unsigned seed, int villages, int cells) {
    std::mt19937 rng(seed);
    auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
    Scenario s;
    for (int i = 0; i < villages; ++i) {
        const geo::Point centre{uniform(104.0, 104.4), uniform(18.0, 18.4)};
        geo::Polygon shape = i % 3 == 0
                                 ? rectangle(centre.x(), centre.y(), centre.x() + uniform(0.004, 0.015),
                                             centre.y() + uniform(0.004, 0.015), 10)
                                 : geo::disc(centre, uniform(300.0, 900.0), 64);
        s.villages.push_back(village("V" + std::to_string(i), shape));
    }
    const char* operators[] = {"VTL", "VNP", "MBF"};
    for (int i = 0; i < cells; ++i) {
        const geo::Point site{uniform(104.0, 104.4), uniform(18.0, 18.4)};
        const int day_offset = static_cast<int>(uniform(0, 200));
        const Date on = day("2022-03-01") + day_offset;
        Cell c;
        switch (i % 5) {
        case 0: c = cell(operators[i % 3], "S" + std::to_string(i), std::nullopt, std::nullopt, CellStatus::planned); break;
        case 1: c = cell(operators[i % 3], "S" + std::to_string(i), on, on + 40); break;
        default: c = cell(operators[i % 3], "S" + std::to_string(i), on); break;
        }
        const double radius_m = uniform(1500.0, 6000.0);
        const auto polygon = i % 2 == 0 ? geo::disc(site, radius_m, 72)
                                        : sector(site, uniform(0.0, 360.0), 120.0, radius_m, 40);
        s.cells.push_back(c);
        s.footprints.push_back(footprint(static_cast<std::size_t>(i), polygon));
    }
    return s;
}

/// The reference: every village against every footprint, unions built one by one, areas from
/// PROJ's geodesic polygon area.
struct Reference {
    std::map<std::string, std::vector<std::size_t>> cells;
    std::map<std::string, double> fraction;
    double any_fraction = 0.0;
};

Reference brute_force(const Scenario& s, std::size_t v, Date as_of) {
    Reference ref;
    const auto& shape = s.villages[v].geometry;
    const double area = geo::area_m2(shape);
    std::map<std::string, geo::MultiPolygon> covered;
    geo::MultiPolygon any;
    for (std::size_t f = 0; f < s.footprints.size(); ++f) {
        const auto& fp = s.footprints[f];
        const auto fp_shape = fp.shape.unfolded();
        if (!bg::intersects(shape, fp_shape)) {
            continue;
        }
        const auto& c = s.cells[fp.cell];
        ref.cells[c.operator_code].push_back(fp.cell);
        if (!c.in_service(as_of)) {
            continue;
        }
        geo::MultiPolygon clip;
        bg::intersection(shape, fp_shape, clip);
        geo::MultiPolygon merged;
        bg::union_(covered[c.operator_code], clip, merged);
        covered[c.operator_code] = merged;
        geo::MultiPolygon merged_any;
        bg::union_(any, clip, merged_any);
        any = merged_any;
    }
    for (const auto& [code, cells] : ref.cells) {
        ref.fraction[code] = geo::area_m2(covered[code]) / area;
    }
    ref.any_fraction = geo::area_m2(any) / area;
    return ref;
}

std::string wkt(const geo::MultiPolygon& shape) {
    std::ostringstream out;
    out.precision(17);
    out << bg::wkt(shape);
    return out.str();
}

} // namespace

TEST_CASE("the rtree path agrees with an all-pairs overlay on random data") {
    const auto s = random_scenario(20220630, 60, 90);
    const Date as_of = day("2022-06-30");
    const auto result = overlay::run_overlay(s.villages, s.cells, s.footprints, campaign(), as_of);
    REQUIRE(result.villages.size() == s.villages.size());
    int touched = 0;
    int partial = 0;
    for (std::size_t v = 0; v < s.villages.size(); ++v) {
        CAPTURE(v);
        const auto ref = brute_force(s, v, as_of);
        const auto& got = result.villages[v];
        REQUIRE(got.operators.size() == ref.cells.size());
        for (const auto& entry : got.operators) {
            CAPTURE(entry.operator_code);
            REQUIRE(ref.cells.count(entry.operator_code) == 1);
            CHECK(entry.cells == ref.cells.at(entry.operator_code));
            // PROJ's geodesic area sums per-edge areas measured from the equator, so for a
            // 1 km^2 polygon its own rounding is about 1e-6 relative: 2e-5 is tight, yet a
            // missed footprint or a wrong date moves a fraction by far more.
            CHECK(std::fabs(entry.fraction - ref.fraction.at(entry.operator_code)) < 2e-5);
            CHECK(entry.potential_fraction >= entry.fraction - 1e-12);
            partial += entry.fraction > 0.0 && entry.fraction < 1.0;
        }
        CHECK(std::fabs(got.any_fraction - ref.any_fraction) < 2e-5);
        CHECK(got.gap_km2 == doctest::Approx(got.area_km2 * (1 - got.any_fraction)).epsilon(1e-6).scale(got.area_km2));
        touched += !got.operators.empty();
    }
    // The data must exercise the interesting cases, or the comparison proves little.
    CHECK(touched > 20);
    CHECK(partial > 5);
}

TEST_CASE("results do not depend on the number of threads") {
    const auto s = random_scenario(7, 80, 70);
    const Date as_of = day("2022-07-30");
    overlay::Options one;
    one.threads = 1;
    overlay::Options two;
    two.threads = 2;
    const auto a = overlay::run_overlay(s.villages, s.cells, s.footprints, campaign(), as_of, one);
    const auto b = overlay::run_overlay(s.villages, s.cells, s.footprints, campaign(), as_of, two);
    REQUIRE(a.villages.size() == b.villages.size());
    for (std::size_t v = 0; v < a.villages.size(); ++v) {
        CAPTURE(v);
        const auto& x = a.villages[v];
        const auto& y = b.villages[v];
        CHECK(x.area_km2 == y.area_km2);
        CHECK(x.any_fraction == y.any_fraction);
        CHECK(x.gap_km2 == y.gap_km2);
        CHECK(wkt(x.gap) == wkt(y.gap));
        REQUIRE(x.operators.size() == y.operators.size());
        for (std::size_t o = 0; o < x.operators.size(); ++o) {
            CHECK(x.operators[o].operator_code == y.operators[o].operator_code);
            CHECK(x.operators[o].fraction == y.operators[o].fraction);
            CHECK(x.operators[o].potential_fraction == y.operators[o].potential_fraction);
            CHECK(x.operators[o].cells == y.operators[o].cells);
            REQUIRE(x.operators[o].covered_periods.size() == y.operators[o].covered_periods.size());
            for (std::size_t p = 0; p < x.operators[o].covered_periods.size(); ++p) {
                CHECK(x.operators[o].covered_periods[p].from == y.operators[o].covered_periods[p].from);
                CHECK(x.operators[o].covered_periods[p].to == y.operators[o].covered_periods[p].to);
            }
        }
    }
}

TEST_CASE("progress comes from one thread, ends at 1, and can cancel") {
    const auto s = random_scenario(11, 40, 30);
    std::vector<double> seen;
    const Progress progress{[&](double fraction, std::string_view) {
        seen.push_back(fraction);
        return true;
    }};
    overlay::Options options;
    options.threads = 2;
    overlay::run_overlay(s.villages, s.cells, s.footprints, campaign(), day("2022-06-30"), options, progress);
    REQUIRE(!seen.empty());
    CHECK(seen.back() == 1.0);
    CHECK(std::is_sorted(seen.begin(), seen.end()));

    const Progress cancel{[](double, std::string_view) { return false; }};
    CHECK_THROWS_AS(overlay::run_overlay(s.villages, s.cells, s.footprints, campaign(), day("2022-06-30"),
                                         options, cancel),
                    Cancelled);
}

TEST_CASE("covered_fraction (the generator's question) gives run_overlay's potential fractions") {
    const auto s = random_scenario(20220730, 60, 90);
    const auto result = overlay::run_overlay(s.villages, s.cells, s.footprints, campaign(), day("2022-07-30"));
    int partial = 0;
    for (std::size_t v = 0; v < s.villages.size(); ++v) {
        for (const auto& entry : result.villages[v].operators) {
            CAPTURE(v);
            CAPTURE(entry.operator_code);
            // Every listed cell of the operator, in cell order, as the overlay unites them.
            std::vector<geo::MultiPolygon> unfolded;
            for (std::size_t c = 0; c < s.cells.size(); ++c) {
                if (s.cells[c].operator_code == entry.operator_code) {
                    unfolded.push_back(s.footprints[c].shape.unfolded());
                }
            }
            std::vector<const geo::MultiPolygon*> shapes;
            for (const auto& shape : unfolded) shapes.push_back(&shape);
            const double fraction = overlay::covered_fraction(s.villages[v].geometry, shapes);
            // The same clips; when every cell is permanent the overlay keeps the fraction its
            // date sweep reached, whose union grew in date order, so rounding may differ (by
            // 1.8e-10 at most here, within the rule's 1e-9 tolerance).
            CHECK(std::fabs(fraction - entry.potential_fraction) < 1e-9);
            partial += fraction > 0.0 && fraction < 1.0;
        }
    }
    CHECK(partial > 5);
}
