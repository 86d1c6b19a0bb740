#include <deadzone/model/footprint.hpp>

#include <deadzone/model/errors.hpp>
#include <deadzone/model/pathloss.hpp>
#include <deadzone/model/terrain_footprint.hpp>

#include <deadzone/core/error.hpp>
#include <deadzone/geo/equal_area.hpp>
#include <deadzone/geo/geodesic.hpp>
#include <deadzone/geo/parallel.hpp>

#include "loss_line.hpp"

#include <boost/geometry/algorithms/envelope.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace deadzone::model {

namespace {

constexpr int disc_vertices = 128;
// Angular step (degrees) on arcs of constant radius: the same spacing as a 128-vertex disc.
constexpr double arc_step_deg = 360.0 / disc_vertices;
// No footprint is smaller than this in any direction, so its polygon stays valid.
constexpr double min_radius_m = 1.0;

double wrap_180(double angle_deg) noexcept {
    double a = std::fmod(angle_deg, 360.0);
    if (a > 180.0) {
        a -= 360.0;
    } else if (a < -180.0) {
        a += 360.0;
    }
    return a;
}

double wrap_360(double angle_deg) noexcept {
    const double a = std::fmod(angle_deg, 360.0);
    return a < 0.0 ? a + 360.0 : a;
}

// `label` is how the message names the value when that is not the field's bare name.
void require_positive(double value, const char* field, const char* label = nullptr) {
    if (!std::isfinite(value) || value <= 0.0) {
        throw FieldError(field, fmt::format("{} must be a positive number (got {})", label ? label : field, value));
    }
}

void validate(const RadioParams& radio) {
    require_positive(radio.freq_mhz, "freq_mhz");
    require_positive(radio.height_m, "height_m");
    require_positive(radio.beamwidth_deg, "beamwidth_deg");
    if (!std::isfinite(radio.eirp_dbm)) {
        throw FieldError("eirp_dbm", "eirp_dbm must be a finite number");
    }
    if (!std::isfinite(radio.threshold_dbm)) {
        throw FieldError("threshold_dbm", "threshold_dbm must be a finite number");
    }
    if (radio.azimuth_deg && !std::isfinite(*radio.azimuth_deg)) {
        throw FieldError("azimuth_deg", "azimuth_deg must be a finite number");
    }
    if (radio.range_m) {
        require_positive(*radio.range_m, "range_m");
    }
}

/// The radius function of one cell: r(theta) in metres for an off-boresight angle in degrees.
class Reach {
public:
    Reach(const RadioParams& radio, const ModelSettings& settings) {
        validate(radio);
        require_positive(settings.max_range_m, "max_range_m", "model max_range_m");
        m_beamwidth_deg = radio.beamwidth_deg;
        m_max_attenuation_db = radio.azimuth_deg ? std::max(settings.max_attenuation_db, 0.0) : 0.0;
        m_max_range_m = settings.max_range_m;
        if (radio.range_m) {
            m_fixed_m = *radio.range_m;
            return;
        }
        PathLossQuery query;
        query.freq_mhz = radio.freq_mhz;
        query.tx_height_m = radio.height_m;
        query.rx_height_m = settings.rx_height_m;
        query.environment = settings.environment;
        query.city = settings.city;
        m_line = detail::loss_line(settings.propagation, query);
        m_budget_db = radio.eirp_dbm - radio.threshold_dbm;
    }

    double operator()(double off_boresight_deg) const {
        if (m_fixed_m) {
            return *m_fixed_m;
        }
        const double allowed_loss_db =
            m_budget_db + antenna_pattern_db(off_boresight_deg, m_beamwidth_deg, m_max_attenuation_db);
        const double d_m = 1000.0 * std::pow(10.0, (allowed_loss_db - m_line.intercept_db) / m_line.slope_db);
        return std::clamp(d_m, min_radius_m, m_max_range_m);
    }

    /// True when the radius is the same in every direction.
    bool circular() const noexcept {
        return m_fixed_m.has_value() || m_max_attenuation_db <= 0.0 || (*this)(180.0) >= m_max_range_m ||
               (*this)(0.0) <= min_radius_m;
    }

    /// Off-boresight angle (degrees, >= 0) where the pattern reaches its floor; >= 180 if never.
    double floor_angle_deg() const noexcept {
        return m_beamwidth_deg * std::sqrt(m_max_attenuation_db / 12.0);
    }

