// Villages: ids, names, admin units, population; polygons repaired when invalid, points turned
// into geodesic discs of the campaign's village radius.
#include "detail.hpp"

#include <deadzone/geo/geodesic.hpp>
#include <deadzone/ingest/ingest.hpp>

#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>
#include <fmt/format.h>
#include <ogr_geometry.h>

#include <unordered_map>

namespace deadzone::ingest {

namespace {

enum VillageField { f_id, f_name, f_province, f_district, f_commune, f_population, f_households, f_lon, f_lat, f_wkt };

const std::vector<detail::FieldSpec>& village_specs() {
    static const std::vector<detail::FieldSpec> specs{
        {"village_id", {"id", "code", "village_code", "ma_thon"}, true},
        {"name", {"village_name", "village", "ten_thon", "ten"}, true},
        {"province", {"province_name", "tinh"}, false},
        {"district", {"district_name", "huyen"}, false},
        {"commune", {"commune_name", "ward", "xa"}, false},
        {"population", {"pop", "dan_so"}, false},
        {"households", {"hh", "so_ho"}, false},
        {"lon", {"lng", "long", "longitude", "x"}, false},
        {"lat", {"latitude", "y"}, false},
        {"wkt", {"geometry", "geom", "the_geom", "wkt_geom"}, false},
    };
    return specs;
}

std::string validity_reason(const geo::MultiPolygon& geometry) {
    std::string reason;
    boost::geometry::is_valid(geometry, reason);
    return reason;
}

} // namespace

std::vector<Village> read_villages(const std::filesystem::path& file, const Campaign& campaign,
                                   Diagnostics& diagnostics) {
    const auto& specs = village_specs();
    Diagnostics local;
    std::vector<Village> villages;
    std::unordered_map<std::string, std::string> seen_ids;
    std::optional<detail::CoordinateJudge> judge;
    const detail::PositionFields position_fields{f_lon, f_lat, f_wkt};
    bool layer_has_position = true;

    const auto on_layer = [&](const detail::LayerInfo& layer) {
        if (judge) {
            judge->finish(local);
        }
        judge.emplace(layer, campaign.area);
        const bool has_columns = layer.fields.column[f_lon] >= 0 && layer.fields.column[f_lat] >= 0;
        layer_has_position = layer.has_geometry || has_columns || layer.fields.column[f_wkt] >= 0;
        if (!layer_has_position) {
            local.error(Location{layer.file, std::nullopt, layer.layer, std::nullopt}, "geometry",
                        "missing_column", "no geometry: the source has no geometry, no WKT column and no lon/lat columns");
        }
    };

    const auto on_row = [&](const detail::LayerInfo& layer, detail::Row& row) {
        const std::size_t errors_before = local.error_count();
        bool rejected = false;
        Village village;
        village.source = row.source;
        const auto label = [&](int index) { return detail::field_label(layer, specs, index); };
        const auto require = [&](int index) -> const std::string& {
            return detail::required_value(layer, specs, row, index, local, rejected);
        };
        village.id = require(f_id);
        village.name = require(f_name);
        if (!village.id.empty()) {
            const auto [it, inserted] = seen_ids.emplace(village.id, row.source);
            if (!inserted) {
                local.error(row.where, label(f_id), "duplicate_id",
                            fmt::format("village_id '{}' is already used at {}", village.id, it->second));
            }
        }
        village.province = row.values[f_province];
        village.district = row.values[f_district];
        village.commune = row.values[f_commune];
        if (const auto& text = row.values[f_population]; !text.empty()) {
            const auto value = detail::parse_number(text);
            if (!value) {
                local.error(row.where, label(f_population), "bad_number", fmt::format("'{}' is not a number", text));
            } else if (*value < 0.0) {
                local.error(row.where, label(f_population), "out_of_range", fmt::format("population {} is negative", text));
            } else {
                village.population = *value;
            }
        }
        if (const auto& text = row.values[f_households]; !text.empty()) {
            const auto value = detail::parse_integer(text);
            if (!value) {
                local.error(row.where, label(f_households), "bad_number", fmt::format("'{}' is not a whole number", text));
            } else if (*value < 0) {
                local.error(row.where, label(f_households), "out_of_range", fmt::format("households {} is negative", text));
            } else {
                village.households = *value;
            }
        }

        auto located = detail::locate(layer, row, position_fields, *judge, local);
        rejected = rejected || (located.present && !located.ok);
        if (!located.present) {
            if (layer_has_position) {
                local.error(row.where, "geometry", "empty_geometry", "the village has no geometry (or an empty one)");
            } else {
                rejected = true; // the missing geometry column is reported once for the layer
            }
        } else if (located.ok) {
            if (located.point) {
                village.point = located.point;
                village.geometry.push_back(geo::disc(*located.point, campaign.coverage_rule.village_radius_m));
            } else {
                const auto type = wkbFlatten(located.geometry->getGeometryType());
                if (type != wkbPolygon && type != wkbMultiPolygon) {
                    local.error(row.where, "geometry", "bad_geometry_type",
                                fmt::format("a village must be a Polygon, MultiPolygon or Point, not a {}",
                                            OGRGeometryTypeToName(located.geometry->getGeometryType())));
                } else {
                    village.geometry = geo::to_multipolygon(*located.geometry);
                    // Repair only what Boost.Geometry rejects: MakeValid is costly on large inputs.
                    if (!village.geometry.empty() && !boost::geometry::is_valid(village.geometry)) {
                        const std::string reason = validity_reason(village.geometry);
                        geo::GeometryPtr repaired{located.geometry->MakeValid()};
                        village.geometry = repaired ? geo::to_multipolygon(*repaired) : geo::MultiPolygon{};
                        boost::geometry::correct(village.geometry);
                        if (village.geometry.empty()) {
                            local.error(row.where, "geometry", "empty_geometry",
                                        fmt::format("the polygon is invalid ({}) and nothing is left after repair", reason));
                        } else if (!boost::geometry::is_valid(village.geometry)) {
                            local.error(row.where, "geometry", "invalid_geometry",
                                        fmt::format("the polygon is invalid ({}) and could not be repaired", reason));
                        } else {
                            local.warning(row.where, "geometry", "geometry_repaired",
                                          fmt::format("the polygon was invalid ({}) and has been repaired", reason));
                        }
                    } else if (village.geometry.empty()) {
                        local.error(row.where, "geometry", "empty_geometry", "the polygon is empty");
                    }
                }
            }
        }
        village.extra = std::move(row.extra);
        if (local.error_count() == errors_before && !rejected) {
            villages.push_back(std::move(village));
        }
    };

    detail::read_table(file, specs, local, on_layer, on_row);
    if (judge) {
        judge->finish(local);
    }
    detail::flush_sorted(local, diagnostics);
    return villages;
}

} // namespace deadzone::ingest
