// bench-measurements: times the measurement overlay and verdicts on a synthetic national case —
// N samples (default 1 000 000) over V square villages (default 100 000) on a grid, with one
// fixed-radius cell per operator per village for the reliability lookups. Prints seconds; the
// issue's bar is 10 s on 2 cores for a million samples.
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/overlay/measurements.hpp>
#include <deadzone/overlay/overlay.hpp>
#include <deadzone/track/measurements.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <random>

using namespace deadzone;

int main(int argc, char** argv) {
    CLI::App app{"bench-measurements: the measurement overlay and verdicts on synthetic data"};
    std::size_t sample_count = 1000000;
    std::size_t village_count = 100000;
    int threads = 2;
    bool predict = false;
    app.add_option("--samples", sample_count)->capture_default_str();
    app.add_option("--villages", village_count)->capture_default_str();
    app.add_option("--threads", threads)->capture_default_str();
    app.add_flag("--predict", predict, "also compute each sample's predicted level (calibration)");
    CLI11_PARSE(app, argc, argv);

    Campaign campaign = ingest::default_campaign();
    campaign.operators = {{"A", "A", {}, ""}, {"B", "B", {}, ""}, {"C", "C", {}, ""}};
    campaign.measurements = {"bench"};
    const auto side = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(village_count))));
    const double step = 0.01; // ~1 km grid: Vietnam-like density of 100 000 villages is coarser
    std::vector<Village> villages;
    std::vector<Cell> cells;
    villages.reserve(village_count);
    for (std::size_t i = 0; i < village_count; ++i) {
        const double lon = 102.0 + step * static_cast<double>(i % side);
        const double lat = 10.0 + step * static_cast<double>(i / side);
        Village v;
        v.id = fmt::format("V{}", i);
        v.province = fmt::format("P{}", i / 5000);
        geo::Polygon square;
        // 24 vertices around a 350 m radius: village polygons are not boxes.
        for (int k = 0; k <= 24; ++k) {
            const double angle = 2.0 * M_PI * (k % 24) / 24.0;
            square.outer().push_back({lon + 0.0035 * std::cos(angle), lat + 0.0035 * std::sin(angle)});
        }
        v.geometry.push_back(square);
        villages.push_back(std::move(v));
        if (i % 3 == 0) {
            Cell c;
            c.operator_code = campaign.operators[i % 9 / 3].code;
            c.site_id = fmt::format("S{}", i);
            c.position = {lon, lat};
            c.on_air_date = *Date::parse("2022-01-01");
            c.range_m = 1500.0;
            cells.push_back(c);
        }
    }
    const auto footprints = model::build_footprints(cells, campaign, {threads});
    overlay::Options overlay_options;
    overlay_options.threads = threads;
    overlay_options.compute_gaps = false;
    const Date as_of = *Date::parse("2022-07-30");
    const auto t_overlay = std::chrono::steady_clock::now();
    const auto coverage = overlay::run_overlay(villages, cells, footprints, campaign, as_of, overlay_options);
    const auto t_samples = std::chrono::steady_clock::now();

    std::mt19937_64 rng(15);
    const double span_lon = step * static_cast<double>(side);
    const double span_lat = step * static_cast<double>((village_count + side - 1) / side);
    std::vector<Sample> samples(sample_count);
    for (auto& s : samples) {
        s.position = {102.0 + span_lon * (static_cast<double>(rng() >> 11) * 0x1.0p-53),
                      10.0 + span_lat * (static_cast<double>(rng() >> 11) * 0x1.0p-53)};
        s.day = as_of - static_cast<std::int32_t>(rng() % 20);
        s.operator_code = campaign.operators[rng() % 3].code;
        s.tech = Tech::g4;
        s.level_dbm = -125.0 + static_cast<double>(rng() % 60);
    }
    const auto t0 = std::chrono::steady_clock::now();
    overlay::MeasurementOptions options;
    options.threads = threads;
    options.predict_levels = predict;
    const auto measured = overlay::measure_villages(samples, villages, cells, footprints, campaign, as_of, options);
    const auto t1 = std::chrono::steady_clock::now();
    const auto judged = track::judge_measurements(campaign, villages, samples, coverage, measured);
    const auto t2 = std::chrono::steady_clock::now();
    const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::cout << fmt::format("{} samples, {} villages, {} cells, {} threads (overlay of the villages {:.2f} s, not "
                             "counted)\n  samples assigned and counted: {:.2f} s\n  verdicts, reliability, "
                             "calibration: {:.2f} s\n  total: {:.2f} s; {} in villages, {} verdicts, {} contradicted\n",
                             sample_count, village_count, cells.size(), threads, seconds(t_overlay, t_samples),
                             seconds(t0, t1), seconds(t1, t2), seconds(t0, t2), judged.samples_in_villages,
                             judged.verdicts.size(), judged.count(track::MeasuredVerdict::contradicted));
    return 0;
}
