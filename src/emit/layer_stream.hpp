// emit/layer_stream (internal): a layer on its way to every format at once, in batches of rows:
// the GeoJSON and FlatGeobuf files on the calling thread, the GeoPackage on its thread. No
// format ever holds a whole layer (at national scale the stations alone were ~300 MiB).
#pragma once

#include "geopackage_thread.hpp"
#include "layer_table.hpp"

#include <deadzone/core/campaign.hpp>
#include <deadzone/emit/layers.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace deadzone::emit::detail {

class LayerStream final : public LayerSink {
public:
    static constexpr std::size_t batch_rows = 1024;

    /// `gpkg` null: no GeoPackage; the files follow `options` (geojson, fgb).
    LayerStream(std::filesystem::path out_dir, const LayerOptions& options, const Campaign& campaign,
                GeoPackageThread* gpkg);

    void begin(LayerHeader header) override;
    void add(Row row) override;
    /// The layer's last rows, its files closed and its style written (a .qml beside each file
    /// layer, layer_styles in the GeoPackage); returns its name.
    std::string end();

private:
    void flush();

    std::filesystem::path m_out_dir;
    const LayerOptions& m_options;
    const Campaign& m_campaign;
    GeoPackageThread* m_gpkg;
    std::shared_ptr<const LayerHeader> m_header;
    std::optional<GeoJsonWriter> m_geojson;
    std::optional<FlatGeobufWriter> m_fgb;
    RowBatch m_batch;
};

} // namespace deadzone::emit::detail
