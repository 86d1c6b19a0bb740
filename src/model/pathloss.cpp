#include <deadzone/model/pathloss.hpp>

#include "loss_line.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace deadzone::model {

namespace {

constexpr double speed_of_light_m_s = 299792458.0;

// 20 log10(4 pi d f / c) with d in km and f in MHz: d f carries a factor 1e3 * 1e6.
const double fspl_constant_db = 20.0 * std::log10(4.0 * std::numbers::pi * 1e9 / speed_of_light_m_s);

void require_positive(double value, const char* what) {
    if (!std::isfinite(value) || value <= 0.0) {
        throw std::invalid_argument(fmt::format("{} must be a positive number (got {})", what, value));
    }
}

double small_city_a_hm(double log_f, double rx_height_m) {
    return (1.1 * log_f - 0.7) * rx_height_m - (1.56 * log_f - 0.8);
}

double large_city_a_hm(double freq_mhz, double rx_height_m) {
    const double low = 8.29 * std::pow(std::log10(1.54 * rx_height_m), 2) - 1.1;   // f <= 200 MHz
    const double high = 3.2 * std::pow(std::log10(11.75 * rx_height_m), 2) - 4.97; // f >= 400 MHz
    if (freq_mhz <= 200.0) {
        return low;
    }
    if (freq_mhz >= 400.0) {
        return high;
    }
    // Hata gives no large-city correction between 200 and 400 MHz; interpolating linearly in
    // log f joins the two published forms without a jump.
    const double t = std::log10(freq_mhz / 200.0) / std::log10(2.0);
    return low + t * (high - low);
}

// Hata's open-area correction (subtracted from the small/medium-city urban loss).
double open_correction_db(double log_f) {
    return 4.78 * log_f * log_f - 18.33 * log_f + 40.94;
}

double suburban_correction_db(double freq_mhz) {
    const double x = std::log10(freq_mhz / 28.0);
    return 2.0 * x * x + 5.4;
}

void validate(PropagationModel model, const PathLossQuery& query) {
    require_positive(query.freq_mhz, "frequency (MHz)");
    if (model != PropagationModel::fspl) {
        require_positive(query.tx_height_m, "transmitter height (m)");
        require_positive(query.rx_height_m, "receiver height (m)");
    }
}

} // namespace

PropagationModel resolve(PropagationModel model, double freq_mhz) noexcept {
    if (model != PropagationModel::automatic) {
        return model;
    }
    return freq_mhz <= 1500.0 ? PropagationModel::hata : PropagationModel::cost231;
}

namespace detail {

LossLine loss_line(PropagationModel model, const PathLossQuery& query) {
    model = resolve(model, query.freq_mhz);
    validate(model, query);
    const double f = query.freq_mhz;
    const double log_f = std::log10(f);
    if (model == PropagationModel::fspl) {
        return LossLine{fspl_constant_db + 20.0 * log_f, 20.0};
    }
    const double log_hb = std::log10(query.tx_height_m);
    const double hm = query.rx_height_m;
    const double slope = 44.9 - 6.55 * log_hb;
    if (slope <= 0.0) {
        throw std::invalid_argument(
            fmt::format("transmitter height {} m is outside any Hata-type model", query.tx_height_m));
    }
    const bool large_urban = query.environment == Environment::urban && query.city == CitySize::large;
    // Suburban and open areas are corrections to the small/medium-city urban loss.
    const double a_hm = large_urban ? large_city_a_hm(f, hm) : small_city_a_hm(log_f, hm);

    double intercept = 0.0;
    if (model == PropagationModel::hata) {
        intercept = 69.55 + 26.16 * log_f - 13.82 * log_hb - a_hm;
        if (query.environment == Environment::suburban) {
            intercept -= suburban_correction_db(f);
        } else if (query.environment == Environment::open) {
            intercept -= open_correction_db(log_f);
        }
    } else { // cost231
        const double c_db = large_urban ? 3.0 : 0.0;
        intercept = 46.3 + 33.9 * log_f - 13.82 * log_hb - a_hm + c_db;
        // COST 231 defines no open-area form; Hata's open correction is applied as an extension.
        if (query.environment == Environment::open) {
            intercept -= open_correction_db(log_f);
        }
    }
    return LossLine{intercept, slope};
}

} // namespace detail

double path_loss_db(PropagationModel model, const PathLossQuery& query) {
    const auto line = detail::loss_line(model, query);
    require_positive(query.distance_km, "distance (km)");
    return line.intercept_db + line.slope_db * std::log10(query.distance_km);
}

double distance_km_for_loss(PropagationModel model, const PathLossQuery& query, double loss_db) {
    if (!std::isfinite(loss_db)) {
        throw std::invalid_argument("path loss must be a finite number");
    }
    const auto line = detail::loss_line(model, query);
    return std::pow(10.0, (loss_db - line.intercept_db) / line.slope_db);
}

std::vector<std::string> validity_warnings(PropagationModel model, const PathLossQuery& query) {
    model = resolve(model, query.freq_mhz);
    std::vector<std::string> warnings;
    if (model == PropagationModel::fspl) {
        return warnings; // free space holds at any positive distance and frequency
    }
    const char* name = model == PropagationModel::hata ? "Okumura-Hata" : "COST-231 Hata";
    const double f_min = model == PropagationModel::hata ? 150.0 : 1500.0;
    const double f_max = model == PropagationModel::hata ? 1500.0 : 2000.0;
    auto check = [&](double value, double low, double high, const char* what, const char* unit) {
        if (value < low || value > high) {
            warnings.push_back(fmt::format("{} {:g} {} is outside the {} validity range {:g}-{:g} {}",
                                           what, value, unit, name, low, high, unit));
        }
    };
    check(query.freq_mhz, f_min, f_max, "frequency", "MHz");
    check(query.tx_height_m, 30.0, 200.0, "transmitter height", "m");
    check(query.rx_height_m, 1.0, 10.0, "receiver height", "m");
    check(query.distance_km, 1.0, 20.0, "distance", "km");
    if (model == PropagationModel::cost231 && query.environment == Environment::open) {
        warnings.emplace_back("COST-231 Hata defines no open-area form: Hata's open-area correction "
                              "was applied to the medium-city loss (an extension)");
    }
    return warnings;
}

const char* to_string(PropagationModel model) noexcept {
    switch (model) {
    case PropagationModel::automatic: return "automatic";
    case PropagationModel::fspl: return "fspl";
    case PropagationModel::hata: return "hata";
    case PropagationModel::cost231: return "cost231";
    }
    return "?";
}

const char* to_string(Environment environment) noexcept {
    switch (environment) {
    case Environment::urban: return "urban";
    case Environment::suburban: return "suburban";
    case Environment::open: return "open";
    }
    return "?";
}

const char* to_string(CitySize city) noexcept {
    switch (city) {
    case CitySize::large: return "large";
    case CitySize::small: return "small";
    }
    return "?";
}

} // namespace deadzone::model
