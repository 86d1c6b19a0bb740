// model/itm: the ITS Irregular Terrain Model (Longley-Rice) in point-to-point mode, following
// NTIA's published algorithm (Hufford, "The ITS Irregular Terrain Model, version 1.2.2: the
// algorithm", and NTIA/ITS ITM v1.4): terrain analysis, reference attenuation, variability.
#pragma once

#include <deadzone/model/parameters.hpp>

#include <complex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::model {

/// A terrain profile in ITM's form: equally spaced ground elevations (m above sea level) from
/// the transmitter (first) to the receiver (last); intervals = elevations.size() - 1.
struct ItmProfile {
    double spacing_m = 0.0;
    std::vector<double> elevations_m;

    int intervals() const noexcept { return static_cast<int>(elevations_m.size()) - 1; }
    double distance_m() const noexcept { return intervals() * spacing_m; }
};

/// Parses ITM's profile text: the number of intervals, the spacing in metres, then intervals + 1
/// elevations, separated by commas, spaces, tabs or newlines. Throws InputError naming
/// `source_name` and the field (a value's 1-based position) that is wrong.
ItmProfile parse_itm_profile(std::string_view text, const std::string& source_name);

namespace itm {

// Its inputs (Parameters, Climate, Polarization, Quantiles): model/parameters.hpp.

enum class PropagationMode { not_set = 0, line_of_sight = 1, diffraction = 2, troposcatter = 3 };

/// ITM's warning flags (the bit values are ITM's, so they can be compared with its output).
namespace warning {
inline constexpr unsigned tx_terminal_height = 0x0001;
inline constexpr unsigned rx_terminal_height = 0x0002;
inline constexpr unsigned frequency = 0x0004;
inline constexpr unsigned path_distance_too_big_1 = 0x0008;
inline constexpr unsigned path_distance_too_big_2 = 0x0010;
inline constexpr unsigned path_distance_too_small_1 = 0x0020;
inline constexpr unsigned path_distance_too_small_2 = 0x0040;
inline constexpr unsigned tx_horizon_angle = 0x0080;
inline constexpr unsigned rx_horizon_angle = 0x0100;
inline constexpr unsigned tx_horizon_distance_1 = 0x0200;
inline constexpr unsigned rx_horizon_distance_1 = 0x0400;
inline constexpr unsigned tx_horizon_distance_2 = 0x0800;
inline constexpr unsigned rx_horizon_distance_2 = 0x1000;
inline constexpr unsigned extreme_variabilities = 0x2000;
inline constexpr unsigned surface_refractivity = 0x4000;
} // namespace warning

struct Result {
    double loss_db = 0.0;                  // basic transmission loss at the asked quantiles
    double free_space_db = 0.0;
    double reference_attenuation_db = 0.0; // A_ref: median loss over free space
    PropagationMode mode = PropagationMode::not_set;
    double distance_m = 0.0;
    double theta_hzn_rad[2] = {0.0, 0.0};  // horizon elevation angles, tx then rx
    double d_hzn_m[2] = {0.0, 0.0};        // horizon distances
    double h_e_m[2] = {0.0, 0.0};          // effective heights
    double n_s = 0.0;                      // surface refractivity at the path's height, N-units
    double delta_h_m = 0.0;                // terrain irregularity Δh
    unsigned warnings = 0;                 // ITM's warning flags
};

/// An input ITM cannot use (its "errors"); parameter() is the option/setting name.
class ParameterError : public std::invalid_argument {
public:
    ParameterError(std::string parameter, const std::string& message)
        : std::invalid_argument(message), m_parameter(std::move(parameter)) {}
    const std::string& parameter() const noexcept { return m_parameter; }

private:
    std::string m_parameter;
};

/// Point-to-point prediction over `profile`. Throws ParameterError for inputs ITM rejects;
/// inputs ITM only warns about are computed and flagged in Result::warnings.
Result point_to_point(const ItmProfile& profile, const Parameters& parameters);

/// ITM along one radial: the loss from the profile's first point to each later point i, equal bit
/// for bit to point_to_point() over the profile cut after point i (a test checks it on random
/// profiles), without copying the profile or allocating per point. What does not depend on the
/// receiver is done once: the inputs' checks, the ground impedance, every sample's distance and
/// slope seen from the transmitter; the path's mean height (refractivity) is a running sum,
/// restarted only when ITM's 10 % trim moves. What depends on where the receiver is (its horizon,
/// the windows of Δh and of the least-squares fits, which move with the horizons) is recomputed
/// per point in O(i) — docs/model.md says why that part cannot be exact incrementally.
class RadialPath {
public:
    /// Throws ParameterError as point_to_point() does for bad parameters; a non-finite elevation
    /// only fails the points at or beyond it (as their from-scratch calls would).
    RadialPath(const ItmProfile& profile, const Parameters& parameters);
    RadialPath(const RadialPath&) = delete;
    RadialPath& operator=(const RadialPath&) = delete;

