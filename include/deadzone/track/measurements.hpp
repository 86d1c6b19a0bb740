// track/measurements: what the field samples say — a verdict per village and operator
// (confirmed, contradicted, unpredicted, not_covered, unmeasured), each operator's map
// reliability as ARCEP measures it (overall and per province), the model's calibration
// (measured - predicted per operator and technology), and the overlay the commitment statuses
// are judged on under coverage_rule.evidence (docs/measurements.md).
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/overlay/measurements.hpp>
#include <deadzone/overlay/overlay.hpp>

#include <optional>
#include <string>
#include <vector>

namespace deadzone::track {

enum class MeasuredVerdict {
    confirmed,    // predicted covered, measured covered
    contradicted, // predicted covered, measured not covered
    unpredicted,  // measured covered, not predicted covered
    not_covered,  // neither predicted nor measured covered: the two agree on a gap
    unmeasured    // fewer samples than coverage_rule.measurement.min_samples
};
const char* to_string(MeasuredVerdict verdict) noexcept;

/// One village and operator that has samples or is predicted covered.
struct VillageVerdict {
    std::size_t village = 0;
    std::string operator_code;
    int samples = 0;
    int at_threshold = 0;
    double share = 0.0;            // at_threshold / samples (0 without samples)
    bool predicted = false;        // the operator's fraction meets coverage_rule.min_fraction at the as-of date
    MeasuredVerdict verdict = MeasuredVerdict::unmeasured;
    std::optional<Date> first_day; // earliest counted sample
};

/// ARCEP's bars: 98 % of the samples inside the map on average, no area below 95 %.
inline constexpr double reliability_average_bar = 0.98;
inline constexpr double reliability_area_bar = 0.95;

struct ReliabilityCount {
    std::string key;   // operator code, or province name
    int samples = 0;   // counted samples inside the operator's predicted coverage
    int at_threshold = 0;
    /// at_threshold / samples; empty without samples (no verdict on an empty base).
    std::optional<double> share;
};

struct OperatorReliability {
    ReliabilityCount overall;            // key = operator code
    std::vector<ReliabilityCount> provinces; // sorted by name; samples outside villages are in overall only
    std::optional<bool> meets_average;   // overall share >= 98 %
    std::vector<std::string> provinces_below_bar; // share < 95 %, in province order
};

/// Measured - predicted, for one operator and technology.
struct CalibrationGroup {
    std::string operator_code;
    Tech tech = Tech::g4;
    int samples = 0;        // counted samples with a predicted level
    double mean_db = 0.0;   // mean error (measured - predicted)
    double sd_db = 0.0;     // population standard deviation of the error
    double rmse_db = 0.0;
};

struct CalibrationOperator {
    std::string operator_code;
    int samples = 0;
    /// The constant (dB) added to this operator's predictions that minimises the RMSE: the mean
    /// error over all its technologies. A suggestion for the planner, never applied.
    double offset_db = 0.0;
    double rmse_db = 0.0;       // as predicted
    double rmse_after_db = 0.0; // with the offset (= the standard deviation)
};

struct MeasurementTracking {
    bool active = false; // the campaign has measurements
    Evidence evidence = Evidence::prediction;
    std::size_t samples = 0;            // read
    std::size_t samples_counted = 0;    // inside the window
    std::size_t samples_in_villages = 0; // counted and inside a village
    std::vector<VillageVerdict> verdicts; // by village index, then operator code
    int count(MeasuredVerdict verdict) const noexcept;
    const VillageVerdict* find(std::size_t village, std::string_view operator_code) const noexcept;
    std::vector<OperatorReliability> reliability; // campaign operator order
    std::vector<CalibrationGroup> calibration;    // operator (campaign order), then technology
    std::vector<CalibrationOperator> calibration_operators; // campaign order, operators with samples
};

MeasurementTracking judge_measurements(const Campaign& campaign, const std::vector<Village>& villages,
                                       const std::vector<Sample>& samples, const overlay::Result& overlay,
                                       const overlay::MeasurementOverlay& measured);

/// The overlay run_track judges commitments on under coverage_rule.evidence: `prediction`
/// returns it unchanged; `both` ends a contradicted village's covered period on its first
/// counted sample day (drops it when it began later); `measurement` replaces each operator's
/// periods by one from the first counted sample day when measured covered, none otherwise.
/// Gap geometries are not copied (tracking does not read them).
overlay::Result evidence_overlay(const overlay::Result& overlay, const MeasurementTracking& tracking,
                                 const Campaign& campaign);

} // namespace deadzone::track
