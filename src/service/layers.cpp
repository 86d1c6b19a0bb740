// The service's analyses and layers: the store's own pipeline calls, and the layers export writes
// (emit::write_layers into a private temporary folder), indexed per feature so that a bbox or a
// province is cut out of the exported bytes instead of being formatted a second way.
#include "service_impl.hpp"

#include <deadzone/emit/layers.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/pipeline/pipeline.hpp>

#include <fmt/format.h>
#include <gdal_utils.h>
#include <cpl_vsi.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace deadzone::service::detail {

bool intersects(const Bbox& a, const Bbox& b) noexcept {
    return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

pipeline::StoreAnalysis analyse(const std::string& store_name, std::int64_t upload, Date as_of,
                                const std::string& province, int threads,
                                const std::shared_ptr<pipeline::FootprintCache>& footprints) {
    if (province.empty()) {
        pipeline::StoreAnalysisOptions options;
        options.store = store_name;
        options.as_of = as_of;
        options.known_at = std::to_string(upload);
        options.threads = threads;
        options.footprint_cache = footprints;
        return pipeline::analyze_store(options);
    }
    // A province sees the store as if it held only its villages and their commitments; every
    // cell stays, since a neighbouring province's mast may cover a village.
    auto store = store::open_store(store_name);
    auto snapshot = store->snapshot(upload);
    const std::string location = store->location();
    const std::string campaign_key = pipeline::store_campaign_key(*store);
    store.reset();
    auto& inputs = snapshot.inputs;
    std::set<std::string> ids;
    std::vector<Village> villages;
    for (auto& v : inputs.villages) {
        if (v.province == province) {
            ids.insert(v.id);
            villages.push_back(std::move(v));
        }
    }
    inputs.villages = std::move(villages);
    std::vector<Commitment> commitments;
    for (auto& c : inputs.commitments) {
        if (ids.count(c.village_id) > 0) {
            commitments.push_back(std::move(c));
        }
    }
    inputs.commitments = std::move(commitments);
    pipeline::Options options;
    options.threads = threads;
    options.campaign_source = Location{location, {}, "campaign", {}};
    options.footprint_cache = footprints;
    options.campaign_key = campaign_key;
    return pipeline::StoreAnalysis{
        pipeline::analyze(std::move(snapshot.campaign), std::move(inputs), as_of, options), snapshot.known_at};
}

namespace {

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw Failure(file.string() + ": cannot read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The envelope of a GeoJSON geometry's coordinates (any nesting), empty for null.
std::optional<Bbox> envelope(const nlohmann::json& geometry) {
    if (!geometry.is_object() || !geometry.contains("coordinates")) {
        return std::nullopt;
    }
    Bbox box{180, 90, -180, -90};
    bool any = false;
    std::vector<const nlohmann::json*> stack{&geometry["coordinates"]};
    while (!stack.empty()) {
        const auto* node = stack.back();
        stack.pop_back();
        if (node->is_array() && node->size() >= 2 && (*node)[0].is_number()) {
            const double x = (*node)[0].get<double>();
            const double y = (*node)[1].get<double>();
            box = {std::min(box[0], x), std::min(box[1], y), std::max(box[2], x), std::max(box[3], y)};
            any = true;
        } else if (node->is_array()) {
            for (const auto& child : *node) {
                stack.push_back(&child);
            }
        }
    }
    return any ? std::optional<Bbox>{box} : std::nullopt;
}

/// Splits export's GeoJSON (one feature per line between the "features" line and "]\n}\n").
void index_geojson(IndexedLayer& layer) {
    const std::string marker = "\"features\": [\n";
    const auto start = layer.geojson.find(marker);
    const std::string tail = "]\n}\n";
    if (start == std::string::npos || layer.geojson.size() < tail.size() ||
        layer.geojson.compare(layer.geojson.size() - tail.size(), tail.size(), tail) != 0) {
        throw Failure("service: the layer writer's GeoJSON has an unexpected shape");
    }
    layer.head = layer.geojson.substr(0, start + marker.size());
    std::size_t pos = start + marker.size();
    const std::size_t end = layer.geojson.size() - tail.size();
    while (pos < end) {
        auto eol = layer.geojson.find('\n', pos);
        auto line = layer.geojson.substr(pos, eol - pos);
        if (!line.empty() && line.back() == ',') {
            line.pop_back();
        }
        const auto feature = nlohmann::json::parse(line);
        layer.boxes.push_back(envelope(feature["geometry"]));
        layer.features.push_back(std::move(line));
        pos = eol + 1;
    }
}

/// A private temporary folder, removed with everything in it when this goes out of scope.
class TempFolder {
public:
    TempFolder() {
        auto pattern = (std::filesystem::temp_directory_path() / "deadzone-serve-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw Failure("service: cannot create a temporary folder in " + std::filesystem::temp_directory_path().string());
        }
        m_path = pattern;
    }
    ~TempFolder() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const std::filesystem::path& path() const noexcept { return m_path; }

private:
    std::filesystem::path m_path;
};

} // namespace

std::shared_ptr<const LayerSet> build_layers(const Analysis& analysis) {
    TempFolder folder;
    emit::LayerOptions options;
    options.geojson = true;
    options.fgb = true;
    options.gpkg = false;
    emit::write_layers(analysis, folder.path() / "layers", options);
    auto set = std::make_shared<LayerSet>();
    for (std::size_t i = 0; i < layer_names.size(); ++i) {
        auto& layer = set->layers[i];
        layer.geojson = read_file(folder.path() / "layers" / (std::string{layer_names[i]} + ".geojson"));
        layer.fgb = read_file(folder.path() / "layers" / (std::string{layer_names[i]} + ".fgb"));
        index_geojson(layer);
    }
    for (const auto& box : set->layers[0].boxes) {
        if (box) {
            auto& e = set->extent;
            e = e ? Bbox{std::min((*e)[0], (*box)[0]), std::min((*e)[1], (*box)[1]), std::max((*e)[2], (*box)[2]),
                         std::max((*e)[3], (*box)[3])}
                  : *box;
        }
    }
    return set;
}

const std::string& IndexedLayer::geojson_gzip() const {
    std::call_once(m_gzip_once, [this] { m_geojson_gzip = gzip(geojson); });
    return m_geojson_gzip;
}

const LayerSet& layers_of(Computed& computed) {
    std::lock_guard lock{computed.layers_mutex};
    if (!computed.layers) {
        computed.layers = build_layers(computed.result.analysis);
    }
    return *computed.layers;
}

std::string geojson_subset(const IndexedLayer& layer, const std::optional<Bbox>& box) {
    std::string out = layer.head;
    bool first = true;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        if (box && (!layer.boxes[i] || !intersects(*layer.boxes[i], *box))) {
            continue;
        }
        out += first ? "" : ",\n";
        out += layer.features[i];
        first = false;
    }
    out += first ? "]\n}\n" : "\n]\n}\n";
    return out;
}

std::string fgb_subset(const IndexedLayer& layer, const char* name, const Bbox& box) {
    geo::ensure_gdal();
    static std::atomic<unsigned> counter{0};
    const auto n = counter++;
    const auto in_name = fmt::format("/vsimem/deadzone-serve-{}-{}-in/{}.fgb", getpid(), n, name);
    const auto out_name = fmt::format("/vsimem/deadzone-serve-{}-{}-out/{}.fgb", getpid(), n, name);
    // GDAL reads the cached bytes in place (no copy, not owned).
    VSILFILE* in = VSIFileFromMemBuffer(in_name.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(layer.fgb.data())),
                                        static_cast<vsi_l_offset>(layer.fgb.size()), FALSE);
    if (in == nullptr) {
        throw Failure("service: cannot stage the FlatGeobuf layer in memory");
    }
    VSIFCloseL(in);
    std::string result;
    GDALDatasetH source = GDALOpenEx(in_name.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (source != nullptr) {
        const std::string spat[] = {fmt::format("{}", box[0]), fmt::format("{}", box[1]), fmt::format("{}", box[2]),
                                    fmt::format("{}", box[3])};
        const char* argv[] = {"-f", "FlatGeobuf", "-spat", spat[0].c_str(), spat[1].c_str(), spat[2].c_str(),
                              spat[3].c_str(), nullptr};
        auto* options = GDALVectorTranslateOptionsNew(const_cast<char**>(argv), nullptr);
        int failed = 0;
        GDALDatasetH target = GDALVectorTranslate(out_name.c_str(), nullptr, 1, &source, options, &failed);
        GDALVectorTranslateOptionsFree(options);
        if (target != nullptr) {
            GDALClose(target);
            vsi_l_offset size = 0;
            GByte* bytes = VSIGetMemFileBuffer(out_name.c_str(), &size, FALSE);
            if (bytes != nullptr) {
                result.assign(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
            }
        }
        GDALClose(source);
    }
    VSIUnlink(in_name.c_str());
    VSIRmdirRecursive(fmt::format("/vsimem/deadzone-serve-{}-{}-out", getpid(), n).c_str());
    if (result.empty()) {
        throw Failure(std::string{"service: GDAL could not cut the FlatGeobuf layer "} + name);
    }
    return result;
}

} // namespace deadzone::service::detail
