// bench-dissolve: the per-operator dissolve (coverage.geojson's geometry) two ways, side by side
// on the same footprints in one process (issue #13, part 2):
//   boost  overlay::dissolve_coverage, the engine's Boost.Geometry cascaded union (1 thread,
//          then 2 threads);
//   geos   GEOS' unary union (OverlayNG, cascaded, through the reentrant C API), conversion of
//          the footprints to GEOS and of the result back to Boost included, 1 thread.
// GEOS' coverage union is not a candidate: it requires polygons that do not overlap, and
// footprints of one operator overlap by design. For each operator it prints the wall times,
// the dissolved areas, the area of the symmetric difference of the two results and whether
// each is valid by GEOS' rules (the ones the GeoPackage/GeoJSON writers check).
//
//   build/tools/bench-dissolve geodata/campaign.json --as-of 2022-07-30
//   build/tools/bench-dissolve /tmp/deadzone-postgis/omni-30000-seed2022
//   build/tools/bench-dissolve /tmp/omni-100000 --boost-only   # the cascade alone, with each
//                                                              # operator's polygons, holes, points

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/geo/equal_area.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/overlay/overlay.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <geos_c.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace deadzone;

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// CPU seconds of the process (all threads): on a shared machine it tells the work done when the
/// wall clock mostly tells the load.
double cpu_s() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void geos_message(const char* format, ...) {
    va_list args;
    va_start(args, format);
    std::vfprintf(stderr, format, args);
    va_end(args);
    std::fputc('\n', stderr);
}

/// A GEOS handle and the geometries made with it; everything is freed on every path.
class Geos {
public:
    Geos() : m_context(GEOS_init_r()) {
        if (m_context == nullptr) {
            throw Failure("GEOS_init_r failed");
        }
        GEOSContext_setErrorHandler_r(m_context, geos_message);
    }
    ~Geos() { GEOS_finish_r(m_context); }
    Geos(const Geos&) = delete;
    Geos& operator=(const Geos&) = delete;

    GEOSContextHandle_t get() const { return m_context; }

    struct Deleter {
        GEOSContextHandle_t context;
        void operator()(GEOSGeometry* g) const {
            if (g != nullptr) {
                GEOSGeom_destroy_r(context, g);
            }
        }
    };
    using Ptr = std::unique_ptr<GEOSGeometry, Deleter>;
    Ptr own(GEOSGeometry* g) const {
        if (g == nullptr) {
            throw Failure("a GEOS operation failed");
        }
        return Ptr(g, Deleter{m_context});
    }

    GEOSGeometry* ring(const geo::Ring& ring) const {
        std::vector<double> xy;
        xy.reserve(ring.size() * 2);
        for (const auto& p : ring) {
            xy.push_back(p.x());
            xy.push_back(p.y());
        }
        GEOSCoordSequence* sequence =
            GEOSCoordSeq_copyFromBuffer_r(m_context, xy.data(), static_cast<unsigned>(ring.size()), 0, 0);
        if (sequence == nullptr) {
            throw Failure("GEOS: cannot make a coordinate sequence");
        }
        GEOSGeometry* out = GEOSGeom_createLinearRing_r(m_context, sequence);
        if (out == nullptr) {
            throw Failure("GEOS: not a ring");
        }
        return out; // the ring owns the sequence
    }

    Ptr polygon(const geo::Polygon& polygon) const {
        auto shell = own(ring(polygon.outer()));
        std::vector<Ptr> holes;
        for (const auto& inner : polygon.inners()) {
            holes.push_back(own(ring(inner)));
        }
        std::vector<GEOSGeometry*> raw;
        for (auto& h : holes) {
            raw.push_back(h.get());
        }
        GEOSGeometry* out = GEOSGeom_createPolygon_r(m_context, shell.get(), raw.data(), static_cast<unsigned>(raw.size()));
        if (out == nullptr) {
            throw Failure("GEOS: cannot make a polygon");
        }
        shell.release(); // now owned by the polygon
        for (auto& h : holes) {
            h.release();
        }
        return own(out);
    }

