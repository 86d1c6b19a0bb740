// campaign.json's measurement settings: the `measurements` files and coverage_rule's `evidence`
// and `measurement` keys (docs/measurements.md), each bad value reported with its key path.
#include "detail.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace deadzone::ingest::detail {

namespace {

using nlohmann::json;

class Reader {
public:
    Reader(std::string file, std::vector<Problem>& problems) : m_file(std::move(file)), m_problems(problems) {}

    void bad(const std::string& key, const std::string& code, const std::string& message) {
        m_problems.push_back(Problem{Severity::error, Location{m_file, std::nullopt, {}, std::nullopt}, key, code,
                                     message});
    }

    /// A number in [low, high] (low excluded when `low_open`); nullopt (reported) otherwise.
    std::optional<double> number(const json& value, const std::string& path, double low, double high,
                                 bool low_open) {
        if (!value.is_number()) {
            bad(path, "bad_value", fmt::format("expected a number, found {}", value.dump()));
            return std::nullopt;
        }
        const double x = value.get<double>();
        if (!std::isfinite(x) || (low_open ? x <= low : x < low) || x > high) {
            bad(path, "out_of_range",
                fmt::format("{} is outside {}{:g}, {:g}]", value.dump(), low_open ? "(" : "[", low, high));
            return std::nullopt;
        }
        return x;
    }

    /// A whole number in [low, high].
    std::optional<int> integer(const json& value, const std::string& path, int low, int high) {
        if (!value.is_number_integer() && !(value.is_number_float() && std::floor(value.get<double>()) ==
                                                                             value.get<double>())) {
            bad(path, "bad_value", fmt::format("expected a whole number, found {}", value.dump()));
            return std::nullopt;
        }
        const double x = value.get<double>();
        if (x < low || x > high) {
            bad(path, "out_of_range", fmt::format("{} is outside [{}, {}]", value.dump(), low, high));
            return std::nullopt;
        }
        return static_cast<int>(x);
    }

private:
    std::string m_file;
    std::vector<Problem>& m_problems;
};

void read_rule(Reader& r, const json& section, MeasurementRule& rule) {
    if (const auto it = section.find("share"); it != section.end()) {
        if (auto x = r.number(*it, "coverage_rule.measurement.share", 0.0, 1.0, true)) rule.share = *x;
    }
    if (const auto it = section.find("min_samples"); it != section.end()) {
        if (auto x = r.integer(*it, "coverage_rule.measurement.min_samples", 1, 1000000)) rule.min_samples = *x;
    }
    if (const auto it = section.find("window_days"); it != section.end() && !it->is_null()) {
        if (auto x = r.integer(*it, "coverage_rule.measurement.window_days", 1, 36600)) rule.window_days = *x;
    }
    const auto thresholds = section.find("threshold_dbm");
    if (thresholds == section.end()) {
        return;
    }
    if (!thresholds->is_object()) {
        r.bad("coverage_rule.measurement.threshold_dbm", "bad_value",
              "expected an object such as {\"4G\": -110, \"2G\": -95}");
        return;
    }
    for (const auto& [key, value] : thresholds->items()) {
        const std::string path = "coverage_rule.measurement.threshold_dbm." + key;
        const auto tech = parse_tech(key);
        if (!tech) {
            r.bad(path, "unknown_tech", fmt::format("'{}' is not a technology (2G|3G|4G|5G)", key));
            continue;
        }
        // The same span as a sample's level may take (measurements.cpp): a threshold no sample
        // can reach or miss decides nothing.
        if (auto x = r.number(value, path, -156.0, -20.0, false)) rule.threshold_dbm[*tech] = *x;
    }
}

} // namespace

void read_measurement_settings(const json& root, Campaign& campaign, std::vector<Problem>& problems,
                               const std::string& source_name) {
    Reader r{source_name, problems};
    if (const auto it = root.find("measurements"); it != root.end() && !it->is_null()) {
        const auto resolve = [&](const std::string& value) {
            const std::filesystem::path path{value};
            return path.is_absolute() ? path : campaign.base_dir / path;
        };
        if (it->is_string()) {
            campaign.measurements.push_back(resolve(it->get<std::string>()));
        } else if (it->is_array()) {
            for (std::size_t i = 0; i < it->size(); ++i) {
                if (!(*it)[i].is_string()) {
                    r.bad(fmt::format("measurements[{}]", i), "bad_value", "expected a file path");
                    continue;
                }
                campaign.measurements.push_back(resolve((*it)[i].get<std::string>()));
            }
        } else {
            r.bad("measurements", "bad_value", "expected a file path or a list of them");
        }
    }
    const auto rule = root.find("coverage_rule");
    if (rule == root.end() || !rule->is_object()) {
        return; // a malformed coverage_rule is reported by the campaign parser
    }
    if (const auto it = rule->find("evidence"); it != rule->end() && !it->is_null()) {
        const std::string text = it->is_string() ? it->get<std::string>() : it->dump();
        if (iequals(text, "prediction")) {
            campaign.coverage_rule.evidence = Evidence::prediction;
        } else if (iequals(text, "measurement")) {
            campaign.coverage_rule.evidence = Evidence::measurement;
        } else if (iequals(text, "both")) {
            campaign.coverage_rule.evidence = Evidence::both;
        } else {
            r.bad("coverage_rule.evidence", "bad_value",
                  fmt::format("'{}' is not one of prediction|measurement|both", text));
        }
        // Judging by samples that no file provides would mark every village unmeasured: with
        // `measurement` nothing would ever count as covered, silently.
        if (campaign.coverage_rule.evidence != Evidence::prediction && campaign.measurements.empty()) {
            r.bad("coverage_rule.evidence", "missing_measurements",
                  fmt::format("evidence '{}' needs measurement files: add a 'measurements' key", text));
        }
    }
    if (const auto it = rule->find("measurement"); it != rule->end() && !it->is_null()) {
        if (!it->is_object()) {
            r.bad("coverage_rule.measurement", "bad_value",
                  fmt::format("expected an object, found {}", it->dump()));
        } else {
            read_rule(r, *it, campaign.coverage_rule.measurement);
        }
    }
}

} // namespace deadzone::ingest::detail
