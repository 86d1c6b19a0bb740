// gen-campaign (output): hand-written JSON/CSV text, GeoPackage writing through OGR, and the
// written campaign read back through deadzone's own pipeline.
#pragma once

#include "records.hpp"

#include <nlohmann/json.hpp>

namespace gen {

// ---------------------------------------------------------------------------------------------
// Output helpers: text written by hand, so that every byte is under our control.

/// `text` as a JSON string literal (nlohmann/json's escaping: quotes, backslashes and control
/// characters; UTF-8 kept as it is).
inline std::string json_string(std::string_view text) { return nlohmann::json(std::string{text}).dump(); }

inline std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\n") == std::string_view::npos) {
        return std::string{text};
    }
    std::string out = "\"";
    for (const char c : text) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

inline std::string coord(double value) { return fmt::format("{:.7f}", value); }

inline std::string ring_json(const geo::Ring& ring) {
    std::string out = "[";
    for (std::size_t i = 0; i < ring.size(); ++i) {
        out += fmt::format("{}[{},{}]", i ? "," : "", coord(ring[i].x()), coord(ring[i].y()));
    }
    return out + "]";
}

/// Trims a number's trailing zeros: 30.0 → "30", 2.5 → "2.5".
inline std::string number(double value) {
    auto text = fmt::format("{:.3f}", value);
    while (text.back() == '0') {
        text.pop_back();
    }
    if (text.back() == '.') {
        text.pop_back();
    }
    return text;
}

inline std::string optional_number(const std::optional<double>& value) { return value ? number(*value) : std::string{}; }
inline std::string optional_date(const std::optional<Date>& value) { return value ? value->iso() : std::string{}; }

inline void write_text(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
        throw deadzone::Failure(file.string() + ": cannot write");
    }
}

/// The campaign template with its "stations" (and optionally the other input) entries replaced,
/// keeping the file's hand-made layout.
inline std::string campaign_text(const std::string& template_text, const std::vector<std::string>& stations,
                          const std::optional<std::string>& villages = std::nullopt,
                          const std::optional<std::string>& commitments = std::nullopt,
                          const std::optional<std::string>& name = std::nullopt) {
    std::string text = template_text;
    std::string list = "[";
    for (std::size_t i = 0; i < stations.size(); ++i) {
        list += (i ? ", " : "") + json_string(stations[i]);
    }
    list += "]";
    auto replace = [&text](const std::string& key, const std::string& value) {
        const std::regex pattern("(\"" + key + "\"\\s*:\\s*)(\\[[^\\]]*\\]|\"[^\"]*\")");
        if (!std::regex_search(text, pattern)) {
            throw deadzone::Failure("campaign template has no \"" + key + "\" entry");
        }
        text = std::regex_replace(text, pattern, "$1" + value, std::regex_constants::format_first_only);
    };
    replace("stations", list);
    if (villages) {
        replace("villages", json_string(*villages));
    }
    if (commitments) {
        replace("commitments", json_string(*commitments));
    }
    if (name) {
        replace("name", json_string(*name));
    }
    return text;
}

/// The template without its `measurements` entry: a generated scenario has no drive tests of its own.
inline std::string without_measurements(const std::string& text) {
    static const std::regex entry(",\\s*\"measurements\"\\s*:\\s*(\\[[^\\]]*\\]|\"[^\"]*\")");
    return std::regex_replace(text, entry, "");
}

inline std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw deadzone::Failure(file.string() + ": cannot read");
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// ---------------------------------------------------------------------------------------------
// GeoPackage writing through OGR. GeoPackage stores creation timestamps; OGR_CURRENT_DATE fixes
// them so that the file is byte-identical from run to run.

struct OgrField {
    std::string name;
    OGRFieldType type;
};

