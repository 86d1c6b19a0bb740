// emit/layers: the GIS layers villages, commitments, coverage, gaps and stations as RFC 7946
// GeoJSON (with sidecar .qml styles) and as one GeoPackage with styles in layer_styles.
#pragma once

#include <deadzone/core/progress.hpp>
#include <deadzone/pipeline/analysis.hpp>

#include <filesystem>
#include <future>

namespace deadzone::emit {

struct LayerOptions {
    bool geojson = true;
    bool gpkg = true;
    bool fgb = false; // FlatGeobuf, for large national outputs
    int threads = 0;  // for the large geometries (0 = all cores); the files do not depend on it
};

/// Writes the layers in the order villages, commitments, gaps, stations, footprints (terrain
/// runs), measurements (runs with samples), coverage. A valid `coverage_ready` says that another
/// thread is still filling `analysis.coverage` (pipeline::dissolve): the coverage layer, last,
/// waits for it, and its failure is rethrown here.
void write_layers(const Analysis& analysis, const std::filesystem::path& out_dir,
                  const LayerOptions& options = {}, const Progress& progress = {},
                  const std::shared_future<void>& coverage_ready = {});

} // namespace deadzone::emit
