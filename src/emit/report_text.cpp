// progress.csv and report.md.
#include "report_detail.hpp"

#include <deadzone/emit/csv.hpp>
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

std::string milestone_cell(const track::MilestoneResult& m) {
    switch (verdict(m)) {
    case Verdict::met: return percent(m.achieved) + " — **met**";
    case Verdict::missed: return percent(m.achieved) + " — **missed**";
    case Verdict::upcoming:
        return percent(m.achieved) + " so far — upcoming (forecast " +
               percent(m.forecast_achieved.value_or(0.0)) + ")";
    case Verdict::none: break;
    }
    return "n/a (no commitments)";
}

std::string group_row(const std::string& label, const track::Group& group) {
    const auto& c = group.counts;
    std::string row = fmt::format("| {} | {} | {} | {} | {} | {} | {} |", label, c.total,
                                  c.covered, c.covered_late, c.overdue, c.pending,
                                  percent(c.fraction));
    for (const auto& m : group.milestones) {
        row += " " + milestone_cell(m) + " |";
    }
    return row + "\n";
}

std::string group_header(const std::string& first, const Campaign& campaign) {
    std::string header = "| " + first +
                         " | Commitments | Covered | Covered late | Overdue | Pending | Covered share |";
    std::string rule = "|---|---:|---:|---:|---:|---:|---:|";
    for (const auto& m : campaign.milestones) {
        header += fmt::format(" {} by {} |", target_text(m.target), m.date.iso());
        rule += "---|";
    }
    return header + "\n" + rule + "\n";
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

std::string report_markdown(const Analysis& analysis, const Facts& facts) {
    const Campaign& campaign = analysis.campaign;
    const auto& tracking = analysis.tracking;
    std::string out = fmt::format("# {} — progress as of {}\n\n", md(campaign.name),
                                  tracking.as_of.iso());
    out += "**" + md(headline(analysis, facts)) + "**\n\n";
    out += fmt::format(
        "Coverage rule: a village is covered by an operator when at least {} of its {} is "
        "inside the operator's footprints on air. {} {}\n\n",
        target_text(campaign.coverage_rule.min_fraction),
        analysis.overlay.population_weighted ? "population" : "area", status_definition,
        village_definition);

    out += "## Operators\n\n";
    out += group_header("Operator", campaign);
    for (const auto& group : tracking.operators) {
        out += group_row(md(operator_name(campaign, group.key)) + " (" + md(group.key) + ")",
                         group);
    }
    out += group_row("**All operators**", tracking.overall);

    out += fmt::format("\n## Forecast (not a measurement)\n\n{}\n\n", forecast_definition);
    out += "| Operator | Window (days) | Pace (commitments/day) | Remaining | Forecast completion |\n"
           "|---|---:|---:|---:|---|\n";
    const auto forecast_row = [&](const std::string& label, const track::Forecast& f) {
        out += fmt::format("| {} | {} | {:.4f} | {} | {} |\n", label, f.window_days,
                           round4(f.pace_per_day), f.remaining, forecast_text(f));
    };
    for (const auto& group : tracking.operators) {
        forecast_row(md(operator_name(campaign, group.key)) + " (" + md(group.key) + ")",
                     group.forecast);
    }
    forecast_row("**All operators**", tracking.overall.forecast);

    out += "\n## Provinces\n\n";
    out += group_header("Province", campaign);
    for (const auto& group : tracking.provinces) {
        out += group_row(md(province_label(group.key)), group);
    }

    const auto commitment_cells = [&](std::size_t index) {
        const auto& result = tracking.commitments[index];
        const Village& village = analysis.villages[result.village];
        return fmt::format("| {} ({}) | {} | {} | {} |", md(village.name), md(village.id),
                           md(province_label(village.province)),
                           md(analysis.commitments[index].operator_code),
                           analysis.commitments[index].deadline.iso());
    };
    out += fmt::format("\n## Overdue commitments ({})\n\n", facts.overdue.size());
    if (facts.overdue.empty()) {
        out += "None.\n";
    } else {
        out += "| Village | Province | Operator | Deadline | Coverage now | Days late |\n"
               "|---|---|---|---|---:|---:|\n";
        for (const std::size_t index : facts.overdue) {
            const auto& result = tracking.commitments[index];
            out += commitment_cells(index) +
                   fmt::format(" {} | {} |\n", percent(result.coverage),
                               result.days_late.value_or(0));
        }
    }

    out += fmt::format("\n## Commitments the listed cells cannot meet ({})\n\n",
                       facts.cannot_be_met.size());
    out += "Not covered at the as-of date, and even with every listed cell of the operator in "
           "service (planned and building ones included) the village would stay below the "
           "coverage rule.\n\n";
    if (facts.cannot_be_met.empty()) {
        out += "None.\n";
    } else {
        out += "| Village | Province | Operator | Deadline | Status | Coverage now | With every "
               "listed cell |\n|---|---|---|---|---|---:|---:|\n";
        for (const std::size_t index : facts.cannot_be_met) {
            const auto& result = tracking.commitments[index];
            out += commitment_cells(index) +
                   fmt::format(" {} | {} | {} |\n", track::to_string(result.status),
                               percent(result.coverage), percent(facts.potential[index]));
        }
    }
    if (!tracking.delays.commitments.empty()) {
        out += delays_markdown(analysis, md);
    }
    if (analysis.measurements.active) {
        out += measurements_markdown(analysis, md);
    }
    return out;
}

} // namespace deadzone::emit::detail
