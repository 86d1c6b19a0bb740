// Villages: ids, names, admin units, population; polygons repaired when invalid, points turned
// into geodesic discs of the campaign's village radius.
#include "detail.hpp"

#include <deadzone/geo/geodesic.hpp>
#include <deadzone/ingest/ingest.hpp>

#include <deadzone/geo/equal_area.hpp>

#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/algorithms/intersects.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>
#include <fmt/format.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <functional>
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


/// Why a shape cannot be measured as lon/lat polygons, or "": a ring that jumps across the
/// antimeridian would be read as spanning the whole globe the other way round (a 240 km²
/// village measured as 425 000 km²). Splitting it would change the village's shape in every
/// output, so it is refused with what to do instead.
std::string crosses_antimeridian(const geo::MultiPolygon& shape) {
    const auto jumps = [](const geo::Ring& ring) {
        for (std::size_t i = 0; i < ring.size(); ++i) {
            if (std::fabs(ring[i].x()) > 180.0 || (i > 0 && std::fabs(ring[i].x() - ring[i - 1].x()) > 180.0)) {
                return true;
            }
        }
        return false;
    };
    for (const auto& polygon : shape) {
        if (jumps(polygon.outer()) ||
            std::any_of(polygon.inners().begin(), polygon.inners().end(), jumps)) {
            return "the village crosses the antimeridian (longitude 180); deadzone measures villages in lon/lat "
                   "and cannot place one across it: split it at 180 into two villages";
        }
    }
    return {};
}

/// A hole is cut from its shell; one that is larger than the shell or reaches outside its
/// envelope would be "repaired" into land outside the village. Returns the message, or "".
std::string hole_outside_shell(const geo::MultiPolygon& shape) {
    for (std::size_t p = 0; p < shape.size(); ++p) {
        const auto& polygon = shape[p];
        const double shell_m2 = geo::equal_area_m2(polygon.outer());
        const auto shell_box = boost::geometry::return_envelope<geo::Box>(polygon.outer());
        for (std::size_t h = 0; h < polygon.inners().size(); ++h) {
            const auto& hole = polygon.inners()[h];
            const double hole_m2 = geo::equal_area_m2(hole);
            const auto hole_box = boost::geometry::return_envelope<geo::Box>(hole);
            if (hole_m2 >= shell_m2 || !boost::geometry::covered_by(hole_box, shell_box)) {
                return fmt::format("hole {} of polygon {} ({:.3g} km²) is {} its outer ring ({:.3g} km²): a hole must "
                                   "lie inside the village; are the rings in the wrong order?",
                                   h + 1, p + 1, hole_m2 / 1e6, hole_m2 >= shell_m2 ? "larger than" : "outside",
                                   shell_m2 / 1e6);
            }
        }
    }
    return {};
}

/// Boost.Geometry checks orientation before crossings, so a bow-tie is "wrong orientation"; a
/// user fixes a crossing, not an orientation.
std::string validity_reason_for_people(const geo::MultiPolygon& geometry) {
    const std::string reason = validity_reason(geometry);
    for (const auto& polygon : geometry) {
        if (boost::geometry::intersects(polygon.outer()) ||
            std::any_of(polygon.inners().begin(), polygon.inners().end(),
                        [](const geo::Ring& ring) { return boost::geometry::intersects(ring); })) {
            return "self-intersection: a ring crosses itself";
        }
    }
    return reason;
}

