// geo::parallel_for: every index exactly once, results independent of the thread count, the
// lowest failing chunk's exception, and a cancel from the progress callback.
#include <deadzone/geo/parallel.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

using deadzone::geo::parallel_for;
using deadzone::geo::ParallelOptions;

TEST_CASE("parallel_for: each index once, same result for 1, 2 and 4 threads") {
    for (const std::size_t chunk : {1u, 7u, 256u}) {
        std::vector<std::vector<long>> results;
        for (const int threads : {1, 2, 4}) {
            std::vector<long> out(1000, -1);
            std::atomic<int> calls{0};
            ParallelOptions options;
            options.threads = threads;
            options.chunk = chunk;
            parallel_for(out.size(), options, [&](std::size_t begin, std::size_t end) {
                for (std::size_t i = begin; i < end; ++i) {
                    out[i] = static_cast<long>(i * i);
                    ++calls;
                }
            });
            CHECK(calls == 1000);
            results.push_back(out);
        }
        CHECK(results[0] == results[1]);
        CHECK(results[0] == results[2]);
        CHECK(std::accumulate(results[0].begin(), results[0].end(), 0L) == 332833500L); // sum of i^2, i < 1000
    }
}

TEST_CASE("parallel_for: worker indices stay below parallel_workers; 0 jobs run nothing") {
    ParallelOptions options;
    options.threads = 3;
    options.chunk = 10;
    CHECK(deadzone::geo::parallel_workers(25, options) == 3);
    CHECK(deadzone::geo::parallel_workers(5, options) == 1); // one chunk: one thread
    std::atomic<int> bad{0};
    parallel_for(100, options, [&](std::size_t, std::size_t, int worker) {
        if (worker < 0 || worker >= 3) ++bad;
    });
    CHECK(bad == 0);
    bool called = false;
    parallel_for(0, options, [&](std::size_t, std::size_t) { called = true; });
    CHECK_FALSE(called);
}

TEST_CASE("parallel_for: the lowest failing index's exception is rethrown, whatever the threads") {
    for (const int threads : {1, 2, 4}) {
        ParallelOptions options;
        options.threads = threads;
        try {
            parallel_for(200, options, [](std::size_t begin, std::size_t) {
                if (begin == 37 || begin == 150 || begin == 151) {
                    throw std::runtime_error("index " + std::to_string(begin));
                }
            });
            FAIL("no exception");
        } catch (const std::runtime_error& e) {
            CHECK(std::string{e.what()} == "index 37");
        }
    }
}

TEST_CASE("parallel_for: an exception from on_progress stops the loop and is rethrown") {
    ParallelOptions options;
    options.threads = 2;
    options.chunk = 1;
    options.on_progress = [](std::size_t done) {
        if (done >= 3) throw std::range_error("cancelled");
    };
    std::atomic<int> ran{0};
    CHECK_THROWS_AS(parallel_for(100000, options, [&](std::size_t, std::size_t) { ++ran; }), std::range_error);
    CHECK(ran < 100000);
}
