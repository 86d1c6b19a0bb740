// gen-campaign: the seeded generator of deadzone's synthetic data — the bundled sample campaign
// (geodata/: 628 highland villages, commitments, station files in four formats) and a
// national-scale scenario for benchmarks. Same seed → byte-identical files (CTest
// tools.gen_campaign_determinism compares the sample with geodata/).
//
// The parts: common.hpp (randomness, land, village shapes), names.hpp, records.hpp (records and
// the coverage check), output.hpp (files), sample.hpp + sample_build.cpp + sample_write.cpp,
// national.hpp/.cpp, and this command line.
//
// The sample's outcomes (about 40 % of villages covered by 2022-06-30, most by 2022-07-30, MBF
// behind, a few never covered) are not written down anywhere: sites are placed with the real
// coverage model and each placement is checked against the plan of every village it touches.

#include "national.hpp"
#include "sample.hpp"

using namespace gen;

int main(int argc, char** argv) {
    CLI::App app{"gen-campaign: deadzone's seeded generator of synthetic campaign data"};
    app.require_subcommand(1);

    std::uint64_t seed = 2022;
    fs::path out;
    // The sample's template is the sample itself (terrain included); a national scenario's is the
    // terrain-blind one, since the sample's DEM covers only the north (tools/bench_terrain.sh
    // passes geodata/campaign.json and links the DEM when it wants terrain).
    fs::path campaign_file = "geodata/campaign.json";
    fs::path national_campaign_file = "geodata/campaign_flat.json";
    fs::path outline_file = "geodata/natural-earth-vietnam-50m.geojson";

    auto* sample = app.add_subcommand("sample", "the bundled 628-village sample campaign (geodata/)");
    sample->add_option("--out", out, "output folder")->required();
    sample->add_option("--seed", seed, "random seed")->capture_default_str();
    sample->add_option("--campaign", campaign_file, "campaign template (settings kept, input paths replaced)")
        ->capture_default_str();
    sample->add_option("--outline", outline_file, "land outline (any OGR polygon source)")->capture_default_str();

    std::size_t national_villages = 100000;
    std::size_t national_sites = 100000;
    auto* national = app.add_subcommand("national", "a national-scale scenario for benchmarks (not committed)");
    national->add_option("--out", out, "output folder")->required();
    national->add_option("--seed", seed, "random seed")->capture_default_str();
    national->add_option("--villages", national_villages, "number of villages")->capture_default_str();
    national->add_option("--sites", national_sites, "number of sites (three cells each)")->capture_default_str();
    national->add_option("--campaign", national_campaign_file, "campaign template (settings kept, input paths replaced)")
        ->capture_default_str();
    national->add_option("--outline", outline_file, "land outline (any OGR polygon source)")->capture_default_str();
    double land_share = 1.0;
    national->add_option("--land-share", land_share,
                         "use only the northern part of the land holding this share of its area (0 < F <= 1), "
                         "e.g. villages/100000 to keep the density of 100 000 villages")
        ->capture_default_str();

    CLI11_PARSE(app, argc, argv);
    if (!(land_share > 0.0 && land_share <= 1.0)) {
        std::cerr << fmt::format("gen-campaign: --land-share must be in (0, 1], got {}\n", land_share);
        return 2;
    }

    try {
        if (national->parsed()) {
            campaign_file = national_campaign_file;
        }
        const auto template_text = read_text(campaign_file);
        const auto campaign = deadzone::ingest::load_campaign(campaign_file);
        auto outline = read_outline(outline_file);
        if (sample->parsed()) {
            const Land land{std::move(outline)};
            SampleGenerator generator(seed, land, campaign);
            generator.run(out, template_text);
        } else if (national->parsed()) {
            std::string land_note;
            if (land_share < 1.0) {
                auto part = northern_share(outline, land_share);
                std::cout << fmt::format("  land share {}: north of {:.4f} N, {:.0f} of {:.0f} km2\n", land_share,
                                         part.south_lat, part.area_km2, part.whole_km2);
                land_note = fmt::format(", land north of {:.4f} N: {:.4g} of the area", part.south_lat, land_share);
                outline = std::move(part.outline);
            }
            const Land land{std::move(outline)};
            write_national(seed, land, campaign, national_villages, national_sites, land_note, out, template_text);
        }
    } catch (const deadzone::InputError& error) {
        for (const auto& problem : error.problems()) {
            std::cerr << problem.to_string() << "\n";
        }
        return 1;
    } catch (const std::exception& error) {
        std::cerr << "gen-campaign: " << error.what() << "\n";
        return 3;
    }
    return 0;
}
