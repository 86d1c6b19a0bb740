// RFC 7946 GeoJSON written directly rather than through GDAL's GeoJSON driver: GDAL 3.6 formats
// each coordinate through a locale-imbued stream (about 4 µs apiece), which made a national
// output (100 000 villages × 128 vertices, twice) take minutes. The geometries arrive snapped to
// the 1e-7° grid, valid and oriented (layer_table.cpp), so writing them is plain formatting:
// integers on the grid printed exactly, never more than 7 decimals, never NaN.
#include "layer_table.hpp"

#include <deadzone/core/error.hpp>

#include <nlohmann/json.hpp>
#include <ogr_geometry.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>

namespace deadzone::emit::detail {

namespace {

/// A coordinate on the grid, as the shortest decimal with at most 7 decimals: 105.0012, -8.5.
void append_coordinate(std::string& out, double value) {
    constexpr std::int64_t per_degree = 10'000'000;
    const auto steps = static_cast<std::int64_t>(std::llround(value * static_cast<double>(per_degree)));
    const std::uint64_t magnitude = steps < 0 ? static_cast<std::uint64_t>(-steps) : static_cast<std::uint64_t>(steps);
    if (steps < 0) {
        out += '-';
    }
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, magnitude / per_degree);
    out.append(buffer, end);
    auto fraction = static_cast<std::uint32_t>(magnitude % per_degree);
    if (fraction != 0) {
        char digits[7];
        for (int i = 6; i >= 0; --i) {
            digits[i] = static_cast<char>('0' + fraction % 10);
            fraction /= 10;
        }
        int length = 7;
        while (digits[length - 1] == '0') {
            --length;
        }
        out += '.';
        out.append(digits, static_cast<std::size_t>(length));
    }
}

void append_position(std::string& out, double x, double y) {
    out += '[';
    append_coordinate(out, x);
    out += ',';
    append_coordinate(out, y);
    out += ']';
}

void append_ring(std::string& out, const OGRLinearRing& ring) {
    out += '[';
    for (int i = 0; i < ring.getNumPoints(); ++i) {
        if (i > 0) {
            out += ',';
        }
        append_position(out, ring.getX(i), ring.getY(i));
    }
    out += ']';
}

void append_geometry(std::string& out, const OGRGeometry* geometry, const std::string& where) {
    if (geometry == nullptr || geometry->IsEmpty()) {
        out += "null";
        return;
    }
    switch (wkbFlatten(geometry->getGeometryType())) {
    case wkbPoint: {
        const auto* point = geometry->toPoint();
        out += R"({"type":"Point","coordinates":)";
        append_position(out, point->getX(), point->getY());
        out += '}';
        return;
    }
    case wkbMultiPolygon: {
        out += R"({"type":"MultiPolygon","coordinates":[)";
        bool first_polygon = true;
        for (const auto* polygon : *geometry->toMultiPolygon()) {
            out += first_polygon ? "[" : ",[";
            first_polygon = false;
            bool first_ring = true;
            for (const auto* ring : *polygon) {
                if (!first_ring) {
                    out += ',';
                }
                first_ring = false;
                append_ring(out, *ring);
            }
            out += ']';
        }
        out += "]}";
        return;
    }
    default:
        throw Failure(where + ": unexpected geometry type " + OGRGeometryTypeToName(geometry->getGeometryType()));
    }
}

void append_string(std::string& out, const std::string& text) {
    // nlohmann escapes quotes and control characters and replaces invalid UTF-8 (source text
    // is passed through as given) by U+FFFD, so the file is always valid JSON.
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// A real as the shortest text that reads back as the same double, always with a '.' or an
/// exponent so that readers (GDAL among them) type the field Real even when a value is whole.
void append_real(std::string& out, double value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
    out += text;
    if (text.find_first_of(".e") == std::string_view::npos) {
        out += ".0";
    }
}

void append_value(std::string& out, const Value& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                out += "null";
            } else if constexpr (std::is_same_v<T, std::string>) {
                append_string(out, v);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                char buffer[24];
                auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
                out.append(buffer, end);
            } else if constexpr (std::is_same_v<T, double>) {
                append_real(out, v);
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, Date>) {
                out += '"';
                out += v.iso();
                out += '"';
            }
        },
        value);
}

} // namespace

GeoJsonWriter::GeoJsonWriter(const LayerHeader& header, const std::filesystem::path& file)
    : m_file(file), m_stream(file, std::ios::binary | std::ios::trunc) {
    if (!m_stream) {
        throw Failure(file.string() + ": cannot create");
    }
    // One feature per line: diff-friendly and greppable, still one JSON document.
    m_buffer = "{\n\"type\": \"FeatureCollection\",\n\"name\": ";
    append_string(m_buffer, header.name);
    m_buffer += ",\n\"features\": [\n";
    for (const auto& field : header.fields) {
        std::string key;
        append_string(key, field.name);
        m_keys.push_back(std::move(key));
    }
}

void GeoJsonWriter::add(const RowBatch& rows) {
    for (const auto& row : rows) {
        if (m_written > 0) {
            m_buffer += ",\n";
        }
        ++m_written;
        m_buffer += R"({"type":"Feature","properties":{)";
        for (std::size_t i = 0; i < row.values.size(); ++i) {
            if (i > 0) {
                m_buffer += ',';
            }
            m_buffer += m_keys[i];
            m_buffer += ':';
            append_value(m_buffer, row.values[i]);
        }
        m_buffer += R"(},"geometry":)";
        append_geometry(m_buffer, row.geometry.get(), m_file.string() + ": feature " + std::to_string(m_written));
        m_buffer += '}';
        if (m_buffer.size() > (1u << 20)) {
            m_stream.write(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
            m_buffer.clear();
        }
    }
}

void GeoJsonWriter::finish() {
    m_buffer += m_written > 0 ? "\n]\n}\n" : "]\n}\n";
    m_stream.write(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
    m_buffer.clear();
    m_stream.close();
    if (!m_stream) {
        throw Failure(m_file.string() + ": cannot write");
    }
}

void write_geojson(const LayerTable& table, const std::filesystem::path& file) {
    GeoJsonWriter writer(table, file);
    writer.add(table.rows);
    writer.finish();
}

} // namespace deadzone::emit::detail
