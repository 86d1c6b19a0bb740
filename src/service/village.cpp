// GET /api/villages/{id}: one village for the dashboard's panel, from the cached analysis — its
// properties, commitments with their status, each operator's coverage and the cells touching
// it, and a history: each commitment's status on every milestone date up to as_of, computed by
// track::run_track over the same overlay (the library's status rules, not a second copy).
#include "service_impl.hpp"

#include <deadzone/track/track.hpp>

#include <algorithm>
#include <cmath>

namespace deadzone::service::detail {

namespace {

using Json = nlohmann::ordered_json;

Json date_or_null(const std::optional<Date>& date) {
    return date ? Json(date->iso()) : Json();
}

double round4(double value) {
    return std::round(value * 1e4) / 1e4;
}

Json commitments_json(const Analysis& a, std::size_t village) {
    auto out = Json::array();
    for (const auto& r : a.tracking.commitments) {
        if (r.village != village) {
            continue;
        }
        const auto& c = a.commitments[r.commitment];
        Json item;
        item["operator"] = c.operator_code;
        item["deadline"] = c.deadline.iso();
        item["registered_on"] = date_or_null(c.registered_on);
        item["status"] = track::to_string(r.status);
        item["coverage"] = round4(r.coverage);
        item["covered_on"] = date_or_null(r.covered_on);
        item["days_late"] = r.days_late ? Json(*r.days_late) : Json();
        item["cannot_be_met"] = r.cannot_be_met;
        const auto& delays = a.tracking.delays.commitments;
        if (r.commitment < delays.size()) {
            const auto& d = delays[r.commitment];
            item["at_risk"] = d.at_risk;
            item["expected_covered_on"] = date_or_null(d.expected_covered_on);
            auto reasons = Json::array();
            for (const auto reason : d.reasons) {
                reasons.push_back(to_string(reason));
            }
            item["delay_reasons"] = std::move(reasons);
        }
        out.push_back(std::move(item));
    }
    return out;
}

Json coverage_json(const Analysis& a, std::size_t village) {
    auto out = Json::array();
    for (const auto& oc : a.overlay.villages[village].operators) {
        auto periods = Json::array();
        for (const auto& p : oc.covered_periods) {
            periods.push_back(Json{{"from", p.from.iso()}, {"to", date_or_null(p.to)}});
        }
        out.push_back(Json{{"operator", oc.operator_code},
                           {"fraction", round4(oc.fraction)},
                           {"potential_fraction", round4(oc.potential_fraction)},
                           {"covered", oc.fraction >= a.campaign.coverage_rule.min_fraction},
                           {"covered_periods", std::move(periods)},
                           {"expected_covered_on", date_or_null(oc.expected_covered_on)}});
    }
    return out;
}

Json cells_json(const Analysis& a, std::size_t village) {
    std::vector<std::size_t> cells;
    for (const auto& oc : a.overlay.villages[village].operators) {
        cells.insert(cells.end(), oc.cells.begin(), oc.cells.end());
    }
    std::sort(cells.begin(), cells.end());
    cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
    auto out = Json::array();
    for (const auto i : cells) {
        const auto& c = a.cells[i];
        out.push_back(Json{{"operator", c.operator_code},
                           {"site_id", c.site_id},
                           {"cell_id", c.cell_id},
                           {"tech", to_string(c.tech)},
                           {"status", to_string(c.status)},
                           {"on_air_date", date_or_null(c.on_air_date)},
                           {"off_air_date", date_or_null(c.off_air_date)},
                           {"in_service", c.in_service(a.as_of)},
                           {"delay_reason", c.delay.reason ? Json(to_string(*c.delay.reason)) : Json()},
                           {"expected_on_air_date", date_or_null(c.delay.expected_on_air_date)},
                           {"lon", c.position.x()},
                           {"lat", c.position.y()}});
    }
    return out;
}

/// Status of each commitment of the village on each milestone date before as_of, then on as_of.
Json history_json(const Analysis& a, std::size_t village) {
    std::vector<Commitment> commitments;
    for (const auto& c : a.commitments) {
        if (c.village_id == a.villages[village].id) {
            commitments.push_back(c);
        }
    }
    std::vector<Date> days;
    for (const auto& m : a.campaign.milestones) {
        if (m.date < a.as_of) {
            days.push_back(m.date);
        }
    }
    days.push_back(a.as_of);
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    overlay::Result one;
    one.as_of = a.as_of;
    one.population_weighted = a.overlay.population_weighted;
    one.villages = {a.overlay.villages[village]};
    const std::vector<Village> villages{a.villages[village]};
    auto out = Json::array();
    for (const auto day : days) {
        one.as_of = day; // statuses come from the covered periods, which span every date
        const auto tracking = track::run_track(a.campaign, villages, commitments, one, day);
        auto statuses = Json::array();
        for (const auto& r : tracking.commitments) {
            statuses.push_back(Json{{"operator", commitments[r.commitment].operator_code},
                                    {"status", track::to_string(r.status)},
                                    {"days_late", r.days_late ? Json(*r.days_late) : Json()}});
        }
        out.push_back(Json{{"date", day.iso()}, {"commitments", std::move(statuses)}});
    }
    return out;
}

} // namespace

std::optional<nlohmann::ordered_json> village_json(const pipeline::StoreAnalysis& result, const std::string& village_id) {
    const auto& a = result.analysis;
    const auto it = std::find_if(a.villages.begin(), a.villages.end(), [&](const Village& v) { return v.id == village_id; });
    if (it == a.villages.end()) {
        return std::nullopt;
    }
    const auto i = static_cast<std::size_t>(it - a.villages.begin());
    const auto& v = *it;
    const auto& cov = a.overlay.villages[i];
    Json doc;
    doc["as_of"] = a.as_of.iso();
    doc["known_at"] = {{"upload", result.known_at.id}, {"uploaded_at", result.known_at.uploaded_at}};
    doc["village"] = {{"village_id", v.id},
                      {"name", v.name},
                      {"province", v.province},
                      {"district", v.district},
                      {"commune", v.commune},
                      {"population", v.population ? Json(*v.population) : Json()},
                      {"households", v.households ? Json(*v.households) : Json()},
                      {"area_km2", std::round(cov.area_km2 * 1e6) / 1e6},
                      {"coverage_any", round4(cov.any_fraction)},
                      {"gap_km2", std::round(cov.gap_km2 * 1e6) / 1e6}};
    doc["commitments"] = commitments_json(a, i);
    doc["coverage"] = coverage_json(a, i);
    doc["cells"] = cells_json(a, i);
    doc["history"] = history_json(a, i);
    return doc;
}

} // namespace deadzone::service::detail
