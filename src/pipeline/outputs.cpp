// The output folder's guarantees (see docs/ARCHITECTURE.md, "Output folders"):
//  1. nothing deadzone reads (campaign, inputs, a store) is ever inside, or the target of, it;
//  2. only a folder deadzone wrote itself (its marker lists every entry) or an empty one is
//     replaced;
//  3. the set appears whole: written beside the folder, then exchanged with it by one rename.
#include <deadzone/core/text.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/pipeline/outputs.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <system_error>

namespace deadzone::pipeline {

namespace fs = std::filesystem;

namespace {

constexpr const char* marker_title = "deadzone output folder: every file below was written by deadzone; "
                                     "deadzone replaces this folder whole on the next run";

struct FileId {
    dev_t device = 0;
    ino_t inode = 0;
    bool operator==(const FileId&) const = default;
};

std::optional<FileId> file_id(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    return FileId{st.st_dev, st.st_ino};
}

/// Absolute, with symlinks of the existing part resolved and `.`/`..` removed.
fs::path resolved(const fs::path& path) {
    std::error_code ec;
    auto result = fs::weakly_canonical(fs::absolute(path), ec);
    return ec ? fs::absolute(path).lexically_normal() : result;
}

bool is_within(const fs::path& inner, const fs::path& outer) {
    auto o = outer.begin();
    auto i = inner.begin();
    for (; o != outer.end(); ++o, ++i) {
        if (o->empty()) {
            continue; // a trailing separator
        }
        if (i == inner.end() || *i != *o) {
            return false;
        }
    }
    return true;
}

struct Protected {
    fs::path given;
    fs::path path; // resolved
    FileId id;
};

std::vector<Protected> existing(const std::vector<fs::path>& files) {
    std::vector<Protected> result;
    for (const auto& file : files) {
        if (file.empty()) {
            continue;
        }
        if (const auto id = file_id(file)) {
            result.push_back(Protected{file, resolved(file), *id});
        }
    }
    return result;
}

std::set<std::string> marker_entries(const fs::path& marker) {
    std::ifstream in{marker};
    std::set<std::string> names;
    std::string line;
    std::getline(in, line); // the title
    while (std::getline(in, line)) {
        if (!line.empty()) {
            names.insert(line);
        }
    }
    return names;
}

void refuse(const fs::path& out_dir, const std::string& why) {
    throw OutputRefused(fmt::format("output folder '{}' {}; nothing was written", out_dir.string(), why));
}

/// The folder exists: every entry must be listed by its marker and be no input.
void check_existing_folder(const fs::path& out_dir, const fs::path& target, const std::vector<Protected>& inputs) {
    std::vector<fs::path> entries;
    std::error_code ec;
    for (fs::directory_iterator it{target, ec}, end; !ec && it != end; it.increment(ec)) {
        entries.push_back(it->path());
    }
    if (ec) {
        throw Failure(fmt::format("{}: cannot list the output folder: {}", out_dir.string(), ec.message()));
    }
    if (entries.empty()) {
        return;
    }
    std::sort(entries.begin(), entries.end());
    const fs::path marker = target / output_marker;
    if (!fs::is_regular_file(fs::symlink_status(marker))) {
        refuse(out_dir, fmt::format("is not empty and was not written by deadzone (it has no {} marker); "
                                    "give a new or empty folder",
                                    output_marker));
    }
    const auto listed = marker_entries(marker);
    for (const auto& entry : entries) {
        const auto name = entry.filename().string();
        if (name == output_marker) {
            continue;
        }
        const auto id = file_id(entry);
        for (const auto& input : inputs) {
            if (id && *id == input.id) {
                refuse(out_dir, fmt::format("holds '{}', which is the input {} (a link to it)", name,
                                            input.given.string()));
            }
        }
        if (listed.count(name) == 0 || !fs::is_regular_file(fs::symlink_status(entry))) {
            refuse(out_dir, fmt::format("holds '{}', which deadzone did not write; move it away or give "
                                        "another folder",
                                        name));
        }
    }
}

std::atomic<unsigned> staging_counter{0};
// The output folder's name as far as it goes into the staging folder's: with the dot, the suffix,
// a pid, a counter and ".old", the whole stays under the 255 bytes of a file name.
constexpr std::size_t staging_name_bytes = 160;

/// Staging folders left by a run that was killed: removed when their process is gone.
void remove_stale_staging(const fs::path& parent, const std::string& name) {
    const std::string prefix = "." + bounded_name(name, staging_name_bytes) + ".deadzone-new-";
    std::error_code ec;
    for (fs::directory_iterator it{parent, ec}, end; !ec && it != end; it.increment(ec)) {
        const auto entry = it->path().filename().string();
        if (entry.rfind(prefix, 0) != 0) {
            continue;
        }
        const long pid = std::strtol(entry.c_str() + prefix.size(), nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
            std::error_code ignored;
            fs::remove_all(it->path(), ignored);
        }
    }
}

void write_marker(const fs::path& staging) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(staging)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    std::ofstream out{staging / output_marker, std::ios::binary};
    out << marker_title << '\n';
    for (const auto& name : names) {
        out << name << '\n';
    }
    out.flush();
    if (!out) {
        throw Failure(fmt::format("{}: cannot write the output marker", staging.string()));
    }
}

/// An advisory lock on the parent folder, held while the folder is checked and swapped, so two
/// deadzone runs never interleave those steps. The parent is never renamed, unlike the folder.
class ParentLock {
public:
    explicit ParentLock(const fs::path& parent) : m_fd(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
        if (m_fd >= 0) {
            ::flock(m_fd, LOCK_EX); // best effort: the swap below is atomic without it
        }
    }
    ~ParentLock() {
        if (m_fd >= 0) {
            ::close(m_fd); // releases the lock
        }
    }
    ParentLock(const ParentLock&) = delete;
    ParentLock& operator=(const ParentLock&) = delete;

private:
    int m_fd;
};

[[noreturn]] void rename_failed(const fs::path& from, const fs::path& to, int error) {
    throw Failure(fmt::format("cannot move the new outputs {} into place as {}: {}", from.string(), to.string(),
                              std::strerror(error)));
}

/// Moves the complete set at `staging` to `target`; the earlier set (if any) ends at `staging`.
void swap_in(const fs::path& staging, const fs::path& target) {
    if (!fs::exists(fs::symlink_status(target))) {
        if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
            return;
        }
        if (errno != EINVAL && errno != ENOSYS) {
            rename_failed(staging, target, errno);
        }
        if (::rename(staging.c_str(), target.c_str()) != 0) {
            rename_failed(staging, target, errno);
        }
        return;
    }
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
        return;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        rename_failed(staging, target, errno);
    }
    // A file system without exchange: two renames. Between them the folder is missing, never
    // mixed; if the second fails the earlier set is put back.
    const fs::path aside = fs::path{staging}.concat(".old");
    if (::rename(target.c_str(), aside.c_str()) != 0) {
        rename_failed(staging, target, errno);
    }
    if (::rename(staging.c_str(), target.c_str()) != 0) {
        const int error = errno;
        ::rename(aside.c_str(), target.c_str());
        rename_failed(staging, target, error);
    }
    ::rename(aside.c_str(), staging.c_str());
}

} // namespace

