// emit/palette: the one set of status colours every map deadzone draws uses — the QGIS styles
// (.qml and layer_styles), report.html and the dashboard (web/js/map.js repeats the hex values;
// tests/unit/emit/test_palette.cpp fails when the two drift apart).
//
// Decision: green done, amber done late, red overdue, grey not yet due, light grey no status.
// Amber (not a lighter green) because "covered, but after the deadline" must read differently
// from "covered" at a glance and in grey-scale print.
#pragma once

#include <deadzone/track/track.hpp>

#include <optional>
#include <string>

namespace deadzone::emit {

struct Rgb {
    int r = 0;
    int g = 0;
    int b = 0;
};

/// The colour of a village or commitment status; std::nullopt is "no status" (nothing due).
constexpr Rgb status_rgb(std::optional<track::Status> status) {
    if (!status) {
        return {189, 189, 189};
    }
    switch (*status) {
    case track::Status::covered: return {26, 150, 65};
    case track::Status::covered_late: return {245, 166, 35};
    case track::Status::overdue: return {215, 25, 28};
    case track::Status::pending: return {160, 160, 160};
    }
    return {189, 189, 189};
}

/// "#1a9641"
std::string hex(Rgb colour);

/// "26,150,65" (QGIS's colour property form, without alpha)
std::string rgb_triplet(Rgb colour);

} // namespace deadzone::emit
