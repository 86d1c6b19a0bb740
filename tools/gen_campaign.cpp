// gen-campaign: the seeded generator of deadzone's synthetic data — the bundled sample campaign
// (geodata/: 628 highland villages, commitments, station files in four formats) and a
// national-scale scenario for benchmarks. Same seed → byte-identical files.
//
// Over 600 lines (about 2 200): the split into a few files by concern, calling the library's
// overlay instead of its own copy, is issue 9 item 6, still open; it was held back because the
// measurement and terrain work of the same session changed this file too.
//
// The sample's outcomes (about 40 % of villages covered by 2022-06-30, most by 2022-07-30, MBF
// behind, a few never covered) are not written down anywhere: sites are placed with the real
// coverage model and each placement is checked against the plan of every village it touches.

#include <deadzone/campaign.hpp>
#include <deadzone/date.hpp>
#include <deadzone/entities.hpp>
#include <deadzone/error.hpp>
#include <deadzone/geo/equal_area.hpp>
#include <deadzone/geo/gdal.hpp>
#include <deadzone/geo/geodesic.hpp>
#include <deadzone/geo/types.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/pipeline.hpp>

#include <CLI/CLI.hpp>
// Boost.Geometry 1.74's envelope and rescale-policy code trips GCC's -Wmaybe-uninitialized once
// inlined (false positives inside Boost), as in src/overlay/geometry.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
namespace fs = std::filesystem;

using deadzone::Campaign;
using deadzone::Cell;
using deadzone::CellStatus;
using deadzone::Delay;
using deadzone::DelayReason;
using deadzone::Date;
using deadzone::Tech;
namespace geo = deadzone::geo;

namespace {

// ---------------------------------------------------------------------------------------------
// Randomness. std::mt19937_64's output sequence is fixed by the standard; the std
// distributions are not, so the conversions to doubles and indices are our own.

class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_engine(seed) {}

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    /// Uniform in [0, n).
    std::size_t index(std::size_t n) {
        return std::min(n - 1, static_cast<std::size_t>(uniform() * static_cast<double>(n)));
    }
    int integer(int low, int high) { // inclusive
        return low + static_cast<int>(index(static_cast<std::size_t>(high - low + 1)));
    }
    bool chance(double p) { return uniform() < p; }
    template <class T> const T& pick(const std::vector<T>& values) { return values[index(values.size())]; }
    template <class T> void shuffle(std::vector<T>& values) {
        for (std::size_t i = values.size(); i > 1; --i) {
            std::swap(values[i - 1], values[index(i)]);
        }
    }
    /// An independent stream, so that changing one part of the generator leaves the others alone.
    Rng fork(std::uint64_t salt) { return Rng{m_engine() ^ (salt * 0x9E3779B97F4A7C15ULL)}; }

private:
    std::mt19937_64 m_engine;
};

double round7(double value) { return std::round(value * 1e7) / 1e7; }

geo::Point rounded(const geo::Point& p) { return geo::Point{round7(p.x()), round7(p.y())}; }

Date ymd(int year, unsigned month, unsigned day) { return *Date::from_ymd(year, month, day); }

Date random_date(Rng& rng, Date first, Date last) {
    return first + static_cast<std::int32_t>(rng.index(static_cast<std::size_t>(last - first + 1)));
}

// ---------------------------------------------------------------------------------------------
// Land: Vietnam's outline, with a point-in-polygon test that only looks at the edges of one
// latitude band (the national scenario tests millions of points).

class Land {
public:
    explicit Land(geo::MultiPolygon outline) : m_outline(std::move(outline)) {
        m_box = bg::return_envelope<geo::Box>(m_outline);
        const double height = m_box.max_corner().y() - m_box.min_corner().y();
        m_bands.resize(static_cast<std::size_t>(std::ceil(height / k_band_deg)) + 1);
        auto add_ring = [this](const geo::Ring& ring) {
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                const Edge edge{ring[i], ring[i + 1]};
                const double low = std::min(edge.a.y(), edge.b.y());
                const double high = std::max(edge.a.y(), edge.b.y());
                for (std::size_t band = band_of(low); band <= band_of(high); ++band) {
                    m_bands[band].push_back(edge);
                }
            }
        };
        for (const auto& polygon : m_outline) {
            add_ring(polygon.outer());
            for (const auto& inner : polygon.inners()) {
                add_ring(inner);
            }
        }
    }

    const geo::MultiPolygon& outline() const noexcept { return m_outline; }
    const geo::Box& box() const noexcept { return m_box; }

    bool contains(const geo::Point& p) const {
        if (!bg::covered_by(p, m_box)) {
            return false;
        }
        bool inside = false;
        for (const auto& edge : m_bands[band_of(p.y())]) {
            // Half-open rule on y so a vertex is counted once.
            if ((edge.a.y() > p.y()) != (edge.b.y() > p.y())) {
                const double x = edge.a.x() + (p.y() - edge.a.y()) * (edge.b.x() - edge.a.x()) /
                                                  (edge.b.y() - edge.a.y());
                if (x > p.x()) {
                    inside = !inside;
                }
            }
        }
        return inside;
    }

    bool contains_all(const geo::Ring& ring) const {
        return std::all_of(ring.begin(), ring.end(), [this](const geo::Point& p) { return contains(p); });
    }

    geo::Point random_point(Rng& rng) const {
        for (;;) {
            const geo::Point p{rng.uniform(m_box.min_corner().x(), m_box.max_corner().x()),
                               rng.uniform(m_box.min_corner().y(), m_box.max_corner().y())};
            if (contains(p)) {
                return p;
            }
        }
    }

private:
    static constexpr double k_band_deg = 0.02;
    struct Edge {
        geo::Point a;
        geo::Point b;
    };
    std::size_t band_of(double lat) const {
        const double offset = std::clamp(lat - m_box.min_corner().y(), 0.0,
                                         static_cast<double>(m_bands.size() - 1) * k_band_deg);
        return std::min(m_bands.size() - 1, static_cast<std::size_t>(offset / k_band_deg));
    }

    geo::MultiPolygon m_outline;
    geo::Box m_box;
    std::vector<std::vector<Edge>> m_bands;
};

geo::MultiPolygon read_outline(const fs::path& file) {
    auto dataset = geo::open_vector(file.string());
    geo::MultiPolygon outline;
    for (auto* layer : dataset->GetLayers()) {
        for (const auto& feature : *layer) {
            if (const auto* geometry = feature->GetGeometryRef()) {
                auto parts = geo::to_multipolygon(*geometry);
                outline.insert(outline.end(), parts.begin(), parts.end());
            }
        }
    }
    if (outline.empty()) {
        throw deadzone::Failure(file.string() + ": no polygon in the outline file");
    }
    return outline;
}

/// The northern part of a land outline whose equal-area surface is `share` of the whole.
struct LandPart {
    geo::MultiPolygon outline;
    double south_lat = 0; // the cut: the part is the land north of this latitude
    double area_km2 = 0;
    double whole_km2 = 0;
};

/// Clips the outline to the band north of a latitude found by bisection, so that villages and
/// sites drawn on the part keep the density they would have on the whole country at
/// (count / share): `national --land-share` uses it to grow benchmarks at constant density.
/// Growing a band from the north keeps the part in one piece (the northern highlands, then
/// the north-central coast), unlike a box anywhere along the country's S-shape.
LandPart northern_share(const geo::MultiPolygon& outline, double share) {
    const auto box = bg::return_envelope<geo::Box>(outline);
    const double whole_m2 = geo::equal_area_m2(outline);
    auto north_of = [&](double lat) {
        geo::Polygon band;
        bg::convert(geo::Box{{box.min_corner().x() - 1, lat}, {box.max_corner().x() + 1, box.max_corner().y() + 1}}, band);
        geo::MultiPolygon part;
        bg::intersection(outline, band, part);
        return part;
    };
    // The land area north of a latitude decreases with it: bisect down to ~1 cm of latitude.
    double low = box.min_corner().y();
    double high = box.max_corner().y();
    while (high - low > 1e-7) {
        const double middle = 0.5 * (low + high);
        if (geo::equal_area_m2(north_of(middle)) >= share * whole_m2) {
            low = middle;
        } else {
            high = middle;
        }
    }
    LandPart part;
    part.south_lat = round7(low);
    // Long straight edges along the cut: densified, so that geodesic-edge measures of the part
    // (the density summary) agree with the lon/lat-straight edges the point test uses.
    bg::densify(north_of(part.south_lat), part.outline, 0.01);
    part.area_km2 = geo::equal_area_m2(part.outline) / 1e6;
    part.whole_km2 = whole_m2 / 1e6;
    return part;
}

// ---------------------------------------------------------------------------------------------
// Village shapes: a star-shaped ring around a centre (radius = 1 + a few random harmonics),
// stretched and turned, scaled to the wanted geodesic area, vertices rounded to 7 decimals.

/// A unit-ish irregular ring (east, north offsets) with a few random harmonics, stretched and
/// turned: the shape of every generated village, before it is placed and scaled.
std::vector<std::pair<double, double>> unit_village_shape(Rng& rng, int vertices) {
    std::array<double, 3> amplitude{rng.uniform(0.0, 0.22), rng.uniform(0.0, 0.14), rng.uniform(0.0, 0.08)};
    std::array<double, 3> phase{rng.uniform(0.0, 2 * std::numbers::pi), rng.uniform(0.0, 2 * std::numbers::pi),
                                rng.uniform(0.0, 2 * std::numbers::pi)};
    const double stretch = rng.uniform(1.0, 1.7);
    const double turn = rng.uniform(0.0, std::numbers::pi);
    std::vector<std::pair<double, double>> local;
    local.reserve(static_cast<std::size_t>(vertices));
    for (int i = 0; i < vertices; ++i) {
        const double t = 2 * std::numbers::pi * (static_cast<double>(i) + rng.uniform(-0.3, 0.3)) / vertices;
        double r = 1.0 + rng.uniform(-0.08, 0.08);
        for (std::size_t k = 0; k < amplitude.size(); ++k) {
            r += amplitude[k] * std::cos(static_cast<double>(k + 1) * t + phase[k]);
        }
        const double x = r * std::cos(t) * stretch;
        const double y = r * std::sin(t) / stretch;
        local.emplace_back(x * std::cos(turn) - y * std::sin(turn), x * std::sin(turn) + y * std::cos(turn));
    }
    return local;
}

geo::Polygon village_shape(Rng& rng, const geo::Point& center, double area_km2, int vertices) {
    const auto local = unit_village_shape(rng, vertices); // east, north
    auto build = [&](double scale_m) {
        geo::Polygon polygon;
        for (const auto& [east, north] : local) {
            const double azimuth = std::atan2(east, north) * 180.0 / std::numbers::pi;
            polygon.outer().push_back(rounded(geo::destination(center, azimuth, std::hypot(east, north) * scale_m)));
        }
        polygon.outer().push_back(polygon.outer().front());
        return polygon;
    };
    double scale_m = std::sqrt(area_km2 * 1e6 / std::numbers::pi);
    auto polygon = build(scale_m);
    scale_m *= std::sqrt(area_km2 * 1e6 / geo::area_m2(polygon));
    return build(scale_m);
}

/// The same kind of shape from local east/north offsets (metres per degree at the centre's
/// latitude) instead of one geodesic per vertex: the national scenario makes 100 000 of them,
/// and over a couple of kilometres the difference is far below the 7th decimal's scale.
geo::Polygon village_shape_fast(Rng& rng, const geo::Point& center, double area_km2, int vertices) {
    const double lat = center.y() * std::numbers::pi / 180.0;
    // WGS84 metres per degree of latitude and longitude at this latitude.
    const double m_per_deg_lat = 111132.92 - 559.82 * std::cos(2 * lat) + 1.175 * std::cos(4 * lat);
    const double m_per_deg_lon = 111412.84 * std::cos(lat) - 93.5 * std::cos(3 * lat);
    const auto local = unit_village_shape(rng, vertices);
    // Planar area of the unit shape (shoelace), then one scale to the wanted area.
    double twice_area = 0;
    for (std::size_t i = 0; i < local.size(); ++i) {
        const auto& [x0, y0] = local[i];
        const auto& [x1, y1] = local[(i + 1) % local.size()];
        twice_area += x0 * y1 - x1 * y0;
    }
    const double scale_m = std::sqrt(area_km2 * 1e6 / (0.5 * twice_area));
    geo::Polygon polygon;
    for (const auto& [east, north] : local) {
        polygon.outer().push_back(rounded(geo::Point{center.x() + east * scale_m / m_per_deg_lon,
                                                     center.y() + north * scale_m / m_per_deg_lat}));
    }
    polygon.outer().push_back(polygon.outer().front());
    return polygon;
}

