// model/footprint: one coverage area per cell from its link budget — received power =
// EIRP + antenna pattern(theta) - path loss reaching the technology's threshold. The model is
// pluggable: build_footprints takes a factory of FootprintModel (the seam, docs/model.md);
// the terrain-blind disc/sector below and the terrain model (terrain_footprint.hpp) plug in.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/core/progress.hpp>
#include <deadzone/geo/folded_ring.hpp>
#include <deadzone/geo/types.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace deadzone::model {

/// A cell's radio parameters after applying the campaign's per-technology defaults.
struct RadioParams {
    double freq_mhz = 0;
    double eirp_dbm = 0;
    double height_m = 0;
    double beamwidth_deg = 360;
    std::optional<double> azimuth_deg; // empty = omni
    double threshold_dbm = 0;
    std::optional<double> range_m;     // fixed radius, overrides the propagation model
};
RadioParams radio_params(const Cell& cell, const Campaign& campaign);

/// The 3GPP parabolic horizontal pattern in dB (<= 0): -min(12 (theta/beamwidth)^2, max),
/// theta = off-boresight angle in degrees, wrapped into [-180, 180].
double antenna_pattern_db(double off_boresight_deg, double beamwidth_deg,
                          double max_attenuation_db) noexcept;

/// How far (m) the link budget reaches in the direction `off_boresight_deg` (ignored for omni
/// cells): min(distance where EIRP + pattern - loss = threshold, settings.max_range_m), or
/// radio.range_m when set. Throws model::FieldError (model/errors.hpp, an std::invalid_argument
/// naming the field) for non-positive radio values.
double reach_m(const RadioParams& radio, const ModelSettings& settings, double off_boresight_deg = 0.0);

/// Decides how far a cell reaches; the default is the link-budget model above.
class CoverageModel {
public:
    virtual ~CoverageModel() = default;
    /// The footprint polygon (WGS84, CCW) of one cell.
    virtual geo::Polygon footprint(const Cell& cell, const RadioParams& radio) const = 0;
};

/// The link-budget model with the campaign's ModelSettings.
std::unique_ptr<CoverageModel> make_link_budget_model(const Campaign& campaign);

/// The seam between build_footprints and a propagation model.
///
/// Per-thread contract: build_footprints calls the factory once per worker thread, on the
/// calling thread, before any work starts, and each model it returns is then used by one thread
/// only. A model may therefore keep mutable per-thread state — an open raster handle (GDAL
/// datasets are not thread-safe), scratch buffers, a cache — without locks. footprint() must
/// depend only on its arguments and the model's settings (not on which cells the thread saw
/// before), so the result is the same for any thread count.
class FootprintModel {
public:
    virtual ~FootprintModel() = default;
    /// The cell's coverage (WGS84 lon/lat, valid, outer rings CCW): one polygon for a disc or
    /// sector; holes for shadows and several polygons for lit slopes beyond ridges.
    virtual geo::MultiPolygon footprint(const Cell& cell, const RadioParams& radio) = 0;
    /// The ground in line of sight of the antenna within the reach the last footprint() call
    /// explored (terrain models find it on the way); nothing for terrain-blind models.
    virtual std::optional<geo::MultiPolygon> last_line_of_sight() { return std::nullopt; }
    /// Whether the last footprint() kept only the part lit from the site outwards because the
    /// union with the ground lit beyond shadows was invalid (polar_shape.hpp's fallback).
    virtual bool last_star_only() { return false; }
    /// The path loss (dB) the model predicts from the cell's antenna to a receiver at `point`
    /// (at the model's receiver height): terrain models trace the profile to the point and ask
    /// their terrain model, as for a footprint. Nothing when the model says where but not how
    /// strong (a fixed `range_m`), when the point is beyond max_range_m, or when the model
    /// has no point loss of its own (the terrain-blind model: callers use the link budget,
    /// overlay::predicted_level_dbm). For the calibration of field measurements.
    virtual std::optional<double> loss_db_at(const Cell& /*cell*/, const RadioParams& /*radio*/,
                                             const geo::Point& /*point*/) {
        return std::nullopt;
    }
};

/// Makes one FootprintModel per worker thread (see the contract above). May throw InputError
/// (a DEM that cannot be used); then nothing is computed.
using FootprintModelFactory = std::function<std::unique_ptr<FootprintModel>()>;

/// The campaign's model: the terrain model named by `model.propagation` over `terrain.dem`
/// when set (terrain_footprint.hpp), the terrain-blind link-budget model otherwise.
FootprintModelFactory make_model_factory(const Campaign& campaign);

/// A short description of the model that produced the footprints ("hata (terrain-blind)",
/// "itm over dem.tif, 360 radials, 90 m step"), for reports and the footprints layer.
std::string model_description(const Campaign& campaign);

/// A footprint's geometry: a MultiPolygon, or a disc kept folded about its centre's meridian
/// (geo::FoldedRing: half the memory, the same bits when unfolded). build_footprints folds every
/// one-ring footprint that folds exactly; readers ask for the MultiPolygon (get, take).
class FootprintShape {
public:
    FootprintShape() = default;
    FootprintShape(geo::MultiPolygon shape) : m_shape(std::move(shape)) {} // NOLINT: implicit on purpose

    /// True when the cell reaches nowhere (or the shape was taken or released).
    bool empty() const noexcept { return m_shape.empty() && !m_folded; }
    bool folded() const noexcept { return m_folded.has_value(); }
    /// The MultiPolygon: this one's own, or the folded disc unfolded into `scratch`.
    const geo::MultiPolygon& get(geo::MultiPolygon& scratch) const;
    /// A copy of the MultiPolygon (tests, cold paths).
    geo::MultiPolygon unfolded() const;
    /// The MultiPolygon moved out (unfolded if folded); empty afterwards.
    geo::MultiPolygon take();
    /// Keeps a one-polygon, hole-free shape as its folded ring about `axis_lon` when that gives
    /// it back bit for bit; anything else stays as it is.
    void fold(double axis_lon);
    /// Frees the shape's memory.
    void clear() noexcept;

private:
    geo::MultiPolygon m_shape;
    std::optional<geo::FoldedRing> m_folded;
};

struct Footprint {
    std::size_t cell = 0;    // index into the cell list
    FootprintShape shape;    // WGS84, valid; empty when the cell reaches nowhere
    geo::Box box;            // envelope of shape
    double area_km2 = 0;     // equal-area
    /// Terrain models only: the ground in line of sight of the antenna (for los_fraction).
    std::optional<geo::MultiPolygon> line_of_sight;
    /// Terrain models only: the lit ground beyond shadows was dropped (polar_shape's fallback).
    bool star_only = false;
};

struct FootprintOptions {
    int threads = 0; // 0 = all cores
};

/// One footprint per cell (in cell order), computed in parallel with one model per thread
/// made by `factory`.
std::vector<Footprint> build_footprints(const std::vector<Cell>& cells, const Campaign& campaign,
                                        const FootprintModelFactory& factory,
                                        const FootprintOptions& options = {},
                                        const Progress& progress = {});

/// One warning counting the terrain footprints that fell back to the part lit from the site
/// outwards (Footprint::star_only), naming the first few cells; nothing when none did.
std::vector<Problem> footprint_warnings(const std::vector<Footprint>& footprints, const std::vector<Cell>& cells,
                                        const std::string& source);

/// The same with the campaign's own model (make_model_factory).
std::vector<Footprint> build_footprints(const std::vector<Cell>& cells, const Campaign& campaign,
                                        const FootprintOptions& options = {},
                                        const Progress& progress = {});

} // namespace deadzone::model
