// geo/parallel: the one loop every stage runs on several cores (footprints, overlay, dissolve),
// so `--threads` means the same everywhere and a result never depends on the thread count.
#pragma once

#include <cstddef>
#include <functional>

namespace deadzone::geo {

/// Worker count for `requested` threads (0 = all cores) and `jobs` pieces of work: at least 1,
/// never more than the jobs.
int thread_count(int requested, std::size_t jobs);

struct ParallelOptions {
    int threads = 0;         // 0 = all cores (std::thread::hardware_concurrency)
    std::size_t chunk = 1;   // indices handed out at a time
    /// Called on the calling thread only (callbacks need not be thread-safe) after each chunk
    /// it finished, with the count of indices done by all threads. May throw (Cancelled) to
    /// stop: the other threads finish their current chunk and the exception is rethrown.
    std::function<void(std::size_t done)> on_progress;
};

/// The number of threads parallel_for(count, options, …) runs on; `worker` indices passed to
/// the body are below it (for per-thread state, such as a raster handle each thread reads).
int parallel_workers(std::size_t count, const ParallelOptions& options);

/// Runs body(begin, end, worker) over [0, count) in chunks of `options.chunk`, handed out in
/// index order to `parallel_workers(count, options)` threads, the calling one (worker 0) included.
/// The body must write only to its own indices' slots, so the result is the same for any
/// thread count. When a body throws, no chunk after it is started, the chunks before it
/// finish, and the exception of the lowest-indexed failing chunk is rethrown: the error
/// reported does not depend on scheduling either.
void parallel_for(std::size_t count, const ParallelOptions& options,
                  const std::function<void(std::size_t begin, std::size_t end, int worker)>& body);

/// The same for a body that needs no per-thread state.
inline void parallel_for(std::size_t count, const ParallelOptions& options,
                         const std::function<void(std::size_t begin, std::size_t end)>& body) {
    parallel_for(count, options, [&body](std::size_t begin, std::size_t end, int) { body(begin, end); });
}

} // namespace deadzone::geo
