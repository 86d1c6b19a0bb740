// Geometry types shared by every stage: Boost.Geometry models in WGS84 lon/lat degrees.
// Rings are counter-clockwise and closed (RFC 7946 order); x = longitude, y = latitude.
#pragma once

#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/geometries/ring.hpp>

namespace deadzone::geo {

/// A position in WGS84 degrees: x() is longitude, y() is latitude.
using Point = boost::geometry::model::d2::point_xy<double>;
/// Counter-clockwise, closed.
using Ring = boost::geometry::model::ring<Point, false, true>;
/// Counter-clockwise exterior, clockwise holes, closed.
using Polygon = boost::geometry::model::polygon<Point, false, true>;
using MultiPolygon = boost::geometry::model::multi_polygon<Polygon>;
using Box = boost::geometry::model::box<Point>;

} // namespace deadzone::geo
