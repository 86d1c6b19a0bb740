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

    void radial_losses(const ItmProfile& profile, const TerrainLinkQuery& query,
                       std::vector<double>& out) const override {
        const int n = profile.intervals();
        out.resize(static_cast<std::size_t>(std::max(n, 0)));
        if (n < 1) return;
        out[0] = loss(first_point_profile(profile), query).loss_db;
        if (n < 2) return;
        itm::Parameters p = m_parameters;
        p.freq_mhz = query.freq_mhz;
        p.tx_height_m = query.tx_height_m;
        p.rx_height_m = query.rx_height_m;
        itm::RadialPath path(profile, p);
        for (int i = 2; i <= n; ++i) out[static_cast<std::size_t>(i - 1)] = path.at(i).loss_db;
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

    // Per point: Hata's median at that distance plus the knife-edge loss over the profile up to
    // it, read in place (no copy, no edge list, no warning sentences). Bullington's and Deygout's
    // edges are searched afresh per point: every sample's clearance is measured against the ray
    // to the receiver (and the earth bulge of the whole path), which changes with each point.
    void radial_losses(const ItmProfile& profile, const TerrainLinkQuery& query,
                       std::vector<double>& out) const override {
        const int n = profile.intervals();
        out.resize(static_cast<std::size_t>(std::max(n, 0)));
        if (n < 1) return;
        out[0] = loss(first_point_profile(profile), query).loss_db;
        PathLossQuery q;
        q.freq_mhz = query.freq_mhz;
        q.tx_height_m = query.tx_height_m;
        q.rx_height_m = query.rx_height_m;
        q.environment = m_environment;
        q.city = m_city;
        DiffractionQuery dq;
        dq.freq_mhz = query.freq_mhz;
        dq.tx_height_m = query.tx_height_m;
        dq.rx_height_m = query.rx_height_m;
        dq.k_factor = m_k_factor;
        dq.method = m_method;
        for (int i = 2; i <= n; ++i) {
            q.distance_km = i * profile.spacing_m / 1000.0; // as profile.distance_m() / 1000
            const double median_db = path_loss_db(PropagationModel::automatic, q);
            const auto diffraction = diffraction_loss(profile.elevations_m.data(), i, profile.spacing_m, dq, false);
            out[static_cast<std::size_t>(i - 1)] = median_db + diffraction.loss_db;
        }
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

ItmProfile first_point_profile(const ItmProfile& profile) {
    ItmProfile two;
    two.spacing_m = profile.spacing_m / 2.0;
    two.elevations_m = {profile.elevations_m[0], (profile.elevations_m[0] + profile.elevations_m[1]) / 2.0,
                        profile.elevations_m[1]};
    return two;
}

void TerrainPathLossModel::radial_losses(const ItmProfile& profile, const TerrainLinkQuery& query,
                                         std::vector<double>& out) const {
    const int n = profile.intervals();
    out.resize(static_cast<std::size_t>(std::max(n, 0)));
    if (n < 1) return;
    out[0] = loss(first_point_profile(profile), query).loss_db;
    ItmProfile cut;
    cut.spacing_m = profile.spacing_m;
    cut.elevations_m.reserve(profile.elevations_m.size());
    cut.elevations_m.assign(profile.elevations_m.begin(), profile.elevations_m.begin() + 2);
    for (int i = 2; i <= n; ++i) {
        cut.elevations_m.push_back(profile.elevations_m[static_cast<std::size_t>(i)]);
        out[static_cast<std::size_t>(i - 1)] = loss(cut, query).loss_db;
    }
}

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
