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
            Step step;
            {
                std::unique_lock lock{m_mutex};
                m_changed.wait(lock, [&] { return !m_steps.empty() || m_closing; });
                if (m_abort) {
                    return;
                }
                if (m_steps.empty()) {
                    break; // closing, nothing left
                }
                step = std::move(m_steps.front());
                m_steps.pop_front();
            }
            if (step.header) {
                writer.begin(*step.header);
            } else if (step.rows) {
                writer.add(*step.rows);
                step.rows.reset(); // before saying so: the caller may queue another batch now
                {
                    const std::lock_guard lock{m_mutex};
                    --m_batches;
                }
                m_changed.notify_all();
            } else {
                writer.end(step.style_qml);
            }
        }
        writer.finish();
    } catch (...) {
        const std::lock_guard lock{m_mutex};
        m_error = std::current_exception();
    }
    m_changed.notify_all();
}

void GeoPackageThread::push(Step step) {
    {
        std::unique_lock lock{m_mutex};
        const bool rows = step.rows != nullptr;
        m_changed.wait(lock, [&] { return m_error || !rows || m_batches < max_batches; });
        if (m_error) {
            std::rethrow_exception(m_error);
        }
        m_batches += rows ? 1 : 0;
        m_steps.push_back(std::move(step));
    }
    m_changed.notify_all();
}

void GeoPackageThread::begin(std::shared_ptr<const LayerHeader> header) {
    push(Step{std::move(header), nullptr, {}});
}

void GeoPackageThread::add(std::shared_ptr<const RowBatch> rows) {
    push(Step{nullptr, std::move(rows), {}});
}

void GeoPackageThread::end(std::string style_qml) {
    push(Step{nullptr, nullptr, std::move(style_qml)});
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
