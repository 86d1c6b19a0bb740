#include "command.hpp"

#include <deadzone/cli.hpp>
#include <deadzone/date.hpp>
#include <deadzone/geo/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <iostream>
#include <string>

namespace deadzone::cli {

Date parse_date_option(const std::string& option, const std::string& value) {
    const auto date = Date::parse(value);
    if (!date) {
        throw UsageError(fmt::format("{}: '{}' is not a date (YYYY-MM-DD)", option, value));
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
                    << fmt::format("{:3d}% ", percent) << fmt::format("{:<40.40}", geo::escape_for_terminal(message));
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
        auto array = nlohmann::ordered_json::array();
        for (const auto& p : problems) {
            nlohmann::ordered_json item;
            item["severity"] = p.severity == Severity::error ? "error" : "warning";
            item["file"] = p.where.file;
            item["layer"] = p.where.layer.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(p.where.layer);
            item["row"] = p.where.row ? nlohmann::ordered_json(*p.where.row) : nlohmann::ordered_json();
            item["fid"] = p.where.fid ? nlohmann::ordered_json(*p.where.fid) : nlohmann::ordered_json();
            item["field"] = p.field.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(p.field);
            item["code"] = p.code;
            item["message"] = p.message;
            array.push_back(std::move(item));
        }
        out << array.dump(2) << '\n';
        return;
    }
    for (const auto& problem : problems) {
        (problem.severity == Severity::error ? err : out) << problem.to_string() << '\n';
    }
    if (!problems.empty()) {
        err << fmt::format("{} error{}, {} warning{}\n", errors, errors == 1 ? "" : "s",
                           problems.size() - errors, problems.size() - errors == 1 ? "" : "s");
    }
}

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
    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::Success& e) {
            // --help / --version
            app.exit(e, out, err);
            return ExitCode::ok;
        } catch (const CLI::ParseError& e) {
            err << "deadzone: " << geo::escape_for_terminal(e.what()) << "\n";
            if (!app.get_subcommands().empty()) {
                err << "Run 'deadzone " << app.get_subcommands().front()->get_name()
                    << " --help' for usage.\n";
            } else {
                err << "Run 'deadzone --help' for usage.\n";
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
    } catch (const UsageError& e) {
        err << "deadzone: " << geo::escape_for_terminal(e.what()) << "\n";
        return ExitCode::usage_error;
    } catch (const InputError& e) {
        context.print_problems(e.problems(), false);
        return ExitCode::input_rejected;
    } catch (const Cancelled&) {
        err << "deadzone: cancelled\n";
        return ExitCode::failure;
    } catch (const std::exception& e) {
        err << "deadzone: " << geo::escape_for_terminal(e.what()) << "\n";
        return ExitCode::failure;
    }
}

} // namespace deadzone::cli