void check_output_folder(const fs::path& out_dir, const std::vector<fs::path>& protected_files) {
    if (out_dir.empty()) {
        throw OutputRefused("the output folder is an empty path; give a folder name");
    }
    const fs::path target = resolved(out_dir);
    const auto inputs = existing(protected_files);
    for (const auto& input : inputs) {
        if (input.path == target || file_id(target) == std::optional<FileId>{input.id}) {
            refuse(out_dir, fmt::format("is the input {}", input.given.string()));
        }
        if (is_within(input.path, target)) {
            refuse(out_dir, fmt::format("contains the input {}; outputs get a folder of their own",
                                        input.given.string()));
        }
    }
    const auto status = fs::status(target);
    if (!fs::exists(status)) {
        // The first existing ancestor must be a folder (not an input file, not any file).
        for (fs::path up = target.parent_path(); !up.empty(); up = up.parent_path()) {
            if (fs::exists(up)) {
                if (!fs::is_directory(up)) {
                    refuse(out_dir, fmt::format("lies under {}, which is not a folder", up.string()));
                }
                break;
            }
            if (up == up.root_path()) {
                break;
            }
        }
        return;
    }
    if (!fs::is_directory(status)) {
        refuse(out_dir, "exists and is not a folder");
    }
    check_existing_folder(out_dir, target, inputs);
}

void write_outputs(const Analysis& analysis, const fs::path& out_dir, const std::vector<fs::path>& protected_files,
                   const emit::LayerOptions& layers, const Progress& progress, const emit::ReportOptions& reports,
                   const std::shared_future<void>& coverage_ready) {
    check_output_folder(out_dir, protected_files);
    const fs::path target = resolved(out_dir);
    const fs::path parent = target.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) {
        throw Failure(fmt::format("{}: cannot create the folder: {}", parent.string(), ec.message()));
    }
    const std::string name = target.filename().string();
    remove_stale_staging(parent, name);
    const fs::path staging =
        parent / fmt::format(".{}.deadzone-new-{}-{}", bounded_name(name, staging_name_bytes), ::getpid(),
                             staging_counter.fetch_add(1));
    if (!fs::create_directory(staging, ec) || ec) {
        throw Failure(fmt::format("{}: cannot create the staging folder beside the outputs: {}", staging.string(),
                                  ec ? ec.message() : std::string{"it exists"}));
    }
    try {
        emit::write_layers(analysis, staging, layers, progress.sub(0.0, 0.8), coverage_ready);
        progress.report(0.8, "reports");
        emit::write_reports(analysis, staging, reports);
        write_marker(staging);
        {
            const ParentLock lock{parent};
            check_output_folder(out_dir, protected_files); // another process may have changed it
            swap_in(staging, target);
        }
        fs::remove_all(staging, ec); // the earlier set, if there was one
    } catch (const Failure& e) {
        fs::remove_all(staging, ec);
        // The message names the folder the user asked for, not the staging folder that is gone.
        throw Failure(replace_all(e.what(), staging.string(), target.string()));
    } catch (...) {
        fs::remove_all(staging, ec);
        throw;
    }
    progress.report(1.0, "written");
}

std::vector<fs::path> campaign_files(const Campaign& campaign) {
    std::vector<fs::path> files;
    files.push_back(campaign.file);
    if (campaign.villages) files.push_back(*campaign.villages);
    if (campaign.commitments) files.push_back(*campaign.commitments);
    files.insert(files.end(), campaign.stations.begin(), campaign.stations.end());
    files.insert(files.end(), campaign.measurements.begin(), campaign.measurements.end());
    if (campaign.population_raster) files.push_back(*campaign.population_raster);
    if (campaign.terrain_dem) files.push_back(*campaign.terrain_dem);
    return files;
}

std::vector<fs::path> store_files(const std::string& store) {
    std::string path = store;
    if (path.rfind("gpkg:", 0) == 0) {
        path = path.substr(5);
    } else if (path.find("://") != std::string::npos) {
        return {}; // a database server: nothing on this disk to protect
    }
    if (path.empty()) {
        return {};
    }
    return {path, path + "-wal", path + "-shm", path + "-journal"};
}

} // namespace deadzone::pipeline
