// JSON responses and errors (the import report and log entries are store/import_report's), and
// the dashboard's static files.
#include "service_impl.hpp"

#include <deadzone/store/import_report.hpp>

#include <fstream>
#include <sstream>

namespace deadzone::service::detail {

using Json = nlohmann::ordered_json;

Response json_response(int status, const Json& body) {
    Response response;
    response.status = status;
    response.body = store::json_text(body);
    return response;
}

Response error_response(int status, const std::string& message) {
    return json_response(status, Json{{"error", message}});
}

namespace {

std::string content_type_of(const std::filesystem::path& file) {
    static const std::pair<const char*, const char*> types[] = {
        {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},           {".geojson", "application/geo+json"},
        {".svg", "image/svg+xml"},               {".png", "image/png"},
        {".jpg", "image/jpeg"},                  {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},                {".woff", "font/woff"},
        {".map", "application/json"},            {".txt", "text/plain; charset=utf-8"},
        {".fgb", "application/octet-stream"},    {".pbf", "application/x-protobuf"},
    };
    const auto ext = file.extension().string();
    for (const auto& [e, type] : types) {
        if (ext == e) {
            return type;
        }
    }
    return "application/octet-stream";
}

} // namespace

Response static_file(const std::filesystem::path& root, const std::string& path) {
    // The path arrives percent-decoded; refuse anything that could step out of the root before
    // touching the file system, then check where the file really is (symlinks included).
    if (root.empty() || path.empty() || path[0] != '/' || path.find('\0') != std::string::npos ||
        path.find('\\') != std::string::npos) {
        return error_response(404, "not found");
    }
    std::string relative = path == "/" ? "index.html" : path.substr(1);
    std::filesystem::path rel{relative};
    for (const auto& part : rel) {
        if (part == ".." || part == "." || part.string().empty() || part.is_absolute()) {
            return error_response(404, "not found");
        }
    }
    std::error_code ec;
    const auto real_root = std::filesystem::canonical(root, ec);
    if (ec) {
        return error_response(404, "not found");
    }
    const auto real_file = std::filesystem::canonical(real_root / rel, ec);
    if (ec || !std::filesystem::is_regular_file(real_file, ec)) {
        return error_response(404, "not found");
    }
    const auto root_text = real_root.string() + "/";
    if (real_file.string().compare(0, root_text.size(), root_text) != 0) {
        return error_response(404, "not found"); // a symlink pointing out of the root
    }
    std::ifstream in(real_file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    Response response;
    response.content_type = content_type_of(real_file);
    response.body = text.str();
    response.headers["X-Content-Type-Options"] = "nosniff";
    return response;
}

} // namespace deadzone::service::detail
