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
/// site is always lit); a first interval shorter than 50 m counts 50 m, so the shape stays a
/// valid polygon around the site. The boundary of the union is traced exactly in the site's
/// azimuthal equidistant plane (rays are straight, distances exact; arcs are drawn with chords of
/// at most 1°), with no polygon overlay: where two lit cells meet only at a corner they stay
/// separate rings, and a shadow touching the lit ground's edge at one point is a hole touching
/// its ring there (both valid in OGC's terms). Each vertex is then placed on the WGS84 ellipsoid
/// at its distance and azimuth (geodesic direct problem). Deterministic.
///
/// Guard: should the result still not be valid, only the star-shaped part lit from the site
/// outwards is kept (valid by construction, conservative). `star_only`, when given, is set to
/// whether that happened, so callers can count it (the tests expect it never to).
geo::MultiPolygon polar_shape(const geo::Point& site, const std::vector<std::vector<LitInterval>>& radials,
                              bool* star_only = nullptr);

} // namespace deadzone::model
