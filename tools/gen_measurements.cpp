// gen-measurements: a seeded synthetic drive-test campaign for a campaign (the sample's
// geodata/measurements/drive_test_2022.csv): for part of the villages its operators are predicted
// to cover, 20-40 samples inside the village at the level the model predicts from the operator's
// best cell plus log-normal shadow fading (sigma 8 dB); a few villages where the operator's claimed
// site does not deliver (only the next best cell or a floor of about -118 dBm is heard: contradicted); some villages with too few
// samples (unmeasured); and crowdsourced rows that give only an MCC-MNC. Synthetic: every number is
// drawn here, nothing was measured. Same seed, same campaign -> the same bytes.
#include <deadzone/emit/csv.hpp>
#include <deadzone/ingest/ingest.hpp>
#include <deadzone/overlay/measurements.hpp>
#include <deadzone/pipeline/pipeline.hpp>

#include <CLI/CLI.hpp>
// GCC 12 false positives inside Boost.Geometry 1.74's envelope code (as in ingest/stations.cpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

namespace fs = std::filesystem;
using namespace deadzone;

namespace {

/// Portable draws: std::normal_distribution differs between standard libraries.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_engine(seed) {}
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    int integer(int low, int high) {
        return low + std::min(high - low, static_cast<int>(uniform() * (high - low + 1)));
    }
    /// Box-Muller.
    double normal(double mean, double sd) {
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    }

private:
    std::mt19937_64 m_engine;
};

struct Settings {
    std::uint64_t seed = 2022;
    Date as_of = *Date::parse("2022-07-30");
    double measured_share = 0.45;  // of the villages predicted covered
    int contradicted = 8;          // villages whose claimed site does not deliver
    double sparse_share = 0.08;    // of the measured villages: fewer samples than the rule needs
    double fading_db = 8.0;
};

/// The level a receiver reports: held inside what the ingest accepts for the technology.
double reported(Tech tech, double level_dbm) {
    const double low = tech == Tech::g2 ? -120.0 : tech == Tech::g3 ? -125.0 : -156.0;
    const double high = tech == Tech::g2 || tech == Tech::g3 ? -20.0 : -31.0;
    return std::clamp(std::round(level_dbm * 10.0) / 10.0, low, high);
}

geo::Point point_in(const Village& village, Rng& rng) {
    const auto box = boost::geometry::return_envelope<geo::Box>(village.geometry);
    for (int attempt = 0; attempt < 1000; ++attempt) {
        const geo::Point p{rng.uniform(box.min_corner().x(), box.max_corner().x()),
                           rng.uniform(box.min_corner().y(), box.max_corner().y())};
        if (boost::geometry::covered_by(p, village.geometry)) {
            return p;
        }
    }
    return {(box.min_corner().x() + box.max_corner().x()) / 2, (box.min_corner().y() + box.max_corner().y()) / 2};
}

/// The operator's strongest cell in service on `day` at `point` among `candidates`.
std::optional<std::pair<std::size_t, double>> best_cell(const Analysis& a, const std::vector<std::size_t>& candidates,
                                                        const geo::Point& point, Date day) {
    std::optional<std::pair<std::size_t, double>> best;
    for (const auto c : candidates) {
        const Cell& cell = a.cells[c];
        if (!cell.in_service(day)) {
            continue;
        }
        const auto level = overlay::predicted_level_dbm(cell, a.campaign, point);
        if (level && (!best || *level > best->second)) {
            best = std::make_pair(c, *level);
        }
    }
    return best;
}