    /// Off-boresight angle (degrees, >= 0) inside which the radius is held at max_range_m
    /// in every direction closer to boresight; nullopt when the cap does not bind there.
    std::optional<double> clip_angle_deg() const noexcept {
        const double loss_at_max_db = m_line.intercept_db + m_line.slope_db * std::log10(m_max_range_m / 1000.0);
        const double pattern_db = loss_at_max_db - m_budget_db; // pattern value where r == max
        if (pattern_db >= 0.0 || -pattern_db >= m_max_attenuation_db) {
            return std::nullopt;
        }
        return m_beamwidth_deg * std::sqrt(-pattern_db / 12.0);
    }

private:
    std::optional<double> m_fixed_m;
    detail::LossLine m_line;
    double m_budget_db = 0;
    double m_beamwidth_deg = 360;
    double m_max_attenuation_db = 0;
    double m_max_range_m = 0;
};

/// Off-boresight angles (degrees, increasing from -180, one full turn, the end excluded) at
/// which the sector's vertices are placed: every kink of r(theta) is a vertex, and smooth
/// stretches are sampled finely enough for Simpson's rule to give the exact area within 1e-6.
std::vector<double> sector_angles(const Reach& reach, double beamwidth_deg) {
    // Boresight and its opposite are always vertices, so the polygon is symmetric about its axis.
    std::vector<double> breaks{-180.0, 0.0};
    const double floor_deg = reach.floor_angle_deg();
    if (floor_deg < 180.0) {
        breaks.push_back(-floor_deg);
        breaks.push_back(floor_deg);
    }
    if (const auto clip = reach.clip_angle_deg(); clip && *clip > 0.0) {
        breaks.push_back(-*clip);
        breaks.push_back(*clip);
    }
    std::sort(breaks.begin(), breaks.end());
    const double lobe_step_deg = std::min(arc_step_deg, beamwidth_deg / 16.0);
    std::vector<double> angles;
    for (std::size_t i = 0; i < breaks.size(); ++i) {
        const double from = breaks[i];
        const double to = i + 1 < breaks.size() ? breaks[i + 1] : breaks.front() + 360.0;
        const double length = to - from;
        if (length <= 1e-9) {
            continue;
        }
        const double middle = wrap_180(from + length / 2.0);
        const double r_mid = reach(middle);
        // A stretch of constant radius (back lobe or clipped front) is an arc.
        const bool arc = std::fabs(reach(wrap_180(from + length / 4.0)) - r_mid) < 1e-9 * r_mid &&
                         std::fabs(reach(wrap_180(from + 3.0 * length / 4.0)) - r_mid) < 1e-9 * r_mid;
        const double step = arc ? arc_step_deg : lobe_step_deg;
        const int pieces = std::max(1, static_cast<int>(std::ceil(length / step - 1e-9)));
        for (int k = 0; k < pieces; ++k) {
            angles.push_back(from + length * k / pieces);
        }
    }
    return angles;
}

geo::Polygon sector_polygon(const geo::Point& site, double azimuth_deg, const Reach& reach,
                            double beamwidth_deg) {
    const auto angles = sector_angles(reach, beamwidth_deg);
    const std::size_t n = angles.size();
    std::vector<double> radii(n);
    for (std::size_t i = 0; i < n; ++i) {
        radii[i] = reach(wrap_180(angles[i]));
    }
    // Scale the radii so the polygon's (local planar) area equals the shape's, 1/2 int r^2 dtheta,
    // as geo::disc does for circles; Simpson's rule is exact enough on each smooth stretch.
    constexpr double rad = std::numbers::pi / 180.0;
    double shape_area = 0.0;
    double polygon_area = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double a = angles[i];
        const double b = i + 1 < n ? angles[i + 1] : angles.front() + 360.0;
        const double h = (b - a) * rad;
        const double ra = radii[i];
        const double rb = radii[(i + 1) % n];
        const double rm = reach(wrap_180((a + b) / 2.0));
        shape_area += h / 6.0 * (ra * ra + 4.0 * rm * rm + rb * rb) / 2.0;
        polygon_area += 0.5 * ra * rb * std::sin(h);
    }
    const double scale = std::sqrt(shape_area / polygon_area);

