// A campaign: operators, milestones, coverage rule, radio defaults and propagation settings,
// and optionally the paths of its input files (campaign.json, see DESIGN.md).
#pragma once

#include <deadzone/core/date.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/core/language.hpp>
#include <deadzone/geo/types.hpp>
#include <deadzone/model/settings.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace deadzone {

struct Operator {
    std::string code;  // "VTL"
    std::string name;  // "Viettel"
    std::vector<std::string> mcc_mnc; // "452-04"
    std::string color; // "#d7191c"
};

struct Milestone {
    Date date;
    double target = 0.0; // fraction of commitments, 0..1
};

/// What decides that a commitment's village is covered (docs/measurements.md).
enum class Evidence {
    prediction,  // the model's footprints alone (the default)
    measurement, // field samples alone: covered when measured covered
    both         // covered when predicted and not contradicted by the samples
};
const char* to_string(Evidence evidence) noexcept;

/// `coverage_rule.measurement`: when a village's field samples say it is covered.
struct MeasurementRule {
    double share = 0.9;      // share of the samples that must reach the threshold
    int min_samples = 20;    // fewer samples: the village is unmeasured
    std::optional<int> window_days; // only samples within N days up to the as-of date; empty = all
    /// Per-technology thresholds of the measured level (RSRP, RSCP, RxLev); a technology not
    /// listed uses radio_defaults.<tech>.threshold_dbm, the threshold of the predictions.
    std::map<Tech, double> threshold_dbm;
};

struct CoverageRule {
    double min_fraction = 0.9;       // share of the village that must be covered
    double village_radius_m = 500.0; // disc radius for villages given as points
    Evidence evidence = Evidence::prediction;
    MeasurementRule measurement;
};

/// Per-technology radio defaults for cells that leave a field empty.
struct RadioDefaults {
    double freq_mhz = 1800.0;
    double eirp_dbm = 61.0;
    double height_m = 30.0;
    double beamwidth_deg = 65.0;
    double threshold_dbm = -100.0; // received power needed at the receiver
};

// The model stage owns its settings (include/deadzone/model/settings.hpp); the names stay
// reachable here for the campaign's readers.
using model::CitySize;
using model::Environment;
using model::ModelSettings;
using model::PropagationModel;

struct Campaign {
    std::string name;
    std::optional<Date> start_date;
    std::vector<Operator> operators;
    std::vector<Milestone> milestones; // sorted by date
    CoverageRule coverage_rule;
    std::map<Tech, RadioDefaults> radio_defaults; // every Tech present after loading
    ModelSettings model;
    /// Optional: the campaign's area (lon/lat box). Stations far outside it are rejected.
    std::optional<geo::Box> area;
    /// Optional population raster (GeoTIFF) for population-weighted coverage.
    std::optional<std::filesystem::path> population_raster;
    /// `locale`: the language of human outputs (unless --lang says otherwise) and of the input
    /// spreadsheets (vi: day-first dates, and decimal commas in ';'-separated files).
    Language locale = Language::en;
    /// `date_format`: "iso" or "d/m/yyyy"; unset = day-first exactly when the locale is vi.
    std::optional<DateFormat> date_format;
    /// Optional elevation model (`terrain.dem`, any GDAL raster, metres) for terrain footprints.
    std::optional<std::filesystem::path> terrain_dem;

    // Input files, resolved against the campaign file's folder.
    std::filesystem::path base_dir;
    std::optional<std::filesystem::path> villages;
    std::optional<std::filesystem::path> commitments;
    std::vector<std::filesystem::path> stations;
    /// Field measurement files (drive tests, crowdsourced samples), docs/measurements.md.
    std::vector<std::filesystem::path> measurements;
    /// The campaign file itself (empty when built in code).
    std::filesystem::path file;
    /// Warnings found while loading (keys deadzone does not read), for the commands to print.
    std::vector<Problem> warnings;

    const Operator* find_operator(std::string_view code) const noexcept;
    /// Operator code for an "MCC-MNC" pair such as "452-04"; nullptr if none.
    const Operator* operator_for_mcc_mnc(std::string_view mcc_mnc) const noexcept;
    const RadioDefaults& defaults_for(Tech tech) const;
    /// The level a measured sample of `tech` must reach: coverage_rule.measurement's own
    /// threshold for it, else the technology's radio_defaults threshold.
    double measurement_threshold_dbm(Tech tech) const;
};

} // namespace deadzone
