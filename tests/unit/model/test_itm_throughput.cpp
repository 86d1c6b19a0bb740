// ITM throughput for tools/bench_terrain.sh (skipped in the normal test run): ITM evaluated at
// every sample of radial profiles, each point a full point-to-point call over the profile up to
// it, on 1 and 2 threads. Prints points per second; a small version (not skipped) asserts that 1
// and 2 threads give bit-identical losses.
#include <deadzone/model/itm.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <thread>
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

} // namespace

TEST_CASE("itm throughput" * doctest::skip()) {
    const int count = std::getenv("DEADZONE_BENCH_RADIALS") ? std::atoi(std::getenv("DEADZONE_BENCH_RADIALS")) : 8;
    const int samples = 1001; // 30 km at 30 m
    const auto profiles = radials(count, samples, 30.0);
    const double points = static_cast<double>(count) * (samples - 10);
    std::vector<double> one(static_cast<std::size_t>(count) * samples, 0.0);
    std::vector<double> two(one.size(), 0.0);

    auto t0 = std::chrono::steady_clock::now();
    evaluate(profiles, 0, profiles.size(), one, samples);
    const double s1 = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    t0 = std::chrono::steady_clock::now();
    std::thread worker([&] { evaluate(profiles, profiles.size() / 2, profiles.size(), two, samples); });
    evaluate(profiles, 0, profiles.size() / 2, two, samples);
    worker.join();
    const double s2 = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    MESSAGE("ITM points (full p2p call over a 30 m profile up to each point, 30 km radials): " << points);
    MESSAGE("1 thread:  " << s1 << " s, " << points / s1 << " points/s");
    MESSAGE("2 threads: " << s2 << " s, " << points / s2 << " points/s");
    CHECK(one == two);
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
}
