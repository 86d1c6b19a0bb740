// The PostgreSQL backend's record rows: new versions go in by COPY (text format, geometries as
// hex EWKB with SRID 4326), snapshots come back with geometries as WKB and doubles in their
// shortest exact text, so every field reads back bit for bit.
#include "pg_backend.hpp"

#include <deadzone/core/source.hpp>
#include <deadzone/geo/gdal.hpp>

#include <fmt/format.h>
#include <ogr_geometry.h>

#include <cstring>

namespace deadzone::store::detail {

namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

void append_hex(std::string& out, const unsigned char* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        out += hex_digits[data[i] >> 4];
        out += hex_digits[data[i] & 0x0f];
    }
}

/// EWKB (little-endian) = ISO WKB with the SRID flag set on the outer type and the SRID after
/// it; nested parts are unchanged. Written as hex, which PostGIS reads in COPY.
std::string hex_ewkb(const std::vector<unsigned char>& iso_wkb) {
    std::uint32_t type = 0;
    std::memcpy(&type, iso_wkb.data() + 1, 4);
    type |= 0x20000000u;
    const std::uint32_t srid = 4326;
    std::string out;
    out.reserve(iso_wkb.size() * 2 + 16);
    append_hex(out, iso_wkb.data(), 1);
    append_hex(out, reinterpret_cast<const unsigned char*>(&type), 4);
    append_hex(out, reinterpret_cast<const unsigned char*>(&srid), 4);
    append_hex(out, iso_wkb.data() + 5, iso_wkb.size() - 5);
    return out;
}

std::string point_ewkb(const geo::Point& p) {
    unsigned char wkb[21];
    wkb[0] = 1;
    const std::uint32_t type = 1;
    const double x = p.x();
    const double y = p.y();
    std::memcpy(wkb + 1, &type, 4);
    std::memcpy(wkb + 5, &x, 8);
    std::memcpy(wkb + 13, &y, 8);
    return hex_ewkb(std::vector<unsigned char>(wkb, wkb + sizeof wkb));
}

std::vector<unsigned char> from_hex(const std::string& text) {
    std::vector<unsigned char> out(text.size() / 2);
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<unsigned char>(nibble(text[2 * i]) << 4 | nibble(text[2 * i + 1]));
    }
    return out;
}

geo::MultiPolygon decode_wkb(const std::vector<unsigned char>& wkb, const std::string& where) {
    OGRGeometry* raw = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &raw, wkb.size(), wkbVariantIso) != OGRERR_NONE ||
        raw == nullptr) {
        throw StoreError(fmt::format("{}: damaged geometry WKB", where));
    }
    const geo::GeometryPtr geometry{raw};
    return geo::to_multipolygon(*geometry);
}

std::optional<std::string> iso(const std::optional<Date>& date) {
    return date ? std::optional<std::string>{date->iso()} : std::nullopt;
}

std::optional<std::string> text_or_null(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>{text};
}

std::optional<std::string> integer(const std::optional<std::int64_t>& value) {
    return value ? std::optional<std::string>{std::to_string(*value)} : std::nullopt;
}

const std::string at_upload = " WHERE known_from_upload <= $1 AND (known_to_upload IS NULL OR known_to_upload > $1)";

} // namespace

void PgBackend::copy_versions(const char* table, const std::string& columns, const std::string& data) {
    if (m_db.exec("SELECT row_security_active($1)", {std::string{table}}).text(0, 0) == "f") {
        m_db.copy_in(fmt::format("COPY {} ({}) FROM STDIN", table, columns), data);
        return;
    }
    const std::string staging = fmt::format("deadzone_new_{}", table);
    m_db.exec(fmt::format("CREATE TEMP TABLE IF NOT EXISTS {0} ON COMMIT DROP AS SELECT {1} FROM {2} WITH NO DATA; "
                          "TRUNCATE {0}",
                          staging, columns, table));
    m_db.copy_in(fmt::format("COPY {} ({}) FROM STDIN", staging, columns), data);
    m_db.exec(fmt::format("INSERT INTO {0} ({1}) SELECT {1} FROM {2}", table, columns, staging));
}

