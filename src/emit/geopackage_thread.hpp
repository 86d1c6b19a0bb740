// emit/geopackage_thread (internal): the GeoPackage written on a thread of its own, one layer
// behind the other formats: SQLite's inserts of a national layer's rows and its R-tree take
// seconds; meanwhile the calling thread builds the next layer and writes its GeoJSON. The file
// is the same whichever thread writes it.
#pragma once

#include "layer_table.hpp"

#include <condition_variable>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace deadzone::emit::detail {

class GeoPackageThread {
public:
    /// Starts the thread, which creates `file` (GeoPackageWriter's `timestamp`).
    GeoPackageThread(std::filesystem::path file, std::string timestamp);
    /// Without finish(): stops after the layer at hand and leaves the file incomplete.
    ~GeoPackageThread();
    GeoPackageThread(const GeoPackageThread&) = delete;
    GeoPackageThread& operator=(const GeoPackageThread&) = delete;

    /// Hands over the next layer once the thread has written the previous one (so at most two
    /// layers are in memory: this one and the caller's next). Rethrows the thread's failure.
    void add(std::shared_ptr<const LayerTable> table, std::string style_qml);
    /// Writes what is left, closes the file and joins; rethrows the thread's failure.
    void finish();

private:
    struct Job {
        std::shared_ptr<const LayerTable> table;
        std::string style_qml;
    };
    void run(const std::filesystem::path& file, const std::string& timestamp);
    void wait_idle(std::unique_lock<std::mutex>& lock);

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::optional<Job> m_next;
    bool m_busy = false;
    bool m_closing = false;
    bool m_abort = false;
    std::exception_ptr m_error;
    std::thread m_thread; // last: starts once the members above exist
};

} // namespace deadzone::emit::detail
