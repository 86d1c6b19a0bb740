#include <deadzone/core/error.hpp>
#include <deadzone/core/progress.hpp>

#include <algorithm>

namespace deadzone {

void Progress::report(double fraction, std::string_view message) const {
    if (!m_callback) {
        return;
    }
    const double clamped = std::clamp(fraction, 0.0, 1.0);
    if (!m_callback(m_start + (m_end - m_start) * clamped, message)) {
        throw Cancelled{};
    }
}

Progress Progress::sub(double start, double end) const {
    Progress child{*this};
    child.m_start = m_start + (m_end - m_start) * std::clamp(start, 0.0, 1.0);
    child.m_end = m_start + (m_end - m_start) * std::clamp(end, 0.0, 1.0);
    return child;
}

} // namespace deadzone
