// ITM throughput for tools/bench_terrain.sh (skipped in the normal test run): ITM evaluated at
// every sample of radial profiles, (a) from scratch — one full point-to-point call over a copy of
// the profile up to each point, as footprints did before RadialPath — and (b) along the radial
// with itm::RadialPath, on 1 and 2 threads. Prints points per second; a small version (not
// skipped) asserts that 1 and 2 threads give bit-identical losses and that (a) equals (b).
#include <deadzone/model/itm.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace deadzone::model;

namespace {

std::vector<ItmProfile> radials(int count, int samples, double spacing_m) {
    std::vector<ItmProfile> out;
    std::uint32_t state = 7;
    for (int r = 0; r < count; ++r) {
        ItmProfile p;
        p.spacing_m = spacing_m;
        for (int i = 0; i < samples; ++i) {
            state = state * 1664525u + 1013904223u;
            const double x = i * spacing_m / 1000.0;
            p.elevations_m.push_back(400.0 + 300.0 * std::sin(x / 3.0 + r) * std::cos(x / 7.0) + (state >> 26));
        }
        out.push_back(std::move(p));
    }
    return out;
}

// Loss at every sample from index 10 on (ITM needs a few intervals), radials [begin, end).
void evaluate(const std::vector<ItmProfile>& profiles, std::size_t begin, std::size_t end, std::vector<double>& out,
              int samples) {
    itm::Parameters p;
    p.freq_mhz = 900.0;
    p.tx_height_m = 30.0;
    p.rx_height_m = 1.5;
    for (std::size_t r = begin; r < end; ++r) {
        ItmProfile prefix;
        prefix.spacing_m = profiles[r].spacing_m;
        for (int i = 10; i < samples; ++i) {
            prefix.elevations_m.assign(profiles[r].elevations_m.begin(), profiles[r].elevations_m.begin() + i + 1);
            out[r * samples + i] = itm::point_to_point(prefix, p).loss_db;
        }
    }
}

// The same along each radial with RadialPath (no copies; receiver-independent work once).
void evaluate_radial(const std::vector<ItmProfile>& profiles, std::size_t begin, std::size_t end,
                     std::vector<double>& out, int samples) {
    itm::Parameters p;
    p.freq_mhz = 900.0;
    p.tx_height_m = 30.0;
    p.rx_height_m = 1.5;
    for (std::size_t r = begin; r < end; ++r) {
        itm::RadialPath path(profiles[r], p);
        for (int i = 10; i < samples; ++i) out[r * samples + i] = path.at(i).loss_db;
    }
}

using Evaluate = void (*)(const std::vector<ItmProfile>&, std::size_t, std::size_t, std::vector<double>&, int);

// Seconds on 1 thread and on 2 (each half of the radials), and whether both gave the same bits.
// CPU seconds too (std::clock: the process's, all threads): on a loaded machine the wall time
// depends on the load, points per CPU second much less.
struct Timing {
    double one_s = 0.0;
    double two_s = 0.0;
    double one_cpu_s = 0.0;
    double two_cpu_s = 0.0;
    std::vector<double> losses;
};

Timing time_it(Evaluate evaluate, const std::vector<ItmProfile>& profiles, int samples) {
    Timing t;
    t.losses.assign(profiles.size() * samples, 0.0);
    std::vector<double> two(t.losses.size(), 0.0);
    auto t0 = std::chrono::steady_clock::now();
    std::clock_t c0 = std::clock();
    evaluate(profiles, 0, profiles.size(), t.losses, samples);
    t.one_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t.one_cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    t0 = std::chrono::steady_clock::now();
    c0 = std::clock();
    std::thread worker([&] { evaluate(profiles, profiles.size() / 2, profiles.size(), two, samples); });
    evaluate(profiles, 0, profiles.size() / 2, two, samples);
    worker.join();
    t.two_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t.two_cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    CHECK(t.losses == two);
    return t;
}

} // namespace

TEST_CASE("itm throughput" * doctest::skip()) {
    const int count = std::getenv("DEADZONE_BENCH_RADIALS") ? std::atoi(std::getenv("DEADZONE_BENCH_RADIALS")) : 8;
    const int samples = 1001; // 30 km at 30 m
    const auto profiles = radials(count, samples, 30.0);
    const double points = static_cast<double>(count) * (samples - 10);
    const Timing scratch = time_it(evaluate, profiles, samples);
    const Timing radial = time_it(evaluate_radial, profiles, samples);
    CHECK(scratch.losses == radial.losses);

    MESSAGE("ITM points (30 km radials at 30 m, loss at every sample): " << points);
    for (const auto& [label, t] : {std::pair{std::string{"from scratch"}, &scratch}, std::pair{std::string{"radial path "}, &radial}}) {
        MESSAGE(label << ", 1 thread:  " << t->one_s << " s wall, " << points / t->one_s << " points/s; "
                      << t->one_cpu_s << " s CPU, " << points / t->one_cpu_s << " points per CPU second");
        MESSAGE(label << ", 2 threads: " << t->two_s << " s wall, " << points / t->two_s << " points/s; "
                      << t->two_cpu_s << " s CPU, " << points / t->two_cpu_s << " points per CPU second (per thread)");
    }
}

TEST_CASE("itm: same bytes at 1 and 2 threads") {
    const int samples = 201;
    const auto profiles = radials(4, samples, 30.0);
    std::vector<double> one(4 * samples, 0.0);
    std::vector<double> two(one.size(), 0.0);
    evaluate(profiles, 0, profiles.size(), one, samples);
    std::thread worker([&] { evaluate(profiles, 2, 4, two, samples); });
    evaluate(profiles, 0, 2, two, samples);
    worker.join();
    CHECK(one == two);
    CHECK(one[samples - 1] > 0.0);
    std::vector<double> radial(one.size(), 0.0);
    std::vector<double> radial_two(one.size(), 0.0);
    evaluate_radial(profiles, 0, profiles.size(), radial, samples);
    std::thread radial_worker([&] { evaluate_radial(profiles, 2, 4, radial_two, samples); });
    evaluate_radial(profiles, 0, 2, radial_two, samples);
    radial_worker.join();
    CHECK(radial == one);
    CHECK(radial_two == one);
}
