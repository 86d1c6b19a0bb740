// Uploads over HTTP: the import report, ownership (an operator can never change another's cells),
// refusals leaving the store file byte-identical, size limits, three operators at once.
#include "service_support.hpp"

#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

using namespace deadzone;
using deadzone::test::Served;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

const std::string geodata = std::string{DEADZONE_SOURCE_DIR} + "/geodata";

std::size_t current_cells(const fs::path& store_file, const std::string& op) {
    auto store = store::open_store(store_file.string());
    std::size_t n = 0;
    for (const auto& c : store->snapshot().inputs.cells) {
        n += c.operator_code == op ? 1 : 0;
    }
    return n;
}

std::string one_new_cell(const std::string& op, const std::string& site) {
    return "operator,site_id,cell_id,lon,lat,tech,status,on_air_date\n" + op + "," + site +
           ",1,105.5,22.5,4G,on_air,2022-06-01\n";
}

} // namespace

TEST_CASE("an operator uploads its stations and gets the import report") {
    Served s;
    auto c = s.client();
    auto text = test::read_file(geodata + "/stations/viettel.csv");
    // Every on-air date 2012-10-10 of site BKN0001 a day later: a real change of its cells.
    const auto changed = std::regex_replace(text, std::regex{"(VTL,BKN0001,[^\\n]*on_air,)2012-10-10"}, "$012012-10-11");
    REQUIRE(changed != text);
    const auto before = store::open_store(s.store.string())->uploads().back().id;
    // Read once first: the dashboard's query is then recomputed by the upload itself.
    const auto earlier = Json::parse(c.Get("/api/progress?as_of=2022-06-30", s.bearer(s.viewer))->body);
    CHECK(earlier["known_at"]["upload"] == before);
    auto r = c.Post("/api/uploads?kind=stations&mode=upsert&file=viettel.csv", s.bearer(s.vtl), changed, "text/csv");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 201);
    const auto report = Json::parse(r->body);
    CHECK(report["upload"]["id"] == before + 1);
    CHECK(report["upload"]["operator"] == "VTL");
    CHECK(report["upload"]["file"] == "viettel.csv");
    CHECK(report["upload"]["mode"] == "upsert");
    CHECK(report["changed"].get<int>() > 0);
    CHECK(report["added"] == 0);
    CHECK(report["upload"]["uploaded_by"].get<std::string>().find("operator VTL") != std::string::npos);
    // The cache is keyed by the last upload: the next read is of the new state.
    const auto progress = Json::parse(c.Get("/api/progress?as_of=2022-06-30", s.bearer(s.viewer))->body);
    CHECK(progress["known_at"]["upload"] == before + 1);
    // The same bytes again: nothing recorded, 200 and no_op.
    r = c.Post("/api/uploads?kind=stations&mode=upsert&file=viettel.csv", s.bearer(s.vtl), changed, "text/csv");
    REQUIRE(r->status == 200);
    CHECK(Json::parse(r->body)["no_op"] == true);
    CHECK(store::open_store(s.store.string())->uploads().back().id == before + 1);
}

TEST_CASE("ownership and roles: refused uploads leave the store byte-identical") {
    Served s;
    auto c = s.client();
    const auto sha = test::sha256_of_file(s.store);
    const auto vnp_cells = current_cells(s.store, "VNP");
    const auto vinaphone = test::read_file(geodata + "/stations/vinaphone.geojson");
    struct Case {
        std::string token, query, body, type;
        int status;
    };
    const std::vector<Case> cases = {
        {s.vtl, "kind=stations&operator=VNP", vinaphone, "application/geo+json", 403}, // names another operator
        {s.vtl, "kind=stations", vinaphone, "application/octet-stream", 403},          // another operator's rows
        {s.vtl, "kind=stations&mode=upsert", vinaphone, "", 403},                      // sniffed GeoJSON, same
        {s.viewer, "kind=stations&operator=VTL", one_new_cell("VTL", "X"), "text/csv", 403},
        {s.vtl, "kind=villages", "village_id,name\nV1,x\n", "text/csv", 403},
        {s.vtl, "kind=commitments", "village_id,operator,deadline\n", "text/csv", 403},
        {s.department, "kind=stations", one_new_cell("VTL", "X"), "text/csv", 400},    // whose stations?
        {s.vtl, "kind=speed_tests", one_new_cell("VTL", "X"), "text/csv", 400},      // no such kind
        {s.vtl, "kind=measurements", one_new_cell("VTL", "X"), "text/csv", 422},     // a station file: no time, no level
        {s.vtl, "kind=stations&mode=merge", one_new_cell("VTL", "X"), "text/csv", 400},
        {s.vtl, "", one_new_cell("VTL", "X"), "text/csv", 400},
        {s.vtl, "kind=stations", "", "text/csv", 400},
        {s.vtl, "kind=stations", "{ this is not json", "application/geo+json", 422},
        {"dz_0123456789abcdef_" + std::string(64, 'a'), "kind=stations", one_new_cell("VTL", "X"), "text/csv", 401},
    };
    for (const auto& k : cases) {
        INFO(k.query, " ", k.type);
        const auto r = c.Post("/api/uploads?" + k.query, s.bearer(k.token), k.body, k.type.c_str());
        REQUIRE(r);
        INFO(r->body);
        CHECK(r->status == k.status);
        CHECK(Json::parse(r->body).contains("error"));
    }
    CHECK(test::sha256_of_file(s.store) == sha);
    CHECK(current_cells(s.store, "VNP") == vnp_cells);
}

