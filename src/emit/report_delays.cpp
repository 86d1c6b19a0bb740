// "Why it is late" in every report: at-risk commitments, causes per operator and province, the
// completion forecast by the operators' own dates, and each province's to-do list (JSON, Markdown,
// HTML and the optional todo_<province>.csv files). Built from track::Delays only.
#include "report_detail.hpp"

#include <deadzone/emit/csv.hpp>
#include <deadzone/emit/locale.hpp>

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

/// A delay reason as people read it (the catalogue's reason.<code>; English = the code itself).
std::string reason_text(std::string_view code, Language lang) { return tr(std::string{"reason."} + std::string{code}, lang); }

std::string reasons_text(const track::DelayExplanation& why, Language lang) {
    std::string text;
    for (const auto reason : why.reasons) {
        text += text.empty() ? "" : ", ";
        text += reason_text(to_string(reason), lang);
    }
    return text.empty() ? reason_text("unstated", lang) : text;
}

std::string state_text(const track::TodoItem& item, Language lang) {
    return tr(item.at_risk ? "late.state.at_risk" : "late.state.overdue", lang);
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

/// progress.json's operators_note: English whatever the report's language (a machine output).
std::string completion_text(const track::GroupDelays& group, Language lang = Language::en) {
    if (group.operators_completion) {
        return day_text(*group.operators_completion, lang);
    }
    if (group.without_expected_date > 0) {
        return tr("late.completion.unknown", lang, {{"count", std::to_string(group.without_expected_date)}});
    }
    return tr("forecast.done", lang);
}

} // namespace

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
    const Language lang = language_of(analysis);
    const auto t = [lang](std::string_view key, TrArgs args = {}) { return tr(key, lang, args); };
    std::string out = "\n## " + t("late.heading") + "\n\n";
    const auto at_risk = at_risk_list(analysis);
    out += "### " + t("late.heading.at_risk", {{"count", std::to_string(at_risk.size())}}) + "\n\n" +
           t("late.md.at_risk_note") + "\n\n";
    if (at_risk.empty()) {
        out += t("none") + "\n";
    } else {
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---:|---|\n", t("col.village"),
                           t("col.province"), t("col.operator"), t("col.deadline"), t("late.col.expected"),
                           t("late.col.days_after"), t("late.col.reasons"));
        for (const std::size_t i : at_risk) {
            const Village& village = analysis.villages[tracking.commitments[i].village];
            const auto& why = delays.commitments[i];
            out += fmt::format("| {} ({}) | {} | {} | {} | {} | {} | {} |\n", md(village.name), md(village.id),
                               md(province_label(village.province, lang)), md(analysis.commitments[i].operator_code),
                               day_text(analysis.commitments[i].deadline, lang), day_text(*why.expected_covered_on, lang),
                               why.expected_delay_days.value_or(0), reasons_text(why, lang));
        }
    }
    const auto causes_table = [&](const char* title, const std::vector<track::GroupDelays>& groups, bool province) {
        out += "\n### " + t(title) + "\n\n" + t("late.causes_note") + "\n\n";
        out += fmt::format("| {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|\n",
                           province ? t("col.province") : t("col.operator"), t("late.col.reason"), t("col.overdue"),
                           t("late.col.at_risk"), t("late.col.most_days"));
        bool any = false;
        for (const auto& group : groups) {
            for (const auto& cause : group.causes) {
                any = true;
                out += fmt::format("| {} | {} | {} | {} | {} |\n",
                                   md(province ? province_label(group.key, lang) : group.key),
                                   reason_text(cause.reason, lang), cause.overdue, cause.at_risk, cause.max_days);
            }
        }
        if (!any) {
            out += "| — | " + t("late.none_reason") + " | 0 | 0 | 0 |\n";
        }
    };
    causes_table("late.heading.causes_operator", delays.operators, false);
    causes_table("late.heading.causes_province", delays.provinces, true);

    out += "\n### " + t("late.heading.operators_dates_md") + "\n\n";
    out += t("late.def.operators_dates") + "\n\n| " + t("late.col.group") + " | " + t("late.col.completion") +
           " |\n|---|---|\n";
    out += fmt::format("| {} | {} |\n", t("late.group.all"), completion_text(delays.overall, lang));
    for (const auto& group : delays.operators) {
        out += fmt::format("| {} | {} |\n", md(group.key), md(completion_text(group, lang)));
    }

    out += "\n## " + t("late.heading.todo") + "\n\n" + t("late.todo_note") + "\n";
    bool any = false;
    for (const auto& group : delays.provinces) {
        if (group.todo.empty()) {
            continue;
        }
        any = true;
        out += fmt::format("\n### {}\n\n| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---:|---|---|\n",
                           md(province_label(group.key, lang)), t("col.village"), t("col.operator"),
                           t("late.col.reason"), t("late.col.state"), t("late.col.days"), t("late.col.site"),
                           t("late.col.note"));
        for (const auto& item : group.todo) {
            const Village& village = analysis.villages[tracking.commitments[item.commitment].village];
            const Cell& cell = analysis.cells[item.cell];
            out += fmt::format("| {} ({}) | {} | {} | {} | {} | {} | {} |\n", md(village.name), md(village.id),
                               md(analysis.commitments[item.commitment].operator_code),
                               reason_text(to_string(item.reason), lang), state_text(item, lang), item.days,
                               md(cell.site_id), md(cell.delay.note));
        }
    }
    if (!any) {
        out += "\n" + t("late.nothing_todo") + "\n";
    }
    return out;
}

