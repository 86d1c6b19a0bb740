// model/terrain_model: propagation models that read a terrain profile, registered by name (as
// PROJ registers operations) so that `model.propagation` selects one: "itm", "hata+diffraction".
#pragma once

#include <deadzone/model/settings.hpp>
#include <deadzone/model/diffraction.hpp>
#include <deadzone/model/itm.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::model {

struct TerrainLinkQuery {
    double freq_mhz = 900.0;
    double tx_height_m = 30.0; // above ground at the profile's first point
    double rx_height_m = 1.5;  // above ground at its last point
};

struct TerrainLoss {
    double loss_db = 0.0;
    std::string mode;                  // e.g. "line_of_sight", "diffraction", "troposcatter"
    std::vector<std::string> warnings; // validity sentences, never silent clamps
};

/// TerrainModelSettings: include/deadzone/model/settings.hpp.

class TerrainPathLossModel {
public:
    virtual ~TerrainPathLossModel() = default;
    virtual std::string_view name() const noexcept = 0;
    virtual TerrainLoss loss(const ItmProfile& profile, const TerrainLinkQuery& query) const = 0;

    /// The loss (dB) from the profile's first point to each point i = 1..intervals, in out[i - 1]:
    /// each equal bit for bit to loss(profile cut after point i).loss_db, except point 1, whose
    /// one-interval path gets its midpoint added (ITM needs two intervals; see
    /// first_point_profile). The default calls loss() on every cut; the models override it to
    /// share the work along the radial.
    virtual void radial_losses(const ItmProfile& profile, const TerrainLinkQuery& query, std::vector<double>& out) const;
};

/// Point 1 of a radial as a two-interval profile: the first two elevations with their midpoint.
ItmProfile first_point_profile(const ItmProfile& profile);

/// The model registered as `name`; throws std::invalid_argument listing the registered names.
std::unique_ptr<TerrainPathLossModel> make_terrain_model(std::string_view name, const TerrainModelSettings& settings);

/// Registered names, sorted.
std::vector<std::string> terrain_model_names();

} // namespace deadzone::model