bool good_polygon(const geo::Polygon& polygon) {
    // Positive planar area in lon/lat = counter-clockwise.
    return bg::area(polygon) > 0 && bg::is_valid(polygon);
}

// ---------------------------------------------------------------------------------------------
// Names. Provinces and districts are real (approximate district centres); communes and villages
// are made of syllables typical of each region's place names.

enum class Region { north, north_central, central_hills, central_highlands, dak_lak, dak_nong, lam_dong };

struct District {
    const char* name;
    double lon;
    double lat;
};

struct Province {
    const char* code;   // administrative code
    const char* abbrev; // used in site ids
    const char* name;
    Region region;
    int villages;       // how many of the 628 lie here
    std::vector<District> districts;
};

const std::vector<Province>& provinces() {
    static const std::vector<Province> table{
        {"02", "HGG", "Hà Giang", Region::north, 60,
         {{"Đồng Văn", 105.36, 23.23}, {"Mèo Vạc", 105.42, 23.13}, {"Yên Minh", 105.14, 23.08},
          {"Quản Bạ", 104.98, 23.05}, {"Hoàng Su Phì", 104.68, 22.74}, {"Xín Mần", 104.50, 22.64},
          {"Bắc Mê", 105.33, 22.75}, {"Vị Xuyên", 104.93, 22.68}}},
        {"04", "CBG", "Cao Bằng", Region::north, 50,
         {{"Bảo Lâm", 105.50, 22.84}, {"Bảo Lạc", 105.68, 22.92}, {"Hà Quảng", 106.08, 22.87},
          {"Trùng Khánh", 106.52, 22.80}, {"Hạ Lang", 106.68, 22.69}, {"Nguyên Bình", 105.95, 22.64},
          {"Thạch An", 106.33, 22.49}}},
        {"06", "BKN", "Bắc Kạn", Region::north, 30,
         {{"Pác Nặm", 105.68, 22.60}, {"Ba Bể", 105.73, 22.40}, {"Ngân Sơn", 105.98, 22.44},
          {"Na Rì", 106.10, 22.24}, {"Chợ Đồn", 105.58, 22.18}}},
        {"08", "TQG", "Tuyên Quang", Region::north, 20,
         {{"Lâm Bình", 105.22, 22.46}, {"Na Hang", 105.40, 22.34}, {"Chiêm Hóa", 105.27, 22.14}}},
        {"10", "LCI", "Lào Cai", Region::north, 35,
         {{"Bát Xát", 103.86, 22.52}, {"Si Ma Cai", 104.29, 22.69}, {"Mường Khương", 104.12, 22.72},
          {"Bắc Hà", 104.29, 22.53}, {"Sa Pa", 103.86, 22.32}, {"Văn Bàn", 104.16, 22.06}}},
        {"11", "DBN", "Điện Biên", Region::north, 45,
         {{"Mường Nhé", 102.50, 22.18}, {"Nậm Pồ", 102.72, 21.93}, {"Mường Chà", 103.06, 21.80},
          {"Tủa Chùa", 103.36, 21.84}, {"Điện Biên Đông", 103.24, 21.26}, {"Mường Ảng", 103.22, 21.52}}},
        {"12", "LCU", "Lai Châu", Region::north, 40,
         {{"Mường Tè", 102.68, 22.36}, {"Sìn Hồ", 103.24, 22.34}, {"Phong Thổ", 103.36, 22.52},
          {"Nậm Nhùn", 102.96, 22.15}, {"Than Uyên", 103.88, 21.95}, {"Tân Uyên", 103.75, 22.14}}},
        {"14", "SLA", "Sơn La", Region::north, 50,
         {{"Sốp Cộp", 103.60, 20.88}, {"Sông Mã", 103.73, 21.06}, {"Bắc Yên", 104.42, 21.24},
          {"Phù Yên", 104.64, 21.26}, {"Quỳnh Nhai", 103.58, 21.82}, {"Mộc Châu", 104.68, 20.84},
          {"Vân Hồ", 104.80, 20.76}, {"Thuận Châu", 103.68, 21.43}}},
        {"15", "YBI", "Yên Bái", Region::north, 25,
         {{"Mù Cang Chải", 104.08, 21.84}, {"Trạm Tấu", 104.40, 21.46}, {"Văn Chấn", 104.58, 21.58}}},
        {"20", "LSN", "Lạng Sơn", Region::north, 25,
         {{"Bình Gia", 106.37, 21.94}, {"Đình Lập", 107.10, 21.54}, {"Văn Quan", 106.55, 21.86},
          {"Tràng Định", 106.45, 22.28}}},
        {"38", "THA", "Thanh Hóa", Region::north_central, 30,
         {{"Mường Lát", 104.62, 20.52}, {"Quan Sơn", 104.92, 20.26}, {"Quan Hóa", 104.96, 20.44},
          {"Bá Thước", 105.24, 20.36}, {"Thường Xuân", 105.30, 19.90}}},
        {"40", "NAN", "Nghệ An", Region::north_central, 45,
         {{"Kỳ Sơn", 104.18, 19.42}, {"Tương Dương", 104.46, 19.26}, {"Con Cuông", 104.88, 19.04},
          {"Quế Phong", 104.92, 19.64}, {"Quỳ Châu", 105.10, 19.55}}},
        {"45", "QTI", "Quảng Trị", Region::central_hills, 15,
         {{"Hướng Hóa", 106.72, 16.64}, {"Đakrông", 106.92, 16.52}}},
        {"49", "QNM", "Quảng Nam", Region::central_hills, 35,
         {{"Tây Giang", 107.46, 15.88}, {"Đông Giang", 107.70, 15.92}, {"Nam Giang", 107.58, 15.66},
          {"Phước Sơn", 107.80, 15.40}, {"Nam Trà My", 108.06, 15.06}, {"Bắc Trà My", 108.22, 15.30}}},
        {"51", "QNI", "Quảng Ngãi", Region::central_hills, 20,
         {{"Sơn Tây", 108.34, 14.98}, {"Ba Tơ", 108.72, 14.76}, {"Minh Long", 108.70, 14.94},
          {"Trà Bồng", 108.50, 15.24}, {"Sơn Hà", 108.50, 15.04}}},
        {"62", "KTM", "Kon Tum", Region::central_highlands, 30,
         {{"Đắk Glei", 107.74, 15.10}, {"Tu Mơ Rông", 107.96, 14.90}, {"Kon Plông", 108.32, 14.70},
          {"Sa Thầy", 107.80, 14.42}, {"Ia H'Drai", 107.58, 14.14}, {"Đắk Tô", 107.86, 14.66}}},
        {"64", "GLI", "Gia Lai", Region::central_highlands, 25,
         {{"Kbang", 108.60, 14.30}, {"Chư Păh", 107.96, 14.14}, {"Ia Grai", 107.84, 13.98},
          {"Đức Cơ", 107.70, 13.78}, {"Krông Pa", 108.66, 13.24}, {"Ia Pa", 108.50, 13.54}}},
        {"66", "DLK", "Đắk Lắk", Region::dak_lak, 20,
         {{"Ea Súp", 107.86, 13.14}, {"Buôn Đôn", 107.86, 12.88}, {"M'Drắk", 108.76, 12.72},
          {"Lắk", 108.18, 12.40}, {"Krông Bông", 108.44, 12.50}, {"Ea H'leo", 108.22, 13.24}}},
        {"67", "DNO", "Đắk Nông", Region::dak_nong, 12,
         {{"Tuy Đức", 107.46, 12.18}, {"Đắk Glong", 107.86, 12.04}, {"Krông Nô", 107.90, 12.40},
          {"Đắk Song", 107.62, 12.24}}},
        {"68", "LDG", "Lâm Đồng", Region::lam_dong, 16,
         {{"Lạc Dương", 108.44, 12.10}, {"Đam Rông", 108.16, 12.06}, {"Di Linh", 108.04, 11.56},
          {"Bảo Lâm", 107.72, 11.70}, {"Đạ Tẻh", 107.54, 11.56}}},
    };
    return table;
}

struct Syllables {
    std::vector<std::string> village_prefix;
    std::vector<std::string> first;
    std::vector<std::string> second;
    double numbered = 0.0; // share of villages named "Thôn 5" and the like
};

const Syllables& syllables(Region region) {
    static const std::map<Region, Syllables> table{
        {Region::north,
         {{"Thôn", "Bản", "Thôn", "Bản", "Xóm"},
          {"Nà", "Khuổi", "Lũng", "Pác", "Nặm", "Tả", "Sà", "Lao", "Sủng", "Khau", "Pù", "Huổi", "Phiêng",
           "Cốc", "Bó", "Kéo", "Nậm", "Séo", "Sín", "Lùng", "Thèn", "Xín", "Pả", "Phai", "Mào", "Pò", "Tà",
           "Lủng", "Ngàm", "Phìn", "Mỏ", "Khâu"},
          {"Lầu", "Hồ", "Lừa", "Cú", "Đăm", "Phìn", "Chải", "Vải", "Pền", "Chung", "Thàng", "Mò", "Pin",
           "Hẩu", "Luông", "Khoang", "Cang", "Pa", "Nọi", "Tạo", "Sáng", "Kham", "Mạ", "Lếch", "Ngần",
           "Pàng", "Chè", "Dìn", "Cháng", "Phố", "Mè", "Tẳng", "Mu", "Dào", "Cài", "Lỳ", "Sử", "Chồ",
           "Giàng", "Ván", "Tủng", "Slam"},
          0.0}},
        {Region::north_central,
         {{"Bản"},
          {"Huồi", "Nậm", "Na", "Pù", "Xốp", "Mường", "Keng", "Phà", "Cánh", "Tà", "Hua", "Kẻo", "Piềng",
           "Huổi", "Xiềng", "Pha", "Kè", "Lưu"},
          {"Mèo", "Cộng", "Giảng", "Càn", "Đu", "Lống", "Khiêng", "Tột", "Pủng", "Xằng", "Lầm", "Mọi", "Lằn",
           "Cắm", "Mạt", "Thé", "Tụ", "Ún", "Pục", "Lam", "Chạng", "Pán", "Tiến", "Kiềng"},
          0.0}},
        {Region::central_hills,
         {{"Thôn", "Bản", "Thôn"},
          {"A", "Tà", "Pa", "Ra", "Ka", "Xà", "Cu", "Ba", "Ha", "Tu", "Ta", "Ríc"},
          {"Xing", "Dơi", "Ngo", "Bung", "Lao", "Vao", "Sờ", "Vương", "Tiêng", "Rông", "Lang", "Rụt", "Pơơ",
           "Ry", "Ling", "Tầng", "Nang", "Lua", "Ró", "Roòng", "Kạ", "Ấy", "Xòa", "Lê", "Dinh", "Rê",
           "Lốc", "Hươi", "Bhơi", "Zơn"},
          0.08}},
        {Region::central_highlands,
         {{"Làng", "Làng", "Thôn", "Plei"},
          {"Kon", "Đắk", "Ia", "Kon", "Đắk"},
          {"Chênh", "Rẫy", "Plông", "Tu", "Klor", "Hring", "Jri", "Pao", "Brap", "Gung", "Hơ Lăng",
           "Trang", "Bỉ", "Rơ Nga", "Pờ Xi", "Tơ Re", "Kôi", "Ring", "Nên", "Mar", "Xú", "Na", "Long",
           "Pék", "Grai", "Dom", "Kriêng", "Mơ", "Chía", "Pnôn", "Kha", "Ly", "Tôr", "Bơ Nga"},
          0.12}},
        {Region::dak_lak,
         {{"Buôn"},
          {"Ea", "Đắk", "Ko", "Ea"},
          {"H'leo", "Súp", "Kly", "Tam", "Drông", "Bar", "Sol", "Rốk", "Wer", "Hiao", "Kmát", "Lê",
           "Trấp", "Jun", "Kao", "Triết", "Dhă", "Tul", "Drai", "Kuăng", "Pôk", "M'Nang"},
          0.12}},
        {Region::dak_nong,
         {{"Bon", "Bon", "Bản", "Thôn"},
          {"Bu", "Đắk", "Ja", "Phi", "N'"},
          {"Prăng", "R'Moan", "Nor", "Sir", "Jang", "Dăr", "Păh", "Huýt", "Ráh", "Koh", "Ja", "Drung",
           "Lao", "Mbre"},
          0.12}},
        {Region::lam_dong,
         {{"Thôn", "Bon", "Thôn"},
          {"Đạ", "Păng", "Liêng", "Đưng", "Tou", "Phi", "Lán", "K'", "Đa"},
          {"Nghịt", "Tiêng", "Bông", "K'Si", "Nhim", "Neh", "Tro", "Liêng", "Tranh", "Long", "Sar", "Rsal",
           "M'Rông", "Pin"},
          0.15}},
    };
    return table.at(region);
}