TEST_CASE("a faulty upload answers 422 with every problem, and changes nothing") {
    Served s;
    auto c = s.client();
    const auto sha = test::sha256_of_file(s.store);
    // The sample's faulty MobiFone file without its Viettel row (that one is a 403 case).
    std::string faulty;
    for (const auto& line : [&] {
             std::vector<std::string> lines;
             std::istringstream in{test::read_file(geodata + "/uploads/mobifone_faulty.csv")};
             for (std::string l; std::getline(in, l);) lines.push_back(l);
             return lines;
         }()) {
        if (line.rfind("VTL,", 0) != 0) {
            faulty += line + "\n";
        }
    }
    const auto r = c.Post("/api/uploads?kind=stations&file=mobifone_faulty.csv", s.bearer(s.mbf), faulty, "text/csv");
    REQUIRE(r);
    REQUIRE(r->status == 422);
    const auto body = Json::parse(r->body);
    bool lat = false;
    for (const auto& p : body["problems"]) {
        CHECK(p["file"] == "mobifone_faulty.csv"); // the client's name, not the temporary path
        if (p["code"] == "lat_out_of_range") {
            lat = p["row"] == 5 && p["field"] == "lat";
        }
    }
    CHECK(lat);
    CHECK(body["problems"].size() >= 12);
    CHECK(test::sha256_of_file(s.store) == sha);

    // Over the size limit (1 MB in these tests): 413 from the declared length, before the body
    // is read; the client may see the reply or, still writing, a reset connection.
    const std::string big(3 << 19, 'x');
    const auto too_big = c.Post("/api/uploads?kind=stations", s.bearer(s.mbf), big, "text/csv");
    CHECK((!too_big || too_big->status == 413));
    const auto raw = test::raw_exchange(s.port,
                                        "POST /api/uploads?kind=stations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                            s.mbf + "\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n" +
                                            big.substr(0, 1000),
                                        5000, "}\n");
    CHECK(raw.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(test::sha256_of_file(s.store) == sha);
}

TEST_CASE("three operators uploading at once all land") {
    Served s;
    const auto before = store::open_store(s.store.string())->uploads().size();
    const std::vector<std::pair<std::string, std::string>> uploads = {{"VTL", s.vtl}, {"VNP", s.vnp}, {"MBF", s.mbf}};
    std::map<std::string, std::size_t> cells_before;
    for (const auto& [op, token] : uploads) {
        cells_before[op] = current_cells(s.store, op);
    }
    std::vector<int> statuses(uploads.size(), 0);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < uploads.size(); ++i) {
        threads.emplace_back([&, i] {
            auto c = s.client();
            const auto& [op, token] = uploads[i];
            const auto r = c.Post("/api/uploads?kind=stations&mode=upsert", s.bearer(token),
                                  one_new_cell(op, "CONCURRENT-" + op), "text/csv");
            statuses[i] = r ? r->status : -1;
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(statuses == std::vector<int>{201, 201, 201});
    const auto log = store::open_store(s.store.string())->uploads();
    CHECK(log.size() == before + 3);
    for (const auto& [op, token] : uploads) {
        CHECK(current_cells(s.store, op) == cells_before[op] + 1);
    }
}

TEST_CASE("after an import by another process, readers get the previous analysis until the new one is ready") {
    Served s;
    auto c = s.client();
    const auto h = s.bearer(s.viewer);
    const auto first = Json::parse(c.Get("/api/progress?as_of=2022-06-30", h)->body);
    const auto before = first["known_at"]["upload"].get<std::int64_t>();
    // `deadzone import` on the same store, as an operator's script would run it.
    test::TempDir dir{"deadzone-service-stale"};
    const auto file = dir.path() / "one.csv";
    std::ofstream{file} << one_new_cell("VNP", "OUTSIDE-1");
    const auto imported = test::run_deadzone({"import", s.store.string(), "--stations", file.string(), "--operator",
                                              "VNP", "--mode", "upsert"});
    REQUIRE(imported.exit_code == 0);
    // The first read starts the new analysis aside and is answered from the previous one.
    const auto stale = Json::parse(c.Get("/api/progress?as_of=2022-06-30", h)->body);
    CHECK(stale["known_at"]["upload"] == before);
    // Asking for the new upload by id waits for it; then the latest is the new one.
    const auto exact = Json::parse(c.Get("/api/progress?as_of=2022-06-30&known_at=" + std::to_string(before + 1), h)->body);
    CHECK(exact["known_at"]["upload"] == before + 1);
    const auto latest = Json::parse(c.Get("/api/progress?as_of=2022-06-30", h)->body);
    CHECK(latest["known_at"]["upload"] == before + 1);
}

namespace {

/// The document with the values of the lines that differ between two runs of the same upload
/// (its time, the account, and the file's name: a path on the command line, the client's name
/// over HTTP) blanked; every other byte kept.
std::string deterministic_part(const std::string& text) {
    std::istringstream in{text};
    std::string out;
    for (std::string line; std::getline(in, line);) {
        for (const char* key : {"\"uploaded_at\": ", "\"uploaded_by\": ", "\"file\": "}) {
            if (const auto at = line.find(key); at != std::string::npos) {
                const bool comma = !line.empty() && line.back() == ',';
                line = line.substr(0, at + std::string{key}.size()) + "\"…\"" + (comma ? "," : "");
            }
        }
        out += line + "\n";
    }
    return out;
}

} // namespace

TEST_CASE("`deadzone import --json` prints the document POST /api/uploads answers") {
    Served s;
    auto c = s.client();
    // The same store twice: one for the CLI, one behind the service.
    const auto cli_store = s.dir.path() / "cli.gpkg";
    fs::copy_file(s.store, cli_store);
    const auto text = test::read_file(geodata + "/stations/viettel.csv");
    const auto changed = std::regex_replace(text, std::regex{"(VTL,BKN0001,[^\\n]*on_air,)2012-10-10"}, "$012012-10-11");
    REQUIRE(changed != text);
    const auto file = s.dir.path() / "viettel.csv";
    std::ofstream(file, std::ios::binary) << changed;

    const auto r = c.Post("/api/uploads?kind=stations&mode=upsert&file=viettel.csv", s.bearer(s.vtl), changed, "text/csv");
    REQUIRE(r);
    REQUIRE(r->status == 201);
    const auto cli = test::run_deadzone({"import", cli_store.string(), "--stations", file.string(), "--operator", "VTL",
                                         "--mode", "upsert", "--json"});
    INFO(cli.err);
    REQUIRE(cli.exit_code == 0);
    CHECK(deterministic_part(cli.out) == deterministic_part(r->body));
    // What was blanked is still there and right: the CLI names the file it was given.
    const auto doc = Json::parse(cli.out);
    CHECK(doc["upload"]["file"] == file.string());
    CHECK(doc["upload"]["id"] == 8);
    CHECK(doc["changed"].get<int>() > 0);
    CHECK(doc["warnings"].empty());
    CHECK(deterministic_part(cli.out) != cli.out); // the three lines were there to blank

    // The same upload again: a no-op report from both, exactly the same bytes.
    const auto again = c.Post("/api/uploads?kind=stations&mode=upsert&file=viettel.csv", s.bearer(s.vtl), changed,
                              "text/csv");
    const auto cli_again = test::run_deadzone({"import", cli_store.string(), "--stations", file.string(), "--operator",
                                               "VTL", "--mode", "upsert", "--json"});
    REQUIRE(again->status == 200);
    REQUIRE(cli_again.exit_code == 0);
    CHECK(cli_again.out == again->body);
    CHECK(Json::parse(cli_again.out)["same_file_as"] == 8);
}

TEST_CASE("a refused `import --json` prints its problems as JSON and exits 1, like the 422") {
    Served s;
    auto c = s.client();
    std::string faulty;
    std::istringstream in{test::read_file(geodata + "/uploads/mobifone_faulty.csv")};
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("VTL,", 0) != 0) {
            faulty += line + "\n";
        }
    }
    const auto file = s.dir.path() / "mobifone_faulty.csv";
    std::ofstream(file, std::ios::binary) << faulty;
    const auto sha = test::sha256_of_file(s.store);
    const auto cli = test::run_deadzone({"import", s.store.string(), "--stations", file.string(), "--operator", "MBF",
                                         "--json"});
    CHECK(cli.exit_code == 1);
    CHECK(test::sha256_of_file(s.store) == sha);
    const auto doc = Json::parse(cli.out); // stdout is one JSON document
    CHECK(doc["ok"] == false);
    CHECK(doc["error"]["code"] == "input_rejected");
    const auto r = c.Post("/api/uploads?kind=stations&file=mobifone_faulty.csv", s.bearer(s.mbf), faulty, "text/csv");
    REQUIRE(r->status == 422);
    auto served = Json::parse(r->body)["problems"];
    auto printed = doc["problems"];
    REQUIRE(printed.size() >= 12);
    bool lat = false;
    for (auto& p : printed) {
        CHECK(p["file"] == file.string());
        p["file"] = "mobifone_faulty.csv";
        lat = lat || (p["code"] == "lat_out_of_range" && p["row"] == 5 && p["field"] == "lat");
    }
    CHECK(lat);
    CHECK(printed == served); // same problems, same order, same fields
}
