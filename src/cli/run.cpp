#include "command.hpp"

#include <deadzone/cli/cli.hpp>
#include <deadzone/core/date.hpp>
#include <deadzone/core/text.hpp>
#include <deadzone/emit/locale.hpp>
#include <deadzone/pipeline/problems.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace deadzone::cli {

CLI::Option* add_lang_option(CLI::App& app, std::string& lang) {
    return app.add_option("--lang", lang, "Language of what people read (report.html/report.md, the headline, the "
                                          "QGIS legends, problem explanations): en or vi (default: the campaign's "
                                          "locale); machine outputs and problem codes stay English")
        ->check(CLI::IsMember({"en", "vi"}));
}

std::optional<Language> lang_option(const std::string& lang) {
    return lang.empty() ? std::nullopt : parse_language(lang);
}

Language campaign_language(const std::string& campaign) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::path path = fs::is_directory(campaign, error) ? fs::path{campaign} / "campaign.json" : fs::path{campaign};
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Language::en;
    }
    const auto document = nlohmann::json::parse(in, nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("locale") ||
        !document["locale"].is_string()) {
        return Language::en;
    }
    return parse_language(document["locale"].get<std::string>()).value_or(Language::en);
}

Date parse_date_option(const std::string& option, const std::string& value) {
    const auto date = Date::parse(value);
    if (!date) {
        // Says why: not a date at all, or a date outside the years deadzone accepts (1990-2100).
        throw UsageError(fmt::format("{}: {}", option, Date::parse_problem(value)));
    }
    return *date;
}

Progress Context::progress() const {
    if (quiet || !terminal) {
        return Progress{};
    }
    std::ostream* stream = &err;
    auto last = std::make_shared<int>(-1);
    return Progress{[stream, last](double fraction, std::string_view message) {
        const int percent = static_cast<int>(fraction * 100.0);
        if (percent != *last) {
            *last = percent;
            const int filled = percent / 5;
            *stream << '\r' << '[' << std::string(static_cast<std::size_t>(filled), '=')
                    << std::string(static_cast<std::size_t>(20 - filled), ' ') << "] "
                    << fmt::format("{:3d}% ", percent) << fmt::format("{:<40.40}", escape_for_terminal(message));
            if (percent >= 100) {
                *stream << "\r" << std::string(70, ' ') << "\r";
            }
            stream->flush();
        }
        return true;
    }};
}

void Context::print_problems(const std::vector<Problem>& problems, bool json) const {
    std::size_t errors = 0;
    for (const auto& problem : problems) {
        errors += problem.severity == Severity::error ? 1 : 0;
    }
    if (json) {
        out << pipeline::problems_json(problems).dump(2) << '\n';
        return;
    }
    for (const auto& problem : problems) {
        (problem.severity == Severity::error ? err : out) << emit::problem_text(problem, language) << '\n';
    }
    if (!problems.empty()) {
        err << emit::problem_summary(errors, problems.size() - errors, language) << '\n';
    }
}

void Context::print_warnings(const std::vector<Problem>& problems) const {
    if (problems.empty()) {
        return;
    }
    Context to_stderr{err, err, quiet, terminal, json, language};
    to_stderr.print_problems(problems, false);
}

CLI::Option* add_threads_option(CLI::App& app, int& threads) {
    // CLI11's number validators print their range (up to 1.8e308 written out): say what is wanted.
    const CLI::Validator whole_number{[](std::string& value) -> std::string {
                                          int n = -1;
                                          const auto* end = value.data() + value.size();
                                          const auto [ptr, ec] = std::from_chars(value.data(), end, n);
                                          if (ec != std::errc{} || ptr != end || n < 0) {
                                              return "must be a whole number of threads (0 = all cores), not '" +
                                                     value + "'";
                                          }
                                          return {};
                                      },
                                      "N"};
    return app.add_option("--threads", threads, "Worker threads, a whole number (0 = all cores)")->check(whole_number);
}

