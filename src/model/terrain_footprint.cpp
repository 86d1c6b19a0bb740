// Terrain footprints: radial profiles over the DEM, path loss per sample by the chosen terrain
// model, lit intervals with their ends interpolated between samples, then polar_shape. The
// loss to sample i is the model's over the profile from the site to i, all of a radial's at once
// (TerrainPathLossModel::radial_losses shares the work, exactly); the line of sight is a running
// horizon (the steepest terrain angle seen so far), O(1) per sample.
#include <deadzone/model/terrain_footprint.hpp>

#include <deadzone/geo/geodesic.hpp>
#include <deadzone/geo/raster.hpp>
#include <deadzone/model/pathloss.hpp>
#include <deadzone/model/polar_shape.hpp>
#include <deadzone/model/terrain_model.hpp>
#include <deadzone/model/terrain_profile.hpp>

#include <boost/geometry/algorithms/expand.hpp>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <optional>

namespace deadzone::model {

namespace {

constexpr double earth_radius_m = 6371000.0;

Location dem_location(const std::string& path) { return Location{path, std::nullopt, {}, std::nullopt}; }

// The DEM's extent in WGS84 lon/lat (its edges densified, for projected DEMs).
geo::Box lonlat_extent(const geo::Raster& dem) {
    const auto& g = dem.geotransform();
    const double x0 = g[0];
    const double x1 = g[0] + dem.width() * g[1];
    const double y0 = g[3];
    const double y1 = g[3] + dem.height() * g[5];
    std::vector<double> xs;
    std::vector<double> ys;
    constexpr int steps = 16;
    for (int i = 0; i <= steps; ++i) {
        const double t = static_cast<double>(i) / steps;
        xs.insert(xs.end(), {x0 + t * (x1 - x0), x0 + t * (x1 - x0), x0, x1});
        ys.insert(ys.end(), {y0, y1, y0 + t * (y1 - y0), y0 + t * (y1 - y0)});
    }
    if (!dem.crs_wkt().empty()) {
        OGRSpatialReference source;
        source.importFromWkt(dem.crs_wkt().c_str());
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!source.IsSame(&geo::wgs84())) {
            std::unique_ptr<OGRCoordinateTransformation> ct{OGRCreateCoordinateTransformation(&source, &geo::wgs84())};
            if (!ct || !ct->Transform(static_cast<int>(xs.size()), xs.data(), ys.data())) {
                throw InputError(dem_location(dem.path()), "crs", "bad_crs",
                                 "cannot transform the DEM's CRS to WGS84 lon/lat");
            }
        }
    }
    geo::Box box{{*std::min_element(xs.begin(), xs.end()), *std::min_element(ys.begin(), ys.end())},
                 {*std::max_element(xs.begin(), xs.end()), *std::max_element(ys.begin(), ys.end())}};
    return box;
}

double resolution_m(const geo::Raster& dem, const geo::Box& extent) {
    const auto& g = dem.geotransform();
    if (!dem.crs_is_geographic()) return std::min(std::fabs(g[1]), std::fabs(g[5]));
    const double lat = (extent.min_corner().y() + extent.max_corner().y()) / 2.0;
    const double m_per_deg = earth_radius_m * std::numbers::pi / 180.0;
    return std::min(std::fabs(g[1]) * m_per_deg * std::cos(lat * std::numbers::pi / 180.0), std::fabs(g[5]) * m_per_deg);
}

// Everything the threads share (read-only once built).
struct Shared {
    std::string dem_path;
    geo::Box extent;
    ModelSettings settings;
    TerrainModelSettings terrain;
    double step_m = 0.0;
    int radials = 360;
};

// The lon/lat box holding every point within `radius_m` of `site` (plus a margin).
geo::Box reach_box(const geo::Point& site, double radius_m) {
    const double r = radius_m * 1.02 + 10.0;
    const double north = geo::destination(site, 0.0, r).y();
    const double south = geo::destination(site, 180.0, r).y();
    // The widest longitude span is at the latitude nearer the pole.
    const geo::Point edge{site.x(), std::fabs(north) > std::fabs(south) ? north : south};
    const double east = std::max(geo::destination(site, 90.0, r).x(), geo::destination(edge, 90.0, r).x());
    const double west = std::min(geo::destination(site, 270.0, r).x(), geo::destination(edge, 270.0, r).x());
    return geo::Box{{west, south}, {east, north}};
}

// Fails loudly when the cell's reach leaves the DEM, naming the lon/lat box that is missing
// (the strips of the needed box beyond the DEM's extent, as one box).
void require_inside(const Cell& cell, const geo::Box& need, const geo::Box& have, const std::string& dem_path) {
    const double nx0 = need.min_corner().x(), ny0 = need.min_corner().y();
    const double nx1 = need.max_corner().x(), ny1 = need.max_corner().y();
    const double hx0 = have.min_corner().x(), hy0 = have.min_corner().y();
    const double hx1 = have.max_corner().x(), hy1 = have.max_corner().y();
    double mx0 = HUGE_VAL, my0 = HUGE_VAL, mx1 = -HUGE_VAL, my1 = -HUGE_VAL;
    const auto strip = [&](double x0, double y0, double x1, double y1) {
        if (x1 <= x0 || y1 <= y0) return;
        mx0 = std::min(mx0, x0);
        my0 = std::min(my0, y0);
        mx1 = std::max(mx1, x1);
        my1 = std::max(my1, y1);
    };
    strip(nx0, ny0, std::min(hx0, nx1), ny1); // west of the DEM
    strip(std::max(hx1, nx0), ny0, nx1, ny1); // east
    strip(nx0, ny0, nx1, std::min(hy0, ny1)); // south
    strip(nx0, std::max(hy1, ny0), nx1, ny1); // north
    if (mx0 > mx1) return;
    throw InputError(cell.source, "terrain.dem", "outside_dem",
                     fmt::format("cell {}: its reach needs elevations at lon {:.4f}..{:.4f}, lat {:.4f}..{:.4f}, "
                                 "outside {} (which covers lon {:.4f}..{:.4f}, lat {:.4f}..{:.4f}); no elevation is "
                                 "assumed there: extend the DEM",
                                 cell.key(), mx0, mx1, my0, my1, dem_path, hx0, hx1, hy0, hy1));
}

struct Radial {
    std::vector<LitInterval> lit;
    std::vector<LitInterval> los;
};

// Shadows and lit stretches narrower than `min_m` are below what the sampling resolves (the
// interpolated ends of one sample): gaps that short are closed, stretches that short dropped.
void merge_short(std::vector<LitInterval>& runs, double min_m) {
    std::vector<LitInterval> out;
    for (const auto& run : runs) {
        if (!out.empty() && run.first - out.back().second < min_m) {
            out.back().second = run.second;
        } else {
            out.push_back(run);
        }
    }
    std::erase_if(out, [&](const LitInterval& r) { return r.first > 0.0 && r.second - r.first < min_m; });
    runs = std::move(out);
}

// Where a margin crosses zero between two samples (linear in between).
double crossing(double d0, double m0, double d1, double m1) {
    if (!std::isfinite(m0)) return 0.5 * (d0 + d1);
    return d0 + (d1 - d0) * m0 / (m0 - m1);
}

class TerrainFootprintModel final : public FootprintModel {
public:
    explicit TerrainFootprintModel(std::shared_ptr<const Shared> shared)
        : m_shared(std::move(shared)), m_dem(m_shared->dem_path),
          m_loss(make_terrain_model(m_shared->settings.terrain_model, m_shared->terrain)) {}

