// "Why it is late" in every report: at-risk commitments, causes per operator and province, the
// completion forecast by the operators' own dates, and each province's to-do list (JSON, Markdown,
// HTML and the optional todo_<province>.csv files). Built from track::Delays only.
#include "report_detail.hpp"

#include <deadzone/emit/csv.hpp>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace deadzone::emit::detail {

namespace {

using Json = nlohmann::ordered_json;

const track::DelayExplanation* why_of(const Analysis& analysis, std::size_t index) {
    const auto& list = analysis.tracking.delays.commitments;
    return index < list.size() ? &list[index] : nullptr;
}

Json reasons_json(const track::DelayExplanation* why) {
    Json list = Json::array();
    if (why != nullptr) {
        for (const auto reason : why->reasons) {
            list.push_back(to_string(reason));
        }
    }
    return list;
}

std::string reasons_text(const track::DelayExplanation& why) {
    std::string text;
    for (const auto reason : why.reasons) {
        text += text.empty() ? "" : ", ";
        text += to_string(reason);
    }
    return text.empty() ? "unstated" : text;
}

std::string place_of(const Village& village) {
    return village.district.empty() ? village.commune : village.commune.empty() ? village.district
                                                                                : village.commune + ", " + village.district;
}

const char* todo_state(const track::TodoItem& item) { return item.at_risk ? "at_risk" : "overdue"; }

Json todo_json(const Analysis& analysis, const track::GroupDelays& group) {
    Json list = Json::array();
    for (const auto& item : group.todo) {
        const auto& result = analysis.tracking.commitments[item.commitment];
        const Village& village = analysis.villages[result.village];
        const Cell& cell = analysis.cells[item.cell];
        Json row;
        row["village_id"] = village.id;
        row["village"] = village.name;
        row["district"] = village.district;
        row["commune"] = village.commune;
        row["operator"] = analysis.commitments[item.commitment].operator_code;
        row["reason"] = to_string(item.reason);
        row["site_id"] = cell.site_id;
        row["cell_id"] = cell.cell_id;
        row["note"] = cell.delay.note;
        row["state"] = todo_state(item);
        row["days"] = item.days;
        row["deadline"] = analysis.commitments[item.commitment].deadline.iso();
        const auto& expected = cell.delay.expected_on_air_date;
        row["expected_on_air_date"] = expected ? Json(expected->iso()) : Json(nullptr);
        row["power_source"] = cell.delay.power_source.empty() ? Json(nullptr) : Json(cell.delay.power_source);
        list.push_back(std::move(row));
    }
    return list;
}

std::string completion_text(const track::GroupDelays& group) {
    if (group.operators_completion) {
        return group.operators_completion->iso();
    }
    if (group.without_expected_date > 0) {
        return fmt::format("unknown ({} without a revised date)", group.without_expected_date);
    }
    return "done";
}

} // namespace

const char* const operators_dates_definition =
    "Completion by the operators' own dates: every cell not on air yet arrives on its listed on-air "
    "date or its expected_on_air_date (a revised date already past counts as the next day); the "
    "forecast is the day the last open commitment would meet the coverage rule. It is the "
    "operators' promise, not a measurement.";

void add_delay_fields(nlohmann::ordered_json& row, const Analysis& analysis, std::size_t index) {
    const auto* why = why_of(analysis, index);
    row["at_risk"] = why != nullptr && why->at_risk;
    row["expected_covered_on"] =
        why != nullptr && why->expected_covered_on ? Json(why->expected_covered_on->iso()) : Json(nullptr);
    row["expected_delay_days"] =
        why != nullptr && why->expected_delay_days ? Json(*why->expected_delay_days) : Json(nullptr);
    row["delay_reasons"] = reasons_json(why);
}

