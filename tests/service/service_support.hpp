// Test support for the HTTP service: the sample campaign as a store (built once per run with
// the real binary), and a server started in-process on a free port over a copy of it, with one
// token per role.
#pragma once

#include "../cli/cli_support.hpp"

#include <deadzone/service/server.hpp>
#include <deadzone/service/service.hpp>

#include <httplib.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace deadzone::test {

/// The sample (geodata/) as a store: init, then each operator's station files. Built once.
const std::filesystem::path& sample_store();

struct ServedOptions {
    bool tls = false;
    std::uint64_t max_upload_bytes = 1 << 20;
    int read_timeout_s = 2;
};

class Served {
public:
    explicit Served(const ServedOptions& options = {});
    ~Served();
    Served(const Served&) = delete;
    Served& operator=(const Served&) = delete;

    httplib::Client client() const;
    httplib::Headers bearer(const std::string& token) const { return {{"Authorization", "Bearer " + token}}; }
    std::vector<std::string> log_lines() const;

    TempDir dir{"deadzone-service-test"};
    std::filesystem::path store;
    std::filesystem::path web;
    std::string department, viewer, vtl, vnp, mbf, province, tester;
    std::string province_name;       // the province of the province token
    std::string own_village;         // a village of that province
    std::string other_village;       // a village of another province
    int port = 0;
    std::filesystem::path cert, key;

private:
    std::unique_ptr<service::Service> m_service;
    std::unique_ptr<service::Server> m_server;
    std::thread m_thread;
    mutable std::mutex m_log_mutex;
    std::vector<std::string> m_log;
};

/// Sends raw bytes on a fresh TCP connection to 127.0.0.1:port and returns all it gets back
/// within `wait_ms`, until the server closes or, when `until` is not empty, until the reply
/// holds `until`.
std::string raw_exchange(int port, const std::string& bytes, int wait_ms = 3000, const std::string& until = {});

std::string sha256_of_file(const std::filesystem::path& file);

} // namespace deadzone::test
