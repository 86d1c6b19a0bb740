// The GeoPackage backend of the store: one SQLite file, rollback journal, one transaction per
// upload. See docs/store.md for the schema and how each guarantee is achieved.
#include "gpkg_schema.hpp"
#include "sqlite.hpp"
#include "store_detail.hpp"

#include <deadzone/geo/gdal.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ogr_geometry.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace deadzone::store {

namespace {

using detail::Database;
using detail::Statement;
using detail::Transaction;

static_assert(std::endian::native == std::endian::little, "GeoPackage blobs are written little-endian");

// ---- GeoPackage geometry blobs: "GP", version 0, flags, srs_id, envelope, then ISO WKB ----

std::vector<unsigned char> gpkg_blob(const OGRGeometry& geometry, const geo::Box* envelope) {
    const std::size_t envelope_size = envelope != nullptr ? 32 : 0;
    const std::size_t wkb_size = geometry.WkbSize();
    std::vector<unsigned char> blob(8 + envelope_size + wkb_size);
    blob[0] = 'G';
    blob[1] = 'P';
    blob[2] = 0;
    // bit 0: little-endian; bits 1-3: envelope [minx, maxx, miny, maxy]; bit 4: empty.
    blob[3] = static_cast<unsigned char>(0x01 | (envelope != nullptr ? 0x02 : 0x00) | (geometry.IsEmpty() ? 0x10 : 0x00));
    const std::int32_t srs_id = detail::wgs84_srs_id;
    std::memcpy(blob.data() + 4, &srs_id, 4);
    if (envelope != nullptr) {
        const double values[4] = {envelope->min_corner().x(), envelope->max_corner().x(),
                                  envelope->min_corner().y(), envelope->max_corner().y()};
        std::memcpy(blob.data() + 8, values, 32);
    }
    geometry.exportToWkb(wkbNDR, blob.data() + 8 + envelope_size, wkbVariantIso);
    return blob;
}

geo::Box envelope_of(const geo::MultiPolygon& geometry) {
    double min_x = 0.0, min_y = 0.0, max_x = 0.0, max_y = 0.0;
    bool first = true;
    for (const auto& polygon : geometry) {
        for (const auto& point : polygon.outer()) {
            if (first) {
                min_x = max_x = point.x();
                min_y = max_y = point.y();
                first = false;
            }
            min_x = std::min(min_x, point.x());
            max_x = std::max(max_x, point.x());
            min_y = std::min(min_y, point.y());
            max_y = std::max(max_y, point.y());
        }
    }
    return geo::Box{geo::Point{min_x, min_y}, geo::Point{max_x, max_y}};
}

geo::MultiPolygon multipolygon_from_blob(const std::vector<unsigned char>& blob, const std::string& where) {
    static constexpr std::size_t envelope_sizes[] = {0, 32, 48, 48, 64};
    if (blob.size() < 8 || blob[0] != 'G' || blob[1] != 'P') {
        throw StoreError(fmt::format("{}: damaged geometry (not a GeoPackage blob)", where));
    }
    const unsigned code = (blob[3] >> 1) & 0x07;
    if (code >= std::size(envelope_sizes) || blob.size() < 8 + envelope_sizes[code]) {
        throw StoreError(fmt::format("{}: damaged geometry header", where));
    }
    const std::size_t offset = 8 + envelope_sizes[code];
    OGRGeometry* raw = nullptr;
    if (OGRGeometryFactory::createFromWkb(blob.data() + offset, nullptr, &raw, blob.size() - offset,
                                          wkbVariantIso) != OGRERR_NONE) {
        throw StoreError(fmt::format("{}: damaged geometry WKB", where));
    }
    geo::GeometryPtr geometry{raw};
    return geo::to_multipolygon(*geometry);
}

// ---- Canonical record text: the digest tells "same content" from "changed" ----

/// Length-prefixed fields, so no value can be mistaken for another or for a missing one.
class Canon {
public:
    Canon& text(std::string_view value) {
        m_text += std::to_string(value.size());
        m_text += ':';
        m_text += value;
        return *this;
    }
    Canon& number(const std::optional<double>& value) {
        if (!value) {
            return missing();
        }
        // The shortest form that reads back to the same double: equal text = equal value.
        char buffer[32];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, *value).ptr;
        return text(std::string_view{buffer, static_cast<std::size_t>(end - buffer)});
    }
    Canon& integer(const std::optional<std::int64_t>& value) {
        return value ? text(std::to_string(*value)) : missing();
    }
    Canon& date(const std::optional<Date>& value) { return value ? text(value->iso()) : missing(); }
    Canon& bytes(const std::vector<unsigned char>& value) {
        return text(std::string_view{reinterpret_cast<const char*>(value.data()), value.size()});
    }
    Canon& missing() {
        m_text += '-';
        return *this;
    }
    const std::string& str() const noexcept { return m_text; }

private:
    std::string m_text;
};

