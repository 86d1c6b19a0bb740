// RAII owners and small helpers for GDAL/OGR handles, so no stage writes GDALClose or
// OGRFeature::DestroyFeature by hand.
#pragma once

#include <deadzone/geo/types.hpp>

#include <memory>
#include <string>

class GDALDataset;
class OGRGeometry;
class OGRLinearRing;
class OGRSpatialReference;

namespace deadzone::geo {

struct DatasetCloser {
    void operator()(GDALDataset* dataset) const noexcept;
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct GeometryDeleter {
    void operator()(OGRGeometry* geometry) const noexcept;
};
using GeometryPtr = std::unique_ptr<OGRGeometry, GeometryDeleter>;

/// Registers GDAL drivers once and routes GDAL's error messages away from stderr
/// (they are reported through deadzone's own errors). Safe to call from any thread.
void ensure_gdal();

/// Opens a vector source read-only; throws deadzone::Failure naming the file if it cannot.
DatasetPtr open_vector(const std::string& path);

/// The last GDAL error message, or "" (for building messages).
std::string last_gdal_error();

/// OGR geometry (Polygon or MultiPolygon, any orientation) to a MultiPolygon; other types give
/// an empty result. Coordinates are taken as (x=lon, y=lat).
MultiPolygon to_multipolygon(const OGRGeometry& geometry);
/// A MultiPolygon as a new OGR geometry (MultiPolygon).
GeometryPtr to_ogr(const MultiPolygon& geometry);
GeometryPtr to_ogr(const Polygon& geometry);
/// A ring as a new OGR ring, owned by the caller (for OGRPolygon::addRingDirectly).
OGRLinearRing* to_ogr_ring(const Ring& ring);

/// A WGS84 spatial reference with longitude first (traditional GIS order).
const OGRSpatialReference& wgs84();

} // namespace deadzone::geo
