// Positions: bringing geometries to WGS84 and judging coordinates against the lon/lat ranges and
// the campaign area (with one missing-CRS or all-far-away verdict per source instead of a flood).
#include "detail.hpp"

#include <deadzone/geo/geodesic.hpp>

#include <ogr_geometry.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace deadzone::ingest::detail {

// --- coordinates ------------------------------------------------------------------------------

double distance_to_box_m(const geo::Point& point, const geo::Box& box) {
    const double lon = std::clamp(point.x(), box.min_corner().x(), box.max_corner().x());
    const double lat = std::clamp(point.y(), box.min_corner().y(), box.max_corner().y());
    if (lon == point.x() && lat == point.y()) {
        return 0.0;
    }
    return geo::distance_m(point, geo::Point{lon, lat});
}

namespace {
bool in_range(const geo::Point& p) {
    return std::fabs(p.x()) <= 180.0 && std::fabs(p.y()) <= 90.0;
}

bool fits(const geo::Point& p, const std::optional<geo::Box>& area) {
    return in_range(p) && (!area || distance_to_box_m(p, *area) <= area_margin_m);
}

std::string number_text(double value) {
    return fmt::format("{:.7g}", value);
}
} // namespace

CoordinateJudge::CoordinateJudge(const LayerInfo& layer, std::optional<geo::Box> area, std::string area_name)
    : m_file(layer.file), m_layer(layer.layer), m_area(std::move(area)), m_area_name(std::move(area_name)),
      m_doubtful(!layer.has_crs) {}

void CoordinateJudge::report(Problem problem, Diagnostics& row_problems) {
    if (m_doubtful) {
        m_held.push_back(std::move(problem));
    } else {
        row_problems.add(std::move(problem));
    }
}

bool CoordinateJudge::check_point(const geo::Point& point, const Location& where,
                                  const std::string& lon_field, const std::string& lat_field,
                                  Diagnostics& row_problems) {
    ++m_seen;
    if (fits(point, m_area)) {
        ++m_fitting;
        return true;
    }
    const geo::Point swapped{point.y(), point.x()};
    if (fits(swapped, m_area)) {
        // A swapped pair is still evidence that the file is in lon/lat degrees.
        ++m_fitting;
        row_problems.add(Problem{Severity::error, where, lon_field, "swapped_lonlat",
                                 fmt::format("{}={} and {}={} look swapped: read the other way round "
                                             "the point lies {}",
                                             lon_field, number_text(point.x()), lat_field,
                                             number_text(point.y()),
                                             m_area ? "inside " + m_area_name : std::string{"within range"})});
        return false;
    }
    bool reported = false;
    if (in_range(point)) {
        ++m_in_range;
    }
    if (std::fabs(point.y()) > 90.0) {
        report(Problem{Severity::error, where, lat_field, "lat_out_of_range",
                       fmt::format("latitude {} is outside [-90, 90]", number_text(point.y()))},
               row_problems);
        reported = true;
    }
    if (std::fabs(point.x()) > 180.0) {
        report(Problem{Severity::error, where, lon_field, "lon_out_of_range",
                       fmt::format("longitude {} is outside [-180, 180]", number_text(point.x()))},
               row_problems);
        reported = true;
    }
    if (!reported) {
        const double gap_m = distance_to_box_m(point, *m_area);
        note_gap(gap_m);
        report(Problem{Severity::error, where, lon_field + "/" + lat_field, "outside_area",
                       fmt::format("position ({}, {}) is {:.0f} km outside {}", number_text(point.x()),
                                   number_text(point.y()), gap_m / 1000.0, m_area_name)},
               row_problems);
    }
    return false;
}

