// model/settings: the propagation settings of the model stage — the campaign's `model` section
// (Hata family, antenna pattern, range cap) and, when `model.propagation` names a terrain model,
// that model's parameters and how the DEM is sampled. campaign.hpp holds one as a member.
#pragma once

#include <deadzone/model/parameters.hpp>

#include <optional>
#include <string>

namespace deadzone::model {

enum class PropagationModel { automatic, fspl, hata, cost231 };
enum class Environment { urban, suburban, open };
enum class CitySize { large, small };

/// The parameters of the terrain models; every field defaulted, each model reads its own.
struct TerrainModelSettings {
    itm::Parameters itm;                                     // "itm" (freq/heights come from the query)
    Environment environment = Environment::urban;            // "hata+diffraction"
    CitySize city = CitySize::large;                         // "hata+diffraction"
    DiffractionMethod diffraction = DiffractionMethod::bullington;
    double k_factor = 4.0 / 3.0;                             // effective earth radius factor
};

/// How a terrain footprint samples the DEM (campaign `model.radials`, `model.profile_step_m`).
struct TerrainSampling {
    int radials = 360;                    // azimuths, evenly spaced from north
    std::optional<double> profile_step_m; // empty: the DEM's resolution
};

/// The campaign's `model` section.
struct ModelSettings {
    double rx_height_m = 1.5;
    /// automatic: Okumura-Hata up to 1500 MHz, COST-231 Hata above (extrapolated past 2000 MHz).
    PropagationModel propagation = PropagationModel::automatic;
    Environment environment = Environment::open;
    CitySize city = CitySize::small;
    /// Horizontal pattern: A(theta) = -min(12 (theta/beamwidth)^2, max_attenuation_db).
    double max_attenuation_db = 20.0;
    /// No footprint reaches further than this, whatever the link budget says.
    double max_range_m = 35000.0;

    /// A terrain model's registered name ("itm", "hata+diffraction") when `model.propagation`
    /// names one; empty: the terrain-blind link-budget footprint above.
    std::string terrain_model;
    TerrainModelSettings terrain;
    TerrainSampling sampling;
};

} // namespace deadzone::model
