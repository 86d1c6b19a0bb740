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
