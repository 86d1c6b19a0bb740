// Helpers for end-to-end tests: run the real deadzone binary, capture stdout, stderr and the
// exit code, and read files back.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace deadzone::test {

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs DEADZONE_BINARY with `args` (each shell-quoted) in the current directory.
RunResult run_deadzone(const std::vector<std::string>& args);

/// The same with no file it writes allowed past `bytes` (RLIMIT_FSIZE, SIGXFSZ ignored): every
/// write past it fails with EFBIG, as on a full disk.
RunResult run_deadzone_with_file_limit(const std::vector<std::string>& args, long bytes);

/// A fresh empty folder under the system temp dir, removed when the object dies.
class TempDir {
public:
    explicit TempDir(const std::string& prefix = "deadzone-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return m_path; }

private:
    std::filesystem::path m_path;
};

std::string read_file(const std::filesystem::path& file);

} // namespace deadzone::test