bool CoordinateJudge::check_box(const geo::Box& box, const Location& where, const std::string& field,
                                Diagnostics& row_problems) {
    ++m_seen;
    const geo::Point low = box.min_corner();
    const geo::Point high = box.max_corner();
    if (!in_range(low) || !in_range(high)) {
        report(Problem{Severity::error, where, field, "coordinates_out_of_range",
                       fmt::format("coordinates reach ({}, {}) .. ({}, {}), outside lon [-180, 180] / "
                                   "lat [-90, 90]",
                                   number_text(low.x()), number_text(low.y()), number_text(high.x()),
                                   number_text(high.y()))},
               row_problems);
        return false;
    }
    if (m_area) {
        const geo::Point center{(low.x() + high.x()) / 2.0, (low.y() + high.y()) / 2.0};
        const bool apart = high.x() < m_area->min_corner().x() || low.x() > m_area->max_corner().x() ||
                           high.y() < m_area->min_corner().y() || low.y() > m_area->max_corner().y();
        const double gap_m = apart ? distance_to_box_m(center, *m_area) : 0.0;
        if (gap_m > area_margin_m) {
            ++m_in_range;
            note_gap(gap_m);
            report(Problem{Severity::error, where, field, "outside_area",
                           fmt::format("geometry around ({}, {}) is {:.0f} km outside {}", number_text(center.x()),
                                       number_text(center.y()), gap_m / 1000.0, m_area_name)},
                   row_problems);
            return false;
        }
    }
    ++m_fitting;
    return true;
}

void CoordinateJudge::note_gap(double gap_m) {
    m_nearest_m = m_nearest_m < 0.0 ? gap_m : std::min(m_nearest_m, gap_m);
    m_farthest_m = std::max(m_farthest_m, gap_m);
}

void CoordinateJudge::finish(Diagnostics& diagnostics) {
    if (m_doubtful && m_seen > 0 && m_fitting == 0 && m_in_range == m_seen) {
        // Every position is valid lon/lat, just far away: a .prj would not help. The file is
        // another region's (or the area is wrong, or lon/lat are swapped for every row).
        diagnostics.error(Location{m_file, std::nullopt, m_layer, std::nullopt}, "", "all_outside_area",
                          fmt::format("none of its {} positions lies in {}: they are {:.0f} to {:.0f} km away; is "
                                      "this the right file (or the right area_bbox)?",
                                      m_seen, m_area_name, m_nearest_m / 1000.0, m_farthest_m / 1000.0));
    } else if (m_doubtful && m_seen > 0 && m_fitting == 0) {
        diagnostics.error(Location{m_file, std::nullopt, m_layer, std::nullopt}, "",
                          "crs_missing",
                          fmt::format("the source declares no CRS and none of its {} positions are "
                                      "WGS84 lon/lat{}; give the file a CRS (e.g. a .prj) or convert "
                                      "it to lon/lat",
                                      m_seen, m_area ? " in " + m_area_name : std::string{}));
    } else {
        for (auto& problem : m_held) {
            diagnostics.add(std::move(problem));
        }
    }
    m_held.clear();
    m_seen = 0;
    m_fitting = 0;
    m_in_range = 0;
    m_nearest_m = -1.0;
    m_farthest_m = 0.0;
}

bool to_wgs84(const LayerInfo& layer, OGRGeometry& geometry, const Location& where,
              Diagnostics& diagnostics) {
    if (!layer.to_wgs84) {
        return true;
    }
    if (geometry.transform(layer.to_wgs84.get()) != OGRERR_NONE) {
        diagnostics.error(where, "geometry", "crs_transform_failed",
                          "the geometry cannot be transformed to WGS84 from the source's CRS");
        return false;
    }
    return true;
}

