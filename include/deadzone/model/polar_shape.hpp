// model/polar_shape: a coverage shape from lit intervals along evenly spaced radials — the
// union of the polar-grid cells (azimuth sector × distance interval) that are lit. Shadows
// enclosed by lit ground become holes; lit ground beyond a shadow becomes islands.
#pragma once

#include <deadzone/geo/types.hpp>

#include <utility>
#include <vector>

namespace deadzone::model {

/// [from, to] in metres along one radial; sorted and disjoint within a radial.
using LitInterval = std::pair<double, double>;

/// radials[k] are the lit intervals along azimuth k·360/n (clockwise from north); each covers the
/// sector of ±180/n degrees around it. The first interval of each radial must start at 0 (the
/// site is always lit); a radial whose first interval is shorter than 1 m counts 1 m, so the
/// shape stays a valid polygon around the site. The union is made in the site's azimuthal
/// equidistant plane (rays are straight, distances exact) and each vertex is then placed on the
/// WGS84 ellipsoid at its distance and azimuth (geodesic direct problem). Deterministic.
///
/// Fallback: when Boost's union of the stretches lit beyond shadows comes out invalid (cells
/// sharing nearly collinear ray edges), only the star-shaped part lit from the site outwards is
/// kept (valid by construction, conservative). `star_only`, when given, is set to whether that
/// happened, so callers can count it.
geo::MultiPolygon polar_shape(const geo::Point& site, const std::vector<std::vector<LitInterval>>& radials,
                              bool* star_only = nullptr);

} // namespace deadzone::model
