// The registry of terrain-aware propagation models: a sorted table of name → factory. A model
// is a small class over the library functions (ITM, Hata + P.526 diffraction).
#include <deadzone/model/terrain_model.hpp>

#include <deadzone/model/pathloss.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace deadzone::model {

namespace {

class ItmModel final : public TerrainPathLossModel {
public:
    explicit ItmModel(const TerrainModelSettings& s) : m_parameters(s.itm) {}
    std::string_view name() const noexcept override { return "itm"; }

    TerrainLoss loss(const ItmProfile& profile, const TerrainLinkQuery& query) const override {
        itm::Parameters p = m_parameters;
        p.freq_mhz = query.freq_mhz;
        p.tx_height_m = query.tx_height_m;
        p.rx_height_m = query.rx_height_m;
        const auto r = itm::point_to_point(profile, p);
        return TerrainLoss{r.loss_db, itm::to_string(r.mode), itm::warning_messages(r.warnings)};
    }

private:
    itm::Parameters m_parameters;
};

// Hata/COST-231 median over the path length plus the profile's knife-edge loss. Hata already
// holds the average obstruction of its measurement areas, so the sum is conservative in rough
// terrain; it is the usual planning-tool combination (docs/model.md says so).
class HataDiffractionModel final : public TerrainPathLossModel {
public:
    explicit HataDiffractionModel(const TerrainModelSettings& s)
        : m_environment(s.environment), m_city(s.city), m_method(s.diffraction), m_k_factor(s.k_factor) {}
    std::string_view name() const noexcept override { return "hata+diffraction"; }

    TerrainLoss loss(const ItmProfile& profile, const TerrainLinkQuery& query) const override {
        PathLossQuery q;
        q.freq_mhz = query.freq_mhz;
        q.tx_height_m = query.tx_height_m;
        q.rx_height_m = query.rx_height_m;
        q.distance_km = profile.distance_m() / 1000.0;
        q.environment = m_environment;
        q.city = m_city;
        const double median_db = path_loss_db(PropagationModel::automatic, q);
        DiffractionQuery dq;
        dq.freq_mhz = query.freq_mhz;
        dq.tx_height_m = query.tx_height_m;
        dq.rx_height_m = query.rx_height_m;
        dq.k_factor = m_k_factor;
        dq.method = m_method;
        const auto diffraction = diffraction_loss(profile, dq);
        TerrainLoss out;
        out.loss_db = median_db + diffraction.loss_db;
        out.mode = diffraction.loss_db > 0.0 ? "diffraction" : "line_of_sight";
        out.warnings = validity_warnings(PropagationModel::automatic, q);
        return out;
    }

private:
    Environment m_environment;
    CitySize m_city;
    DiffractionMethod m_method;
    double m_k_factor;
};

using Factory = std::function<std::unique_ptr<TerrainPathLossModel>(const TerrainModelSettings&)>;

struct Registration {
    std::string_view name;
    Factory make;
};

// Sorted by name; a new model is one line here.
const Registration registry[] = {
    {"hata+diffraction", [](const TerrainModelSettings& s) { return std::make_unique<HataDiffractionModel>(s); }},
    {"itm", [](const TerrainModelSettings& s) { return std::make_unique<ItmModel>(s); }},
};

} // namespace

std::unique_ptr<TerrainPathLossModel> make_terrain_model(std::string_view name, const TerrainModelSettings& settings) {
    for (const auto& r : registry) {
        if (r.name == name) {
            return r.make(settings);
        }
    }
    throw std::invalid_argument(
        fmt::format("propagation model '{}' is not one of: {}", name, fmt::join(terrain_model_names(), ", ")));
}

std::vector<std::string> terrain_model_names() {
    std::vector<std::string> names;
    for (const auto& r : registry) names.emplace_back(r.name);
    return names;
}

} // namespace deadzone::model