    geo::MultiPolygon footprint(const Cell& cell, const RadioParams& radio) override {
        m_line_of_sight.reset();
        m_star_only = false;
        if (radio.range_m) {
            // A fixed radius overrides every propagation model (DESIGN.md), terrain included.
            return geo::MultiPolygon{geo::disc(cell.position, *radio.range_m, 128)};
        }
        const int n = m_shared->radials;
        std::vector<double> length_m(static_cast<std::size_t>(n));
        double longest_m = 0.0;
        for (int k = 0; k < n; ++k) {
            length_m[k] = bound_m(radio, 360.0 * k / n);
            longest_m = std::max(longest_m, length_m[k]);
        }
        const geo::Box need = reach_box(cell.position, longest_m + m_shared->step_m);
        require_inside(cell, need, m_shared->extent, m_shared->dem_path);
        const DemSampler dem(m_dem, need.min_corner().x(), need.min_corner().y(), need.max_corner().x(),
                             need.max_corner().y());
        std::vector<std::vector<LitInterval>> lit(static_cast<std::size_t>(n));
        std::vector<std::vector<LitInterval>> los(static_cast<std::size_t>(n));
        for (int k = 0; k < n; ++k) {
            auto radial = trace(dem, cell, radio, 360.0 * k / n, length_m[k]);
            lit[k] = std::move(radial.lit);
            los[k] = std::move(radial.los);
        }
        m_line_of_sight = polar_shape(cell.position, los);
        return polar_shape(cell.position, lit, &m_star_only);
    }

