// Response compression: gzip for clients that accept it, done once per cached body (the progress
// document and the layers are compressed when they are computed, not per request) and on the
// fly for the other compressible answers. cpp-httplib's own compression is bypassed (server.cpp
// hands it the finished bytes): it would compress every response again, with brotli at quality
// 11 when the client offers it — 350 ms of CPU for one 230 kB progress document.
#include "service_impl.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace deadzone::service::detail {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

/// The q value of one Accept-Encoding element ("gzip;q=0.5" → 0.5); 1 when absent, 0 when
/// unreadable (a malformed preference is not taken as consent).
double quality(std::string_view parameters) {
    while (!parameters.empty()) {
        const auto semicolon = parameters.find(';');
        const auto item = trim(parameters.substr(0, semicolon));
        parameters = semicolon == std::string_view::npos ? std::string_view{} : parameters.substr(semicolon + 1);
        if (item.size() >= 2 && (item[0] == 'q' || item[0] == 'Q') && item[1] == '=') {
            const std::string value{item.substr(2)};
            if (value.empty() || value.size() > 5) {
                return 0;
            }
            char* end = nullptr;
            const double q = std::strtod(value.c_str(), &end);
            return end == value.c_str() + value.size() && q >= 0 && q <= 1 ? q : 0;
        }
    }
    return 1;
}

bool compressible(const std::string& content_type) {
    const std::string_view type = content_type;
    return type.rfind("application/json", 0) == 0 || type.rfind("application/geo+json", 0) == 0 ||
           type.rfind("text/", 0) == 0 || type.rfind("image/svg+xml", 0) == 0;
}

} // namespace

bool accepts_gzip(std::string_view accept_encoding) {
    std::optional<double> gzip;
    std::optional<double> any;
    while (!accept_encoding.empty()) {
        const auto comma = accept_encoding.find(',');
        const auto element = accept_encoding.substr(0, comma);
        accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
        const auto semicolon = element.find(';');
        const auto coding = trim(element.substr(0, semicolon));
        const double q = semicolon == std::string_view::npos ? 1.0 : quality(element.substr(semicolon + 1));
        if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
            gzip = q;
        } else if (coding == "*") {
            any = q;
        }
    }
    return gzip ? *gzip > 0 : any && *any > 0;
}

std::string gzip(std::string_view data) {
    if (data.size() > (1ull << 31)) {
        throw std::runtime_error("gzip: a body over 2 GiB is not compressed");
    }
    z_stream stream{};
    // 15 + 16: a gzip wrapper with a zero time stamp and no file name, so the same bytes compress
    // to the same bytes.
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("gzip: zlib could not start");
    }
    std::string out;
    out.resize(deflateBound(&stream, static_cast<uLong>(data.size())) + 32);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    const auto written = stream.total_out;
    deflateEnd(&stream);
    if (status != Z_STREAM_END) {
        throw std::runtime_error(fmt::format("gzip: zlib stopped with status {}", status));
    }
    out.resize(written);
    return out;
}

void encode_response(const Request& request, Response& response, const std::string* gzipped) {
    if (!compressible(response.content_type) || response.headers.count("Content-Encoding")) {
        return;
    }
    response.headers["Vary"] = "Accept-Encoding";
    if (!accepts_gzip(request.accept_encoding)) {
        return;
    }
    if (gzipped) {
        response.body = *gzipped;
    } else if (response.body.size() >= min_gzip_bytes) {
        response.body = gzip(response.body);
    } else {
        return;
    }
    response.headers["Content-Encoding"] = "gzip";
}

} // namespace deadzone::service::detail
