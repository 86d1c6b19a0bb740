// cpp-httplib around Service: one catch-all handler per method turns an httplib request into a
// service::Request and back; limits and the access log live here, nothing else.
#include <deadzone/service/server.hpp>

#include <deadzone/core/error.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <iostream>

namespace deadzone::service {

namespace {

// The thread that reads a request also writes it and logs it (httplib's model): the start
// time and the token's description travel with it here.
thread_local std::chrono::steady_clock::time_point t_started;
thread_local std::string t_who;

std::string error_body(const std::string& message) {
    return nlohmann::ordered_json{{"error", message}}.dump(2) + '\n';
}

Request to_request(const httplib::Request& req) {
    Request out;
    out.method = req.method;
    out.path = req.path;
    for (const auto& [key, value] : req.params) {
        out.query.emplace(key, value);
    }
    out.authorization = req.get_header_value("Authorization");
    out.content_type = req.get_header_value("Content-Type");
    out.accept_encoding = req.get_header_value("Accept-Encoding");
    out.body = req.body;
    return out;
}

} // namespace

std::pair<std::string, int> parse_listen(const std::string& text) {
    const auto colon = text.rfind(':');
    std::string host = colon == std::string::npos ? std::string{"127.0.0.1"} : text.substr(0, colon);
    const std::string port_text = colon == std::string::npos ? text : text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2); // [::1]:8080
    }
    int port = -1;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
        throw UsageError(fmt::format("--listen '{}': expected HOST:PORT, e.g. 127.0.0.1:8080 (port 0 = any free port)",
                                     store::escape_log_text(text)));
    }
    return {host.empty() ? std::string{"0.0.0.0"} : host, port};
}

struct Server::Impl {
    Service& service;
    ServerOptions options;
    std::unique_ptr<httplib::Server> http;
    int port = -1;
    bool tls = false;

    Impl(Service& s, ServerOptions o) : service(s), options(std::move(o)) {}
    void configure();
    void log(const httplib::Request& req, const httplib::Response& res) const;
};

void Server::Impl::log(const httplib::Request& req, const httplib::Response& res) const {
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_started).count();
    // Our answers go out through a content provider (content_length_), httplib's own in body.
    const auto bytes = res.body.empty() ? res.content_length_ : res.body.size();
    const auto line = fmt::format("{} {} {} {} {:.1f}ms {}", store::escape_log_text(req.method),
                                  store::escape_log_text(req.path), res.status, bytes, ms,
                                  t_who.empty() ? std::string{"-"} : store::escape_log_text(t_who));
    if (options.log) {
        options.log(line);
    } else {
        std::cerr << line + "\n";
    }
}

void Server::Impl::configure() {
    const auto max_body = service.options().max_upload_bytes;
    http->set_payload_max_length(static_cast<std::size_t>(max_body));
    http->set_read_timeout(options.read_timeout_s, 0);
    http->set_write_timeout(options.write_timeout_s, 0);
    http->set_keep_alive_timeout(options.keep_alive_timeout_s);
    http->set_keep_alive_max_count(1000);
    // Headers and body are separate writes: without TCP_NODELAY a small answer's last segment
    // waits for the client's delayed ACK (40 ms on Linux), which wrk saw as a 24-43 ms median.
    http->set_tcp_nodelay(true);
    const auto threads = static_cast<std::size_t>(std::max(1, options.threads));
    http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

    // Before the body is read: a declared length over the limit is refused at once, and the
    // connection closed, so a 2 GB Content-Length costs nothing.
    http->set_pre_routing_handler([max_body](const httplib::Request& req, httplib::Response& res) {
        t_started = std::chrono::steady_clock::now();
        t_who.clear();
        const auto length = req.get_header_value("Content-Length");
        std::uint64_t declared = 0;
        const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), declared);
        if (!length.empty() && (ec != std::errc{} || end != length.data() + length.size())) {
            res.status = 400;
            res.set_content(error_body("Content-Length is not a number"), "application/json");
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        }
        if (declared > max_body) {
            res.status = 413;
            res.set_content(error_body(fmt::format("the upload is over the limit of {} bytes", max_body)),
                            "application/json");
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // The finished bytes go to httplib through a content provider: it then neither copies them
    // nor compresses them again (the service has chosen the encoding, see encoding.cpp), and it
    // still answers Range requests on them (206, e.g. a FlatGeobuf client reading its index).
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
        auto response = service.handle(to_request(req));
        t_who = response.who;
        // A 200 is left for httplib to set: 206 when it serves a Range of the body.
        res.status = response.status == 200 ? -1 : response.status;
        for (const auto& [key, value] : response.headers) {
            res.set_header(key, value);
        }
        if (response.body.empty()) {
            res.set_content("", response.content_type);
            return;
        }
        auto body = std::make_shared<const std::string>(std::move(response.body));
        res.set_content_provider(body->size(), response.content_type,
                                 [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                     return sink.write(body->data() + offset, length);
                                 });
    };
    http->Get(".*", handler);
    http->Post(".*", handler);
    http->Put(".*", handler);
    http->Delete(".*", handler);
    http->Patch(".*", handler);
    // httplib's own refusals (bad request line, body over the limit while reading) get a JSON body.
    http->set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty() && res.content_length_ == 0) { // not one of ours (those are provided)
            res.set_content(error_body(res.status == 413 ? "the upload is over the size limit"
                                       : res.status == 404 ? "not found"
                                                           : fmt::format("HTTP {}", res.status)),
                            "application/json");
        }
    });
    http->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content(error_body("internal error"), "application/json");
    });
    http->set_logger([this](const httplib::Request& req, const httplib::Response& res) { log(req, res); });
}

Server::Server(Service& service, ServerOptions options) : m_impl(std::make_unique<Impl>(service, std::move(options))) {
    auto& o = m_impl->options;
    if (o.tls_cert.empty() != o.tls_key.empty()) {
        throw UsageError("serve: --tls-cert and --tls-key go together");
    }
    if (!o.tls_cert.empty()) {
        auto tls_server = std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
        if (!tls_server->is_valid()) {
            throw Failure(fmt::format("serve: cannot use the TLS certificate {} with the key {} (unreadable, not PEM, "
                                      "or they do not match)",
                                      o.tls_cert, o.tls_key));
        }
        m_impl->http = std::move(tls_server);
        m_impl->tls = true;
    } else {
        m_impl->http = std::make_unique<httplib::Server>();
    }
    m_impl->configure();
}

Server::~Server() = default;

int Server::bind() {
    auto& o = m_impl->options;
    if (o.port == 0) {
        m_impl->port = m_impl->http->bind_to_any_port(o.host);
    } else {
        m_impl->port = m_impl->http->bind_to_port(o.host, o.port) ? o.port : -1;
    }
    if (m_impl->port <= 0) {
        throw Failure(fmt::format("serve: cannot listen on {}:{} (in use, or not an address of this machine)", o.host,
                                  o.port));
    }
    return m_impl->port;
}

void Server::run() {
    m_impl->http->listen_after_bind();
}

void Server::stop() {
    m_impl->http->stop();
}

int Server::port() const noexcept {
    return m_impl->port;
}

bool Server::tls() const noexcept {
    return m_impl->tls;
}

} // namespace deadzone::service