int run(const fs::path& campaign_file, const fs::path& out_file, const Settings& s) {
    Campaign campaign = ingest::load_campaign(campaign_file);
    campaign.measurements.clear(); // the file this tool writes is not an input of it
    campaign.coverage_rule.evidence = Evidence::prediction;
    Diagnostics diagnostics;
    auto inputs = ingest::read_inputs(campaign, {}, diagnostics);
    if (diagnostics.has_errors()) {
        throw InputError(diagnostics.problems());
    }
    const Analysis a = pipeline::analyze(campaign, std::move(inputs), s.as_of);
    Rng rng(s.seed);
    emit::CsvWriter csv;
    for (const char* h : {"time", "operator", "mcc_mnc", "lon", "lat", "tech", "rsrp_dbm", "rscp_dbm", "rxlev_dbm",
                          "cell_id", "source"}) {
        csv.text(h);
    }
    csv.end_row();
    int villages_measured = 0, contradicted = 0, sparse = 0, rows = 0;
    for (const auto& result : a.tracking.commitments) {
        const Commitment& c = a.commitments[result.commitment];
        const auto* coverage = a.overlay.villages[result.village].find(c.operator_code);
        // Only villages the map covers on the as-of date, and one draw decides which are visited.
        const bool visit = rng.uniform() < s.measured_share;
        if (coverage == nullptr || coverage->period_at(s.as_of) == nullptr || !visit) {
            continue;
        }
        const bool outage = contradicted < s.contradicted && rng.uniform() < 0.06;
        const bool few = !outage && rng.uniform() < s.sparse_share;
        const int count = few ? rng.integer(6, 15) : rng.integer(22, 40);
        // A day in the last two weeks, after the village was first covered.
        const Date first = std::max(coverage->period_at(s.as_of)->from, s.as_of - 14);
        const Date day = first + rng.integer(0, std::max(0, s.as_of - first - 1));
        const Operator* op = a.campaign.find_operator(c.operator_code);
        const bool crowd = rng.uniform() < 0.25 && op != nullptr && !op->mcc_mnc.empty();
        // The claimed site: the best cell at the village's first sample point. Where it does not
        // deliver, the samples hear the next best cell, or only a floor of about -118 dBm.
        const auto claimed = best_cell(a, coverage->cells, point_in(a.villages[result.village], rng), day);
        std::vector<std::size_t> others;
        for (const auto cell : coverage->cells) {
            if (!claimed || cell != claimed->first) {
                others.push_back(cell);
            }
        }
        int written = 0;
        for (int i = 0; i < count; ++i) {
            const auto point = point_in(a.villages[result.village], rng);
            const auto best = best_cell(a, outage ? others : coverage->cells, point, day);
            const double fading = rng.normal(0.0, s.fading_db);
            if (!claimed || (!best && !outage)) {
                continue; // a fixed-radius (OpenCelliD) cell: no level to draw from
            }
            const Cell& cell = a.cells[best ? best->first : claimed->first];
            const double predicted = best ? best->second : -118.0;
            // The floor varies less than a signal: it is noise and distant cells, not one path.
            const double level = reported(cell.tech, predicted + (best ? fading : fading / 2.0));
            const int minute = 8 * 60 + i * 2;
            csv.text(fmt::format("{}T{:02d}:{:02d}:{:02d}+07:00", day.iso(), minute / 60, minute % 60, (i * 17) % 60));
            csv.text(crowd ? "" : c.operator_code).text(crowd ? op->mcc_mnc.front() : "");
            csv.number(fmt::format("{:.6f}", point.x())).number(fmt::format("{:.6f}", point.y()));
            csv.text(to_string(cell.tech));
            for (const Tech t : {Tech::g4, Tech::g3, Tech::g2}) {
                const bool mine = t == cell.tech || (t == Tech::g4 && cell.tech == Tech::g5);
                if (mine) {
                    csv.number(fmt::format("{:.1f}", level));
                } else {
                    csv.text("");
                }
            }
            csv.text(crowd ? "" : cell.cell_id.empty() ? cell.site_id : cell.site_id + "/" + cell.cell_id);
            csv.text(crowd ? "crowdsourced" : "drive_test");
            csv.end_row();
            ++written;
        }
        if (written > 0) {
            ++villages_measured;
            contradicted += outage ? 1 : 0;
            sparse += few ? 1 : 0;
            rows += written;
        }
    }
    fs::create_directories(out_file.parent_path());
    std::ofstream out(out_file, std::ios::binary | std::ios::trunc);
    out << csv.str();
    if (!out) {
        throw Failure(out_file.string() + ": cannot write");
    }
    std::cout << fmt::format("{}: {} samples in {} villages ({} with an outage of the claimed site, {} with too few "
                             "samples to judge)\n",
                             out_file.string(), rows, villages_measured, contradicted, sparse);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"gen-measurements: a seeded synthetic drive-test campaign from the model's predictions"};
    fs::path campaign_file = "geodata/campaign_flat.json";
    fs::path out_file = "geodata/measurements/drive_test_2022.csv";
    Settings settings;
    app.add_option("--campaign", campaign_file, "campaign whose predictions the samples follow")->capture_default_str();
    app.add_option("--out", out_file, "CSV file to write")->capture_default_str();
    app.add_option("--seed", settings.seed, "random seed")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    try {
        return run(campaign_file, out_file, settings);
    } catch (const InputError& error) {
        for (const auto& problem : error.problems()) {
            std::cerr << problem.to_string() << "\n";
        }
        return 1;
    } catch (const std::exception& error) {
        std::cerr << "gen-measurements: " << error.what() << "\n";
        return 3;
    }
}
