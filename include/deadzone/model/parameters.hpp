// model/parameters: the model's plain parameter types — ITM's inputs (itm::Parameters) and the
// diffraction method. Header-only: nothing here is implemented in src/model/, so settings.hpp —
// and through it core/campaign.hpp — names them without reaching a function of the model stage
// (itm.hpp and diffraction.hpp include this and declare what the model computes).
#pragma once

namespace deadzone::model {

enum class DiffractionMethod { bullington, deygout };

namespace itm {

enum class Polarization { horizontal = 0, vertical = 1 };

/// ITM's radio climates (the numbers are ITM's own, 1-7).
enum class Climate {
    equatorial = 1,
    continental_subtropical = 2,
    maritime_subtropical = 3,
    desert = 4,
    continental_temperate = 5,
    maritime_temperate_over_land = 6,
    maritime_temperate_over_sea = 7,
};

/// The quantiles asked for: time/location/situation, or confidence/reliability (which ITM maps
/// to situation = confidence, time = reliability, location = 50).
struct Quantiles {
    double time_pct = 50.0;
    double location_pct = 50.0;
    double situation_pct = 50.0;

    static Quantiles from_confidence_reliability(double confidence_pct, double reliability_pct) {
        return Quantiles{reliability_pct, 50.0, confidence_pct};
    }
};

/// Every field has ITM's usual default; heights are above ground.
struct Parameters {
    double freq_mhz = 900.0;
    double tx_height_m = 30.0;
    double rx_height_m = 1.5;
    Climate climate = Climate::continental_temperate;
    double n0 = 301.0;       // surface refractivity at sea level, N-units
    double epsilon = 15.0;   // relative permittivity of the ground
    double sigma = 0.005;    // ground conductivity, S/m
    Polarization polarization = Polarization::vertical;
    int mdvar = 12;          // mode of variability: 0-3, +10 no location, +20 no situation variability
    Quantiles quantiles;
};

} // namespace itm
} // namespace deadzone::model
