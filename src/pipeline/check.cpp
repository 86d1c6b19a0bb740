#include <deadzone/ingest/ingest.hpp>
#include <deadzone/model/terrain_footprint.hpp>
#include <deadzone/pipeline/check.hpp>
#include <deadzone/pipeline/problems.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace deadzone::pipeline {

namespace {

namespace fs = std::filesystem;

/// Fills the per-file counts from the problems.
void count_problems(CheckReport& report) {
    for (const auto& problem : report.diagnostics.problems()) {
        for (auto& summary : report.files) {
            if (summary.file == problem.where.file) {
                (problem.severity == Severity::error ? summary.errors : summary.warnings) += 1;
                break;
            }
        }
    }
}

/// The villages for cross-checking commitments when no villages file was given.
bool campaign_villages_for_commitments(const Campaign& campaign, std::vector<Village>& villages,
                                       CheckReport& report) {
    if (!campaign.villages) {
        return false;
    }
    Diagnostics ignored;
    villages = ingest::read_villages(*campaign.villages, campaign, ignored);
    if (ignored.problems().empty() || !villages.empty()) {
        report.notes.push_back(fmt::format("commitments are checked against the villages of {} (its own "
                                           "problems are not reported here)",
                                           campaign.villages->string()));
        return true;
    }
    return false;
}

void check_files(const Campaign& campaign, const CheckOptions& files, CheckReport& report,
                 const Progress& progress) {
    std::vector<Village> villages;
    bool have_villages = false;
    if (files.villages) {
        progress.report(0.0, "checking villages");
        Diagnostics village_problems;
        villages = ingest::read_villages(*files.villages, campaign, village_problems);
        // An unreadable villages file gives no basis for checking commitments' village ids.
        have_villages = std::none_of(village_problems.problems().begin(), village_problems.problems().end(),
                                     [](const Problem& p) {
                                         return p.severity == Severity::error && !p.where.row && !p.where.fid;
                                     });
        report.diagnostics.append(village_problems);
        report.files.push_back(CheckedFile{files.villages->string(), "villages", villages.size(), 0, 0});
    }
    if (files.commitments) {
        progress.report(0.4, "checking commitments");
        if (!files.villages) {
            have_villages = campaign_villages_for_commitments(campaign, villages, report);
        }
        if (!have_villages) {
            report.notes.push_back("no villages available: commitment village ids are not checked");
        }
        const auto commitments = ingest::read_commitments(*files.commitments, campaign,
                                                          have_villages ? &villages : nullptr, report.diagnostics);
        report.files.push_back(CheckedFile{files.commitments->string(), "commitments", commitments.size(), 0, 0});
    }
    if (!files.stations.empty()) {
        progress.report(0.5, "checking stations");
        ingest::StationOptions options;
        options.operator_code = files.operator_code;
        if (files.campaign && !campaign.area && have_villages && !villages.empty()) {
            // No area_bbox: the villages checked here mark the area (else the library reads the
            // campaign's own villages for it).
            options.area = ingest::villages_extent(villages);
            options.area_name = ingest::villages_area_name;
        }
        std::vector<std::size_t> counts;
        ingest::read_station_files(files.stations, campaign, options, report.diagnostics, &counts);
        for (std::size_t i = 0; i < files.stations.size(); ++i) {
            report.files.push_back(CheckedFile{files.stations[i].string(), "stations", counts[i], 0, 0});
        }
    }
    if (!files.measurements.empty()) {
        progress.report(0.8, "checking measurements");
        ingest::StationOptions options;
        if (files.campaign && !campaign.area && have_villages && !villages.empty()) {
            options.area = ingest::villages_extent(villages);
            options.area_name = ingest::villages_area_name;
        }
        std::vector<std::size_t> counts;
        ingest::read_measurements(files.measurements, campaign, options, report.diagnostics, &counts);
        for (std::size_t i = 0; i < files.measurements.size(); ++i) {
            report.files.push_back(CheckedFile{files.measurements[i].string(), "measurements", counts[i], 0, 0});
        }
    }
    progress.report(1.0, "checked");
}

/// The campaign's DEM: readable, in metres, in a plausible range; voids counted.
void check_terrain(const Campaign& campaign, CheckReport& report) {
    const std::string file = campaign.terrain_dem->string();
    try {
        const auto dem = model::check_dem(campaign);
        for (auto& warning : model::dem_warnings(dem)) report.diagnostics.add(std::move(warning));
        report.notes.push_back(fmt::format("terrain: {} ({:.0f} m cells, lon {:.4f}..{:.4f}, lat {:.4f}..{:.4f})", file,
                                           dem.resolution_m, dem.lonlat_extent.min_corner().x(),
                                           dem.lonlat_extent.max_corner().x(), dem.lonlat_extent.min_corner().y(),
                                           dem.lonlat_extent.max_corner().y()));
    } catch (const InputError& e) {
        for (const auto& problem : e.problems()) report.diagnostics.add(problem);
    }
    report.files.push_back(CheckedFile{file, "terrain", 1, 0, 0});
}

} // namespace