std::string extra_json(const Attributes& extra, const std::string& source) {
    auto array = nlohmann::json::array();
    for (const auto& [key, value] : extra) {
        array.push_back(nlohmann::json::array({key, value}));
    }
    try {
        return array.dump();
    } catch (const nlohmann::json::exception&) {
        throw InputError(Location{source, std::nullopt, {}, std::nullopt}, "", "not_utf8",
                         "an attribute is not valid UTF-8 text; save the file as UTF-8");
    }
}

Attributes extra_from_json(const std::string& text, const std::string& where) {
    Attributes extra;
    try {
        for (const auto& item : nlohmann::json::parse(text)) {
            extra.emplace_back(item.at(0).get<std::string>(), item.at(1).get<std::string>());
        }
    } catch (const nlohmann::json::exception& e) {
        throw StoreError(fmt::format("{}: damaged extra attributes: {}", where, e.what()));
    }
    return extra;
}

Canon& canon_extra(Canon& canon, const Attributes& extra) {
    canon.integer(static_cast<std::int64_t>(extra.size()));
    for (const auto& [key, value] : extra) {
        canon.text(key).text(value);
    }
    return canon;
}

std::optional<Date> parse_stored_date(const std::optional<std::string>& text, const std::string& where) {
    if (!text) {
        return std::nullopt;
    }
    const auto date = Date::parse(*text);
    if (!date) {
        throw StoreError(fmt::format("{}: damaged date '{}'", where, *text));
    }
    return date;
}

Location location_of(const std::string& source) {
    return Location{source, std::nullopt, {}, std::nullopt};
}

// ---- The plan of one upload: which versions to open and which to close ----

struct Current {
    std::int64_t fid = 0;
    std::string digest;
};

struct Plan {
    std::vector<std::size_t> open;   // indexes of new records to insert
    std::vector<std::int64_t> close; // fids of current versions to close
    std::int64_t added = 0;
    std::int64_t changed = 0;
    std::int64_t ended = 0;
    std::int64_t unchanged = 0;
    bool empty() const noexcept { return open.empty() && close.empty(); }
};

Plan make_plan(const std::unordered_map<std::string, Current>& current, const std::vector<std::string>& keys,
               const std::vector<std::string>& digests, ImportMode mode) {
    Plan plan;
    std::unordered_set<std::string> seen;
    seen.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        seen.insert(keys[i]);
        const auto it = current.find(keys[i]);
        if (it == current.end()) {
            plan.open.push_back(i);
            ++plan.added;
        } else if (it->second.digest != digests[i]) {
            plan.close.push_back(it->second.fid);
            plan.open.push_back(i);
            ++plan.changed;
        } else {
            ++plan.unchanged;
        }
    }
    if (mode == ImportMode::replace) {
        for (const auto& [key, row] : current) {
            if (seen.count(key) == 0) {
                plan.close.push_back(row.fid);
                ++plan.ended;
            }
        }
        // Deterministic write order (the map's order is not).
        std::sort(plan.close.begin(), plan.close.end());
    }
    return plan;
}

/// Duplicate keys within one upload are errors naming both rows.
template <typename Label>
void check_unique(const std::vector<std::string>& keys, const std::vector<const std::string*>& sources,
                  const Label& label, const char* field) {
    std::unordered_map<std::string, std::size_t> first;
    std::vector<Problem> problems;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto [it, inserted] = first.emplace(keys[i], i);
        if (!inserted) {
            problems.push_back(Problem{Severity::error, location_of(*sources[i]), field, "duplicate_id",
                                       fmt::format("{} appears again (first at {})", label(i), *sources[it->second])});
        }
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
}

