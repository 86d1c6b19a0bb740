// service (internal): the pieces behind Service::handle — the analysis cache, the layer index,
// the route handlers — shared by the files of src/service/.
#pragma once

#include <deadzone/core/date.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/pipeline/store_analysis.hpp>
#include <deadzone/service/service.hpp>
#include <deadzone/store/store.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::service::detail {

/// A failure with its HTTP status, thrown by handlers and turned into {"error": ...} once.
class HttpError : public std::runtime_error {
public:
    HttpError(int status, const std::string& message) : std::runtime_error(message), m_status(status) {}
    int status() const noexcept { return m_status; }

private:
    int m_status;
};

/// lon/lat box: min x, min y, max x, max y.
using Bbox = std::array<double, 4>;
bool intersects(const Bbox& a, const Bbox& b) noexcept;

/// One layer as `export` writes it, indexed by feature so that a bbox or a province can be cut
/// out without building the layer again.
struct IndexedLayer {
    std::string geojson;       // the whole file, byte for byte as export writes it
    std::string head;          // up to and including the "features": [ line
    std::vector<std::string> features; // one feature each, without the separating ",\n"
    std::vector<std::optional<Bbox>> boxes; // parallel; empty = no geometry
    std::string fgb;           // FlatGeobuf, as export --fgb would write it
    /// `geojson` gzipped, made on the first request that accepts gzip (a national layer is large
    /// and the dashboard asks for bbox cuts, not the whole layer).
    const std::string& geojson_gzip() const;

private:
    mutable std::once_flag m_gzip_once;
    mutable std::string m_geojson_gzip;
};

inline constexpr std::array<const char*, 5> layer_names = {"villages", "commitments", "coverage", "gaps", "stations"};

struct LayerSet {
    std::array<IndexedLayer, 5> layers; // in layer_names order
    std::optional<Bbox> extent;         // of the villages layer: a province token's area
};

/// One analysis of the store as known at an upload, as of a date, for one scope ("" = all, or a
/// province), with everything derived from it computed at most once.
struct Computed {
    pipeline::StoreAnalysis result;
    std::string progress_body; // exactly what `deadzone report --json` prints
    std::string progress_gzip; // the same, gzipped once
    std::mutex layers_mutex;
    std::shared_ptr<const LayerSet> layers;
};

/// The analysis for (upload, as_of, scope): the store's own pipeline calls for the whole store,
/// the same over a snapshot cut to one province's villages and commitments for a province.
/// Footprints come from `footprints` (kept for the server's life: a new as-of date or upload
/// recomputes only the cells that changed).
pipeline::StoreAnalysis analyse(const std::string& store, std::int64_t upload, Date as_of, const std::string& province,
                                int threads, const std::shared_ptr<pipeline::FootprintCache>& footprints);

/// Layers of an analysis through emit::write_layers (a private temporary folder), indexed.
std::shared_ptr<const LayerSet> build_layers(const Analysis& analysis);
const LayerSet& layers_of(Computed& computed);

/// The features of `layer` inside `box` (all when empty), as a GeoJSON document.
std::string geojson_subset(const IndexedLayer& layer, const std::optional<Bbox>& box);
/// The same cut of the FlatGeobuf file, through GDAL's FlatGeobuf driver.
std::string fgb_subset(const IndexedLayer& layer, const char* name, const Bbox& box);

/// GET /api/villages/{id}: its properties, commitments, coverage, covering cells and history.
/// Empty when the analysis has no such village.
std::optional<nlohmann::ordered_json> village_json(const pipeline::StoreAnalysis& result, const std::string& village_id);

/// Static dashboard files under `root`; 404 for anything outside it or missing.
Response static_file(const std::filesystem::path& root, const std::string& path);

/// The body's file name extension from the content type, else from its first bytes.
std::string upload_extension(const std::string& content_type, const std::string& body);

/// POST /api/uploads: the body saved to a private temporary file, then store::import_*.
Response upload_response(const ServiceOptions& options, const Request& request, const store::TokenRecord& token);

Response json_response(int status, const nlohmann::ordered_json& body);

/// Whether an Accept-Encoding header value admits gzip (RFC 9110: "gzip", "x-gzip" or "*" with
/// q > 0; "gzip;q=0" refuses it).
bool accepts_gzip(std::string_view accept_encoding);
/// gzip (RFC 1952) at level 6 with a zero time stamp: the same input gives the same bytes.
std::string gzip(std::string_view data);
/// Bodies smaller than this go out as they are: gzip's framing would eat the gain.
inline constexpr std::size_t min_gzip_bytes = 1024;
/// For a compressible content type: sets Vary, and when the client accepts gzip replaces the
/// body by `gzipped` (a cached copy) or by the body compressed now (when over min_gzip_bytes),
/// with Content-Encoding. Does nothing to a response that already has a Content-Encoding.
void encode_response(const Request& request, Response& response, const std::string* gzipped = nullptr);
Response error_response(int status, const std::string& message);

} // namespace deadzone::service::detail
