// All inputs of a campaign in one call, with the cross-file checks (commitments against
// villages, cell keys across station files).
#include "detail.hpp"

#include <deadzone/ingest/ingest.hpp>

#include <algorithm>
#include <future>
#include <utility>

namespace deadzone::ingest {

Inputs read_inputs(const Campaign& campaign, const InputFiles& files, Diagnostics& diagnostics,
                   const Progress& progress) {
    Inputs inputs;
    const auto villages_file = files.villages ? files.villages : campaign.villages;
    const auto commitments_file = files.commitments ? files.commitments : campaign.commitments;
    const auto& station_files = files.stations.empty() ? campaign.stations : files.stations;

    for (const auto& warning : campaign.warnings) {
        diagnostics.add(warning);
    }
    StationOptions options;
    options.operator_code = files.operator_code;
    // With the campaign's own area the station files need nothing from the villages: they are
    // read on a second thread while this one reads the villages and the commitments (100 000
    // villages and 300 000 cells: ingest 3.9 s -> 2.8 s, docs/ingest.md). Their problems are
    // added after the commitments', as when the files are read one after the other.
    using Stations = std::pair<std::vector<Cell>, Diagnostics>;
    std::future<Stations> stations_beside;
    if (campaign.area) {
        stations_beside = std::async(std::launch::async, [&station_files, &campaign, options] {
            Stations read;
            read.first = read_station_files(station_files, campaign, options, read.second);
            return read;
        });
    }
    progress.report(0.0, "reading villages");
    bool villages_read = false;
    if (villages_file) {
        Diagnostics village_problems;
        inputs.villages = read_villages(*villages_file, campaign, village_problems);
        // A file that could not be read at all gives no basis for checking village ids.
        villages_read = std::none_of(village_problems.problems().begin(), village_problems.problems().end(),
                                     [](const Problem& p) {
                                         return p.severity == Severity::error && !p.where.row && !p.where.fid;
                                     });
        diagnostics.append(village_problems);
    }
    progress.report(0.4, "reading commitments");
    if (commitments_file) {
        inputs.commitments =
            read_commitments(*commitments_file, campaign, villages_read ? &inputs.villages : nullptr, diagnostics);
    }
    progress.report(0.5, "reading stations");
    if (stations_beside.valid()) {
        auto read = stations_beside.get();
        inputs.cells = std::move(read.first);
        diagnostics.append(read.second);
    } else {
        if (!campaign.area && !inputs.villages.empty()) {
            // No area_bbox: the villages just read mark the campaign's area (see StationOptions).
            options.area = villages_extent(inputs.villages);
            options.area_name = villages_area_name;
        }
        inputs.cells = read_station_files(station_files, campaign, options, diagnostics);
    }
    const auto& measurement_files = files.measurements.empty() ? campaign.measurements : files.measurements;
    if (!measurement_files.empty()) {
        progress.report(0.8, "reading measurements");
        StationOptions sample_options = options;
        sample_options.operator_code.reset(); // --operator names the stations' operator only
        inputs.samples = read_measurements(measurement_files, campaign, sample_options, diagnostics);
    }
    progress.report(1.0, "inputs read");
    return inputs;
}

} // namespace deadzone::ingest