std::string join_key(std::string_view a, std::string_view b) {
    std::string key{a};
    key += '\x1f';
    key += b;
    return key;
}

class GpkgStore final : public Store {
public:
    GpkgStore(const std::filesystem::path& path, bool create) : m_db(path.string(), create) {}

    void initialize(const CampaignDocument& document) {
        configure();
        Transaction tx{m_db, true};
        detail::create_schema(m_db);
        const Campaign campaign = parse(document.json_text, document.base_dir, document.file_name);
        Upload upload;
        upload.kind = UploadKind::campaign;
        upload.file_name = document.file_name;
        upload.sha256 = document.sha256;
        upload.uploaded_by = document.uploaded_by;
        upload.rows_accepted = 1;
        upload.added = 1;
        insert_upload(upload);
        Statement row{m_db, "INSERT INTO campaign VALUES (1, ?, ?, ?, ?)"};
        row.bind(1, std::string_view{campaign.name})
            .bind(2, std::string_view{document.json_text})
            .bind(3, std::string_view{document.base_dir.string()})
            .bind(4, upload.id)
            .run();
        Statement op{m_db, "INSERT INTO operators (code, name, mcc_mnc, color) VALUES (?, ?, ?, ?)"};
        for (const auto& o : campaign.operators) {
            op.bind(1, std::string_view{o.code})
                .bind(2, std::string_view{o.name})
                .bind(3, std::string_view{nlohmann::json(o.mcc_mnc).dump()})
                .bind(4, std::string_view{o.color})
                .run();
        }
        tx.commit();
        m_campaign = campaign;
    }

    void open() {
        detail::check_schema(m_db);
        configure();
        Statement row{m_db, "SELECT document, base_dir, name FROM campaign WHERE fid = 1"};
        if (!row.step()) {
            throw StoreError(fmt::format("{}: damaged deadzone store: no campaign recorded", m_db.path()));
        }
        m_campaign = parse(row.text(0), row.text(1), m_db.path() + ":campaign");
    }

    std::string location() const override { return m_db.path(); }
    Campaign campaign() const override { return m_campaign; }