class GpkgWriter {
public:
    GpkgWriter(const fs::path& file, const std::string& layer_name, OGRwkbGeometryType type,
               const std::vector<OgrField>& fields) {
        CPLSetConfigOption("OGR_CURRENT_DATE", "2022-10-01T00:00:00.000Z");
        geo::ensure_gdal();
        fs::create_directories(file.parent_path());
        fs::remove(file);
        auto* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        if (driver == nullptr) {
            throw deadzone::Failure("GDAL has no GPKG driver");
        }
        m_dataset.reset(driver->Create(file.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!m_dataset) {
            throw deadzone::Failure(file.string() + ": cannot create: " + geo::last_gdal_error());
        }
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        const char* options[] = {"SPATIAL_INDEX=YES", nullptr};
        m_layer = m_dataset->CreateLayer(layer_name.c_str(), &srs, type, const_cast<char**>(options));
        if (m_layer == nullptr) {
            throw deadzone::Failure(file.string() + ": cannot create layer " + layer_name);
        }
        for (const auto& field : fields) {
            OGRFieldDefn definition(field.name.c_str(), field.type);
            m_layer->CreateField(&definition);
        }
        m_file = file.string();
        m_dataset->StartTransaction();
    }

    OGRLayer& layer() { return *m_layer; }

    void add(OGRFeature& feature) {
        if (m_layer->CreateFeature(&feature) != OGRERR_NONE) {
            throw deadzone::Failure(m_file + ": cannot write a feature: " + geo::last_gdal_error());
        }
    }

    void close() {
        if (m_dataset->CommitTransaction() != OGRERR_NONE) {
            throw deadzone::Failure(m_file + ": cannot commit: " + geo::last_gdal_error());
        }
        m_dataset.reset();
    }

private:
    geo::DatasetPtr m_dataset;
    OGRLayer* m_layer = nullptr;
    std::string m_file;
};

// ---------------------------------------------------------------------------------------------
// Verification: the written campaign read back and analysed by deadzone's own pipeline.

inline void print_pipeline_figures(const fs::path& campaign_file, Date as_of) {
    auto campaign = deadzone::ingest::load_campaign(campaign_file);
    // Terrain-blind, the model the sites were placed with: a template with terrain (the sample's)
    // names a DEM that is not in the output folder, and the targets are the flat model's.
    campaign.terrain_dem.reset();
    campaign.model.terrain_model.clear();
    // Drive tests are made afterwards from these files (tools/gen_measurements.cpp); they are not here yet.
    campaign.measurements.clear();
    campaign.coverage_rule.evidence = deadzone::Evidence::prediction;
    deadzone::Diagnostics diagnostics;
    auto inputs = deadzone::ingest::read_inputs(campaign, {}, diagnostics);
    if (diagnostics.has_errors()) {
        throw deadzone::InputError(diagnostics.problems());
    }
    deadzone::pipeline::Options options;
    options.compute_gaps = false;
    const auto analysis = deadzone::pipeline::analyze(std::move(campaign), std::move(inputs), as_of, options);
    const auto& tracking = analysis.tracking;
    std::cout << fmt::format("deadzone's pipeline on the written files (as of {}), share of commitments covered:\n",
                             as_of.iso());
    auto line = [&](const deadzone::track::Group& group, const std::string& key) {
        int hopeless = 0;
        for (const auto& result : tracking.commitments) {
            const auto& op = analysis.commitments[result.commitment].operator_code;
            hopeless += result.cannot_be_met && (key == "all" || op == key) ? 1 : 0;
        }
        std::string text = fmt::format("  {:<4} {:3d} villages", key, group.counts.total);
        for (const auto& milestone : group.milestones) {
            text += fmt::format("  {}: {:5.1f} %", milestone.date.iso(), 100.0 * milestone.achieved);
        }
        text += fmt::format("  {}: {:5.1f} %  never covered {}, of which no listed cell would cover {}",
                            as_of.iso(), 100.0 * group.counts.fraction,
                            group.counts.total - group.counts.covered - group.counts.covered_late, hopeless);
        std::cout << text << "\n";
    };
    for (const auto& group : tracking.operators) {
        line(group, group.key);
    }
    line(tracking.overall, "all");
}


} // namespace gen
