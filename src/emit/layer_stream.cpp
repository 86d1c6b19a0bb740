#include "layer_stream.hpp"

#include <deadzone/core/error.hpp>

#include <fstream>
#include <utility>

namespace deadzone::emit::detail {

namespace {

void write_text(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        throw Failure(file.string() + ": cannot write");
    }
}

} // namespace

LayerStream::LayerStream(std::filesystem::path out_dir, const LayerOptions& options, const Campaign& campaign,
                         GeoPackageThread* gpkg)
    : m_out_dir(std::move(out_dir)), m_options(options), m_campaign(campaign), m_gpkg(gpkg) {}

void LayerStream::begin(LayerHeader header) {
    m_header = std::make_shared<const LayerHeader>(std::move(header));
    const auto& name = m_header->name;
    if (m_options.geojson) {
        m_geojson.emplace(*m_header, m_out_dir / (name + ".geojson"));
    }
    if (m_options.fgb) {
        m_fgb.emplace(*m_header, m_out_dir / (name + ".fgb"));
    }
    if (m_gpkg != nullptr) {
        m_gpkg->begin(m_header);
    }
    m_batch.reserve(batch_rows);
}

void LayerStream::add(Row row) {
    m_batch.push_back(std::move(row));
    if (m_batch.size() == batch_rows) {
        flush();
    }
}

std::string LayerStream::end() {
    if (!m_header) {
        throw Failure("emit: a layer builder wrote no header");
    }
    flush();
    const auto style = layer_qml(m_header->kind, m_campaign);
    if (m_geojson) {
        m_geojson->finish();
        m_geojson.reset();
    }
    if (m_fgb) {
        m_fgb->finish();
        m_fgb.reset();
    }
    if (m_options.geojson || m_options.fgb) { // QGIS picks up <stem>.qml beside a file layer
        write_text(m_out_dir / (m_header->name + ".qml"), style);
    }
    if (m_gpkg != nullptr) {
        m_gpkg->end(style);
    }
    auto name = m_header->name;
    m_header.reset();
    return name;
}

void LayerStream::flush() {
    if (m_batch.empty()) {
        return;
    }
    std::shared_ptr<const RowBatch> batch = std::make_shared<RowBatch>(std::move(m_batch));
    m_batch.clear(); // moved from: valid, emptied here
    m_batch.reserve(batch_rows);
    if (m_geojson) {
        m_geojson->add(*batch);
    }
    if (m_fgb) {
        m_fgb->add(*batch);
    }
    if (m_gpkg != nullptr) {
        m_gpkg->add(std::move(batch));
    }
}

} // namespace deadzone::emit::detail
