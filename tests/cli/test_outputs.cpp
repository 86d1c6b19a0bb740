// Output folders with real processes: every hostile --out of tests/data/hostile/out_*.txt is
// refused with exit 2 and changes no byte anywhere; a folder deadzone wrote is replaced whole;
// concurrent runs into one folder leave one complete set.
//
// Case files: '#' comments, then `setup` lines run in order in a scratch folder holding
// `campaign/` (a copy of tests/data/tiny), one `run` line (the deadzone arguments, split on
// spaces, "" = an empty argument) and one `expect CODE TEXT` line (TEXT must be in stderr).
#include "cli_support.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using deadzone::test::read_file;
using deadzone::test::run_deadzone;
using deadzone::test::run_deadzone_with_file_limit;
using deadzone::test::RunResult;
using deadzone::test::TempDir;
namespace fs = std::filesystem;

namespace {

const fs::path tiny = fs::path{DEADZONE_TEST_DATA} / "tiny";

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream in{line};
    std::string word;
    while (in >> word) {
        words.push_back(word == "\"\"" ? std::string{} : word);
    }
    return words;
}

/// Every entry under `root` (symlinks not followed): path → content, "<dir>" or "-> target".
std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> files;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
        const auto relative = fs::relative(it->path(), root).string();
        if (it->is_symlink()) {
            files[relative] = "-> " + fs::read_symlink(it->path()).string();
        } else if (it->is_directory()) {
            files[relative] = "<dir>";
        } else {
            files[relative] = read_file(it->path());
        }
    }
    return files;
}

/// Runs deadzone with the scratch folder as working directory.
RunResult run_in(const fs::path& dir, const std::vector<std::string>& args) {
    const auto previous = fs::current_path();
    fs::current_path(dir);
    auto result = run_deadzone(args);
    fs::current_path(previous);
    return result;
}

