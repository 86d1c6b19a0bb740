#include "command.hpp"

namespace deadzone::cli {

std::unique_ptr<Command> make_viewshed_command(); // command_viewshed.cpp
std::unique_ptr<Command> make_serve_command();    // command_serve.cpp
std::unique_ptr<Command> make_token_command();    // command_token.cpp

std::vector<std::unique_ptr<Command>> all_commands() {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(make_check_command());
    commands.push_back(make_analyze_command());
    commands.push_back(make_pathloss_command());
    commands.push_back(make_init_command());
    commands.push_back(make_import_command());
    commands.push_back(make_report_command());
    commands.push_back(make_export_command());
    commands.push_back(make_history_command());
    commands.push_back(make_viewshed_command());
    commands.push_back(make_serve_command());
    commands.push_back(make_token_command());
    return commands;
}

} // namespace deadzone::cli