nlohmann::ordered_json group_delays_json(const Analysis& analysis, const track::GroupDelays& group,
                                         bool with_todo) {
    Json out;
    out["at_risk"] = group.at_risk;
    out["causes"] = Json::array();
    for (const auto& cause : group.causes) {
        Json item;
        item["reason"] = cause.reason;
        item["overdue"] = cause.overdue;
        item["at_risk"] = cause.at_risk;
        item["max_days"] = cause.max_days;
        item["villages"] = Json::array();
        for (const std::size_t index : cause.commitments) {
            const auto& result = analysis.tracking.commitments[index];
            const auto* why = why_of(analysis, index);
            const bool overdue = result.status == track::Status::overdue;
            item["villages"].push_back(Json{
                {"village_id", analysis.villages[result.village].id},
                {"village", analysis.villages[result.village].name},
                {"operator", analysis.commitments[index].operator_code},
                {"state", overdue ? "overdue" : "at_risk"},
                {"days", overdue ? result.days_late.value_or(0) : why->expected_delay_days.value_or(0)}});
        }
        out["causes"].push_back(std::move(item));
    }
    if (with_todo) {
        out["todo"] = todo_json(analysis, group);
    }
    return out;
}

nlohmann::ordered_json operators_forecast_json(const track::GroupDelays& group) {
    Json out;
    out["operators_completion"] = group.operators_completion ? Json(group.operators_completion->iso()) : Json(nullptr);
    out["without_expected_date"] = group.without_expected_date;
    out["operators_note"] = completion_text(group);
    return out;
}

std::string todo_csv(const Analysis& analysis, const track::GroupDelays& group) {
    CsvWriter csv;
    for (const char* column : {"province", "district", "commune", "village_id", "village", "operator", "reason", "state",
                               "days", "deadline", "expected_on_air_date", "site_id", "cell_id", "power_source", "note"}) {
        csv.text(column);
    }
    csv.end_row();
    for (const auto& item : group.todo) {
        const auto& result = analysis.tracking.commitments[item.commitment];
        const Village& village = analysis.villages[result.village];
        const Cell& cell = analysis.cells[item.cell];
        const auto& expected = cell.delay.expected_on_air_date;
        csv.text(village.province).text(village.district).text(village.commune).text(village.id).text(village.name);
        csv.text(analysis.commitments[item.commitment].operator_code).text(to_string(item.reason)).text(todo_state(item));
        csv.number(item.days).text(analysis.commitments[item.commitment].deadline.iso());
        csv.text(expected ? expected->iso() : "").text(cell.site_id).text(cell.cell_id).text(cell.delay.power_source);
        csv.text(cell.delay.note);
        csv.end_row();
    }
    return csv.str();
}

std::string todo_file_name(const std::string& province, std::size_t index) {
    // ASCII file names whatever the province is called: Vietnamese letters folded to their
    // base letter, anything else to '_'; the group's index keeps two folds apart.
    std::string slug = track::ascii_fold(province);
    std::string clean;
    for (const char c : slug) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        clean += keep ? static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) : '_';
    }
    while (!clean.empty() && clean.back() == '_') {
        clean.pop_back();
    }
    if (clean.empty()) {
        clean = "no_province";
    }
    return fmt::format("todo_{:02}_{}.csv", index + 1, clean);
}

std::vector<std::size_t> at_risk_list(const Analysis& analysis) {
    std::vector<std::size_t> list;
    const auto& delays = analysis.tracking.delays.commitments;
    for (std::size_t i = 0; i < delays.size(); ++i) {
        if (delays[i].at_risk) {
            list.push_back(i);
        }
    }
    std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
        return delays[a].expected_delay_days.value_or(0) > delays[b].expected_delay_days.value_or(0);
    });
    return list;
}

