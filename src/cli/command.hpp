// One class per subcommand (osmium-tool style): setup() declares options and opens nothing,
// run() works. All commands are listed in commands.cpp.
#pragma once

#include <deadzone/core/language.hpp>
#include <optional>

#include <deadzone/cli/cli.hpp>
#include <deadzone/core/date.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/core/progress.hpp>

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <memory>
#include <vector>

namespace deadzone::cli {

struct Context {
    std::ostream& out;
    std::ostream& err;
    bool quiet = false;    // --quiet: no progress bar, no informational lines
    bool terminal = false; // stderr is a terminal: progress bars are drawn
    bool json = false;     // --json: stdout carries exactly one JSON document, even on failure
    /// The language of problem explanations (--lang, else the campaign's locale): set by the
    /// command once it knows it; problem codes, files, rows and fields are the same in both.
    Language language = Language::en;

    /// A progress reporter drawing a bar on stderr when on a terminal and not quiet.
    Progress progress() const;
    /// Prints problems one per line (errors on stderr, warnings on stdout, as `check` does) or
    /// as a JSON array (machine) and a summary line.
    void print_problems(const std::vector<Problem>& problems, bool json) const;
    /// Prints warnings and a summary line on stderr only, so stdout keeps the command's result
    /// (a headline, a table or one JSON document).
    void print_warnings(const std::vector<Problem>& problems) const;
};

class Command {
public:
    virtual ~Command() = default;
    virtual const char* name() const = 0;
    virtual const char* summary() const = 0;
    /// Declares options on `app`; must not open files.
    virtual void setup(CLI::App& app) = 0;
    /// Does the work; returns the exit code (exceptions are mapped by the caller).
    virtual int run(Context& context) = 0;
};

// Factories, one per file command_<name>.cpp.
std::unique_ptr<Command> make_check_command();
std::unique_ptr<Command> make_pathloss_command();
std::unique_ptr<Command> make_analyze_command();
std::unique_ptr<Command> make_init_command();
std::unique_ptr<Command> make_import_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_export_command();
std::unique_ptr<Command> make_history_command();

std::vector<std::unique_ptr<Command>> all_commands();

/// Parses a YYYY-MM-DD option value or throws UsageError naming the option.
Date parse_date_option(const std::string& option, const std::string& value);

/// Adds --lang en|vi: the language of the human outputs, over the campaign's `locale`.
CLI::Option* add_lang_option(CLI::App& app, std::string& lang);
/// The --lang value, or nullopt when not given.
std::optional<Language> lang_option(const std::string& lang);
/// The `locale` a campaign file (or folder holding campaign.json) declares, read before the
/// campaign is checked so that its problems are explained in its language; en when the file
/// cannot be read or says nothing valid (its problems then speak for themselves).
Language campaign_language(const std::string& campaign);

/// Adds --threads N (a whole number, 0 = all cores) with a message that says so.
CLI::Option* add_threads_option(CLI::App& app, int& threads);

} // namespace deadzone::cli
