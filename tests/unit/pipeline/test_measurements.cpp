// Field measurements worked by hand: verdicts from sample counts (25 samples with 23 at -100 dBm
// and 2 at -120 dBm against a -110 dBm threshold: share 0.92, confirmed at 0.9), the window, the
// commitment statuses under each coverage_rule.evidence, ARCEP's reliability, and a calibration
// offset recovered from samples generated with a known bias.
#include <deadzone/core/source.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/overlay/measurements.hpp>
#include <deadzone/pipeline/pipeline.hpp>
#include <deadzone/track/measurements.hpp>

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace deadzone;

namespace {

Date day(const char* iso) { return *Date::parse(iso); }

constexpr double lat0 = 21.0;
double lon_of(int k) { return 105.0 + 0.1 * k; }

Village square_village(const std::string& id, const std::string& province, int k) {
    Village v;
    v.id = id;
    v.name = "Bản " + id;
    v.province = province;
    const double lon = lon_of(k);
    const double h = 0.004;
    geo::Polygon square;
    square.outer() = {{lon - h, lat0 - h}, {lon + h, lat0 - h}, {lon + h, lat0 + h}, {lon - h, lat0 + h}, {lon - h, lat0 - h}};
    v.geometry.push_back(square);
    v.source = source_location("test:" + id);
    return v;
}

Cell fixed_cell(const std::string& op, const std::string& site, double lon, double lat) {
    Cell c;
    c.operator_code = op;
    c.site_id = site;
    c.position = {lon, lat};
    c.tech = Tech::g4;
    c.status = CellStatus::on_air;
    c.on_air_date = day("2022-06-01");
    c.range_m = 3000.0;
    c.source = source_location("test:" + site);
    return c;
}

/// `count` samples of `op` inside village k (spread over its square), at `level_dbm`.
void add_samples(std::vector<Sample>& samples, const std::string& op, int k, int count, double level_dbm,
                 const char* date = "2022-07-10", double offset_deg = 0.0) {
    for (int i = 0; i < count; ++i) {
        Sample s;
        s.position = {lon_of(k) - 0.003 + 0.006 * (i % 7) / 6.0 + offset_deg, lat0 - 0.003 + 0.006 * (i % 5) / 4.0};
        s.day = day(date);
        s.time = std::string{date} + "T09:00:00+07:00";
        s.operator_code = op;
        s.tech = Tech::g4;
        s.level_dbm = level_dbm;
        s.source = source_location("test:" + std::to_string(samples.size() + 2));
        samples.push_back(s);
    }
}

Commitment commitment(const std::string& village, const std::string& op, const char* deadline) {
    Commitment c;
    c.village_id = village;
    c.operator_code = op;
    c.deadline = day(deadline);
    c.source = source_location("test:" + village);
    return c;
}

/// Villages v1..v6 (v1-v3 in Lào Cai, v4-v6 in Hà Giang); operator A has a 3 km cell on air
/// from 2022-06-01 over every village but v5; B has none.
///   v1: 25 A samples, 23 at -100, 2 at -120 -> 0.92   confirmed
///   v2: 30 A samples, 28 at -100, 2 at -120 -> 0.933  confirmed
///   v3: 19 A samples at -100 (+5 from May, outside the 30-day window) -> unmeasured
///   v4: 20 A samples, 17 at -100, 3 at -120 -> 0.85   contradicted
///   v5: 20 A samples at -100, no A cell -> unpredicted; 20 B samples at -120 -> not_covered
///   v6: 20 A samples, 10 at -100 -> 0.5 contradicted (deadline in August)
/// plus 4 A samples at -100 outside every village but inside v1's cell, and one A sample on
/// 2022-07-20, after the as-of date.
struct Scenario {
    Campaign campaign = ingest::default_campaign();
    ingest::Inputs inputs;

    explicit Scenario(Evidence evidence) {
        campaign.name = "measurements test";
        campaign.operators = {{"A", "Operator A", {"452-90"}, "#d7191c"}, {"B", "Operator B", {"452-91"}, "#2b83ba"}};
        campaign.coverage_rule.evidence = evidence;
        campaign.coverage_rule.measurement.window_days = 30;
        campaign.coverage_rule.measurement.threshold_dbm[Tech::g4] = -110.0;
        campaign.measurements = {"test-measurements.csv"};
        const char* provinces[] = {"Lào Cai", "Lào Cai", "Lào Cai", "Hà Giang", "Hà Giang", "Hà Giang"};
        for (int k = 0; k < 6; ++k) {
            inputs.villages.push_back(square_village("v" + std::to_string(k + 1), provinces[k], k));
            if (k != 4) {
                inputs.cells.push_back(fixed_cell("A", "S" + std::to_string(k + 1), lon_of(k), lat0));
            }
        }
        for (const char* v : {"v1", "v2", "v3", "v4", "v5"}) {
            inputs.commitments.push_back(commitment(v, "A", "2022-06-30"));
        }
        inputs.commitments.push_back(commitment("v6", "A", "2022-08-30"));
        auto& s = inputs.samples;
        add_samples(s, "A", 0, 23, -100.0);
        add_samples(s, "A", 0, 2, -120.0);
        add_samples(s, "A", 1, 28, -100.0);
        add_samples(s, "A", 1, 2, -120.0);
        add_samples(s, "A", 2, 19, -100.0);
        add_samples(s, "A", 2, 5, -100.0, "2022-05-01");
        add_samples(s, "A", 3, 17, -100.0);
        add_samples(s, "A", 3, 3, -120.0);
        add_samples(s, "A", 4, 20, -100.0);
        add_samples(s, "B", 4, 20, -120.0);
        add_samples(s, "A", 5, 10, -100.0);
        add_samples(s, "A", 5, 10, -120.0);
        add_samples(s, "A", 0, 4, -100.0, "2022-07-10", 0.015); // ~1.6 km east of v1: no village
        add_samples(s, "A", 0, 1, -100.0, "2022-07-20");        // after the as-of date
    }

