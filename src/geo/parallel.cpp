#include <deadzone/geo/parallel.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace deadzone::geo {

int thread_count(int requested, std::size_t jobs) {
    const std::size_t n = requested > 0 ? static_cast<std::size_t>(requested)
                                        : std::max(1u, std::thread::hardware_concurrency());
    return static_cast<int>(std::max<std::size_t>(1, std::min(n, std::max<std::size_t>(jobs, 1))));
}

namespace {

/// Shared state of one parallel_for: the next chunk, the count done, and the lowest failure.
class Loop {
public:
    Loop(std::size_t count, std::size_t chunk) : m_count(count), m_chunk(std::max<std::size_t>(chunk, 1)) {}

    std::size_t chunks() const { return (m_count + m_chunk - 1) / m_chunk; }

    /// Runs one chunk; false when there is none left (or a failure stops the loop).
    bool run_one(const std::function<void(std::size_t, std::size_t, int)>& body, int worker) {
        const std::size_t c = m_next.fetch_add(1);
        // Chunks are handed out in order, so every chunk below a failing one is already running.
        if (c >= chunks() || c > m_lowest_failure.load()) {
            return false;
        }
        const std::size_t begin = c * m_chunk;
        const std::size_t end = std::min(m_count, begin + m_chunk);
        try {
            body(begin, end, worker);
        } catch (...) {
            fail(c, std::current_exception());
            return false;
        }
        m_done.fetch_add(end - begin);
        return true;
    }

    void fail(std::size_t chunk, std::exception_ptr error) {
        const std::lock_guard lock{m_mutex};
        if (chunk < m_lowest_failure.load()) {
            m_lowest_failure.store(chunk);
            m_failure = std::move(error);
        }
    }

    /// Stops handing out chunks (the calling thread's progress callback threw).
    void stop() { m_lowest_failure.store(0); }
    std::size_t done() const { return m_done.load(); }
    std::exception_ptr failure() const { return m_failure; }

private:
    std::size_t m_count;
    std::size_t m_chunk;
    std::atomic<std::size_t> m_next{0};
    std::atomic<std::size_t> m_done{0};
    std::atomic<std::size_t> m_lowest_failure{std::numeric_limits<std::size_t>::max()};
    std::mutex m_mutex;
    std::exception_ptr m_failure;
};

} // namespace

int parallel_workers(std::size_t count, const ParallelOptions& options) {
    const std::size_t chunk = std::max<std::size_t>(options.chunk, 1);
    return thread_count(options.threads, (count + chunk - 1) / chunk);
}

void parallel_for(std::size_t count, const ParallelOptions& options,
                  const std::function<void(std::size_t, std::size_t, int)>& body) {
    if (count == 0) {
        return;
    }
    Loop loop{count, options.chunk};
    const int threads = parallel_workers(count, options);
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(threads - 1));
    auto worker = [&loop, &body](int index) {
        while (loop.run_one(body, index)) {
        }
    };
    try {
        for (int t = 1; t < threads; ++t) {
            pool.emplace_back(worker, t);
        }
        while (loop.run_one(body, 0)) {
            if (options.on_progress) {
                options.on_progress(loop.done());
            }
        }
    } catch (...) {
        // From on_progress (a cancel) or from starting a thread: let the others stop, then rethrow.
        loop.stop();
        for (auto& thread : pool) {
            thread.join();
        }
        throw;
    }
    for (auto& thread : pool) {
        thread.join();
    }
    if (const auto failure = loop.failure()) {
        std::rethrow_exception(failure);
    }
}

} // namespace deadzone::geo