    geo::Polygon polygon;
    auto& ring = polygon.outer();
    ring.reserve(n + 1);
    // Angles increase clockwise (azimuths); walk them backwards for a counter-clockwise ring.
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (n - k) % n;
        ring.push_back(geo::destination(site, wrap_360(azimuth_deg + angles[i]), radii[i] * scale));
    }
    ring.push_back(ring.front());
    return polygon;
}

class LinkBudgetModel final : public CoverageModel {
public:
    explicit LinkBudgetModel(const ModelSettings& settings) : m_settings(settings) {}

    geo::Polygon footprint(const Cell& cell, const RadioParams& radio) const override {
        const Reach reach(radio, m_settings);
        if (!radio.azimuth_deg || reach.circular()) {
            return geo::disc(cell.position, reach(0.0), disc_vertices);
        }
        return sector_polygon(cell.position, *radio.azimuth_deg, reach, radio.beamwidth_deg);
    }

private:
    ModelSettings m_settings;
};

} // namespace

RadioParams radio_params(const Cell& cell, const Campaign& campaign) {
    const RadioDefaults& defaults = campaign.defaults_for(cell.tech);
    RadioParams radio;
    radio.freq_mhz = cell.freq_mhz.value_or(defaults.freq_mhz);
    radio.eirp_dbm = cell.eirp_dbm.value_or(defaults.eirp_dbm);
    radio.height_m = cell.height_m.value_or(defaults.height_m);
    radio.beamwidth_deg = cell.beamwidth_deg.value_or(defaults.beamwidth_deg);
    radio.azimuth_deg = cell.azimuth_deg;
    radio.threshold_dbm = defaults.threshold_dbm;
    radio.range_m = cell.range_m;
    return radio;
}

double antenna_pattern_db(double off_boresight_deg, double beamwidth_deg, double max_attenuation_db) noexcept {
    const double x = wrap_180(off_boresight_deg) / beamwidth_deg;
    return -std::min(12.0 * x * x, max_attenuation_db);
}

double reach_m(const RadioParams& radio, const ModelSettings& settings, double off_boresight_deg) {
    return Reach(radio, settings)(off_boresight_deg);
}

std::unique_ptr<CoverageModel> make_link_budget_model(const Campaign& campaign) {
    return std::make_unique<LinkBudgetModel>(campaign.model);
}

namespace {

// The terrain-blind disc/sector as a FootprintModel: stateless, so every thread may share the
// settings; it still gets its own instance, as the contract says.
class LinkBudgetFootprintModel final : public FootprintModel {
public:
    explicit LinkBudgetFootprintModel(const ModelSettings& settings) : m_model(settings) {}
    geo::MultiPolygon footprint(const Cell& cell, const RadioParams& radio) override {
        geo::MultiPolygon out;
        out.push_back(m_model.footprint(cell, radio)); // moved in, not copied through a list
        return out;
    }

private:
    LinkBudgetModel m_model;
};

} // namespace

FootprintModelFactory make_model_factory(const Campaign& campaign) {
    if (!campaign.model.terrain_model.empty()) {
        return make_terrain_footprint_factory(campaign);
    }
    const ModelSettings settings = campaign.model;
    return [settings] { return std::make_unique<LinkBudgetFootprintModel>(settings); };
}

std::string model_description(const Campaign& campaign) {
    const auto& m = campaign.model;
    if (!m.terrain_model.empty()) {
        return terrain_model_description(campaign);
    }
    return fmt::format("{} median path loss ({}, {} city), terrain-blind disc/sector, range cap {:g} m",
                       to_string(m.propagation), to_string(m.environment), to_string(m.city), m.max_range_m);
}

std::vector<Problem> footprint_warnings(const std::vector<Footprint>& footprints, const std::vector<Cell>& cells,
                                        const std::string& source) {
    std::vector<std::string> keys;
    std::size_t count = 0;
    for (const auto& fp : footprints) {
        if (!fp.star_only) continue;
        ++count;
        if (keys.size() < 5 && fp.cell < cells.size()) keys.push_back(cells[fp.cell].key());
    }
    if (count == 0) return {};
    return {Problem{Severity::warning, Location{source, std::nullopt, {}, std::nullopt}, "model.propagation",
                    "footprint_star_only",
                    fmt::format("{} of {} terrain footprints kept only the ground lit from the site outwards: the union "
                                "with the ground lit beyond shadows was not a valid geometry, so that ground was "
                                "left out (conservative); cells: {}{}",
                                count, footprints.size(), fmt::join(keys, ", "), count > keys.size() ? ", ..." : "")}};
}

