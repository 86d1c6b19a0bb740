#include "report_detail.hpp"

#include <deadzone/emit/locale.hpp>

#include <deadzone/emit/reports.hpp>

#include <nlohmann/json.hpp>

namespace deadzone::emit {

namespace {

using Json = nlohmann::ordered_json;
using detail::round4;

Json optional_date(const std::optional<Date>& date) {
    return date ? Json(date->iso()) : Json(nullptr);
}

Json milestones_json(const track::Group& group) {
    Json list = Json::array();
    for (const auto& m : group.milestones) {
        Json item;
        item["date"] = m.date.iso();
        item["target"] = round4(m.target);
        item["achieved"] = round4(m.achieved);
        item["met"] = m.met ? Json(*m.met) : Json(nullptr);
        item["upcoming"] = m.upcoming;
        if (m.forecast_achieved) {
            item["forecast_achieved"] = round4(*m.forecast_achieved);
        }
        list.push_back(std::move(item));
    }
    return list;
}

/// Counts as direct keys, then the share and the milestones, after the group's own keys.
void add_group(Json& object, const track::Group& group) {
    const auto& c = group.counts;
    object["covered"] = c.covered;
    object["covered_late"] = c.covered_late;
    object["overdue"] = c.overdue;
    object["pending"] = c.pending;
    object["total"] = c.total;
    object["fraction"] = round4(c.fraction);
    object["milestones"] = milestones_json(group);
}

Json forecast_json(const track::Forecast& f) {
    Json item;
    item["window_days"] = f.window_days;
    item["pace_per_day"] = round4(f.pace_per_day);
    item["remaining"] = f.remaining;
    item["completion"] = optional_date(f.completion);
    item["done"] = f.done;
    item["note"] = detail::forecast_text(f);
    return item;
}

Json commitment_row(const Analysis& analysis, const detail::Facts& facts, std::size_t index) {
    const auto& result = analysis.tracking.commitments[index];
    const Commitment& commitment = analysis.commitments[index];
    const Village& village = analysis.villages[result.village];
    Json item;
    item["village_id"] = village.id;
    item["village"] = village.name;
    item["province"] = village.province;
    item["district"] = village.district;
    item["commune"] = village.commune;
    item["operator"] = commitment.operator_code;
    item["deadline"] = commitment.deadline.iso();
    item["status"] = track::to_string(result.status);
    item["coverage"] = round4(result.coverage);
    item["potential_coverage"] = round4(facts.potential[index]);
    item["covered_on"] = optional_date(result.covered_on);
    item["days_late"] = result.days_late ? Json(*result.days_late) : Json(nullptr);
    detail::add_delay_fields(item, analysis, index);
    return item;
}

Json campaign_json(const Campaign& campaign) {
    Json c;
    c["name"] = campaign.name;
    c["start_date"] = optional_date(campaign.start_date);
    c["operators"] = Json::array();
    for (const Operator& op : campaign.operators) {
        c["operators"].push_back(Json{{"code", op.code}, {"name", op.name}, {"color", op.color}});
    }
    c["milestones"] = Json::array();
    for (const Milestone& m : campaign.milestones) {
        c["milestones"].push_back(Json{{"date", m.date.iso()}, {"target", round4(m.target)}});
    }
    return c;
}

Json rule_json(const Analysis& analysis) {
    const Campaign& campaign = analysis.campaign;
    Json rule;
    rule["min_fraction"] = round4(campaign.coverage_rule.min_fraction);
    rule["village_radius_m"] = campaign.coverage_rule.village_radius_m;
    rule["weighting"] = analysis.overlay.population_weighted ? "population" : "area";
    rule["status_definition"] = detail::status_definition;
    return rule;
}

Json villages_json(const detail::Facts& facts) {
    Json villages;
    villages["committed"] = facts.villages_committed;
    villages["covered"] = facts.villages_covered;
    villages["fraction"] =
        round4(facts.villages_committed > 0
                   ? static_cast<double>(facts.villages_covered) / facts.villages_committed
                   : 0.0);
    villages["definition"] = detail::village_definition;
    return villages;
}

/// The delays' per-group lists exist for every operator and province group.
bool explained(const track::Tracking& tracking) {
    return tracking.delays.operators.size() == tracking.operators.size() &&
           tracking.delays.provinces.size() == tracking.provinces.size();
}

Json operators_json(const Analysis& analysis) {
    const track::Tracking& tracking = analysis.tracking;
    Json list = Json::array();
    for (std::size_t g = 0; g < tracking.operators.size(); ++g) {
        const auto& group = tracking.operators[g];
        Json item;
        item["operator"] = group.key;
        item["name"] = detail::operator_name(analysis.campaign, group.key);
        add_group(item, group);
        if (explained(tracking)) {
            item.update(detail::group_delays_json(analysis, tracking.delays.operators[g], false));
        }
        list.push_back(std::move(item));
    }
    return list;
}

Json provinces_json(const Analysis& analysis) {
    const track::Tracking& tracking = analysis.tracking;
    Json list = Json::array();
    for (std::size_t g = 0; g < tracking.provinces.size(); ++g) {
        const auto& group = tracking.provinces[g];
        Json item;
        item["province"] = group.key;
        add_group(item, group);
        if (explained(tracking)) {
            item.update(detail::group_delays_json(analysis, tracking.delays.provinces[g], true));
        }
        list.push_back(std::move(item));
    }
    return list;
}

/// One row per day; the operators' series beside the overall one.
Json timeline_json(const track::Tracking& tracking) {
    Json timeline;
    const auto& days = tracking.overall.timeline;
    timeline["start"] = days.empty() ? Json(nullptr) : Json(days.front().date.iso());
    timeline["end"] = days.empty() ? Json(nullptr) : Json(days.back().date.iso());
    timeline["unit"] = "commitments covered on the day (cumulative)";
    timeline["points"] = Json::array();
    for (std::size_t d = 0; d < days.size(); ++d) {
        Json point;
        point["date"] = days[d].date.iso();
        point["all"] = days[d].covered;
        for (const auto& group : tracking.operators) {
            point[group.key] = d < group.timeline.size() ? group.timeline[d].covered : 0;
        }
        timeline["points"].push_back(std::move(point));
    }
    return timeline;
}

/// The extrapolated forecast, and beside it (when the delays are known) the one by the operators'
/// revised dates.
Json forecast_section_json(const track::Tracking& tracking) {
    const bool by_dates = explained(tracking);
    const auto& delays = tracking.delays;
    Json forecast;
    forecast["label"] = "FORECAST — an extrapolation of recent progress, not a measurement";
    forecast["method"] = detail::forecast_definition;
    if (by_dates) {
        forecast["operators_dates_label"] = "FORECAST — by the operators' own revised dates, not a measurement";
        forecast["operators_dates_method"] = tr("late.def.operators_dates", Language::en);
    }
    forecast["overall"] = forecast_json(tracking.overall.forecast);
    if (by_dates) {
        forecast["overall"].update(detail::operators_forecast_json(delays.overall));
    }
    forecast["operators"] = Json::array();
    for (std::size_t g = 0; g < tracking.operators.size(); ++g) {
        const auto& group = tracking.operators[g];
        Json item;
        item["operator"] = group.key;
        item.update(forecast_json(group.forecast));
        if (by_dates) {
            item.update(detail::operators_forecast_json(delays.operators[g]));
        }
        forecast["operators"].push_back(std::move(item));
    }
    return forecast;
}

Json commitment_rows(const Analysis& analysis, const detail::Facts& facts, const std::vector<std::size_t>& indexes) {
    Json list = Json::array();
    for (const std::size_t index : indexes) {
        list.push_back(commitment_row(analysis, facts, index));
    }
    return list;
}

} // namespace

nlohmann::ordered_json progress_json(const Analysis& analysis) {
    return detail::progress_json(analysis, detail::collect_facts(analysis));
}

nlohmann::ordered_json detail::progress_json(const Analysis& analysis, const Facts& facts) {
    const track::Tracking& tracking = analysis.tracking;
    Json doc;
    doc["as_of"] = tracking.as_of.iso();
    doc["headline"] = detail::headline(analysis, facts, Language::en); // a machine output: English
    doc["campaign"] = campaign_json(analysis.campaign);
    doc["coverage_rule"] = rule_json(analysis);
    doc["villages"] = villages_json(facts);
    Json overall;
    overall["group"] = "all";
    add_group(overall, tracking.overall);
    doc["overall"] = std::move(overall);
    doc["operators"] = operators_json(analysis);
    doc["provinces"] = provinces_json(analysis);
    doc["timeline"] = timeline_json(tracking);
    doc["forecast"] = forecast_section_json(tracking);
    doc["overdue"] = commitment_rows(analysis, facts, facts.overdue);
    doc["at_risk"] = commitment_rows(analysis, facts, detail::at_risk_list(analysis));
    doc["cannot_be_met"] = commitment_rows(analysis, facts, facts.cannot_be_met);
    if (analysis.measurements.active) {
        doc["measurements"] = detail::measurements_json(analysis);
    }
    return doc;
}

} // namespace deadzone::emit
