// The campaign's measurement rule as every stage reads it (docs/measurements.md).
#include <deadzone/core/campaign.hpp>

namespace deadzone {

const char* to_string(Evidence evidence) noexcept {
    switch (evidence) {
    case Evidence::prediction: return "prediction";
    case Evidence::measurement: return "measurement";
    case Evidence::both: return "both";
    }
    return "prediction";
}

double Campaign::measurement_threshold_dbm(Tech tech) const {
    const auto& own = coverage_rule.measurement.threshold_dbm;
    if (const auto it = own.find(tech); it != own.end()) {
        return it->second;
    }
    return defaults_for(tech).threshold_dbm;
}

} // namespace deadzone
