// Hostile requests: path traversal, a 2 GB Content-Length, a client that never finishes its
// request, garbage; the server answers cleanly and stays up. And HTTPS with a self-signed cert.
#include "service_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

using namespace deadzone;
using deadzone::test::Served;

TEST_CASE("static files: the dashboard is served, nothing outside its folder is") {
    Served s;
    auto c = s.client();
    auto r = c.Get("/");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(r->body.find("deadzone") != std::string::npos);
    r = c.Get("/assets/app.js");
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(c.Get("/assets/leak.txt")->status == 404); // a symlink out of the root
    CHECK(c.Get("/assets/missing.js")->status == 404);
    CHECK(c.Post("/index.html", "x", "text/plain")->status == 405);
    for (const auto* path : {"/../../etc/passwd", "/assets/../../secret.txt", "/%2e%2e/%2e%2e/etc/passwd",
                             "/assets/%2e%2e/%2e%2e/secret.txt", "//etc/passwd", "/assets/..%2f..%2fsecret.txt"}) {
        const auto raw = test::raw_exchange(s.port, std::string{"GET "} + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        INFO(path, "\n", raw);
        CHECK((raw.rfind("HTTP/1.1 404", 0) == 0 || raw.rfind("HTTP/1.1 400", 0) == 0));
        CHECK(raw.find("root:") == std::string::npos);
        CHECK(raw.find("secret outside") == std::string::npos);
    }
}

TEST_CASE("a 2 GB Content-Length is refused before its body, a slow client is dropped, garbage gets 400") {
    Served s;
    const auto started = std::chrono::steady_clock::now();
    const auto raw = test::raw_exchange(s.port,
                                        "POST /api/uploads?kind=stations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                            s.vtl + "\r\nContent-Type: text/csv\r\nContent-Length: 2147483648\r\n\r\nop",
                                        5000, "}\n");
    const auto elapsed = std::chrono::steady_clock::now() - started;
    INFO(raw);
    CHECK(raw.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(raw.find("\"error\"") != std::string::npos);
    CHECK(elapsed < std::chrono::seconds{3}); // answered at once, not after reading 2 GB

    // A client that sends half a request line and waits: dropped after the read timeout (2 s
    // here), while others are served meanwhile.
    std::string slow_reply;
    std::chrono::steady_clock::duration slow_elapsed{};
    std::thread slow([&] {
        const auto t0 = std::chrono::steady_clock::now();
        slow_reply = test::raw_exchange(s.port, "GET /healthz HTTP/1.1\r\nHost:", 15000);
        slow_elapsed = std::chrono::steady_clock::now() - t0;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
    auto c = s.client();
    CHECK(c.Get("/healthz")->status == 200);
    slow.join();
    CHECK(slow_elapsed < std::chrono::seconds{10});
    CHECK(slow_reply.find("200 OK") == std::string::npos);

    const auto garbage = test::raw_exchange(s.port, "HELLO WORLD\r\n\r\n");
    CHECK(garbage.rfind("HTTP/1.1 400", 0) == 0);
    const auto bad_length = test::raw_exchange(
        s.port, "POST /api/uploads HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\nConnection: close\r\n\r\n");
    CHECK(bad_length.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(c.Get("/healthz")->status == 200); // still up
}

TEST_CASE("HTTPS with a self-signed certificate") {
    test::ServedOptions options;
    options.tls = true;
    Served s{options};
    httplib::SSLClient tls{"127.0.0.1", s.port};
    tls.enable_server_certificate_verification(false);
    auto r = tls.Get("/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
    r = tls.Get("/api/whoami", s.bearer(s.department));
    REQUIRE(r);
    CHECK(nlohmann::json::parse(r->body)["role"] == "department");
    // Plain HTTP to the TLS port gets no HTTP answer.
    httplib::Client plain{"127.0.0.1", s.port};
    plain.set_read_timeout(3, 0);
    const auto p = plain.Get("/healthz");
    CHECK((!p || p->status != 200));
}
