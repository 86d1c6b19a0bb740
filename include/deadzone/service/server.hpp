// service/server: the Service behind a real HTTP(S) server (cpp-httplib, OpenSSL for TLS), with
// explicit limits — body size checked from Content-Length before any of the body is read, read
// and write timeouts for slow clients, a fixed worker pool — and one log line per request.
#pragma once

#include <deadzone/service/service.hpp>

#include <functional>
#include <memory>
#include <string>

namespace deadzone::service {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                 // 0 = any free port (see Server::port after bind)
    std::string tls_cert;            // PEM; with tls_key: HTTPS, else HTTP
    std::string tls_key;
    int threads = 32;                // worker threads; a keep-alive connection holds one while open
    int read_timeout_s = 10;         // a client silent this long mid-request is dropped
    int write_timeout_s = 10;
    int keep_alive_timeout_s = 5;
    /// One line per request: "METHOD PATH STATUS BYTES MS WHO", text from outside escaped.
    std::function<void(const std::string&)> log;
};

class Server {
public:
    Server(Service& service, ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds the socket (Failure naming host:port when it cannot, or when TLS files are bad);
    /// returns the port bound.
    int bind();
    /// Serves until stop(); call after bind().
    void run();
    void stop();
    int port() const noexcept;
    bool tls() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Parses "HOST:PORT" or ":PORT" or "PORT" (UsageError when malformed).
std::pair<std::string, int> parse_listen(const std::string& text);

} // namespace deadzone::service