    ImportResult put_villages(const std::vector<Village>& villages, const UploadMeta& meta) override {
        const std::size_t n = villages.size();
        std::vector<std::string> keys(n), digests(n), extras(n);
        std::vector<std::vector<unsigned char>> blobs(n);
        std::vector<const std::string*> sources(n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto& v = villages[i];
            keys[i] = v.id;
            sources[i] = &v.source;
            const auto ogr = geo::to_ogr(v.geometry);
            const geo::Box box = envelope_of(v.geometry);
            blobs[i] = gpkg_blob(*ogr, v.geometry.empty() ? nullptr : &box);
            extras[i] = extra_json(v.extra, v.source);
            Canon canon;
            canon.text(v.id).text(v.name).text(v.province).text(v.district).text(v.commune);
            canon.number(v.population).integer(v.households);
            canon.bytes(std::vector<unsigned char>(blobs[i].begin() + 8 + (v.geometry.empty() ? 0 : 32), blobs[i].end()));
            canon.number(v.point ? std::optional<double>{v.point->x()} : std::nullopt);
            canon.number(v.point ? std::optional<double>{v.point->y()} : std::nullopt);
            digests[i] = detail::sha256_hex(canon_extra(canon, v.extra).str());
        }
        check_unique(keys, sources, [&](std::size_t i) { return fmt::format("village '{}'", villages[i].id); },
                     "village_id");

        Transaction tx{m_db, true};
        std::unordered_map<std::string, Current> current;
        {
            Statement q{m_db, "SELECT fid, village_id, digest FROM villages WHERE known_to_upload IS NULL"};
            while (q.step()) {
                current.emplace(q.text(1), Current{q.int64(0), q.text(2)});
            }
        }
        const Plan plan = make_plan(current, keys, digests, meta.mode);
        if (plan.ended > 0) {
            // A village may not vanish while a current commitment still names it.
            std::unordered_set<std::string> kept(keys.begin(), keys.end());
            std::vector<Problem> problems;
            Statement q{m_db, "SELECT DISTINCT village_id, source FROM commitments WHERE known_to_upload IS NULL "
                              "ORDER BY village_id"};
            while (q.step()) {
                if (kept.count(q.text(0)) == 0) {
                    problems.push_back(Problem{
                        Severity::error, Location{meta.file_name, std::nullopt, {}, std::nullopt}, "village_id",
                        "village_in_use",
                        fmt::format("village '{}' is missing from this upload but the commitment at {} names it; "
                                    "upload commitments without it first",
                                    q.text(0), q.text(1))});
                }
            }
            if (!problems.empty()) {
                throw InputError(std::move(problems));
            }
        }
        ImportResult result = begin_result(plan, UploadKind::villages, meta);
        if (plan.empty()) {
            return result;
        }
        Upload upload = upload_for(UploadKind::villages, meta, n, plan);
        insert_upload(upload);
        close_versions("villages", plan.close, upload.id);
        Statement insert{m_db,
                         "INSERT INTO villages (geom, village_id, name, province, district, commune, population, "
                         "households, point_lon, point_lat, extra, source, digest, known_from_upload) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
        for (const std::size_t i : plan.open) {
            const auto& v = villages[i];
            insert.bind_blob(1, blobs[i])
                .bind(2, std::string_view{v.id})
                .bind(3, std::string_view{v.name})
                .bind(4, std::string_view{v.province})
                .bind(5, std::string_view{v.district})
                .bind(6, std::string_view{v.commune})
                .bind(7, v.population)
                .bind(8, v.households)
                .bind(9, v.point ? std::optional<double>{v.point->x()} : std::nullopt)
                .bind(10, v.point ? std::optional<double>{v.point->y()} : std::nullopt)
                .bind(11, std::string_view{extras[i]})
                .bind(12, std::string_view{v.source})
                .bind(13, std::string_view{digests[i]})
                .bind(14, upload.id)
                .run();
        }
        tx.commit();
        result.upload = upload;
        return result;
    }

    ImportResult put_commitments(const std::vector<Commitment>& commitments, const UploadMeta& meta) override {
        const std::size_t n = commitments.size();
        std::vector<std::string> keys(n), digests(n), extras(n);
        std::vector<const std::string*> sources(n);
        std::vector<Problem> problems;
        for (std::size_t i = 0; i < n; ++i) {
            const auto& c = commitments[i];
            keys[i] = join_key(c.village_id, c.operator_code);
            sources[i] = &c.source;
            if (m_campaign.find_operator(c.operator_code) == nullptr) {
                problems.push_back(Problem{Severity::error, location_of(c.source), "operator", "unknown_operator",
                                           fmt::format("operator '{}' is not in the campaign", c.operator_code)});
            }
            extras[i] = extra_json(c.extra, c.source);
            Canon canon;
            canon.text(c.village_id).text(c.operator_code).date(c.deadline).date(c.registered_on);
            digests[i] = detail::sha256_hex(canon_extra(canon, c.extra).str());
        }
        if (!problems.empty()) {
            throw InputError(std::move(problems));
        }
        check_unique(keys, sources, [&](std::size_t i) {
            return fmt::format("commitment of '{}' for village '{}'", commitments[i].operator_code,
                               commitments[i].village_id);
        }, "village_id");

        Transaction tx{m_db, true};
        {
            // Checked inside the write transaction, against the villages current right now.
            std::unordered_set<std::string> villages;
            Statement q{m_db, "SELECT village_id FROM villages WHERE known_to_upload IS NULL"};
            while (q.step()) {
                villages.insert(q.text(0));
            }
            for (const auto& c : commitments) {
                if (villages.count(c.village_id) == 0) {
                    problems.push_back(Problem{Severity::error, location_of(c.source), "village_id",
                                               "unknown_village",
                                               fmt::format("village '{}' is not in the store", c.village_id)});
                }
            }
            if (!problems.empty()) {
                throw InputError(std::move(problems));
            }
        }
        std::unordered_map<std::string, Current> current;
        {
            Statement q{m_db, "SELECT fid, village_id, operator, digest FROM commitments WHERE known_to_upload IS NULL"};
            while (q.step()) {
                current.emplace(join_key(q.text(1), q.text(2)), Current{q.int64(0), q.text(3)});
            }
        }
        const Plan plan = make_plan(current, keys, digests, meta.mode);
        ImportResult result = begin_result(plan, UploadKind::commitments, meta);
        if (plan.empty()) {
            return result;
        }
        Upload upload = upload_for(UploadKind::commitments, meta, n, plan);
        insert_upload(upload);
        close_versions("commitments", plan.close, upload.id);
        Statement insert{m_db, "INSERT INTO commitments (village_id, operator, deadline, registered_on, extra, "
                               "source, digest, known_from_upload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};
        for (const std::size_t i : plan.open) {
            const auto& c = commitments[i];
            insert.bind(1, std::string_view{c.village_id})
                .bind(2, std::string_view{c.operator_code})
                .bind(3, std::string_view{c.deadline.iso()})
                .bind(4, c.registered_on ? std::optional<std::string>{c.registered_on->iso()} : std::nullopt)
                .bind(5, std::string_view{extras[i]})
                .bind(6, std::string_view{c.source})
                .bind(7, std::string_view{digests[i]})
                .bind(8, upload.id)
                .run();
        }
        tx.commit();
        result.upload = upload;
        return result;
    }

    ImportResult put_cells(const std::vector<Cell>& cells, const UploadMeta& meta) override {
        const Operator* op = m_campaign.find_operator(meta.operator_code);
        if (op == nullptr) {
            throw InputError(Location{meta.file_name, std::nullopt, {}, std::nullopt}, "operator",
                             "unknown_operator", fmt::format("operator '{}' is not in the campaign", meta.operator_code));
        }
        const std::size_t n = cells.size();
        std::vector<std::string> keys(n), digests(n);
        std::vector<const std::string*> sources(n);
        std::vector<Problem> problems;
        for (std::size_t i = 0; i < n; ++i) {
            const auto& c = cells[i];
            // An operator's upload may only contain, and so only change, its own cells.
            if (c.operator_code != op->code) {
                problems.push_back(Problem{Severity::error, location_of(c.source), "operator", "wrong_operator",
                                           fmt::format("cell '{}' belongs to '{}'; this upload is for '{}' only",
                                                       c.key(), c.operator_code, op->code)});
                continue;
            }
            keys[i] = join_key(c.site_id, c.cell_id);
            sources[i] = &c.source;
            Canon canon;
            canon.text(c.site_id).text(c.cell_id).number(c.position.x()).number(c.position.y());
            canon.text(to_string(c.tech)).text(to_string(c.status)).date(c.on_air_date).date(c.off_air_date);
            canon.number(c.height_m).number(c.freq_mhz).number(c.eirp_dbm).number(c.azimuth_deg);
            canon.number(c.beamwidth_deg).number(c.tilt_deg).number(c.range_m);
            digests[i] = detail::sha256_hex(canon_extra(canon, c.extra).str());
        }
        if (!problems.empty()) {
            throw InputError(std::move(problems));
        }
        check_unique(keys, sources, [&](std::size_t i) { return fmt::format("cell '{}'", cells[i].key()); },
                     "cell_id");

        Transaction tx{m_db, true};
        std::unordered_map<std::string, Current> current;
        current.reserve(n);
        {
            Statement q{m_db, "SELECT fid, site_id, cell_id, digest FROM cells "
                              "WHERE operator = ? AND known_to_upload IS NULL"};
            q.bind(1, std::string_view{op->code});
            while (q.step()) {
                current.emplace(join_key(q.text(1), q.text(2)), Current{q.int64(0), q.text(3)});
            }
        }
        const Plan plan = make_plan(current, keys, digests, meta.mode);
        UploadMeta canonical = meta;
        canonical.operator_code = op->code;
        ImportResult result = begin_result(plan, UploadKind::stations, canonical);
        if (plan.empty()) {
            return result;
        }
        Upload upload = upload_for(UploadKind::stations, canonical, n, plan);
        insert_upload(upload);
        close_versions("cells", plan.close, upload.id);
        Statement insert{m_db,
                         "INSERT INTO cells (geom, operator, site_id, cell_id, tech, status, on_air_date, "
                         "off_air_date, height_m, freq_mhz, eirp_dbm, azimuth_deg, beamwidth_deg, tilt_deg, range_m, "
                         "lon, lat, extra, source, digest, known_from_upload) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
        for (const std::size_t i : plan.open) {
            const auto& c = cells[i];
            // Blobs and attribute text only for the versions actually written.
            const OGRPoint point{c.position.x(), c.position.y()};
            const auto extra = extra_json(c.extra, c.source);
            insert.bind_blob(1, gpkg_blob(point, nullptr))
                .bind(2, std::string_view{c.operator_code})
                .bind(3, std::string_view{c.site_id})
                .bind(4, std::string_view{c.cell_id})
                .bind(5, std::string_view{to_string(c.tech)})
                .bind(6, std::string_view{to_string(c.status)})
                .bind(7, c.on_air_date ? std::optional<std::string>{c.on_air_date->iso()} : std::nullopt)
                .bind(8, c.off_air_date ? std::optional<std::string>{c.off_air_date->iso()} : std::nullopt)
                .bind(9, c.height_m)
                .bind(10, c.freq_mhz)
                .bind(11, c.eirp_dbm)
                .bind(12, c.azimuth_deg)
                .bind(13, c.beamwidth_deg)
                .bind(14, c.tilt_deg)
                .bind(15, c.range_m)
                .bind(16, c.position.x())
                .bind(17, c.position.y())
                .bind(18, std::string_view{extra})
                .bind(19, std::string_view{c.source})
                .bind(20, std::string_view{digests[i]})
                .bind(21, upload.id)
                .run();
        }
        tx.commit();
        result.upload = upload;
        return result;
    }

    std::vector<Upload> uploads() const override {
        Transaction tx{m_db, false};
        Statement q{m_db, std::string{upload_columns} + " ORDER BY id"};
        std::vector<Upload> out;
        while (q.step()) {
            out.push_back(read_upload(q));
        }
        return out;
    }

    Snapshot snapshot(std::optional<std::int64_t> upload_id) const override {
        // One read transaction: the three tables are seen at the same instant.
        Transaction tx{m_db, false};
        Snapshot snap;
        {
            Statement q{m_db, upload_id ? std::string{upload_columns} + " WHERE id = ?"
                                        : std::string{upload_columns} + " ORDER BY id DESC LIMIT 1"};
            if (upload_id) {
                q.bind(1, *upload_id);
            }
            if (!q.step()) {
                throw UsageError(upload_id ? fmt::format("{}: there is no upload #{}", m_db.path(), *upload_id)
                                           : fmt::format("{}: the store has no uploads", m_db.path()));
            }
            snap.known_at = read_upload(q);
        }
        const std::int64_t at = snap.known_at.id;
        snap.campaign = m_campaign;
        const std::string when = " WHERE known_from_upload <= ?1 AND (known_to_upload IS NULL OR known_to_upload > ?1)";
        {
            Statement q{m_db, "SELECT geom, village_id, name, province, district, commune, population, households, "
                              "point_lon, point_lat, extra, source FROM villages" + when + " ORDER BY village_id"};
            q.bind(1, at);
            while (q.step()) {
                Village v;
                v.id = q.text(1);
                const std::string where = fmt::format("{}:villages '{}'", m_db.path(), v.id);
                v.geometry = multipolygon_from_blob(q.blob(0), where);
                v.name = q.text(2);
                v.province = q.text(3);
                v.district = q.text(4);
                v.commune = q.text(5);
                v.population = q.optional_real(6);
                v.households = q.optional_int64(7);
                if (!q.is_null(8) && !q.is_null(9)) {
                    v.point = geo::Point{q.real(8), q.real(9)};
                }
                v.extra = extra_from_json(q.text(10), where);
                v.source = q.text(11);
                snap.inputs.villages.push_back(std::move(v));
            }
        }
        {
            Statement q{m_db, "SELECT village_id, operator, deadline, registered_on, extra, source FROM commitments" +
                                  when + " ORDER BY village_id, operator"};
            q.bind(1, at);
            while (q.step()) {
                Commitment c;
                c.village_id = q.text(0);
                c.operator_code = q.text(1);
                const std::string where = fmt::format("{}:commitments '{}/{}'", m_db.path(), c.village_id, c.operator_code);
                c.deadline = *parse_stored_date(q.text(2), where);
                c.registered_on = parse_stored_date(q.optional_text(3), where);
                c.extra = extra_from_json(q.text(4), where);
                c.source = q.text(5);
                snap.inputs.commitments.push_back(std::move(c));
            }
        }
        {
            Statement q{m_db, "SELECT operator, site_id, cell_id, tech, status, on_air_date, off_air_date, height_m, "
                              "freq_mhz, eirp_dbm, azimuth_deg, beamwidth_deg, tilt_deg, range_m, lon, lat, extra, "
                              "source FROM cells" + when + " ORDER BY operator, site_id, cell_id"};
            q.bind(1, at);
            while (q.step()) {
                Cell c;
                c.operator_code = q.text(0);
                c.site_id = q.text(1);
                c.cell_id = q.text(2);
                const std::string where = fmt::format("{}:cells '{}'", m_db.path(), c.key());
                const auto tech = parse_tech(q.text(3));
                const auto status = parse_cell_status(q.text(4));
                if (!tech || !status) {
                    throw StoreError(fmt::format("{}: damaged tech or status", where));
                }
                c.tech = *tech;
                c.status = *status;
                c.on_air_date = parse_stored_date(q.optional_text(5), where);
                c.off_air_date = parse_stored_date(q.optional_text(6), where);
                c.height_m = q.optional_real(7);
                c.freq_mhz = q.optional_real(8);
                c.eirp_dbm = q.optional_real(9);
                c.azimuth_deg = q.optional_real(10);
                c.beamwidth_deg = q.optional_real(11);
                c.tilt_deg = q.optional_real(12);
                c.range_m = q.optional_real(13);
                c.position = geo::Point{q.real(14), q.real(15)};
                c.extra = extra_from_json(q.text(16), where);
                c.source = q.text(17);
                snap.inputs.cells.push_back(std::move(c));
            }
        }
        tx.commit();
        return snap;
    }

    std::vector<std::string> check_integrity() const override {
        std::vector<std::string> problems;
        Statement q{m_db, "PRAGMA integrity_check"};
        while (q.step()) {
            if (q.text(0) != "ok") {
                problems.push_back(q.text(0));
            }
        }
        // Versioning invariant: at most one current version per key.
        const char* duplicates[] = {
            "SELECT 'village ' || village_id FROM villages WHERE known_to_upload IS NULL GROUP BY village_id "
            "HAVING count(*) > 1",
            "SELECT 'commitment ' || village_id || '/' || operator FROM commitments WHERE known_to_upload IS NULL "
            "GROUP BY village_id, operator HAVING count(*) > 1",
            "SELECT 'cell ' || operator || '/' || site_id || '/' || cell_id FROM cells WHERE known_to_upload IS NULL "
            "GROUP BY operator, site_id, cell_id HAVING count(*) > 1"};
        for (const char* sql : duplicates) {
            Statement d{m_db, sql};
            while (d.step()) {
                problems.push_back(d.text(0) + " has more than one current version");
            }
        }
        return problems;
    }

private:
    static constexpr const char* upload_columns =
        "SELECT id, kind, operator, mode, uploaded_at, uploaded_by, file_name, sha256, rows_accepted, rows_warned, "
        "rows_rejected, added, changed, ended FROM uploads";

    void configure() {
        // Rollback journal (not WAL): the store stays one self-contained file for QGIS, and a
        // hot journal left by a killed writer is rolled back by the next connection. The page
        // cache stays at SQLite's default, so a large upload spills into the file before COMMIT
        // and that rollback path is the one the SIGKILL test exercises.
        m_db.exec("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;");
    }

    static Campaign parse(const std::string& json_text, const std::filesystem::path& base_dir,
                          const std::string& source_name) {
        nlohmann::json document;
        try {
            document = nlohmann::json::parse(json_text);
        } catch (const nlohmann::json::exception& e) {
            throw InputError(Location{source_name, std::nullopt, {}, std::nullopt}, "", "bad_json", e.what());
        }
        Campaign campaign = ingest::parse_campaign(document, base_dir, source_name);
        // Inside the store the records are the inputs; the campaign's file paths mean nothing.
        campaign.villages.reset();
        campaign.commitments.reset();
        campaign.stations.clear();
        campaign.file.clear();
        return campaign;
    }

    Upload read_upload(Statement& q) const {
        Upload u;
        u.id = q.int64(0);
        const auto kind = parse_upload_kind(q.text(1));
        const auto mode = parse_import_mode(q.text(3));
        if (!kind || !mode) {
            throw StoreError(fmt::format("{}: damaged upload #{}", m_db.path(), u.id));
        }
        u.kind = *kind;
        u.operator_code = q.optional_text(2).value_or("");
        u.mode = *mode;
        u.uploaded_at = q.text(4);
        u.uploaded_by = q.text(5);
        u.file_name = q.text(6);
        u.sha256 = q.text(7);
        u.rows_accepted = q.int64(8);
        u.rows_warned = q.int64(9);
        u.rows_rejected = q.int64(10);
        u.added = q.int64(11);
        u.changed = q.int64(12);
        u.ended = q.int64(13);
        return u;
    }

    ImportResult begin_result(const Plan& plan, UploadKind kind, const UploadMeta& meta) {
        ImportResult result;
        result.added = plan.added;
        result.changed = plan.changed;
        result.ended = plan.ended;
        result.unchanged = plan.unchanged;
        if (plan.empty()) {
            Statement q{m_db, "SELECT max(id) FROM uploads WHERE kind = ? AND sha256 = ? AND ifnull(operator, '') = ?"};
            q.bind(1, std::string_view{to_string(kind)})
                .bind(2, std::string_view{meta.sha256})
                .bind(3, std::string_view{meta.operator_code});
            if (q.step() && !q.is_null(0)) {
                result.same_file_as = q.int64(0);
            }
        }
        return result;
    }

    static Upload upload_for(UploadKind kind, const UploadMeta& meta, std::size_t rows, const Plan& plan) {
        Upload u;
        u.kind = kind;
        u.operator_code = meta.operator_code;
        u.mode = meta.mode;
        u.uploaded_by = meta.uploaded_by;
        u.file_name = meta.file_name;
        u.sha256 = meta.sha256;
        u.rows_accepted = static_cast<std::int64_t>(rows);
        u.rows_warned = meta.rows_warned;
        u.added = plan.added;
        u.changed = plan.changed;
        u.ended = plan.ended;
        return u;
    }

    /// Stamps the time (never earlier than the previous upload's, so time order = id order)
    /// and inserts the log row; sets u.id. Must run inside the write transaction.
    void insert_upload(Upload& u) {
        u.uploaded_at = detail::now_utc();
        {
            Statement q{m_db, "SELECT max(uploaded_at) FROM uploads"};
            if (q.step() && !q.is_null(0)) {
                u.uploaded_at = std::max(u.uploaded_at, q.text(0));
            }
        }
        Statement insert{m_db, "INSERT INTO uploads (kind, operator, mode, uploaded_at, uploaded_by, file_name, sha256, "
                               "rows_accepted, rows_warned, rows_rejected, added, changed, ended) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)"};
        insert.bind(1, std::string_view{to_string(u.kind)})
            .bind(2, u.operator_code.empty() ? std::nullopt : std::optional<std::string>{u.operator_code})
            .bind(3, std::string_view{to_string(u.mode)})
            .bind(4, std::string_view{u.uploaded_at})
            .bind(5, std::string_view{u.uploaded_by})
            .bind(6, std::string_view{u.file_name})
            .bind(7, std::string_view{u.sha256})
            .bind(8, u.rows_accepted)
            .bind(9, u.rows_warned)
            .bind(10, u.added)
            .bind(11, u.changed)
            .bind(12, u.ended)
            .run();
        u.id = sqlite3_last_insert_rowid(m_db.handle());
        u.rows_rejected = 0;
    }

    void close_versions(const char* table, const std::vector<std::int64_t>& fids, std::int64_t upload_id) {
        Statement update{m_db, fmt::format("UPDATE {} SET known_to_upload = ? WHERE fid = ?", table)};
        for (const auto fid : fids) {
            update.bind(1, upload_id).bind(2, fid).run();
        }
    }

    mutable Database m_db;
    Campaign m_campaign;
};

} // namespace

std::unique_ptr<Store> create_store(const std::filesystem::path& path, const CampaignDocument& campaign) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        throw StoreError(fmt::format("{}: already exists; a store is created once (use 'deadzone import' to add to it)",
                                     path.string()));
    }
    auto store = std::make_unique<GpkgStore>(path, true);
    store->initialize(campaign);
    return store;
}

std::unique_ptr<Store> open_store(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw StoreError(fmt::format("{}: no such store (create one with 'deadzone init {} --campaign F')",
                                     path.string(), path.string()));
    }
    auto store = std::make_unique<GpkgStore>(path, false);
    store->open();
    return store;
}

} // namespace deadzone::store
