// The pipeline's library calls in-process (what the CLI and the HTTP service call): analyze,
// check, report and export from a store, the CLI's run() itself, and thread-count independence.
#include <deadzone/cli/cli.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/pipeline/check.hpp>
#include <deadzone/pipeline/pipeline.hpp>
#include <deadzone/pipeline/store_analysis.hpp>
#include <deadzone/store/store.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace deadzone;
namespace fs = std::filesystem;

namespace {

const fs::path data = DEADZONE_TEST_DATA;
const fs::path tiny = data / "tiny";
const fs::path mini = data / "mini";

Date day(const char* text) {
    return *Date::parse(text);
}

struct Scratch {
    fs::path path;
    Scratch() {
        std::random_device device;
        path = fs::temp_directory_path() / ("deadzone-pipeline-" + std::to_string(device()));
        fs::create_directories(path);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string slurp(const fs::path& file) {
    std::ifstream in{file, std::ios::binary};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::map<std::string, std::string> folder(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        files[entry.path().filename().string()] = slurp(entry.path());
    }
    return files;
}

struct CliRun {
    int exit_code;
    std::string out;
    std::string err;
};

CliRun cli_run(std::vector<std::string> args) {
    args.insert(args.begin(), "deadzone");
    std::vector<const char*> argv;
    for (const auto& arg : args) {
        argv.push_back(arg.c_str());
    }
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
}

} // namespace

TEST_CASE("pipeline: run_analysis in-process gives the hand-worked tiny statuses") {
    pipeline::AnalysisOptions options;
    options.campaign = tiny;
    options.as_of = day("2022-08-05");
    options.write_files = false;
    const auto result = pipeline::run_analysis(options);
    const auto& overall = result.analysis.tracking.overall.counts;
    CHECK(overall.covered == 2);
    CHECK(overall.covered_late == 1);
    CHECK(overall.overdue == 3);
    CHECK(overall.pending == 0);
    CHECK(overall.total == 6);
    CHECK(result.diagnostics.problems().empty());
}

TEST_CASE("pipeline: run_analysis refuses an output folder holding its inputs before any work") {
    Scratch scratch;
    fs::copy(tiny, scratch.path / "campaign", fs::copy_options::recursive);
    pipeline::AnalysisOptions options;
    options.campaign = scratch.path / "campaign";
    options.as_of = day("2022-07-15");
    options.out_dir = scratch.path / "campaign";
    CHECK_THROWS_AS(pipeline::run_analysis(options), pipeline::OutputRefused);
    options.out_dir = "";
    CHECK_THROWS_AS(pipeline::run_analysis(options), pipeline::OutputRefused);
    CHECK(slurp(scratch.path / "campaign" / "villages.geojson") == slurp(tiny / "villages.geojson"));
}

TEST_CASE("pipeline: 1 and 2 threads write byte-identical output sets (the sample, end to end)") {
    Scratch scratch;
    std::map<std::string, std::string> sets[2];
    for (int threads = 1; threads <= 2; ++threads) {
        pipeline::AnalysisOptions options;
        options.campaign = fs::path{DEADZONE_SOURCE_DIR} / "geodata" / "campaign_flat.json";
        options.as_of = day("2022-07-30");
        options.out_dir = scratch.path / ("threads-" + std::to_string(threads));
        options.threads = threads;
        pipeline::run_analysis(options);
        sets[threads - 1] = folder(options.out_dir);
    }
    CHECK(sets[0].size() >= 15);
    for (const auto& [name, bytes] : sets[0]) {
        CAPTURE(name);
        CHECK(sets[1].count(name) == 1);
        CHECK(bytes == sets[1][name]);
    }
}

TEST_CASE("pipeline: run_check applies the check policy in-process") {
    pipeline::CheckOptions options;
    options.campaign = mini;
    const auto clean = pipeline::run_check(options);
    CHECK(clean.ok());
    REQUIRE(clean.files.size() == 5);
    CHECK(clean.files[0].kind == "campaign");
    CHECK(clean.files[1].records == 3); // villages
    CHECK(clean.files[2].records == 4); // commitments
    CHECK(clean.files[3].records == 4); // stations.csv

    options.stations = {data / "bad" / "stations_lat_out_of_range.csv"};
    const auto bad = pipeline::run_check(options);
    CHECK_FALSE(bad.ok());
    REQUIRE(bad.files.size() == 2); // the campaign and the one file given
    CHECK(bad.files[1].errors == 1);
    const auto json = pipeline::check_json(bad);
    CHECK(json.at("problems").at(0).at("row") == 3);
    CHECK(json.at("problems").at(0).at("field") == "lat");

    CHECK_THROWS_AS(pipeline::run_check({}), UsageError);
}

TEST_CASE("pipeline: report and export from a store in-process; warnings name the store") {
    Scratch scratch;
    const auto store_file = scratch.path / "mini.gpkg";
    auto init = store::init_store(store_file, mini / "campaign.json");
    const auto stations = scratch.path / "vtl.csv";
    std::ofstream{stations} << "operator,site_id,cell_id,lon,lat,tech,status,on_air_date\n"
                               "VTL,S1,1,104.705,22.605,4G,on_air,2022-06-10\n";
    store::import_stations(*init.store, stations, "VTL");
    init.store.reset();

    pipeline::StoreAnalysisOptions options;
    options.store = store_file.string();
    options.as_of = day("2022-07-30");
    const auto result = pipeline::analyze_store(options);
    CHECK(result.known_at.id == 4);
    const auto& problems = result.analysis.diagnostics.problems();
    REQUIRE(!problems.empty()); // Hata at 1800 MHz is outside 150-1500 MHz
    CHECK(problems.front().where.layer == "campaign");
    CHECK(problems.front().to_string().rfind(store_file.string() + ":campaign: field 'model': warning:", 0) == 0);
    CHECK(pipeline::report_json(result).at("known_at").at("upload") == 4);

    CHECK_THROWS_AS(pipeline::export_store(options, scratch.path), pipeline::OutputRefused); // holds the store
    pipeline::export_store(options, scratch.path / "out");
    CHECK(fs::exists(scratch.path / "out" / "progress.json"));
}

TEST_CASE("pipeline: the CLI runs in-process: check, analyze and report --json") {
    const auto check = cli_run({"check", "--campaign", mini.string(), "--json"});
    CHECK(check.exit_code == 0);
    CHECK(nlohmann::json::parse(check.out).at("ok") == true);

    Scratch scratch;
    const auto analyze = cli_run({"analyze", tiny.string(), "--as-of", "2022-07-15", "--out",
                                  (scratch.path / "out").string(), "--json", "--quiet"});
    CHECK(analyze.exit_code == 0);
    CHECK(nlohmann::json::parse(analyze.out).at("as_of") == "2022-07-15");

    const auto store_file = scratch.path / "tiny.gpkg";
    REQUIRE(cli_run({"init", store_file.string(), "--campaign", (tiny / "campaign.json").string()}).exit_code == 0);
    const auto report = cli_run({"report", store_file.string(), "--as-of", "2022-07-15", "--json"});
    CHECK(report.exit_code == 0);
    CHECK(nlohmann::json::parse(report.out).at("known_at").at("upload") == 3);

    const auto unknown = cli_run({"frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("unknown command 'frobnicate'; the commands are: check, analyze") != std::string::npos);
}

TEST_CASE("pipeline: the coverage dissolved beside the other layers gives the same set as dissolved first") {
    // run_analysis writing files dissolves on a thread of its own while emit writes the other
    // layers (Options::dissolve_later); without files it dissolves inside analyze(). Both
    // campaigns: terrain-blind (the dissolve takes the shapes) and terrain (it keeps them).
    for (const char* campaign : {"campaign_flat.json", "campaign.json"}) {
        CAPTURE(campaign);
        Scratch scratch;
        pipeline::AnalysisOptions options;
        options.campaign = fs::path{DEADZONE_SOURCE_DIR} / "geodata" / campaign;
        options.as_of = day("2022-07-30");
        options.out_dir = scratch.path / "beside";
        const auto beside = pipeline::run_analysis(options);

        options.write_files = false;
        const auto first = pipeline::run_analysis(options);
        pipeline::write_outputs(first.analysis, scratch.path / "first", {});

        const auto& a = beside.analysis.coverage;
        const auto& b = first.analysis.coverage;
        REQUIRE(a.size() == b.size());
        REQUIRE(a.size() == 3);
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].operator_code == b[i].operator_code);
            CHECK(a[i].area_km2 == b[i].area_km2);
            CHECK(a[i].cells == b[i].cells);
            CHECK(a[i].area.size() == b[i].area.size());
            CHECK(a[i].area_km2 > 0.0);
        }
        const auto files_beside = folder(scratch.path / "beside");
        const auto files_first = folder(scratch.path / "first");
        CHECK(files_beside.size() >= 15);
        CHECK(files_beside.size() == files_first.size());
        for (const auto& [name, bytes] : files_beside) {
            CAPTURE(name);
            REQUIRE(files_first.count(name) == 1);
            CHECK(bytes == files_first.at(name));
        }
    }
}