    Analysis run() const { return pipeline::analyze(campaign, inputs, day("2022-07-15")); }
};

std::vector<std::string> verdict_lines(const Analysis& a) {
    std::vector<std::string> out;
    for (const auto& v : a.measurements.verdicts) {
        out.push_back(a.villages[v.village].id + " " + v.operator_code + " " + std::to_string(v.samples) + "/" +
                      std::to_string(v.at_threshold) + " " + track::to_string(v.verdict));
    }
    return out;
}

std::vector<std::string> status_lines(const Analysis& a) {
    std::vector<std::string> out;
    for (const auto& r : a.tracking.commitments) {
        out.push_back(a.commitments[r.commitment].village_id + " " + track::to_string(r.status) +
                      (r.covered_on ? " " + r.covered_on->iso() : ""));
    }
    return out;
}

} // namespace

TEST_CASE("measurements: verdicts per village and operator, worked by hand") {
    const auto a = Scenario(Evidence::prediction).run();
    CHECK(verdict_lines(a) == std::vector<std::string>{
                                  "v1 A 25/23 confirmed", "v2 A 30/28 confirmed", "v3 A 19/19 unmeasured",
                                  "v4 A 20/17 contradicted", "v5 A 20/20 unpredicted", "v5 B 20/0 not_covered",
                                  "v6 A 20/10 contradicted"});
    const auto* v1 = a.measurements.find(0, "A");
    REQUIRE(v1 != nullptr);
    CHECK(v1->share == doctest::Approx(0.92));
    CHECK(a.measurements.samples == 164);
    CHECK(a.measurements.samples_counted == 158);    // 5 from May and 1 after the as-of date left out
    CHECK(a.measurements.samples_in_villages == 154); // 4 lie outside every village
    CHECK(a.measured.window_first_day == day("2022-06-16"));
    // Evidence `prediction`: the samples change no status.
    CHECK(status_lines(a) == std::vector<std::string>{"v1 covered 2022-06-01", "v2 covered 2022-06-01",
                                                      "v3 covered 2022-06-01", "v4 covered 2022-06-01",
                                                      "v5 overdue", "v6 covered 2022-06-01"});
}

TEST_CASE("measurements: without a window the May samples count and v3 is confirmed") {
    Scenario scenario(Evidence::prediction);
    scenario.campaign.coverage_rule.measurement.window_days.reset();
    const auto a = scenario.run();
    const auto* v3 = a.measurements.find(2, "A");
    REQUIRE(v3 != nullptr);
    CHECK(v3->samples == 24);
    CHECK(v3->verdict == track::MeasuredVerdict::confirmed);
}

TEST_CASE("measurements: min_samples and share are the campaign's") {
    Scenario scenario(Evidence::prediction);
    scenario.campaign.coverage_rule.measurement.min_samples = 19;
    scenario.campaign.coverage_rule.measurement.share = 0.95;
    const auto a = scenario.run();
    CHECK(verdict_lines(a) == std::vector<std::string>{
                                  "v1 A 25/23 contradicted", "v2 A 30/28 contradicted", "v3 A 19/19 confirmed",
                                  "v4 A 20/17 contradicted", "v5 A 20/20 unpredicted", "v5 B 20/0 not_covered",
                                  "v6 A 20/10 contradicted"});
}

TEST_CASE("measurements: evidence `both` turns contradicted covered commitments into overdue or pending") {
    const auto a = Scenario(Evidence::both).run();
    // v4 (deadline June, passed) is overdue, v6 (deadline August) pending; the unmeasured v3 keeps
    // its predicted coverage; v5's unpredicted coverage does not count.
    CHECK(status_lines(a) == std::vector<std::string>{"v1 covered 2022-06-01", "v2 covered 2022-06-01",
                                                      "v3 covered 2022-06-01", "v4 overdue", "v5 overdue",
                                                      "v6 pending"});
    // The map covered v4 from June 1 until the first contradicting sample on July 10.
    const auto& timeline = a.tracking.overall.timeline;
    REQUIRE(!timeline.empty());
    CHECK(timeline.back().covered == 3);
}

