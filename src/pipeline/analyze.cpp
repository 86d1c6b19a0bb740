#include <deadzone/pipeline/analyze.hpp>
#include <deadzone/pipeline/outputs.hpp>
#include <deadzone/pipeline/pipeline.hpp>

#include <future>

namespace deadzone::pipeline {

std::vector<std::filesystem::path> analysis_inputs(const Campaign& campaign, const ingest::InputFiles& files) {
    auto inputs = campaign_files(campaign);
    for (const auto& file : {files.villages, files.commitments}) {
        if (file) {
            inputs.push_back(*file);
        }
    }
    inputs.insert(inputs.end(), files.stations.begin(), files.stations.end());
    inputs.insert(inputs.end(), files.measurements.begin(), files.measurements.end());
    return inputs;
}

AnalysisResult run_analysis(const AnalysisOptions& options, const Progress& progress) {
    Campaign campaign = ingest::load_campaign(options.campaign);
    const bool write = options.write_files;
    const auto inputs_read = analysis_inputs(campaign, options.files);
    if (write) {
        // Refused before any work: the output folder may not be, hold or overwrite an input.
        check_output_folder(options.out_dir, inputs_read);
    }

    AnalysisResult result;
    auto inputs = ingest::read_inputs(campaign, options.files, result.diagnostics, progress.sub(0.0, 0.2));
    if (result.diagnostics.has_errors()) {
        // Nothing is analysed and no output is touched when any input is rejected.
        throw InputError(result.diagnostics.problems());
    }
    Options analysis_options;
    analysis_options.threads = options.threads;
    // Written out, the dissolve runs beside the other layers (the coverage layer is written last):
    // its last merges use one core, and so does much of the writing.
    analysis_options.dissolve_later = write;
    if (options.language) {
        campaign.locale = *options.language; // after the inputs were read by the campaign's rules
    }
    result.analysis = analyze(std::move(campaign), std::move(inputs), options.as_of, analysis_options,
                              progress.sub(0.2, write ? 0.75 : 1.0));
    result.diagnostics.append(result.analysis.diagnostics);
    if (write) {
        emit::LayerOptions layers = options.layers;
        layers.threads = options.threads;
        std::shared_future<void> coverage_ready =
            std::async(std::launch::async, [&] { dissolve(result.analysis, analysis_options); }).share();
        try {
            write_outputs(result.analysis, options.out_dir, inputs_read, layers, progress.sub(0.75, 1.0),
                          options.reports, coverage_ready);
        } catch (...) {
            coverage_ready.wait(); // it works on result.analysis, which the unwinding destroys
            throw;
        }
        coverage_ready.get(); // written: the dissolve is done (and a failure of it was thrown above)
    }
    return result;
}

} // namespace deadzone::pipeline
