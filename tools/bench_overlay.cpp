// bench-overlay: times the overlay stage at national scale. Reads a campaign folder (as written
// by `gen-campaign national`) with ingest, or generates a synthetic one in memory (--synthetic),
// then times build_footprints, run_overlay with each thread count and dissolve_coverage, with
// the process's peak memory after each step. tools/bench.sh runs the documented series.

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/geo/geodesic.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/overlay/overlay.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <fstream>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace deadzone;

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // Linux reports KiB
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// Wall-clock and CPU time (all threads) since construction: on a shared machine the CPU time
/// tells the work done when the wall clock mostly tells the load.
class Stopwatch {
public:
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }
    double cpu() const { return cpu_seconds() - m_cpu; }

private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    double m_cpu = cpu_seconds();
};

struct Data {
    Campaign campaign;
    std::vector<Village> villages;
    std::vector<Cell> cells;
};

/// In-memory stand-in for a national campaign: villages as 48-vertex discs of 300-1200 m and
/// three-sector sites with fixed 1.2-4.2 km ranges, both uniform over mainland Vietnam's box;
/// 85 % of sites on air during 2022, 5 % already off air again, 10 % planned.
Data synthetic(std::size_t villages, std::size_t sites, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
    Data data;
    data.campaign.name = "synthetic national";
    data.campaign.operators = {{"VTL", "Viettel", {"452-04"}, "#d7191c"},
                               {"VNP", "Vinaphone", {"452-02"}, "#2b83ba"},
                               {"MBF", "MobiFone", {"452-01"}, "#1a9641"}};
    for (const auto tech : {Tech::g2, Tech::g3, Tech::g4, Tech::g5}) {
        data.campaign.radio_defaults[tech] = RadioDefaults{};
    }
    const double lon0 = 102.2;
    const double lon1 = 109.4;
    const double lat0 = 8.6;
    const double lat1 = 23.3;
    for (std::size_t i = 0; i < villages; ++i) {
        Village v;
        v.id = fmt::format("V{:06}", i);
        v.name = v.id;
        const geo::Point centre{uniform(lon0, lon1), uniform(lat0, lat1)};
        v.point = centre;
        v.geometry = geo::MultiPolygon{geo::disc(centre, uniform(300.0, 1200.0), 48)};
        data.villages.push_back(std::move(v));
    }
    const Date start = *Date::parse("2022-01-01");
    for (std::size_t s = 0; s < sites; ++s) {
        const geo::Point site{uniform(lon0, lon1), uniform(lat0, lat1)};
        const auto op = data.campaign.operators[s % 3].code;
        const double draw = uniform(0.0, 1.0);
        const Date on = start + static_cast<int>(uniform(0, 300));
        const double range_m = uniform(1200.0, 4200.0);
        const double turn = uniform(0.0, 120.0);
        for (int k = 0; k < 3; ++k) {
            Cell c;
            c.operator_code = op;
            c.site_id = fmt::format("S{:06}", s);
            c.cell_id = std::to_string(k + 1);
            c.position = site;
            c.azimuth_deg = turn + 120.0 * k;
            c.beamwidth_deg = 65.0;
            c.range_m = range_m;
            if (draw < 0.10) {
                c.status = CellStatus::planned;
            } else {
                c.status = draw < 0.15 ? CellStatus::off_air : CellStatus::on_air;
                c.on_air_date = on;
                if (c.status == CellStatus::off_air) {
                    c.off_air_date = on + 60;
                }
            }
            data.cells.push_back(std::move(c));
        }
    }
    return data;
}

