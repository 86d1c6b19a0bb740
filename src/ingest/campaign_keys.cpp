// campaign.json beyond its values: keys given twice (a JSON parser keeps the last silently),
// keys deadzone does not know (a typo such as "coverage_rul" would leave the default rule in
// force without a word), and operator codes that would collide in the names deadzone generates.
#include "detail.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

namespace deadzone::ingest::detail {

namespace {

using nlohmann::json;

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

const std::vector<std::string> root_keys{"name", "description", "start_date", "operators", "milestones",
                                         "coverage_rule", "radio_defaults", "model", "area_bbox",
                                         "population_raster", "terrain", "villages", "commitments", "stations",
                                         "locale", "date_format", "measurements"};
const std::vector<std::string> operator_keys{"code", "name", "mcc_mnc", "color"};
const std::vector<std::string> milestone_keys{"date", "target"};
const std::vector<std::string> rule_keys{"min_fraction", "village_radius_m", "evidence", "measurement"};
const std::vector<std::string> measurement_rule_keys{"share", "min_samples", "window_days", "threshold_dbm"};
const std::vector<std::string> radio_keys{"freq_mhz", "eirp_dbm", "height_m", "beamwidth_deg", "threshold_dbm"};
const std::vector<std::string> model_keys{"rx_height_m", "propagation", "environment", "city",
                                          "max_attenuation_db", "max_range_m", "radials", "profile_step_m",
                                          "k_factor", "diffraction", "itm"};
const std::vector<std::string> itm_keys{"climate", "n0", "epsilon", "sigma", "polarization", "mdvar",
                                        "time", "location", "situation", "confidence", "reliability"};
const std::vector<std::string> terrain_keys{"dem"};

void check_object(const json& object, const std::string& path, const std::vector<std::string>& known,
                  const Location& where, std::vector<Problem>& warnings) {
    if (!object.is_object()) {
        return;
    }
    for (const auto& [key, value] : object.items()) {
        // Keys of one's own are welcome beside deadzone's (DESIGN.md): a leading '_' or "x_"
        // marks them as deliberate.
        if (std::find(known.begin(), known.end(), key) != known.end() || key.rfind('_', 0) == 0 ||
            key.rfind("x_", 0) == 0) {
            continue;
        }
        std::string hint;
        for (const auto& candidate : known) {
            if (edit_distance(key, candidate) <= 2) {
                hint = fmt::format(" (did you mean '{}'?)", candidate);
                break;
            }
        }
        const std::string full = path.empty() ? key : path + "." + key;
        warnings.push_back(Problem{Severity::warning, where, full, "unknown_key",
                                   fmt::format("'{}' is not a campaign key and is ignored{}; start your own keys "
                                               "with '_' or 'x_'",
                                               full, hint)});
    }
}

} // namespace

std::vector<Problem> unknown_campaign_keys(const json& root, const std::string& source_name) {
    const Location where{source_name, std::nullopt, {}, std::nullopt};
    std::vector<Problem> warnings;
    check_object(root, "", root_keys, where, warnings);
    const auto each = [&](const char* key, const std::vector<std::string>& known) {
        const auto it = root.find(key);
        if (it != root.end() && it->is_array()) {
            for (std::size_t i = 0; i < it->size(); ++i) {
                check_object((*it)[i], fmt::format("{}[{}]", key, i), known, where, warnings);
            }
        }
    };
    each("operators", operator_keys);
    each("milestones", milestone_keys);
    if (const auto it = root.find("coverage_rule"); it != root.end()) {
        check_object(*it, "coverage_rule", rule_keys, where, warnings);
        if (it->is_object()) {
            if (const auto m = it->find("measurement"); m != it->end()) {
                check_object(*m, "coverage_rule.measurement", measurement_rule_keys, where, warnings);
            }
        }
    }
    if (const auto it = root.find("model"); it != root.end()) {
        check_object(*it, "model", model_keys, where, warnings);
        if (const auto itm = it->find("itm"); it->is_object() && itm != it->end()) {
            check_object(*itm, "model.itm", itm_keys, where, warnings);
        }
    }
    if (const auto it = root.find("terrain"); it != root.end()) {
        check_object(*it, "terrain", terrain_keys, where, warnings);
    }
    if (const auto it = root.find("radio_defaults"); it != root.end() && it->is_object()) {
        for (const auto& [tech, values] : it->items()) {
            check_object(values, "radio_defaults." + tech, radio_keys, where, warnings);
        }
    }
    return warnings;
}

std::vector<std::string> duplicate_json_keys(const std::string& text) {
    struct Frame {
        bool array = false;
        std::string path;
        std::set<std::string> keys;
        std::string key;
        long index = -1;
    };
    std::vector<Frame> stack;
    std::vector<std::string> duplicates;
    const auto child_path = [&]() -> std::string {
        if (stack.empty()) {
            return {};
        }
        const Frame& top = stack.back();
        if (top.array) {
            return fmt::format("{}[{}]", top.path, top.index);
        }
        return top.path.empty() ? top.key : top.path + "." + top.key;
    };
    json::parser_callback_t callback = [&](int, json::parse_event_t event, json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start: {
            if (!stack.empty() && stack.back().array) {
                ++stack.back().index;
            }
            Frame frame;
            frame.array = event == json::parse_event_t::array_start;
            frame.path = child_path();
            stack.push_back(std::move(frame));
            break;
        }
        case json::parse_event_t::key:
            if (!stack.empty()) {
                stack.back().key = parsed.get<std::string>();
                if (!stack.back().keys.insert(stack.back().key).second) {
                    duplicates.push_back(child_path());
                }
            }
            break;
        case json::parse_event_t::value:
            if (!stack.empty() && stack.back().array) {
                ++stack.back().index;
            }
            break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            if (!stack.empty()) {
                stack.pop_back();
            }
            break;
        }
        return true;
    };
    // Only the events matter; the document itself is parsed again by the caller.
    [[maybe_unused]] const auto document = json::parse(text, callback, false);
    return duplicates;
}

