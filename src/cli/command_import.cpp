#include "command.hpp"

#include <deadzone/core/text.hpp>
#include <deadzone/store/import_report.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>

#include <ostream>

namespace deadzone::cli {

namespace {

class ImportCommand final : public Command {
public:
    const char* name() const override { return "import"; }
    const char* summary() const override {
        return "Upload villages, commitments, one operator's stations or field measurements into a store (all or "
               "nothing)";
    }

    void setup(CLI::App& app) override {
        app.add_option("store", m_store, "The store (made by 'deadzone init')")->required();
        auto* villages = app.add_option("--villages", m_villages, "Villages file: the full current list");
        auto* commitments = app.add_option("--commitments", m_commitments, "Commitments file: the full current list");
        auto* stations = app.add_option("--stations", m_stations, "One operator's station file (one row per cell)");
        auto* measurements = app.add_option("--measurements", m_measurements,
                                            "Field measurement file (drive test, crowdsourced samples)");
        villages->excludes(commitments)->excludes(stations)->excludes(measurements);
        commitments->excludes(stations)->excludes(measurements);
        stations->excludes(measurements);
        app.add_option("--operator", m_operator,
                       "The operator whose stations these are (required with --stations); with --measurements: "
                       "every sample is this operator's and replace ends only its samples (without it the file "
                       "may hold any operator's samples)");
        app.add_option("--mode", m_mode,
                       "replace: the file is the full current list, records missing from it are ended (default); "
                       "upsert: add and update the listed records only")
            ->check(CLI::IsMember({"replace", "upsert"}));
        add_lang_option(app, m_lang);
        app.add_flag("--allow-empty", m_allow_empty,
                     "Accept a replace upload with no records, which ends every current record it covers");
        app.add_flag("--json", m_json,
                     "Print the import report as JSON (the document POST /api/uploads answers); a refused "
                     "upload prints the problems (file, row, field, code) and exits 1");
    }

    int run(Context& context) override {
        const int given = !m_villages.empty() + !m_commitments.empty() + !m_stations.empty() + !m_measurements.empty();
        if (given != 1) {
            throw UsageError("import: give exactly one of --villages F, --commitments F, --stations F --operator OP, "
                             "--measurements F [--operator OP]");
        }
        if (!m_stations.empty() && m_operator.empty()) {
            throw UsageError("import: --stations needs --operator OP (an upload holds one operator's cells)");
        }
        if (m_stations.empty() && m_measurements.empty() && !m_operator.empty()) {
            throw UsageError("import: --operator applies to --stations and --measurements only");
        }
        store::ImportOptions options;
        options.mode = *store::parse_import_mode(m_mode);
        options.allow_empty = m_allow_empty;

        auto store = store::open_store(m_store);
        context.language = lang_option(m_lang).value_or(store->campaign().locale);
        const auto progress = context.progress();
        store::ImportResult result;
        try {
            if (!m_villages.empty()) {
                result = store::import_villages(*store, m_villages, options, progress);
            } else if (!m_commitments.empty()) {
                result = store::import_commitments(*store, m_commitments, options, progress);
            } else if (!m_stations.empty()) {
                result = store::import_stations(*store, m_stations, m_operator, options, progress);
            } else {
                result = store::import_measurements(*store, m_measurements, m_operator, options, progress);
            }
        } catch (const InputError& e) {
            throw with_flag_hints(e);
        }
        if (m_json) {
            // stdout is the report alone (warnings included in it); stderr shows the warnings too.
            context.print_warnings(result.warnings);
            context.out << store::json_text(store::import_report_json(result));
            return ExitCode::ok;
        }
        if (!result.warnings.empty()) {
            context.print_problems(result.warnings, false);
        }
        const auto counts = fmt::format("{} added, {} changed, {} ended, {} unchanged", result.added, result.changed,
                                        result.ended, result.unchanged);
        if (result.no_op()) {
            context.out << fmt::format("No change: {} holds this content already ({}){}; nothing recorded.\n", escape_for_terminal(m_store),
                                       counts,
                                       result.same_file_as ? fmt::format("; same file as upload #{}", *result.same_file_as)
                                                           : std::string{});
            return ExitCode::ok;
        }
        const auto& upload = *result.upload;
        context.out << fmt::format("Upload #{} at {}: {}{} ({}) from {}: {} rows ({} with warnings): {}.\n", upload.id,
                                   upload.uploaded_at, store::to_string(upload.kind),
                                   upload.operator_code.empty() ? std::string{} : " " + escape_for_terminal(upload.operator_code),
                                   store::to_string(upload.mode), escape_for_terminal(upload.file_name), upload.rows_accepted, upload.rows_warned, counts);
        return ExitCode::ok;
    }

private:
    /// The library names no command-line flag; the command says which one allows what it refused.
    static InputError with_flag_hints(const InputError& e) {
        auto problems = e.problems();
        for (auto& p : problems) {
            if (p.code == "empty_replace") {
                p.message += "; give --allow-empty to do that on purpose";
            }
        }
        return InputError(std::move(problems));
    }

    std::string m_lang;
    std::string m_store;
    std::string m_villages;
    std::string m_commitments;
    std::string m_stations;
    std::string m_measurements;
    std::string m_operator;
    std::string m_mode = "replace";
    bool m_allow_empty = false;
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> make_import_command() {
    return std::make_unique<ImportCommand>();
}

} // namespace deadzone::cli
