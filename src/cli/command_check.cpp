// `deadzone check`: validates a campaign and/or input files and reports every problem, without
// analysing anything. Exit 0 when no errors (warnings allowed), 1 when any input is rejected.
// Which files are checked, and against what, is the library's policy (pipeline/check.hpp).
#include "command.hpp"

#include <deadzone/cli/cli.hpp>
#include <deadzone/core/text.hpp>
#include <deadzone/pipeline/check.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace deadzone::cli {

namespace {

std::string plural(std::size_t n, const char* word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

class CheckCommand final : public Command {
public:
    const char* name() const override { return "check"; }
    const char* summary() const override {
        return "Validate a campaign and input files; report every problem with file, row and field";
    }

    void setup(CLI::App& app) override {
        app.add_option("--campaign", m_campaign, "Campaign file (or a folder holding campaign.json)");
        app.add_option("--villages", m_villages, "Villages file (any OGR vector source)");
        app.add_option("--commitments", m_commitments, "Commitments file (CSV or any table)");
        app.add_option("--stations", m_stations, "Station file(s), one row per cell (also OpenCelliD CSV)");
        app.add_option("--operator", m_operator, "Operator code the station files belong to");
        app.add_option("--measurements", m_measurements, "Field measurement file(s) (drive tests, docs/measurements.md)");
        app.add_flag("--json", m_json, "Print one JSON document instead of lines");
        add_lang_option(app, m_lang);
    }

    int run(Context& context) override {
        const bool explicit_files =
            !m_villages.empty() || !m_commitments.empty() || !m_stations.empty() || !m_measurements.empty();
        if (m_campaign.empty() && !explicit_files) {
            throw UsageError("check: nothing to check; give --campaign and/or --villages, --commitments, --stations");
        }
        if (!m_operator.empty() && m_stations.empty()) {
            throw UsageError("check: --operator applies to the files given with --stations");
        }
        context.language = lang_option(m_lang).value_or(m_campaign.empty() ? Language::en : campaign_language(m_campaign));
        pipeline::CheckOptions options;
        if (!m_campaign.empty()) options.campaign = m_campaign;
        if (!m_villages.empty()) options.villages = m_villages;
        if (!m_commitments.empty()) options.commitments = m_commitments;
        options.stations.assign(m_stations.begin(), m_stations.end());
        if (!m_operator.empty()) options.operator_code = m_operator;
        options.measurements.assign(m_measurements.begin(), m_measurements.end());

        const auto report = pipeline::run_check(options, context.progress());
        if (m_json) {
            context.out << pipeline::check_json(report).dump(2) << '\n';
        } else {
            print(context, report);
        }
        return report.ok() ? ExitCode::ok : ExitCode::input_rejected;
    }

private:
    static void print(const Context& context, const pipeline::CheckReport& report) {
        // Only the problems follow the language; the per-file counts below are a summary scripts read.
        context.print_problems(report.diagnostics.problems(), false);
        if (!context.quiet) {
            for (const auto& note : report.notes) {
                context.out << "note: " << escape_for_terminal(note) << '\n';
            }
        }
        for (const auto& summary : report.files) {
            const char* noun = summary.kind == "campaign"      ? "operator"
                               : summary.kind == "villages"    ? "village"
                               : summary.kind == "commitments" ? "commitment"
                               : summary.kind == "measurements" ? "sample"
                               : summary.kind == "terrain"      ? "elevation model"
                                                               : "cell";
            context.out << fmt::format("{}: {}, {}, {}\n", escape_for_terminal(summary.file), plural(summary.records, noun),
                                       plural(summary.errors, "error"), plural(summary.warnings, "warning"));
        }
    }

    // Empty = not given (CLI11 2.1 has no std::optional options).
    std::string m_campaign;
    std::string m_villages;
    std::string m_commitments;
    std::vector<std::string> m_stations;
    std::vector<std::string> m_measurements;
    std::string m_operator;
    bool m_json = false;
    std::string m_lang;
};

} // namespace

std::unique_ptr<Command> make_check_command() {
    return std::make_unique<CheckCommand>();
}

} // namespace deadzone::cli
