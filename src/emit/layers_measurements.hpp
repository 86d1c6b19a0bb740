// emit/layers_measurements (internal): the measurements points layer and the measurement
// fields of the villages and commitments layers (present only when the campaign has
// measurements, so that campaigns without them keep their layers byte for byte).
#pragma once

#include "layer_table.hpp"

#include <deadzone/pipeline/analysis.hpp>

#include <vector>

namespace deadzone::emit::detail {

/// samples_<op>, measured_share_<op>, verdict_<op> per campaign operator; none when inactive.
std::vector<FieldSpec> village_measurement_fields(const Analysis& analysis);
std::vector<Value> village_measurement_values(const Analysis& analysis, std::size_t village);

/// samples, measured_share, verdict of the commitment's village and operator; none when inactive.
std::vector<FieldSpec> commitment_measurement_fields(const Analysis& analysis);
std::vector<Value> commitment_measurement_values(const Analysis& analysis, std::size_t village,
                                                 const std::string& operator_code);

/// One point per sample, in input order, classed by its margin over the threshold.
void measurements_layer(const Analysis& analysis, LayerSink& out);

/// "strong" (>= threshold + 10 dB), "good" (>= threshold), "weak" (>= threshold - 10 dB), "poor".
const char* signal_class(double level_dbm, double threshold_dbm) noexcept;

} // namespace deadzone::emit::detail
