// A campaign: operators, milestones, coverage rule, radio defaults and propagation settings,
// and optionally the paths of its input files (campaign.json, see DESIGN.md).
#pragma once

#include <deadzone/date.hpp>
#include <deadzone/entities.hpp>
#include <deadzone/error.hpp>
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

struct CoverageRule {
    double min_fraction = 0.9;       // share of the village that must be covered
    double village_radius_m = 500.0; // disc radius for villages given as points
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
    /// Optional elevation model (`terrain.dem`, any GDAL raster, metres) for terrain footprints.
    std::optional<std::filesystem::path> terrain_dem;

    // Input files, resolved against the campaign file's folder.
    std::filesystem::path base_dir;
    std::optional<std::filesystem::path> villages;
    std::optional<std::filesystem::path> commitments;
    std::vector<std::filesystem::path> stations;
    /// The campaign file itself (empty when built in code).
    std::filesystem::path file;
    /// Warnings found while loading (keys deadzone does not read), for the commands to print.
    std::vector<Problem> warnings;

    const Operator* find_operator(std::string_view code) const noexcept;
    /// Operator code for an "MCC-MNC" pair such as "452-04"; nullptr if none.
    const Operator* operator_for_mcc_mnc(std::string_view mcc_mnc) const noexcept;
    const RadioDefaults& defaults_for(Tech tech) const;
};

} // namespace deadzone
