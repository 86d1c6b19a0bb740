// campaign.json: every DESIGN.md key plus area_bbox, model and population_raster; every bad
// value reported with its key path in one pass.
#include "detail.hpp"

#include <deadzone/ingest/ingest.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>

namespace deadzone::ingest {

namespace {

using nlohmann::json;

class CampaignParser {
public:
    explicit CampaignParser(std::string file) : m_file(std::move(file)) {}

    void bad(const std::string& key, const std::string& code, const std::string& message) {
        m_problems.push_back(Problem{Severity::error, Location{m_file, std::nullopt, {}, std::nullopt},
                                    key, code, message});
    }
    std::vector<Problem>& problems() { return m_problems; }
    const std::string& file() const { return m_file; }

    /// A member of an object, reporting a missing required key; nullptr when absent.
    const json* member(const json& object, const std::string& key, const std::string& path, bool required) {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null()) {
            if (required) {
                bad(path, "missing_key", "required key is missing");
            }
            return nullptr;
        }
        return &*it;
    }

    std::optional<std::string> text(const json& object, const std::string& key, const std::string& path,
                                    bool required) {
        const json* value = member(object, key, path, required);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_string()) {
            bad(path, "bad_value", fmt::format("expected a string, found {}", value->dump()));
            return std::nullopt;
        }
        return value->get<std::string>();
    }

    /// A number within [low, high] (bounds open when the flags say so).
    std::optional<double> number(const json& object, const std::string& key, const std::string& path,
                                 double low, double high, bool low_open = false, bool high_open = false,
                                 bool required = false) {
        const json* value = member(object, key, path, required);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_number()) {
            bad(path, "bad_value", fmt::format("expected a number, found {}", value->dump()));
            return std::nullopt;
        }
        const double x = value->get<double>();
        const bool below = low_open ? x <= low : x < low;
        const bool above = high_open ? x >= high : x > high;
        if (below || above || !std::isfinite(x)) {
            bad(path, "out_of_range",
                fmt::format("{} is outside {}{}, {}{}", value->dump(), low_open ? "(" : "[",
                            bound_text(low), bound_text(high), high_open ? ")" : "]"));
            return std::nullopt;
        }
        return x;
    }

    std::optional<Date> date(const json& object, const std::string& key, const std::string& path,
                             bool required) {
        const auto value = text(object, key, path, required);
        if (!value) {
            return std::nullopt;
        }
        const auto parsed = Date::parse(*value);
        if (!parsed) {
            bad(path, "bad_date", Date::parse_problem(*value));
        }
        return parsed;
    }

    template <typename Enum>
    std::optional<Enum> choice(const json& object, const std::string& key, const std::string& path,
                               const std::vector<std::pair<std::string, Enum>>& options) {
        const auto value = text(object, key, path, false);
        if (!value) {
            return std::nullopt;
        }
        std::string accepted;
        for (const auto& [name, result] : options) {
            if (detail::iequals(name, *value)) {
                return result;
            }
            accepted += accepted.empty() ? name : "|" + name;
        }
        bad(path, "bad_value", fmt::format("'{}' is not one of {}", *value, accepted));
        return std::nullopt;
    }

    bool object_at(const json& value, const std::string& path) {
        if (!value.is_object()) {
            bad(path, "bad_value", fmt::format("expected an object, found {}", value.dump()));
            return false;
        }
        return true;
    }

