// Hand-built villages, cells and footprints for the overlay tests: dense lon/lat rectangles,
// geodesic discs and sectors, so that expected fractions can be worked out by hand.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/geo/geodesic.hpp>
#include <deadzone/model/footprint.hpp>

// Boost.Geometry 1.74's envelope code trips GCC's -Wmaybe-uninitialized once inlined (a false
// positive inside Boost).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry.hpp>

#include <string>
#include <vector>

namespace deadzone::overlay::testing {

/// A lon/lat rectangle with `per_edge` vertices along each side, counter-clockwise.
inline geo::Polygon rectangle(double lon0, double lat0, double lon1, double lat1, int per_edge = 40) {
    geo::Polygon polygon;
    auto& ring = polygon.outer();
    auto edge = [&](double xa, double ya, double xb, double yb) {
        for (int i = 0; i < per_edge; ++i) {
            const double t = static_cast<double>(i) / per_edge;
            ring.emplace_back(xa + t * (xb - xa), ya + t * (yb - ya));
        }
    };
    edge(lon0, lat0, lon1, lat0);
    edge(lon1, lat0, lon1, lat1);
    edge(lon1, lat1, lon0, lat1);
    edge(lon0, lat1, lon0, lat0);
    ring.push_back(ring.front());
    return polygon;
}

/// A sector: apex at `centre`, arc from azimuth - width/2 to azimuth + width/2, radius_m.
inline geo::Polygon sector(const geo::Point& centre, double azimuth_deg, double width_deg, double radius_m,
                           int arc_vertices = 48) {
    geo::Polygon polygon;
    auto& ring = polygon.outer();
    // Radial edges get intermediate vertices too: every edge stays short, so straight lon/lat
    // edges and geodesic ones enclose the same area.
    constexpr int radial_steps = 24;
    const double first = azimuth_deg + width_deg / 2;
    const double last = azimuth_deg - width_deg / 2;
    ring.push_back(centre);
    for (int k = 1; k < radial_steps; ++k) {
        ring.push_back(geo::destination(centre, first, radius_m * k / radial_steps));
    }
    // Azimuths turn clockwise; walking them downwards keeps the ring counter-clockwise.
    for (int i = 0; i <= arc_vertices; ++i) {
        ring.push_back(geo::destination(centre, first - width_deg * i / arc_vertices, radius_m));
    }
    for (int k = radial_steps - 1; k >= 1; --k) {
        ring.push_back(geo::destination(centre, last, radius_m * k / radial_steps));
    }
    ring.push_back(centre);
    boost::geometry::correct(polygon);
    return polygon;
}

inline Village village(std::string id, const geo::Polygon& shape) {
    Village v;
    v.id = std::move(id);
    v.name = v.id;
    v.geometry = geo::MultiPolygon{shape};
    return v;
}

inline Cell cell(std::string op, std::string site, std::optional<Date> on_air,
                 std::optional<Date> off_air = std::nullopt, CellStatus status = CellStatus::on_air) {
    Cell c;
    c.operator_code = std::move(op);
    c.site_id = std::move(site);
    c.status = status;
    c.on_air_date = on_air;
    c.off_air_date = off_air;
    if (off_air && status == CellStatus::on_air) {
        c.status = CellStatus::off_air;
    }
    return c;
}

inline model::Footprint footprint(std::size_t cell_index, const geo::Polygon& polygon) {
    model::Footprint f;
    f.cell = cell_index;
    f.shape = geo::MultiPolygon{polygon};
    f.box = boost::geometry::return_envelope<geo::Box>(polygon);
    f.area_km2 = geo::area_m2(polygon) / 1e6;
    return f;
}

inline Campaign campaign(double min_fraction = 0.9) {
    Campaign c;
    c.name = "test";
    c.operators = {{"VTL", "Viettel", {"452-04"}, "#d7191c"},
                   {"VNP", "Vinaphone", {"452-02"}, "#2b83ba"},
                   {"MBF", "MobiFone", {"452-01"}, "#1a9641"}};
    c.coverage_rule.min_fraction = min_fraction;
    return c;
}

inline Date day(const char* iso) { return *Date::parse(iso); }

} // namespace deadzone::overlay::testing
