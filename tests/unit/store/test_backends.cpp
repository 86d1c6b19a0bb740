// The store core over two backends: the GeoPackage file and an in-memory backend written here
// against the Backend interface (std::map rows, copy-on-begin transactions). The same guarantee
// tests run on both, which proves the core holds the rules and a backend only stores rows. Also:
// store names (gpkg:, postgresql://), and SQLite's own full-disk failure on a small tmpfs.
#include <deadzone/core/source.hpp>
#include <deadzone/store/backend.hpp>
#include <deadzone/store/gpkg.hpp>
#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace deadzone;
using store::ImportMode;
using store::UploadMeta;

namespace {

const char* campaign_json = R"({
  "name": "Backend test",
  "operators": [
    {"code": "VTL", "name": "Viettel", "mcc_mnc": ["452-04"], "color": "#d7191c"},
    {"code": "VNP", "name": "VinaPhone", "mcc_mnc": ["452-02"], "color": "#2b83ba"}
  ],
  "milestones": [{"date": "2022-06-30", "target": 0.4}]
})";

store::CampaignDocument document(const fs::path& dir) {
    return store::CampaignDocument{campaign_json, dir, "campaign.json", "c0ffee", "tester"};
}

// ---- The in-memory backend ----

template <typename Record>
struct Row {
    Record record;
    std::string digest;
    std::int64_t known_from = 0;
    std::optional<std::int64_t> known_to;
};

struct MemoryState {
    bool has_schema = false;
    std::optional<store::StoredCampaign> campaign;
    std::vector<store::Upload> log;
    std::map<std::int64_t, Row<Village>> villages;
    std::map<std::int64_t, Row<Commitment>> commitments;
    std::map<std::int64_t, Row<Cell>> cells;
    std::map<std::int64_t, Row<Sample>> samples; // row ids grow in upload, then ordinal order
    std::vector<store::TokenRecord> tokens;
    std::int64_t next_row = 1;
    std::int64_t generation = 0; // bumped by every committed write
};

std::string key_of(const Village& v) { return store::entity_key({v.id}); }
std::string key_of(const Commitment& c) { return store::entity_key({c.village_id, c.operator_code}); }
std::string key_of(const Cell& c) { return store::entity_key({c.operator_code, c.site_id, c.cell_id}); }
std::string key_of(const Sample& s) { return store::sample_key(s); }

class MemoryBackend final : public store::Backend {
public:
    explicit MemoryBackend(std::shared_ptr<MemoryState> state) : m_state(std::move(state)) {}

    std::string location() const override { return "memory"; }

    void begin(bool write) override {
        REQUIRE_MESSAGE(!m_open, "one transaction at a time");
        m_open = true;
        m_write = write;
        if (write) {
            m_saved = *m_state; // rollback restores this copy
        }
    }
    void commit() override {
        if (m_write) {
            ++m_state->generation;
        }
        m_saved.reset();
        m_open = false;
    }
    void rollback() noexcept override {
        if (m_saved) {
            *m_state = std::move(*m_saved);
            m_saved.reset();
        }
        m_open = false;
    }
    void reserve(std::uint64_t) override { require_write(); }

    void create_schema() override {
        require_write();
        m_state->has_schema = true;
    }
    void write_campaign(const store::StoredCampaign& stored, const Campaign&, std::int64_t) override {
        require_write();
        m_state->campaign = stored;
    }
    store::StoredCampaign read_campaign() override {
        if (!m_state->campaign) {
            throw StoreError("memory: no campaign recorded");
        }
        return *m_state->campaign;
    }

    std::int64_t append_upload(const store::Upload& upload) override {
        require_write();
        store::Upload u = upload;
        u.id = m_state->log.empty() ? 1 : m_state->log.back().id + 1;
        m_state->log.push_back(u);
        return u.id;
    }
    std::vector<store::Upload> read_uploads() override { return m_state->log; }

