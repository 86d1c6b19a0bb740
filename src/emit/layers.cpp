#include "geopackage_thread.hpp"
#include "layer_stream.hpp"
#include "layer_table.hpp"
#include "layers_measurements.hpp"
#include "qml.hpp"

#include <deadzone/core/error.hpp>
#include <deadzone/core/source.hpp>
#include <deadzone/emit/layers.hpp>
#include <deadzone/geo/parallel.hpp>
#include <deadzone/model/pathloss.hpp>
#include <deadzone/overlay/line_of_sight.hpp>

#include <ogr_geometry.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <iterator>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <string_view>

namespace deadzone::emit {

namespace {

using detail::FieldSpec;
using detail::FieldType;
using detail::LayerHeader;
using detail::LayerKind;
using detail::LayerSink;
using detail::Row;
using detail::Value;

// Fixed decimals per kind of number: fractions to 1e-4 (finer than the 0.002 the overlay
// promises), areas to 1 m² (1e-6 km²), radio figures to 1e-3 of their unit.
constexpr int fraction_decimals = 4;
constexpr int area_decimals = 6;
constexpr int radio_decimals = 3;
constexpr int population_decimals = 2;

std::string lower(std::string_view text) {
    std::string out{text};
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

Value text_or_null(const std::string& text) {
    return text.empty() ? Value{} : Value{text};
}

template <typename T, typename F> Value optional_value(const std::optional<T>& value, F&& convert) {
    return value ? convert(*value) : Value{};
}

Value real(const std::optional<double>& value, int decimals) {
    return value ? detail::rounded(*value, decimals) : Value{};
}

Value date(const std::optional<Date>& value) {
    return value ? Value{*value} : Value{};
}

/// A field name safe in every driver: letters, digits and '_' (GeoPackage and FlatGeobuf take
/// more, but QGIS expressions and shell users are happier without spaces and quotes).
std::string field_name(std::string_view text) {
    std::string out;
    for (const char c : text) {
        out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
    }
    return out.empty() ? std::string{"field"} : out;
}

/// The pass-through fields of a list of records, in first-seen order, each given a column name
/// that does not clash (case-insensitively, as GeoPackage compares names) with `fields`: a
/// clashing source field becomes <name>_src, then <name>_src2, ...
struct ExtraColumns {
    std::vector<std::string> keys;  // as in the source
    std::vector<std::string> names; // as written
};

ExtraColumns extra_columns(const std::vector<const Attributes*>& records, const std::vector<FieldSpec>& fields) {
    std::set<std::string> taken{"fid", "geom", "id"};
    for (const auto& f : fields) {
        taken.insert(lower(f.name));
    }
    ExtraColumns out;
    std::set<std::string> seen;
    for (const auto* attributes : records) {
        for (const auto& [key, value] : *attributes) {
            if (!seen.insert(key).second) {
                continue;
            }
            const auto base = field_name(key);
            auto name = base;
            for (int n = 1; taken.count(lower(name)) > 0; ++n) {
                name = base + "_src" + (n == 1 ? std::string{} : std::to_string(n));
            }
            taken.insert(lower(name));
            out.keys.push_back(key);
            out.names.push_back(name);
        }
    }
    return out;
}

void add_extra_fields(LayerHeader& table, const ExtraColumns& extra) {
    for (const auto& name : extra.names) {
        table.fields.push_back({name, FieldType::string});
    }
}

void add_extra_values(std::vector<Value>& values, const ExtraColumns& extra, const Attributes& attributes) {
    for (const auto& key : extra.keys) {
        const auto it = std::find_if(attributes.begin(), attributes.end(),
                                     [&](const auto& kv) { return kv.first == key; });
        values.push_back(it == attributes.end() ? Value{} : Value{it->second});
    }
}

geo::GeometryPtr polygon_geometry(const geo::MultiPolygon& geometry, const std::string& what) {
    const auto snapped = detail::snap_to_grid(geometry, what);
    if (snapped.empty()) {
        return nullptr;
    }
    return geo::to_ogr(snapped);
}

/// Indices 0..n-1 ordered by `less`, ties kept in input order.
template <typename Less> std::vector<std::size_t> order(std::size_t n, Less&& less) {
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::stable_sort(idx.begin(), idx.end(), less);
    return idx;
}

void check_consistent(const Analysis& a) {
    auto require = [](bool ok, const std::string& what) {
        if (!ok) {
            throw Failure("emit: inconsistent analysis: " + what);
        }
    };
    require(a.overlay.villages.size() == a.villages.size(),
            "overlay has " + std::to_string(a.overlay.villages.size()) + " villages, input " +
                std::to_string(a.villages.size()));
    require(a.tracking.commitments.size() == a.commitments.size(),
            "tracking has " + std::to_string(a.tracking.commitments.size()) + " commitments, input " +
                std::to_string(a.commitments.size()));
    require(a.footprints.empty() || a.footprints.size() == a.cells.size(),
            "footprints are not parallel to the cells");
    for (const auto& result : a.tracking.commitments) {
        require(result.village < a.villages.size() && result.commitment < a.commitments.size(),
                "a commitment result points outside the village or commitment list");
    }
}

// ---------------------------------------------------------------------------------------------

void villages_layer(const Analysis& a, const overlay::LineOfSight& los, LayerSink& out) {
    LayerHeader table;
    table.name = "villages";
    table.title = "Villages";
    table.description = "Dead-zone villages with their coverage as of " + a.as_of.iso();
    table.kind = LayerKind::villages;
    table.fields = {{"village_id", FieldType::string}, {"name", FieldType::string},
                    {"province", FieldType::string},   {"district", FieldType::string},
                    {"commune", FieldType::string},    {"population", FieldType::real},
                    {"households", FieldType::integer64}, {"area_km2", FieldType::real},
                    {"coverage_any", FieldType::real},  {"covered_by", FieldType::string},
                    {"dead_zone", FieldType::boolean}};
    for (const auto& op : a.campaign.operators) {
        table.fields.push_back({"coverage_" + field_name(op.code), FieldType::real});
    }
    for (auto& field : detail::village_measurement_fields(a)) {
        table.fields.push_back(std::move(field));
    }
    // Terrain runs only: without a DEM nothing is known about line of sight (docs/layers.md).
    if (los.has_terrain) {
        table.fields.push_back({"los_fraction", FieldType::real});
    }
    std::vector<const Attributes*> extras;
    for (const auto& v : a.villages) {
        extras.push_back(&v.extra);
    }
    const auto extra = extra_columns(extras, table.fields);
    add_extra_fields(table, extra);

    out.begin(table);
    const double min_fraction = a.campaign.coverage_rule.min_fraction;
    const auto idx = order(a.villages.size(), [&](std::size_t l, std::size_t r) {
        return a.villages[l].id < a.villages[r].id;
    });
    for (const auto i : idx) {
        const auto& v = a.villages[i];
        const auto& cov = a.overlay.villages[i];
        std::vector<std::string> covered_by;
        for (const auto& oc : cov.operators) {
            if (oc.fraction >= min_fraction) {
                covered_by.push_back(oc.operator_code);
            }
        }
        std::sort(covered_by.begin(), covered_by.end());
        std::string covered_text;
        for (const auto& code : covered_by) {
            covered_text += (covered_text.empty() ? "" : ",") + code;
        }
        Row row;
        row.geometry = polygon_geometry(v.geometry, "villages: village '" + v.id + "' (" + source_text(v.source) + ")");
        row.values = {v.id,
                      v.name,
                      text_or_null(v.province),
                      text_or_null(v.district),
                      text_or_null(v.commune),
                      real(v.population, population_decimals),
                      optional_value(v.households, [](std::int64_t h) { return Value{h}; }),
                      detail::rounded(cov.area_km2, area_decimals),
                      detail::rounded(cov.any_fraction, fraction_decimals),
                      covered_text,
                      covered_by.empty()};
        for (const auto& op : a.campaign.operators) {
            const auto* oc = cov.find(op.code);
            row.values.push_back(detail::rounded(oc != nullptr ? oc->fraction : 0.0, fraction_decimals));
        }
        for (auto& value : detail::village_measurement_values(a, i)) {
            row.values.push_back(std::move(value));
        }
        if (los.has_terrain) {
            row.values.push_back(detail::rounded(los.any[i], fraction_decimals));
        }
        add_extra_values(row.values, extra, v.extra);
        out.add(std::move(row));
    }
}

void commitments_layer(const Analysis& a, const overlay::LineOfSight& los, LayerSink& out) {
    LayerHeader table;
    table.name = "commitments";
    table.title = "Commitments";
    table.description = "Operators' coverage commitments and their status as of " + a.as_of.iso();
    table.kind = LayerKind::commitments;
    table.fields = {{"village_id", FieldType::string}, {"name", FieldType::string},
                    {"province", FieldType::string},   {"operator", FieldType::string},
                    {"deadline", FieldType::date},     {"registered_on", FieldType::date},
                    {"status", FieldType::string},     {"coverage", FieldType::real},
                    {"covered_on", FieldType::date},   {"days_late", FieldType::integer},
                    {"cannot_be_met", FieldType::boolean},
                    {"at_risk", FieldType::boolean},   {"expected_covered_on", FieldType::date},
                    {"delay_reasons", FieldType::string}, {"support_fund_vnd", FieldType::integer},
                    {"note", FieldType::string}};
    for (auto& field : detail::commitment_measurement_fields(a)) {
        table.fields.push_back(std::move(field));
    }
    if (los.has_terrain) { // the committed operator's cells only
        table.fields.push_back({"los_fraction", FieldType::real});
    }
    std::vector<const Attributes*> extras;
    for (const auto& c : a.commitments) {
        extras.push_back(&c.extra);
    }
    const auto extra = extra_columns(extras, table.fields);
    add_extra_fields(table, extra);

    out.begin(table);
    const auto& results = a.tracking.commitments;
    const auto idx = order(results.size(), [&](std::size_t l, std::size_t r) {
        const auto& cl = a.commitments[results[l].commitment];
        const auto& cr = a.commitments[results[r].commitment];
        return std::tie(cl.village_id, cl.operator_code, cl.deadline) <
               std::tie(cr.village_id, cr.operator_code, cr.deadline);
    });
    // Several operators may commit to one village: its rows are consecutive (by village id), so
    // its polygon is snapped once and kept only while its rows are written.
    std::size_t snapped_village = a.villages.size();
    geo::GeometryPtr village_geometry;
    for (const auto i : idx) {
        const auto& result = results[i];
        const auto& c = a.commitments[result.commitment];
        const auto& v = a.villages[result.village];
        if (result.village != snapped_village) {
            village_geometry =
                polygon_geometry(v.geometry, "commitments: village '" + v.id + "' (" + source_text(v.source) + ")");
            snapped_village = result.village;
        }
        Row row;
        if (village_geometry) {
            row.geometry.reset(village_geometry->clone());
        }
        row.values = {c.village_id,
                      v.name,
                      text_or_null(v.province),
                      c.operator_code,
                      c.deadline,
                      date(c.registered_on),
                      std::string{track::to_string(result.status)},
                      detail::rounded(result.coverage, fraction_decimals),
                      date(result.covered_on),
                      optional_value(result.days_late, [](int d) { return Value{std::int64_t{d}}; }),
                      result.cannot_be_met};
        const auto& delays = a.tracking.delays.commitments;
        const auto* why = result.commitment < delays.size() ? &delays[result.commitment] : nullptr;
        std::string reasons;
        for (const auto reason : why != nullptr ? why->reasons : std::vector<DelayReason>{}) {
            reasons += (reasons.empty() ? "" : ",") + std::string{to_string(reason)};
        }
        row.values.push_back(why != nullptr && why->at_risk);
        row.values.push_back(date(why != nullptr ? why->expected_covered_on : std::nullopt));
        row.values.push_back(text_or_null(reasons));
        row.values.push_back(optional_value(c.support_fund_vnd, [](std::int64_t v) { return Value{v}; }));
        row.values.push_back(text_or_null(c.note));
        for (auto& value : detail::commitment_measurement_values(a, result.village, c.operator_code)) {
            row.values.push_back(std::move(value));
        }
        if (los.has_terrain) {
            const auto& mine = los.by_operator[result.village];
            const auto it = mine.find(c.operator_code);
            row.values.push_back(detail::rounded(it != mine.end() ? it->second : 0.0, fraction_decimals));
        }
        add_extra_values(row.values, extra, c.extra);
        out.add(std::move(row));
    }
}

void coverage_layer(const Analysis& a, int threads, LayerSink& out) {
    LayerHeader table;
    table.name = "coverage";
    table.title = "Coverage";
    table.description = "Each operator's footprints in service on " + a.as_of.iso() + ", dissolved";
    table.kind = LayerKind::coverage;
    table.fields = {{"operator", FieldType::string}, {"name", FieldType::string}, {"color", FieldType::string},
                    {"area_km2", FieldType::real},   {"cells", FieldType::integer64}};
    out.begin(table);
    // Campaign order (as dissolve_coverage returns it); an operator missing from the campaign
    // would have no name or colour, so it sorts after, by code.
    auto position = [&](const std::string& code) {
        for (std::size_t i = 0; i < a.campaign.operators.size(); ++i) {
            if (a.campaign.operators[i].code == code) return i;
        }
        return a.campaign.operators.size();
    };
    const auto idx = order(a.coverage.size(), [&](std::size_t l, std::size_t r) {
        const auto pl = position(a.coverage[l].operator_code);
        const auto pr = position(a.coverage[r].operator_code);
        return pl != pr ? pl < pr : a.coverage[l].operator_code < a.coverage[r].operator_code;
    });
    // One dissolved shape per operator, each large: they are snapped and checked (GEOS) on the
    // threads, one operator each, into their own slots, so the rows do not depend on the count.
    std::vector<geo::GeometryPtr> geometries(idx.size());
    geo::ParallelOptions parallel;
    parallel.threads = threads;
    geo::parallel_for(idx.size(), parallel, [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
            const auto& area = a.coverage[idx[k]];
            geometries[k] = polygon_geometry(area.area, "coverage: operator '" + area.operator_code + "'");
        }
    });
    for (std::size_t k = 0; k < idx.size(); ++k) {
        const auto& area = a.coverage[idx[k]];
        const auto* op = a.campaign.find_operator(area.operator_code);
        Row row;
        row.geometry = std::move(geometries[k]);
        row.values = {area.operator_code,
                      op != nullptr ? text_or_null(op->name) : Value{},
                      op != nullptr ? text_or_null(op->color) : Value{},
                      detail::rounded(area.area_km2, area_decimals),
                      static_cast<std::int64_t>(area.cells)};
        out.add(std::move(row));
    }
}

void gaps_layer(const Analysis& a, LayerSink& out) {
    LayerHeader table;
    table.name = "gaps";
    table.title = "Coverage gaps";
    table.description = "The part of each village that no operator covers on " + a.as_of.iso();
    table.kind = LayerKind::gaps;
    table.fields = {{"village_id", FieldType::string}, {"name", FieldType::string},
                    {"province", FieldType::string},   {"gap_km2", FieldType::real},
                    {"gap_fraction", FieldType::real}};
    out.begin(table);
    const auto idx = order(a.villages.size(), [&](std::size_t l, std::size_t r) {
        return a.villages[l].id < a.villages[r].id;
    });
    for (const auto i : idx) {
        const auto& v = a.villages[i];
        const auto& cov = a.overlay.villages[i];
        const auto gap_km2 = detail::rounded(cov.gap_km2, area_decimals);
        // A gap below 1 m² is the overlay's arithmetic, not a place anybody lives in.
        if (cov.gap.empty() || !std::holds_alternative<double>(gap_km2) || std::get<double>(gap_km2) <= 0.0) {
            continue;
        }
        Row row;
        row.geometry = polygon_geometry(cov.gap, "gaps: village '" + v.id + "' (" + source_text(v.source) + ")");
        if (!row.geometry) {
            continue; // the gap is thinner than the 1e-7 degree grid
        }
        row.values = {v.id, v.name, text_or_null(v.province), gap_km2,
                      cov.area_km2 > 0.0 ? detail::rounded(cov.gap_km2 / cov.area_km2, fraction_decimals)
                                         : Value{}};
        out.add(std::move(row));
    }
}

void stations_layer(const Analysis& a, LayerSink& out) {
    LayerHeader table;
    table.name = "stations";
    table.title = "Stations";
    table.description = "One point per cell; in_service as of " + a.as_of.iso();
    table.kind = LayerKind::stations;
    table.geometry = detail::GeometryKind::point;
    table.fields = {{"operator", FieldType::string},      {"site_id", FieldType::string},
                    {"cell_id", FieldType::string},       {"tech", FieldType::string},
                    {"status", FieldType::string},        {"on_air_date", FieldType::date},
                    {"off_air_date", FieldType::date},    {"height_m", FieldType::real},
                    {"freq_mhz", FieldType::real},        {"eirp_dbm", FieldType::real},
                    {"azimuth_deg", FieldType::real},     {"beamwidth_deg", FieldType::real},
                    {"tilt_deg", FieldType::real},        {"range_m", FieldType::real},
                    {"footprint_km2", FieldType::real},   {"in_service", FieldType::boolean},
                    {"delay_reason", FieldType::string},  {"delay_note", FieldType::string},
                    {"expected_on_air_date", FieldType::date}, {"power_source", FieldType::string},
                    {"backhaul", FieldType::string}};
    std::vector<const Attributes*> extras;
    for (const auto& c : a.cells) {
        extras.push_back(&c.extra);
    }
    const auto extra = extra_columns(extras, table.fields);
    add_extra_fields(table, extra);

    out.begin(table);
    const auto idx = order(a.cells.size(), [&](std::size_t l, std::size_t r) {
        const auto& cl = a.cells[l];
        const auto& cr = a.cells[r];
        return std::tie(cl.operator_code, cl.site_id, cl.cell_id) <
               std::tie(cr.operator_code, cr.site_id, cr.cell_id);
    });
    for (const auto i : idx) {
        const auto& c = a.cells[i];
        const auto p = detail::snap_to_grid(c.position);
        Row row;
        row.geometry.reset(new OGRPoint(p.x(), p.y()));
        row.values = {c.operator_code,
                      c.site_id,
                      text_or_null(c.cell_id),
                      std::string{to_string(c.tech)},
                      std::string{to_string(c.status)},
                      date(c.on_air_date),
                      date(c.off_air_date),
                      real(c.height_m, radio_decimals),
                      real(c.freq_mhz, radio_decimals),
                      real(c.eirp_dbm, radio_decimals),
                      real(c.azimuth_deg, radio_decimals),
                      real(c.beamwidth_deg, radio_decimals),
                      real(c.tilt_deg, radio_decimals),
                      real(c.range_m, radio_decimals),
                      a.footprints.empty() ? Value{} : detail::rounded(a.footprints[i].area_km2, area_decimals),
                      c.in_service(a.as_of),
                      c.delay.reason ? Value{std::string{to_string(*c.delay.reason)}} : Value{},
                      text_or_null(c.delay.note),
                      date(c.delay.expected_on_air_date),
                      text_or_null(c.delay.power_source),
                      text_or_null(c.delay.backhaul)};
        add_extra_values(row.values, extra, c.extra);
        out.add(std::move(row));
    }
}

/// One MultiPolygon per cell, as the model computed it (terrain runs: holes are shadows,
/// islands lit slopes beyond ridges), with the model and its parameters.
void footprints_layer(const Analysis& a, LayerSink& out) {
    LayerHeader table;
    table.name = "footprints";
    table.title = "Footprints";
    table.description = "Each cell's predicted coverage (" + model::model_description(a.campaign) + ")";
    table.kind = LayerKind::footprints;
    table.fields = {{"operator", FieldType::string},   {"site_id", FieldType::string},
                    {"cell_id", FieldType::string},    {"tech", FieldType::string},
                    {"in_service", FieldType::boolean}, {"area_km2", FieldType::real},
                    {"holes", FieldType::integer},      {"parts", FieldType::integer},
                    {"model", FieldType::string},      {"radials", FieldType::integer},
                    {"profile_step_m", FieldType::real}, {"k_factor", FieldType::real},
                    {"parameters", FieldType::string}};
    out.begin(table);
    const auto& m = a.campaign.model;
    const std::string model_name = m.terrain_model.empty() ? std::string{model::to_string(m.propagation)} : m.terrain_model;
    const std::string parameters = model::model_description(a.campaign);
    const auto idx = order(a.cells.size(), [&](std::size_t l, std::size_t r) {
        const auto& cl = a.cells[l];
        const auto& cr = a.cells[r];
        return std::tie(cl.operator_code, cl.site_id, cl.cell_id) < std::tie(cr.operator_code, cr.site_id, cr.cell_id);
    });
    for (const auto i : idx) {
        const auto& c = a.cells[i];
        const auto& fp = a.footprints[i];
        const auto shape = fp.shape.unfolded();
        std::int64_t holes = 0;
        for (const auto& polygon : shape) holes += static_cast<std::int64_t>(polygon.inners().size());
        Row row;
        row.geometry = polygon_geometry(shape, "footprints: cell " + c.key() + " (" + source_text(c.source) + ")");
        row.values = {c.operator_code,
                      c.site_id,
                      text_or_null(c.cell_id),
                      std::string{to_string(c.tech)},
                      c.in_service(a.as_of),
                      detail::rounded(fp.area_km2, area_decimals),
                      holes,
                      static_cast<std::int64_t>(shape.size()),
                      model_name,
                      std::int64_t{m.sampling.radials},
                      real(m.sampling.profile_step_m, radio_decimals),
                      detail::rounded(m.terrain.k_factor, radio_decimals),
                      parameters};
        out.add(std::move(row));
    }
}

} // namespace

void write_layers(const Analysis& analysis, const std::filesystem::path& out_dir, const LayerOptions& options,
                  const Progress& progress, const std::shared_future<void>& coverage_ready) {
    check_consistent(analysis);
    geo::ensure_gdal(); // before the first validity check, so GEOS notices stay off stderr
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) {
        throw Failure(out_dir.string() + ": cannot create the output folder: " + ec.message());
    }