std::string upper_text(std::string_view text) {
    std::string out{text};
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

/// The column of a village's coverage by an operator, as emit names it (emit/layers.cpp
/// field_name: letters and digits kept, everything else '_'), lower-cased because GeoPackage
/// and QGIS compare column names without case.
std::string coverage_column(std::string_view code) {
    std::string out = "coverage_";
    for (const char c : code) {
        out += std::isalnum(static_cast<unsigned char>(c)) != 0
                   ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                   : '_';
    }
    return out;
}

std::vector<Problem> operator_code_clashes(const std::vector<std::string>& codes, const std::vector<std::string>& paths,
                                           const std::string& source_name) {
    const Location where{source_name, std::nullopt, {}, std::nullopt};
    std::vector<Problem> problems;
    const auto bad = [&](std::size_t i, std::string message) {
        problems.push_back(Problem{Severity::error, where, paths[i], "operator_name_clash", std::move(message)});
    };
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const std::string& code = codes[i];
        if (const auto c = std::find_if(code.begin(), code.end(),
                                        [](char ch) { return ch == '/' || ch == ',' || static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F; });
            c != code.end()) {
            const bool separator = *c == '/' || *c == ',';
            bad(i, separator ? fmt::format("operator code '{}' contains '{}', which separates {} in names deadzone "
                                           "writes; choose another code",
                                           code, *c, *c == '/' ? "operator, site and cell in cell keys"
                                                               : "the codes listed in covered_by")
                             : fmt::format("operator code {} contains a control character (0x{:02X})", i + 1,
                                           static_cast<unsigned char>(*c)));
            continue;
        }
        // Keys of each timeline point in progress.json: "date", "all", then one per operator.
        const std::string upper = upper_text(code);
        if (upper == "DATE" || upper == "ALL") {
            bad(i, fmt::format("operator code '{}' clashes with the key '{}' that every timeline point of "
                               "progress.json holds; choose another code",
                               code, upper == "DATE" ? "date" : "all"));
            continue;
        }
        const std::string column = coverage_column(code);
        if (column == "coverage_any") {
            bad(i, fmt::format("operator code '{}' would make the villages column 'coverage_any', which already "
                               "holds the share covered by any operator; choose another code",
                               code));
            continue;
        }
        const auto [it, inserted] = columns.emplace(column, i);
        if (!inserted) {
            bad(i, fmt::format("operator codes '{}' and '{}' both become the villages column '{}' (letters and "
                               "digits are kept, case is ignored, everything else becomes '_'); choose codes "
                               "that differ in letters or digits",
                               codes[it->second], code, column));
        }
    }
    return problems;
}

} // namespace deadzone::ingest::detail
