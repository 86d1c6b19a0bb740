// progress.csv and report.md.
#include "report_detail.hpp"

#include <deadzone/emit/csv.hpp>
#include <deadzone/emit/locale.hpp>
#include <deadzone/emit/reports.hpp>

#include <fmt/format.h>

namespace deadzone::emit::detail {

namespace {

std::string fraction_text(double value) { return fmt::format("{:.4f}", round4(value)); }

/// Names, keys and verdicts are text cells (neutralised against formula injection by CsvWriter);
/// counts and fractions are number cells.
void csv_row(CsvWriter& csv, const std::string& type, const std::string& key,
             const std::string& name, const track::Group& group) {
    const auto& c = group.counts;
    csv.text(type).text(key).text(name);
    csv.number(c.total).number(c.covered).number(c.covered_late).number(c.overdue);
    csv.number(c.pending).number(fraction_text(c.fraction));
    for (const auto& m : group.milestones) {
        csv.number(fraction_text(m.achieved)).text(to_string(verdict(m)));
    }
    csv.text(forecast_text(group.forecast));
    csv.end_row();
}

/// Markdown table cells: escape what would end the cell or start markup.
std::string md(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '|': case '\\': case '*': case '_': case '`': case '[': case ']': case '<':
        case '>': case '#':
            out += '\\';
            out += c;
            break;
        case '\n': case '\r':
            out += ' ';
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string milestone_cell(const track::MilestoneResult& m, Language lang) {
    const std::string share = percent(m.achieved, lang);
    switch (verdict(m)) {
    case Verdict::met: return tr("cell.met", lang, {{"percent", share}});
    case Verdict::missed: return tr("cell.missed", lang, {{"percent", share}});
    case Verdict::upcoming:
        return tr("cell.upcoming", lang,
                  {{"percent", share}, {"forecast", percent(m.forecast_achieved.value_or(0.0), lang)}});
    case Verdict::none: break;
    }
    return tr("cell.none", lang);
}

std::string group_row(const std::string& label, const track::Group& group, Language lang) {
    const auto& c = group.counts;
    std::string row = fmt::format("| {} | {} | {} | {} | {} | {} | {} |", label, c.total,
                                  c.covered, c.covered_late, c.overdue, c.pending,
                                  percent(c.fraction, lang));
    for (const auto& m : group.milestones) {
        row += " " + milestone_cell(m, lang) + " |";
    }
    return row + "\n";
}

std::string group_header(const std::string& first, const Campaign& campaign) {
    const Language lang = campaign.locale;
    std::string header = "| " + first + " | " + tr("col.commitments", lang) + " | " + tr("col.covered", lang) +
                         " | " + tr("col.covered_late", lang) + " | " + tr("col.overdue", lang) + " | " +
                         tr("col.pending", lang) + " | " + tr("col.share", lang) + " |";
    std::string rule = "|---|---:|---:|---:|---:|---:|---:|";
    for (const auto& m : campaign.milestones) {
        header += " " + tr("col.milestone", lang,
                           {{"target", target_text(m.target, lang)}, {"date", day_text(m.date, lang)}}) + " |";
        rule += "---|";
    }
    return header + "\n" + rule + "\n";
}

/// "| a | b |" from catalogue keys.
std::string header_row(std::initializer_list<const char*> keys, Language lang) {
    std::string row = "|";
    for (const char* key : keys) {
        row += " " + tr(key, lang) + " |";
    }
    return row + "\n";
}

} // namespace

std::string progress_csv(const Analysis& analysis) {
    const Campaign& campaign = analysis.campaign;
    CsvWriter csv;
    for (const char* column : {"group_type", "group", "name", "total", "covered", "covered_late",
                               "overdue", "pending", "fraction"}) {
        csv.text(column);
    }
    for (const auto& m : campaign.milestones) {
        csv.text("achieved_" + m.date.iso()).text("met_" + m.date.iso());
    }
    csv.text("forecast_completion");
    csv.end_row();
    const auto& tracking = analysis.tracking;
    csv_row(csv, "overall", "all", "All operators", tracking.overall);
    for (const auto& group : tracking.operators) {
        csv_row(csv, "operator", group.key, operator_name(campaign, group.key), group);
    }
    for (const auto& group : tracking.provinces) {
        csv_row(csv, "province", group.key, province_label(group.key), group);
    }
    return csv.str();
}

namespace {

/// The overdue commitments and those that cannot be met, one table each.
std::string lists_markdown(const Analysis& analysis, const Facts& facts) {
    const Language lang = analysis.campaign.locale;
    const auto& tracking = analysis.tracking;
    std::string out;
    const auto commitment_cells = [&](std::size_t index) {
        const auto& result = tracking.commitments[index];
        const Village& village = analysis.villages[result.village];
        return fmt::format("| {} ({}) | {} | {} | {} |", md(village.name), md(village.id),
                           md(province_label(village.province, lang)),
                           md(analysis.commitments[index].operator_code),
                           day_text(analysis.commitments[index].deadline, lang));
    };
    const std::string none = tr("none", lang) + "\n";
    out += "\n## " + tr("heading.overdue", lang, {{"count", std::to_string(facts.overdue.size())}}) + "\n\n";
    if (facts.overdue.empty()) {
        out += none;
    } else {
        out += header_row({"col.village", "col.province", "col.operator", "col.deadline", "col.coverage_now",
                           "col.days_late"}, lang) +
               "|---|---|---|---|---:|---:|\n";
        for (const std::size_t index : facts.overdue) {
            const auto& result = tracking.commitments[index];
            out += commitment_cells(index) +
                   fmt::format(" {} | {} |\n", percent(result.coverage, lang),
                               result.days_late.value_or(0));
        }
    }

    out += "\n## " + tr("heading.cannot_be_met", lang, {{"count", std::to_string(facts.cannot_be_met.size())}}) +
           "\n\n";
    out += tr("text.cannot_be_met", lang) + "\n\n";
    if (facts.cannot_be_met.empty()) {
        out += none;
    } else {
        out += header_row({"col.village", "col.province", "col.operator", "col.deadline", "col.status",
                           "col.coverage_now", "col.with_every_cell"}, lang) +
               "|---|---|---|---|---|---:|---:|\n";
        for (const std::size_t index : facts.cannot_be_met) {
            const auto& result = tracking.commitments[index];
            out += commitment_cells(index) +
                   fmt::format(" {} | {} | {} |\n", status_text(result.status, lang),
                               percent(result.coverage, lang), percent(facts.potential[index], lang));
        }
    }
    return out;
}

} // namespace

std::string report_markdown(const Analysis& analysis, const Facts& facts) {
    const Campaign& campaign = analysis.campaign;
    const Language lang = campaign.locale;
    const auto& tracking = analysis.tracking;
    std::string out = tr("md.title", lang, {{"name", md(campaign.name)}, {"date", day_text(tracking.as_of, lang)}}) +
                      "\n\n";
    out += "**" + md(headline(analysis, facts)) + "**\n\n";
    out += tr("md.rule", lang,
              {{"share", target_text(campaign.coverage_rule.min_fraction, lang)},
               {"basis", tr(analysis.overlay.population_weighted ? "basis.population" : "basis.area", lang)},
               {"status", tr("def.status", lang)},
               {"village", tr("def.village", lang)}}) +
           "\n\n";

    const std::string all_operators = "**" + tr("all_operators", lang) + "**";
    out += "## " + tr("heading.operators", lang) + "\n\n";
    out += group_header(tr("col.operator", lang), campaign);
    for (const auto& group : tracking.operators) {
        out += group_row(md(operator_name(campaign, group.key)) + " (" + md(group.key) + ")", group, lang);
    }
    out += group_row(all_operators, tracking.overall, lang);

    out += "\n## " + tr("heading.forecast", lang) + "\n\n" + tr("def.forecast", lang) + "\n\n";
    out += header_row({"col.operator", "col.window", "col.pace", "col.remaining", "col.forecast"}, lang) +
           "|---|---:|---:|---:|---|\n";
    const auto forecast_row = [&](const std::string& label, const track::Forecast& f) {
        out += fmt::format("| {} | {} | {} | {} | {} |\n", label, f.window_days,
                           format_decimal(round4(f.pace_per_day), 4, lang), f.remaining, forecast_text(f, lang));
    };
    for (const auto& group : tracking.operators) {
        forecast_row(md(operator_name(campaign, group.key)) + " (" + md(group.key) + ")",
                     group.forecast);
    }
    forecast_row(all_operators, tracking.overall.forecast);

    out += "\n## " + tr("heading.provinces", lang) + "\n\n";
    out += group_header(tr("col.province", lang), campaign);
    for (const auto& group : tracking.provinces) {
        out += group_row(md(province_label(group.key, lang)), group, lang);
    }

    out += lists_markdown(analysis, facts);
    if (!tracking.delays.commitments.empty()) {
        out += delays_markdown(analysis, md);
    }
    if (analysis.measurements.active) {
        out += measurements_markdown(analysis, md);
    }
    return out;
}

} // namespace deadzone::emit::detail