void PgBackend::insert_versions(const std::vector<NewVersion<Village>>& versions, std::int64_t upload_id) {
    const std::string upload = std::to_string(upload_id);
    std::string data;
    for (const auto& version : versions) {
        const Village& v = *version.record;
        copy_field(data, hex_ewkb(*version.wkb));
        copy_field(data, v.id);
        copy_field(data, v.name);
        copy_field(data, v.province);
        copy_field(data, v.district);
        copy_field(data, v.commune);
        copy_field(data, exact_double(v.population));
        copy_field(data, integer(v.households));
        copy_field(data, v.point ? exact_double(std::optional<double>{v.point->x()}) : std::nullopt);
        copy_field(data, v.point ? exact_double(std::optional<double>{v.point->y()}) : std::nullopt);
        copy_field(data, attributes_to_json(v.extra, v.source));
        copy_field(data, source_text(v.source));
        copy_field(data, *version.digest);
        copy_field(data, upload);
        copy_end_row(data);
    }
    copy_versions("villages",
                  "geom, village_id, name, province, district, commune, population, households, point_lon, point_lat, "
                  "extra, source, digest, known_from_upload",
                  data);
}

void PgBackend::insert_versions(const std::vector<NewVersion<Commitment>>& versions, std::int64_t upload_id) {
    const std::string upload = std::to_string(upload_id);
    std::string data;
    for (const auto& version : versions) {
        const Commitment& c = *version.record;
        copy_field(data, c.operator_code);
        copy_field(data, c.village_id);
        copy_field(data, c.deadline.iso());
        copy_field(data, iso(c.registered_on));
        copy_field(data, attributes_to_json(c.extra, c.source));
        copy_field(data, source_text(c.source));
        copy_field(data, *version.digest);
        copy_field(data, upload);
        copy_field(data, integer(c.support_fund_vnd));
        copy_field(data, text_or_null(c.note));
        copy_end_row(data);
    }
    copy_versions("commitments",
                  "operator, village_id, deadline, registered_on, extra, source, digest, known_from_upload, "
                  "support_fund_vnd, note",
                  data);
}

void PgBackend::insert_versions(const std::vector<NewVersion<Cell>>& versions, std::int64_t upload_id) {
    const std::string upload = std::to_string(upload_id);
    std::string data;
    data.reserve(versions.size() * 320);
    for (const auto& version : versions) {
        const Cell& c = *version.record;
        copy_field(data, c.operator_code);
        copy_field(data, point_ewkb(c.position));
        copy_field(data, c.site_id);
        copy_field(data, c.cell_id);
        copy_field(data, std::string{to_string(c.tech)});
        copy_field(data, std::string{to_string(c.status)});
        copy_field(data, iso(c.on_air_date));
        copy_field(data, iso(c.off_air_date));
        for (const auto* value : {&c.height_m, &c.freq_mhz, &c.eirp_dbm, &c.azimuth_deg, &c.beamwidth_deg,
                                  &c.tilt_deg, &c.range_m}) {
            copy_field(data, exact_double(*value));
        }
        copy_field(data, exact_double(c.position.x()));
        copy_field(data, exact_double(c.position.y()));
        copy_field(data, attributes_to_json(c.extra, c.source));
        copy_field(data, source_text(c.source));
        copy_field(data, *version.digest);
        copy_field(data, upload);
        copy_field(data, c.delay.reason ? std::optional<std::string>{to_string(*c.delay.reason)} : std::nullopt);
        copy_field(data, text_or_null(c.delay.note));
        copy_field(data, iso(c.delay.expected_on_air_date));
        copy_field(data, text_or_null(c.delay.power_source));
        copy_field(data, text_or_null(c.delay.backhaul));
        copy_end_row(data);
    }
    copy_versions("cells",
                  "operator, geom, site_id, cell_id, tech, status, on_air_date, off_air_date, height_m, freq_mhz, "
                  "eirp_dbm, azimuth_deg, beamwidth_deg, tilt_deg, range_m, lon, lat, extra, source, digest, "
                  "known_from_upload, delay_reason, delay_note, expected_on_air_date, power_source, backhaul",
                  data);
}

