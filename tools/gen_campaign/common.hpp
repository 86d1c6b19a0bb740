// gen-campaign (common): the includes every part uses, randomness with a fixed output sequence,
// Vietnam's land outline and village shapes. The generator's parts live in namespace gen.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/date.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/geo/equal_area.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/geodesic.hpp>
#include <deadzone/geo/types.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/overlay/overlay.hpp>
#include <deadzone/pipeline/pipeline.hpp>

#include <CLI/CLI.hpp>
// Boost.Geometry 1.74's envelope and rescale-policy code trips GCC's -Wmaybe-uninitialized once
// inlined (false positives inside Boost), as in src/overlay/geometry.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace gen {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
namespace fs = std::filesystem;

using deadzone::Campaign;
using deadzone::Cell;
using deadzone::CellStatus;
using deadzone::Delay;
using deadzone::DelayReason;
using deadzone::Date;
using deadzone::Tech;
namespace geo = deadzone::geo;

// ---------------------------------------------------------------------------------------------
// Randomness. std::mt19937_64's output sequence is fixed by the standard; the std
// distributions are not, so the conversions to doubles and indices are our own.

class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_engine(seed) {}

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    /// Uniform in [0, n).
    std::size_t index(std::size_t n) {
        return std::min(n - 1, static_cast<std::size_t>(uniform() * static_cast<double>(n)));
    }
    int integer(int low, int high) { // inclusive
        return low + static_cast<int>(index(static_cast<std::size_t>(high - low + 1)));
    }
    bool chance(double p) { return uniform() < p; }
    template <class T> const T& pick(const std::vector<T>& values) { return values[index(values.size())]; }
    template <class T> void shuffle(std::vector<T>& values) {
        for (std::size_t i = values.size(); i > 1; --i) {
            std::swap(values[i - 1], values[index(i)]);
        }
    }
    /// An independent stream, so that changing one part of the generator leaves the others alone.
    Rng fork(std::uint64_t salt) { return Rng{m_engine() ^ (salt * 0x9E3779B97F4A7C15ULL)}; }

private:
    std::mt19937_64 m_engine;
};

inline double round7(double value) { return std::round(value * 1e7) / 1e7; }

inline geo::Point rounded(const geo::Point& p) { return geo::Point{round7(p.x()), round7(p.y())}; }

inline Date ymd(int year, unsigned month, unsigned day) { return *Date::from_ymd(year, month, day); }

inline Date random_date(Rng& rng, Date first, Date last) {
    return first + static_cast<std::int32_t>(rng.index(static_cast<std::size_t>(last - first + 1)));
}

// ---------------------------------------------------------------------------------------------
// Land: Vietnam's outline, with a point-in-polygon test that only looks at the edges of one
// latitude band (the national scenario tests millions of points).

class Land {
public:
    explicit Land(geo::MultiPolygon outline) : m_outline(std::move(outline)) {
        m_box = bg::return_envelope<geo::Box>(m_outline);
        const double height = m_box.max_corner().y() - m_box.min_corner().y();
        m_bands.resize(static_cast<std::size_t>(std::ceil(height / k_band_deg)) + 1);
        auto add_ring = [this](const geo::Ring& ring) {
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                const Edge edge{ring[i], ring[i + 1]};
                const double low = std::min(edge.a.y(), edge.b.y());
                const double high = std::max(edge.a.y(), edge.b.y());
                for (std::size_t band = band_of(low); band <= band_of(high); ++band) {
                    m_bands[band].push_back(edge);
                }
            }
        };
        for (const auto& polygon : m_outline) {
            add_ring(polygon.outer());
            for (const auto& inner : polygon.inners()) {
                add_ring(inner);
            }
        }
    }

    const geo::MultiPolygon& outline() const noexcept { return m_outline; }
    const geo::Box& box() const noexcept { return m_box; }

    bool contains(const geo::Point& p) const {
        if (!bg::covered_by(p, m_box)) {
            return false;
        }
        bool inside = false;
        for (const auto& edge : m_bands[band_of(p.y())]) {
            // Half-open rule on y so a vertex is counted once.
            if ((edge.a.y() > p.y()) != (edge.b.y() > p.y())) {
                const double x = edge.a.x() + (p.y() - edge.a.y()) * (edge.b.x() - edge.a.x()) /
                                                  (edge.b.y() - edge.a.y());
                if (x > p.x()) {
                    inside = !inside;
                }
            }
        }
        return inside;
    }

    bool contains_all(const geo::Ring& ring) const {
        return std::all_of(ring.begin(), ring.end(), [this](const geo::Point& p) { return contains(p); });
    }

    geo::Point random_point(Rng& rng) const {
        for (;;) {
            const geo::Point p{rng.uniform(m_box.min_corner().x(), m_box.max_corner().x()),
                               rng.uniform(m_box.min_corner().y(), m_box.max_corner().y())};
            if (contains(p)) {
                return p;
            }
        }
    }

