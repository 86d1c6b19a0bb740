// gen-campaign (sample): villages, operators and outcomes, commitments, plans, and the sites
// placed to follow them.
#include "sample.hpp"

namespace gen {

void SampleGenerator::make_villages() {
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
            const geo::Point center = commune_center(shapes, district, commune_centers);
            commune_centers.push_back(center);
            Commune commune;
            do {
                commune.name = place_name(names, words);
            } while (!commune_names.insert(commune.name).second);
            commune.province = p;
            commune.district = district.name;
            commune.center = center;
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
    publish_some_as_points();
}

geo::Point SampleGenerator::commune_center(Rng& shapes, const District& district,
                                           const std::vector<geo::Point>& taken) const {
    for (int attempt = 0; attempt < 400; ++attempt) {
        const double reach_m = 2000.0 + 16000.0 * std::sqrt(shapes.uniform()) * (1.0 + attempt / 100.0);
        const auto candidate = geo::destination(geo::Point{district.lon, district.lat}, shapes.uniform(0, 360), reach_m);
        const bool apart = std::none_of(taken.begin(), taken.end(),
                                        [&](const geo::Point& c) { return geo::distance_m(c, candidate) < 7000; });
        if (apart && m_land.contains(candidate)) {
            return candidate;
        }
    }
    throw deadzone::Failure(fmt::format("no room for a commune in {}", district.name));
}

void SampleGenerator::publish_some_as_points() {
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

std::optional<GenVillage> SampleGenerator::make_village(Rng& rng, const Commune& commune) {
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

void SampleGenerator::assign_operators() {
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

void SampleGenerator::make_commitments() {
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

void SampleGenerator::make_plans() {
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

bool SampleGenerator::respects_plans(const std::vector<GenCell>& site, std::size_t target, Date day) const {
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

bool SampleGenerator::legacy_leaves_dead_zones(const std::vector<GenCell>& site) const {
    const auto touched = m_coverage->touched(site, m_village_tree);
    return std::none_of(touched.begin(), touched.end(),
                        [&](std::size_t u) { return m_coverage->legacy_any(u, site) >= k_legacy_limit; });
}

std::string SampleGenerator::next_site_id(const std::string& op, std::size_t province) {
    const int n = ++m_site_serial[op + provinces()[province].abbrev];
    if (op == "VTL") {
        return fmt::format("{}{:04d}", provinces()[province].abbrev, n);
    }
    if (op == "VNP") {
        return fmt::format("VNP-{}-{:03d}", provinces()[province].abbrev, n);
    }
    return fmt::format("MBF_{}_{:03d}", provinces()[province].abbrev, n);
}

std::vector<GenCell> SampleGenerator::make_site(Rng& rng, const SiteSpec& spec) {
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

void SampleGenerator::commit_site(std::vector<GenCell>& site) {
    for (auto& cell : site) {
        m_coverage->add(std::move(cell));
    }
}

Sink SampleGenerator::sink_for(const std::string& op) const {
    return op == "VTL" ? Sink::viettel_csv : op == "VNP" ? Sink::vinaphone_geojson : Sink::mobifone_gpkg;
}

void SampleGenerator::place_legacy_sites() {
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

std::vector<GenCell> SampleGenerator::to_opencellid(Rng& rng, const std::vector<GenCell>& site, const Commune& commune) {
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

bool SampleGenerator::place_for(Rng& rng, std::size_t v, Date day, std::optional<Date> off_air, CellStatus status, bool dated) {
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

void SampleGenerator::place_programme_sites() {
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

void SampleGenerator::place_planned_sites() {
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

} // namespace gen