void PgBackend::insert_versions(const std::vector<NewVersion<Sample>>& versions, std::int64_t upload_id) {
    const std::string upload = std::to_string(upload_id);
    std::string data;
    data.reserve(versions.size() * 240);
    for (const auto& version : versions) {
        const Sample& s = *version.record;
        copy_field(data, s.operator_code);
        copy_field(data, point_ewkb(s.position));
        copy_field(data, s.time);
        copy_field(data, s.day.iso());
        copy_field(data, std::string{to_string(s.tech)});
        copy_field(data, exact_double(s.level_dbm));
        copy_field(data, s.cell_id);
        copy_field(data, s.origin);
        copy_field(data, exact_double(s.position.x()));
        copy_field(data, exact_double(s.position.y()));
        copy_field(data, *version.key);
        copy_field(data, std::to_string(version.ordinal));
        copy_field(data, source_text(s.source));
        copy_field(data, *version.digest);
        copy_field(data, upload);
        copy_end_row(data);
    }
    copy_versions("measurements",
                  "operator, geom, time, day, tech, level_dbm, cell_id, origin, lon, lat, sample_key, ordinal, source, "
                  "digest, known_from_upload",
                  data);
}

void PgBackend::read_versions_at(std::int64_t upload_id, ingest::Inputs& out) {
    read_villages_at(upload_id, out);
    read_commitments_at(upload_id, out);
    read_cells_at(upload_id, out);
    read_samples_at(upload_id, out);
}

void PgBackend::read_samples_at(std::int64_t upload_id, ingest::Inputs& out) {
    const auto r = m_db.exec("SELECT operator, time, day, tech, level_dbm, cell_id, origin, lon, lat, source "
                             "FROM measurements" + at_upload + " ORDER BY known_from_upload, ordinal",
                             {std::to_string(upload_id)});
    out.samples.reserve(out.samples.size() + static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        Sample s;
        s.operator_code = r.text(i, 0);
        s.time = r.text(i, 1);
        const std::string where = fmt::format("{}:measurements '{}' {}", m_db.shown(), s.operator_code, s.time);
        s.day = *parse_stored_date(r.text(i, 2), where);
        const auto tech = parse_tech(r.text(i, 3));
        if (!tech) {
            throw StoreError(fmt::format("{}: damaged tech", where));
        }
        s.tech = *tech;
        s.level_dbm = r.real(i, 4);
        s.cell_id = r.text(i, 5);
        s.origin = r.text(i, 6);
        s.position = geo::Point{r.real(i, 7), r.real(i, 8)};
        s.source = source_location(r.text(i, 9));
        out.samples.push_back(std::move(s));
    }
}

void PgBackend::read_villages_at(std::int64_t upload_id, ingest::Inputs& out) {
    const auto r = m_db.exec("SELECT encode(ST_AsBinary(geom, 'NDR'), 'hex'), village_id, name, province, district, "
                             "commune, population, households, point_lon, point_lat, extra, source FROM villages" +
                                 at_upload,
                             {std::to_string(upload_id)});
    for (int i = 0; i < r.rows(); ++i) {
        Village v;
        v.id = r.text(i, 1);
        const std::string where = fmt::format("{}:villages '{}'", m_db.shown(), v.id);
        v.geometry = decode_wkb(from_hex(r.text(i, 0)), where);
        v.name = r.text(i, 2);
        v.province = r.text(i, 3);
        v.district = r.text(i, 4);
        v.commune = r.text(i, 5);
        v.population = r.optional_real(i, 6);
        v.households = r.optional_int64(i, 7);
        if (!r.is_null(i, 8) && !r.is_null(i, 9)) {
            v.point = geo::Point{r.real(i, 8), r.real(i, 9)};
        }
        v.extra = attributes_from_json(r.text(i, 10), where);
        v.source = source_location(r.text(i, 11));
        out.villages.push_back(std::move(v));
    }
}