std::string delays_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc) {
    const auto& delays = analysis.tracking.delays;
    const auto& tracking = analysis.tracking;
    const Language lang = language_of(analysis);
    const auto t = [lang](std::string_view key, TrArgs args = {}) { return tr(key, lang, args); };
    const auto th = [&t](std::string_view key) { return "<th>" + t(key) + "</th>"; };
    const auto thn = [&t](std::string_view key) { return "<th class=\"n\">" + t(key) + "</th>"; };
    const auto at_risk = at_risk_list(analysis);
    std::string out = "<section id=\"why-late\">\n<h2>" + t("late.heading") + "</h2>\n";
    out += "<h3>" + t("late.heading.at_risk", {{"count", std::to_string(at_risk.size())}}) +
           "</h3>\n<p class=\"note\">" + t("late.html.at_risk_note") + "</p>\n";
    if (at_risk.empty()) {
        out += "<p>" + t("none") + "</p>\n";
    } else {
        out += "<table><thead><tr>" + th("col.village") + th("col.province") + th("col.operator") +
               th("col.deadline") + th("late.col.expected") + thn("late.col.days_after") + th("late.col.reasons") +
               "</tr></thead><tbody>\n";
        for (const std::size_t i : at_risk) {
            const Village& village = analysis.villages[tracking.commitments[i].village];
            const auto& why = delays.commitments[i];
            out += fmt::format("<tr><td>{} <span class=\"note\">{}</span></td><td>{}</td><td>{}</td><td>{}</td>"
                               "<td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
                               esc(village.name), esc(village.id), esc(province_label(village.province, lang)),
                               esc(analysis.commitments[i].operator_code),
                               day_text(analysis.commitments[i].deadline, lang),
                               day_text(*why.expected_covered_on, lang), why.expected_delay_days.value_or(0),
                               reasons_text(why, lang));
        }
        out += "</tbody></table>\n";
    }
    const auto causes_table = [&](const char* title, const std::vector<track::GroupDelays>& groups, bool province) {
        out += "<h3>" + t(title) + "</h3>\n<table><thead><tr>" + th(province ? "col.province" : "col.operator") +
               th("late.col.reason") + thn("col.overdue") + thn("late.col.at_risk") + thn("late.col.most_days") +
               th("late.col.villages") + "</tr></thead><tbody>\n";
        for (const auto& group : groups) {
            for (const auto& cause : group.causes) {
                std::string names;
                for (const std::size_t index : cause.commitments) {
                    names += names.empty() ? "" : ", ";
                    names += esc(analysis.villages[tracking.commitments[index].village].name);
                }
                out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                                   "<td class=\"n\">{}</td><td>{}</td></tr>\n",
                                   esc(province ? province_label(group.key, lang) : group.key),
                                   reason_text(cause.reason, lang), cause.overdue, cause.at_risk, cause.max_days, names);
            }
        }
        out += "</tbody></table>\n";
    };
    causes_table("late.heading.causes_operator", delays.operators, false);
    causes_table("late.heading.causes_province", delays.provinces, true);
    out += "<h3>" + t("late.heading.operators_dates") + "</h3>\n<p class=\"note\">" + t("late.forecast_label") +
           " — " + esc(t("late.def.operators_dates")) + "</p>\n<ul>\n";
    out += "<li>" + t("all_operators") + ": " + esc(completion_text(delays.overall, lang)) + "</li>\n";
    for (const auto& group : delays.operators) {
        out += "<li>" + esc(group.key) + ": " + esc(completion_text(group, lang)) + "</li>\n";
    }
    out += "</ul>\n</section>\n<section id=\"todo\">\n<h2>" + t("late.heading.todo") + "</h2>\n<p class=\"note\">" +
           t("late.todo_note") + "</p>\n";
    bool any = false;
    for (const auto& group : delays.provinces) {
        if (group.todo.empty()) {
            continue;
        }
        any = true;
        out += "<h3>" + esc(province_label(group.key, lang)) + "</h3>\n<table><thead><tr>" + th("col.village") +
               th("late.col.place") + th("col.operator") + th("late.col.reason") + th("late.col.state") +
               thn("late.col.days") + th("late.col.site") + th("late.col.note") + "</tr></thead><tbody>\n";
        for (const auto& item : group.todo) {
            const Village& village = analysis.villages[tracking.commitments[item.commitment].village];
            const Cell& cell = analysis.cells[item.cell];
            out += fmt::format("<tr><td>{} <span class=\"note\">{}</span></td><td>{}</td><td>{}</td><td>{}</td>"
                               "<td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
                               esc(village.name), esc(village.id), esc(place_of(village)),
                               esc(analysis.commitments[item.commitment].operator_code),
                               reason_text(to_string(item.reason), lang), state_text(item, lang), item.days,
                               esc(cell.site_id), esc(cell.delay.note));
        }
        out += "</tbody></table>\n";
    }
    if (!any) {
        out += "<p>" + t("late.nothing_todo") + "</p>\n";
    }
    return out + "</section>\n";
}

} // namespace deadzone::emit::detail
