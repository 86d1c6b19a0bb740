// model/pathloss: median path loss from published empirical formulas — free space (ITU-R P.525),
// Okumura-Hata (urban large/small city, suburban, open) and COST-231 Hata — and their inverse.
#pragma once

#include <deadzone/model/settings.hpp>

#include <string>
#include <vector>

namespace deadzone::model {

struct PathLossQuery {
    double freq_mhz = 900.0;
    double tx_height_m = 30.0; // base station antenna height above ground
    double rx_height_m = 1.5;  // mobile antenna height
    double distance_km = 1.0;
    Environment environment = Environment::urban;
    CitySize city = CitySize::large;
};

/// automatic → hata up to 1500 MHz, cost231 above.
PropagationModel resolve(PropagationModel model, double freq_mhz) noexcept;

/// Median path loss in dB.
double path_loss_db(PropagationModel model, const PathLossQuery& query);

/// The distance (km) at which path loss equals `loss_db` (query.distance_km is ignored).
double distance_km_for_loss(PropagationModel model, const PathLossQuery& query, double loss_db);

/// Sentences naming each parameter outside the model's validity range (empty when valid).
std::vector<std::string> validity_warnings(PropagationModel model, const PathLossQuery& query);

const char* to_string(PropagationModel model) noexcept;
const char* to_string(Environment environment) noexcept;
const char* to_string(CitySize city) noexcept;

} // namespace deadzone::model
