#include "command.hpp"

namespace deadzone::cli {

std::vector<std::unique_ptr<Command>> all_commands() {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(make_check_command());
    commands.push_back(make_pathloss_command());
    return commands;
}

} // namespace deadzone::cli
