// `deadzone pathloss`: the path loss of one link from a published model — Okumura-Hata,
// COST-231 Hata or free space over a distance, or ITM / Hata + P.526 diffraction over a terrain
// profile file — with the inputs echoed and validity-range warnings.
#include "command.hpp"

#include <deadzone/cli/cli.hpp>
#include <deadzone/core/campaign.hpp>
#include <deadzone/model/itm.hpp>
#include <deadzone/model/pathloss.hpp>
#include <deadzone/model/terrain_model.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>

namespace deadzone::cli {

namespace {

double require_positive(const char* option, double value) {
    if (!std::isfinite(value) || value <= 0.0) {
        throw UsageError(fmt::format("pathloss: {} must be a positive number (got {})", option, value));
    }
    return value;
}

nlohmann::ordered_json optional_number(const std::optional<double>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

double round2(double value) { return std::round(value * 100.0) / 100.0; }

// The options of the terrain models (itm, hata+diffraction): declared with the others, checked
// only when one of those models is asked for.
class TerrainPathlossOptions {
public:
    void setup(CLI::App& app) {
        m_options.push_back(app.add_option("--profile", m_profile_path,
                                           "Terrain profile file (itm, hata+diffraction): number of intervals, "
                                           "spacing in m, then the elevations in m from tx to rx, separated by "
                                           "commas, spaces or newlines"));
        m_options.push_back(app.add_option("--climate", m_climate,
                                           "ITM radio climate 1-7: 1 equatorial, 2 continental subtropical, 3 "
                                           "maritime subtropical, 4 desert, 5 continental temperate, 6 maritime "
                                           "temperate over land, 7 over sea (default: 5)"));
        m_options.push_back(app.add_option("--n0", m_n0, "ITM surface refractivity in N-units (default: 301)"));
        m_options.push_back(app.add_option("--epsilon", m_epsilon, "ITM ground relative permittivity (default: 15)"));
        m_options.push_back(app.add_option("--sigma", m_sigma, "ITM ground conductivity in S/m (default: 0.005)"));
        m_options.push_back(app.add_option("--polarization", m_polarization, "horizontal | vertical (default: vertical)")
                                ->check(CLI::IsMember({"horizontal", "vertical"})));
        m_options.push_back(app.add_option("--mdvar", m_mdvar,
                                           "ITM mode of variability: 0 single message, 1 accidental, 2 mobile, 3 "
                                           "broadcast; +10 no location, +20 no situation variability (default: 12)"));
        for (const auto& [name, target] : {std::pair{"--time", &m_time}, std::pair{"--location", &m_location},
                                           std::pair{"--situation", &m_situation},
                                           std::pair{"--confidence", &m_confidence},
                                           std::pair{"--reliability", &m_reliability}}) {
            m_options.push_back(app.add_option(name, *target, "ITM quantile in percent, 0 < p < 100 (default: 50)"));
        }
        m_options.push_back(app.add_option("--diffraction", m_diffraction,
                                           "hata+diffraction: bullington | deygout (default: bullington)")
                                ->check(CLI::IsMember({"bullington", "deygout"})));
    }

    bool any_given() const { return !first_given().empty(); }
    std::string first_given() const {
        for (const auto* o : m_options) {
            if (o->count() > 0) return o->get_name();
        }
        return {};
    }

    int run(Context& context, const std::string& model_name, double freq_mhz, std::optional<double> tx_height_m,
            std::optional<double> rx_height_m, const std::string& environment, const std::string& city, bool json) {
        if (m_profile_path.empty()) {
            throw UsageError("pathloss: --profile is required for --model " + model_name);
        }
        for (const auto& [option, value] : {std::pair{"--tx-height-m", tx_height_m}, std::pair{"--rx-height-m", rx_height_m}}) {
            if (!value) throw UsageError(fmt::format("pathloss: {} is required for --model {}", option, model_name));
            if (!std::isfinite(*value)) throw UsageError(fmt::format("pathloss: {} must be a number", option));
        }
        const bool tls = m_time || m_location || m_situation;
        const bool cr = m_confidence || m_reliability;
        if (tls && cr) {
            throw UsageError("pathloss: give either --time/--location/--situation or --confidence/--reliability, not both");
        }
        // ITM itself checks time/location/situation; confidence and reliability are checked here so
        // that the message names what was typed.
        for (const auto& [option, value] : {std::pair{"--confidence", m_confidence}, std::pair{"--reliability", m_reliability}}) {
            if (value && !(*value > 0.0 && *value < 100.0)) {
                throw UsageError(fmt::format("pathloss: {} must be strictly between 0 and 100 % (got {:g})", option, *value));
            }
        }
        const auto profile = model::parse_itm_profile(read_profile(), m_profile_path);
        if (model_name == "itm") {
            return run_itm(context, profile, freq_mhz, *tx_height_m, *rx_height_m, cr, json);
        }
        return run_hata_diffraction(context, profile, freq_mhz, *tx_height_m, *rx_height_m, environment, city, json);
    }

private:
    std::string read_profile() const {
        std::ifstream in(m_profile_path, std::ios::binary);
        if (!in) {
            throw UsageError("pathloss: --profile: cannot read '" + m_profile_path + "'");
        }
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }

    model::itm::Parameters itm_parameters(double freq_mhz, double tx_height_m, double rx_height_m, bool cr) const {
        model::itm::Parameters p;
        p.freq_mhz = freq_mhz;
        p.tx_height_m = tx_height_m;
        p.rx_height_m = rx_height_m;
        p.climate = static_cast<model::itm::Climate>(m_climate);
        p.n0 = m_n0;
        p.epsilon = m_epsilon;
        p.sigma = m_sigma;
        p.polarization = m_polarization == "horizontal" ? model::itm::Polarization::horizontal
                                                        : model::itm::Polarization::vertical;
        p.mdvar = m_mdvar;
        p.quantiles = cr ? model::itm::Quantiles::from_confidence_reliability(m_confidence.value_or(50.0),
                                                                             m_reliability.value_or(50.0))
                         : model::itm::Quantiles{m_time.value_or(50.0), m_location.value_or(50.0),
                                                 m_situation.value_or(50.0)};
        return p;
    }

    nlohmann::ordered_json itm_json(const model::ItmProfile& profile, const model::itm::Parameters& p,
                                    const model::itm::Result& r, bool cr) const {
        const double freq_mhz = p.freq_mhz;
        const double tx_height_m = p.tx_height_m;
        const double rx_height_m = p.rx_height_m;
        nlohmann::ordered_json doc;
        doc["model"] = "itm";
        doc["inputs"] = {{"profile", m_profile_path},
                         {"intervals", profile.intervals()},
                         {"spacing_m", profile.spacing_m},
                         {"freq_mhz", freq_mhz},
                         {"tx_height_m", tx_height_m},
                         {"rx_height_m", rx_height_m},
                         {"climate", m_climate},
                         {"n0", m_n0},
                         {"epsilon", m_epsilon},
                         {"sigma", m_sigma},
                         {"polarization", m_polarization},
                         {"mdvar", m_mdvar}};
        if (cr) {
            doc["inputs"]["confidence"] = p.quantiles.situation_pct;
            doc["inputs"]["reliability"] = p.quantiles.time_pct;
        } else {
            doc["inputs"]["time"] = p.quantiles.time_pct;
            doc["inputs"]["location"] = p.quantiles.location_pct;
            doc["inputs"]["situation"] = p.quantiles.situation_pct;
        }
        doc["path_loss_db"] = round2(r.loss_db);
        doc["mode"] = model::itm::to_string(r.mode);
        doc["d_km"] = std::round(r.distance_m) / 1000.0;
        doc["horizons"] = {
            {"tx", {{"angle_mrad", round2(r.theta_hzn_rad[0] * 1000.0)}, {"distance_m", std::round(r.d_hzn_m[0])}}},
            {"rx", {{"angle_mrad", round2(r.theta_hzn_rad[1] * 1000.0)}, {"distance_m", std::round(r.d_hzn_m[1])}}}};
        doc["effective_heights_m"] = {round2(r.h_e_m[0]), round2(r.h_e_m[1])};
        doc["delta_h_m"] = round2(r.delta_h_m);
        doc["n_s"] = round2(r.n_s);
        doc["free_space_loss_db"] = round2(r.free_space_db);
        doc["reference_attenuation_db"] = round2(r.reference_attenuation_db);
        doc["warning_flags"] = fmt::format("0x{:04X}", r.warnings);
        doc["warnings"] = model::itm::warning_messages(r.warnings);
        return doc;
    }

    int run_itm(Context& context, const model::ItmProfile& profile, double freq_mhz, double tx_height_m,
                double rx_height_m, bool cr, bool json) const {
        const auto p = itm_parameters(freq_mhz, tx_height_m, rx_height_m, cr);
        model::itm::Result r;
        try {
            r = model::itm::point_to_point(profile, p);
        } catch (const model::itm::ParameterError& e) {
            // ITM reports confidence/reliability errors as situation/time ones; name what was typed.
            std::string option = e.parameter();
            if (cr && option == "situation") option = "confidence";
            if (cr && option == "time") option = "reliability";
            throw UsageError(fmt::format("pathloss: --{}: {}", option, e.what()));
        }
        const auto warnings = model::itm::warning_messages(r.warnings);
        if (json) {
            context.out << itm_json(profile, p, r, cr).dump(2) << '\n';
            return ExitCode::ok;
        }
        for (const auto& warning : warnings) context.err << "deadzone: warning: " << warning << '\n';
        auto& out = context.out;
        out << "model:        itm (Longley-Rice, NTIA ITM point-to-point)\n";
        out << fmt::format("profile:      {} ({} intervals of {:g} m)\n", m_profile_path, profile.intervals(), profile.spacing_m);
        out << fmt::format("frequency:    {:g} MHz\n", freq_mhz);
        out << fmt::format("distance:     {:.3f} km\n", r.distance_m / 1000.0);
        out << fmt::format("mode:         {}\n", model::itm::to_string(r.mode));
        out << fmt::format("free space:   {:.2f} dB\n", round2(r.free_space_db));
        out << fmt::format("path loss:    {:.2f} dB\n", round2(r.loss_db));
        return ExitCode::ok;
    }

    int run_hata_diffraction(Context& context, const model::ItmProfile& profile, double freq_mhz, double tx_height_m,
                             double rx_height_m, const std::string& environment, const std::string& city,
                             bool json) const {
        if (!(tx_height_m > 0.0) || !(rx_height_m > 0.0)) {
            throw UsageError("pathloss: --tx-height-m and --rx-height-m must be positive");
        }
        model::TerrainModelSettings s;
        s.environment = environment == "suburban" ? Environment::suburban
                        : environment == "open"   ? Environment::open
                                                  : Environment::urban;
        s.city = city == "small" ? CitySize::small : CitySize::large;
        s.diffraction = model::parse_diffraction_method(m_diffraction);
        const auto m = model::make_terrain_model("hata+diffraction", s);
        const auto r = m->loss(profile, model::TerrainLinkQuery{freq_mhz, tx_height_m, rx_height_m});
        if (json) {
            nlohmann::ordered_json doc;
            doc["model"] = "hata+diffraction";
            doc["diffraction"] = m_diffraction;
            doc["environment"] = environment;
            doc["city"] = city;
            doc["inputs"] = {{"profile", m_profile_path}, {"freq_mhz", freq_mhz}, {"tx_height_m", tx_height_m},
                             {"rx_height_m", rx_height_m}};
            doc["path_loss_db"] = round2(r.loss_db);
            doc["mode"] = r.mode;
            doc["d_km"] = std::round(profile.distance_m()) / 1000.0;
            doc["warnings"] = r.warnings;
            context.out << doc.dump(2) << '\n';
            return ExitCode::ok;
        }
        for (const auto& warning : r.warnings) context.err << "deadzone: warning: " << warning << '\n';
        context.out << fmt::format("model:        hata+diffraction ({}, ITU-R P.526)\n", m_diffraction);
        context.out << fmt::format("distance:     {:.3f} km\n", profile.distance_m() / 1000.0);
        context.out << fmt::format("path loss:    {:.2f} dB\n", round2(r.loss_db));
        return ExitCode::ok;
    }

    std::vector<CLI::Option*> m_options;
    std::string m_profile_path;
    int m_climate = 5;
    double m_n0 = 301.0;
    double m_epsilon = 15.0;
    double m_sigma = 0.005;
    std::string m_polarization = "vertical";
    int m_mdvar = 12;
    std::optional<double> m_time, m_location, m_situation, m_confidence, m_reliability;
    std::string m_diffraction = "bullington";
};

class PathlossCommand final : public Command {
public:
    const char* name() const override { return "pathloss"; }
    const char* summary() const override {
        return "Path loss (dB) of one link: Okumura-Hata, COST-231 Hata, free space, or ITM / "
               "Hata+diffraction over a terrain profile";
    }

    void setup(CLI::App& app) override {
        app.add_option("--model", m_model_name,
                       "hata: Okumura-Hata (150-1500 MHz); cost231: COST-231 Hata (1500-2000 MHz); "
                       "fspl: free space, ITU-R P.525; itm: Longley-Rice (NTIA ITM) over --profile; "
                       "hata+diffraction: Hata/COST-231 median plus ITU-R P.526 knife-edge loss over --profile")
            ->required()
            ->check(CLI::IsMember({"hata", "cost231", "fspl", "itm", "hata+diffraction"}));
        app.add_option("--environment", m_environment_name,
                       "urban | suburban | open (default: urban). Hata and COST-231 only; COST-231 has no "
                       "open-area form, so Hata's open-area correction is applied as an extension (with a "
                       "warning)")
            ->check(CLI::IsMember({"urban", "suburban", "open"}));
        app.add_option("--city", m_city_name,
                       "large | small (default: large): the mobile-height correction a(hm) in urban areas; "
                       "large = metropolitan (COST-231 adds 3 dB). Suburban and open areas always use the "
                       "small/medium-city correction")
            ->check(CLI::IsMember({"large", "small"}));
        app.add_option("--freq-mhz", m_freq_mhz, "Carrier frequency in MHz")->required();
        app.add_option("--tx-height-m", m_tx_height_m,
                       "Base-station antenna height above ground in m (required for hata and cost231)");
        app.add_option("--rx-height-m", m_rx_height_m,
                       "Mobile antenna height above ground in m (required for hata and cost231)");
        app.add_option("--distance-km", m_distance_km,
                       "Link distance in km (hata, cost231, fspl; the terrain models take it from --profile)");
        app.add_flag("--json", m_json,
                     "Print a JSON object (model, inputs, path_loss_db, warnings; for itm also the mode of "
                     "propagation, d, horizons, delta h and free-space loss)");
        m_terrain.setup(app);
    }

    int run(Context& context) override {
        if (m_model_name == "itm" || m_model_name == "hata+diffraction") {
            require_positive("--freq-mhz", m_freq_mhz);
            if (m_distance_km) {
                throw UsageError("pathloss: --distance-km is not used with --model " + m_model_name +
                                 ": the distance is the profile's length");
            }
            return m_terrain.run(context, m_model_name, m_freq_mhz, m_tx_height_m, m_rx_height_m,
                                 m_environment_name, m_city_name, m_json);
        }
        if (!m_distance_km) {
            throw UsageError("pathloss: --distance-km is required for --model " + m_model_name);
        }
        if (m_terrain.any_given()) {
            throw UsageError("pathloss: " + m_terrain.first_given() + " applies only to --model itm or hata+diffraction");
        }
        m_model = m_model_name == "fspl"      ? PropagationModel::fspl
                  : m_model_name == "cost231" ? PropagationModel::cost231
                                              : PropagationModel::hata;
        m_environment = m_environment_name == "suburban" ? Environment::suburban
                        : m_environment_name == "open"   ? Environment::open
                                                         : Environment::urban;
        m_city = m_city_name == "small" ? CitySize::small : CitySize::large;
        const bool hata_type = m_model != PropagationModel::fspl;
        require_positive("--freq-mhz", m_freq_mhz);
        require_positive("--distance-km", *m_distance_km);
        for (const auto& [option, value] : {std::pair{"--tx-height-m", m_tx_height_m},
                                            std::pair{"--rx-height-m", m_rx_height_m}}) {
            if (value) {
                require_positive(option, *value);
            } else if (hata_type) {
                throw UsageError(fmt::format("pathloss: {} is required for --model {}", option,
                                             model::to_string(m_model)));
            }
        }

        model::PathLossQuery query;
        query.freq_mhz = m_freq_mhz;
        query.tx_height_m = m_tx_height_m.value_or(0.0);
        query.rx_height_m = m_rx_height_m.value_or(0.0);
        query.distance_km = *m_distance_km;
        query.environment = m_environment;
        query.city = m_city;
        const double loss_db = model::path_loss_db(m_model, query);
        const auto warnings = model::validity_warnings(m_model, query);
        // Two decimals, as printed: the published figures are given to 0.01 dB.
        const double rounded_db = std::round(loss_db * 100.0) / 100.0;

        if (m_json) {
            nlohmann::ordered_json doc;
            doc["model"] = model::to_string(m_model);
            // Free space depends on neither; null says so rather than echoing an unused default.
            doc["environment"] = hata_type ? nlohmann::ordered_json(model::to_string(m_environment))
                                           : nlohmann::ordered_json();
            doc["city"] = hata_type ? nlohmann::ordered_json(model::to_string(m_city)) : nlohmann::ordered_json();
            doc["inputs"] = {{"freq_mhz", m_freq_mhz},
                             {"tx_height_m", optional_number(m_tx_height_m)},
                             {"rx_height_m", optional_number(m_rx_height_m)},
                             {"distance_km", *m_distance_km}};
            doc["path_loss_db"] = rounded_db;
            doc["warnings"] = warnings;
            context.out << doc.dump(2) << '\n';
            return ExitCode::ok;
        }

        for (const auto& warning : warnings) {
            context.err << "deadzone: warning: " << warning << '\n';
        }
        auto& out = context.out;
        out << fmt::format("model:        {}\n", model_title());
        if (hata_type) {
            out << fmt::format("environment:  {}\n", model::to_string(m_environment));
            out << fmt::format("city:         {}{}\n", model::to_string(m_city),
                               m_environment == Environment::urban ? "" : " (not used outside urban areas)");
        }
        out << fmt::format("frequency:    {:g} MHz\n", m_freq_mhz);
        if (m_tx_height_m) {
            out << fmt::format("tx height:    {:g} m{}\n", *m_tx_height_m, hata_type ? "" : " (not used)");
        }
        if (m_rx_height_m) {
            out << fmt::format("rx height:    {:g} m{}\n", *m_rx_height_m, hata_type ? "" : " (not used)");
        }
        out << fmt::format("distance:     {:g} km\n", *m_distance_km);
        out << fmt::format("path loss:    {:.2f} dB\n", rounded_db);
        return ExitCode::ok;
    }

private:
    const char* model_title() const {
        switch (m_model) {
        case PropagationModel::hata: return "hata (Okumura-Hata)";
        case PropagationModel::cost231: return "cost231 (COST-231 Hata)";
        case PropagationModel::fspl: return "fspl (free space, ITU-R P.525)";
        case PropagationModel::automatic: break;
        }
        return "automatic";
    }

    // Checked by CLI11 against the listed names.
    std::string m_model_name;
    std::string m_environment_name = "urban";
    std::string m_city_name = "large";
    PropagationModel m_model = PropagationModel::hata;
    Environment m_environment = Environment::urban;
    CitySize m_city = CitySize::large;
    double m_freq_mhz = 0;
    std::optional<double> m_tx_height_m;
    std::optional<double> m_rx_height_m;
    std::optional<double> m_distance_km;
    bool m_json = false;
    TerrainPathlossOptions m_terrain;
};

} // namespace

std::unique_ptr<Command> make_pathloss_command() { return std::make_unique<PathlossCommand>(); }

} // namespace deadzone::cli