void row(const std::string& step, std::size_t villages, std::size_t cells, int threads, const Stopwatch& watch) {
    std::cout << fmt::format("| {:<22} | {:>8} | {:>8} | {:>7} | {:>9.2f} | {:>9.2f} | {:>8.0f} |\n", step,
                             villages, cells, threads == 0 ? std::string{"-"} : std::to_string(threads),
                             watch.seconds(), watch.cpu(), peak_rss_mb());
    std::cout.flush();
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"bench-overlay: times ingest, footprints, overlay and dissolve on a campaign"};
    std::string folder;
    std::size_t synthetic_villages = 0;
    std::size_t synthetic_sites = 0;
    std::uint64_t seed = 1;
    std::vector<int> thread_counts{1, 2};
    std::string as_of_text = "2022-07-30";
    bool dissolve = true;
    std::string fractions_file;
    app.add_option("campaign", folder, "campaign folder or campaign.json (from gen-campaign national)");
    app.add_option("--synthetic", synthetic_villages, "generate this many villages in memory instead");
    app.add_option("--sites", synthetic_sites, "sites (3 cells each) for --synthetic (default: as many as villages)");
    app.add_option("--seed", seed, "seed for --synthetic")->capture_default_str();
    app.add_option("--threads", thread_counts, "overlay thread counts to time")->capture_default_str();
    app.add_option("--as-of", as_of_text, "as-of date")->capture_default_str();
    app.add_flag("!--no-dissolve", dissolve, "skip dissolve_coverage");
    app.add_option("--fractions", fractions_file,
                   "write village_id,operator,fraction (operator ALL = all together) of the last overlay run");
    CLI11_PARSE(app, argc, argv);

    try {
        const auto as_of = Date::parse(as_of_text);
        if (!as_of) {
            throw UsageError("--as-of: not a YYYY-MM-DD date: " + as_of_text);
        }
        if (folder.empty() == (synthetic_villages == 0)) {
            throw UsageError("give either a campaign folder or --synthetic N");
        }
        std::cout << "| step                   | villages |    cells | threads |  wall (s) |   CPU (s) |  peak MB |\n"
                  << "|------------------------|----------|----------|---------|-----------|-----------|----------|\n";
        Data data;
        {
            Stopwatch watch;
            if (synthetic_villages > 0) {
                data = synthetic(synthetic_villages, synthetic_sites > 0 ? synthetic_sites : synthetic_villages, seed);
            } else {
                data.campaign = ingest::load_campaign(folder);
                Diagnostics diagnostics;
                auto inputs = ingest::read_inputs(data.campaign, {}, diagnostics);
                if (diagnostics.has_errors()) {
                    throw InputError(diagnostics.problems());
                }
                data.villages = std::move(inputs.villages);
                data.cells = std::move(inputs.cells);
            }
            row(synthetic_villages > 0 ? "generate (in memory)" : "ingest", data.villages.size(),
                data.cells.size(), 0, watch);
        }
        std::vector<model::Footprint> footprints;
        {
            Stopwatch watch;
            model::FootprintOptions options;
            options.threads = thread_counts.empty() ? 0 : *std::max_element(thread_counts.begin(), thread_counts.end());
            footprints = model::build_footprints(data.cells, data.campaign, options);
            row("build_footprints", data.villages.size(), data.cells.size(), options.threads, watch);
        }
        double mean_any = 0.0;
        double mean_cells = 0.0; // cells meeting a village: the density the overlay's cost follows
        std::size_t covered = 0;
        for (const int threads : thread_counts) {
            Stopwatch watch;
            overlay::Options options;
            options.threads = threads;
            const auto result = overlay::run_overlay(data.villages, data.cells, footprints, data.campaign, *as_of, options);
            row("run_overlay", data.villages.size(), data.cells.size(), threads, watch);
            mean_any = 0.0;
            mean_cells = 0.0;
            covered = 0;
            for (const auto& v : result.villages) {
                mean_any += v.any_fraction;
                for (const auto& op : v.operators) {
                    mean_cells += static_cast<double>(op.cells.size());
                }
                covered += v.any_fraction >= data.campaign.coverage_rule.min_fraction;
            }
            mean_any /= std::max<std::size_t>(1, result.villages.size());
            if (!fractions_file.empty() && threads == thread_counts.back()) {
                // Every operator meeting the village, then ALL; 17 significant digits, so that
                // tools/bench_postgis.sh compares the values the engine computed.
                std::ofstream out(fractions_file, std::ios::binary);
                out << "village_id,operator,fraction\n";
                for (std::size_t v = 0; v < result.villages.size(); ++v) {
                    for (const auto& op : result.villages[v].operators) {
                        out << fmt::format("{},{},{:.17g}\n", data.villages[v].id, op.operator_code, op.fraction);
                    }
                    out << fmt::format("{},ALL,{:.17g}\n", data.villages[v].id, result.villages[v].any_fraction);
                }
                if (!out.flush()) {
                    throw Failure("cannot write " + fractions_file);
                }
            }
            mean_cells /= std::max<std::size_t>(1, result.villages.size());
        }
        if (dissolve) {
            Stopwatch watch;
            const auto areas = overlay::dissolve_coverage(data.cells, footprints, data.campaign, *as_of);
            row("dissolve_coverage", data.villages.size(), data.cells.size(), 0, watch);
            for (const auto& area : areas) {
                std::cout << fmt::format("  {}: {} cells on air, {:.1f} km2 dissolved, {} parts\n", area.operator_code,
                                         area.cells, area.area_km2, area.area.size());
            }
        }
        std::cout << fmt::format("  as of {}: mean coverage {:.4f}, {} of {} villages meet the rule ({}); "
                                 "{:.2f} cells meet a village on average\n",
                                 as_of->iso(), mean_any, covered, data.villages.size(),
                                 data.campaign.coverage_rule.min_fraction, mean_cells);
    } catch (const InputError& error) {
        for (const auto& problem : error.problems()) {
            std::cerr << problem.to_string() << "\n";
        }
        return 1;
    } catch (const UsageError& error) {
        std::cerr << "bench-overlay: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "bench-overlay: " << error.what() << "\n";
        return 3;
    }
    return 0;
}