private:
    static constexpr double k_band_deg = 0.02;
    struct Edge {
        geo::Point a;
        geo::Point b;
    };
    std::size_t band_of(double lat) const {
        const double offset = std::clamp(lat - m_box.min_corner().y(), 0.0,
                                         static_cast<double>(m_bands.size() - 1) * k_band_deg);
        return std::min(m_bands.size() - 1, static_cast<std::size_t>(offset / k_band_deg));
    }

    geo::MultiPolygon m_outline;
    geo::Box m_box;
    std::vector<std::vector<Edge>> m_bands;
};

inline geo::MultiPolygon read_outline(const fs::path& file) {
    auto dataset = geo::open_vector(file.string());
    geo::MultiPolygon outline;
    for (auto* layer : dataset->GetLayers()) {
        for (const auto& feature : *layer) {
            if (const auto* geometry = feature->GetGeometryRef()) {
                auto parts = geo::to_multipolygon(*geometry);
                outline.insert(outline.end(), parts.begin(), parts.end());
            }
        }
    }
    if (outline.empty()) {
        throw deadzone::Failure(file.string() + ": no polygon in the outline file");
    }
    return outline;
}

/// The northern part of a land outline whose equal-area surface is `share` of the whole.
struct LandPart {
    geo::MultiPolygon outline;
    double south_lat = 0; // the cut: the part is the land north of this latitude
    double area_km2 = 0;
    double whole_km2 = 0;
};

/// Clips the outline to the band north of a latitude found by bisection, so that villages and
/// sites drawn on the part keep the density they would have on the whole country at
/// (count / share): `national --land-share` uses it to grow benchmarks at constant density.
/// Growing a band from the north keeps the part in one piece (the northern highlands, then
/// the north-central coast), unlike a box anywhere along the country's S-shape.
inline LandPart northern_share(const geo::MultiPolygon& outline, double share) {
    const auto box = bg::return_envelope<geo::Box>(outline);
    const double whole_m2 = geo::equal_area_m2(outline);
    auto north_of = [&](double lat) {
        geo::Polygon band;
        bg::convert(geo::Box{{box.min_corner().x() - 1, lat}, {box.max_corner().x() + 1, box.max_corner().y() + 1}}, band);
        geo::MultiPolygon part;
        bg::intersection(outline, band, part);
        return part;
    };
    // The land area north of a latitude decreases with it: bisect down to ~1 cm of latitude.
    double low = box.min_corner().y();
    double high = box.max_corner().y();
    while (high - low > 1e-7) {
        const double middle = 0.5 * (low + high);
        if (geo::equal_area_m2(north_of(middle)) >= share * whole_m2) {
            low = middle;
        } else {
            high = middle;
        }
    }
    LandPart part;
    part.south_lat = round7(low);
    // Long straight edges along the cut: densified, so that geodesic-edge measures of the part
    // (the density summary) agree with the lon/lat-straight edges the point test uses.
    bg::densify(north_of(part.south_lat), part.outline, 0.01);
    part.area_km2 = geo::equal_area_m2(part.outline) / 1e6;
    part.whole_km2 = whole_m2 / 1e6;
    return part;
}

// ---------------------------------------------------------------------------------------------
// Village shapes: a star-shaped ring around a centre (radius = 1 + a few random harmonics),
// stretched and turned, scaled to the wanted geodesic area, vertices rounded to 7 decimals.

