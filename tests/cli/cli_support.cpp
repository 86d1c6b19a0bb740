#include "cli_support.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace deadzone::test {

namespace {
std::string quote(const std::string& arg) {
    std::string quoted = "'";
    for (char c : arg) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    return quoted + "'";
}
} // namespace

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in{file, std::ios::binary};
    if (!in) {
        throw std::runtime_error("cannot read " + file.string());
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

TempDir::TempDir(const std::string& prefix) {
    std::random_device device;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = std::filesystem::temp_directory_path() /
                         (prefix + "-" + std::to_string(device()));
        if (std::filesystem::create_directory(candidate)) {
            m_path = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

namespace {
RunResult run(const std::vector<std::string>& args, const std::string& prefix) {
    TempDir capture{"deadzone-run"};
    std::string command = prefix + quote(DEADZONE_BINARY);
    for (const auto& arg : args) {
        command += " " + quote(arg);
    }
    const auto out_file = capture.path() / "out";
    const auto err_file = capture.path() / "err";
    command += " >" + quote(out_file.string()) + " 2>" + quote(err_file.string()) + " </dev/null";
    const int status = std::system(command.c_str());
    RunResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = read_file(out_file);
    result.err = read_file(err_file);
    return result;
}
} // namespace

RunResult run_deadzone(const std::vector<std::string>& args) { return run(args, ""); }

RunResult run_deadzone_with_file_limit(const std::vector<std::string>& args, long bytes) {
    // sh's `ulimit -f` counts 512-byte blocks; an ignored signal stays ignored across exec.
    return run(args, "trap '' XFSZ; ulimit -f " + std::to_string((bytes + 511) / 512) + " && exec ");
}

} // namespace deadzone::test
