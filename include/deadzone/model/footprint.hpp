// model/footprint: one coverage polygon per cell from its link budget — received power =
// EIRP + antenna pattern(theta) - path loss(d) reaching the technology's threshold — with
// vertices placed geodesically. Pluggable: a terrain-aware model can replace CoverageModel.
#pragma once

#include <deadzone/campaign.hpp>
#include <deadzone/entities.hpp>
#include <deadzone/geo/types.hpp>
#include <deadzone/progress.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace deadzone::model {

/// A cell's radio parameters after applying the campaign's per-technology defaults.
struct RadioParams {
    double freq_mhz = 0;
    double eirp_dbm = 0;
    double height_m = 0;
    double beamwidth_deg = 360;
    std::optional<double> azimuth_deg; // empty = omni
    double threshold_dbm = 0;
    std::optional<double> range_m;     // fixed radius, overrides the propagation model
};
RadioParams radio_params(const Cell& cell, const Campaign& campaign);

/// The 3GPP parabolic horizontal pattern in dB (<= 0): -min(12 (theta/beamwidth)^2, max),
/// theta = off-boresight angle in degrees, wrapped into [-180, 180].
double antenna_pattern_db(double off_boresight_deg, double beamwidth_deg,
                          double max_attenuation_db) noexcept;

/// How far (m) the link budget reaches in the direction `off_boresight_deg` (ignored for omni
/// cells): min(distance where EIRP + pattern - loss = threshold, settings.max_range_m), or
/// radio.range_m when set. Throws std::invalid_argument for non-positive radio values.
double reach_m(const RadioParams& radio, const ModelSettings& settings, double off_boresight_deg = 0.0);

/// Decides how far a cell reaches; the default is the link-budget model above.
class CoverageModel {
public:
    virtual ~CoverageModel() = default;
    /// The footprint polygon (WGS84, CCW) of one cell.
    virtual geo::Polygon footprint(const Cell& cell, const RadioParams& radio) const = 0;
};

/// The link-budget model with the campaign's ModelSettings.
std::unique_ptr<CoverageModel> make_link_budget_model(const Campaign& campaign);

struct Footprint {
    std::size_t cell = 0;    // index into the cell list
    geo::Polygon polygon;    // WGS84, CCW, valid
    geo::Box box;            // envelope of polygon
    double area_km2 = 0;     // geodesic
};

struct FootprintOptions {
    int threads = 0; // 0 = all cores
};

/// One footprint per cell (in cell order), computed in parallel.
std::vector<Footprint> build_footprints(const std::vector<Cell>& cells, const Campaign& campaign,
                                        const FootprintOptions& options = {},
                                        const Progress& progress = {});

} // namespace deadzone::model