CheckReport run_check(const CheckOptions& options, const Progress& progress) {
    const bool explicit_files =
        options.villages || options.commitments || !options.stations.empty() || !options.measurements.empty();
    if (!options.campaign && !explicit_files) {
        throw UsageError("check: nothing to check; give a campaign and/or villages, commitments, stations");
    }
    if (options.operator_code && options.stations.empty()) {
        throw UsageError("check: the operator applies to station files, and none were given");
    }
    CheckReport report;
    Campaign campaign;
    if (options.campaign) {
        try {
            campaign = ingest::load_campaign(*options.campaign);
        } catch (const InputError& e) {
            for (const auto& problem : e.problems()) {
                report.diagnostics.add(problem);
            }
            const auto file = fs::is_directory(*options.campaign) ? (*options.campaign / "campaign.json").string()
                                                                  : options.campaign->string();
            report.files.push_back(CheckedFile{file, "campaign", 0, 0, 0});
            count_problems(report);
            return report;
        }
        report.files.push_back(CheckedFile{campaign.file.string(), "campaign", campaign.operators.size(), 0, 0});
        for (const auto& warning : campaign.warnings) {
            report.diagnostics.add(warning);
        }
    } else {
        campaign = ingest::default_campaign();
        report.notes.push_back("no campaign given: built-in radio defaults, no campaign area, and operator "
                               "codes are not checked");
    }
    CheckOptions files = options;
    if (!explicit_files) {
        files.villages = campaign.villages;
        files.commitments = campaign.commitments;
        files.stations = campaign.stations;
        files.measurements = campaign.measurements;
        if (!files.villages && !files.commitments && files.stations.empty() && files.measurements.empty()) {
            report.notes.push_back("the campaign lists no input files");
        }
    }
    check_files(campaign, files, report, progress);
    // The DEM is one of the campaign's own inputs: checked with them, not when only given files are.
    if (options.campaign && campaign.terrain_dem && !explicit_files) {
        check_terrain(campaign, report);
    }
    count_problems(report);
    return report;
}

nlohmann::ordered_json check_json(const CheckReport& report) {
    nlohmann::ordered_json doc;
    doc["ok"] = report.ok();
    doc["errors"] = report.diagnostics.error_count();
    doc["warnings"] = report.diagnostics.warning_count();
    auto list = nlohmann::ordered_json::array();
    for (const auto& summary : report.files) {
        nlohmann::ordered_json item;
        item["file"] = summary.file;
        item["kind"] = summary.kind;
        item["records"] = summary.records;
        item["errors"] = summary.errors;
        item["warnings"] = summary.warnings;
        list.push_back(std::move(item));
    }
    doc["files"] = std::move(list);
    doc["notes"] = report.notes;
    doc["problems"] = problems_json(report.diagnostics.problems());
    return doc;
}

} // namespace deadzone::pipeline