/// The village's shape in WGS84: a disc around a point, or the polygon (repaired when Boost says
/// it is invalid). Problems go to `local`; an empty result means the village is refused.
geo::MultiPolygon village_geometry(const OGRGeometry& geometry, const std::optional<geo::Point>& point,
                                   const Campaign& campaign, const Location& where, Diagnostics& local) {
    geo::MultiPolygon shape;
    const double radius_m = campaign.coverage_rule.village_radius_m;
    if (point) {
        // A disc around a pole is not a lon/lat polygon at all (its ring circles the pole).
        const double pole_m = std::min(geo::distance_m(*point, geo::Point{point->x(), 90.0}),
                                       geo::distance_m(*point, geo::Point{point->x(), -90.0}));
        if (pole_m <= radius_m * 1.01) {
            local.error(where, "geometry", "around_pole",
                        fmt::format("the village's disc of {:g} m around ({}, {}) contains a pole, where lon/lat "
                                    "areas cannot be measured; give the village as a polygon away from the pole",
                                    radius_m, point->x(), point->y()));
            return {};
        }
        shape.push_back(geo::disc(*point, radius_m));
    } else {
        const auto type = wkbFlatten(geometry.getGeometryType());
        if (type != wkbPolygon && type != wkbMultiPolygon) {
            local.error(where, "geometry", "bad_geometry_type",
                        fmt::format("a village must be a Polygon, MultiPolygon or Point, not a {}",
                                    OGRGeometryTypeToName(geometry.getGeometryType())));
            return {};
        }
        shape = geo::to_multipolygon(geometry);
        if (shape.empty()) {
            local.error(where, "geometry", "empty_geometry", "the polygon is empty");
            return {};
        }
    }
    if (const auto message = crosses_antimeridian(shape); !message.empty()) {
        local.error(where, "geometry", "crosses_antimeridian", message);
        return {};
    }
    if (point) {
        return shape;
    }
    if (const auto message = hole_outside_shell(shape); !message.empty()) {
        local.error(where, "geometry", "hole_outside_shell", message);
        return {};
    }
    // Repair only what Boost.Geometry rejects: MakeValid is costly on large inputs.
    if (boost::geometry::is_valid(shape)) {
        return shape;
    }
    const std::string reason = validity_reason_for_people(shape);
    geo::GeometryPtr repaired{geometry.MakeValid()};
    shape = repaired ? geo::to_multipolygon(*repaired) : geo::MultiPolygon{};
    boost::geometry::correct(shape);
    if (shape.empty()) {
        local.error(where, "geometry", "empty_geometry",
                    fmt::format("the polygon is invalid ({}) and nothing is left after repair", reason));
    } else if (!boost::geometry::is_valid(shape)) {
        local.error(where, "geometry", "invalid_geometry",
                    fmt::format("the polygon is invalid ({}) and could not be repaired", reason));
        return {};
    } else {
        local.warning(where, "geometry", "geometry_repaired",
                      fmt::format("the polygon was invalid ({}) and has been repaired", reason));
    }
    return shape;
}

/// Population and households, when given: numbers at least 0.
void read_counts(const detail::Row& row, const std::function<std::string(int)>& label, Diagnostics& local,
                 Village& village) {
    if (const auto& text = row.values[f_population]; !text.empty()) {
        const auto value = detail::parse_number(text);
        if (!value) {
            local.error(row.where, label(f_population), "bad_number",
                        fmt::format("'{}' is not a number{}", text, detail::number_advice(text)));
        } else if (*value < 0.0) {
            local.error(row.where, label(f_population), "out_of_range", fmt::format("population {} is negative", text));
        } else {
            village.population = *value;
        }
    }
    if (const auto& text = row.values[f_households]; !text.empty()) {
        const auto value = detail::parse_integer(text);
        if (!value) {
            local.error(row.where, label(f_households), "bad_number",
                        fmt::format("'{}' is not a whole number{}", text, detail::number_advice(text)));
        } else if (*value < 0) {
            local.error(row.where, label(f_households), "out_of_range", fmt::format("households {} is negative", text));
        } else {
            village.households = *value;
        }
    }
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
            const auto [it, inserted] = seen_ids.emplace(village.id, source_text(row.source));
            if (!inserted) {
                local.error(row.where, label(f_id), "duplicate_id",
                            fmt::format("village_id '{}' is already used at {}", village.id, it->second));
            }
        }
        village.province = row.values[f_province];
        village.district = row.values[f_district];
        village.commune = row.values[f_commune];
        read_counts(row, label, local, village);

        auto located = detail::locate(layer, row, position_fields, *judge, local);
        rejected = rejected || (located.present && !located.ok);
        if (!located.present) {
            if (layer_has_position) {
                local.error(row.where, "geometry", "empty_geometry", "the village has no geometry (or an empty one)");
            } else {
                rejected = true; // the missing geometry column is reported once for the layer
            }
        } else if (located.ok) {
            village.point = located.point;
            village.geometry = village_geometry(*located.geometry, located.point, campaign, row.where, local);
        }
        village.extra = std::move(row.extra);
        if (local.error_count() == errors_before && !rejected) {
            villages.push_back(std::move(village));
        }
    };

    detail::read_table(file, specs, local, on_layer, on_row, detail::input_rules(campaign));
    if (judge) {
        judge->finish(local);
    }
    detail::flush_sorted(local, diagnostics);
    return villages;
}

} // namespace deadzone::ingest
