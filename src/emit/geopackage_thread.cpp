#include "geopackage_thread.hpp"

#include <utility>

namespace deadzone::emit::detail {

GeoPackageThread::GeoPackageThread(std::filesystem::path file, std::string timestamp)
    : m_thread([this, file = std::move(file), timestamp = std::move(timestamp)] { run(file, timestamp); }) {}

GeoPackageThread::~GeoPackageThread() {
    if (m_thread.joinable()) {
        {
            const std::lock_guard lock{m_mutex};
            m_abort = true;
            m_closing = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
}

void GeoPackageThread::run(const std::filesystem::path& file, const std::string& timestamp) {
    try {
        // Here, not in the caller: the writer's timestamp is a thread-local GDAL setting.
        GeoPackageWriter writer(file, timestamp);
        for (;;) {
            Job job;
            {
                std::unique_lock lock{m_mutex};
                m_changed.wait(lock, [&] { return m_next.has_value() || m_closing; });
                if (m_abort) {
                    return;
                }
                if (!m_next) {
                    break; // closing, nothing left
                }
                job = std::move(*m_next);
                m_next.reset();
                m_busy = true;
            }
            writer.add(*job.table, job.style_qml);
            job.table.reset(); // before saying so: the caller may build the next layer now
            {
                const std::lock_guard lock{m_mutex};
                m_busy = false;
            }
            m_changed.notify_all();
        }
        writer.finish();
    } catch (...) {
        const std::lock_guard lock{m_mutex};
        m_error = std::current_exception();
        m_busy = false;
    }
    m_changed.notify_all();
}

void GeoPackageThread::wait_idle(std::unique_lock<std::mutex>& lock) {
    m_changed.wait(lock, [&] { return m_error || (!m_busy && !m_next); });
    if (m_error) {
        std::rethrow_exception(m_error);
    }
}

void GeoPackageThread::add(std::shared_ptr<const LayerTable> table, std::string style_qml) {
    {
        std::unique_lock lock{m_mutex};
        wait_idle(lock);
        m_next = Job{std::move(table), std::move(style_qml)};
    }
    m_changed.notify_all();
}

void GeoPackageThread::finish() {
    {
        const std::lock_guard lock{m_mutex};
        m_closing = true;
    }
    m_changed.notify_all();
    m_thread.join();
    if (m_error) {
        std::rethrow_exception(m_error);
    }
}

} // namespace deadzone::emit::detail
