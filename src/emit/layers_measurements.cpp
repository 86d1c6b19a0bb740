// The measurements layer and the verdict fields on villages and commitments.
#include "layers_measurements.hpp"

#include <ogr_geometry.h>

#include <cctype>
#include <cmath>

namespace deadzone::emit::detail {

namespace {

constexpr int share_decimals = 4;
constexpr int level_decimals = 2;

/// As layers.cpp names operator columns (coverage_<code>): letters, digits and '_'.
std::string column_suffix(std::string_view code) {
    std::string out;
    for (const char c : code) {
        out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
    }
    return out;
}

Value text_or_null(const std::string& text) { return text.empty() ? Value{} : Value{text}; }

/// The verdict text of a village and operator; a pair with neither samples nor a prediction is
/// not listed by tracking and is unmeasured.
std::vector<Value> verdict_values(const Analysis& analysis, std::size_t village, const std::string& code) {
    const auto* verdict = analysis.measurements.find(village, code);
    if (verdict == nullptr) {
        return {std::int64_t{0}, Value{}, std::string{track::to_string(track::MeasuredVerdict::unmeasured)}};
    }
    return {std::int64_t{verdict->samples},
            verdict->samples > 0 ? rounded(verdict->share, share_decimals) : Value{},
            std::string{track::to_string(verdict->verdict)}};
}

} // namespace

const char* signal_class(double level_dbm, double threshold_dbm) noexcept {
    const double margin_db = level_dbm - threshold_dbm;
    if (margin_db >= 10.0) return "strong";
    if (margin_db >= 0.0) return "good";
    if (margin_db >= -10.0) return "weak";
    return "poor";
}

std::vector<FieldSpec> village_measurement_fields(const Analysis& analysis) {
    std::vector<FieldSpec> fields;
    if (!analysis.measurements.active) {
        return fields;
    }
    for (const auto& op : analysis.campaign.operators) {
        const auto suffix = column_suffix(op.code);
        fields.push_back({"samples_" + suffix, FieldType::integer});
        fields.push_back({"measured_share_" + suffix, FieldType::real});
        fields.push_back({"verdict_" + suffix, FieldType::string});
    }
    return fields;
}

std::vector<Value> village_measurement_values(const Analysis& analysis, std::size_t village) {
    std::vector<Value> values;
    if (!analysis.measurements.active) {
        return values;
    }
    for (const auto& op : analysis.campaign.operators) {
        auto three = verdict_values(analysis, village, op.code);
        values.insert(values.end(), three.begin(), three.end());
    }
    return values;
}

std::vector<FieldSpec> commitment_measurement_fields(const Analysis& analysis) {
    if (!analysis.measurements.active) {
        return {};
    }
    return {{"samples", FieldType::integer}, {"measured_share", FieldType::real}, {"verdict", FieldType::string}};
}

std::vector<Value> commitment_measurement_values(const Analysis& analysis, std::size_t village,
                                                 const std::string& operator_code) {
    if (!analysis.measurements.active) {
        return {};
    }
    return verdict_values(analysis, village, operator_code);
}

void measurements_layer(const Analysis& a, LayerSink& out) {
    LayerHeader table;
    table.name = "measurements";
    table.title = "Measurements";
    table.description = "Field samples; counted = inside the measurement window up to " + a.as_of.iso();
    table.kind = LayerKind::measurements;
    table.geometry = GeometryKind::point;
    table.fields = {{"operator", FieldType::string},     {"tech", FieldType::string},
                    {"time", FieldType::string},         {"level_dbm", FieldType::real},
                    {"threshold_dbm", FieldType::real},  {"signal", FieldType::string},
                    {"at_threshold", FieldType::boolean}, {"counted", FieldType::boolean},
                    {"village_id", FieldType::string},   {"predicted_covered", FieldType::boolean},
                    {"predicted_dbm", FieldType::real},  {"error_db", FieldType::real},
                    {"cell_id", FieldType::string},      {"source", FieldType::string}};
    out.begin(table);
    for (std::size_t s = 0; s < a.samples.size(); ++s) {
        const Sample& sample = a.samples[s];
        const auto& judgement = a.measured.samples[s];
        const double threshold_dbm = a.campaign.measurement_threshold_dbm(sample.tech);
        const auto p = snap_to_grid(sample.position);
        Row row;
        row.geometry.reset(new OGRPoint(p.x(), p.y()));
        const bool predicted = !std::isnan(judgement.predicted_dbm);
        row.values = {sample.operator_code,
                      std::string{to_string(sample.tech)},
                      sample.time,
                      rounded(sample.level_dbm, level_decimals),
                      rounded(threshold_dbm, level_decimals),
                      std::string{signal_class(sample.level_dbm, threshold_dbm)},
                      judgement.at_threshold,
                      judgement.counted,
                      judgement.village >= 0 ? Value{a.villages[static_cast<std::size_t>(judgement.village)].id} : Value{},
                      judgement.predicted_covered,
                      predicted ? rounded(judgement.predicted_dbm, level_decimals) : Value{},
                      predicted ? rounded(sample.level_dbm - judgement.predicted_dbm, level_decimals) : Value{},
                      text_or_null(sample.cell_id),
                      text_or_null(sample.origin)};
        out.add(std::move(row));
    }
}

} // namespace deadzone::emit::detail
