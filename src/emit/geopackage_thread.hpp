// emit/geopackage_thread (internal): the GeoPackage written on a thread of its own, behind the
// other formats: SQLite's inserts of a national layer's rows take seconds, and meanwhile the
// calling thread builds the next rows and writes their GeoJSON. The caller hands over a layer as
// a header, batches of rows and an end; at most `max_batches` batches wait at any time, so the
// rows in memory stay bounded whatever the layer's size. The file is the same whichever thread
// writes it.
#pragma once

#include "layer_table.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace deadzone::emit::detail {

class GeoPackageThread {
public:
    static constexpr std::size_t max_batches = 2;

    /// Starts the thread, which creates `file` (GeoPackageWriter's `timestamp`).
    GeoPackageThread(std::filesystem::path file, std::string timestamp);
    /// Without finish(): stops after the step at hand and leaves the file incomplete.
    ~GeoPackageThread();
    GeoPackageThread(const GeoPackageThread&) = delete;
    GeoPackageThread& operator=(const GeoPackageThread&) = delete;

    /// The next layer: its header, its rows in order, its end (with its default style). Each
    /// waits while `max_batches` batches are queued; each rethrows the thread's failure.
    void begin(std::shared_ptr<const LayerHeader> header);
    void add(std::shared_ptr<const RowBatch> rows);
    void end(std::string style_qml);
    /// Writes what is left, closes the file and joins; rethrows the thread's failure.
    void finish();

private:
    struct Step {
        std::shared_ptr<const LayerHeader> header; // begin
        std::shared_ptr<const RowBatch> rows;      // add
        std::string style_qml;                     // end (neither of the above)
    };
    void push(Step step);
    void run(const std::filesystem::path& file, const std::string& timestamp);

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Step> m_steps;
    std::size_t m_batches = 0; // row batches in m_steps
    bool m_closing = false;
    bool m_abort = false;
    std::exception_ptr m_error;
    std::thread m_thread; // last: starts once the members above exist
};

} // namespace deadzone::emit::detail