namespace {

const std::string& field_value(const Row& row, int index) {
    static const std::string empty;
    return index >= 0 ? row.values[static_cast<std::size_t>(index)] : empty;
}

/// The geometry of a WKT column, in WGS84, into `out` (present unless the WKT is empty); false
/// when there is nothing to judge (bad or empty WKT, or outside WGS84: problem reported).
bool geometry_from_wkt(const LayerInfo& layer, const Row& row, const std::string& wkt, Located& out,
                       Diagnostics& diagnostics) {
    out.present = true;
    OGRGeometry* parsed = nullptr;
    const char* cursor = wkt.c_str();
    if (OGRGeometryFactory::createFromWkt(&cursor, nullptr, &parsed) != OGRERR_NONE || parsed == nullptr) {
        diagnostics.error(row.where, "wkt", "bad_wkt", fmt::format("'{}' is not a WKT geometry", wkt.substr(0, 60)));
        return false;
    }
    out.geometry.reset(parsed);
    if (out.geometry->IsEmpty()) {
        out.present = false;
        out.geometry.reset();
        return false;
    }
    return to_wgs84(layer, *out.geometry, row.where, diagnostics);
}

/// A point from the lon/lat columns into `out`, their labels (as the file names them) into
/// `labels`; false when a value is missing or not a number (problem reported).
bool point_from_columns(const LayerInfo& layer, const Row& row, const PositionFields& fields,
                        std::array<std::string, 2>& labels, Located& out, Diagnostics& diagnostics) {
    out.present = true;
    // One of lon/lat may have no column at all (a layer with a WKT column passes the layer
    // check without them): fall back to the canonical name (found by fuzzing).
    const auto label = [&](int spec, const char* canonical) {
        const int column = spec >= 0 ? layer.fields.column[static_cast<std::size_t>(spec)] : -1;
        return column >= 0 ? trim(layer.column_names[static_cast<std::size_t>(column)]) : std::string{canonical};
    };
    labels = {label(fields.lon, "lon"), label(fields.lat, "lat")};
    bool good = true;
    std::optional<double> coordinate[2];
    const int indices[2] = {fields.lon, fields.lat};
    for (std::size_t k = 0; k < 2; ++k) {
        const std::string& text = field_value(row, indices[k]);
        if (text.empty()) {
            diagnostics.error(row.where, labels[k], "missing_value", fmt::format("'{}' is empty", labels[k]));
            good = false;
            continue;
        }
        coordinate[k] = parse_number(text);
        if (!coordinate[k]) {
            diagnostics.error(row.where, labels[k], "bad_number",
                              fmt::format("'{}' is not a number{}", text, number_advice(text)));
            good = false;
        }
    }
    if (good) {
        out.geometry = geo::GeometryPtr{new OGRPoint(*coordinate[0], *coordinate[1])};
    }
    return good;
}

} // namespace

Located locate(const LayerInfo& layer, Row& row, const PositionFields& fields, CoordinateJudge& judge,
               Diagnostics& diagnostics) {
    Located out;
    std::array<std::string, 2> labels{"geometry", "geometry"};
    if (row.geometry && !row.geometry->IsEmpty()) {
        out.present = true;
        if (!to_wgs84(layer, *row.geometry, row.where, diagnostics)) {
            return out;
        }
        out.geometry = std::move(row.geometry);
    } else if (const auto& wkt = field_value(row, fields.wkt); !wkt.empty()) {
        if (!geometry_from_wkt(layer, row, wkt, out, diagnostics)) {
            return out;
        }
    } else if (!field_value(row, fields.lon).empty() || !field_value(row, fields.lat).empty()) {
        if (!point_from_columns(layer, row, fields, labels, out, diagnostics)) {
            return out;
        }
    } else {
        return out;
    }
    const std::string& lon_label = labels[0];
    const std::string& lat_label = labels[1];

    const auto type = wkbFlatten(out.geometry->getGeometryType());
    if (type == wkbPoint) {
        const auto* point = out.geometry->toPoint();
        const geo::Point position{point->getX(), point->getY()};
        out.ok = judge.check_point(position, row.where, lon_label, lat_label, diagnostics);
        if (out.ok) {
            out.point = position;
        }
    } else {
        OGREnvelope envelope;
        out.geometry->getEnvelope(&envelope);
        out.ok = judge.check_box(geo::Box{{envelope.MinX, envelope.MinY}, {envelope.MaxX, envelope.MaxY}},
                                 row.where, "geometry", diagnostics);
    }
    return out;
}

} // namespace deadzone::ingest::detail