std::string place_name(Rng& rng, const Syllables& s) {
    const auto& first = rng.pick(s.first);
    const auto& second = rng.pick(s.second);
    // "N'" and "K'" join the next syllable without a space, as in N'Jang.
    if (!first.empty() && first.back() == '\'') {
        return first + second;
    }
    return first + " " + second;
}

// ---------------------------------------------------------------------------------------------
// Shared records.

struct GenVillage {
    std::string id;
    std::string name;
    std::size_t province = 0;
    std::string district;
    std::string commune;
    std::size_t commune_index = 0;
    int population = 0;
    int households = 0;
    geo::Point center;
    geo::MultiPolygon geometry; // as deadzone sees it (a disc for point villages)
    std::optional<geo::Point> point; // set when the village is published as a Point
    geo::Box box;
};

/// The campaign outcome planned for a commune's villages.
enum class Outcome {
    by_june,       // programme site on air before 2022-06-30 (inclusive)
    by_july,       // 2022-07-01 .. 2022-07-30
    late,          // August or September
    planned,       // not on air; a planned/building cell would cover it
    hopeless,      // not on air and no listed cell would cover it
};

struct Commune {
    std::string name;
    std::size_t province = 0;
    std::string district;
    geo::Point center;
    std::vector<std::size_t> villages;
    std::string operator_code;
    Outcome outcome = Outcome::by_june;
};

/// The days a village is meant to be covered by its operator: [from, to) intervals.
struct Plan {
    std::vector<std::pair<Date, std::optional<Date>>> covered;
    bool potential = true; // whether some listed cell may cover it at all

    bool covered_on(Date day) const {
        return std::any_of(covered.begin(), covered.end(),
                           [day](const auto& span) { return span.first <= day && (!span.second || day < *span.second); });
    }
};

/// Where a cell is written (each format exercises another reader).
enum class Sink { viettel_csv, vinaphone_geojson, mobifone_gpkg, mobifone_opencellid };

struct OpenCellIdRow {
    int area = 0;
    long cell = 0;
    int unit = 0;
    int samples = 0;
    std::int64_t created = 0;
    std::int64_t updated = 0;
    int average_signal = 0;
};

struct GenCell {
    Cell cell;
    geo::Polygon footprint;
    geo::Box box;
    bool legacy = false; // built before the programme
    Sink sink = Sink::viettel_csv;
    std::string province;
    std::optional<OpenCellIdRow> opencellid;
};

struct Commitment {
    std::size_t village = 0;
    std::string operator_code;
    Date deadline;
    Date registered_on;
};

// ---------------------------------------------------------------------------------------------
// Coverage, computed the way the overlay stage defines it: area(village ∩ ⋃ footprints)/area.

using BoxEntry = std::pair<geo::Box, std::size_t>;
using BoxTree = bgi::rtree<BoxEntry, bgi::rstar<16>>;

double covered_fraction(const geo::MultiPolygon& village, double village_area_m2,
                        const std::vector<const geo::Polygon*>& footprints) {
    geo::MultiPolygon covered;
    for (const auto* footprint : footprints) {
        geo::MultiPolygon clip;
        bg::intersection(village, *footprint, clip);
        if (clip.empty()) {
            continue;
        }
        geo::MultiPolygon merged;
        bg::union_(covered, clip, merged);
        covered = std::move(merged);
    }
    return covered.empty() ? 0.0 : std::min(1.0, geo::area_m2(covered) / village_area_m2);
}

class Coverage {
public:
    Coverage(const Campaign& campaign, const std::vector<GenVillage>& villages)
        : m_campaign(campaign), m_model(deadzone::model::make_link_budget_model(campaign)), m_villages(villages) {
        for (const auto& village : villages) {
            m_village_area_m2.push_back(geo::area_m2(village.geometry));
        }
    }

    GenCell make(Cell cell) const {
        GenCell out;
        out.footprint = m_model->footprint(cell, deadzone::model::radio_params(cell, m_campaign));
        out.box = bg::return_envelope<geo::Box>(out.footprint);
        out.cell = std::move(cell);
        return out;
    }

    void add(GenCell cell) {
        const std::size_t index = m_cells.size();
        m_by_operator[cell.cell.operator_code].insert({cell.box, index});
        m_all.insert({cell.box, index});
        m_cells.push_back(std::move(cell));
    }

    const std::vector<GenCell>& cells() const noexcept { return m_cells; }
    std::vector<GenCell>& cells() noexcept { return m_cells; }

    /// Cells (existing, filtered) plus extra candidate cells touching village v.
    template <class Keep>
    double fraction(std::size_t v, const std::string* operator_code, Keep keep,
                    const std::vector<GenCell>& extra = {}) const {
        const auto& village = m_villages[v];
        std::vector<const geo::Polygon*> footprints;
        std::vector<BoxEntry> hits;
        const BoxTree* tree = &m_all;
        if (operator_code != nullptr) {
            const auto it = m_by_operator.find(*operator_code);
            tree = it != m_by_operator.end() ? &it->second : nullptr;
        }
        if (tree != nullptr) {
            tree->query(bgi::intersects(village.box), std::back_inserter(hits));
        }
        std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        for (const auto& hit : hits) {
            if (keep(m_cells[hit.second])) {
                footprints.push_back(&m_cells[hit.second].footprint);
            }
        }
        for (const auto& cell : extra) {
            if ((operator_code == nullptr || cell.cell.operator_code == *operator_code) && keep(cell) &&
                bg::intersects(cell.box, village.box)) {
                footprints.push_back(&cell.footprint);
            }
        }
        return covered_fraction(village.geometry, m_village_area_m2[v], footprints);
    }

    double fraction_at(std::size_t v, const std::string& op, Date day, const std::vector<GenCell>& extra = {}) const {
        return fraction(v, &op, [day](const GenCell& c) { return c.cell.in_service(day); }, extra);
    }
    /// As if every listed cell of the operator were in service.
    double potential(std::size_t v, const std::string& op, const std::vector<GenCell>& extra = {}) const {
        return fraction(v, &op, [](const GenCell&) { return true; }, extra);
    }
    double legacy_any(std::size_t v, const std::vector<GenCell>& extra = {}) const {
        return fraction(v, nullptr, [](const GenCell& c) { return c.legacy; }, extra);
    }

    /// Off-air dates of the operator's cells touching v (the days coverage may drop).
    std::vector<Date> drop_days(std::size_t v, const std::string& op, const std::vector<GenCell>& extra) const {
        std::vector<Date> days;
        const auto it = m_by_operator.find(op);
        if (it != m_by_operator.end()) {
            std::vector<BoxEntry> hits;
            it->second.query(bgi::intersects(m_villages[v].box), std::back_inserter(hits));
            for (const auto& hit : hits) {
                if (const auto& off = m_cells[hit.second].cell.off_air_date) {
                    days.push_back(*off);
                }
            }
        }
        for (const auto& cell : extra) {
            if (cell.cell.off_air_date) {
                days.push_back(*cell.cell.off_air_date);
            }
        }
        return days;
    }

    /// Villages whose box meets any of these cells' boxes, ascending.
    std::vector<std::size_t> touched(const std::vector<GenCell>& cells, const BoxTree& villages) const {
        std::set<std::size_t> out;
        for (const auto& cell : cells) {
            std::vector<BoxEntry> hits;
            villages.query(bgi::intersects(cell.box), std::back_inserter(hits));
            for (const auto& hit : hits) {
                out.insert(hit.second);
            }
        }
        return {out.begin(), out.end()};
    }

    const Campaign& campaign() const noexcept { return m_campaign; }

private:
    const Campaign& m_campaign;
    std::unique_ptr<deadzone::model::CoverageModel> m_model;
    const std::vector<GenVillage>& m_villages;
    std::vector<double> m_village_area_m2;
    std::vector<GenCell> m_cells;
    std::map<std::string, BoxTree> m_by_operator;
    BoxTree m_all;
};

// ---------------------------------------------------------------------------------------------
// Output helpers: text written by hand, so that every byte is under our control.

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\n") == std::string_view::npos) {
        return std::string{text};
    }
    std::string out = "\"";
    for (const char c : text) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

std::string coord(double value) { return fmt::format("{:.7f}", value); }

std::string ring_json(const geo::Ring& ring) {
    std::string out = "[";
    for (std::size_t i = 0; i < ring.size(); ++i) {
        out += fmt::format("{}[{},{}]", i ? "," : "", coord(ring[i].x()), coord(ring[i].y()));
    }
    return out + "]";
}

/// Trims a number's trailing zeros: 30.0 → "30", 2.5 → "2.5".
std::string number(double value) {
    auto text = fmt::format("{:.3f}", value);
    while (text.back() == '0') {
        text.pop_back();
    }
    if (text.back() == '.') {
        text.pop_back();
    }
    return text;
}

std::string optional_number(const std::optional<double>& value) { return value ? number(*value) : std::string{}; }
std::string optional_date(const std::optional<Date>& value) { return value ? value->iso() : std::string{}; }

void write_text(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
        throw deadzone::Failure(file.string() + ": cannot write");
    }
}

/// The campaign template with its "stations" (and optionally the other input) entries replaced,
/// keeping the file's hand-made layout.
std::string campaign_text(const std::string& template_text, const std::vector<std::string>& stations,
                          const std::optional<std::string>& villages = std::nullopt,
                          const std::optional<std::string>& commitments = std::nullopt,
                          const std::optional<std::string>& name = std::nullopt) {
    std::string text = template_text;
    std::string list = "[";
    for (std::size_t i = 0; i < stations.size(); ++i) {
        list += (i ? ", " : "") + json_string(stations[i]);
    }
    list += "]";
    auto replace = [&text](const std::string& key, const std::string& value) {
        const std::regex pattern("(\"" + key + "\"\\s*:\\s*)(\\[[^\\]]*\\]|\"[^\"]*\")");
        if (!std::regex_search(text, pattern)) {
            throw deadzone::Failure("campaign template has no \"" + key + "\" entry");
        }
        text = std::regex_replace(text, pattern, "$1" + value, std::regex_constants::format_first_only);
    };
    replace("stations", list);
    if (villages) {
        replace("villages", json_string(*villages));
    }
    if (commitments) {
        replace("commitments", json_string(*commitments));
    }
    if (name) {
        replace("name", json_string(*name));
    }
    return text;
}

