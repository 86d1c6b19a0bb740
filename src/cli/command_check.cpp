// `deadzone check`: validates a campaign and/or input files and reports every problem, without
// analysing anything. Exit 0 when no errors (warnings allowed), 1 when any input is rejected.
//
// Which files: with --campaign alone, the campaign's own files; as soon as one of --villages,
// --commitments or --stations is given, only the files given are checked, still against the
// campaign's operators, area and radius. Commitments are cross-checked against villages: the
// --villages file when given, else the campaign's villages file (read for the cross-check only;
// its own problems are not reported). Stations need no villages, so none are read for them.
#include "command.hpp"

#include <deadzone/cli.hpp>
#include <deadzone/geo/text.hpp>
#include <deadzone/ingest/ingest.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace deadzone::cli {

namespace {

struct FileSummary {
    std::string file;
    std::string kind; // campaign | villages | commitments | stations
    std::size_t records = 0;
    std::size_t errors = 0;
    std::size_t warnings = 0;
};

nlohmann::ordered_json problem_json(const Problem& p) {
    using nlohmann::ordered_json;
    ordered_json item;
    item["severity"] = p.severity == Severity::error ? "error" : "warning";
    item["file"] = p.where.file;
    item["layer"] = p.where.layer.empty() ? ordered_json() : ordered_json(p.where.layer);
    item["row"] = p.where.row ? ordered_json(*p.where.row) : ordered_json();
    item["fid"] = p.where.fid ? ordered_json(*p.where.fid) : ordered_json();
    item["field"] = p.field.empty() ? ordered_json() : ordered_json(p.field);
    item["code"] = p.code;
    item["message"] = p.message;
    return item;
}

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
        app.add_flag("--json", m_json, "Print one JSON document instead of lines");
    }

    int run(Context& context) override {
        const bool explicit_files = !m_villages.empty() || !m_commitments.empty() || !m_stations.empty();
        if (m_campaign.empty() && !explicit_files) {
            throw UsageError("check: nothing to check; give --campaign and/or --villages, --commitments, --stations");
        }
        if (!m_operator.empty() && m_stations.empty()) {
            throw UsageError("check: --operator applies to the files given with --stations");
        }

        std::vector<FileSummary> files;
        std::vector<std::string> notes;
        Diagnostics diagnostics;

        Campaign campaign;
        if (!m_campaign.empty()) {
            try {
                campaign = ingest::load_campaign(m_campaign);
            } catch (const InputError& e) {
                for (const auto& problem : e.problems()) {
                    diagnostics.add(problem);
                }
                const auto file = std::filesystem::is_directory(m_campaign)
                                      ? (std::filesystem::path{m_campaign} / "campaign.json").string()
                                      : m_campaign;
                files.push_back(FileSummary{file, "campaign", 0, 0, 0});
                return finish(context, files, notes, diagnostics);
            }
            files.push_back(FileSummary{campaign.file.string(), "campaign", campaign.operators.size(), 0, 0});
            for (const auto& warning : campaign.warnings) {
                diagnostics.add(warning);
            }
        } else {
            campaign = ingest::default_campaign();
            notes.push_back("no campaign given: built-in radio defaults, no campaign area, and operator "
                            "codes are not checked");
        }

        std::optional<std::filesystem::path> villages_file;
        std::optional<std::filesystem::path> commitments_file;
        std::vector<std::filesystem::path> station_files;
        if (explicit_files) {
            if (!m_villages.empty()) villages_file = m_villages;
            if (!m_commitments.empty()) commitments_file = m_commitments;
            station_files.assign(m_stations.begin(), m_stations.end());
        } else {
            villages_file = campaign.villages;
            commitments_file = campaign.commitments;
            station_files = campaign.stations;
            if (!villages_file && !commitments_file && station_files.empty()) {
                notes.push_back("the campaign lists no input files");
            }
        }

        const Progress progress = context.progress();
        std::vector<Village> villages;
        bool have_villages = false;
        if (villages_file) {
            progress.report(0.0, "checking villages");
            Diagnostics village_problems;
            villages = ingest::read_villages(*villages_file, campaign, village_problems);
            // An unreadable villages file gives no basis for checking commitments' village ids.
            have_villages = std::none_of(village_problems.problems().begin(), village_problems.problems().end(),
                                         [](const Problem& p) {
                                             return p.severity == Severity::error && !p.where.row && !p.where.fid;
                                         });
            diagnostics.append(village_problems);
            files.push_back(FileSummary{villages_file->string(), "villages", villages.size(), 0, 0});
        }
        if (commitments_file) {
            progress.report(0.4, "checking commitments");
            if (!villages_file && campaign.villages) {
                Diagnostics ignored;
                villages = ingest::read_villages(*campaign.villages, campaign, ignored);
                if (ignored.problems().empty() || !villages.empty()) {
                    have_villages = true;
                    notes.push_back(fmt::format("commitments are checked against the villages of {} (its own "
                                                "problems are not reported here)",
                                                campaign.villages->string()));
                }
            }
            if (!have_villages) {
                notes.push_back("no villages available: commitment village ids are not checked");
            }
            const auto commitments = ingest::read_commitments(*commitments_file, campaign,
                                                              have_villages ? &villages : nullptr, diagnostics);
            files.push_back(FileSummary{commitments_file->string(), "commitments", commitments.size(), 0, 0});
        }
        if (!station_files.empty()) {
            progress.report(0.5, "checking stations");
            ingest::StationOptions options;
            if (!m_operator.empty()) {
                options.operator_code = m_operator;
            }
            if (!m_campaign.empty() && !campaign.area && have_villages && !villages.empty()) {
                // No area_bbox: the villages checked here mark the area (else the library reads
                // the campaign's own villages for it).
                options.area = ingest::villages_extent(villages);
                options.area_name = ingest::villages_area_name;
            }
            std::vector<std::size_t> counts;
            ingest::read_station_files(station_files, campaign, options, diagnostics, &counts);
            for (std::size_t i = 0; i < station_files.size(); ++i) {
                files.push_back(FileSummary{station_files[i].string(), "stations", counts[i], 0, 0});
            }
        }
        progress.report(1.0, "checked");
        return finish(context, files, notes, diagnostics);
    }

