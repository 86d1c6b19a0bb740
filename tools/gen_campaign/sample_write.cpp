// gen-campaign (sample): the delays, the files written, and the printed figures.
#include "sample.hpp"

namespace gen {

void SampleGenerator::add_delays() {
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

void SampleGenerator::write(const fs::path& out, const std::string& campaign_template) {
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

void SampleGenerator::write_villages(const fs::path& file) const {
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

void SampleGenerator::write_commitments(const fs::path& file) const {
    std::string text = "village_id,operator,deadline,registered_on\n";
    for (const auto& commitment : m_commitments) {
        text += fmt::format("{},{},{},{}\n", m_villages[commitment.village].id, commitment.operator_code,
                            commitment.deadline.iso(), commitment.registered_on.iso());
    }
    write_text(file, text);
}

std::vector<const GenCell*> SampleGenerator::cells_for(Sink sink) const {
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

void SampleGenerator::write_viettel(const fs::path& file) const {
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

std::string SampleGenerator::delay_json(const Delay& delay) {
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

void SampleGenerator::write_vinaphone(const fs::path& file) const {
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

void SampleGenerator::write_mobifone(const fs::path& file) const {
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

void SampleGenerator::write_opencellid(const fs::path& file) const {
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

void SampleGenerator::summarize() const {
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

} // namespace gen
