// model/terrain_footprint: footprints over a DEM. Per cell, radials along geodesics at evenly
// spaced azimuths, elevations sampled bilinearly every profile step, the path loss to each
// sample by the terrain model named in `model.propagation` (ITM or Hata + knife-edge
// diffraction), received power with the antenna pattern against the technology's threshold; the
// lit stretches of the radials become a MultiPolygon (polar_shape.hpp). Line of sight from the
// antenna is found on the way (a running horizon) for the villages' los_fraction.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/model/footprint.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace deadzone::model {

/// What the DEM checks found (voids are filled by interpolation, and counted here).
struct DemReport {
    std::string path;
    std::size_t void_cells = 0;
    double resolution_m = 0.0; // the DEM's cell size near its centre (the default profile step)
    geo::Box lonlat_extent;    // what the DEM covers, WGS84
};

/// Opens and checks the campaign's DEM: georeferenced, elevations in metres within -500..9000 m
/// (a DEM in feet or with an unset nodata value is refused), voids counted. Throws InputError
/// naming the DEM and what is wrong. Requires campaign.terrain_dem.
DemReport check_dem(const Campaign& campaign);

/// One warning per DEM with voids (they are filled by interpolation), for the diagnostics.
std::vector<Problem> dem_warnings(const DemReport& report);

/// The terrain model's factory; each model it makes opens its own DEM handle (the per-thread
/// contract in footprint.hpp). Throws what check_dem throws.
FootprintModelFactory make_terrain_footprint_factory(const Campaign& campaign);
/// The same with the DEM already checked (the pipeline reports its warnings first).
FootprintModelFactory make_terrain_footprint_factory(const Campaign& campaign, const DemReport& report);

/// "hata+diffraction (bullington, k = 1.333) over dem.tif, 360 radials, step 90 m" and the like.
std::string terrain_model_description(const Campaign& campaign);

/// The profile step (m) a campaign's terrain model uses: model.profile_step_m or the DEM's.
double profile_step_m(const Campaign& campaign, const DemReport& report);

} // namespace deadzone::model