    // The loss to one point, as a radial to it would give: the profile along the geodesic from
    // the site to the point, one sample every profile step (at least two intervals: ITM's
    // minimum), read from a DEM window holding both ends. Under 20 m the point is held at 20 m
    // along the same azimuth, as the link budget holds it (overlay::predicted_level_dbm).
    std::optional<double> loss_db_at(const Cell& cell, const RadioParams& radio, const geo::Point& point) override {
        if (radio.range_m) {
            return std::nullopt;
        }
        const double distance_m = geo::distance_m(cell.position, point);
        if (distance_m > m_shared->settings.max_range_m) {
            return std::nullopt;
        }
        const double azimuth = distance_m > 0.0 ? geo::azimuth_deg(cell.position, point) : 0.0;
        const double length_m = std::max(distance_m, 20.0);
        const double step = std::min(m_shared->step_m, length_m / 2.0);
        const geo::Point end = geo::destination(cell.position, azimuth, length_m);
        // Both ends plus a margin of two steps: the bilinear samples near them read their neighbours.
        geo::Box need = reach_box(cell.position, 2.0 * m_shared->step_m);
        boost::geometry::expand(need, reach_box(end, 2.0 * m_shared->step_m));
        require_inside(cell, need, m_shared->extent, m_shared->dem_path);
        const DemSampler dem(m_dem, need.min_corner().x(), need.min_corner().y(), need.max_corner().x(),
                             need.max_corner().y());
        const ItmProfile profile = radial_profile(dem, cell.position.x(), cell.position.y(), azimuth, length_m, step);
        const TerrainLinkQuery query{radio.freq_mhz, radio.height_m, m_shared->settings.rx_height_m};
        return m_loss->loss(profile, query).loss_db;
    }

    std::optional<geo::MultiPolygon> last_line_of_sight() override { return m_line_of_sight; }
    bool last_star_only() override { return m_star_only; }

private:
    // How far along azimuth `azimuth_deg` a sample can be lit at all: for Hata + diffraction the
    // terrain-blind Hata reach (diffraction only adds loss); ITM can beat Hata, so max_range_m.
    double bound_m(const RadioParams& radio, double azimuth_deg) const {
        const double off = radio.azimuth_deg ? azimuth_deg - *radio.azimuth_deg : 0.0;
        if (m_shared->settings.terrain_model == "hata+diffraction") {
            return reach_m(radio, m_shared->settings, off);
        }
        return m_shared->settings.max_range_m;
    }