    std::vector<store::CurrentVersion> current_versions(store::Entity entity, const std::string& op) override {
        std::vector<store::CurrentVersion> out;
        const auto collect = [&](const auto& rows) {
            for (const auto& [id, row] : rows) {
                if (!row.known_to && (op.empty() || operator_of(row.record) == op)) {
                    out.push_back(store::CurrentVersion{id, key_of(row.record), row.digest, source_text(row.record.source)});
                }
            }
        };
        visit(entity, collect);
        return out;
    }
    void close_versions(store::Entity entity, const std::vector<std::int64_t>& ids, std::int64_t upload) override {
        require_write();
        visit(entity, [&](auto& rows) {
            for (const auto id : ids) {
                auto& row = rows.at(id);
                REQUIRE_MESSAGE(!row.known_to, "a version is closed once");
                row.known_to = upload;
            }
        });
    }
    void insert_versions(const std::vector<store::NewVersion<Village>>& v, std::int64_t upload) override {
        insert(m_state->villages, v, upload);
    }
    void insert_versions(const std::vector<store::NewVersion<Commitment>>& v, std::int64_t upload) override {
        insert(m_state->commitments, v, upload);
    }
    void insert_versions(const std::vector<store::NewVersion<Cell>>& v, std::int64_t upload) override {
        insert(m_state->cells, v, upload);
    }
    void insert_versions(const std::vector<store::NewVersion<Sample>>& v, std::int64_t upload) override {
        insert(m_state->samples, v, upload);
    }
    void read_versions_at(std::int64_t upload, ingest::Inputs& out) override {
        // Newest rows first: the core must sort, whatever order a backend gives.
        read_at(m_state->villages, upload, out.villages);
        read_at(m_state->commitments, upload, out.commitments);
        read_at(m_state->cells, upload, out.cells);
        // Samples: by upload, then ordinal (the contract), which is row order here.
        for (const auto& [id, row] : m_state->samples) {
            if (row.known_from <= upload && (!row.known_to || *row.known_to > upload)) {
                out.samples.push_back(row.record);
            }
        }
    }
    void insert_token(const store::TokenRecord& token) override {
        require_write();
        m_state->tokens.push_back(token);
    }
    std::vector<store::TokenRecord> read_tokens() override { return m_state->tokens; }
    void set_token_revoked(const std::string& id, const std::string& revoked_at) override {
        require_write();
        for (auto& t : m_state->tokens) {
            if (t.id == id) {
                t.revoked_at = revoked_at;
            }
        }
    }
    std::vector<std::string> check_integrity() override { return {}; }

private:
    static std::string operator_of(const Village&) { return {}; }
    static std::string operator_of(const Commitment& c) { return c.operator_code; }
    static std::string operator_of(const Cell& c) { return c.operator_code; }
    static std::string operator_of(const Sample& s) { return s.operator_code; }

    template <typename F>
    void visit(store::Entity entity, F&& f) {
        switch (entity) {
        case store::Entity::village: f(m_state->villages); break;
        case store::Entity::commitment: f(m_state->commitments); break;
        case store::Entity::cell: f(m_state->cells); break;
        case store::Entity::sample: f(m_state->samples); break;
        }
    }
    template <typename Record>
    void insert(std::map<std::int64_t, Row<Record>>& rows, const std::vector<store::NewVersion<Record>>& versions,
                std::int64_t upload) {
        require_write();
        for (const auto& v : versions) {
            rows.emplace(m_state->next_row++, Row<Record>{*v.record, *v.digest, upload, std::nullopt});
        }
    }
    template <typename Record>
    static void read_at(const std::map<std::int64_t, Row<Record>>& rows, std::int64_t upload,
                        std::vector<Record>& out) {
        for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
            const auto& row = it->second;
            if (row.known_from <= upload && (!row.known_to || *row.known_to > upload)) {
                out.push_back(row.record);
            }
        }
    }
    void require_write() const { REQUIRE_MESSAGE((m_open && m_write), "writes only inside a write transaction"); }

    std::shared_ptr<MemoryState> m_state;
    std::optional<MemoryState> m_saved;
    bool m_open = false;
    bool m_write = false;
};

// ---- The two backends under one fixture ----

struct Subject {
    std::string name;
    fs::path dir;
    std::shared_ptr<MemoryState> memory;
    std::unique_ptr<store::Store> store;

