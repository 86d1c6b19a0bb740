#include "command.hpp"
#include "store_analysis.hpp"

#include <deadzone/emit/reports.hpp>
#include <deadzone/pipeline.hpp>

#include <fmt/format.h>

#include <ostream>

namespace deadzone::cli {

namespace {

class ExportCommand final : public Command {
public:
    const char* name() const override { return "export"; }
    const char* summary() const override {
        return "Write the same layers and reports as 'analyze' from a store, as of a date and as known at an upload";
    }

    void setup(CLI::App& app) override {
        app.add_option("store", m_store, "The store")->required();
        app.add_option("--as-of", m_as_of, "The date to judge (YYYY-MM-DD)")->required();
        app.add_option("--known-at", m_known_at,
                       "Replay the store as it was after this upload: an upload id, or a UTC time / date");
        app.add_option("--out", m_out, "Output folder")->required();
        app.add_flag("--todo", m_todo, "Also write each province's to-do list as todo_NN_<province>.csv");
    }

    int run(Context& context) override {
        const Date as_of = parse_date_option("--as-of", m_as_of);
        const auto result = analyze_store(m_store, as_of, m_known_at, context);
        emit::ReportOptions reports;
        reports.todo_csv = m_todo;
        pipeline::write_outputs(result.analysis, m_out, {}, context.progress().sub(0.9, 1.0), reports);
        if (!result.analysis.diagnostics.problems().empty() && !context.quiet) {
            context.print_problems(result.analysis.diagnostics.problems(), false);
        }
        context.out << fmt::format("Store {}, {}\n{}\n", m_store, describe_known_at(result.known_at),
                                   emit::headline(result.analysis));
        if (!context.quiet) {
            context.out << fmt::format("Outputs in {}/\n", m_out);
        }
        return ExitCode::ok;
    }

private:
    std::string m_store;
    std::string m_as_of;
    std::string m_known_at;
    std::string m_out;
    bool m_todo = false;
};

} // namespace

std::unique_ptr<Command> make_export_command() {
    return std::make_unique<ExportCommand>();
}

} // namespace deadzone::cli
