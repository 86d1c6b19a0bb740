// Service::handle: authentication, routing, parameter checks and the one place where library
// errors become HTTP statuses (OSRM's parse → validate → call → {"error"} shape).
#include "service_impl.hpp"

#include <deadzone/emit/locale.hpp>

#include <deadzone/pipeline/problems.hpp>
#include <deadzone/service/tokens.hpp>
#include <deadzone/store/import_report.hpp>

#include <fmt/format.h>

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <unordered_map>

namespace deadzone::service {

using detail::HttpError;
using Json = nlohmann::ordered_json;

/// What the service last read from the store: the upload log and the tokens.
struct StoreState {
    std::vector<store::Upload> uploads;
    std::vector<store::TokenRecord> tokens;
    std::chrono::steady_clock::time_point read_at;
};

struct Service::Impl {
    ServiceOptions options;
    // Footprints across every analysis this server makes (pipeline/footprint_cache.hpp).
    std::shared_ptr<pipeline::FootprintCache> footprints = std::make_shared<pipeline::FootprintCache>();

    std::mutex state_mutex;   // guards `state` (held for a pointer copy only)
    std::mutex refresh_mutex; // held by the one request reading the store
    std::shared_ptr<const StoreState> state;

    // (upload, as_of, scope) → the analysis, computed once even when asked for concurrently.
    std::mutex cache_mutex;
    std::unordered_map<std::string, std::shared_future<std::shared_ptr<detail::Computed>>> cache;
    std::list<std::string> cache_order; // oldest first
    // Cut layers (a bbox, a province) by (analysis key, route, query), GeoJSON cuts also gzipped.
    struct Cut {
        std::string body;
        std::string gzipped; // empty for FlatGeobuf (binary: sent as it is, range requests apply)
    };
    std::unordered_map<std::string, std::shared_ptr<const Cut>> cuts;

    std::shared_ptr<const StoreState> current_state(bool force = false);
    // The newest finished analysis per (as_of, scope): what a reader of "the latest" gets while
    // the analysis of a newer upload is being computed by someone else.
    std::map<std::string, std::pair<std::int64_t, std::shared_ptr<detail::Computed>>> newest;
    // Analyses computed aside for readers who got the previous one; waited for on destruction.
    std::mutex background_mutex;
    std::list<std::future<void>> background;

    /// `may_be_stale`: the reader asked for the latest state (no known_at), so while another
    /// request computes the newest upload's analysis it gets the previous one (its known_at
    /// says which); the request that computes, and every request naming known_at, waits.
    std::shared_ptr<detail::Computed> computed(std::int64_t upload, Date as_of, const std::string& scope,
                                               bool may_be_stale = false, bool low_priority = false);
    /// After an upload: recompute the (as_of, scope) pairs readers asked for, so that they never
    /// wait for it and the uploader's next read is of its own upload.
    void warm(std::int64_t upload);