    explicit Subject(const std::string& backend) : name(backend) {
        static int counter = 0;
        dir = fs::temp_directory_path() / ("deadzone-backends-" + std::to_string(getpid()) + "-" +
                                           std::to_string(counter++));
        fs::remove_all(dir);
        fs::create_directories(dir);
        if (name == "memory") {
            memory = std::make_shared<MemoryState>();
            store = store::Store::create(std::make_unique<MemoryBackend>(memory), document(dir));
        } else {
            store = store::create_store(dir / "store.gpkg", document(dir));
        }
    }
    ~Subject() {
        store.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    /// Changes whenever anything stored changes.
    std::string fingerprint() const {
        if (memory) {
            return std::to_string(memory->generation);
        }
        std::ifstream in(dir / "store.gpkg", std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    void reopen() {
        store.reset();
        store = memory ? store::Store::open(std::make_unique<MemoryBackend>(memory))
                       : store::open_store(dir / "store.gpkg");
    }
};

Village village(const std::string& id, double lon) {
    Village v;
    v.id = id;
    v.name = "Bản " + id;
    v.province = "Lào Cai";
    geo::Polygon polygon;
    polygon.outer() = {{lon, 21.0}, {lon + 0.01, 21.0}, {lon + 0.01, 21.01}, {lon, 21.01}, {lon, 21.0}};
    v.geometry = geo::MultiPolygon{polygon};
    v.source = source_location("villages.geojson:FID " + id);
    return v;
}

Cell cell(const std::string& op, const std::string& site, const char* on_air = "2022-06-15") {
    Cell c;
    c.operator_code = op;
    c.site_id = site;
    c.cell_id = "1";
    c.position = geo::Point{105.0, 21.005};
    c.on_air_date = Date::parse(on_air);
    c.range_m = 3000.0;
    c.source = source_location("stations.csv:row " + site);
    return c;
}

UploadMeta meta(const std::string& op = "", const std::string& sha = "aa", ImportMode mode = ImportMode::replace) {
    return UploadMeta{mode, op, "file.csv", sha, "tester", 0};
}

std::vector<std::string> cell_sites(const store::Snapshot& snapshot) {
    std::vector<std::string> out;
    for (const auto& c : snapshot.inputs.cells) {
        out.push_back(c.operator_code + "/" + c.site_id + "@" + (c.on_air_date ? c.on_air_date->iso() : "-"));
    }
    return out;
}

const char* backends[] = {"gpkg", "memory"};

} // namespace

TEST_CASE("store core on every backend: re-importing the same content writes nothing") {
    for (const char* backend : backends) {
        INFO("backend: ", std::string{backend});
        Subject s{backend};
        const std::vector<Cell> cells{cell("VTL", "S1"), cell("VTL", "S2")};
        const auto first = s.store->put_cells(cells, meta("VTL", "sha-1"));
        REQUIRE(first.upload);
        CHECK(first.upload->id == 2);
        const auto before = s.fingerprint();
        const auto again = s.store->put_cells({cells[1], cells[0]}, meta("vtl", "sha-1")); // operator spelled freely
        CHECK(again.no_op());
        CHECK(again.unchanged == 2);
        REQUIRE(again.same_file_as);
        CHECK(*again.same_file_as == 2);
        CHECK(s.fingerprint() == before);
        CHECK(s.store->uploads().size() == 2);
    }
}

TEST_CASE("store core on every backend: replace ends missing records, upsert does not, history replays") {
    for (const char* backend : backends) {
        INFO("backend: ", std::string{backend});
        Subject s{backend};
        s.store->put_cells({cell("VTL", "S3"), cell("VTL", "S1"), cell("VTL", "S2")}, meta("VTL"));  // #2
        s.store->put_cells({cell("VNP", "N1")}, meta("VNP"));                                         // #3
        const auto second = s.store->put_cells({cell("VTL", "S1", "2022-07-01"), cell("VTL", "S2"), cell("VTL", "S4")},
                                               meta("VTL"));                                           // #4
        REQUIRE(second.upload);
        CHECK(second.added == 1);
        CHECK(second.changed == 1);
        CHECK(second.ended == 1);
        CHECK(second.unchanged == 1);
        const auto upsert = s.store->put_cells({cell("VTL", "S9")}, meta("VTL", "bb", ImportMode::upsert)); // #5
        CHECK(upsert.ended == 0);
        CHECK(cell_sites(s.store->snapshot()) ==
              std::vector<std::string>{"VNP/N1@2022-06-15", "VTL/S1@2022-07-01", "VTL/S2@2022-06-15",
                                       "VTL/S4@2022-06-15", "VTL/S9@2022-06-15"});
        CHECK(cell_sites(s.store->snapshot(2)) ==
              std::vector<std::string>{"VTL/S1@2022-06-15", "VTL/S2@2022-06-15", "VTL/S3@2022-06-15"});
        CHECK(s.store->check_integrity().empty());
    }
}

TEST_CASE("store core on every backend: known-at replays the state of an earlier upload after reopening") {
    for (const char* backend : backends) {
        INFO("backend: ", std::string{backend});
        Subject s{backend};
        s.store->put_villages({village("V2", 105.2), village("V1", 105.0)}, meta()); // #2
        s.store->put_cells({cell("VTL", "S1")}, meta("VTL"));                        // #3
        const auto then = s.store->snapshot();
        // Log times have millisecond resolution: keep #4 apart from #3 for the by-time replay.
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
        s.store->put_cells({cell("VTL", "S1", "2022-08-01")}, meta("VTL"));          // #4
        s.reopen();
        const auto log = s.store->uploads();
        REQUIRE(log.size() == 4);
        const auto by_id = s.store->snapshot(store::resolve_known_at(log, "3"));
        const auto by_time = s.store->snapshot(store::resolve_known_at(log, log[2].uploaded_at));
        for (const auto* replay : {&by_id, &by_time}) {
            CHECK(replay->known_at.id == 3);
            CHECK(cell_sites(*replay) == cell_sites(then));
            REQUIRE(replay->inputs.villages.size() == 2);
            CHECK(replay->inputs.villages[0].id == "V1"); // sorted by key whatever the backend's order
            CHECK(replay->inputs.villages[0].geometry[0].outer()[1].x() == 105.01);
        }
        CHECK(cell_sites(s.store->snapshot()) == std::vector<std::string>{"VTL/S1@2022-08-01"});
        CHECK(s.store->campaign().name == "Backend test");
        CHECK_THROWS_AS(s.store->snapshot(9), UsageError);
    }
}

TEST_CASE("store core on every backend: refused uploads change nothing") {
    for (const char* backend : backends) {
        INFO("backend: ", std::string{backend});
        Subject s{backend};
        s.store->put_villages({village("V1", 105.0)}, meta());
        s.store->put_cells({cell("VTL", "S1")}, meta("VTL"));
        const auto before = s.fingerprint();
        CHECK_THROWS_AS(s.store->put_cells({}, meta("VTL")), InputError);                     // empty replace
        CHECK_THROWS_AS(s.store->put_cells({cell("VNP", "N1")}, meta("VTL")), InputError);    // not its cell
        CHECK_THROWS_AS(s.store->put_cells({cell("VTL", "S1"), cell("VTL", "S1")}, meta("VTL")), InputError);
        Commitment unknown;
        unknown.village_id = "V9";
        unknown.operator_code = "VTL";
        unknown.deadline = *Date::parse("2022-06-30");
        unknown.source = source_location("commitments.csv:row 2");
        try {
            s.store->put_commitments({unknown}, meta());
            FAIL("an unknown village must be refused");
        } catch (const InputError& e) {
            REQUIRE(e.problems().size() == 1);
            CHECK(e.problems()[0].code == "unknown_village");
        }
        CHECK(s.fingerprint() == before);
        CHECK(s.store->uploads().size() == 3);
    }
}

TEST_CASE("store names: a path or gpkg: is a GeoPackage; postgresql:// is refused clearly, without the password") {
    Subject s{"gpkg"};
    s.store.reset();
    const auto path = (s.dir / "store.gpkg").string();
    CHECK(store::open_store(path)->campaign().name == "Backend test");
    CHECK(store::open_store("gpkg:" + path)->campaign().name == "Backend test");
    // No server listens on port 1: refused at once, the password never shown.
    try {
        store::open_store(std::string{"postgresql://deadzone:s3cret@127.0.0.1:1/campaign?schema=vn"});
        FAIL("nothing listens on port 1");
    } catch (const StoreError& e) {
        const std::string message = e.what();
        CHECK(message.rfind("postgresql://deadzone:***@127.0.0.1:1/campaign?schema=vn: ", 0) == 0);
        CHECK(message.find("s3cret") == std::string::npos);
    }
    try {
        store::open_store(std::string{"postgresql://127.0.0.1:1/campaign?schema=Robert'); DROP"});
        FAIL("a schema name that needs quoting is refused");
    } catch (const StoreError& e) {
        CHECK(std::string{e.what()}.find("must be a plain lower-case name") != std::string::npos);
    }
    CHECK_THROWS_AS(store::create_store(std::string{"postgres://127.0.0.1:1/db"}, document(s.dir)), StoreError);
    try {
        store::open_store(std::string{"s3://bucket/store.gpkg"});
        FAIL("unknown kinds are refused");
    } catch (const StoreError& e) {
        CHECK(std::string{e.what()}.find("unknown kind of store 's3://'") != std::string::npos);
    }
    std::ofstream{s.dir / "campaign.json"} << campaign_json;
    CHECK_THROWS_AS(store::init_store(std::string{"postgresql://127.0.0.1:1/db"}, s.dir / "campaign.json"), StoreError);
}

TEST_CASE("gpkg blob decoder: damaged blobs are StoreErrors, never a crash") {
    const std::uint8_t not_gp[] = {'X', 'P', 0, 1, 0, 0, 0, 0};
    CHECK_THROWS_AS(store::detail::decode_gpkg_geometry(not_gp, sizeof not_gp), StoreError);
    const std::uint8_t short_envelope[] = {'G', 'P', 0, 0x03, 0xe6, 0x10, 0, 0, 1, 2, 3};
    CHECK_THROWS_AS(store::detail::decode_gpkg_geometry(short_envelope, sizeof short_envelope), StoreError);
    const std::uint8_t bad_envelope_code[] = {'G', 'P', 0, 0x0f, 0xe6, 0x10, 0, 0};
    CHECK_THROWS_AS(store::detail::decode_gpkg_geometry(bad_envelope_code, sizeof bad_envelope_code), StoreError);
    const std::uint8_t truncated_wkb[] = {'G', 'P', 0, 0x01, 0xe6, 0x10, 0, 0, 1, 3, 0, 0, 0, 1, 0, 0};
    CHECK_THROWS_AS(store::detail::decode_gpkg_geometry(truncated_wkb, sizeof truncated_wkb), StoreError);
    CHECK_THROWS_AS(store::detail::decode_gpkg_geometry(nullptr, 0), StoreError);
    // A real polygon: GP header without envelope, then ISO WKB of a triangle.
    std::vector<std::uint8_t> blob{'G', 'P', 0, 0x01, 0xe6, 0x10, 0, 0, 1, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0};
    for (const double value : {0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0}) {
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(&value);
        blob.insert(blob.end(), bytes, bytes + 8);
    }
    const auto polygon = store::detail::decode_gpkg_geometry(blob.data(), blob.size());
    REQUIRE(polygon.size() == 1);
    CHECK(polygon[0].outer().size() == 4);
    CHECK(polygon[0].outer()[1].x() == 1.0);
}

namespace {

std::string sha_of_file(const fs::path& file) {
    return store::sha256_file(file);
}

std::string integrity_of(const fs::path& file) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
    std::string text;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        text += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return text;
}

std::uint64_t free_on(const fs::path& dir) {
    struct statvfs info {};
    statvfs(dir.c_str(), &info);
    return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

} // namespace

TEST_CASE("gpkg: SQLite's own full-disk failure mid-upload leaves the store file byte-identical") {
    const fs::path mount_point = fs::temp_directory_path() / ("deadzone-full-disk-" + std::to_string(getpid()));
    fs::create_directories(mount_point);
    if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=16m") != 0) {
        const std::string message = std::string{"SKIPPED: cannot mount a small tmpfs ("} + std::strerror(errno) +
                                    "); the full-disk test needs root";
        std::cerr << "\n*** " << message << " ***\n\n";
        MESSAGE(message);
        fs::remove(mount_point);
        return;
    }
    const auto path = mount_point / "store.gpkg";
    {
        // The space checks are off: this reaches the case they exist to prevent, a disk that
        // fills up while the upload is being written (another process writing, say).
        store::GpkgOptions options;
        options.check_free_space = false;
        auto s = store::Store::create(store::create_gpkg_backend(path, options), document(mount_point));
        s->put_cells({cell("VTL", "S1")}, meta("VTL"));
        const auto before = sha_of_file(path);
        {
            std::ofstream filler{mount_point / "filler", std::ios::binary};
            const std::string block(4096, 'x');
            while (filler && free_on(mount_point) > 64 * 1024) {
                filler.write(block.data(), static_cast<std::streamsize>(block.size()));
                filler.flush();
            }
        }
        std::vector<Cell> many;
        for (int i = 0; i < 20000; ++i) {
            many.push_back(cell("VTL", "M" + std::to_string(i)));
        }
        try {
            s->put_cells(many, meta("VTL", "bb"));
            FAIL("20 000 cells cannot fit in 64 KB");
        } catch (const StoreError& e) {
            CHECK(std::string{e.what()}.find("disk holding the store is full") != std::string::npos);
        }
        CHECK(sha_of_file(path) == before);
        CHECK(s->uploads().size() == 2);
        fs::remove(mount_point / "filler");
        CHECK(s->put_cells(many, meta("VTL", "bb")).added == 20000);
    }
    CHECK(integrity_of(path) == "ok");
    ::umount2(mount_point.c_str(), MNT_DETACH);
    fs::remove(mount_point);
}
