// The result of one run of the pipeline (ingest → model → overlay → track), which emit
// writes out and the store's export reproduces.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/overlay/measurements.hpp>
#include <deadzone/overlay/overlay.hpp>
#include <deadzone/track/measurements.hpp>
#include <deadzone/track/track.hpp>

namespace deadzone {

struct Analysis {
    Campaign campaign;
    Date as_of;
    std::vector<Village> villages;
    std::vector<Commitment> commitments;
    std::vector<Cell> cells;
    // Parallel to cells. Runs without terrain and without measurements keep each footprint's
    // cell, box and area but not its shape (taken by the dissolve; see pipeline.cpp).
    std::vector<model::Footprint> footprints;
    overlay::Result overlay;
    std::vector<overlay::OperatorArea> coverage;
    track::Tracking tracking;
    Diagnostics diagnostics; // warnings from ingest and the model
    // Field measurements (docs/measurements.md); measurements.active is false without them.
    std::vector<Sample> samples;
    overlay::MeasurementOverlay measured;   // samples parallel to `samples`
    track::MeasurementTracking measurements;
};

} // namespace deadzone
