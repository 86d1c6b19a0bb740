// service: `deadzone serve`'s request handling as a pure function Request → Response over the
// same library calls as the CLI (pipeline::analyze_store, report_json, emit::write_layers,
// store::import_*), with token checks, province scoping and a cache of computed reads.
// No socket here: server.hpp puts it behind cpp-httplib; tests call it either way.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace deadzone::service {

struct ServiceOptions {
    std::string store;                  // as given to store::open_store
    std::filesystem::path web_root;     // the dashboard's files; empty = no static files
    std::uint64_t max_upload_bytes = 64ull << 20;
    int analysis_threads = 0;           // 0 = all cores
    /// How old the cached upload log and token list may be before they are read again, so that
    /// an import or a `token revoke` made by another process is seen within this time.
    std::chrono::milliseconds refresh{1000};
    std::size_t cached_analyses = 16;   // (upload, as_of, scope) analyses kept in memory
};

struct Request {
    std::string method;                          // "GET", "POST", ...
    std::string path;                            // decoded, without the query
    std::multimap<std::string, std::string> query; // decoded parameters
    std::string authorization;                   // the Authorization header
    std::string content_type;
    std::string accept_encoding;                 // the Accept-Encoding header: gzip when it allows
    std::string body;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::string who; // the token's role and scope for the log ("operator VTL"), never the token
    std::map<std::string, std::string> headers;
};

class Service {
public:
    explicit Service(ServiceOptions options);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    /// Never throws: every failure is a JSON {"error": "..."} with its status.
    Response handle(const Request& request);
    const ServiceOptions& options() const noexcept;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace deadzone::service