private:
    static std::string bound_text(double x) {
        if (std::isinf(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        return fmt::format("{:g}", x);
    }

    std::string m_file;
    std::vector<Problem> m_problems;
};

constexpr double inf = std::numeric_limits<double>::infinity();

bool valid_mcc_mnc(const std::string& code) {
    // "452-04": three-digit MCC, two- or three-digit MNC.
    const auto dash = code.find('-');
    if (dash != 3 || (code.size() != 6 && code.size() != 7)) {
        return false;
    }
    return std::all_of(code.begin(), code.end(), [&](char c) {
        return c == '-' || (c >= '0' && c <= '9');
    }) && std::count(code.begin(), code.end(), '-') == 1;
}

bool valid_color(const std::string& color) {
    return color.size() == 7 && color[0] == '#' &&
           std::all_of(color.begin() + 1, color.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

void read_operators(CampaignParser& p, const json& root, Campaign& campaign) {
    const json* list = p.member(root, "operators", "operators", true);
    if (list == nullptr) {
        return;
    }
    if (!list->is_array()) {
        p.bad("operators", "bad_value", "expected a list of operators");
        return;
    }
    std::set<std::string> codes;
    std::map<std::string, std::string> mcc_owner;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = fmt::format("operators[{}]", i);
        const json& item = (*list)[i];
        if (!p.object_at(item, path)) {
            continue;
        }
        Operator op;
        const auto code = p.text(item, "code", path + ".code", true);
        if (code) {
            // NFC as every value read from the input files, so that codes compare equal.
            op.code = detail::to_nfc(detail::trim(*code));
            std::string upper = op.code;
            std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            if (op.code.empty()) {
                p.bad(path + ".code", "bad_value", "operator code is empty");
            } else if (!codes.insert(upper).second) {
                p.bad(path + ".code", "duplicate_operator", fmt::format("operator '{}' is listed twice", op.code));
            }
        }
        op.name = p.text(item, "name", path + ".name", false).value_or(op.code);
        if (const json* mcc = p.member(item, "mcc_mnc", path + ".mcc_mnc", false)) {
            const json list_of = mcc->is_array() ? *mcc : json::array({*mcc});
            for (std::size_t k = 0; k < list_of.size(); ++k) {
                const std::string mpath = mcc->is_array() ? fmt::format("{}.mcc_mnc[{}]", path, k) : path + ".mcc_mnc";
                if (!list_of[k].is_string() || !valid_mcc_mnc(list_of[k].get<std::string>())) {
                    p.bad(mpath, "bad_value", fmt::format("{} is not an MCC-MNC code like \"452-04\"", list_of[k].dump()));
                    continue;
                }
                const auto value = list_of[k].get<std::string>();
                const auto [it, inserted] = mcc_owner.emplace(value, op.code);
                if (!inserted) {
                    p.bad(mpath, "duplicate_mcc_mnc", fmt::format("{} already belongs to operator '{}'", value, it->second));
                    continue;
                }
                op.mcc_mnc.push_back(value);
            }
        }
        if (const auto color = p.text(item, "color", path + ".color", false)) {
            if (!valid_color(*color)) {
                p.bad(path + ".color", "bad_value", fmt::format("'{}' is not a colour like #d7191c", *color));
            } else {
                op.color = *color;
            }
        }
        campaign.operators.push_back(std::move(op));
    }
    // Each code once (a repeated one is already a duplicate_operator).
    std::vector<std::string> names;
    std::vector<std::string> paths;
    std::set<std::string> named;
    for (std::size_t i = 0; i < campaign.operators.size(); ++i) {
        const auto& code = campaign.operators[i].code;
        std::string upper = code;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (!code.empty() && named.insert(upper).second) {
            names.push_back(code);
            paths.push_back(fmt::format("operators[{}].code", i));
        }
    }
    for (auto& problem : detail::operator_code_clashes(names, paths, p.file())) {
        p.problems().push_back(std::move(problem));
    }
}

void read_milestones(CampaignParser& p, const json& root, Campaign& campaign) {
    const json* list = p.member(root, "milestones", "milestones", false);
    if (list == nullptr) {
        return;
    }
    if (!list->is_array()) {
        p.bad("milestones", "bad_value", "expected a list of {\"date\", \"target\"} objects");
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = fmt::format("milestones[{}]", i);
        const json& item = (*list)[i];
        if (!p.object_at(item, path)) {
            continue;
        }
        const auto date = p.date(item, "date", path + ".date", true);
        const auto target = p.number(item, "target", path + ".target", 0.0, 1.0, false, false, true);
        if (date && target) {
            const auto same = std::find_if(campaign.milestones.begin(), campaign.milestones.end(),
                                           [&](const Milestone& m) { return m.date == *date; });
            if (same != campaign.milestones.end()) {
                // Two targets for one day: which one is judged would depend on the file's order.
                p.bad(path + ".date", "duplicate_milestone",
                      fmt::format("another milestone is already dated {}", date->iso()));
                continue;
            }
            campaign.milestones.push_back(Milestone{*date, *target});
        }
    }
    std::stable_sort(campaign.milestones.begin(), campaign.milestones.end(),
                     [](const Milestone& a, const Milestone& b) { return a.date < b.date; });
}

void read_radio_defaults(CampaignParser& p, const json& root, Campaign& campaign) {
    campaign.radio_defaults = detail::builtin_radio_defaults();
    const json* section = p.member(root, "radio_defaults", "radio_defaults", false);
    if (section == nullptr || !p.object_at(*section, "radio_defaults")) {
        return;
    }
    for (const auto& [key, value] : section->items()) {
        const std::string path = "radio_defaults." + key;
        const auto tech = parse_tech(key);
        if (!tech) {
            p.bad(path, "unknown_tech", fmt::format("'{}' is not a technology (2G|3G|4G|5G)", key));
            continue;
        }
        if (!p.object_at(value, path)) {
            continue;
        }
        auto& d = campaign.radio_defaults[*tech];
        if (auto x = p.number(value, "freq_mhz", path + ".freq_mhz", 30.0, 100000.0)) d.freq_mhz = *x;
        if (auto x = p.number(value, "eirp_dbm", path + ".eirp_dbm", 0.0, 90.0)) d.eirp_dbm = *x;
        if (auto x = p.number(value, "height_m", path + ".height_m", 0.0, 1000.0, true)) d.height_m = *x;
        if (auto x = p.number(value, "beamwidth_deg", path + ".beamwidth_deg", 0.0, 360.0, true)) d.beamwidth_deg = *x;
        if (auto x = p.number(value, "threshold_dbm", path + ".threshold_dbm", -200.0, 0.0)) d.threshold_dbm = *x;
    }
}

void read_terrain_model(CampaignParser& p, const json& section, ModelSettings& m);

void read_model(CampaignParser& p, const json& root, Campaign& campaign) {
    const json* section = p.member(root, "model", "model", false);
    if (section == nullptr || !p.object_at(*section, "model")) {
        return;
    }
    auto& m = campaign.model;
    if (auto x = p.number(*section, "rx_height_m", "model.rx_height_m", 0.0, 1000.0, true)) m.rx_height_m = *x;
    // A terrain model's name selects it (read_terrain_model); the Hata family stays the default.
    // Names are matched ignoring case, as the other choices are; a name that is none of them is
    // refused listing the terrain models too.
    const auto named = section->find("propagation");
    const std::string name = named != section->end() && named->is_string() ? named->get<std::string>() : "";
    const bool terrain = detail::iequals(name, "itm") || detail::iequals(name, "hata+diffraction");
    const bool known = terrain || named == section->end() || !named->is_string() ||
                       detail::iequals(name, "auto") || detail::iequals(name, "automatic") ||
                       detail::iequals(name, "fspl") || detail::iequals(name, "hata") ||
                       detail::iequals(name, "cost231");
    if (terrain) {
        m.terrain_model = detail::iequals(name, "itm") ? "itm" : "hata+diffraction";
    } else if (!known) {
        p.bad("model.propagation", "bad_value",
              fmt::format("'{}' is not one of auto|automatic|fspl|hata|cost231|itm|hata+diffraction", name));
    } else if (auto x = p.choice<PropagationModel>(*section, "propagation", "model.propagation",
                                            {{"auto", PropagationModel::automatic},
                                             {"automatic", PropagationModel::automatic},
                                             {"fspl", PropagationModel::fspl},
                                             {"hata", PropagationModel::hata},
                                             {"cost231", PropagationModel::cost231}})) {
        m.propagation = *x;
    }
    if (auto x = p.choice<Environment>(*section, "environment", "model.environment",
                                       {{"urban", Environment::urban},
                                        {"suburban", Environment::suburban},
                                        {"open", Environment::open}})) {
        m.environment = *x;
    }
    if (auto x = p.choice<CitySize>(*section, "city", "model.city",
                                    {{"large", CitySize::large}, {"small", CitySize::small}})) {
        m.city = *x;
    }
    if (auto x = p.number(*section, "max_attenuation_db", "model.max_attenuation_db", 0.0, 100.0, true)) m.max_attenuation_db = *x;
    if (auto x = p.number(*section, "max_range_m", "model.max_range_m", 0.0, 1.0e6, true)) m.max_range_m = *x;
    read_terrain_model(p, *section, m);
}

// model.radials, model.profile_step_m, model.k_factor, model.diffraction and model.itm.*.
void read_terrain_model(CampaignParser& p, const json& section, ModelSettings& m) {
    if (auto x = p.number(section, "radials", "model.radials", 8.0, 7200.0)) {
        if (*x != std::floor(*x)) {
            p.bad("model.radials", "bad_value", fmt::format("{:g} is not a whole number", *x));
        } else {
            m.sampling.radials = static_cast<int>(*x);
        }
    }
    if (auto x = p.number(section, "profile_step_m", "model.profile_step_m", 1.0, 10000.0)) m.sampling.profile_step_m = *x;
    if (auto x = p.number(section, "k_factor", "model.k_factor", 0.0, 100.0, true)) m.terrain.k_factor = *x;
    if (auto x = p.choice<model::DiffractionMethod>(section, "diffraction", "model.diffraction",
                                                    {{"bullington", model::DiffractionMethod::bullington},
                                                     {"deygout", model::DiffractionMethod::deygout}})) {
        m.terrain.diffraction = *x;
    }
    const json* itm = p.member(section, "itm", "model.itm", false);
    if (itm == nullptr || !p.object_at(*itm, "model.itm")) {
        return;
    }
    auto& t = m.terrain.itm;
    if (auto x = p.number(*itm, "climate", "model.itm.climate", 1.0, 7.0)) {
        if (*x != std::floor(*x)) {
            p.bad("model.itm.climate", "bad_value", fmt::format("{:g} is not a whole number 1-7", *x));
        } else {
            t.climate = static_cast<model::itm::Climate>(static_cast<int>(*x));
        }
    }
    if (auto x = p.number(*itm, "n0", "model.itm.n0", 250.0, 400.0)) t.n0 = *x;
    if (auto x = p.number(*itm, "epsilon", "model.itm.epsilon", 1.0, 100.0)) t.epsilon = *x;
    if (auto x = p.number(*itm, "sigma", "model.itm.sigma", 0.0, 100.0, true)) t.sigma = *x;
    if (auto x = p.choice<model::itm::Polarization>(*itm, "polarization", "model.itm.polarization",
                                                    {{"horizontal", model::itm::Polarization::horizontal},
                                                     {"vertical", model::itm::Polarization::vertical}})) {
        t.polarization = *x;
    }
    // ITM's mode of variability: 0-3, plus 10 (no location variability) and/or 20 (no situation).
    if (auto x = p.number(*itm, "mdvar", "model.itm.mdvar", 0.0, 33.0)) {
        if (*x != std::floor(*x) || static_cast<int>(*x) % 10 > 3) {
            p.bad("model.itm.mdvar", "bad_value", fmt::format("{:g} is not one of 0-3, 10-13, 20-23, 30-33", *x));
        } else {
            t.mdvar = static_cast<int>(*x);
        }
    }
    const bool tls = itm->contains("time") || itm->contains("location") || itm->contains("situation");
    const bool cr = itm->contains("confidence") || itm->contains("reliability");
    if (tls && cr) {
        p.bad("model.itm", "bad_value", "give time/location/situation or confidence/reliability, not both");
        return;
    }
    const auto pct = [&](const char* key) {
        return p.number(*itm, key, fmt::format("model.itm.{}", key), 0.0, 100.0, true, true).value_or(50.0);
    };
    if (cr) {
        t.quantiles = model::itm::Quantiles::from_confidence_reliability(pct("confidence"), pct("reliability"));
    } else {
        t.quantiles = model::itm::Quantiles{pct("time"), pct("location"), pct("situation")};
    }
}

void read_area(CampaignParser& p, const json& root, Campaign& campaign) {
    const json* box = p.member(root, "area_bbox", "area_bbox", false);
    if (box == nullptr) {
        return;
    }
    if (!box->is_array() || box->size() != 4 ||
        !std::all_of(box->begin(), box->end(), [](const json& v) { return v.is_number(); })) {
        p.bad("area_bbox", "bad_value", "expected [min_lon, min_lat, max_lon, max_lat]");
        return;
    }
    const double v[4] = {(*box)[0].get<double>(), (*box)[1].get<double>(), (*box)[2].get<double>(),
                         (*box)[3].get<double>()};
    bool good = true;
    for (int i = 0; i < 4; ++i) {
        const double limit = i % 2 == 0 ? 180.0 : 90.0;
        if (std::fabs(v[i]) > limit) {
            p.bad(fmt::format("area_bbox[{}]", i), "out_of_range",
                  fmt::format("{:g} is outside [-{:g}, {:g}]", v[i], limit, limit));
            good = false;
        }
    }
    if (good && (v[0] >= v[2] || v[1] >= v[3])) {
        p.bad("area_bbox", "bad_value", "minimum must be below maximum ([min_lon, min_lat, max_lon, max_lat])");
        good = false;
    }
    if (good) {
        campaign.area = geo::Box{{v[0], v[1]}, {v[2], v[3]}};
    }
}

void read_files(CampaignParser& p, const json& root, Campaign& campaign) {
    const auto resolve = [&](const std::string& value) {
        const std::filesystem::path path{value};
        return path.is_absolute() ? path : campaign.base_dir / path;
    };
    if (auto v = p.text(root, "villages", "villages", false)) campaign.villages = resolve(*v);
    if (auto v = p.text(root, "commitments", "commitments", false)) campaign.commitments = resolve(*v);
    if (auto v = p.text(root, "population_raster", "population_raster", false)) campaign.population_raster = resolve(*v);
    if (const json* terrain = p.member(root, "terrain", "terrain", false); terrain && p.object_at(*terrain, "terrain")) {
        if (auto v = p.text(*terrain, "dem", "terrain.dem", false)) campaign.terrain_dem = resolve(*v);
    }
    if (!campaign.model.terrain_model.empty() && !campaign.terrain_dem) {
        p.bad("model.propagation", "needs_dem",
              fmt::format("'{}' is a terrain model: give the elevation model as terrain.dem", campaign.model.terrain_model));
    }
    if (const json* stations = p.member(root, "stations", "stations", false)) {
        if (stations->is_string()) {
            campaign.stations.push_back(resolve(stations->get<std::string>()));
        } else if (stations->is_array()) {
            for (std::size_t i = 0; i < stations->size(); ++i) {
                if (!(*stations)[i].is_string()) {
                    p.bad(fmt::format("stations[{}]", i), "bad_value", "expected a file path");
                    continue;
                }
                campaign.stations.push_back(resolve((*stations)[i].get<std::string>()));
            }
        } else {
            p.bad("stations", "bad_value", "expected a file path or a list of them");
        }
    }
}

} // namespace

Campaign default_campaign() {
    Campaign campaign;
    campaign.name = "default";
    campaign.radio_defaults = detail::builtin_radio_defaults();
    return campaign;
}

Campaign parse_campaign(const nlohmann::json& root, const std::filesystem::path& base_dir,
                        const std::string& source_name) {
    const Location where{source_name, std::nullopt, {}, std::nullopt};
    if (!root.is_object()) {
        throw InputError(where, "", "bad_json", "the campaign must be a JSON object");
    }
    CampaignParser p{source_name};
    Campaign campaign;
    campaign.base_dir = base_dir;
    if (auto name = p.text(root, "name", "name", true)) {
        campaign.name = *name;
    }
    campaign.start_date = p.date(root, "start_date", "start_date", false);
    read_operators(p, root, campaign);
    read_milestones(p, root, campaign);
    if (const json* rule = p.member(root, "coverage_rule", "coverage_rule", false);
        rule != nullptr && p.object_at(*rule, "coverage_rule")) {
        if (auto x = p.number(*rule, "min_fraction", "coverage_rule.min_fraction", 0.0, 1.0, true)) {
            campaign.coverage_rule.min_fraction = *x;
        }
        if (auto x = p.number(*rule, "village_radius_m", "coverage_rule.village_radius_m", 0.0, 100000.0, true)) {
            campaign.coverage_rule.village_radius_m = *x;
        }
    }
    read_radio_defaults(p, root, campaign);
    read_model(p, root, campaign);
    read_area(p, root, campaign);
    read_files(p, root, campaign);
    if (auto language = p.choice<Language>(root, "locale", "locale", {{"en", Language::en}, {"vi", Language::vi}})) {
        campaign.locale = *language;
    }
    campaign.date_format = p.choice<DateFormat>(root, "date_format", "date_format",
                                                {{"iso", DateFormat::iso}, {"d/m/yyyy", DateFormat::day_first}});
    detail::read_measurement_settings(root, campaign, p.problems(), source_name);

    if (!p.problems().empty()) {
        throw InputError(std::move(p.problems()));
    }
    campaign.warnings = detail::unknown_campaign_keys(root, source_name);
    if (campaign.terrain_dem && campaign.model.terrain_model.empty()) {
        campaign.warnings.push_back(Problem{Severity::warning, where, "terrain.dem", "dem_unused",
                                            "terrain.dem is not used: model.propagation is a terrain-blind model; "
                                            "set it to itm or hata+diffraction"});
    }
    return campaign;
}

Campaign load_campaign(const std::filesystem::path& file_in) {
    std::error_code ec;
    std::filesystem::path file = file_in;
    if (std::filesystem::is_directory(file, ec)) {
        file /= "campaign.json";
    }
    const Location where{file.string(), std::nullopt, {}, std::nullopt};
    if (Diagnostics problems; !detail::check_input_file(file, problems)) {
        throw InputError(problems.problems());
    }
    std::ifstream stream{file, std::ios::binary};
    const std::string text{std::istreambuf_iterator<char>{stream}, std::istreambuf_iterator<char>{}};
    if (!stream && !stream.eof()) {
        throw InputError(where, "", "cannot_open", "the campaign file cannot be read");
    }
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {
        // Not only parse_error: a number beyond double's range (1e400) throws out_of_range
        // (found by fuzz_campaign).
        throw InputError(where, "", "bad_json", fmt::format("not valid JSON: {}", e.what()));
    }
    // A parser keeps the last of two equal keys; which one the author meant is unknowable.
    if (const auto duplicates = detail::duplicate_json_keys(text); !duplicates.empty()) {
        std::vector<Problem> problems;
        for (const auto& key : duplicates) {
            problems.push_back(Problem{Severity::error, where, key, "duplicate_key",
                                       fmt::format("key '{}' is given twice; keep one", key)});
        }
        throw InputError(std::move(problems));
    }
    Campaign campaign = parse_campaign(root, file.parent_path(), file.string());
    campaign.file = file;
    return campaign;
}

} // namespace deadzone::ingest
