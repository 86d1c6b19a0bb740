// ITM point-to-point entry: input checks (ITM's errors become ParameterError naming the input,
// its warnings are flags), the path's refractivity and ground impedance, then terrain analysis,
// reference attenuation and variability. Also the profile-file parser.
#include <deadzone/model/itm.hpp>

#include <deadzone/core/error.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace deadzone::model {

namespace {

bool is_separator(char c) { return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

} // namespace

ItmProfile parse_itm_profile(std::string_view text, const std::string& source_name) {
    std::vector<double> values;
    std::vector<Problem> problems;
    const Location where{source_name, std::nullopt, {}, std::nullopt};
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && is_separator(text[pos])) ++pos;
        if (pos >= text.size()) break;
        std::size_t end = pos;
        while (end < text.size() && !is_separator(text[end])) ++end;
        const std::string_view token = text.substr(pos, end - pos);
        double value = 0.0;
        const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
        const std::string field = fmt::format("value {}", values.size() + 1);
        if (ec != std::errc() || ptr != token.data() + token.size() || !std::isfinite(value)) {
            // Show at most 40 characters of the offending token; hostile input can be long.
            const std::string shown(token.substr(0, 40));
            problems.push_back(Problem{Severity::error, where, field, "not_a_number",
                                       fmt::format("'{}{}' is not a number", shown, token.size() > 40 ? "..." : "")});
            if (problems.size() >= 20) break;
        }
        values.push_back(value);
        pos = end;
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
    if (values.size() < 2) {
        throw InputError(where, "intervals", "missing",
                         "a profile starts with the number of intervals and the spacing in metres");
    }
    const double intervals = values[0];
    if (intervals != std::floor(intervals) || intervals < 2.0 || intervals > 1e7) {
        throw InputError(where, "intervals", "out_of_range",
                         fmt::format("the number of intervals must be a whole number of at least 2 (got {:g})", intervals));
    }
    if (!(values[1] > 0.0)) {
        throw InputError(where, "spacing", "out_of_range",
                         fmt::format("the spacing must be a positive number of metres (got {:g})", values[1]));
    }
    const auto expected = static_cast<std::size_t>(intervals) + 1;
    if (values.size() - 2 != expected) {
        throw InputError(where, "elevations", "count",
                         fmt::format("{:g} intervals need {} elevations, found {}", intervals, expected, values.size() - 2));
    }
    ItmProfile profile;
    profile.spacing_m = values[1];
    profile.elevations_m.assign(values.begin() + 2, values.end());
    return profile;
}

