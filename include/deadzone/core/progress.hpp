// One progress type for all stages (after GDAL's GDALProgressFunc): a fraction in [0, 1] and a
// message; the callback returns false to cancel. sub() scales a sub-step into a parent range.
#pragma once

#include <functional>
#include <string_view>

namespace deadzone {

class Progress {
public:
    using Callback = std::function<bool(double fraction, std::string_view message)>;

    Progress() = default;
    explicit Progress(Callback callback) : m_callback(std::move(callback)) {}

    /// Reports `fraction` of this (sub-)task; throws deadzone::Cancelled if the callback says stop.
    void report(double fraction, std::string_view message = {}) const;
    /// A progress object that maps [0, 1] onto [start, end] of this one.
    Progress sub(double start, double end) const;

private:
    Callback m_callback;
    double m_start = 0.0;
    double m_end = 1.0;
};

} // namespace deadzone
