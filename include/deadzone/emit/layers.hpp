// emit/layers: the GIS layers villages, commitments, coverage, gaps and stations as RFC 7946
// GeoJSON (with sidecar .qml styles) and as one GeoPackage with styles in layer_styles.
#pragma once

#include <deadzone/core/progress.hpp>
#include <deadzone/pipeline/analysis.hpp>

#include <filesystem>

namespace deadzone::emit {

struct LayerOptions {
    bool geojson = true;
    bool gpkg = true;
    bool fgb = false; // FlatGeobuf, for large national outputs
    int threads = 0;  // for the large geometries (0 = all cores); the files do not depend on it
};

void write_layers(const Analysis& analysis, const std::filesystem::path& out_dir,
                  const LayerOptions& options = {}, const Progress& progress = {});

} // namespace deadzone::emit