/// A unit-ish irregular ring (east, north offsets) with a few random harmonics, stretched and
/// turned: the shape of every generated village, before it is placed and scaled.
inline std::vector<std::pair<double, double>> unit_village_shape(Rng& rng, int vertices) {
    std::array<double, 3> amplitude{rng.uniform(0.0, 0.22), rng.uniform(0.0, 0.14), rng.uniform(0.0, 0.08)};
    std::array<double, 3> phase{rng.uniform(0.0, 2 * std::numbers::pi), rng.uniform(0.0, 2 * std::numbers::pi),
                                rng.uniform(0.0, 2 * std::numbers::pi)};
    const double stretch = rng.uniform(1.0, 1.7);
    const double turn = rng.uniform(0.0, std::numbers::pi);
    std::vector<std::pair<double, double>> local;
    local.reserve(static_cast<std::size_t>(vertices));
    for (int i = 0; i < vertices; ++i) {
        const double t = 2 * std::numbers::pi * (static_cast<double>(i) + rng.uniform(-0.3, 0.3)) / vertices;
        double r = 1.0 + rng.uniform(-0.08, 0.08);
        for (std::size_t k = 0; k < amplitude.size(); ++k) {
            r += amplitude[k] * std::cos(static_cast<double>(k + 1) * t + phase[k]);
        }
        const double x = r * std::cos(t) * stretch;
        const double y = r * std::sin(t) / stretch;
        local.emplace_back(x * std::cos(turn) - y * std::sin(turn), x * std::sin(turn) + y * std::cos(turn));
    }
    return local;
}

inline geo::Polygon village_shape(Rng& rng, const geo::Point& center, double area_km2, int vertices) {
    const auto local = unit_village_shape(rng, vertices); // east, north
    auto build = [&](double scale_m) {
        geo::Polygon polygon;
        for (const auto& [east, north] : local) {
            const double azimuth = std::atan2(east, north) * 180.0 / std::numbers::pi;
            polygon.outer().push_back(rounded(geo::destination(center, azimuth, std::hypot(east, north) * scale_m)));
        }
        polygon.outer().push_back(polygon.outer().front());
        return polygon;
    };
    double scale_m = std::sqrt(area_km2 * 1e6 / std::numbers::pi);
    auto polygon = build(scale_m);
    scale_m *= std::sqrt(area_km2 * 1e6 / geo::area_m2(polygon));
    return build(scale_m);
}

/// The same kind of shape from local east/north offsets (metres per degree at the centre's
/// latitude) instead of one geodesic per vertex: the national scenario makes 100 000 of them,
/// and over a couple of kilometres the difference is far below the 7th decimal's scale.
inline geo::Polygon village_shape_fast(Rng& rng, const geo::Point& center, double area_km2, int vertices) {
    const double lat = center.y() * std::numbers::pi / 180.0;
    // WGS84 metres per degree of latitude and longitude at this latitude.
    const double m_per_deg_lat = 111132.92 - 559.82 * std::cos(2 * lat) + 1.175 * std::cos(4 * lat);
    const double m_per_deg_lon = 111412.84 * std::cos(lat) - 93.5 * std::cos(3 * lat);
    const auto local = unit_village_shape(rng, vertices);
    // Planar area of the unit shape (shoelace), then one scale to the wanted area.
    double twice_area = 0;
    for (std::size_t i = 0; i < local.size(); ++i) {
        const auto& [x0, y0] = local[i];
        const auto& [x1, y1] = local[(i + 1) % local.size()];
        twice_area += x0 * y1 - x1 * y0;
    }
    const double scale_m = std::sqrt(area_km2 * 1e6 / (0.5 * twice_area));
    geo::Polygon polygon;
    for (const auto& [east, north] : local) {
        polygon.outer().push_back(rounded(geo::Point{center.x() + east * scale_m / m_per_deg_lon,
                                                     center.y() + north * scale_m / m_per_deg_lat}));
    }
    polygon.outer().push_back(polygon.outer().front());
    return polygon;
}

inline bool good_polygon(const geo::Polygon& polygon) {
    // Positive planar area in lon/lat = counter-clockwise.
    return bg::area(polygon) > 0 && bg::is_valid(polygon);
}


} // namespace gen
