#include "national.hpp"

#include "output.hpp"

namespace gen {

namespace {

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

void write_national(std::uint64_t seed, const Land& land, const Campaign& campaign, std::size_t villages,
                    std::size_t sites, const std::string& land_note, const fs::path& out,
                    const std::string& campaign_template) {
    NationalGenerator generator(seed, land, campaign, villages, sites, land_note);
    generator.run(out, campaign_template);
}

} // namespace gen