    double pattern_db(const RadioParams& radio, double azimuth_deg) const {
        if (!radio.azimuth_deg) return 0.0;
        return antenna_pattern_db(azimuth_deg - *radio.azimuth_deg, radio.beamwidth_deg,
                                  std::max(m_shared->settings.max_attenuation_db, 0.0));
    }

    Radial trace(const DemSampler& dem, const Cell& cell, const RadioParams& radio, double azimuth_deg,
                 double length_m) {
        Radial out;
        const double step = m_shared->step_m;
        if (length_m < step) {
            // Shorter than one sample: the model cannot say more than the terrain-blind bound.
            out.lit.emplace_back(0.0, length_m);
            out.los.emplace_back(0.0, length_m);
            return out;
        }
        const ItmProfile profile = radial_profile(dem, cell.position.x(), cell.position.y(), azimuth_deg, length_m, step);
        const int last = profile.intervals();
        const double spacing = profile.spacing_m;
        const double budget_db = radio.eirp_dbm + pattern_db(radio, azimuth_deg) - radio.threshold_dbm;
        const double rx_m = m_shared->settings.rx_height_m;
        const double tx_z = profile.elevations_m[0] + radio.height_m;
        const double curvature = 1.0 / (2.0 * m_shared->terrain.k_factor * earth_radius_m);
        const TerrainLinkQuery query{radio.freq_mhz, radio.height_m, rx_m};
        // The loss to every sample at once: the model shares the work along the radial.
        m_loss->radial_losses(profile, query, m_losses);
        double horizon = -std::numeric_limits<double>::infinity(); // steepest terrain slope so far
        double previous_margin = std::numeric_limits<double>::infinity();
        bool previous_lit = true;
        bool previous_visible = true;
        double lit_from = 0.0;
        double los_from = 0.0;
        for (int i = 1; i <= last; ++i) {
            const double d = i * spacing;
            const double z = profile.elevations_m[static_cast<std::size_t>(i)];
            const double drop = d * d * curvature;
            const bool visible = (z + rx_m - drop - tx_z) / d >= horizon;
            horizon = std::max(horizon, (z - drop - tx_z) / d);
            const double margin = budget_db - m_losses[static_cast<std::size_t>(i - 1)];
            ++m_points;
            const bool is_lit = margin >= 0.0;
            if (is_lit != previous_lit) {
                const double at = crossing(d - spacing, previous_margin, d, margin);
                if (is_lit) lit_from = at; else out.lit.emplace_back(lit_from, at);
            }
            if (visible != previous_visible) {
                const double at = d - spacing / 2.0;
                if (visible) los_from = at; else out.los.emplace_back(los_from, at);
            }
            previous_margin = margin;
            previous_lit = is_lit;
            previous_visible = visible;
        }
        if (previous_lit) out.lit.emplace_back(lit_from, length_m);
        if (previous_visible) out.los.emplace_back(los_from, length_m);
        merge_short(out.lit, step / 2.0);
        merge_short(out.los, step / 2.0);
        // The site itself is lit and visible: the first interval starts there.
        if (out.lit.empty() || out.lit.front().first != 0.0) out.lit.insert(out.lit.begin(), {0.0, 0.0});
        if (out.los.empty() || out.los.front().first != 0.0) out.los.insert(out.los.begin(), {0.0, 0.0});
        return out;
    }

    std::shared_ptr<const Shared> m_shared;
    geo::Raster m_dem; // this thread's own handle
    std::unique_ptr<TerrainPathLossModel> m_loss;
    std::optional<geo::MultiPolygon> m_line_of_sight;
    std::size_t m_points = 0;
    std::vector<double> m_losses; // this radial's loss to each sample (reused)
    bool m_star_only = false;
};

TerrainModelSettings terrain_settings(const ModelSettings& m) {
    TerrainModelSettings t = m.terrain;
    // Hata's half of hata+diffraction uses the campaign's environment and city size.
    t.environment = m.environment;
    t.city = m.city;
    return t;
}

} // namespace