/// The template without its `measurements` entry: a generated scenario has no drive tests of its own.
std::string without_measurements(const std::string& text) {
    static const std::regex entry(",\\s*\"measurements\"\\s*:\\s*(\\[[^\\]]*\\]|\"[^\"]*\")");
    return std::regex_replace(text, entry, "");
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw deadzone::Failure(file.string() + ": cannot read");
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// ---------------------------------------------------------------------------------------------
// GeoPackage writing through OGR. GeoPackage stores creation timestamps; OGR_CURRENT_DATE fixes
// them so that the file is byte-identical from run to run.

struct OgrField {
    std::string name;
    OGRFieldType type;
};

class GpkgWriter {
public:
    GpkgWriter(const fs::path& file, const std::string& layer_name, OGRwkbGeometryType type,
               const std::vector<OgrField>& fields) {
        CPLSetConfigOption("OGR_CURRENT_DATE", "2022-10-01T00:00:00.000Z");
        geo::ensure_gdal();
        fs::create_directories(file.parent_path());
        fs::remove(file);
        auto* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        if (driver == nullptr) {
            throw deadzone::Failure("GDAL has no GPKG driver");
        }
        m_dataset.reset(driver->Create(file.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!m_dataset) {
            throw deadzone::Failure(file.string() + ": cannot create: " + geo::last_gdal_error());
        }
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        const char* options[] = {"SPATIAL_INDEX=YES", nullptr};
        m_layer = m_dataset->CreateLayer(layer_name.c_str(), &srs, type, const_cast<char**>(options));
        if (m_layer == nullptr) {
            throw deadzone::Failure(file.string() + ": cannot create layer " + layer_name);
        }
        for (const auto& field : fields) {
            OGRFieldDefn definition(field.name.c_str(), field.type);
            m_layer->CreateField(&definition);
        }
        m_file = file.string();
        m_dataset->StartTransaction();
    }

    OGRLayer& layer() { return *m_layer; }

    void add(OGRFeature& feature) {
        if (m_layer->CreateFeature(&feature) != OGRERR_NONE) {
            throw deadzone::Failure(m_file + ": cannot write a feature: " + geo::last_gdal_error());
        }
    }

    void close() {
        if (m_dataset->CommitTransaction() != OGRERR_NONE) {
            throw deadzone::Failure(m_file + ": cannot commit: " + geo::last_gdal_error());
        }
        m_dataset.reset();
    }

private:
    geo::DatasetPtr m_dataset;
    OGRLayer* m_layer = nullptr;
    std::string m_file;
};

// ---------------------------------------------------------------------------------------------
// Verification: the written campaign read back and analysed by deadzone's own pipeline.

void print_pipeline_figures(const fs::path& campaign_file, Date as_of) {
    auto campaign = deadzone::ingest::load_campaign(campaign_file);
    // Drive tests are made afterwards from these files (tools/gen_measurements.cpp); they are not here yet.
    campaign.measurements.clear();
    campaign.coverage_rule.evidence = deadzone::Evidence::prediction;
    deadzone::Diagnostics diagnostics;
    auto inputs = deadzone::ingest::read_inputs(campaign, {}, diagnostics);
    if (diagnostics.has_errors()) {
        throw deadzone::InputError(diagnostics.problems());
    }
    deadzone::pipeline::Options options;
    options.compute_gaps = false;
    const auto analysis = deadzone::pipeline::analyze(std::move(campaign), std::move(inputs), as_of, options);
    const auto& tracking = analysis.tracking;
    std::cout << fmt::format("deadzone's pipeline on the written files (as of {}), share of commitments covered:\n",
                             as_of.iso());
    auto line = [&](const deadzone::track::Group& group, const std::string& key) {
        int hopeless = 0;
        for (const auto& result : tracking.commitments) {
            const auto& op = analysis.commitments[result.commitment].operator_code;
            hopeless += result.cannot_be_met && (key == "all" || op == key) ? 1 : 0;
        }
        std::string text = fmt::format("  {:<4} {:3d} villages", key, group.counts.total);
        for (const auto& milestone : group.milestones) {
            text += fmt::format("  {}: {:5.1f} %", milestone.date.iso(), 100.0 * milestone.achieved);
        }
        text += fmt::format("  {}: {:5.1f} %  never covered {}, of which no listed cell would cover {}",
                            as_of.iso(), 100.0 * group.counts.fraction,
                            group.counts.total - group.counts.covered - group.counts.covered_late, hopeless);
        std::cout << text << "\n";
    };
    for (const auto& group : tracking.operators) {
        line(group, group.key);
    }
    line(tracking.overall, "all");
}

// ---------------------------------------------------------------------------------------------
// The sample campaign.

constexpr int k_sample_villages = 628;
const std::vector<std::string> k_operators{"VTL", "VNP", "MBF"};

struct SampleTargets {
    // Share of each operator's villages per outcome (by_june, by_july, late, planned, hopeless).
    std::map<std::string, std::array<double, 5>> outcome_share{
        {"VTL", {0.53, 0.42, 0.03, 0.01, 0.01}},
        {"VNP", {0.42, 0.46, 0.08, 0.02, 0.02}},
        {"MBF", {0.19, 0.42, 0.26, 0.07, 0.06}},
    };
    std::map<std::string, double> operator_share{{"VTL", 0.50}, {"VNP", 0.30}, {"MBF", 0.20}};
};

class SampleGenerator {
public:
    SampleGenerator(std::uint64_t seed, const Land& land, const Campaign& campaign)
        : m_seed(seed), m_land(land), m_campaign(campaign) {}

    void run(const fs::path& out, const std::string& campaign_template) {
        const auto started = std::chrono::steady_clock::now();
        make_villages();
        assign_operators();
        make_commitments();
        m_coverage = std::make_unique<Coverage>(m_campaign, m_villages);
        make_plans();
        place_legacy_sites();
        place_programme_sites();
        place_planned_sites();
        add_delays();
        write(out, campaign_template);
        summarize();
        print_pipeline_figures(out / "campaign.json", ymd(2022, 9, 30));
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::cout << fmt::format("sample written to {} in {:.1f} s\n", out.string(), seconds);
    }

private:
    // ---- villages ----
    void make_villages() {
        Rng rng{m_seed};
        Rng shapes = rng.fork(1);
        Rng names = rng.fork(2);
        Rng people = rng.fork(3);
        std::vector<geo::Point> commune_centers;
        for (std::size_t p = 0; p < provinces().size(); ++p) {
            const auto& province = provinces()[p];
            const auto& words = syllables(province.region);
            int remaining = province.villages;
            int serial = 0;
            std::set<std::string> commune_names;
            while (remaining > 0) {
                const auto& district = province.districts[shapes.index(province.districts.size())];
                const int size = std::min(remaining, shapes.integer(2, 6));
                // A commune centre on land, away from the other communes.
                std::optional<geo::Point> center;
                for (int attempt = 0; attempt < 400 && !center; ++attempt) {
                    const double reach_m = 2000.0 + 16000.0 * std::sqrt(shapes.uniform()) * (1.0 + attempt / 100.0);
                    const auto candidate = geo::destination(geo::Point{district.lon, district.lat},
                                                            shapes.uniform(0, 360), reach_m);
                    const bool apart = std::none_of(commune_centers.begin(), commune_centers.end(),
                                                    [&](const geo::Point& c) { return geo::distance_m(c, candidate) < 7000; });
                    if (apart && m_land.contains(candidate)) {
                        center = candidate;
                    }
                }
                if (!center) {
                    throw deadzone::Failure(fmt::format("no room for a commune in {}", district.name));
                }
                commune_centers.push_back(*center);
                Commune commune;
                do {
                    commune.name = place_name(names, words);
                } while (!commune_names.insert(commune.name).second);
                commune.province = p;
                commune.district = district.name;
                commune.center = *center;
                std::set<std::string> village_names;
                for (int k = 0; k < size; ++k) {
                    auto village = make_village(shapes, commune);
                    if (!village) {
                        continue;
                    }
                    village->id = fmt::format("V{}-{:03d}", province.code, ++serial);
                    village->province = p;
                    village->district = district.name;
                    village->commune = commune.name;
                    village->commune_index = m_communes.size();
                    do {
                        if (words.numbered > 0 && names.chance(words.numbered)) {
                            village->name = fmt::format("Thôn {}", names.integer(1, 14));
                        } else {
                            village->name = names.pick(words.village_prefix) + " " + place_name(names, words);
                        }
                    } while (!village_names.insert(village->name).second);
                    const double area_km2 = geo::area_m2(village->geometry) / 1e6;
                    village->households = static_cast<int>(std::lround(people.uniform(18, 45) * std::sqrt(area_km2 + 0.5) +
                                                                      people.uniform(0, 60)));
                    village->population = static_cast<int>(std::lround(village->households * people.uniform(4.0, 5.6)));
                    commune.villages.push_back(m_villages.size());
                    m_village_tree.insert({village->box, m_villages.size()});
                    m_villages.push_back(std::move(*village));
                    --remaining;
                }
                if (!commune.villages.empty()) {
                    m_communes.push_back(std::move(commune));
                }
            }
        }
        if (m_villages.size() != static_cast<std::size_t>(k_sample_villages)) {
            throw deadzone::Failure(fmt::format("generated {} villages, expected {}", m_villages.size(), k_sample_villages));
        }
        // A few registry entries carry only a point: about one village in sixty, where the
        // disc deadzone puts in its place stays on land and clear of the neighbours.
        for (std::size_t v = 30; v < m_villages.size(); v += 60) {
            for (std::size_t u = v; u < std::min(v + 20, m_villages.size()); ++u) {
                auto& village = m_villages[u];
                const auto point = rounded(village.center);
                const auto disc = geo::disc(point, m_campaign.coverage_rule.village_radius_m);
                const auto box = bg::return_envelope<geo::Box>(disc);
                const bool clear = std::all_of(m_village_tree.qbegin(bgi::intersects(box)), m_village_tree.qend(),
                                               [u](const BoxEntry& hit) { return hit.second == u; });
                if (clear && m_land.contains_all(disc.outer())) {
                    m_village_tree.remove(BoxEntry{village.box, u});
                    village.point = point;
                    village.geometry = geo::MultiPolygon{disc};
                    village.box = box;
                    m_village_tree.insert({box, u});
                    break;
                }
            }
        }
    }

    std::optional<GenVillage> make_village(Rng& rng, const Commune& commune) {
        for (int attempt = 0; attempt < 300; ++attempt) {
            const double area_km2 = std::exp(std::log(0.5) + (std::log(15.0) - std::log(0.5)) * std::pow(rng.uniform(), 1.7));
            const double radius_m = std::sqrt(area_km2 * 1e6 / std::numbers::pi);
            const double reach_m = rng.uniform(0, 3500.0 + attempt * 10.0) + radius_m * 0.5;
            const auto center = rounded(geo::destination(commune.center, rng.uniform(0, 360), reach_m));
            auto polygon = village_shape(rng, center, area_km2, rng.integer(9, 18));
            if (!good_polygon(polygon) || !m_land.contains_all(polygon.outer()) ||
                !bg::within(polygon, m_land.outline())) {
                continue;
            }
            auto box = bg::return_envelope<geo::Box>(polygon);
            // Keep about 300 m between villages (boxes grown by 0.003°), and room for a point
            // village's disc.
            geo::Box grown{{box.min_corner().x() - 0.003, box.min_corner().y() - 0.003},
                           {box.max_corner().x() + 0.003, box.max_corner().y() + 0.003}};
            if (m_village_tree.qbegin(bgi::intersects(grown)) != m_village_tree.qend()) {
                continue;
            }
            GenVillage village;
            village.center = center;
            village.geometry = geo::MultiPolygon{std::move(polygon)};
            village.box = box;
            return village;
        }
        return std::nullopt;
    }

    // ---- operators, outcomes, commitments ----
    void assign_operators() {
        Rng rng = Rng{m_seed}.fork(4);
        std::vector<std::size_t> order(m_communes.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        rng.shuffle(order);
        std::map<std::string, double> assigned;
        for (const auto c : order) {
            // Probability follows each operator's shortfall against its share of villages.
            std::vector<double> weight;
            double total = 0;
            for (const auto& op : k_operators) {
                const double want = m_targets.operator_share.at(op) * k_sample_villages;
                weight.push_back(std::max(0.0, want - assigned[op]) + 2.0);
                total += weight.back();
            }
            double draw = rng.uniform(0, total);
            std::size_t chosen = 0;
            while (chosen + 1 < weight.size() && draw >= weight[chosen]) {
                draw -= weight[chosen++];
            }
            m_communes[c].operator_code = k_operators[chosen];
            assigned[k_operators[chosen]] += static_cast<double>(m_communes[c].villages.size());
        }
        // Outcomes per operator: each commune takes the outcome furthest below its target.
        for (const auto& op : k_operators) {
            std::vector<std::size_t> mine;
            for (const auto c : order) {
                if (m_communes[c].operator_code == op) {
                    mine.push_back(c);
                }
            }
            double villages = 0;
            for (const auto c : mine) {
                villages += static_cast<double>(m_communes[c].villages.size());
            }
            std::array<double, 5> done{};
            const auto& share = m_targets.outcome_share.at(op);
            for (const auto c : mine) {
                std::size_t best = 0;
                double best_gap = -1e9;
                for (std::size_t k = 0; k < share.size(); ++k) {
                    const double gap = share[k] * villages - done[k];
                    if (gap > best_gap + 1e-9) {
                        best_gap = gap;
                        best = k;
                    }
                }
                m_communes[c].outcome = static_cast<Outcome>(best);
                done[best] += static_cast<double>(m_communes[c].villages.size());
            }
        }
    }

    void make_commitments() {
        Rng rng = Rng{m_seed}.fork(5);
        const Date june = ymd(2022, 6, 30);
        const Date july = ymd(2022, 7, 30);
        for (std::size_t v = 0; v < m_villages.size(); ++v) {
            const auto& commune = m_communes[m_villages[v].commune_index];
            // Operators registered their quickest sites for the first milestone.
            const double p_june = commune.outcome == Outcome::by_june ? 0.74 : 0.16;
            Commitment commitment;
            commitment.village = v;
            commitment.operator_code = commune.operator_code;
            commitment.deadline = rng.chance(p_june) ? june : july;
            commitment.registered_on = random_date(rng, ymd(2022, 1, 10), ymd(2022, 3, 25));
            m_commitments.push_back(commitment);
        }
    }

    // ---- the plan: on which days each village should count as covered ----
    void make_plans() {
        Rng rng = Rng{m_seed}.fork(6);
        m_plans.resize(m_villages.size());
        m_jobs.clear();
        for (std::size_t c = 0; c < m_communes.size(); ++c) {
            const auto& commune = m_communes[c];
            Date day;
            switch (commune.outcome) {
            case Outcome::by_june: {
                // Later dates are likelier (work sped up towards the milestone); a few exactly on it.
                const double u = std::pow(rng.uniform(), 0.6);
                day = rng.chance(0.06) ? ymd(2022, 6, 30) : ymd(2022, 4, 5) + static_cast<std::int32_t>(u * 86);
                break;
            }
            case Outcome::by_july:
                day = rng.chance(0.06) ? ymd(2022, 7, 30) : random_date(rng, ymd(2022, 7, 1), ymd(2022, 7, 29));
                break;
            case Outcome::late:
                day = random_date(rng, ymd(2022, 8, 2), ymd(2022, 9, 28));
                break;
            case Outcome::planned:
            case Outcome::hopeless:
                for (const auto v : commune.villages) {
                    m_plans[v].potential = commune.outcome == Outcome::planned;
                }
                continue;
            }
            for (const auto v : commune.villages) {
                m_plans[v].covered.push_back({day, std::nullopt});
                m_jobs.push_back({day, v, std::nullopt});
            }
        }
        // One village is first served by a temporary (mobile) site that leaves again before its
        // permanent site is on air: covered at the first milestone, not at the second.
        for (std::size_t c = 0; c < m_communes.size() && !m_temporary; ++c) {
            const auto& commune = m_communes[c];
            if (commune.operator_code == "VTL" && commune.outcome == Outcome::late) {
                const auto v = commune.villages.front();
                const Date permanent = m_plans[v].covered.front().first;
                m_plans[v].covered = {{ymd(2022, 6, 18), ymd(2022, 7, 21)}, {permanent, std::nullopt}};
                m_jobs.push_back({ymd(2022, 6, 18), v, ymd(2022, 7, 21)});
                m_temporary = v;
            }
        }
        std::sort(m_jobs.begin(), m_jobs.end(), [](const Job& a, const Job& b) {
            return std::tie(a.day, a.village) < std::tie(b.day, b.village);
        });
    }

    const std::string& operator_of(std::size_t v) const { return m_communes[m_villages[v].commune_index].operator_code; }

    /// Whether adding `site` keeps every touched village of the operator on its plan: no village
    /// covered before its day, none of the hopeless ones ever coverable.
    bool respects_plans(const std::vector<GenCell>& site, std::size_t target, Date day) const {
        const auto& op = site.front().cell.operator_code;
        for (const auto u : m_coverage->touched(site, m_village_tree)) {
            if (operator_of(u) != op) {
                continue;
            }
            if (u != target || !site.front().cell.on_air_date) {
                auto days = m_coverage->drop_days(u, op, site);
                days.push_back(day);
                for (const auto d : days) {
                    if (d >= day && !m_plans[u].covered_on(d) && m_coverage->fraction_at(u, op, d, site) >= k_leak_limit) {
                        return false;
                    }
                }
            }
            if (!m_plans[u].potential && m_coverage->potential(u, op, site) >= k_leak_limit) {
                return false;
            }
        }
        return true;
    }

    /// Whether the legacy network (all operators together) still leaves every village a dead zone.
    bool legacy_leaves_dead_zones(const std::vector<GenCell>& site) const {
        const auto touched = m_coverage->touched(site, m_village_tree);
        return std::none_of(touched.begin(), touched.end(),
                            [&](std::size_t u) { return m_coverage->legacy_any(u, site) >= k_legacy_limit; });
    }

    // ---- sites ----
    struct SiteSpec {
        std::string operator_code;
        std::size_t province = 0;
        geo::Point position;
        bool legacy = false;
        std::optional<Date> on_air;
        std::optional<Date> off_air;
        CellStatus status = CellStatus::on_air;
        Sink sink = Sink::viettel_csv;
        double power_cut_db = 0; // for retries that must not reach the neighbours
    };

    std::string next_site_id(const std::string& op, std::size_t province) {
        const int n = ++m_site_serial[op + provinces()[province].abbrev];
        if (op == "VTL") {
            return fmt::format("{}{:04d}", provinces()[province].abbrev, n);
        }
        if (op == "VNP") {
            return fmt::format("VNP-{}-{:03d}", provinces()[province].abbrev, n);
        }
        return fmt::format("MBF_{}_{:03d}", provinces()[province].abbrev, n);
    }

    /// One site's cells: three sectors of one or two technologies, or an omni cell.
    std::vector<GenCell> make_site(Rng& rng, const SiteSpec& spec) {
        const std::string site_id = next_site_id(spec.operator_code, spec.province);
        std::vector<std::pair<Tech, bool>> layers; // technology, sectored
        const double layout = rng.uniform();
        if (spec.legacy) {
            if (layout < 0.45) {
                layers = {{Tech::g2, true}};
            } else if (layout < 0.7) {
                layers = {{Tech::g2, false}, {Tech::g3, false}};
            } else {
                layers = {{Tech::g2, true}, {Tech::g4, true}};
            }
        } else if (layout < 0.62) {
            layers = {{Tech::g4, true}};
        } else if (layout < 0.82) {
            layers = {{Tech::g2, true}, {Tech::g4, true}};
        } else if (layout < 0.93) {
            layers = {{Tech::g4, false}};
        } else {
            layers = {{Tech::g3, false}};
        }
        const double first_azimuth = std::round(rng.uniform(0, 120));
        const bool explicit_radio = rng.chance(0.45);
        // Towers of 30-45 m: inside the Hata/COST-231 validity range of base-station heights.
        const double height_m = explicit_radio ? std::round(rng.uniform(30, 45)) : 0;
        std::vector<GenCell> cells;
        for (const auto& [tech, sectored] : layers) {
            const auto& defaults = m_campaign.defaults_for(tech);
            const char* letter = tech == Tech::g2 ? "G" : tech == Tech::g3 ? "U" : "L";
            for (int s = 0; s < (sectored ? 3 : 1); ++s) {
                Cell cell;
                cell.operator_code = spec.operator_code;
                cell.site_id = site_id;
                cell.cell_id = fmt::format("{}{}", letter, s + 1);
                cell.position = rounded(spec.position);
                cell.tech = tech;
                cell.status = spec.status;
                cell.on_air_date = spec.on_air;
                cell.off_air_date = spec.off_air;
                if (sectored) {
                    cell.azimuth_deg = std::fmod(first_azimuth + 120.0 * s, 360.0);
                    cell.tilt_deg = std::round(rng.uniform(2, 8));
                }
                if (explicit_radio || spec.power_cut_db > 0) {
                    cell.height_m = explicit_radio ? height_m : defaults.height_m;
                    cell.eirp_dbm = std::round(defaults.eirp_dbm - spec.power_cut_db - (explicit_radio ? rng.uniform(0, 4) : 0));
                    cell.freq_mhz = defaults.freq_mhz;
                    if (sectored && rng.chance(0.2)) {
                        cell.beamwidth_deg = 90.0;
                    }
                }
                auto gen = m_coverage->make(std::move(cell));
                gen.legacy = spec.legacy;
                gen.sink = spec.sink;
                gen.province = provinces()[spec.province].name;
                cells.push_back(std::move(gen));
            }
        }
        return cells;
    }

    void commit_site(std::vector<GenCell>& site) {
        for (auto& cell : site) {
            m_coverage->add(std::move(cell));
        }
    }

    Sink sink_for(const std::string& op) const {
        return op == "VTL" ? Sink::viettel_csv : op == "VNP" ? Sink::vinaphone_geojson : Sink::mobifone_gpkg;
    }

    void place_legacy_sites() {
        Rng rng = Rng{m_seed}.fork(7);
        const std::map<std::string, double> sites_per_commune{{"VTL", 0.9}, {"VNP", 0.55}, {"MBF", 0.45}};
        bool switched_off = false;
        for (std::size_t c = 0; c < m_communes.size(); ++c) {
            const auto& commune = m_communes[c];
            for (const auto& op : k_operators) {
                if (!rng.chance(sites_per_commune.at(op))) {
                    continue;
                }
                for (int attempt = 0; attempt < 12; ++attempt) {
                    const auto position = geo::destination(commune.center, rng.uniform(0, 360), rng.uniform(4500, 11000));
                    if (!m_land.contains(position)) {
                        continue;
                    }
                    SiteSpec spec;
                    spec.operator_code = op;
                    spec.province = commune.province;
                    spec.position = position;
                    spec.legacy = true;
                    spec.on_air = random_date(rng, ymd(2011, 1, 1), ymd(2021, 10, 31));
                    spec.sink = sink_for(op);
                    // MobiFone's old sites are known from crowd-sourced OpenCelliD data only.
                    if (op == "MBF" && rng.chance(0.6)) {
                        spec.sink = Sink::mobifone_opencellid;
                    }
                    // A decommissioned VinaPhone site, to exercise off-air cells.
                    if (op == "VNP" && !switched_off) {
                        spec.off_air = ymd(2022, 5, 16);
                        spec.status = CellStatus::off_air;
                    }
                    auto site = make_site(rng, spec);
                    if (spec.sink == Sink::mobifone_opencellid) {
                        site = to_opencellid(rng, site, commune);
                    }
                    if (!legacy_leaves_dead_zones(site)) {
                        continue;
                    }
                    if (spec.off_air) {
                        switched_off = true;
                    }
                    commit_site(site);
                    break;
                }
            }
        }
    }

    /// OpenCelliD knows a cell's position and an estimated range, not its antenna.
    std::vector<GenCell> to_opencellid(Rng& rng, const std::vector<GenCell>& site, const Commune& commune) {
        std::vector<GenCell> out;
        const int area = 10000 + static_cast<int>(commune.province) * 37 + rng.integer(0, 9);
        const long enb = 100000 + static_cast<long>(m_opencellid_serial++);
        for (const auto& original : site) {
            Cell cell = original.cell;
            if (cell.azimuth_deg && cell.cell_id.back() != '1') {
                continue; // one row per technology: OpenCelliD rarely sees every sector
            }
            cell.azimuth_deg.reset();
            cell.beamwidth_deg.reset();
            cell.tilt_deg.reset();
            cell.height_m.reset();
            cell.eirp_dbm.reset();
            cell.freq_mhz.reset();
            cell.range_m = std::round(rng.uniform(1200, 4200) / 10) * 10;
            cell.position = rounded(geo::destination(cell.position, rng.uniform(0, 360), rng.uniform(0, 300)));
            OpenCellIdRow row;
            row.area = area;
            row.cell = cell.tech == Tech::g4 ? enb * 256 + 1 : cell.tech == Tech::g3 ? enb % 65536 : enb % 65536 + 1;
            row.unit = cell.tech == Tech::g4 ? rng.integer(0, 503) : cell.tech == Tech::g3 ? rng.integer(0, 511) : 0;
            row.samples = rng.integer(1, 240);
            row.created = static_cast<std::int64_t>(cell.on_air_date->days()) * 86400 + rng.integer(0, 86399);
            row.updated = row.created + static_cast<std::int64_t>(rng.integer(0, 700)) * 86400 + rng.integer(0, 86399);
            row.average_signal = 0;
            cell.cell_id = std::to_string(row.cell);
            cell.site_id = fmt::format("{}-{}", row.area, row.cell);
            auto gen = m_coverage->make(std::move(cell));
            gen.legacy = true;
            gen.sink = Sink::mobifone_opencellid;
            gen.province = original.province;
            gen.opencellid = row;
            out.push_back(std::move(gen));
        }
        return out;
    }

    /// Finds a site position and layout that covers `v` on `day` without breaking any plan.
    bool place_for(Rng& rng, std::size_t v, Date day, std::optional<Date> off_air, CellStatus status, bool dated) {
        const auto& village = m_villages[v];
        const auto& op = operator_of(v);
        for (int attempt = 0; attempt < 60; ++attempt) {
            SiteSpec spec;
            spec.operator_code = op;
            spec.province = village.province;
            spec.position = geo::destination(village.center, rng.uniform(0, 360), rng.uniform(0, 1400.0 - attempt * 20.0));
            if (dated) {
                spec.on_air = day;
            }
            spec.off_air = off_air;
            spec.status = status;
            spec.sink = sink_for(op);
            spec.power_cut_db = attempt < 15 ? 0.0 : 3.0 * ((attempt - 15) / 9 + 1);
            auto site = make_site(rng, spec);
            const double covered = dated ? m_coverage->fraction_at(v, op, day, site) : m_coverage->potential(v, op, site);
            if (covered < k_cover_margin || !respects_plans(site, v, day)) {
                continue;
            }
            commit_site(site);
            return true;
        }
        return false;
    }

    void place_programme_sites() {
        Rng rng = Rng{m_seed}.fork(8);
        for (const auto& job : m_jobs) {
            const auto& op = operator_of(job.village);
            if (!job.off_air && m_coverage->fraction_at(job.village, op, job.day) >= k_cover_margin) {
                continue; // a commune neighbour's site already serves it
            }
            if (!place_for(rng, job.village, job.day, job.off_air, job.off_air ? CellStatus::off_air : CellStatus::on_air,
                           true)) {
                ++m_unplaced;
                std::cerr << fmt::format("warning: no site fits the plan of village {}\n", m_villages[job.village].id);
            }
        }
    }

    void place_planned_sites() {
        Rng rng = Rng{m_seed}.fork(9);
        const Date far = ymd(2022, 12, 31);
        bool building = false;
        for (std::size_t c = 0; c < m_communes.size(); ++c) {
            const auto& commune = m_communes[c];
            if (commune.outcome != Outcome::planned) {
                continue;
            }
            for (const auto v : commune.villages) {
                if (m_coverage->potential(v, commune.operator_code) >= k_cover_margin) {
                    continue;
                }
                const auto status = building ? CellStatus::planned : CellStatus::building;
                building = !building;
                if (!place_for(rng, v, far, std::nullopt, status, false)) {
                    ++m_unplaced;
                    std::cerr << fmt::format("warning: no planned site fits village {}\n", m_villages[v].id);
                }
            }
        }
        // Two hopeless villages do have a planned site nearby, but it would reach only part of them.
        int partial = 0;
        for (std::size_t c = 0; c < m_communes.size() && partial < 2; ++c) {
            const auto& commune = m_communes[c];
            if (commune.outcome != Outcome::hopeless) {
                continue;
            }
            const auto v = commune.villages.front();
            for (int attempt = 0; attempt < 80; ++attempt) {
                SiteSpec spec;
                spec.operator_code = commune.operator_code;
                spec.province = commune.province;
                spec.position = geo::destination(m_villages[v].center, rng.uniform(0, 360), rng.uniform(1500, 6000));
                spec.on_air.reset();
                spec.status = CellStatus::planned;
                spec.sink = sink_for(commune.operator_code);
                auto site = make_site(rng, spec);
                const double reach = m_coverage->potential(v, commune.operator_code, site);
                if (reach >= 0.3 && reach < 0.75 && m_land.contains(spec.position) && respects_plans(site, v, far)) {
                    commit_site(site);
                    ++partial;
                    break;
                }
            }
        }
    }

    // ---- writing ----
    /// The operators' account of the late sites as they reported it at the end of July 2022: each
    /// programme site due on air after the second milestone is listed as building with its revised
    /// date (most of them) and a reason; planned sites get reasons and some revised dates. Rain in
    /// June-July is the commonest reason; the highest provinces wait for grid power; a few permit,
    /// pole-fee and access cases. (OpenCelliD rows have no such fields and stay as they are.)
    void add_delays() {
        Rng rng = Rng{m_seed}.fork(21);
        const Date reported = ymd(2022, 7, 30);
        const std::set<std::string> highest{"Hà Giang", "Lào Cai", "Lai Châu", "Điện Biên", "Cao Bằng"};
        struct Choice {
            DelayReason reason;
            const char* note;
        };
        const std::vector<Choice> rain{
            {DelayReason::weather, "Mưa lớn kéo dài tháng 6-7, đường vận chuyển thiết bị bị sạt lở"},
            {DelayReason::weather, "Mưa lũ, chưa thể đổ móng cột"},
        };
        const std::vector<Choice> grid{
            {DelayReason::power, "Chờ điện lực kéo lưới điện đến trạm"},
            {DelayReason::power, "Chưa có điện lưới; đang khảo sát phương án điện mặt trời"},
        };
        const std::vector<Choice> other{
            {DelayReason::permit, "Chờ UBND xã cấp phép xây dựng cột"},
            {DelayReason::pole_fee, "Chưa thống nhất phí thuê cột điện với điện lực"},
            {DelayReason::access, "Đường vào trạm chưa thông, phải vận chuyển bằng sức người"},
            {DelayReason::backhaul, "Chờ tuyến truyền dẫn viba"},
            {DelayReason::equipment, "Thiết bị về chậm"},
        };
        for (auto& gen : m_coverage->cells()) {
            Cell& cell = gen.cell;
            if (gen.legacy || gen.sink == Sink::mobifone_opencellid) {
                continue;
            }
            const bool late_site = cell.status == CellStatus::on_air && cell.on_air_date && *cell.on_air_date > reported;
            const bool waiting = cell.status == CellStatus::planned || cell.status == CellStatus::building;
            if (!late_site && !waiting) {
                continue;
            }
            if (late_site) {
                cell.status = CellStatus::building;
                if (rng.chance(0.85)) {
                    cell.delay.expected_on_air_date = cell.on_air_date;
                }
                cell.on_air_date.reset();
            } else if (rng.chance(0.6)) {
                cell.delay.expected_on_air_date = ymd(2022, 8, 15) + rng.integer(0, 75);
            }
            const double u = rng.uniform();
            const Choice& choice = highest.count(gen.province) != 0 && u < 0.5 ? rng.pick(grid)
                                   : u < 0.6                               ? rng.pick(rain)
                                   : u < 0.75                              ? Choice{DelayReason::other, ""}
                                                                           : rng.pick(other);
            if (choice.reason != DelayReason::other) {
                cell.delay.reason = choice.reason;
                cell.delay.note = choice.note;
            }
            cell.delay.power_source = choice.reason == DelayReason::power ? "none" : rng.chance(0.3) ? "solar" : "grid";
            cell.delay.backhaul = rng.chance(0.2) ? "satellite" : "microwave";
        }
    }

    void write(const fs::path& out, const std::string& campaign_template) {
        write_villages(out / "villages.geojson");
        write_commitments(out / "commitments.csv");
        write_viettel(out / "stations" / "viettel.csv");
        write_vinaphone(out / "stations" / "vinaphone.geojson");
        write_mobifone(out / "stations" / "mobifone.gpkg");
        write_opencellid(out / "stations" / "mobifone_opencellid.csv");
        write_text(out / "campaign.json",
                   campaign_text(campaign_template, {"stations/viettel.csv", "stations/vinaphone.geojson",
                                                     "stations/mobifone.gpkg", "stations/mobifone_opencellid.csv"},
                                 "villages.geojson", "commitments.csv"));
    }

    void write_villages(const fs::path& file) const {
        std::string text = "{\"type\":\"FeatureCollection\",\"features\":[\n";
        for (std::size_t v = 0; v < m_villages.size(); ++v) {
            const auto& village = m_villages[v];
            std::string geometry;
            if (village.point) {
                geometry = fmt::format("{{\"type\":\"Point\",\"coordinates\":[{},{}]}}", coord(village.point->x()),
                                       coord(village.point->y()));
            } else {
                geometry = "{\"type\":\"Polygon\",\"coordinates\":[" + ring_json(village.geometry.front().outer()) + "]}";
            }
            text += fmt::format(
                "{{\"type\":\"Feature\",\"properties\":{{\"village_id\":{},\"name\":{},\"province\":{},\"district\":{},"
                "\"commune\":{},\"population\":{},\"households\":{}}},\"geometry\":{}}}{}\n",
                json_string(village.id), json_string(village.name), json_string(provinces()[village.province].name),
                json_string(village.district), json_string(village.commune), village.population, village.households,
                geometry, v + 1 < m_villages.size() ? "," : "");
        }
        text += "]}\n";
        write_text(file, text);
    }

    void write_commitments(const fs::path& file) const {
        std::string text = "village_id,operator,deadline,registered_on\n";
        for (const auto& commitment : m_commitments) {
            text += fmt::format("{},{},{},{}\n", m_villages[commitment.village].id, commitment.operator_code,
                                commitment.deadline.iso(), commitment.registered_on.iso());
        }
        write_text(file, text);
    }

    std::vector<const GenCell*> cells_for(Sink sink) const {
        std::vector<const GenCell*> out;
        for (const auto& cell : m_coverage->cells()) {
            if (cell.sink == sink) {
                out.push_back(&cell);
            }
        }
        std::sort(out.begin(), out.end(), [](const GenCell* a, const GenCell* b) {
            return std::tie(a->cell.site_id, a->cell.cell_id) < std::tie(b->cell.site_id, b->cell.cell_id);
        });
        return out;
    }

    void write_viettel(const fs::path& file) const {
        std::string text = "operator,site_id,cell_id,lon,lat,tech,status,on_air_date,off_air_date,height_m,freq_mhz,"
                           "eirp_dbm,azimuth_deg,beamwidth_deg,tilt_deg,province,delay_reason,delay_note,"
                           "expected_on_air_date,power_source,backhaul\n";
        for (const auto* gen : cells_for(Sink::viettel_csv)) {
            const auto& c = gen->cell;
            text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", c.operator_code, c.site_id,
                                c.cell_id, coord(c.position.x()), coord(c.position.y()), deadzone::to_string(c.tech),
                                deadzone::to_string(c.status), optional_date(c.on_air_date), optional_date(c.off_air_date),
                                optional_number(c.height_m), optional_number(c.freq_mhz), optional_number(c.eirp_dbm),
                                optional_number(c.azimuth_deg), optional_number(c.beamwidth_deg),
                                optional_number(c.tilt_deg), csv_field(gen->province),
                                c.delay.reason ? deadzone::to_string(*c.delay.reason) : "", csv_field(c.delay.note),
                                optional_date(c.delay.expected_on_air_date), c.delay.power_source, c.delay.backhaul);
        }
        write_text(file, text);
    }

    static std::string json_number(const std::optional<double>& value) { return value ? number(*value) : "null"; }
    static std::string json_date(const std::optional<Date>& value) { return value ? json_string(value->iso()) : "null"; }

    /// VinaPhone sends the delay fields only on the cells that have them.
    static std::string delay_json(const Delay& delay) {
        std::string text;
        if (delay.reason) {
            text += ",\"delay_reason\":" + json_string(deadzone::to_string(*delay.reason));
        }
        if (!delay.note.empty()) {
            text += ",\"delay_note\":" + json_string(delay.note);
        }
        if (delay.expected_on_air_date) {
            text += ",\"expected_on_air_date\":" + json_string(delay.expected_on_air_date->iso());
        }
        if (!delay.power_source.empty()) {
            text += ",\"power_source\":" + json_string(delay.power_source);
        }
        if (!delay.backhaul.empty()) {
            text += ",\"backhaul\":" + json_string(delay.backhaul);
        }
        return text;
    }

    void write_vinaphone(const fs::path& file) const {
        std::string text = "{\"type\":\"FeatureCollection\",\"features\":[\n";
        const auto cells = cells_for(Sink::vinaphone_geojson);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const auto& c = cells[i]->cell;
            // VinaPhone leaves status empty for cells on air (the default when a date is set).
            const std::string status = c.status == CellStatus::on_air ? "null" : json_string(deadzone::to_string(c.status));
            text += fmt::format(
                "{{\"type\":\"Feature\",\"properties\":{{\"operator\":{},\"site_id\":{},\"cell_id\":{},\"tech\":{},"
                "\"status\":{},\"on_air_date\":{},\"off_air_date\":{},\"height_m\":{},\"freq_mhz\":{},\"eirp_dbm\":{},"
                "\"azimuth_deg\":{},\"beamwidth_deg\":{},\"tilt_deg\":{},\"province\":{}{}}},"
                "\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{},{}]}}}}{}\n",
                json_string(c.operator_code), json_string(c.site_id), json_string(c.cell_id),
                json_string(deadzone::to_string(c.tech)), status, json_date(c.on_air_date), json_date(c.off_air_date),
                json_number(c.height_m), json_number(c.freq_mhz), json_number(c.eirp_dbm), json_number(c.azimuth_deg),
                json_number(c.beamwidth_deg), json_number(c.tilt_deg), json_string(cells[i]->province),
                delay_json(c.delay), coord(c.position.x()), coord(c.position.y()), i + 1 < cells.size() ? "," : "");
        }
        text += "]}\n";
        write_text(file, text);
    }

    void write_mobifone(const fs::path& file) const {
        GpkgWriter writer(file, "cells", wkbPoint,
                          {{"operator", OFTString}, {"site_id", OFTString}, {"cell_id", OFTString}, {"tech", OFTString},
                           {"status", OFTString}, {"on_air_date", OFTDate}, {"off_air_date", OFTDate},
                           {"height_m", OFTReal}, {"freq_mhz", OFTReal}, {"eirp_dbm", OFTReal},
                           {"azimuth_deg", OFTReal}, {"beamwidth_deg", OFTReal}, {"tilt_deg", OFTReal},
                           {"province", OFTString}, {"delay_reason", OFTString}, {"delay_note", OFTString},
                           {"expected_on_air_date", OFTDate}, {"power_source", OFTString}, {"backhaul", OFTString}});
        for (const auto* gen : cells_for(Sink::mobifone_gpkg)) {
            const auto& c = gen->cell;
            OGRFeature feature(writer.layer().GetLayerDefn());
            feature.SetField("operator", c.operator_code.c_str());
            feature.SetField("site_id", c.site_id.c_str());
            feature.SetField("cell_id", c.cell_id.c_str());
            feature.SetField("tech", deadzone::to_string(c.tech));
            feature.SetField("status", deadzone::to_string(c.status));
            auto set_date = [&feature](const char* name, const std::optional<Date>& date) {
                if (date) {
                    feature.SetField(name, date->year(), static_cast<int>(date->month()), static_cast<int>(date->day()));
                }
            };
            set_date("on_air_date", c.on_air_date);
            set_date("off_air_date", c.off_air_date);
            auto set_real = [&feature](const char* name, const std::optional<double>& value) {
                if (value) {
                    feature.SetField(name, *value);
                }
            };
            set_real("height_m", c.height_m);
            set_real("freq_mhz", c.freq_mhz);
            set_real("eirp_dbm", c.eirp_dbm);
            set_real("azimuth_deg", c.azimuth_deg);
            set_real("beamwidth_deg", c.beamwidth_deg);
            set_real("tilt_deg", c.tilt_deg);
            feature.SetField("province", gen->province.c_str());
            if (c.delay.reason) {
                feature.SetField("delay_reason", deadzone::to_string(*c.delay.reason));
            }
            auto set_text = [&feature](const char* name, const std::string& value) {
                if (!value.empty()) {
                    feature.SetField(name, value.c_str());
                }
            };
            set_text("delay_note", c.delay.note);
            set_date("expected_on_air_date", c.delay.expected_on_air_date);
            set_text("power_source", c.delay.power_source);
            set_text("backhaul", c.delay.backhaul);
            OGRPoint point(c.position.x(), c.position.y());
            feature.SetGeometry(&point);
            writer.add(feature);
        }
        writer.close();
    }

    void write_opencellid(const fs::path& file) const {
        std::string text = "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\n";
        auto cells = cells_for(Sink::mobifone_opencellid);
        std::sort(cells.begin(), cells.end(), [](const GenCell* a, const GenCell* b) {
            return std::tie(a->opencellid->area, a->opencellid->cell) < std::tie(b->opencellid->area, b->opencellid->cell);
        });
        for (const auto* gen : cells) {
            const auto& c = gen->cell;
            const auto& row = *gen->opencellid;
            const char* radio = c.tech == Tech::g2 ? "GSM" : c.tech == Tech::g3 ? "UMTS" : "LTE";
            text += fmt::format("{},452,1,{},{},{},{},{},{},{},1,{},{},{}\n", radio, row.area, row.cell, row.unit,
                                coord(c.position.x()), coord(c.position.y()), number(*c.range_m), row.samples,
                                row.created, row.updated, row.average_signal);
        }
        write_text(file, text);
    }

    // ---- the figures ----
    void summarize() const {
        const std::vector<Date> days{ymd(2022, 6, 30), ymd(2022, 7, 30), ymd(2022, 9, 30)};
        std::map<std::string, std::vector<int>> covered;
        std::map<std::string, int> total;
        std::map<std::string, int> legacy_touched;
        for (const auto& commitment : m_commitments) {
            auto& counts = covered[commitment.operator_code];
            counts.resize(days.size());
            ++total[commitment.operator_code];
            for (std::size_t i = 0; i < days.size(); ++i) {
                if (m_coverage->fraction_at(commitment.village, commitment.operator_code, days[i]) >=
                    m_campaign.coverage_rule.min_fraction) {
                    ++counts[i];
                }
            }
        }
        int deadline_june = 0;
        for (const auto& commitment : m_commitments) {
            deadline_june += commitment.deadline == ymd(2022, 6, 30) ? 1 : 0;
        }
        std::cout << fmt::format("villages {} (points {}), communes {}, cells {}, commitments due 2022-06-30: {} ({:.1f} %)\n",
                                 m_villages.size(),
                                 std::count_if(m_villages.begin(), m_villages.end(), [](const auto& v) { return v.point.has_value(); }),
                                 m_communes.size(), m_coverage->cells().size(), deadline_june,
                                 100.0 * deadline_june / static_cast<double>(m_commitments.size()));
        std::cout << "covered share (generator's own geometry):\n";
        std::vector<int> all(days.size());
        int all_total = 0;
        for (const auto& op : k_operators) {
            std::cout << fmt::format("  {}  {:3d} villages", op, total[op]);
            for (std::size_t i = 0; i < days.size(); ++i) {
                all[i] += covered[op][i];
                std::cout << fmt::format("  {}: {:5.1f} %", days[i].iso(), 100.0 * covered[op][i] / total[op]);
            }
            all_total += total[op];
            std::cout << "\n";
        }
        std::cout << fmt::format("  all  {:3d} villages", all_total);
        for (std::size_t i = 0; i < days.size(); ++i) {
            std::cout << fmt::format("  {}: {:5.1f} %", days[i].iso(), 100.0 * all[i] / all_total);
        }
        std::cout << "\n";
        if (m_unplaced > 0) {
            std::cout << fmt::format("  {} placements could not follow the plan\n", m_unplaced);
        }
    }

    static constexpr double k_cover_margin = 0.93; // aim above the 0.9 rule, robust to rounding
    static constexpr double k_leak_limit = 0.85;   // stay clear below it where no coverage is due
    static constexpr double k_legacy_limit = 0.6;  // old sites leave every village mostly dark

    struct Job {
        Date day;
        std::size_t village = 0;
        std::optional<Date> off_air;
    };

    std::uint64_t m_seed;
    const Land& m_land;
    const Campaign& m_campaign;
    SampleTargets m_targets;
    std::vector<GenVillage> m_villages;
    std::vector<Commune> m_communes;
    BoxTree m_village_tree;
    std::vector<Commitment> m_commitments;
    std::vector<Plan> m_plans;
    std::vector<Job> m_jobs;
    std::optional<std::size_t> m_temporary;
    std::unique_ptr<Coverage> m_coverage;
    std::map<std::string, int> m_site_serial;
    std::size_t m_opencellid_serial = 0;
    int m_unplaced = 0;
};

// ---------------------------------------------------------------------------------------------
// The national scenario: the same kinds of records across all of Vietnam's land, at benchmark
// scale. Villages are small polygons scattered over land; sites are three-sector towers, most of
// them near villages (where people are), sized so that a village meets a handful of footprints.

struct Capital {
    const char* province;
    double lon;
    double lat;
};

/// Provincial capitals (approximate); a national village takes the nearest one's province.
const std::vector<Capital>& capitals() {
    static const std::vector<Capital> table{
        {"Hà Nội", 105.85, 21.03}, {"Hải Phòng", 106.68, 20.86}, {"Quảng Ninh", 107.08, 20.95},
        {"Bắc Giang", 106.20, 21.27}, {"Bắc Ninh", 106.07, 21.18}, {"Hải Dương", 106.33, 20.94},
        {"Hưng Yên", 106.05, 20.65}, {"Thái Bình", 106.34, 20.45}, {"Nam Định", 106.17, 20.42},
        {"Ninh Bình", 105.97, 20.25}, {"Hà Nam", 105.92, 20.54}, {"Vĩnh Phúc", 105.60, 21.31},
        {"Phú Thọ", 105.40, 21.32}, {"Thái Nguyên", 105.84, 21.59}, {"Hòa Bình", 105.34, 20.81},
        {"Hà Giang", 104.98, 22.82}, {"Cao Bằng", 106.26, 22.67}, {"Bắc Kạn", 105.83, 22.15},
        {"Tuyên Quang", 105.22, 21.82}, {"Lào Cai", 103.97, 22.48}, {"Điện Biên", 103.02, 21.39},
        {"Lai Châu", 103.46, 22.40}, {"Sơn La", 103.91, 21.33}, {"Yên Bái", 104.87, 21.72},
        {"Lạng Sơn", 106.76, 21.85}, {"Thanh Hóa", 105.78, 19.81}, {"Nghệ An", 105.68, 18.68},
        {"Hà Tĩnh", 105.90, 18.34}, {"Quảng Bình", 106.60, 17.47}, {"Quảng Trị", 107.10, 16.75},
        {"Thừa Thiên Huế", 107.59, 16.46}, {"Đà Nẵng", 108.21, 16.05}, {"Quảng Nam", 108.47, 15.57},
        {"Quảng Ngãi", 108.80, 15.12}, {"Bình Định", 109.22, 13.78}, {"Phú Yên", 109.32, 13.09},
        {"Khánh Hòa", 109.19, 12.24}, {"Ninh Thuận", 108.99, 11.57}, {"Bình Thuận", 108.10, 10.93},
        {"Kon Tum", 108.00, 14.35}, {"Gia Lai", 108.00, 13.98}, {"Đắk Lắk", 108.04, 12.67},
        {"Đắk Nông", 107.69, 12.00}, {"Lâm Đồng", 108.44, 11.94}, {"Bình Phước", 106.89, 11.53},
        {"Tây Ninh", 106.10, 11.31}, {"Bình Dương", 106.65, 10.98}, {"Đồng Nai", 106.82, 10.95},
        {"Bà Rịa - Vũng Tàu", 107.17, 10.50}, {"Hồ Chí Minh", 106.70, 10.78}, {"Long An", 106.41, 10.54},
        {"Tiền Giang", 106.35, 10.36}, {"Bến Tre", 106.38, 10.24}, {"Trà Vinh", 106.34, 9.94},
        {"Vĩnh Long", 105.97, 10.25}, {"Đồng Tháp", 105.63, 10.46}, {"An Giang", 105.43, 10.38},
        {"Kiên Giang", 105.08, 10.01}, {"Cần Thơ", 105.78, 10.03}, {"Hậu Giang", 105.47, 9.78},
        {"Sóc Trăng", 105.97, 9.60}, {"Bạc Liêu", 105.72, 9.29}, {"Cà Mau", 105.15, 9.18},
    };
    return table;
}

const char* nearest_province(const geo::Point& p) {
    const Capital* best = nullptr;
    double best_d2 = 1e18;
    const double k = std::cos(p.y() * std::numbers::pi / 180.0);
    for (const auto& capital : capitals()) {
        const double dx = (capital.lon - p.x()) * k;
        const double dy = capital.lat - p.y();
        if (dx * dx + dy * dy < best_d2) {
            best_d2 = dx * dx + dy * dy;
            best = &capital;
        }
    }
    return best->province;
}

Region region_at(const geo::Point& p) {
    if (p.y() >= 20.6) return Region::north;
    if (p.y() >= 17.6) return Region::north_central;
    if (p.y() >= 15.0) return Region::central_hills;
    if (p.y() >= 12.9) return Region::central_highlands;
    if (p.y() >= 12.3) return Region::dak_lak;
    if (p.x() < 107.9) return Region::dak_nong;
    return Region::lam_dong;
}

class NationalGenerator {
public:
    /// `land_note` is appended to the campaign's name (empty for the whole country).
    NationalGenerator(std::uint64_t seed, const Land& land, const Campaign& campaign, std::size_t villages,
                      std::size_t sites, std::string land_note)
        : m_seed(seed), m_land(land), m_campaign(campaign), m_village_count(villages), m_site_count(sites),
          m_land_note(std::move(land_note)) {}

    void run(const fs::path& out, const std::string& campaign_template) {
        const auto started = std::chrono::steady_clock::now();
        auto lap = [&started](const char* what) {
            std::cout << fmt::format("  {:<28} {:6.2f} s\n", what,
                                     std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        };
        make_villages();
        lap("villages");
        write_villages(out / "villages.gpkg");
        lap("villages.gpkg");
        write_commitments(out / "commitments.csv");
        lap("commitments.csv");
        write_stations(out / "stations.csv");
        lap("stations.csv");
        write_text(out / "campaign.json",
                   without_measurements(campaign_text(campaign_template, {"stations.csv"}, "villages.gpkg", "commitments.csv",
                                 fmt::format("National scenario (synthetic, seed {}{})", m_seed, m_land_note))));
        print_density();
        lap("done");
    }

private:
    struct Shape {
        geo::Polygon polygon;
        geo::Point center;
        geo::Box box;
    };

    void make_villages() {
        Rng rng{m_seed};
        Rng shapes = rng.fork(11);
        // A hash grid of boxes keeps villages apart without a tree rebuild per insert.
        const double cell_deg = 0.05;
        std::unordered_map<std::int64_t, std::vector<std::size_t>> grid;
        m_shapes.reserve(m_village_count);
        std::size_t failures = 0;
        while (m_shapes.size() < m_village_count) {
            if (failures > 50 * m_village_count + 1000) {
                throw deadzone::Failure(fmt::format("no room for {} villages on land", m_village_count));
            }
            const auto center = rounded(m_land.random_point(shapes));
            const double area_km2 = std::exp(std::log(0.15) + (std::log(4.0) - std::log(0.15)) * std::pow(shapes.uniform(), 1.6));
            auto polygon = village_shape_fast(shapes, center, area_km2, shapes.integer(8, 14));
            if (!m_land.contains_all(polygon.outer()) || bg::area(polygon) <= 0) {
                ++failures;
                continue;
            }
            const auto box = bg::return_envelope<geo::Box>(polygon);
            const double gap = 0.002;
            bool clear = true;
            for (double x = std::floor((box.min_corner().x() - gap) / cell_deg); clear && x <= std::floor((box.max_corner().x() + gap) / cell_deg); x += 1) {
                for (double y = std::floor((box.min_corner().y() - gap) / cell_deg); clear && y <= std::floor((box.max_corner().y() + gap) / cell_deg); y += 1) {
                    const auto it = grid.find(static_cast<std::int64_t>(x) * 100000 + static_cast<std::int64_t>(y));
                    if (it == grid.end()) {
                        continue;
                    }
                    for (const auto other : it->second) {
                        const auto& b = m_shapes[other].box;
                        if (b.min_corner().x() - gap <= box.max_corner().x() && box.min_corner().x() <= b.max_corner().x() + gap &&
                            b.min_corner().y() - gap <= box.max_corner().y() && box.min_corner().y() <= b.max_corner().y() + gap) {
                            clear = false;
                            break;
                        }
                    }
                }
            }
            if (!clear || !bg::is_valid(polygon)) {
                ++failures;
                continue;
            }
            const std::size_t index = m_shapes.size();
            for (double x = std::floor(box.min_corner().x() / cell_deg); x <= std::floor(box.max_corner().x() / cell_deg); x += 1) {
                for (double y = std::floor(box.min_corner().y() / cell_deg); y <= std::floor(box.max_corner().y() / cell_deg); y += 1) {
                    grid[static_cast<std::int64_t>(x) * 100000 + static_cast<std::int64_t>(y)].push_back(index);
                }
            }
            m_shapes.push_back({std::move(polygon), center, box});
        }
    }

    void write_villages(const fs::path& file) const {
        Rng rng = Rng{m_seed}.fork(12);
        GpkgWriter writer(file, "villages", wkbPolygon,
                          {{"village_id", OFTString}, {"name", OFTString}, {"province", OFTString},
                           {"population", OFTInteger}, {"households", OFTInteger}});
        for (std::size_t v = 0; v < m_shapes.size(); ++v) {
            const auto& shape = m_shapes[v];
            const auto& words = syllables(region_at(shape.center));
            OGRFeature feature(writer.layer().GetLayerDefn());
            const auto id = fmt::format("N{:06d}", v + 1);
            const auto name = rng.pick(words.village_prefix) + " " + place_name(rng, words);
            const int households = rng.integer(20, 400);
            feature.SetField("village_id", id.c_str());
            feature.SetField("name", name.c_str());
            feature.SetField("province", nearest_province(shape.center));
            feature.SetField("population", static_cast<int>(std::lround(households * rng.uniform(3.8, 5.2))));
            feature.SetField("households", households);
            auto geometry = geo::to_ogr(shape.polygon);
            feature.SetGeometryDirectly(geometry.release());
            writer.add(feature);
        }
        writer.close();
    }

    void write_commitments(const fs::path& file) const {
        Rng rng = Rng{m_seed}.fork(13);
        std::string text = "village_id,operator,deadline,registered_on\n";
        text.reserve(m_shapes.size() * 45);
        for (std::size_t v = 0; v < m_shapes.size(); ++v) {
            const double u = rng.uniform();
            const char* op = u < 0.5 ? "VTL" : u < 0.8 ? "VNP" : "MBF";
            const auto deadline = rng.chance(0.4) ? ymd(2022, 6, 30) : ymd(2022, 7, 30);
            text += fmt::format("N{:06d},{},{},{}\n", v + 1, op, deadline.iso(),
                                random_date(rng, ymd(2022, 1, 10), ymd(2022, 3, 25)).iso());
        }
        write_text(file, text);
    }

    void write_stations(const fs::path& file) {
        Rng rng = Rng{m_seed}.fork(14);
        std::string text = "operator,site_id,cell_id,lon,lat,tech,status,on_air_date,off_air_date,height_m,freq_mhz,"
                           "eirp_dbm,azimuth_deg,beamwidth_deg\n";
        text.reserve(m_site_count * 3 * 110);
        const Date first = ymd(2014, 1, 1);
        const Date last = ymd(2022, 9, 30);
        for (std::size_t s = 0; s < m_site_count; ++s) {
            geo::Point position;
            // Most towers stand near villages; the rest anywhere on land (roads, passes, hills).
            if (rng.chance(0.7) && !m_shapes.empty()) {
                const auto& village = m_shapes[rng.index(m_shapes.size())];
                do {
                    position = geo::destination(village.center, rng.uniform(0, 360), rng.uniform(300, 5000));
                } while (!m_land.contains(position));
            } else {
                position = m_land.random_point(rng);
            }
            position = rounded(position);
            const double u = rng.uniform();
            const char* op = u < 0.45 ? "VTL" : u < 0.75 ? "VNP" : "MBF";
            const double t = rng.uniform();
            const Tech tech = t < 0.7 ? Tech::g4 : t < 0.85 ? Tech::g3 : Tech::g2;
            const auto& defaults = m_campaign.defaults_for(tech);
            const double status_draw = rng.uniform();
            const CellStatus status = status_draw < 0.04 ? CellStatus::planned
                                      : status_draw < 0.06 ? CellStatus::building
                                      : status_draw < 0.07 ? CellStatus::off_air
                                                           : CellStatus::on_air;
            std::optional<Date> on_air;
            std::optional<Date> off_air;
            if (status == CellStatus::on_air || status == CellStatus::off_air) {
                on_air = random_date(rng, first, last);
            }
            if (status == CellStatus::off_air) {
                off_air = *on_air + rng.integer(30, 900);
            }
            const double height_m = std::round(rng.uniform(30, 40));
            // Lower power than the rural programme sites: a dense national grid of cells whose
            // footprints reach 1-3 km.
            const double eirp_dbm = std::round(defaults.eirp_dbm - rng.uniform(12, 18));
            const double first_azimuth = std::round(rng.uniform(0, 120));
            const char* letter = tech == Tech::g2 ? "G" : tech == Tech::g3 ? "U" : "L";
            for (int k = 0; k < 3; ++k) {
                text += fmt::format("{},S{:06d},{}{},{},{},{},{},{},{},{},{},{},{},65\n", op, s + 1, letter, k + 1,
                                    coord(position.x()), coord(position.y()), deadzone::to_string(tech),
                                    deadzone::to_string(status), optional_date(on_air), optional_date(off_air),
                                    number(height_m), number(defaults.freq_mhz), number(eirp_dbm),
                                    number(std::fmod(first_azimuth + 120.0 * k, 360.0)));
            }
            if (s < 2000) {
                m_density_sample.push_back({op, position, tech, height_m, eirp_dbm, first_azimuth});
            }
        }
        write_text(file, text);
    }

    /// Mean footprint area from a sample of cells, and what it means per village.
    void print_density() const {
        if (m_density_sample.empty()) {
            return;
        }
        const auto model = deadzone::model::make_link_budget_model(m_campaign);
        double sum_km2 = 0;
        for (const auto& site : m_density_sample) {
            Cell cell;
            cell.operator_code = site.op;
            cell.position = site.position;
            cell.tech = site.tech;
            cell.height_m = site.height_m;
            cell.eirp_dbm = site.eirp_dbm;
            cell.azimuth_deg = site.azimuth;
            cell.beamwidth_deg = 65;
            sum_km2 += geo::area_m2(model->footprint(cell, deadzone::model::radio_params(cell, m_campaign))) / 1e6;
        }
        const double mean_km2 = sum_km2 / static_cast<double>(m_density_sample.size());
        const double land_km2 = geo::area_m2(m_land.outline()) / 1e6;
        std::cout << fmt::format("  {} villages, {} sites ({} cells); mean footprint {:.2f} km2 over {:.0f} km2 of land: "
                                 "about {:.1f} footprints over an average point (more near villages)\n",
                                 m_shapes.size(), m_site_count, 3 * m_site_count, mean_km2, land_km2,
                                 3.0 * static_cast<double>(m_site_count) * mean_km2 / land_km2);
    }

    struct SampleSite {
        std::string op;
        geo::Point position;
        Tech tech;
        double height_m;
        double eirp_dbm;
        double azimuth;
    };

    std::uint64_t m_seed;
    const Land& m_land;
    const Campaign& m_campaign;
    std::size_t m_village_count;
    std::size_t m_site_count;
    std::string m_land_note;
    std::vector<Shape> m_shapes;
    std::vector<SampleSite> m_density_sample;
};

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"gen-campaign: deadzone's seeded generator of synthetic campaign data"};
    app.require_subcommand(1);

    std::uint64_t seed = 2022;
    fs::path out;
    fs::path campaign_file = "geodata/campaign.json";
    fs::path outline_file = "geodata/natural-earth-vietnam-50m.geojson";

    auto* sample = app.add_subcommand("sample", "the bundled 628-village sample campaign (geodata/)");
    sample->add_option("--out", out, "output folder")->required();
    sample->add_option("--seed", seed, "random seed")->capture_default_str();
    sample->add_option("--campaign", campaign_file, "campaign template (settings kept, input paths replaced)")
        ->capture_default_str();
    sample->add_option("--outline", outline_file, "land outline (any OGR polygon source)")->capture_default_str();

    std::size_t national_villages = 100000;
    std::size_t national_sites = 100000;
    auto* national = app.add_subcommand("national", "a national-scale scenario for benchmarks (not committed)");
    national->add_option("--out", out, "output folder")->required();
    national->add_option("--seed", seed, "random seed")->capture_default_str();
    national->add_option("--villages", national_villages, "number of villages")->capture_default_str();
    national->add_option("--sites", national_sites, "number of sites (three cells each)")->capture_default_str();
    national->add_option("--campaign", campaign_file, "campaign template (settings kept, input paths replaced)")
        ->capture_default_str();
    national->add_option("--outline", outline_file, "land outline (any OGR polygon source)")->capture_default_str();
    double land_share = 1.0;
    national->add_option("--land-share", land_share,
                         "use only the northern part of the land holding this share of its area (0 < F <= 1), "
                         "e.g. villages/100000 to keep the density of 100 000 villages")
        ->capture_default_str();

    CLI11_PARSE(app, argc, argv);
    if (!(land_share > 0.0 && land_share <= 1.0)) {
        std::cerr << fmt::format("gen-campaign: --land-share must be in (0, 1], got {}\n", land_share);
        return 2;
    }

    try {
        const auto template_text = read_text(campaign_file);
        const auto campaign = deadzone::ingest::load_campaign(campaign_file);
        auto outline = read_outline(outline_file);
        if (sample->parsed()) {
            const Land land{std::move(outline)};
            SampleGenerator generator(seed, land, campaign);
            generator.run(out, template_text);
        } else if (national->parsed()) {
            std::string land_note;
            if (land_share < 1.0) {
                auto part = northern_share(outline, land_share);
                std::cout << fmt::format("  land share {}: north of {:.4f} N, {:.0f} of {:.0f} km2\n", land_share,
                                         part.south_lat, part.area_km2, part.whole_km2);
                land_note = fmt::format(", land north of {:.4f} N: {:.4g} of the area", part.south_lat, land_share);
                outline = std::move(part.outline);
            }
            const Land land{std::move(outline)};
            NationalGenerator generator(seed, land, campaign, national_villages, national_sites, land_note);
            generator.run(out, template_text);
        }
    } catch (const deadzone::InputError& error) {
        for (const auto& problem : error.problems()) {
            std::cerr << problem.to_string() << "\n";
        }
        return 1;
    } catch (const std::exception& error) {
        std::cerr << "gen-campaign: " << error.what() << "\n";
        return 3;
    }
    return 0;
}
