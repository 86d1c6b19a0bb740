// Compression and ranges over real HTTP: the cached answers are gzipped once for clients that
// accept gzip (the same bytes each time, decoding to exactly the plain body), never for those
// that refuse it, and FlatGeobuf layers answer Range requests with 206 and the right bytes.
#include "service_support.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace deadzone;
using deadzone::test::Served;

namespace {

httplib::Headers with(httplib::Headers headers, const std::string& accept_encoding) {
    headers.emplace("Accept-Encoding", accept_encoding);
    return headers;
}

bool is_gzip(const std::string& body) {
    return body.size() > 18 && static_cast<unsigned char>(body[0]) == 0x1f && static_cast<unsigned char>(body[1]) == 0x8b;
}

} // namespace

TEST_CASE("progress and layers are gzipped once for clients that accept gzip, and only for them") {
    Served s;
    auto raw = s.client();
    raw.set_decompress(false); // to see the bytes on the wire
    auto decoding = s.client(); // httplib decodes gzip itself
    const auto h = s.bearer(s.viewer);

    for (const std::string path : {"/api/progress?as_of=2022-06-30", "/api/layers/villages.geojson?as_of=2022-06-30",
                                   "/api/layers/villages.geojson?as_of=2022-06-30&bbox=104.0,21.5,105.5,23.0"}) {
        INFO(path);
        const auto plain = raw.Get(path, with(h, "identity"));
        REQUIRE(plain->status == 200);
        CHECK(!plain->has_header("Content-Encoding"));
        CHECK(plain->get_header_value("Vary") == "Accept-Encoding");
        CHECK(!is_gzip(plain->body));

        for (const std::string accept : {"gzip", "gzip, deflate, br", "br;q=1, GZIP;q=0.5", "*", "x-gzip"}) {
            INFO(accept);
            const auto packed = raw.Get(path, with(h, accept));
            REQUIRE(packed->status == 200);
            CHECK(packed->get_header_value("Content-Encoding") == "gzip");
            CHECK(packed->get_header_value("Vary") == "Accept-Encoding");
            CHECK(is_gzip(packed->body));
            CHECK(packed->body.size() * 3 < plain->body.size()); // GeoJSON and JSON shrink well
            CHECK(raw.Get(path, with(h, accept))->body == packed->body); // cached: the same bytes
        }
        // Refused, or only codings we do not offer: the plain body.
        for (const std::string accept : {"gzip;q=0", "br", "deflate", "*;q=0", "gzip;q=zero", "identity, *;q=0"}) {
            INFO(accept);
            const auto r = raw.Get(path, with(h, accept));
            REQUIRE(r->status == 200);
            CHECK(!r->has_header("Content-Encoding"));
            CHECK(r->body == plain->body);
        }
        // Decoded by the client, the gzip body is the plain body byte for byte.
        const auto decoded = decoding.Get(path, with(h, "gzip"));
        REQUIRE(decoded->status == 200);
        CHECK(decoded->body == plain->body);
    }
    // Small answers are not worth it; errors neither.
    const auto small = raw.Get("/api/whoami", with(h, "gzip"));
    REQUIRE(small->status == 200);
    CHECK(!small->has_header("Content-Encoding"));
    CHECK(raw.Get("/api/progress?as_of=yesterday", with(h, "gzip"))->body.front() == '{');
}

TEST_CASE("a FlatGeobuf layer answers Range requests with 206 and exactly those bytes") {
    Served s;
    auto c = s.client();
    const auto h = s.bearer(s.viewer);
    const auto whole = c.Get("/api/layers/villages.fgb?as_of=2022-06-30", h);
    REQUIRE(whole->status == 200);
    CHECK(!whole->has_header("Content-Encoding")); // binary: sent as it is, so ranges are of the file
    REQUIRE(whole->body.size() > 2000);

    auto headers = h;
    headers.emplace("Range", "bytes=0-99");
    const auto head = c.Get("/api/layers/villages.fgb?as_of=2022-06-30", headers);
    REQUIRE(head->status == 206);
    CHECK(head->body == whole->body.substr(0, 100));
    CHECK(head->get_header_value("Content-Range") == "bytes 0-99/" + std::to_string(whole->body.size()));

    headers = h;
    headers.emplace("Range", "bytes=1000-1999");
    const auto middle = c.Get("/api/layers/villages.fgb?as_of=2022-06-30", headers);
    REQUIRE(middle->status == 206);
    CHECK(middle->body == whole->body.substr(1000, 1000));
}
