// overlay/measurements: field samples against villages and footprints — which village each
// sample lies in (the villages' own geometry, rtree-indexed), per village and operator how many
// samples reach their technology's threshold, whether each sample lies in its operator's
// predicted coverage, and the level the model predicts there (docs/measurements.md).
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/date.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/core/progress.hpp>
#include <deadzone/model/footprint.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::overlay {

/// What the overlay found about one sample.
struct SampleJudgement {
    /// Inside the window (coverage_rule.measurement.window_days up to the as-of date): only
    /// such samples count for verdicts, reliability and calibration.
    bool counted = false;
    /// The lowest-index village containing the sample, -1 for none (a sample inside two
    /// overlapping villages counts for both; this is the one the layer names).
    std::int32_t village = -1;
    /// level_dbm >= the campaign's measurement threshold for the sample's technology.
    bool at_threshold = false;
    /// Inside a footprint of a cell of the sample's operator and technology in service on the
    /// sample's day: the operator's map claims coverage there (ARCEP's reliability base).
    bool predicted_covered = false;
    /// The model's level from the operator's best cell of that technology whose footprint
    /// holds the sample (NaN when none: outside every footprint, or fixed-radius cells only).
    double predicted_dbm = std::numeric_limits<double>::quiet_NaN();
    std::int32_t best_cell = -1; // index into the cell list, -1 for none
};

/// One operator's samples in one village (counted samples only).
struct OperatorSamples {
    std::string operator_code;
    int samples = 0;
    int at_threshold = 0;
    std::optional<Date> first_day; // earliest counted sample
    double share() const noexcept { return samples > 0 ? static_cast<double>(at_threshold) / samples : 0.0; }
};

struct VillageSamples {
    std::vector<OperatorSamples> operators; // sorted by code; only operators with samples
    const OperatorSamples* find(std::string_view operator_code) const noexcept;
};

struct MeasurementOverlay {
    Date as_of;
    std::optional<Date> window_first_day;     // first day counted; empty = no lower bound
    std::vector<SampleJudgement> samples;     // parallel to the sample list
    std::vector<VillageSamples> villages;     // parallel to the village list
};

struct MeasurementOptions {
    int threads = 0;            // 0 = all cores; results do not depend on it
    bool predict_levels = true; // the calibration's predicted level per sample
    /// The footprints' model when it predicts a loss at a point of its own (a terrain model):
    /// each worker makes one (the per-thread contract of model/footprint.hpp) and the predicted
    /// level is EIRP + pattern - its loss over the terrain to the sample. Empty: the link budget.
    model::FootprintModelFactory point_model;
};

MeasurementOverlay measure_villages(const std::vector<Sample>& samples, const std::vector<Village>& villages,
                                    const std::vector<Cell>& cells, const std::vector<model::Footprint>& footprints,
                                    const Campaign& campaign, Date as_of, const MeasurementOptions& options = {},
                                    const Progress& progress = {});

/// The link budget's received level (dBm) of `cell` at `point`: EIRP + horizontal pattern -
/// median path loss, as the footprints are drawn; nullopt for fixed-radius cells and beyond the
/// campaign's max_range_m.
std::optional<double> predicted_level_dbm(const Cell& cell, const Campaign& campaign, const geo::Point& point);
/// The same with the path loss of `model` (FootprintModel::loss_db_at: over the terrain for a
/// terrain model); falls back to the link budget when the model has no point loss of its own.
std::optional<double> predicted_level_dbm(const Cell& cell, const Campaign& campaign, const geo::Point& point,
                                          model::FootprintModel& model);

} // namespace deadzone::overlay
