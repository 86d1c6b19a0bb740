// emit/qml (internal): QGIS 3 layer styles (QML) for the deadzone layers — the same text
// goes into the GeoPackage's layer_styles table and beside each GeoJSON as <name>.qml.
#pragma once

#include <deadzone/core/campaign.hpp>

#include <string>
#include <string_view>

namespace deadzone::emit::detail {

enum class LayerKind { villages, commitments, coverage, gaps, stations, footprints, measurements };

/// "r,g,b,a" (QGIS colour text) from "#rrggbb" / "#rrggbbaa"; `fallback` when it is not one.
std::string qgis_color(std::string_view hex, std::string_view fallback, int alpha = 255);

/// The colour QGIS draws an operator in: its campaign colour, or a fixed palette entry by its
/// position in the campaign when the colour is missing or malformed.
std::string operator_color(const Campaign& campaign, std::size_t operator_index, int alpha = 255);

/// A complete QML document (deterministic text) for one layer of the campaign.
std::string layer_qml(LayerKind kind, const Campaign& campaign);

} // namespace deadzone::emit::detail
