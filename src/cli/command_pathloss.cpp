// `deadzone pathloss`: the median path loss of one link from a published model (Okumura-Hata,
// COST-231 Hata or free space), with the inputs echoed and validity-range warnings.
#include "command.hpp"

#include <deadzone/cli.hpp>
#include <deadzone/model/pathloss.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>
#include <ostream>
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

class PathlossCommand final : public Command {
public:
    const char* name() const override { return "pathloss"; }
    const char* summary() const override {
        return "Median path loss (dB) of one link: Okumura-Hata, COST-231 Hata or free space";
    }

    void setup(CLI::App& app) override {
        app.add_option("--model", m_model_name,
                       "hata: Okumura-Hata (150-1500 MHz); cost231: COST-231 Hata (1500-2000 MHz); "
                       "fspl: free space, ITU-R P.525")
            ->required()
            ->check(CLI::IsMember({"hata", "cost231", "fspl"}));
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
        app.add_option("--distance-km", m_distance_km, "Link distance in km")->required();
        app.add_flag("--json", m_json,
                     "Print a JSON object (model, environment, city, inputs, path_loss_db, warnings)");
    }

    int run(Context& context) override {
        m_model = m_model_name == "fspl"      ? PropagationModel::fspl
                  : m_model_name == "cost231" ? PropagationModel::cost231
                                              : PropagationModel::hata;
        m_environment = m_environment_name == "suburban" ? Environment::suburban
                        : m_environment_name == "open"   ? Environment::open
                                                         : Environment::urban;
        m_city = m_city_name == "small" ? CitySize::small : CitySize::large;
        const bool hata_type = m_model != PropagationModel::fspl;
        require_positive("--freq-mhz", m_freq_mhz);
        require_positive("--distance-km", m_distance_km);
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
        query.distance_km = m_distance_km;
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
                             {"distance_km", m_distance_km}};
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
        out << fmt::format("distance:     {:g} km\n", m_distance_km);
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
    double m_distance_km = 0;
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> make_pathloss_command() { return std::make_unique<PathlossCommand>(); }

} // namespace deadzone::cli