void setup_step(const fs::path& dir, const std::vector<std::string>& w) {
    const std::string& what = w.at(0);
    if (what == "mkdir") {
        fs::create_directories(dir / w.at(1));
    } else if (what == "write") {
        std::ofstream{dir / w.at(1)} << "someone's own file\n";
    } else if (what == "copy") {
        fs::copy_file(dir / w.at(1), dir / w.at(2));
    } else if (what == "symlink") {
        fs::create_symlink(w.at(1), dir / w.at(2));
    } else if (what == "hardlink") {
        fs::create_hard_link(dir / w.at(1), dir / w.at(2));
    } else if (what == "marker") {
        std::ofstream marker{dir / w.at(1) / ".deadzone-output"};
        marker << "deadzone output folder\n";
        for (std::size_t i = 2; i < w.size(); ++i) {
            marker << w[i] << '\n';
        }
    } else if (what == "init") {
        const auto r = run_in(dir, {"init", w.at(1), "--campaign", "campaign/campaign.json", "--quiet"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    } else if (what == "analyze") {
        const auto r = run_in(dir, {"analyze", "campaign", "--as-of", "2022-07-15", "--out", w.at(1), "--quiet"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    } else {
        FAIL("unknown setup step " << what);
    }
}

} // namespace

TEST_CASE("outputs: every hostile --out is refused, exit 2, nothing changed anywhere") {
    std::vector<fs::path> cases;
    for (const auto& entry : fs::directory_iterator(fs::path{DEADZONE_TEST_DATA} / "hostile")) {
        if (entry.path().filename().string().rfind("out_", 0) == 0) {
            cases.push_back(entry.path());
        }
    }
    std::sort(cases.begin(), cases.end());
    REQUIRE(cases.size() >= 15);
    for (const auto& file : cases) {
        CAPTURE(file.filename().string());
        TempDir scratch{"deadzone-hostile-out"};
        fs::copy(tiny, scratch.path() / "campaign", fs::copy_options::recursive);
        std::vector<std::string> run;
        int expected_code = -1;
        std::string expected_text;
        std::ifstream in{file};
        for (std::string line; std::getline(in, line);) {
            if (line.empty() || line[0] == '#') {
                continue;
            }
            auto words = split(line);
            const std::string kind = words.front();
            words.erase(words.begin());
            if (kind == "setup") {
                setup_step(scratch.path(), words);
            } else if (kind == "run") {
                run = words;
            } else if (kind == "expect") {
                expected_code = std::stoi(words.at(0));
                expected_text = line.substr(line.find(words.at(0)) + words.at(0).size() + 1);
            }
        }
        REQUIRE(!run.empty());
        const auto before = snapshot(scratch.path());
        const auto result = run_in(scratch.path(), run);
        INFO(result.err);
        CHECK(result.exit_code == expected_code);
        CHECK(result.err.find(expected_text) != std::string::npos);
        CHECK(result.out.empty());
        CHECK(snapshot(scratch.path()) == before);
    }
}

TEST_CASE("outputs: a folder deadzone wrote is replaced whole by the next run") {
    TempDir scratch{"deadzone-out-replace"};
    const auto out = scratch.path() / "a" / "b" / "out"; // missing parents are created
    const auto first = run_deadzone({"analyze", tiny.string(), "--as-of", "2022-07-15", "--out", out.string(),
                                     "--quiet", "--format", "geojson", "gpkg"});
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    CHECK(fs::exists(out / "deadzone.gpkg"));
    const auto marker = read_file(out / ".deadzone-output");
    CHECK(marker.find("\nvillages.geojson\n") != std::string::npos);
    CHECK(marker.find("\ndeadzone.gpkg\n") != std::string::npos);

    // The second set has no GeoPackage: the folder holds exactly the new set, nothing stale.
    const auto second = run_deadzone({"analyze", tiny.string(), "--as-of", "2022-07-30", "--out", out.string(),
                                      "--quiet", "--format", "geojson"});
    REQUIRE_MESSAGE(second.exit_code == 0, second.err);
    CHECK_FALSE(fs::exists(out / "deadzone.gpkg"));
    CHECK(read_file(out / "progress.json").find("\"as_of\": \"2022-07-30\"") != std::string::npos);
    // Nothing is left beside the folder (no staging folder, no old set).
    std::vector<std::string> beside;
    for (const auto& entry : fs::directory_iterator(out.parent_path())) {
        beside.push_back(entry.path().filename().string());
    }
    CHECK(beside == std::vector<std::string>{"out"});

    // Through a symlink: the real folder is replaced, the link stays a link.
    fs::create_symlink(out, scratch.path() / "link");
    const auto third = run_deadzone({"analyze", tiny.string(), "--as-of", "2022-06-30", "--out",
                                     (scratch.path() / "link").string(), "--quiet"});
    REQUIRE_MESSAGE(third.exit_code == 0, third.err);
    CHECK(fs::is_symlink(scratch.path() / "link"));
    CHECK(read_file(out / "progress.json").find("\"as_of\": \"2022-06-30\"") != std::string::npos);
}

TEST_CASE("outputs: a run that cannot write (a full disk) exits 3 and leaves the earlier set whole") {
    TempDir scratch{"deadzone-out-full"};
    const auto out = scratch.path() / "out";
    const auto first = run_deadzone({"analyze", tiny.string(), "--as-of", "2022-07-15", "--out", out.string(), "--quiet"});
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    const auto earlier = snapshot(out);
    // Files up to 4 kB can be written, the larger layers and reports cannot: the failure comes
    // part way through the set.
    const auto full = run_deadzone_with_file_limit(
        {"analyze", tiny.string(), "--as-of", "2022-07-30", "--out", out.string(), "--quiet"}, 4096);
    CAPTURE(full.err);
    CHECK(full.exit_code == 3);
    CHECK(full.err.find(out.string() + "/") != std::string::npos); // names a file of the folder asked for
    CHECK(full.err.find("deadzone-new") == std::string::npos);      // not the staging folder
    CHECK(snapshot(out) == earlier);
    std::vector<std::string> beside;
    for (const auto& entry : fs::directory_iterator(scratch.path())) {
        beside.push_back(entry.path().filename().string());
    }
    CHECK(beside == std::vector<std::string>{"out"});
}

TEST_CASE("outputs: a folder named with 250 bytes (the file system allows 255) is written and replaced") {
    TempDir scratch{"deadzone-out-long"};
    const auto out = scratch.path() / std::string(250, 'o');
    for (const char* as_of : {"2022-07-15", "2022-07-30"}) { // created, then replaced whole
        const auto r = run_deadzone({"analyze", tiny.string(), "--as-of", as_of, "--out", out.string(), "--quiet"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        CHECK(read_file(out / "progress.json").find(std::string{"\"as_of\": \""} + as_of) != std::string::npos);
    }
    std::vector<std::string> beside;
    for (const auto& entry : fs::directory_iterator(scratch.path())) {
        beside.push_back(entry.path().filename().string());
    }
    CHECK(beside == std::vector<std::string>{out.filename().string()});
}

TEST_CASE("outputs: an existing empty folder is used") {
    TempDir out{"deadzone-out-empty"};
    const auto r = run_deadzone({"analyze", tiny.string(), "--as-of", "2022-07-15", "--out", out.path().string(), "--quiet"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(fs::exists(out.path() / "commitments.geojson"));
    CHECK(fs::exists(out.path() / ".deadzone-output"));
}

TEST_CASE("outputs: concurrent runs into one folder leave one complete set, never a mix") {
    TempDir scratch{"deadzone-out-race"};
    const auto reference = [&](const char* as_of) {
        const auto dir = scratch.path() / (std::string{"ref-"} + as_of);
        const auto r = run_deadzone({"analyze", tiny.string(), "--as-of", as_of, "--out", dir.string(), "--quiet"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        return snapshot(dir);
    };
    const auto june = reference("2022-06-30");
    const auto july = reference("2022-07-30");
    REQUIRE(june != july);
    const auto shared = scratch.path() / "shared";
    for (int round = 0; round < 3; ++round) {
        std::vector<std::thread> runs;
        std::vector<int> codes(4, -1);
        for (int i = 0; i < 4; ++i) {
            runs.emplace_back([&, i] {
                codes[static_cast<std::size_t>(i)] =
                    run_deadzone({"analyze", tiny.string(), "--as-of", i % 2 == 0 ? "2022-06-30" : "2022-07-30",
                                  "--out", shared.string(), "--quiet"})
                        .exit_code;
            });
        }
        for (auto& run : runs) {
            run.join();
        }
        CAPTURE(round);
        CHECK(codes == std::vector<int>(4, 0));
        const auto now = snapshot(shared);
        CHECK((now == june || now == july));
    }
    std::vector<std::string> beside;
    for (const auto& entry : fs::directory_iterator(scratch.path())) {
        beside.push_back(entry.path().filename().string());
    }
    std::sort(beside.begin(), beside.end());
    CHECK(beside == std::vector<std::string>{"ref-2022-06-30", "ref-2022-07-30", "shared"});
}