std::vector<Footprint> build_footprints(const std::vector<Cell>& cells, const Campaign& campaign,
                                        const FootprintOptions& options, const Progress& progress) {
    return build_footprints(cells, campaign, make_model_factory(campaign), options, progress);
}

std::vector<Footprint> build_footprints(const std::vector<Cell>& cells, const Campaign& campaign,
                                        const FootprintModelFactory& factory, const FootprintOptions& options,
                                        const Progress& progress) {
    std::vector<Footprint> footprints(cells.size());
    geo::ParallelOptions parallel;
    parallel.threads = options.threads;
    parallel.chunk = 256;
    // One model per worker, made here on the calling thread (the per-thread contract).
    std::vector<std::unique_ptr<FootprintModel>> models;
    const int workers = cells.empty() ? 0 : geo::parallel_workers(cells.size(), parallel);
    for (int w = 0; w < workers; ++w) {
        models.push_back(factory());
    }

    // Each footprint lands at its cell's index, so the result does not depend on the number
    // of threads or on scheduling (geo::parallel_for).
    std::mutex failures_mutex;
    std::vector<std::pair<std::size_t, Problem>> problems;
    std::size_t first_failure_index = cells.size();
    std::exception_ptr first_failure;

    auto build_one = [&](std::size_t i, FootprintModel& model) {
        const Cell& cell = cells[i];
        try {
            const RadioParams radio = radio_params(cell, campaign);
            Footprint& fp = footprints[i];
            fp.cell = i;
            geo::MultiPolygon shape = model.footprint(cell, radio);
            fp.line_of_sight = model.last_line_of_sight();
            fp.star_only = model.last_star_only();
            if (shape.size() == 1) {
                // The same envelope and area calls as for a single polygon, so a terrain-blind
                // run gives the same bytes as before footprints became MultiPolygons.
                boost::geometry::envelope(shape.front(), fp.box);
                fp.area_km2 = geo::equal_area_m2(shape.front()) / 1e6;
            } else if (!shape.empty()) {
                boost::geometry::envelope(shape, fp.box);
                fp.area_km2 = geo::equal_area_m2(shape) / 1e6;
            }
            // A disc is mirrored about its centre's meridian: kept folded, it takes half the
            // memory (300 000 discs: 0.6 GB whole), and unfolds to the same bits.
            fp.shape = std::move(shape);
            fp.shape.fold(cell.position.x());
        } catch (const std::invalid_argument& e) {
            // A value the model refuses: a FieldError names its field; a path-loss formula's
            // own refusal (a mast too high for Hata, say) names none.
            const auto* typed = dynamic_cast<const FieldError*>(&e);
            const std::lock_guard lock(failures_mutex);
            problems.emplace_back(i, Problem{Severity::error, cell.source,
                                             typed ? typed->field() : std::string{}, "out_of_range",
                                             fmt::format("cell {}: {}", cell.key(), e.what())});
        } catch (...) {
            // Every cell is still tried (its problems are listed); the lowest failure is rethrown.
            const std::lock_guard lock(failures_mutex);
            if (i < first_failure_index) {
                first_failure_index = i;
                first_failure = std::current_exception();
            }
        }
    };
    parallel.on_progress = [&](std::size_t done) {
        progress.report(static_cast<double>(done) / static_cast<double>(cells.size()), "footprints");
    };
    progress.report(0.0, "footprints");
    geo::parallel_for(cells.size(), parallel, [&](std::size_t begin, std::size_t end, int worker) {
        for (std::size_t i = begin; i < end; ++i) {
            build_one(i, *models[static_cast<std::size_t>(worker)]);
        }
    });
    if (first_failure) {
        std::rethrow_exception(first_failure);
    }
    if (!problems.empty()) {
        std::sort(problems.begin(), problems.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<Problem> sorted;
        sorted.reserve(problems.size());
        for (auto& [index, problem] : problems) {
            sorted.push_back(std::move(problem));
        }
        throw InputError(std::move(sorted));
    }
    progress.report(1.0, "footprints");
    return footprints;
}

} // namespace deadzone::model
