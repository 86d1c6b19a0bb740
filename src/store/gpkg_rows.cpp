// The GeoPackage backend's record rows: binding each record kind to its table's columns, reading
// the versions valid at an upload back, and the GeoPackage geometry blob ("GP" header + WKB).
#include "gpkg_backend.hpp"
#include "gpkg_schema.hpp"

#include <deadzone/core/source.hpp>
#include <deadzone/geo/gdal.hpp>

#include <fmt/format.h>
#include <ogr_geometry.h>

#include <bit>
#include <cstring>

namespace deadzone::store::detail {

namespace {

static_assert(std::endian::native == std::endian::little, "GeoPackage blobs are written little-endian");

constexpr std::size_t header_bytes = 8;
constexpr std::size_t envelope_xy_bytes = 32;

/// "GP", version 0, flags (bit 0: little-endian; bits 1-3: envelope [minx, maxx, miny, maxy];
/// bit 4: empty), srs_id, optional envelope, then the ISO WKB.
std::vector<unsigned char> gpkg_blob(const std::vector<unsigned char>& wkb, const geo::Box* envelope, bool empty) {
    const std::size_t envelope_size = envelope != nullptr ? envelope_xy_bytes : 0;
    std::vector<unsigned char> blob(header_bytes + envelope_size + wkb.size());
    blob[0] = 'G';
    blob[1] = 'P';
    blob[2] = 0;
    blob[3] = static_cast<unsigned char>(0x01 | (envelope != nullptr ? 0x02 : 0x00) | (empty ? 0x10 : 0x00));
    const std::int32_t srs_id = wgs84_srs_id;
    std::memcpy(blob.data() + 4, &srs_id, 4);
    if (envelope != nullptr) {
        const double values[4] = {envelope->min_corner().x(), envelope->max_corner().x(),
                                  envelope->min_corner().y(), envelope->max_corner().y()};
        std::memcpy(blob.data() + header_bytes, values, envelope_xy_bytes);
    }
    std::memcpy(blob.data() + header_bytes + envelope_size, wkb.data(), wkb.size());
    return blob;
}

std::vector<unsigned char> point_blob(const geo::Point& position) {
    const OGRPoint point{position.x(), position.y()};
    std::vector<unsigned char> wkb(point.WkbSize());
    point.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return gpkg_blob(wkb, nullptr, false);
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

std::optional<std::string> iso(const std::optional<Date>& date) {
    return date ? std::optional<std::string>{date->iso()} : std::nullopt;
}

/// Empty text is stored as NULL (the field was not given).
std::optional<std::string> text_or_null(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>{text};
}

const std::string when = " WHERE known_from_upload <= ?1 AND (known_to_upload IS NULL OR known_to_upload > ?1)";

} // namespace

geo::MultiPolygon decode_gpkg_geometry(const std::uint8_t* data, std::size_t size, const std::string& where) {
    static constexpr std::size_t envelope_sizes[] = {0, 32, 48, 48, 64};
    if (data == nullptr || size < header_bytes || data[0] != 'G' || data[1] != 'P') {
        throw StoreError(fmt::format("{}: damaged geometry (not a GeoPackage blob)", where));
    }
    const unsigned code = (data[3] >> 1) & 0x07;
    if (code >= std::size(envelope_sizes) || size < header_bytes + envelope_sizes[code]) {
        throw StoreError(fmt::format("{}: damaged geometry header", where));
    }
    const std::size_t offset = header_bytes + envelope_sizes[code];
    OGRGeometry* raw = nullptr;
    if (OGRGeometryFactory::createFromWkb(data + offset, nullptr, &raw, size - offset, wkbVariantIso) != OGRERR_NONE ||
        raw == nullptr) {
        throw StoreError(fmt::format("{}: damaged geometry WKB", where));
    }
    const geo::GeometryPtr geometry{raw};
    return geo::to_multipolygon(*geometry);
}

void GpkgBackend::insert_versions(const std::vector<NewVersion<Village>>& versions, std::int64_t upload_id) {
    Statement insert{m_db, "INSERT INTO villages (geom, village_id, name, province, district, commune, population, "
                           "households, point_lon, point_lat, extra, source, digest, known_from_upload) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
    for (const auto& version : versions) {
        const Village& v = *version.record;
        const bool empty = v.geometry.empty();
        const geo::Box box = envelope_of(v.geometry);
        insert.bind_blob(1, gpkg_blob(*version.wkb, empty ? nullptr : &box, empty))
            .bind(2, std::string_view{v.id})
            .bind(3, std::string_view{v.name})
            .bind(4, std::string_view{v.province})
            .bind(5, std::string_view{v.district})
            .bind(6, std::string_view{v.commune})
            .bind(7, v.population)
            .bind(8, v.households)
            .bind(9, v.point ? std::optional<double>{v.point->x()} : std::nullopt)
            .bind(10, v.point ? std::optional<double>{v.point->y()} : std::nullopt)
            .bind(11, std::string_view{attributes_to_json(v.extra, v.source)})
            .bind(12, std::string_view{source_text(v.source)})
            .bind(13, std::string_view{*version.digest})
            .bind(14, upload_id)
            .run();
    }
}

void GpkgBackend::insert_versions(const std::vector<NewVersion<Commitment>>& versions, std::int64_t upload_id) {
    Statement insert{m_db, "INSERT INTO commitments (village_id, operator, deadline, registered_on, extra, "
                           "source, digest, known_from_upload, support_fund_vnd, note) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
    for (const auto& version : versions) {
        const Commitment& c = *version.record;
        insert.bind(1, std::string_view{c.village_id})
            .bind(2, std::string_view{c.operator_code})
            .bind(3, std::string_view{c.deadline.iso()})
            .bind(4, iso(c.registered_on))
            .bind(5, std::string_view{attributes_to_json(c.extra, c.source)})
            .bind(6, std::string_view{source_text(c.source)})
            .bind(7, std::string_view{*version.digest})
            .bind(8, upload_id)
            .bind(9, c.support_fund_vnd)
            .bind(10, text_or_null(c.note))
            .run();
    }
}

void GpkgBackend::insert_versions(const std::vector<NewVersion<Cell>>& versions, std::int64_t upload_id) {
    Statement insert{m_db,
                     "INSERT INTO cells (geom, operator, site_id, cell_id, tech, status, on_air_date, "
                     "off_air_date, height_m, freq_mhz, eirp_dbm, azimuth_deg, beamwidth_deg, tilt_deg, range_m, "
                     "lon, lat, extra, source, digest, known_from_upload, delay_reason, delay_note, "
                     "expected_on_air_date, power_source, backhaul) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
    for (const auto& version : versions) {
        const Cell& c = *version.record;
        insert.bind_blob(1, point_blob(c.position))
            .bind(2, std::string_view{c.operator_code})
            .bind(3, std::string_view{c.site_id})
            .bind(4, std::string_view{c.cell_id})
            .bind(5, std::string_view{to_string(c.tech)})
            .bind(6, std::string_view{to_string(c.status)})
            .bind(7, iso(c.on_air_date))
            .bind(8, iso(c.off_air_date))
            .bind(9, c.height_m)
            .bind(10, c.freq_mhz)
            .bind(11, c.eirp_dbm)
            .bind(12, c.azimuth_deg)
            .bind(13, c.beamwidth_deg)
            .bind(14, c.tilt_deg)
            .bind(15, c.range_m)
            .bind(16, c.position.x())
            .bind(17, c.position.y())
            .bind(18, std::string_view{attributes_to_json(c.extra, c.source)})
            .bind(19, std::string_view{source_text(c.source)})
            .bind(20, std::string_view{*version.digest})
            .bind(21, upload_id)
            .bind(22, c.delay.reason ? std::optional<std::string>{to_string(*c.delay.reason)} : std::nullopt)
            .bind(23, text_or_null(c.delay.note))
            .bind(24, iso(c.delay.expected_on_air_date))
            .bind(25, text_or_null(c.delay.power_source))
            .bind(26, text_or_null(c.delay.backhaul))
            .run();
    }
}

void GpkgBackend::insert_versions(const std::vector<NewVersion<Sample>>& versions, std::int64_t upload_id) {
    Statement insert{m_db, "INSERT INTO measurements (geom, operator, time, day, tech, level_dbm, cell_id, origin, "
                           "lon, lat, sample_key, ordinal, source, digest, known_from_upload) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
    for (const auto& version : versions) {
        const Sample& s = *version.record;
        insert.bind_blob(1, point_blob(s.position))
            .bind(2, std::string_view{s.operator_code})
            .bind(3, std::string_view{s.time})
            .bind(4, std::string_view{s.day.iso()})
            .bind(5, std::string_view{to_string(s.tech)})
            .bind(6, s.level_dbm)
            .bind(7, std::string_view{s.cell_id})
            .bind(8, std::string_view{s.origin})
            .bind(9, s.position.x())
            .bind(10, s.position.y())
            .bind(11, std::string_view{*version.key})
            .bind(12, version.ordinal)
            .bind(13, std::string_view{source_text(s.source)})
            .bind(14, std::string_view{*version.digest})
            .bind(15, upload_id)
            .run();
    }
}

void GpkgBackend::read_versions_at(std::int64_t upload_id, ingest::Inputs& out) {
    read_villages_at(upload_id, out);
    read_commitments_at(upload_id, out);
    read_cells_at(upload_id, out);
    read_samples_at(upload_id, out);
}

void GpkgBackend::read_samples_at(std::int64_t upload_id, ingest::Inputs& out) {
    if (m_schema < 3) {
        return; // a store not upgraded yet holds no samples
    }
    Statement q{m_db, "SELECT operator, time, day, tech, level_dbm, cell_id, origin, lon, lat, source FROM measurements" +
                          when + " ORDER BY known_from_upload, ordinal"};
    q.bind(1, upload_id);
    while (q.step()) {
        Sample s;
        s.operator_code = q.text(0);
        s.time = q.text(1);
        const std::string where = fmt::format("{}:measurements '{}' {}", m_db.path(), s.operator_code, s.time);
        s.day = *parse_stored_date(q.text(2), where);
        const auto tech = parse_tech(q.text(3));
        if (!tech) {
            throw StoreError(fmt::format("{}: damaged tech", where));
        }
        s.tech = *tech;
        s.level_dbm = q.real(4);
        s.cell_id = q.text(5);
        s.origin = q.text(6);
        s.position = geo::Point{q.real(7), q.real(8)};
        s.source = source_location(q.text(9));
        out.samples.push_back(std::move(s));
    }
}

void GpkgBackend::read_villages_at(std::int64_t upload_id, ingest::Inputs& out) {
    Statement q{m_db, "SELECT geom, village_id, name, province, district, commune, population, households, "
                      "point_lon, point_lat, extra, source FROM villages" + when};
    q.bind(1, upload_id);
    while (q.step()) {
        Village v;
        v.id = q.text(1);
        const std::string where = fmt::format("{}:villages '{}'", m_db.path(), v.id);
        const auto blob = q.blob(0);
        v.geometry = decode_gpkg_geometry(blob.data(), blob.size(), where);
        v.name = q.text(2);
        v.province = q.text(3);
        v.district = q.text(4);
        v.commune = q.text(5);
        v.population = q.optional_real(6);
        v.households = q.optional_int64(7);
        if (!q.is_null(8) && !q.is_null(9)) {
            v.point = geo::Point{q.real(8), q.real(9)};
        }
        v.extra = attributes_from_json(q.text(10), where);
        v.source = source_location(q.text(11));
        out.villages.push_back(std::move(v));
    }
}

void GpkgBackend::read_commitments_at(std::int64_t upload_id, ingest::Inputs& out) {
    // A version-1 store not yet upgraded has no delay columns: its records have none.
    Statement q{m_db, std::string{"SELECT village_id, operator, deadline, registered_on, extra, source, "} +
                          (m_schema >= 2 ? "support_fund_vnd, note" : "NULL, NULL") + " FROM commitments" + when};
    q.bind(1, upload_id);
    while (q.step()) {
        Commitment c;
        c.village_id = q.text(0);
        c.operator_code = q.text(1);
        const std::string where = fmt::format("{}:commitments '{}/{}'", m_db.path(), c.village_id, c.operator_code);
        c.deadline = *parse_stored_date(q.text(2), where);
        c.registered_on = parse_stored_date(q.optional_text(3), where);
        c.extra = attributes_from_json(q.text(4), where);
        c.source = source_location(q.text(5));
        c.support_fund_vnd = q.optional_int64(6);
        c.note = q.optional_text(7).value_or("");
        out.commitments.push_back(std::move(c));
    }
}

void GpkgBackend::read_cells_at(std::int64_t upload_id, ingest::Inputs& out) {
    Statement q{m_db, "SELECT operator, site_id, cell_id, tech, status, on_air_date, off_air_date, height_m, "
                      "freq_mhz, eirp_dbm, azimuth_deg, beamwidth_deg, tilt_deg, range_m, lon, lat, extra, "
                      "source, " +
                      std::string{m_schema >= 2 ? "delay_reason, delay_note, expected_on_air_date, power_source, backhaul"
                                                : "NULL, NULL, NULL, NULL, NULL"} +
                      " FROM cells" + when};
    q.bind(1, upload_id);
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
        c.extra = attributes_from_json(q.text(16), where);
        c.source = source_location(q.text(17));
        if (const auto reason = q.optional_text(18)) {
            c.delay.reason = parse_delay_reason(*reason);
            if (!c.delay.reason) {
                throw StoreError(fmt::format("{}: damaged delay reason '{}'", where, *reason));
            }
        }
        c.delay.note = q.optional_text(19).value_or("");
        c.delay.expected_on_air_date = parse_stored_date(q.optional_text(20), where);
        c.delay.power_source = q.optional_text(21).value_or("");
        c.delay.backhaul = q.optional_text(22).value_or("");
        out.cells.push_back(std::move(c));
    }
}

} // namespace deadzone::store::detail
