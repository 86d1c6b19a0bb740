#include "command.hpp"
#include <deadzone/pipeline/store_analysis.hpp>

#include <deadzone/core/text.hpp>
#include <deadzone/emit/reports.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ostream>

namespace deadzone::cli {

namespace {

std::string milestone_text(const track::MilestoneResult& m) {
    const auto head = fmt::format("{} {:.0f} %: {:.1f} %", m.date.iso(), m.target * 100.0, m.achieved * 100.0);
    if (m.upcoming) {
        return head + (m.forecast_achieved ? fmt::format(" upcoming (forecast {:.1f} %)", *m.forecast_achieved * 100.0)
                                           : std::string{" upcoming"});
    }
    if (!m.met) {
        return head + " not judged"; // no commitments to judge
    }
    return head + (*m.met ? " met" : " MISSED");
}

class ReportCommand final : public Command {
public:
    const char* name() const override { return "report"; }
    const char* summary() const override {
        return "Print the headline and per-operator figures from a store, as of a date and as known at an upload";
    }

    void setup(CLI::App& app) override {
        app.add_option("store", m_store, "The store")->required();
        app.add_option("--as-of", m_as_of, "The date to judge (YYYY-MM-DD)")->required();
        app.add_option("--known-at", m_known_at,
                       "Replay the store as it was after this upload: an upload id, or a UTC time / date "
                       "(the last upload made by then); default: the latest upload");
        app.add_flag("--json", m_json, "Print progress.json (plus the upload it was known at) instead");
        add_threads_option(app, m_threads);
        add_lang_option(app, m_lang);
    }

    int run(Context& context) override {
        pipeline::StoreAnalysisOptions options;
        options.store = m_store;
        options.as_of = parse_date_option("--as-of", m_as_of);
        options.known_at = m_known_at;
        options.threads = m_threads;
        options.language = lang_option(m_lang);
        if (options.language) {
            context.language = *options.language;
        }
        const auto result = pipeline::analyze_store(options, context.progress());
        const auto& analysis = result.analysis;
        context.language = analysis.campaign.locale; // the store campaign's, or --lang
        // Warnings on stderr: with --json, stdout is exactly one JSON document.
        if (!context.quiet) {
            context.print_warnings(analysis.diagnostics.problems());
        }
        if (m_json) {
            context.out << pipeline::report_json(result).dump(2) << '\n';
            return ExitCode::ok;
        }
        auto& out = context.out;
        out << fmt::format("Store {}, {}\n", escape_for_terminal(m_store), escape_for_terminal(pipeline::describe_known_at(result.known_at)));
        out << emit::headline(analysis) << "\n\n";
        const auto& tracking = analysis.tracking;
        out << fmt::format("{:<8} {:>6} {:>8} {:>13} {:>8} {:>8} {:>9}  {}\n", "operator", "total", "covered",
                           "covered_late", "overdue", "pending", "fraction", "milestones");
        auto row = [&out](const track::Group& g) {
            std::string milestones;
            for (const auto& m : g.milestones) {
                milestones += (milestones.empty() ? "" : "; ") + milestone_text(m);
            }
            out << fmt::format("{:<8} {:>6} {:>8} {:>13} {:>8} {:>8} {:>8.1f}%  {}\n", escape_for_terminal(g.key), g.counts.total,
                               g.counts.covered, g.counts.covered_late, g.counts.overdue, g.counts.pending,
                               g.counts.fraction * 100.0, milestones);
        };
        for (const auto& group : tracking.operators) {
            row(group);
        }
        row(tracking.overall);
        return ExitCode::ok;
    }

private:
    std::string m_lang;
    std::string m_store;
    std::string m_as_of;
    std::string m_known_at;
    bool m_json = false;
    int m_threads = 0;
};

} // namespace

std::unique_ptr<Command> make_report_command() {
    return std::make_unique<ReportCommand>();
}

} // namespace deadzone::cli
