#include "command.hpp"

#include <deadzone/core/text.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/pipeline/store_analysis.hpp>

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
        add_threads_option(app, m_threads);
        add_lang_option(app, m_lang);
        app.add_flag("--todo", m_todo, "Also write each province's to-do list as todo_NN_<province>.csv");
    }

    int run(Context& context) override {
        pipeline::StoreAnalysisOptions options;
        options.store = m_store;
        options.as_of = parse_date_option("--as-of", m_as_of);
        options.known_at = m_known_at;
        options.threads = m_threads;
        options.language = lang_option(m_lang);
        options.reports.todo_csv = m_todo;
        const auto result = pipeline::export_store(options, m_out, context.progress());
        if (!context.quiet) {
            context.print_warnings(result.analysis.diagnostics.problems());
        }
        context.out << fmt::format("Store {}, {}\n{}\n", escape_for_terminal(m_store), escape_for_terminal(pipeline::describe_known_at(result.known_at)),
                                   emit::headline(result.analysis));
        if (!context.quiet) {
            context.out << fmt::format("Outputs in {}/\n", escape_for_terminal(m_out));
        }
        return ExitCode::ok;
    }

private:
    std::string m_lang;
    std::string m_store;
    std::string m_as_of;
    std::string m_known_at;
    std::string m_out;
    int m_threads = 0;
    bool m_todo = false;
};

} // namespace

std::unique_ptr<Command> make_export_command() {
    return std::make_unique<ExportCommand>();
}

} // namespace deadzone::cli