    /// Every answer before compression (Service::handle adds that).
    Response answer(const Request& request);
    Response route(const Request& request, Response& response);
    Response layer_response(const Request& request, detail::Computed& entry, const std::optional<detail::Bbox>& box,
                            std::int64_t upload, Date as_of, const std::string& scope);
    Response village_response(const std::string& village_id, detail::Computed& entry, std::int64_t upload,
                              Date as_of, const std::string& scope);
};

namespace {

const std::string* param(const Request& request, const std::string& name) {
    const auto it = request.query.find(name);
    return it == request.query.end() ? nullptr : &it->second;
}

Date as_of_param(const Request& request) {
    const auto* text = param(request, "as_of");
    if (text == nullptr) {
        throw HttpError(400, "as_of is required (YYYY-MM-DD)");
    }
    const auto date = Date::parse(*text);
    if (!date) {
        throw HttpError(400, "as_of: " + Date::parse_problem(*text));
    }
    return *date;
}

std::optional<detail::Bbox> bbox_param(const Request& request) {
    const auto* text = param(request, "bbox");
    if (text == nullptr) {
        return std::nullopt;
    }
    detail::Bbox box{};
    const char* p = text->data();
    const char* end = p + text->size();
    for (std::size_t i = 0; i < 4; ++i) {
        const auto [next, ec] = std::from_chars(p, end, box[i]);
        if (ec != std::errc{} || !std::isfinite(box[i]) || (i < 3 ? (next == end || *next != ',') : next != end)) {
            throw HttpError(400, "bbox: expected four numbers min_lon,min_lat,max_lon,max_lat");
        }
        p = next + 1;
    }
    if (box[0] > box[2] || box[1] > box[3] || box[0] < -180 || box[2] > 180 || box[1] < -90 || box[3] > 90) {
        throw HttpError(400, "bbox: min_lon <= max_lon within [-180, 180] and min_lat <= max_lat within [-90, 90]");
    }
    return box;
}

std::string bearer(const std::string& authorization) {
    constexpr std::string_view prefix = "Bearer ";
    if (authorization.size() <= prefix.size() || authorization.compare(0, prefix.size(), prefix) != 0) {
        return {};
    }
    return authorization.substr(prefix.size());
}

/// Re-analyses after an upload run below the request threads: on a machine with few cores the
/// analysis (all its worker threads, which inherit the setting) would otherwise take the CPU from
/// readers served from the cache, and their tail latency would be the analysis's length. Linux
/// gives each thread its own nice value; elsewhere, or if refused, nothing changes.
void lower_this_thread_priority() noexcept {
#ifdef __linux__
    (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
#endif
}

std::string scope_of(const store::TokenRecord& token) {
    return token.role == store::TokenRole::province ? token.scope : std::string{};
}

} // namespace

std::shared_ptr<const StoreState> Service::Impl::current_state(bool force) {
    std::shared_ptr<const StoreState> known;
    {
        std::lock_guard lock{state_mutex};
        known = state;
    }
    if (!force && known && std::chrono::steady_clock::now() - known->read_at < options.refresh) {
        return known;
    }
    // Reading the store (open, log, tokens) takes milliseconds, longer while an upload commits:
    // one request reads it, outside state_mutex; readers arriving meanwhile keep the state they
    // had (at most a refresh period older) instead of queueing behind it. A forced refresh (after
    // this service's own upload) and the very first read wait for a read of their own.
    std::unique_lock refreshing{refresh_mutex, std::defer_lock};
    if (force || !known) {
        refreshing.lock();
    } else if (!refreshing.try_lock()) {
        return known;
    }
    const auto started = std::chrono::steady_clock::now();
    {
        std::lock_guard lock{state_mutex};
        if (!force && state && started - state->read_at < options.refresh) {
            return state; // read by the request we waited for
        }
    }
    auto fresh = std::make_shared<StoreState>();
    auto opened = store::open_store(options.store);
    fresh->uploads = opened->uploads();
    fresh->tokens = opened->tokens();
    fresh->read_at = started;
    std::lock_guard lock{state_mutex};
    state = fresh;
    return state;
}

std::shared_ptr<detail::Computed> Service::Impl::computed(std::int64_t upload, Date as_of, const std::string& scope,
                                                          bool may_be_stale, bool low_priority) {
    const auto latest_key = fmt::format("{}|{}", as_of.iso(), scope);
    const auto key = fmt::format("{}|{}", upload, latest_key);
    auto promise = std::make_shared<std::promise<std::shared_ptr<detail::Computed>>>();
    std::shared_future<std::shared_ptr<detail::Computed>> future;
    std::shared_ptr<detail::Computed> fallback;
    bool mine = false;
    {
        std::lock_guard lock{cache_mutex};
        const auto previous = newest.find(latest_key);
        if (previous != newest.end() && previous->second.first < upload) {
            fallback = previous->second.second;
        }
        if (const auto it = cache.find(key); it != cache.end()) {
            future = it->second;
            if (may_be_stale && fallback && future.wait_for(std::chrono::seconds{0}) != std::future_status::ready) {
                return fallback;
            }
        } else {
            future = promise->get_future().share();
            cache.emplace(key, future);
            cache_order.push_back(key);
            while (cache_order.size() > options.cached_analyses) {
                cache.erase(cache_order.front());
                cache_order.pop_front();
            }
            mine = true;
        }
    }
    if (!mine) {
        return future.get();
    }
    bool with_layers = false; // the previous one was drawn on a map: make the new one's layers too
    if (fallback) {
        std::lock_guard layers_lock{fallback->layers_mutex};
        with_layers = fallback->layers != nullptr;
    }
    auto task = [this, promise, upload, as_of, scope, key, latest_key, with_layers] {
        try {
            auto value = std::make_shared<detail::Computed>();
            value->result = detail::analyse(options.store, upload, as_of, scope, options.analysis_threads, footprints);
            value->progress_body = pipeline::report_json(value->result).dump(2) + '\n';
            value->progress_gzip = detail::gzip(value->progress_body);
            if (with_layers) {
                detail::layers_of(*value);
            }
            promise->set_value(value);
            std::lock_guard lock{cache_mutex};
            auto& slot = newest[latest_key];
            if (!slot.second || slot.first < upload) {
                slot = {upload, value};
            }
        } catch (...) {
            promise->set_exception(std::current_exception());
            std::lock_guard lock{cache_mutex};
            cache.erase(key); // a failure is not remembered: the next request tries again
            cache_order.remove(key);
        }
    };
    if (may_be_stale && fallback) {
        // Nobody has to wait: the newer analysis is computed aside, the reader gets the previous.
        std::lock_guard lock{background_mutex};
        background.remove_if([](const std::future<void>& f) {
            return f.wait_for(std::chrono::seconds{0}) == std::future_status::ready;
        });
        background.push_back(std::async(std::launch::async, [task] {
            lower_this_thread_priority();
            task();
        }));
        return fallback;
    }
    if (low_priority) {
        // On a thread of its own, so that the lowered priority dies with it.
        std::async(std::launch::async, [&task] {
            lower_this_thread_priority();
            task();
        }).wait();
    } else {
        task();
    }
    return future.get();
}

void Service::Impl::warm(std::int64_t upload) {
    std::vector<std::pair<Date, std::string>> hot;
    {
        std::lock_guard lock{cache_mutex};
        for (const auto& [latest_key, entry] : newest) {
            const auto bar = latest_key.find('|');
            if (const auto date = Date::parse(latest_key.substr(0, bar)); date && hot.size() < 8) {
                hot.emplace_back(*date, latest_key.substr(bar + 1));
            }
        }
    }
    for (const auto& [as_of, scope] : hot) {
        try {
            computed(upload, as_of, scope, false, true);
        } catch (const std::exception&) {
            // a reader asking for it will compute it and see the error itself
        }
    }
}

namespace {

std::int64_t known_upload(const Request& request, const StoreState& state) {
    if (const auto* text = param(request, "known_at")) {
        try {
            return store::resolve_known_at(state.uploads, *text);
        } catch (const UsageError& e) {
            throw HttpError(400, e.what());
        }
    }
    if (state.uploads.empty()) {
        throw HttpError(500, "the store has no uploads");
    }
    return state.uploads.back().id;
}

/// The upload log. A province token gets each upload's id, time, kind, operator and mode only:
/// what it needs to pick a `known_at` and to see when each operator reported. The account, the
/// file name, its SHA-256 and the row counts describe the uploader's national file (other
/// provinces' rows included) and are not the province's to read (docs/service.md).
Response uploads_response(const Request& request, const StoreState& state, bool province) {
    const auto* op = param(request, "operator");
    auto array = Json::array();
    for (const auto& upload : state.uploads) {
        if (op != nullptr && (upload.kind != store::UploadKind::stations || upload.operator_code != *op)) {
            continue;
        }
        if (province) {
            array.push_back(Json{{"id", upload.id},
                                 {"uploaded_at", upload.uploaded_at},
                                 {"kind", store::to_string(upload.kind)},
                                 {"operator", upload.operator_code.empty() ? Json() : Json(upload.operator_code)},
                                 {"mode", store::to_string(upload.mode)}});
        } else {
            array.push_back(store::upload_json(upload));
        }
    }
    Response response;
    response.body = array.dump(2) + '\n';
    return response;
}

/// "/api/layers/villages.geojson" → (index in layer_names, is FlatGeobuf); 404 otherwise.
std::pair<std::size_t, bool> layer_of(const std::string& path) {
    const std::string prefix = "/api/layers/";
    const auto file = path.substr(prefix.size());
    for (std::size_t i = 0; i < detail::layer_names.size(); ++i) {
        const std::string name = detail::layer_names[i];
        if (file == name + ".geojson") {
            return {i, false};
        }
        if (file == name + ".fgb") {
            return {i, true};
        }
    }
    throw HttpError(404, "no such layer: the layers are villages, commitments, coverage, gaps and stations, "
                         "as .geojson or .fgb");
}

} // namespace

Response Service::Impl::route(const Request& request, Response& response) {
    const auto& path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const auto token_text = bearer(request.authorization);
    if (token_text.empty()) {
        throw HttpError(401, "a token is required: send 'Authorization: Bearer TOKEN'");
    }
    auto state = current_state();
    const auto token = verify_token(state->tokens, token_text);
    if (!token) {
        throw HttpError(401, "unknown or revoked token");
    }
    response.who = describe(*token);
    const auto scope = scope_of(*token);

    if (path == "/api/uploads" && request.method == "POST") {
        auto result = detail::upload_response(options, request, *token);
        const auto fresh = current_state(true); // the next read sees the new upload
        if (result.status == 201 && !fresh->uploads.empty()) {
            warm(fresh->uploads.back().id);
        }
        result.who = response.who;
        return result;
    }
    if (!get) {
        throw HttpError(405, fmt::format("{} is not allowed on {}", request.method, path));
    }
    if (path == "/api/whoami") {
        Response out = detail::json_response(
            200, Json{{"role", store::to_string(token->role)},
                      {"scope", token->scope.empty() ? Json() : Json(token->scope)},
                      {"token_id", token->id}});
        out.who = response.who;
        return out;
    }
    if (path == "/api/uploads") {
        Response out = uploads_response(request, *state, token->role == store::TokenRole::province);
        out.who = response.who;
        return out;
    }
    const bool progress = path == "/api/progress";
    const bool layer = path.rfind("/api/layers/", 0) == 0;
    const bool village = path.rfind("/api/villages/", 0) == 0 && path.size() > 14;
    if (!progress && !layer && !village) {
        throw HttpError(404, "no such route: " + path);
    }
    const auto as_of = as_of_param(request);
    const auto box = layer ? bbox_param(request) : std::nullopt;
    const auto upload = known_upload(request, *state);
    auto entry = computed(upload, as_of, scope, param(request, "known_at") == nullptr);
    const auto used = entry->result.known_at.id; // an earlier upload when a newer one is being computed
    Response out;
    out.who = response.who;
    if (progress) {
        out.body = entry->progress_body;
        detail::encode_response(request, out, &entry->progress_gzip);
    } else if (layer) {
        out = layer_response(request, *entry, box, used, as_of, scope);
    } else {
        out = village_response(path.substr(14), *entry, used, as_of, scope);
    }
    out.who = response.who;
    return out;
}

Response Service::Impl::layer_response(const Request& request, detail::Computed& entry,
                                       const std::optional<detail::Bbox>& box, std::int64_t upload, Date as_of,
                                       const std::string& scope) {
    const auto [index, fgb] = layer_of(request.path);
    const auto& set = detail::layers_of(entry);
    const auto& layer = set.layers[index];
    Response out;
    out.content_type = fgb ? "application/octet-stream" : "application/geo+json";
    // A province token's analysis holds only its villages and commitments; the operators'
    // coverage and stations are cut to the province's extent.
    std::optional<detail::Bbox> cut = box;
    bool nothing = false;
    const bool operator_layer = index == 2 || index == 4;
    if (!scope.empty() && operator_layer) {
        if (!set.extent || (box && !detail::intersects(*box, *set.extent))) {
            nothing = true;
        } else {
            const auto& e = *set.extent;
            cut = box ? detail::Bbox{std::max((*box)[0], e[0]), std::max((*box)[1], e[1]), std::min((*box)[2], e[2]),
                                     std::min((*box)[3], e[3])}
                      : e;
        }
    }
    if (nothing) {
        cut = detail::Bbox{-180, -90, -180, -90}; // a corner no village touches
    }
    if (!cut) {
        out.body = fgb ? layer.fgb : layer.geojson;
        if (!fgb && detail::accepts_gzip(request.accept_encoding)) {
            detail::encode_response(request, out, &layer.geojson_gzip());
        }
        return out;
    }
    const auto& b = *cut;
    const auto key = fmt::format("{}|{}|{}|{}|{},{},{},{}", upload, as_of.iso(), scope, request.path, b[0], b[1], b[2], b[3]);
    {
        std::lock_guard lock{cache_mutex};
        if (const auto it = cuts.find(key); it != cuts.end()) {
            out.body = it->second->body;
            if (!fgb) {
                detail::encode_response(request, out, &it->second->gzipped);
            }
            return out;
        }
    }
    auto body = std::make_shared<Cut>();
    body->body = fgb ? detail::fgb_subset(layer, detail::layer_names[index], b) : detail::geojson_subset(layer, b);
    if (!fgb) {
        body->gzipped = detail::gzip(body->body);
    }
    out.body = body->body;
    if (!fgb) {
        detail::encode_response(request, out, &body->gzipped);
    }
    std::lock_guard lock{cache_mutex};
    if (cuts.size() >= 512) {
        cuts.clear(); // bounded memory; the next requests rebuild what they need
    }
    cuts.emplace(key, std::move(body));
    return out;
}

Response Service::Impl::village_response(const std::string& village_id, detail::Computed& entry, std::int64_t upload,
                                         Date as_of, const std::string& scope) {
    auto document = detail::village_json(entry.result, village_id);
    if (!document) {
        if (!scope.empty() && detail::village_json(computed(upload, as_of, "")->result, village_id)) {
            throw HttpError(403, fmt::format("village {} is not in province {}", village_id, scope));
        }
        throw HttpError(404, "no village " + village_id + " in the store");
    }
    return detail::json_response(200, *document);
}

Service::Service(ServiceOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
}

Service::~Service() = default;

const ServiceOptions& Service::options() const noexcept {
    return m_impl->options;
}

Response Service::handle(const Request& request) {
    auto out = m_impl->answer(request);
    try {
        detail::encode_response(request, out);
    } catch (const std::exception&) {
        out.headers.erase("Content-Encoding"); // zlib failed (memory): the body goes out as it is
    }
    return out;
}

Response Service::Impl::answer(const Request& request) {
    Response response;
    try {
        if (request.path == "/healthz") {
            if (request.method != "GET" && request.method != "HEAD") {
                throw HttpError(405, "only GET on /healthz");
            }
            return detail::json_response(200, Json{{"status", "ok"}});
        }
        // The dashboard's words: the report's own catalogues, as compiled into the binary.
        if (request.path == "/locale/en.json" || request.path == "/locale/vi.json") {
            if (request.method != "GET" && request.method != "HEAD") {
                throw HttpError(405, "only GET on " + request.path);
            }
            Response catalogue;
            catalogue.content_type = "application/json; charset=utf-8";
            catalogue.body = emit::catalogue_json(request.path == "/locale/vi.json" ? Language::vi : Language::en);
            return catalogue;
        }
        if (request.path.rfind("/api/", 0) != 0 && request.path != "/api") {
            if (request.method != "GET" && request.method != "HEAD") {
                throw HttpError(405, fmt::format("{} is not allowed on {}", request.method, request.path));
            }
            return detail::static_file(options.web_root, request.path);
        }
        return route(request, response);
    } catch (const HttpError& e) {
        auto out = detail::error_response(e.status(), e.what());
        out.who = response.who;
        return out;
    } catch (const InputError& e) {
        auto out = detail::json_response(422, Json{{"error", "upload refused: nothing was recorded"},
                                                   {"problems", pipeline::problems_json(e.problems())}});
        out.who = response.who;
        return out;
    } catch (const UsageError& e) {
        auto out = detail::error_response(400, e.what());
        out.who = response.who;
        return out;
    } catch (const std::exception& e) {
        auto out = detail::error_response(500, e.what());
        out.who = response.who;
        return out;
    }
}

} // namespace deadzone::service