private:
    int finish(Context& context, std::vector<FileSummary>& files, const std::vector<std::string>& notes,
               const Diagnostics& diagnostics) const {
        for (const auto& problem : diagnostics.problems()) {
            for (auto& summary : files) {
                if (summary.file == problem.where.file) {
                    (problem.severity == Severity::error ? summary.errors : summary.warnings) += 1;
                    break;
                }
            }
        }
        if (m_json) {
            nlohmann::ordered_json doc;
            doc["ok"] = !diagnostics.has_errors();
            doc["errors"] = diagnostics.error_count();
            doc["warnings"] = diagnostics.warning_count();
            auto list = nlohmann::ordered_json::array();
            for (const auto& summary : files) {
                nlohmann::ordered_json item;
                item["file"] = summary.file;
                item["kind"] = summary.kind;
                item["records"] = summary.records;
                item["errors"] = summary.errors;
                item["warnings"] = summary.warnings;
                list.push_back(std::move(item));
            }
            doc["files"] = std::move(list);
            doc["notes"] = notes;
            auto problems = nlohmann::ordered_json::array();
            for (const auto& problem : diagnostics.problems()) {
                problems.push_back(problem_json(problem));
            }
            doc["problems"] = std::move(problems);
            context.out << doc.dump(2) << '\n';
        } else {
            context.print_problems(diagnostics.problems(), false);
            if (!context.quiet) {
                for (const auto& note : notes) {
                    context.out << "note: " << geo::escape_for_terminal(note) << '\n';
                }
            }
            for (const auto& summary : files) {
                const char* noun = summary.kind == "campaign"      ? "operator"
                                   : summary.kind == "villages"    ? "village"
                                   : summary.kind == "commitments" ? "commitment"
                                                                   : "cell";
                context.out << fmt::format("{}: {}, {}, {}\n", geo::escape_for_terminal(summary.file), plural(summary.records, noun),
                                           plural(summary.errors, "error"), plural(summary.warnings, "warning"));
            }
        }
        return diagnostics.has_errors() ? ExitCode::input_rejected : ExitCode::ok;
    }

    // Empty = not given (CLI11 2.1 has no std::optional options).
    std::string m_campaign;
    std::string m_villages;
    std::string m_commitments;
    std::vector<std::string> m_stations;
    std::string m_operator;
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> make_check_command() {
    return std::make_unique<CheckCommand>();
}

} // namespace deadzone::cli