TEST_CASE("measurements: evidence `measurement` counts what was measured, from the first sample") {
    const auto a = Scenario(Evidence::measurement).run();
    CHECK(status_lines(a) == std::vector<std::string>{"v1 covered_late 2022-07-10", "v2 covered_late 2022-07-10",
                                                      "v3 overdue", "v4 overdue", "v5 covered_late 2022-07-10",
                                                      "v6 pending"});
    CHECK(a.tracking.commitments[4].days_late == 10);
}

TEST_CASE("measurements: ARCEP reliability per operator and province") {
    const auto a = Scenario(Evidence::prediction).run();
    REQUIRE(a.measurements.reliability.size() == 2);
    const auto& r = a.measurements.reliability[0];
    // In A's map: v1 25 (23), v2 30 (28), v3 19 (19), v4 20 (17), v6 20 (10), outside villages 4 (4).
    CHECK(r.overall.samples == 118);
    CHECK(r.overall.at_threshold == 101);
    CHECK(*r.overall.share == doctest::Approx(101.0 / 118.0));
    CHECK(r.meets_average == false);
    REQUIRE(r.provinces.size() == 2);
    CHECK(r.provinces[0].key == "Hà Giang"); // H before L
    CHECK(r.provinces[0].samples == 40);
    CHECK(r.provinces[0].at_threshold == 27);
    CHECK(r.provinces[1].key == "Lào Cai");
    CHECK(r.provinces[1].samples == 74);
    CHECK(r.provinces[1].at_threshold == 70); // 0.946: below the 95 % bar
    CHECK(r.provinces_below_bar == std::vector<std::string>{"Hà Giang", "Lào Cai"});
    // B has no map: no samples in it, no verdict.
    CHECK(a.measurements.reliability[1].overall.samples == 0);
    CHECK(!a.measurements.reliability[1].meets_average.has_value());
}

TEST_CASE("measurements: a reliable map passes both ARCEP bars") {
    Scenario scenario(Evidence::prediction);
    auto& s = scenario.inputs.samples;
    s.clear();
    add_samples(s, "A", 0, 49, -100.0); // Lào Cai 49 of 50
    add_samples(s, "A", 0, 1, -120.0);
    add_samples(s, "A", 3, 19, -100.0); // Hà Giang 19 of 20 = 95 %: on the bar, not below
    add_samples(s, "A", 3, 1, -120.0);
    const auto a = scenario.run();
    const auto& r = a.measurements.reliability[0];
    CHECK(r.overall.samples == 70);
    CHECK(r.overall.at_threshold == 68);
    CHECK(r.meets_average == false); // 68/70 = 97.1 %
    CHECK(r.provinces_below_bar.empty());
    add_samples(s, "A", 0, 50, -100.0); // 118 of 120 = 98.3 %
    const auto b = scenario.run();
    CHECK(b.measurements.reliability[0].meets_average == true);
}

TEST_CASE("measurements: the calibration recovers a known +6 dB bias") {
    Campaign campaign = ingest::default_campaign();
    campaign.name = "calibration";
    campaign.operators = {{"A", "Operator A", {}, ""}};
    campaign.measurements = {"m.csv"};
    ingest::Inputs inputs;
    Cell cell = fixed_cell("A", "S1", 105.0, 21.0);
    cell.range_m.reset(); // the link budget decides, so there is a predicted level
    inputs.cells.push_back(cell);
    std::mt19937_64 rng(15);
    std::uniform_real_distribution<double> offset(-0.02, 0.02);
    std::normal_distribution<double> fading(0.0, 8.0);
    for (int i = 0; i < 3000; ++i) {
        Sample s;
        s.position = {105.0 + offset(rng), 21.0 + offset(rng)};
        s.day = day("2022-07-01");
        s.operator_code = "A";
        s.tech = Tech::g4;
        const auto predicted = overlay::predicted_level_dbm(cell, campaign, s.position);
        REQUIRE(predicted.has_value());
        s.level_dbm = *predicted + 6.0 + fading(rng);
        inputs.samples.push_back(s);
    }
    const auto a = pipeline::analyze(campaign, inputs, day("2022-07-15"));
    REQUIRE(a.measurements.calibration_operators.size() == 1);
    const auto& op = a.measurements.calibration_operators[0];
    CHECK(op.samples == 3000);
    CHECK(op.offset_db == doctest::Approx(6.0).epsilon(0.5 / 6.0));
    CHECK(op.rmse_after_db == doctest::Approx(8.0).epsilon(0.05));
    CHECK(op.rmse_db == doctest::Approx(std::sqrt(36.0 + 64.0)).epsilon(0.05));
    REQUIRE(a.measurements.calibration.size() == 1);
    CHECK(a.measurements.calibration[0].tech == Tech::g4);
}
