#include "command.hpp"

#include <deadzone/core/text.hpp>
#include <deadzone/service/server.hpp>
#include <deadzone/service/service.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>

#include <csignal>
#include <mutex>
#include <ostream>
#include <pthread.h>
#include <thread>

#ifndef DEADZONE_WEB_ROOT
#define DEADZONE_WEB_ROOT ""
#endif

namespace deadzone::cli {

namespace {

class ServeCommand final : public Command {
public:
    const char* name() const override { return "serve"; }
    const char* summary() const override {
        return "Serve a store over HTTP(S): uploads with tokens, the JSON/GeoJSON API and the web dashboard";
    }

    void setup(CLI::App& app) override {
        app.add_option("store", m_store, "The store")->required();
        app.add_option("--listen", m_listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 = any free port)");
        app.add_option("--tls-cert", m_cert, "PEM certificate: serve HTTPS (with --tls-key)");
        app.add_option("--tls-key", m_key, "PEM private key of --tls-cert");
        app.add_option("--threads", m_threads, "Connection worker threads; each open keep-alive connection holds one (default 32)")->check(CLI::Range(1, 256));
        app.add_option("--max-upload-mb", m_max_upload_mb, "Largest upload accepted, in MB (default 64)")
            ->check(CLI::Range(1, 4096));
        app.add_option("--web-root", m_web_root, "Folder of the dashboard's files (default: the source tree's web/)");
    }

    int run(Context& context) override {
        const auto [host, port] = service::parse_listen(m_listen);
        // Fail now, not at the first request, when the store cannot be opened.
        const auto tokens = store::open_store(m_store)->tokens();
        service::ServiceOptions options;
        options.store = m_store;
        options.web_root = m_web_root.empty() ? std::string{DEADZONE_WEB_ROOT} : m_web_root;
        options.max_upload_bytes = static_cast<std::uint64_t>(m_max_upload_mb) << 20;
        service::Service service{options};
        service::ServerOptions server_options;
        server_options.host = host;
        server_options.port = port;
        server_options.tls_cert = m_cert;
        server_options.tls_key = m_key;
        server_options.threads = m_threads;
        auto& err = context.err;
        std::mutex log_mutex;
        server_options.log = [&err, &log_mutex](const std::string& line) {
            std::lock_guard lock{log_mutex};
            err << line << '\n' << std::flush;
        };
        service::Server server{service, server_options};

        // SIGINT/SIGTERM end the server cleanly: blocked here (inherited by every worker), taken
        // by one thread with sigwait, which stops the server outside any signal handler.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        const int bound = server.bind();
        std::size_t active = 0;
        for (const auto& t : tokens) {
            active += t.revoked_at ? 0 : 1;
        }
        err << fmt::format("Serving {} on {}://{}:{}/ ({} active token{}){}\n", escape_for_terminal(m_store),
                           server.tls() ? "https" : "http", host, bound, active, active == 1 ? "" : "s",
                           active == 0 ? "; issue one with 'deadzone token add STORE --role viewer'" : "")
            << std::flush;
        std::thread waiter([&server, signals] {
            int signal = 0;
            sigwait(&signals, &signal);
            server.stop();
        });
        server.run();
        pthread_kill(waiter.native_handle(), SIGTERM); // wakes the waiter when the server stopped on its own
        waiter.join();
        pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
        err << "Stopped.\n";
        return ExitCode::ok;
    }

private:
    std::string m_store;
    std::string m_listen = "127.0.0.1:8080";
    std::string m_cert;
    std::string m_key;
    int m_threads = 32;
    int m_max_upload_mb = 64;
    std::string m_web_root;
};

} // namespace

std::unique_ptr<Command> make_serve_command() {
    return std::make_unique<ServeCommand>();
}

} // namespace deadzone::cli
