#include "command.hpp"

#include <deadzone/emit/locale.hpp>

#include <deadzone/core/text.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/pipeline/analyze.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <ostream>

namespace deadzone::cli {

namespace {

class AnalyzeCommand final : public Command {
public:
    const char* name() const override { return "analyze"; }
    const char* summary() const override {
        return "Run the whole pipeline (ingest, footprints, overlay, tracking) and write layers and reports";
    }

    void setup(CLI::App& app) override {
        app.add_option("campaign_dir", m_dir, "Campaign folder (holding campaign.json) or campaign file");
        app.add_option("--campaign", m_campaign, "Campaign file (campaign.json)");
        app.add_option("--villages", m_villages, "Villages file (overrides the campaign's)");
        app.add_option("--commitments", m_commitments, "Commitments file (overrides the campaign's)");
        app.add_option("--stations", m_stations, "Station files (override the campaign's); repeatable")
            ->expected(1, -1);
        app.add_option("--operator", m_operator, "Operator of the --stations files when they do not say");
        app.add_option("--as-of", m_as_of, "The date to judge (YYYY-MM-DD)")->required();
        app.add_option("--out", m_out, "Output folder")->required();
        add_threads_option(app, m_threads);
        add_lang_option(app, m_lang);
        app.add_option("--format", m_formats, "Layer formats to write: geojson, gpkg, fgb (default: geojson gpkg)")
            ->expected(1, -1)
            ->check(CLI::IsMember({"geojson", "gpkg", "fgb"}));
        app.add_flag("--json", m_json, "Print progress.json on stdout instead of the summary");
        app.add_flag("--todo", m_todo, "Also write each province's to-do list as todo_NN_<province>.csv");
    }

    int run(Context& context) override {
        namespace fs = std::filesystem;
        if (m_dir.empty() == m_campaign.empty()) {
            throw UsageError("analyze: give the campaign as a folder argument or as --campaign F (one of them)");
        }
        pipeline::AnalysisOptions options;
        options.campaign = m_dir.empty() ? fs::path{m_campaign} : fs::path{m_dir};
        options.as_of = parse_date_option("--as-of", m_as_of);
        options.out_dir = m_out;
        options.threads = m_threads;
        options.language = lang_option(m_lang);
        context.language = options.language.value_or(campaign_language(options.campaign.string()));
        if (!m_formats.empty()) {
            auto& layers = options.layers;
            layers.geojson = layers.gpkg = layers.fgb = false;
            for (const auto& format : m_formats) {
                layers.geojson |= format == "geojson";
                layers.gpkg |= format == "gpkg";
                layers.fgb |= format == "fgb";
            }
        }
        if (!m_villages.empty()) options.files.villages = m_villages;
        if (!m_commitments.empty()) options.files.commitments = m_commitments;
        for (const auto& s : m_stations) options.files.stations.emplace_back(s);
        if (!m_operator.empty()) options.files.operator_code = m_operator;

        const auto started = std::chrono::steady_clock::now();
        options.reports.todo_csv = m_todo;
        const auto result = pipeline::run_analysis(options, context.progress());
        const auto& analysis = result.analysis;
        // Warnings go to stderr: stdout carries the headline (or progress.json) for scripts.
        context.print_warnings(result.diagnostics.problems());
        if (m_json) {
            context.out << emit::progress_json(analysis).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
            return ExitCode::ok;
        }
        context.out << emit::headline(analysis) << '\n';
        if (!context.quiet) {
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            const Language lang = analysis.campaign.locale;
            context.out << emit::tr("cli.analysed", lang,
                                    {{"villages", std::to_string(analysis.villages.size())},
                                     {"commitments", std::to_string(analysis.commitments.size())},
                                     {"cells", std::to_string(analysis.cells.size())},
                                     {"seconds", emit::format_decimal(seconds, 2, lang)}})
                        << '\n'
                        << emit::tr("cli.outputs", lang,
                                    {{"dir", escape_for_terminal(m_out)},
                                     {"report", escape_for_terminal((fs::path{m_out} / "report.html").string())}})
                        << '\n';
        }
        return ExitCode::ok;
    }

private:
    std::string m_lang;
    std::string m_dir;
    std::string m_campaign;
    std::string m_villages;
    std::string m_commitments;
    std::vector<std::string> m_stations;
    std::string m_operator;
    std::string m_as_of;
    std::string m_out;
    bool m_todo = false;
    int m_threads = 0;
    std::vector<std::string> m_formats;
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> make_analyze_command() {
    return std::make_unique<AnalyzeCommand>();
}

} // namespace deadzone::cli