std::string delays_markdown(const Analysis& analysis, const std::function<std::string(const std::string&)>& md) {
    const auto& delays = analysis.tracking.delays;
    const auto& tracking = analysis.tracking;
    std::string out = "\n## Why it is late\n\n";
    const auto at_risk = at_risk_list(analysis);
    out += fmt::format("### At risk ({})\n\nPending commitments whose operator's own dates (revised "
                       "`expected_on_air_date` of the cells that would cover the village) fall after the "
                       "deadline.\n\n", at_risk.size());
    if (at_risk.empty()) {
        out += "None.\n";
    } else {
        out += "| Village | Province | Operator | Deadline | Expected | Days after deadline | Reasons |\n"
               "|---|---|---|---|---|---:|---|\n";
        for (const std::size_t i : at_risk) {
            const Village& village = analysis.villages[tracking.commitments[i].village];
            const auto& why = delays.commitments[i];
            out += fmt::format("| {} ({}) | {} | {} | {} | {} | {} | {} |\n", md(village.name), md(village.id),
                               md(province_label(village.province)), md(analysis.commitments[i].operator_code),
                               analysis.commitments[i].deadline.iso(), why.expected_covered_on->iso(),
                               why.expected_delay_days.value_or(0), reasons_text(why));
        }
    }
    const auto causes_table = [&](const char* title, const std::vector<track::GroupDelays>& groups, bool province) {
        out += fmt::format("\n### Causes per {}\n\nOverdue and at-risk commitments by the delay reason of the "
                           "cells that would cover them (a commitment counts once under each reason).\n\n", title);
        out += fmt::format("| {} | Reason | Overdue | At risk | Most days |\n|---|---|---:|---:|---:|\n",
                           province ? "Province" : "Operator");
        bool any = false;
        for (const auto& group : groups) {
            for (const auto& cause : group.causes) {
                any = true;
                out += fmt::format("| {} | {} | {} | {} | {} |\n", md(province ? province_label(group.key) : group.key),
                                   cause.reason, cause.overdue, cause.at_risk, cause.max_days);
            }
        }
        if (!any) {
            out += "| — | none | 0 | 0 | 0 |\n";
        }
    };
    causes_table("operator", delays.operators, false);
    causes_table("province", delays.provinces, true);

    out += "\n### Forecast by the operators' own dates (not a measurement)\n\n";
    out += std::string(operators_dates_definition) + "\n\n| Group | Completion by operators' dates |\n|---|---|\n";
    out += fmt::format("| all | {} |\n", completion_text(delays.overall));
    for (const auto& group : delays.operators) {
        out += fmt::format("| {} | {} |\n", md(group.key), md(completion_text(group)));
    }

    out += "\n## To-do for the provincial departments\n\nWhat a department can unblock itself "
           "(grid power, permits, pole fees, access), village by village, most days late first.\n";
    bool any = false;
    for (const auto& group : delays.provinces) {
        if (group.todo.empty()) {
            continue;
        }
        any = true;
        out += fmt::format("\n### {}\n\n| Village | Operator | Reason | State | Days | Site | Note |\n"
                           "|---|---|---|---|---:|---|---|\n", md(province_label(group.key)));
        for (const auto& item : group.todo) {
            const Village& village = analysis.villages[tracking.commitments[item.commitment].village];
            const Cell& cell = analysis.cells[item.cell];
            out += fmt::format("| {} ({}) | {} | {} | {} | {} | {} | {} |\n", md(village.name), md(village.id),
                               md(analysis.commitments[item.commitment].operator_code), to_string(item.reason),
                               item.at_risk ? "at risk" : "overdue", item.days, md(cell.site_id), md(cell.delay.note));
        }
    }
    if (!any) {
        out += "\nNothing for the departments to unblock.\n";
    }
    return out;
}

