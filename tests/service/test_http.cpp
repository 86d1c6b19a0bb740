// The service over real HTTP: every route and status, byte-identity with the CLI, ownership,
// concurrent uploads, refused uploads leaving the store byte-identical, province scoping.
#include "service_support.hpp"

#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <tuple>

using namespace deadzone;
using deadzone::test::Served;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

const std::string geodata = std::string{DEADZONE_SOURCE_DIR} + "/geodata";

std::string cli_out(const std::vector<std::string>& args) {
    const auto result = test::run_deadzone(args);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return result.out;
}

} // namespace

TEST_CASE("healthz, tokens and whoami") {
    Served s;
    auto c = s.client();
    auto r = c.Get("/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(c.Get("/api/progress?as_of=2022-06-30")->status == 401);
    CHECK(c.Get("/api/progress?as_of=2022-06-30", s.bearer("dz_0000000000000000_" + std::string(64, '0')))->status == 401);
    CHECK(c.Get("/api/whoami", httplib::Headers{{"Authorization", "Basic " + s.viewer}})->status == 401);
    r = c.Get("/api/whoami", s.bearer(s.vtl));
    REQUIRE(r->status == 200);
    const auto who = Json::parse(r->body);
    CHECK(who["role"] == "operator");
    CHECK(who["scope"] == "VTL");
    CHECK(Json::parse(c.Get("/api/whoami", s.bearer(s.province))->body)["scope"] == s.province_name);
    CHECK(Json::parse(c.Get("/api/whoami", s.bearer(s.department))->body)["scope"].is_null());

    // Revoked in the store (as `token revoke` does from another process): refused at once.
    const auto id = s.viewer.substr(3, 16);
    store::open_store(s.store.string())->revoke_token(id);
    CHECK(c.Get("/api/whoami", s.bearer(s.viewer))->status == 401);

    // The log names the role, never the token.
    for (const auto& line : s.log_lines()) {
        CHECK(line.find("dz_") == std::string::npos);
    }
    const auto lines = s.log_lines();
    CHECK(std::any_of(lines.begin(), lines.end(),
                      [](const std::string& l) { return l.find("GET /api/whoami 200") == 0 && l.find("operator VTL") != std::string::npos; }));
}

TEST_CASE("progress is byte for byte `deadzone report --json`, and parameters are checked") {
    Served s;
    auto c = s.client();
    const auto h = s.bearer(s.viewer);
    auto r = c.Get("/api/progress?as_of=2022-06-30", h);
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(r->body == cli_out({"report", s.store.string(), "--as-of", "2022-06-30", "--json"}));
    // From the cache the second time: same bytes.
    CHECK(c.Get("/api/progress?as_of=2022-06-30", h)->body == r->body);
    const auto past = c.Get("/api/progress?as_of=2022-07-30&known_at=3", h);
    REQUIRE(past->status == 200);
    CHECK(past->body == cli_out({"report", s.store.string(), "--as-of", "2022-07-30", "--known-at", "3", "--json"}));

    for (const auto* bad : {"/api/progress", "/api/progress?as_of=2022-13-01", "/api/progress?as_of=yesterday",
                            "/api/progress?as_of=1850-01-01", "/api/progress?as_of=2022-06-30&known_at=99",
                            "/api/progress?as_of=2022-06-30&known_at=not-a-time"}) {
        r = c.Get(bad, h);
        INFO(bad);
        REQUIRE(r);
        CHECK(r->status == 400);
        CHECK(Json::parse(r->body).contains("error"));
    }
    CHECK(c.Get("/api/nothing-here", h)->status == 404);
    CHECK(c.Delete("/api/progress?as_of=2022-06-30", h)->status == 405);
}

TEST_CASE("layers are export's files, cut by bbox; FlatGeobuf too") {
    Served s;
    auto c = s.client();
    const auto h = s.bearer(s.viewer);
    test::TempDir out{"deadzone-service-export"};
    cli_out({"export", s.store.string(), "--as-of", "2022-06-30", "--out", (out.path() / "o").string()});
    for (const auto* name : {"villages", "commitments", "coverage", "gaps", "stations"}) {
        const auto r = c.Get(std::string{"/api/layers/"} + name + ".geojson?as_of=2022-06-30", h);
        REQUIRE(r->status == 200);
        CHECK(r->get_header_value("Content-Type") == "application/geo+json");
        CHECK(r->body == test::read_file(out.path() / "o" / (std::string{name} + ".geojson")));
    }
    // A bbox keeps exactly the features whose envelope meets it (counted here independently).
    const std::string bbox = "104.0,21.5,105.5,23.0";
    const auto all = Json::parse(c.Get("/api/layers/villages.geojson?as_of=2022-06-30", h)->body);
    std::set<std::string> expected;
    for (const auto& f : all["features"]) {
        double x0 = 999, y0 = 999, x1 = -999, y1 = -999;
        for (const auto& polygon : f["geometry"]["coordinates"]) {
            for (const auto& ring : polygon) {
                for (const auto& p : ring) {
                    x0 = std::min(x0, p[0].get<double>());
                    y0 = std::min(y0, p[1].get<double>());
                    x1 = std::max(x1, p[0].get<double>());
                    y1 = std::max(y1, p[1].get<double>());
                }
            }
        }
        if (x0 <= 105.5 && x1 >= 104.0 && y0 <= 23.0 && y1 >= 21.5) {
            expected.insert(f["properties"]["village_id"]);
        }
    }
    const auto cut = c.Get("/api/layers/villages.geojson?as_of=2022-06-30&bbox=" + bbox, h);
    REQUIRE(cut->status == 200);
    std::set<std::string> got;
    const auto cut_doc = Json::parse(cut->body); // alive for the whole loop
    for (const auto& f : cut_doc["features"]) {
        got.insert(f["properties"]["village_id"]);
    }
    CHECK(!expected.empty());
    CHECK(expected.size() < all["features"].size());
    INFO(expected.size(), " expected, got ", got.size());
    CHECK(got == expected);
    CHECK(Json::parse(c.Get("/api/layers/villages.geojson?as_of=2022-06-30&bbox=0,0,1,1", h)->body)["features"].empty());

    const auto fgb = c.Get("/api/layers/villages.fgb?as_of=2022-06-30", h);
    REQUIRE(fgb->status == 200);
    CHECK(fgb->body.substr(0, 3) == "fgb");
    const auto fgb_cut = c.Get("/api/layers/villages.fgb?as_of=2022-06-30&bbox=" + bbox, h);
    REQUIRE(fgb_cut->status == 200);
    CHECK(fgb_cut->body.substr(0, 3) == "fgb");
    CHECK(fgb_cut->body.size() < fgb->body.size());

    for (const auto* bad : {"&bbox=1,2,3", "&bbox=5,5,1,1", "&bbox=a,b,c,d", "&bbox=0,0,200,1", "&bbox=nan,0,1,1"}) {
        INFO(bad);
        CHECK(c.Get(std::string{"/api/layers/villages.geojson?as_of=2022-06-30"} + bad, h)->status == 400);
    }
    CHECK(c.Get("/api/layers/secrets.geojson?as_of=2022-06-30", h)->status == 404);
    CHECK(c.Get("/api/layers/villages.shp?as_of=2022-06-30", h)->status == 404);
}

TEST_CASE("the upload log is `history --json`; a village's panel") {
    Served s;
    auto c = s.client();
    const auto h = s.bearer(s.viewer);
    auto r = c.Get("/api/uploads", h);
    REQUIRE(r->status == 200);
    CHECK(r->body == cli_out({"history", s.store.string(), "--json"}));
    CHECK(c.Get("/api/uploads?operator=MBF", h)->body == cli_out({"history", s.store.string(), "--operator", "MBF", "--json"}));

    r = c.Get("/api/villages/" + s.own_village + "?as_of=2022-07-30", h);
    REQUIRE(r->status == 200);
    const auto v = Json::parse(r->body);
    CHECK(v["village"]["village_id"] == s.own_village);
    CHECK(v["village"]["province"] == s.province_name);
    // Its commitments are exactly the commitments layer's rows for it.
    const auto layer = Json::parse(c.Get("/api/layers/commitments.geojson?as_of=2022-07-30", h)->body);
    std::vector<std::pair<std::string, std::string>> expected, got;
    for (const auto& f : layer["features"]) {
        if (f["properties"]["village_id"] == s.own_village) {
            expected.emplace_back(f["properties"]["operator"], f["properties"]["status"]);
        }
    }
    for (const auto& item : v["commitments"]) {
        got.emplace_back(item["operator"], item["status"]);
    }
    CHECK(!expected.empty());
    CHECK(got == expected);
    // The last history entry is the as-of date, with the same statuses.
    REQUIRE(!v["history"].empty());
    CHECK(v["history"].back()["date"] == "2022-07-30");
    CHECK(v["history"].back()["commitments"].size() == expected.size());
    CHECK(c.Get("/api/villages/NO-SUCH-VILLAGE?as_of=2022-07-30", h)->status == 404);
    CHECK(c.Get("/api/villages/" + s.own_village, h)->status == 400);
}

TEST_CASE("a province token sees its province only") {
    Served s;
    auto c = s.client();
    const auto h = s.bearer(s.province);
    auto r = c.Get("/api/progress?as_of=2022-07-30", h);
    REQUIRE(r->status == 200);
    const auto doc = Json::parse(r->body);
    REQUIRE(doc["provinces"].size() == 1);
    CHECK(doc["provinces"][0]["province"] == s.province_name);
    const auto villages = Json::parse(c.Get("/api/layers/villages.geojson?as_of=2022-07-30", h)->body);
    CHECK(!villages["features"].empty());
    for (const auto& f : villages["features"]) {
        CHECK(f["properties"]["province"] == s.province_name);
    }
    const auto commitments = Json::parse(c.Get("/api/layers/commitments.geojson?as_of=2022-07-30", h)->body);
    for (const auto& f : commitments["features"]) {
        CHECK(f["properties"]["province"] == s.province_name);
    }
    CHECK(doc["overall"]["total"] == commitments["features"].size());
    CHECK(c.Get("/api/villages/" + s.own_village + "?as_of=2022-07-30", h)->status == 200);
    r = c.Get("/api/villages/" + s.other_village + "?as_of=2022-07-30", h);
    CHECK(r->status == 403);
    CHECK(Json::parse(r->body)["error"].get<std::string>().find(s.province_name) != std::string::npos);
    CHECK(c.Post("/api/uploads?kind=stations&operator=VTL", h, "x", "text/csv")->status == 403);
}

TEST_CASE("a province token reads the upload log without the uploaders' files, accounts and counts") {
    Served s;
    auto c = s.client();
    const auto h = s.bearer(s.province);
    auto r = c.Get("/api/uploads", h);
    REQUIRE(r->status == 200);
    const auto log = Json::parse(r->body);
    // The sample store: init (campaign, villages, commitments), then VTL, VNP, MBF and MBF's
    // OpenCelliD upsert: for each only id, time, kind, operator and mode.
    const std::vector<std::tuple<int, std::string, Json, std::string>> expected = {
        {1, "campaign", nullptr, "replace"}, {2, "villages", nullptr, "replace"},
        {3, "commitments", nullptr, "replace"}, {4, "stations", "VTL", "replace"},
        {5, "stations", "VNP", "replace"}, {6, "stations", "MBF", "replace"},
        {7, "stations", "MBF", "upsert"}};
    REQUIRE(log.size() == expected.size());
    const auto full = Json::parse(c.Get("/api/uploads", s.bearer(s.viewer))->body);
    REQUIRE(full.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& [id, kind, op, mode] = expected[i];
        INFO(log[i].dump());
        CHECK(log[i] == Json{{"id", id}, {"uploaded_at", full[i]["uploaded_at"]}, {"kind", kind},
                             {"operator", op}, {"mode", mode}});
        CHECK(!log[i].contains("file"));
        CHECK(!log[i].contains("uploaded_by"));
        CHECK(full[i].contains("file")); // the department's readers see the whole entry
    }
    // The body never names the files or the account that uploaded them.
    CHECK(r->body.find("viettel.csv") == std::string::npos);
    CHECK(r->body.find(full[3]["sha256"].get<std::string>()) == std::string::npos);
    CHECK(r->body.find("rows_accepted") == std::string::npos);
    // ?operator= filters the same way.
    const auto mbf = Json::parse(c.Get("/api/uploads?operator=MBF", h)->body);
    REQUIRE(mbf.size() == 2);
    CHECK(mbf[0]["id"] == 6);
    CHECK(mbf[1]["id"] == 7);
    CHECK(Json::parse(c.Get("/api/uploads?operator=XYZ", h)->body).empty());
}