    /// One collection of the given polygons (the collection takes them over).
    Ptr collection(std::vector<Ptr> parts) const {
        std::vector<GEOSGeometry*> raw;
        raw.reserve(parts.size());
        for (auto& p : parts) {
            raw.push_back(p.get());
        }
        GEOSGeometry* out =
            GEOSGeom_createCollection_r(m_context, GEOS_MULTIPOLYGON, raw.data(), static_cast<unsigned>(raw.size()));
        if (out == nullptr) {
            throw Failure("GEOS: cannot make a collection");
        }
        for (auto& p : parts) {
            p.release();
        }
        return own(out);
    }

    geo::Ring to_ring(const GEOSGeometry* ring) const {
        const GEOSCoordSequence* sequence = GEOSGeom_getCoordSeq_r(m_context, ring);
        unsigned size = 0;
        GEOSCoordSeq_getSize_r(m_context, sequence, &size);
        std::vector<double> xy(2 * static_cast<std::size_t>(size));
        GEOSCoordSeq_copyToBuffer_r(m_context, sequence, xy.data(), 0, 0);
        geo::Ring out;
        out.reserve(size);
        for (unsigned i = 0; i < size; ++i) {
            out.emplace_back(xy[2 * i], xy[2 * i + 1]);
        }
        return out;
    }

    geo::MultiPolygon to_boost(const GEOSGeometry* g) const {
        geo::MultiPolygon out;
        const int count = GEOSGetNumGeometries_r(m_context, g);
        for (int i = 0; i < count; ++i) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(m_context, g, i);
            if (GEOSGeomTypeId_r(m_context, part) != GEOS_POLYGON) {
                continue;
            }
            geo::Polygon polygon;
            polygon.outer() = to_ring(GEOSGetExteriorRing_r(m_context, part));
            const int holes = GEOSGetNumInteriorRings_r(m_context, part);
            for (int h = 0; h < holes; ++h) {
                polygon.inners().push_back(to_ring(GEOSGetInteriorRingN_r(m_context, part, h)));
            }
            out.push_back(std::move(polygon));
        }
        return out;
    }

    Ptr from_boost(const geo::MultiPolygon& shape) const {
        std::vector<Ptr> parts;
        for (const auto& part : shape) {
            parts.push_back(polygon(part));
        }
        return collection(std::move(parts));
    }

    bool valid(const GEOSGeometry* g) const { return GEOSisValid_r(m_context, g) == 1; }

