#include "service_support.hpp"

#include <deadzone/service/tokens.hpp>
#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

namespace deadzone::test {

namespace fs = std::filesystem;

const fs::path& sample_store() {
    static TempDir dir{"deadzone-service-sample"};
    static const fs::path store = [] {
        const auto path = dir.path() / "sample.gpkg";
        const std::string geodata = std::string{DEADZONE_SOURCE_DIR} + "/geodata";
        const std::vector<std::vector<std::string>> steps = {
            {"init", path.string(), "--campaign", geodata + "/campaign_flat.json"},
            {"import", path.string(), "--stations", geodata + "/stations/viettel.csv", "--operator", "VTL"},
            {"import", path.string(), "--stations", geodata + "/stations/vinaphone.geojson", "--operator", "VNP"},
            {"import", path.string(), "--stations", geodata + "/stations/mobifone.gpkg", "--operator", "MBF"},
            {"import", path.string(), "--stations", geodata + "/stations/mobifone_opencellid.csv", "--operator", "MBF",
             "--mode", "upsert"},
        };
        for (const auto& step : steps) {
            const auto result = run_deadzone(step);
            INFO(result.err);
            REQUIRE(result.exit_code == 0);
        }
        return path;
    }();
    return store;
}

Served::Served(const ServedOptions& options) {
    store = dir.path() / "store.gpkg";
    fs::copy_file(sample_store(), store);
    {
        auto opened = store::open_store(store.string());
        const auto issue = [&](store::TokenRole role, const std::string& scope) {
            return service::issue_token(*opened, role, scope, "test").token;
        };
        department = issue(store::TokenRole::department, "");
        viewer = issue(store::TokenRole::viewer, "");
        tester = issue(store::TokenRole::tester, "");
        vtl = issue(store::TokenRole::operator_role, "VTL");
        vnp = issue(store::TokenRole::operator_role, "VNP");
        mbf = issue(store::TokenRole::operator_role, "MBF");
        const auto villages = opened->snapshot().inputs.villages;
        REQUIRE(villages.size() > 2);
        province_name = villages.front().province;
        own_village = villages.front().id;
        for (const auto& v : villages) {
            if (v.province != province_name) {
                other_village = v.id;
                break;
            }
        }
        REQUIRE(!other_village.empty());
        province = issue(store::TokenRole::province, province_name);
    }
    // A web root with a page, an asset, and a symlink pointing out of it.
    web = dir.path() / "web";
    fs::create_directories(web / "assets");
    std::ofstream{web / "index.html"} << "<!doctype html><title>deadzone</title>\n";
    std::ofstream{web / "assets" / "app.js"} << "console.log('deadzone');\n";
    std::ofstream{dir.path() / "secret.txt"} << "secret outside the web root\n";
    fs::create_symlink(dir.path() / "secret.txt", web / "assets" / "leak.txt");

    service::ServiceOptions service_options;
    service_options.store = store.string();
    service_options.web_root = web;
    service_options.max_upload_bytes = options.max_upload_bytes;
    service_options.refresh = std::chrono::milliseconds{0}; // tests see every change at once
    m_service = std::make_unique<service::Service>(service_options);

    service::ServerOptions server_options;
    server_options.port = 0;
    server_options.threads = 6;
    server_options.read_timeout_s = options.read_timeout_s;
    server_options.log = [this](const std::string& line) {
        std::lock_guard lock{m_log_mutex};
        m_log.push_back(line);
    };
    if (options.tls) {
        cert = dir.path() / "cert.pem";
        key = dir.path() / "key.pem";
        const auto command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout '" +
                             key.string() + "' -out '" + cert.string() + "' 2>/dev/null";
        REQUIRE(std::system(command.c_str()) == 0);
        server_options.tls_cert = cert.string();
        server_options.tls_key = key.string();
    }
    m_server = std::make_unique<service::Server>(*m_service, server_options);
    port = m_server->bind();
    m_thread = std::thread([this] { m_server->run(); });
}

Served::~Served() {
    m_server->stop();
    m_thread.join();
}

httplib::Client Served::client() const {
    httplib::Client client{"127.0.0.1", port};
    client.set_read_timeout(120, 0);
    return client;
}

std::vector<std::string> Served::log_lines() const {
    std::lock_guard lock{m_log_mutex};
    return m_log;
}

std::string raw_exchange(int port, const std::string& bytes, int wait_ms, const std::string& until) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return "(connect failed)";
    }
    if (!bytes.empty()) {
        (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds{wait_ms};
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) {
            continue;
        }
        char buffer[4096];
        const auto n = recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            break; // closed by the server
        }
        out.append(buffer, static_cast<std::size_t>(n));
        if (!until.empty() && out.find(until) != std::string::npos) {
            break;
        }
    }
    close(fd);
    return out;
}

std::string sha256_of_file(const fs::path& file) {
    return store::sha256_file(file);
}

} // namespace deadzone::test
