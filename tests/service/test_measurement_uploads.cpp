// Field measurements over HTTP: POST /api/uploads?kind=measurements with the stations' roles —
// an operator token uploads its own samples only (another operator's rows: 403, nothing
// recorded), the department uploads any operator's, a faulty file is 422 — and the service's
// progress then judges the stored samples.
#include "service_support.hpp"

#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

using namespace deadzone;
using deadzone::test::Served;
using Json = nlohmann::json;

namespace {

const std::string drive_test = std::string{DEADZONE_SOURCE_DIR} + "/geodata/measurements/drive_test_2022.csv";

/// The header and the first `count` rows whose operator column is `op` ("" = any row).
std::string rows_of(const std::string& op, int count) {
    std::istringstream in{test::read_file(drive_test)};
    std::string header, line, out;
    std::getline(in, header);
    out = header + "\n";
    for (int n = 0; n < count && std::getline(in, line);) {
        // time,operator,...: the operator is the second field.
        const auto first = line.find(',');
        const auto second = line.find(',', first + 1);
        if (op.empty() || line.substr(first + 1, second - first - 1) == op) {
            out += line + "\n";
            ++n;
        }
    }
    return out;
}

std::size_t stored_samples(const std::filesystem::path& store_file) {
    return store::open_store(store_file.string())->snapshot().inputs.samples.size();
}

} // namespace

TEST_CASE("measurements over HTTP: an operator uploads its own samples, roles as for stations") {
    Served s;
    auto c = s.client();
    const auto vtl_rows = rows_of("VTL", 300);
    auto r = c.Post("/api/uploads?kind=measurements&mode=replace&file=vtl_drive.csv", s.bearer(s.vtl), vtl_rows,
                    "text/csv");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 201);
    const auto report = Json::parse(r->body);
    CHECK(report["upload"]["kind"] == "measurements");
    CHECK(report["upload"]["operator"] == "VTL");
    CHECK(report["upload"]["file"] == "vtl_drive.csv");
    CHECK(report["added"] == 300);
    CHECK(stored_samples(s.store) == 300);
    // The same bytes again: a no-op.
    r = c.Post("/api/uploads?kind=measurements&file=vtl_drive.csv", s.bearer(s.vtl), vtl_rows, "text/csv");
    REQUIRE(r->status == 200);
    CHECK(Json::parse(r->body)["no_op"] == true);

    // Refusals change nothing, byte for byte.
    const auto sha = test::sha256_of_file(s.store);
    // VTL's token with MBF's rows: 403 naming them.
    r = c.Post("/api/uploads?kind=measurements", s.bearer(s.vtl), rows_of("MBF", 5), "text/csv");
    CHECK(r->status == 403);
    CHECK(r->body.find("another operator") != std::string::npos);
    // VTL's token naming MBF: 403 before the body is read.
    r = c.Post("/api/uploads?kind=measurements&operator=MBF", s.bearer(s.vtl), rows_of("MBF", 5), "text/csv");
    CHECK(r->status == 403);
    // A viewer cannot upload.
    r = c.Post("/api/uploads?kind=measurements", s.bearer(s.viewer), vtl_rows, "text/csv");
    CHECK(r->status == 403);
    // An impossible level: 422 naming row 2 and the field.
    r = c.Post("/api/uploads?kind=measurements", s.bearer(s.vtl),
               "time,operator,lon,lat,tech,rsrp_dbm\n2022-07-19T08:00:00+07:00,VTL,105.08,22.69,4G,10\n",
               "text/csv");
    REQUIRE(r->status == 422);
    const auto problems = Json::parse(r->body)["problems"];
    REQUIRE(problems.size() == 1);
    CHECK(problems[0]["code"] == "level_out_of_range");
    CHECK(problems[0]["row"] == 2);
    CHECK(test::sha256_of_file(s.store) == sha);
    CHECK(stored_samples(s.store) == 300);
}

TEST_CASE("measurements over HTTP: the department uploads several operators' samples; progress judges them") {
    Served s;
    auto c = s.client();
    const auto rows = rows_of("", 400);
    auto r = c.Post("/api/uploads?kind=measurements&mode=upsert&file=drive.csv", s.bearer(s.department), rows,
                    "text/csv");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 201);
    const auto report = Json::parse(r->body);
    CHECK(report["upload"]["operator"].is_null());
    CHECK(report["upload"]["mode"] == "upsert");
    CHECK(report["added"] == 400);
    const auto progress = Json::parse(c.Get("/api/progress?as_of=2022-07-30", s.bearer(s.viewer))->body);
    CHECK(progress["known_at"]["kind"] == "measurements");
    CHECK(progress["measurements"]["samples"]["read"] == 400);
}

TEST_CASE("measurements over HTTP: a tester token uploads any operator's samples and nothing else") {
    Served s;
    auto c = s.client();
    auto r = c.Get("/api/whoami", s.bearer(s.tester));
    REQUIRE(r);
    CHECK(Json::parse(r->body)["role"] == "tester");
    // Reads like the department.
    CHECK(c.Get("/api/progress?as_of=2022-07-30", s.bearer(s.tester))->status == 200);

    const auto sha = test::sha256_of_file(s.store);
    // Stations, villages, commitments: 403 before the body is read, the store unchanged.
    for (const std::string kind : {"stations&operator=VTL", "villages", "commitments"}) {
        r = c.Post("/api/uploads?kind=" + kind, s.bearer(s.tester), "site_id\n", "text/csv");
        REQUIRE(r);
        CHECK_MESSAGE(r->status == 403, kind);
        CHECK(r->body.find("measurements only") != std::string::npos);
    }
    CHECK(test::sha256_of_file(s.store) == sha);

    // One operator's samples named, then samples whose operator column decides (no operator=).
    r = c.Post("/api/uploads?kind=measurements&operator=MBF&file=mbf.csv", s.bearer(s.tester), rows_of("MBF", 20),
               "text/csv");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 201);
    CHECK(Json::parse(r->body)["upload"]["operator"] == "MBF");
    CHECK(Json::parse(r->body)["upload"]["uploaded_by"].get<std::string>().find("tester") != std::string::npos);
    r = c.Post("/api/uploads?kind=measurements&mode=upsert&file=all.csv", s.bearer(s.tester), rows_of("VTL", 100),
               "text/csv");
    REQUIRE(r->status == 201);
    CHECK(Json::parse(r->body)["upload"]["operator"].is_null());
    CHECK(stored_samples(s.store) == 120);
}