namespace itm {

namespace {

void require(bool ok, const char* parameter, const std::string& message) {
    if (!ok) {
        throw ParameterError(parameter, message);
    }
}

bool percentage_ok(double p) { return std::isfinite(p) && p > 0.0 && p < 100.0; }

// ITM's ValidateInputs for the profile (the parameters: validate_parameters).
void validate_profile(const ItmProfile& profile) {
    require(profile.intervals() >= 2, "profile", "a profile needs at least 2 intervals");
    require(std::isfinite(profile.spacing_m) && profile.spacing_m > 0.0, "profile", "the profile spacing must be positive");
    for (const double z : profile.elevations_m) {
        require(std::isfinite(z), "profile", "the profile has a non-finite elevation");
    }
}

} // namespace

Result point_to_point(const ItmProfile& profile, const Parameters& p) {
    const unsigned warnings = detail::validate_parameters(p);
    validate_profile(profile);
    const int np = profile.intervals();
    const auto& z = profile.elevations_m;

    // Mean height of the path, leaving out the first and last 10 %, sets the surface
    // refractivity [TN101, Eqn 4.3].
    const int p10 = static_cast<int>(0.1 * np);
    double h_sys = 0.0;
    for (int i = p10; i <= np - p10; ++i) h_sys += z[i];
    h_sys /= (np - 2 * p10 + 1);

    const double n_s = detail::surface_refractivity(p.n0, h_sys);
    const double gamma_e = detail::earth_curvature(n_s);
    const auto t = detail::analyse_terrain(profile, gamma_e, p.tx_height_m, p.rx_height_m);
    return detail::predict(t, p, n_s, 1.0 / gamma_e, detail::ground_impedance(p), warnings);
}

namespace detail {

// ITM's ValidateInputs for the parameters: the hard limits throw, the soft ones set warning flags.
unsigned validate_parameters(const Parameters& p) {
    unsigned warnings = 0;
    require(std::isfinite(p.tx_height_m) && p.tx_height_m >= 0.5 && p.tx_height_m <= 3000.0, "tx-height-m",
            fmt::format("transmitter height must be 0.5-3000 m (got {:g})", p.tx_height_m));
    require(std::isfinite(p.rx_height_m) && p.rx_height_m >= 0.5 && p.rx_height_m <= 3000.0, "rx-height-m",
            fmt::format("receiver height must be 0.5-3000 m (got {:g})", p.rx_height_m));
    if (p.tx_height_m < 1.0 || p.tx_height_m > 1000.0) warnings |= warning::tx_terminal_height;
    if (p.rx_height_m < 1.0 || p.rx_height_m > 1000.0) warnings |= warning::rx_terminal_height;
    const int climate = static_cast<int>(p.climate);
    require(climate >= 1 && climate <= 7, "climate", fmt::format("climate must be 1-7 (got {})", climate));
    require(std::isfinite(p.n0) && p.n0 >= 250.0 && p.n0 <= 400.0, "n0",
            fmt::format("refractivity N0 must be 250-400 N-units (got {:g})", p.n0));
    require(std::isfinite(p.freq_mhz) && p.freq_mhz >= 20.0 && p.freq_mhz <= 20000.0, "freq-mhz",
            fmt::format("frequency must be 20-20000 MHz (got {:g})", p.freq_mhz));
    if (p.freq_mhz < 40.0 || p.freq_mhz > 10000.0) warnings |= warning::frequency;
    require(p.polarization == Polarization::horizontal || p.polarization == Polarization::vertical, "polarization",
            "polarization must be horizontal or vertical");
    require(std::isfinite(p.epsilon) && p.epsilon >= 1.0, "epsilon",
            fmt::format("relative permittivity must be at least 1 (got {:g})", p.epsilon));
    require(std::isfinite(p.sigma) && p.sigma > 0.0, "sigma",
            fmt::format("conductivity must be positive (got {:g})", p.sigma));
    const int m = p.mdvar;
    require(m >= 0 && m <= 33 && m % 10 <= 3, "mdvar",
            fmt::format("mdvar must be 0-3, 10-13, 20-23 or 30-33 (got {})", m));
    require(percentage_ok(p.quantiles.situation_pct), "situation",
            fmt::format("situation must be strictly between 0 and 100 % (got {:g})", p.quantiles.situation_pct));
    require(percentage_ok(p.quantiles.time_pct), "time",
            fmt::format("time must be strictly between 0 and 100 % (got {:g})", p.quantiles.time_pct));
    require(percentage_ok(p.quantiles.location_pct), "location",
            fmt::format("location must be strictly between 0 and 100 % (got {:g})", p.quantiles.location_pct));
    return warnings;
}

double surface_refractivity(double n0, double h_sys_m) { return h_sys_m == 0.0 ? n0 : n0 * std::exp(-h_sys_m / 9460.0); }

double earth_curvature(double n_s) { return 157e-9 * (1.0 - 0.04665 * std::exp(n_s / 179.3)); }

std::complex<double> ground_impedance(const Parameters& p) {
    const std::complex<double> ep_r(p.epsilon, 18000.0 * p.sigma / p.freq_mhz);
    std::complex<double> z_g = std::sqrt(ep_r - 1.0);
    if (p.polarization == Polarization::vertical) z_g /= ep_r;
    return z_g;
}

Result predict(const TerrainAnalysis& t, const Parameters& p, double n_s, double a_e_m, std::complex<double> z_g,
               unsigned warnings) {
    Result r;
    r.warnings = warnings;
    Geometry g;
    g.freq_mhz = p.freq_mhz;
    g.n_s = n_s;
    g.a_e_m = a_e_m;
    g.z_g = z_g;
    g.delta_h_m = t.delta_h_m;
    g.h_m[0] = p.tx_height_m;
    g.h_m[1] = p.rx_height_m;
    for (int k = 0; k < 2; ++k) {
        g.h_e_m[k] = t.h_e_m[k];
        g.d_hzn_m[k] = t.d_hzn_m[k];
        g.theta_hzn_rad[k] = t.theta_hzn_rad[k];
    }
    const auto ref = longley_rice(t.distance_m, g, r.warnings);

    r.free_space_db = free_space_db(t.distance_m, p.freq_mhz);
    r.loss_db = variability_db(p.quantiles, g.h_e_m, g.delta_h_m, p.freq_mhz, t.distance_m, ref.a_ref_db, p.climate,
                               p.mdvar, r.warnings) +
                r.free_space_db;
    r.reference_attenuation_db = ref.a_ref_db;
    r.mode = ref.mode;
    r.distance_m = t.distance_m;
    for (int k = 0; k < 2; ++k) {
        r.theta_hzn_rad[k] = t.theta_hzn_rad[k];
        r.d_hzn_m[k] = t.d_hzn_m[k];
        r.h_e_m[k] = t.h_e_m[k];
    }
    r.n_s = n_s;
    r.delta_h_m = t.delta_h_m;
    return r;
}

} // namespace detail

std::vector<std::string> warning_messages(unsigned flags) {
    static const std::pair<unsigned, const char*> texts[] = {
        {warning::tx_terminal_height, "transmitter height is outside 1-1000 m, near ITM's limits"},
        {warning::rx_terminal_height, "receiver height is outside 1-1000 m, near ITM's limits"},
        {warning::frequency, "frequency is outside 40-10000 MHz, near ITM's limits"},
        {warning::path_distance_too_big_1, "path distance is over 1000 km, near ITM's upper limit"},
        {warning::path_distance_too_big_2, "path distance is over 2000 km: take care with the result"},
        {warning::path_distance_too_small_1, "path distance is below |h_e,tx - h_e,rx| / 0.2, near ITM's lower limit"},
        {warning::path_distance_too_small_2, "path distance is below 1 km: take care with the result"},
        {warning::tx_horizon_angle, "transmitter horizon angle exceeds 200 mrad: small-angle approximations may break down"},
        {warning::rx_horizon_angle, "receiver horizon angle exceeds 200 mrad: small-angle approximations may break down"},
        {warning::tx_horizon_distance_1, "transmitter horizon is nearer than 1/10 of the smooth-earth horizon"},
        {warning::rx_horizon_distance_1, "receiver horizon is nearer than 1/10 of the smooth-earth horizon"},
        {warning::tx_horizon_distance_2, "transmitter horizon is farther than 3 times the smooth-earth horizon"},
        {warning::rx_horizon_distance_2, "receiver horizon is farther than 3 times the smooth-earth horizon"},
        {warning::extreme_variabilities, "a quantile lies far in the tail of its distribution (|z| > 3.1)"},
        {warning::surface_refractivity, "surface refractivity N_s is below 250 N-units: take care with the result"},
    };
    std::vector<std::string> out;
    for (const auto& [flag, text] : texts) {
        if (flags & flag) out.emplace_back(text);
    }
    return out;
}

const char* to_string(PropagationMode mode) noexcept {
    switch (mode) {
    case PropagationMode::line_of_sight: return "line_of_sight";
    case PropagationMode::diffraction: return "diffraction";
    case PropagationMode::troposcatter: return "troposcatter";
    case PropagationMode::not_set: break;
    }
    return "not_set";
}

} // namespace itm
} // namespace deadzone::model