    // Each layer goes to every format as it is built, a batch of rows at a time (LayerStream):
    // at national scale a whole layer's rows would be hundreds of megabytes.
    // Line of sight is known only from terrain footprints; the footprints layer is written for
    // terrain runs (terrain-blind footprints are the discs/sectors the stations layer sizes).
    const auto los = overlay::line_of_sight_fractions(analysis.villages, analysis.cells, analysis.footprints,
                                                      analysis.as_of);
    using Builder = std::function<void(LayerSink&)>;
    std::vector<Builder> builders{[&](LayerSink& out) { villages_layer(analysis, los, out); },
                                  [&](LayerSink& out) { commitments_layer(analysis, los, out); },
                                  [&](LayerSink& out) { gaps_layer(analysis, out); },
                                  [&](LayerSink& out) { stations_layer(analysis, out); }};
    if (los.has_terrain) {
        builders.push_back([&](LayerSink& out) { footprints_layer(analysis, out); });
    }
    if (analysis.measurements.active) {
        builders.push_back([&](LayerSink& out) { detail::measurements_layer(analysis, out); });
    }
    // Last, whether or not it is still being dissolved, so that the GeoPackage's order is fixed.
    builders.push_back([&](LayerSink& out) {
        if (coverage_ready.valid()) {
            coverage_ready.get();
        }
        coverage_layer(analysis, options.threads, out);
    });
    // The GeoPackage is written on its own thread, behind the files (geopackage_thread.hpp).
    std::optional<detail::GeoPackageThread> gpkg;
    if (options.gpkg) {
        gpkg.emplace(out_dir / "deadzone.gpkg", analysis.as_of.iso() + "T00:00:00.000Z");
    }
    detail::LayerStream stream(out_dir, options, analysis.campaign, gpkg ? &*gpkg : nullptr);
    const double step = 1.0 / static_cast<double>(std::size(builders));
    for (std::size_t i = 0; i < std::size(builders); ++i) {
        const auto sub = progress.sub(step * static_cast<double>(i), step * static_cast<double>(i + 1));
        sub.report(0.0, "building layers");
        builders[i](stream);
        sub.report(1.0, "written " + stream.end());
    }
    if (gpkg) {
        gpkg->finish();
    }
    progress.report(1.0, "layers written");
}

} // namespace deadzone::emit