namespace {

/// The error document --json prints on stdout when a command fails, so that stdout is one JSON
/// document whatever happens.
void print_json_error(std::ostream& out, int exit_code, const std::string& code, const std::string& message,
                      const std::vector<Problem>& problems = {}) {
    nlohmann::ordered_json doc;
    doc["ok"] = false;
    doc["exit_code"] = exit_code;
    doc["error"] = {{"code", code}, {"message", message}};
    doc["problems"] = pipeline::problems_json(problems);
    out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

std::string command_list(const std::vector<std::unique_ptr<Command>>& commands) {
    std::string list;
    for (const auto& command : commands) {
        list += (list.empty() ? "" : ", ") + std::string{command->name()};
    }
    return list;
}

/// "deadzone frobnicate" or a bare "deadzone": CLI11 says only "A subcommand is required".
std::string unknown_command(int argc, const char* const* argv, const std::vector<std::unique_ptr<Command>>& commands) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h" || arg == "--version") {
            return {};
        }
        if (!arg.empty() && arg[0] == '-') {
            continue;
        }
        const bool known = std::any_of(commands.begin(), commands.end(),
                                       [&arg](const auto& command) { return arg == command->name(); });
        return known ? std::string{}
                     : "unknown command '" + arg + "'; the commands are: " + command_list(commands);
    }
    return "no command given; the commands are: " + command_list(commands);
}

/// The one place library errors become exit codes and messages (and, with --json, a document).
int map_error(const std::exception_ptr& error, const Context& context) {
    std::ostream& out = context.out;
    std::ostream& err = context.err;
    try {
        std::rethrow_exception(error);
    } catch (const UsageError& e) {
        err << "deadzone: " << escape_for_terminal(e.what()) << "\n";
        if (context.json) {
            print_json_error(out, ExitCode::usage_error, "usage_error", e.what());
        }
        return ExitCode::usage_error;
    } catch (const InputError& e) {
        if (context.json) {
            Context to_stderr{err, err, context.quiet, context.terminal, true, context.language};
            to_stderr.print_problems(e.problems(), false);
            print_json_error(out, ExitCode::input_rejected, "input_rejected", "input rejected", e.problems());
        } else {
            context.print_problems(e.problems(), false);
        }
        return ExitCode::input_rejected;
    } catch (const Cancelled&) {
        err << "deadzone: cancelled\n";
        if (context.json) {
            print_json_error(out, ExitCode::failure, "cancelled", "cancelled");
        }
        return ExitCode::failure;
    } catch (const std::exception& e) {
        err << "deadzone: " << escape_for_terminal(e.what()) << "\n";
        if (context.json) {
            print_json_error(out, ExitCode::failure, "failure", e.what());
        }
        return ExitCode::failure;
    }
}

} // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"deadzone — tracks mobile coverage of dead-zone villages against operators' "
                 "commitments and milestones"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string{"deadzone 0.1.0"});
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "No progress bar and no informational messages");

    auto commands = all_commands();
    std::vector<std::pair<CLI::App*, Command*>> subs;
    for (auto& command : commands) {
        auto* sub = app.add_subcommand(command->name(), command->summary());
        sub->add_flag("-q,--quiet", quiet, "No progress bar and no informational messages");
        command->setup(*sub);
        subs.emplace_back(sub, command.get());
    }

    Context context{out, err, false, isatty(STDERR_FILENO) == 1};
    context.json = std::any_of(argv + std::min(argc, 1), argv + argc,
                               [](const char* arg) { return std::string_view{arg} == "--json"; });
    if (const auto problem = unknown_command(argc, argv, commands); !problem.empty()) {
        err << "deadzone: " << problem << "\nRun 'deadzone --help' for usage.\n";
        if (context.json) {
            print_json_error(out, ExitCode::usage_error, "usage_error", problem);
        }
        return ExitCode::usage_error;
    }
    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::Success& e) {
            // --help / --version
            app.exit(e, out, err);
            return ExitCode::ok;
        } catch (const CLI::ParseError& e) {
            err << "deadzone: " << escape_for_terminal(e.what()) << "\n";
            if (!app.get_subcommands().empty()) {
                err << "Run 'deadzone " << app.get_subcommands().front()->get_name()
                    << " --help' for usage.\n";
            } else {
                err << "Run 'deadzone --help' for usage.\n";
            }
            if (context.json) {
                print_json_error(out, ExitCode::usage_error, "usage_error", e.what());
            }
            return ExitCode::usage_error;
        }
        context.quiet = quiet;
        for (auto& [sub, command] : subs) {
            if (sub->parsed()) {
                return command->run(context);
            }
        }
        return ExitCode::usage_error;
    } catch (...) {
        return map_error(std::current_exception(), context);
    }
}

} // namespace deadzone::cli
