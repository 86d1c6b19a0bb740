#include <deadzone/core/error.hpp>
#include <deadzone/geo/gdal.hpp>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <mutex>

namespace deadzone::geo {

void DatasetCloser::operator()(GDALDataset* dataset) const noexcept {
    if (dataset != nullptr) {
        GDALClose(dataset);
    }
}

void GeometryDeleter::operator()(OGRGeometry* geometry) const noexcept {
    OGRGeometryFactory::destroyGeometry(geometry);
}

namespace {
// GDAL would print its errors on stderr; deadzone reports them itself, with context.
void CPL_STDCALL quiet_handler(CPLErr, CPLErrorNum, const char*) {}
} // namespace

void ensure_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(quiet_handler);
    });
}

std::string last_gdal_error() {
    const char* message = CPLGetLastErrorMsg();
    return message != nullptr ? std::string{message} : std::string{};
}

DatasetPtr open_vector(const std::string& path) {
    ensure_gdal();
    CPLErrorReset();
    DatasetPtr dataset{GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY)};
    if (!dataset) {
        const auto reason = last_gdal_error();
        throw Failure(path + ": cannot open as a vector source" +
                      (reason.empty() ? std::string{} : ": " + reason));
    }
    return dataset;
}

namespace {
Ring to_ring(const OGRLinearRing& ogr, bool want_ccw) {
    Ring ring;
    ring.reserve(static_cast<std::size_t>(ogr.getNumPoints()) + 1);
    for (int i = 0; i < ogr.getNumPoints(); ++i) {
        ring.emplace_back(ogr.getX(i), ogr.getY(i));
    }
    if (!ring.empty() && (ring.front().x() != ring.back().x() || ring.front().y() != ring.back().y())) {
        ring.push_back(ring.front());
    }
    // Shoelace sign: positive = counter-clockwise.
    double twice_area = 0.0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        twice_area += ring[i].x() * ring[i + 1].y() - ring[i + 1].x() * ring[i].y();
    }
    if ((twice_area > 0.0) != want_ccw) {
        std::reverse(ring.begin(), ring.end());
    }
    return ring;
}

void add_polygon(const OGRPolygon& ogr, MultiPolygon& out) {
    if (ogr.IsEmpty() || ogr.getExteriorRing() == nullptr) {
        return;
    }
    Polygon polygon;
    polygon.outer() = to_ring(*ogr.getExteriorRing(), true);
    for (int i = 0; i < ogr.getNumInteriorRings(); ++i) {
        polygon.inners().push_back(to_ring(*ogr.getInteriorRing(i), false));
    }
    out.push_back(std::move(polygon));
}
} // namespace

MultiPolygon to_multipolygon(const OGRGeometry& geometry) {
    MultiPolygon out;
    switch (wkbFlatten(geometry.getGeometryType())) {
    case wkbPolygon:
        add_polygon(*geometry.toPolygon(), out);
        break;
    case wkbMultiPolygon:
        for (const auto* part : *geometry.toMultiPolygon()) {
            add_polygon(*part, out);
        }
        break;
    case wkbGeometryCollection:
        for (const auto* part : *geometry.toGeometryCollection()) {
            auto sub = to_multipolygon(*part);
            out.insert(out.end(), sub.begin(), sub.end());
        }
        break;
    default:
        break;
    }
    return out;
}

namespace {
std::unique_ptr<OGRPolygon> make_polygon(const Polygon& polygon) {
    auto out = std::make_unique<OGRPolygon>();
    out->addRingDirectly(to_ogr_ring(polygon.outer()));
    for (const auto& inner : polygon.inners()) {
        out->addRingDirectly(to_ogr_ring(inner));
    }
    return out;
}
} // namespace

OGRLinearRing* to_ogr_ring(const Ring& ring) {
    auto* out = new OGRLinearRing; // ownership passes to the polygon (addRingDirectly)
    out->setNumPoints(static_cast<int>(ring.size()), FALSE);
    for (std::size_t i = 0; i < ring.size(); ++i) {
        out->setPoint(static_cast<int>(i), ring[i].x(), ring[i].y());
    }
    return out;
}

GeometryPtr to_ogr(const Polygon& geometry) {
    return GeometryPtr{make_polygon(geometry).release()};
}

GeometryPtr to_ogr(const MultiPolygon& geometry) {
    auto out = std::make_unique<OGRMultiPolygon>();
    for (const auto& polygon : geometry) {
        out->addGeometryDirectly(make_polygon(polygon).release());
    }
    return GeometryPtr{out.release()};
}

const OGRSpatialReference& wgs84() {
    static const OGRSpatialReference srs = [] {
        OGRSpatialReference s;
        s.importFromEPSG(4326);
        s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        return s;
    }();
    return srs;
}

} // namespace deadzone::geo