void PgBackend::read_commitments_at(std::int64_t upload_id, ingest::Inputs& out) {
    const auto r = m_db.exec("SELECT village_id, operator, deadline, registered_on, extra, source, support_fund_vnd, "
                             "note FROM commitments" + at_upload,
                             {std::to_string(upload_id)});
    for (int i = 0; i < r.rows(); ++i) {
        Commitment c;
        c.village_id = r.text(i, 0);
        c.operator_code = r.text(i, 1);
        const std::string where = fmt::format("{}:commitments '{}/{}'", m_db.shown(), c.village_id, c.operator_code);
        c.deadline = *parse_stored_date(r.text(i, 2), where);
        c.registered_on = parse_stored_date(r.optional_text(i, 3), where);
        c.extra = attributes_from_json(r.text(i, 4), where);
        c.source = source_location(r.text(i, 5));
        c.support_fund_vnd = r.optional_int64(i, 6);
        c.note = r.optional_text(i, 7).value_or("");
        out.commitments.push_back(std::move(c));
    }
}

void PgBackend::read_cells_at(std::int64_t upload_id, ingest::Inputs& out) {
    const auto r = m_db.exec("SELECT operator, site_id, cell_id, tech, status, on_air_date, off_air_date, height_m, "
                             "freq_mhz, eirp_dbm, azimuth_deg, beamwidth_deg, tilt_deg, range_m, lon, lat, extra, "
                             "source, delay_reason, delay_note, expected_on_air_date, power_source, backhaul "
                             "FROM cells" + at_upload,
                             {std::to_string(upload_id)});
    out.cells.reserve(out.cells.size() + static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        Cell c;
        c.operator_code = r.text(i, 0);
        c.site_id = r.text(i, 1);
        c.cell_id = r.text(i, 2);
        const std::string where = fmt::format("{}:cells '{}'", m_db.shown(), c.key());
        const auto tech = parse_tech(r.text(i, 3));
        const auto status = parse_cell_status(r.text(i, 4));
        if (!tech || !status) {
            throw StoreError(fmt::format("{}: damaged tech or status", where));
        }
        c.tech = *tech;
        c.status = *status;
        c.on_air_date = parse_stored_date(r.optional_text(i, 5), where);
        c.off_air_date = parse_stored_date(r.optional_text(i, 6), where);
        std::optional<double>* radio[] = {&c.height_m, &c.freq_mhz, &c.eirp_dbm, &c.azimuth_deg,
                                          &c.beamwidth_deg, &c.tilt_deg, &c.range_m};
        for (int k = 0; k < 7; ++k) {
            *radio[k] = r.optional_real(i, 7 + k);
        }
        c.position = geo::Point{r.real(i, 14), r.real(i, 15)};
        c.extra = attributes_from_json(r.text(i, 16), where);
        c.source = source_location(r.text(i, 17));
        if (const auto reason = r.optional_text(i, 18)) {
            c.delay.reason = parse_delay_reason(*reason);
            if (!c.delay.reason) {
                throw StoreError(fmt::format("{}: damaged delay reason '{}'", where, *reason));
            }
        }
        c.delay.note = r.optional_text(i, 19).value_or("");
        c.delay.expected_on_air_date = parse_stored_date(r.optional_text(i, 20), where);
        c.delay.power_source = r.optional_text(i, 21).value_or("");
        c.delay.backhaul = r.optional_text(i, 22).value_or("");
        out.cells.push_back(std::move(c));
    }
}

} // namespace deadzone::store::detail