std::string delays_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc) {
    const auto& delays = analysis.tracking.delays;
    const auto& tracking = analysis.tracking;
    const auto at_risk = at_risk_list(analysis);
    std::string out = "<section id=\"why-late\">\n<h2>Why it is late</h2>\n";
    out += fmt::format("<h3>At risk ({})</h3>\n<p class=\"note\">Pending commitments whose operator's own "
                       "revised dates (expected_on_air_date of the cells that would cover the village) fall "
                       "after the deadline.</p>\n", at_risk.size());
    if (at_risk.empty()) {
        out += "<p>None.</p>\n";
    } else {
        out += "<table><thead><tr><th>Village</th><th>Province</th><th>Operator</th><th>Deadline</th>"
               "<th>Expected</th><th class=\"n\">Days after deadline</th><th>Reasons</th></tr></thead><tbody>\n";
        for (const std::size_t i : at_risk) {
            const Village& village = analysis.villages[tracking.commitments[i].village];
            const auto& why = delays.commitments[i];
            out += fmt::format("<tr><td>{} <span class=\"note\">{}</span></td><td>{}</td><td>{}</td><td>{}</td>"
                               "<td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
                               esc(village.name), esc(village.id), esc(province_label(village.province)),
                               esc(analysis.commitments[i].operator_code), analysis.commitments[i].deadline.iso(),
                               why.expected_covered_on->iso(), why.expected_delay_days.value_or(0),
                               reasons_text(why));
        }
        out += "</tbody></table>\n";
    }
    const auto causes_table = [&](const char* title, const std::vector<track::GroupDelays>& groups, bool province) {
        out += fmt::format("<h3>Causes per {}</h3>\n<table><thead><tr><th>{}</th><th>Reason</th>"
                           "<th class=\"n\">Overdue</th><th class=\"n\">At risk</th><th class=\"n\">Most days</th>"
                           "<th>Villages</th></tr></thead><tbody>\n", title, province ? "Province" : "Operator");
        for (const auto& group : groups) {
            for (const auto& cause : group.causes) {
                std::string names;
                for (const std::size_t index : cause.commitments) {
                    names += names.empty() ? "" : ", ";
                    names += esc(analysis.villages[tracking.commitments[index].village].name);
                }
                out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                                   "<td class=\"n\">{}</td><td>{}</td></tr>\n",
                                   esc(province ? province_label(group.key) : group.key), cause.reason,
                                   cause.overdue, cause.at_risk, cause.max_days, names);
            }
        }
        out += "</tbody></table>\n";
    };
    causes_table("operator", delays.operators, false);
    causes_table("province", delays.provinces, true);
    out += "<h3>Forecast by the operators' own dates</h3>\n<p class=\"note\">FORECAST — " +
           esc(operators_dates_definition) + "</p>\n<ul>\n";
    out += "<li>All operators: " + esc(completion_text(delays.overall)) + "</li>\n";
    for (const auto& group : delays.operators) {
        out += "<li>" + esc(group.key) + ": " + esc(completion_text(group)) + "</li>\n";
    }
    out += "</ul>\n</section>\n<section id=\"todo\">\n<h2>To-do for the provincial departments</h2>\n"
           "<p class=\"note\">What a department can unblock itself (grid power, permits, pole fees, access), "
           "village by village, most days late first.</p>\n";
    bool any = false;
    for (const auto& group : delays.provinces) {
        if (group.todo.empty()) {
            continue;
        }
        any = true;
        out += "<h3>" + esc(province_label(group.key)) + "</h3>\n<table><thead><tr><th>Village</th>"
               "<th>Commune, district</th><th>Operator</th><th>Reason</th><th>State</th><th class=\"n\">Days</th>"
               "<th>Site</th><th>Note</th></tr></thead><tbody>\n";
        for (const auto& item : group.todo) {
            const Village& village = analysis.villages[tracking.commitments[item.commitment].village];
            const Cell& cell = analysis.cells[item.cell];
            out += fmt::format("<tr><td>{} <span class=\"note\">{}</span></td><td>{}</td><td>{}</td><td>{}</td>"
                               "<td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
                               esc(village.name), esc(village.id), esc(place_of(village)),
                               esc(analysis.commitments[item.commitment].operator_code), to_string(item.reason),
                               item.at_risk ? "at risk" : "overdue", item.days, esc(cell.site_id),
                               esc(cell.delay.note));
        }
        out += "</tbody></table>\n";
    }
    if (!any) {
        out += "<p>Nothing for the departments to unblock.</p>\n";
    }
    return out + "</section>\n";
}

} // namespace deadzone::emit::detail