DemReport check_dem(const Campaign& campaign) {
    if (!campaign.terrain_dem) throw Failure("check_dem: the campaign has no terrain.dem");
    const std::string path = campaign.terrain_dem->string();
    std::unique_ptr<geo::Raster> dem;
    try {
        dem = std::make_unique<geo::Raster>(path);
    } catch (const Failure& e) {
        throw InputError(dem_location(path), "terrain.dem", "unreadable", e.what());
    }
    geo::check_elevation_units(*dem);
    DemReport report;
    report.path = path;
    report.lonlat_extent = lonlat_extent(*dem);
    report.resolution_m = resolution_m(*dem, report.lonlat_extent);
    // Voids: counted band by band of rows, so a large DEM is never held whole.
    const int rows = std::max(1, (1 << 24) / std::max(1, dem->width()));
    const auto nodata = dem->nodata();
    for (int y = 0; y < dem->height(); y += rows) {
        const auto window = dem->read(0, y, dem->width(), std::min(rows, dem->height() - y));
        for (const float z : window.values) {
            report.void_cells += std::isnan(z) || (nodata && z == static_cast<float>(*nodata));
        }
    }
    return report;
}

std::vector<Problem> dem_warnings(const DemReport& report) {
    if (report.void_cells == 0) return {};
    return {Problem{Severity::warning, dem_location(report.path), "terrain.dem", "dem_voids",
                    fmt::format("{} cells of the DEM are voids (nodata); they are filled by interpolation from "
                                "the nearest valid cells",
                                report.void_cells)}};
}

double profile_step_m(const Campaign& campaign, const DemReport& report) {
    return campaign.model.sampling.profile_step_m.value_or(report.resolution_m);
}

FootprintModelFactory make_terrain_footprint_factory(const Campaign& campaign) {
    return make_terrain_footprint_factory(campaign, check_dem(campaign));
}

FootprintModelFactory make_terrain_footprint_factory(const Campaign& campaign, const DemReport& report) {
    auto shared = std::make_shared<Shared>();
    shared->dem_path = report.path;
    shared->extent = report.lonlat_extent;
    shared->settings = campaign.model;
    shared->terrain = terrain_settings(campaign.model);
    shared->step_m = profile_step_m(campaign, report);
    shared->radials = campaign.model.sampling.radials;
    // Fails here, once, for an unknown model name rather than in every thread.
    (void)make_terrain_model(shared->settings.terrain_model, shared->terrain);
    std::shared_ptr<const Shared> frozen = std::move(shared);
    return [frozen] { return std::make_unique<TerrainFootprintModel>(frozen); };
}

std::string terrain_model_description(const Campaign& campaign) {
    const auto& m = campaign.model;
    std::string model = m.terrain_model;
    if (m.terrain_model == "hata+diffraction") {
        model = fmt::format("hata+diffraction (Hata/COST-231 {} median + {} knife-edge, k = {:.3f})",
                            to_string(m.environment), to_string(m.terrain.diffraction), m.terrain.k_factor);
    } else if (m.terrain_model == "itm") {
        model = fmt::format("itm (Longley-Rice point-to-point, climate {}, N0 {:g}, time/location/situation "
                            "{:g}/{:g}/{:g} %)",
                            static_cast<int>(m.terrain.itm.climate), m.terrain.itm.n0,
                            m.terrain.itm.quantiles.time_pct, m.terrain.itm.quantiles.location_pct,
                            m.terrain.itm.quantiles.situation_pct);
    }
    const std::string step = m.sampling.profile_step_m ? fmt::format("{:g} m", *m.sampling.profile_step_m)
                                                       : std::string{"the DEM's resolution"};
    return fmt::format("{} over {}, {} radials, profile step {}", model,
                       campaign.terrain_dem ? campaign.terrain_dem->filename().string() : std::string{"?"},
                       m.sampling.radials, step);
}

} // namespace deadzone::model