private:
    GEOSContextHandle_t m_context;
};

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"bench-dissolve: the per-operator dissolve with Boost.Geometry and with GEOS, side by side"};
    std::string campaign_file;
    std::string as_of_text = "2022-07-30";
    app.add_option("campaign", campaign_file, "campaign folder or campaign.json")->required();
    app.add_option("--as-of", as_of_text, "as-of date")->capture_default_str();
    bool boost_only = false;
    app.add_flag("--boost-only", boost_only, "time the Boost cascade only (1 and 2 threads), no GEOS column");
    CLI11_PARSE(app, argc, argv);
    try {
        const auto as_of = Date::parse(as_of_text);
        if (!as_of) {
            throw UsageError("--as-of: not a YYYY-MM-DD date: " + as_of_text);
        }
        const auto campaign = ingest::load_campaign(campaign_file);
        Diagnostics diagnostics;
        auto inputs = ingest::read_inputs(campaign, {}, diagnostics);
        if (diagnostics.has_errors()) {
            throw InputError(diagnostics.problems());
        }
        model::FootprintOptions footprint_options;
        footprint_options.threads = 2;
        const auto footprints = model::build_footprints(inputs.cells, campaign, footprint_options);

        std::ifstream loadavg("/proc/loadavg");
        std::string load1, load5, load15;
        loadavg >> load1 >> load5 >> load15;
        std::cout << fmt::format("{} cells, {} footprints, as of {}; load average {} {} {}\n", inputs.cells.size(),
                                 footprints.size(), as_of->iso(), load1, load5, load15);

        std::vector<overlay::OperatorArea> boost_areas;
        double boost_s[2] = {0, 0};
        double boost_cpu[2] = {0, 0};
        for (int t = 0; t < 2; ++t) {
            overlay::Options options;
            options.threads = t + 1;
            const double start = now_s();
            const double start_cpu = cpu_s();
            boost_areas = overlay::dissolve_coverage(inputs.cells, footprints, campaign, *as_of, options);
            boost_s[t] = now_s() - start;
            boost_cpu[t] = cpu_s() - start_cpu;
        }

        if (boost_only) {
            for (const auto& area : boost_areas) {
                std::size_t holes = 0;
                std::size_t points = 0;
                for (const auto& polygon : area.area) {
                    holes += polygon.inners().size();
                    points += polygon.outer().size();
                    for (const auto& inner : polygon.inners()) points += inner.size();
                }
                std::cout << fmt::format("{}: {} cells, {:.3f} km2, {} polygons, {} holes, {} points\n",
                                         area.operator_code, area.cells, area.area_km2, area.area.size(), holes, points);
            }
            std::cout << fmt::format("Boost cascade: 1 thread {:.3f} s wall / {:.3f} s CPU, 2 threads {:.3f} s / {:.3f} s\n",
                                     boost_s[0], boost_cpu[0], boost_s[1], boost_cpu[1]);
            return 0;
        }
        const Geos geos;
        std::cout << "| operator | cells | Boost km2 | GEOS km2 | sym. diff. km2 | Boost valid | GEOS valid | GEOS s |\n"
                  << "|----------|-------|-----------|----------|----------------|-------------|------------|--------|\n";
        double geos_total = 0;
        double geos_cpu = 0;
        for (const auto& area : boost_areas) {
            const double start = now_s();
            const double start_cpu = cpu_s();
            std::vector<Geos::Ptr> parts;
            for (const auto& footprint : footprints) {
                const auto& cell = inputs.cells[footprint.cell];
                if (cell.operator_code == area.operator_code && cell.in_service(*as_of) && !footprint.shape.empty()) {
                    for (const auto& polygon : footprint.shape.unfolded()) {
                        parts.push_back(geos.polygon(polygon));
                    }
                }
            }
            const auto all = geos.collection(std::move(parts));
            const auto united = geos.own(GEOSUnaryUnion_r(geos.get(), all.get()));
            const auto back = geos.to_boost(united.get());
            const double geos_s = now_s() - start;
            geos_total += geos_s;
            geos_cpu += cpu_s() - start_cpu;

            const auto boost_geos = geos.from_boost(area.area);
            const auto diff = geos.own(GEOSSymDifference_r(geos.get(), boost_geos.get(), united.get()));
            const double diff_km2 = geo::equal_area_m2(geos.to_boost(diff.get())) / 1e6;
            std::cout << fmt::format("| {:<8} | {:>5} | {:>9.3f} | {:>8.3f} | {:>14.6f} | {:>11} | {:>10} | {:>6.2f} |\n",
                                     area.operator_code, area.cells, area.area_km2, geo::equal_area_m2(back) / 1e6,
                                     diff_km2, geos.valid(boost_geos.get()) ? "yes" : "NO",
                                     geos.valid(united.get()) ? "yes" : "NO", geos_s);
        }
        std::cout << "\n| dissolve, all operators | Boost cascade 1 thr | Boost cascade 2 thr | GEOS unary union 1 thr | "
                     "Boost 1 thr / GEOS | Boost 2 thr / GEOS |\n"
                  << "|-------------------------|---------------------|---------------------|------------------------|"
                     "--------------------|--------------------|\n"
                  << fmt::format("| wall s                  | {:>19.3f} | {:>19.3f} | {:>22.3f} | {:>17.2f}× | {:>17.2f}× |\n",
                                 boost_s[0], boost_s[1], geos_total, boost_s[0] / geos_total, boost_s[1] / geos_total)
                  << fmt::format("| CPU s                   | {:>19.3f} | {:>19.3f} | {:>22.3f} | {:>17.2f}× | {:>17.2f}× |\n",
                                 boost_cpu[0], boost_cpu[1], geos_cpu, boost_cpu[0] / geos_cpu, boost_cpu[1] / geos_cpu);
        std::ifstream after("/proc/loadavg");
        after >> load1 >> load5 >> load15;
        std::cout << fmt::format("load average after: {} {} {}\n", load1, load5, load15);
    } catch (const InputError& error) {
        for (const auto& problem : error.problems()) {
            std::cerr << problem.to_string() << "\n";
        }
        return 1;
    } catch (const UsageError& error) {
        std::cerr << "bench-dissolve: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "bench-dissolve: " << error.what() << "\n";
        return 3;
    }
    return 0;
}