    /// point_to_point() over elevations [0, i], 2 <= i <= intervals of the profile. Fastest when
    /// called with i increasing by one.
    Result at(int i);
    int intervals() const noexcept { return m_np; }

private:
    const double* m_z;
    int m_np;
    double m_spacing_m;
    Parameters m_parameters;
    unsigned m_warnings = 0;
    int m_first_bad;                 // first non-finite elevation (m_np + 1 when none)
    std::complex<double> m_z_g;
    std::vector<double> m_d_tx;      // ITM's running distance of each sample from the transmitter
    std::vector<double> m_slope_tx;  // (z[i] - z_tx) / d_tx[i]
    int m_sum_from = -1;             // running sum of z[m_sum_from .. m_sum_to], in index order
    int m_sum_to = -1;
    double m_sum = 0.0;
};

/// One sentence per set flag, in flag order.
std::vector<std::string> warning_messages(unsigned flags);

const char* to_string(PropagationMode mode) noexcept;

/// The sub-steps, exposed for tests and for incremental radial computations.
namespace detail {

struct TerrainAnalysis {
    double distance_m = 0.0;
    double theta_hzn_rad[2] = {0.0, 0.0};
    double d_hzn_m[2] = {0.0, 0.0};
    double h_e_m[2] = {0.0, 0.0};
    double delta_h_m = 0.0;
};

struct Horizons {
    double theta_rad[2] = {0.0, 0.0};
    double distance_m[2] = {0.0, 0.0};
};

/// Horizon angles and distances of both terminals over an effective earth of radius a_e.
Horizons find_horizons(const ItmProfile& profile, double a_e_m, double tx_height_m, double rx_height_m);

/// ITM's least-squares line through the elevations between two distances: the fitted heights
/// at the profile's start and end.
struct LineFit {
    double start_m = 0.0;
    double end_m = 0.0;
};
LineFit least_squares_fit(const double* elevations_m, int intervals, double spacing_m, double d_start_m,
                          double d_end_m);

/// The same over elevations z[0..intervals] (no copy).
double delta_h(const double* elevations_m, int intervals, double spacing_m, double d_start_m, double d_end_m);

/// Terrain irregularity Δh: the 10-90 % interdecile of the elevations about their least-squares
/// line between d_start and d_end, scaled to an infinite path.
double delta_h(const ItmProfile& profile, double d_start_m, double d_end_m);

/// Horizons, effective heights and Δh of a profile (ITM's "quick profile" step).
TerrainAnalysis analyse_terrain(const ItmProfile& profile, double gamma_e, double tx_height_m, double rx_height_m);
/// The same with the horizons already found, over elevations z[0..intervals] (no copy).
TerrainAnalysis analyse_terrain(const double* elevations_m, int intervals, double spacing_m, double a_e_m,
                                double tx_height_m, double rx_height_m, const Horizons& horizons);

/// ITM's checks of the parameters (not the profile): throws ParameterError, returns warning flags.
unsigned validate_parameters(const Parameters& parameters);
/// Surface refractivity N_s at the path's mean height h_sys [TN101, Eqn 4.3].
double surface_refractivity(double n0, double h_sys_m);
/// Effective earth curvature γ_e = 1/a_e from N_s [TN101, Eqn 4.4].
double earth_curvature(double n_s);
/// Ground transfer impedance Z_g for the frequency, ground constants and polarization.
std::complex<double> ground_impedance(const Parameters& parameters);
/// The rest of point_to_point once the terrain is analysed: reference attenuation, variability.
Result predict(const TerrainAnalysis& terrain, const Parameters& parameters, double n_s, double a_e_m,
               std::complex<double> z_g, unsigned warnings);

/// Knife-edge loss A(v, 0) in dB from v² (ITM's approximation of the Fresnel integral).
double fresnel_integral_db(double v2);
double knife_edge_db(double d_m, double freq_mhz, double a_e_m, double theta_los, const double d_hzn_m[2]);
double height_function_db(double x_km, double k);
double smooth_earth_db(double d_m, double freq_mhz, double a_e_m, double theta_los, const double d_hzn_m[2],
                       const double h_e_m[2], std::complex<double> z_g);
double terrain_roughness_m(double d_m, double delta_h_m);
double sigma_h_m(double delta_h_m);

struct Geometry {
    double freq_mhz = 0.0;
    std::complex<double> z_g;
    double a_e_m = 0.0;
    double n_s = 0.0;
    double delta_h_m = 0.0;
    double h_m[2] = {0.0, 0.0};
    double h_e_m[2] = {0.0, 0.0};
    double d_hzn_m[2] = {0.0, 0.0};
    double theta_hzn_rad[2] = {0.0, 0.0};
};

double diffraction_db(double d_m, const Geometry& g, double theta_los, double d_sml_m);
double troposcatter_db(double d_m, const Geometry& g, double theta_los, double& h0);

struct Reference {
    double a_ref_db = 0.0;
    PropagationMode mode = PropagationMode::not_set;
};
/// Longley-Rice reference attenuation at distance d; adds warning flags to `warnings`.
Reference longley_rice(double d_m, const Geometry& g, unsigned& warnings);

/// Inverse complementary normal distribution Q⁻¹(q), Abramowitz & Stegun 26.2.23.
double inverse_ccdf(double q);
/// Loss over free space at the asked quantiles (ITM's variability step).
double variability_db(const Quantiles& quantiles, const double h_e_m[2], double delta_h_m, double freq_mhz,
                      double d_m, double a_ref_db, Climate climate, int mdvar, unsigned& warnings);
double free_space_db(double d_m, double freq_mhz);

} // namespace detail
} // namespace itm
} // namespace deadzone::model
