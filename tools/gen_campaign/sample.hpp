// gen-campaign (sample): the bundled 628-village sample campaign (geodata/). Its methods are in
// sample_build.cpp (villages, operators, plans, sites) and sample_write.cpp (files, figures).
#pragma once

#include "output.hpp"

namespace gen {

// ---------------------------------------------------------------------------------------------
// The sample campaign.

constexpr int k_sample_villages = 628;
inline const std::vector<std::string> k_operators{"VTL", "VNP", "MBF"};

struct SampleTargets {
    // Share of each operator's villages per outcome (by_june, by_july, late, planned, hopeless).
    std::map<std::string, std::array<double, 5>> outcome_share{
        {"VTL", {0.53, 0.42, 0.03, 0.01, 0.01}},
        {"VNP", {0.42, 0.46, 0.08, 0.02, 0.02}},
        {"MBF", {0.19, 0.42, 0.26, 0.07, 0.06}},
    };
    std::map<std::string, double> operator_share{{"VTL", 0.50}, {"VNP", 0.30}, {"MBF", 0.20}};
};

class SampleGenerator {
public:
    SampleGenerator(std::uint64_t seed, const Land& land, const Campaign& campaign)
        : m_seed(seed), m_land(land), m_campaign(campaign) {}

    void run(const fs::path& out, const std::string& campaign_template) {
        const auto started = std::chrono::steady_clock::now();
        make_villages();
        assign_operators();
        make_commitments();
        m_coverage = std::make_unique<Coverage>(m_campaign, m_villages);
        make_plans();
        place_legacy_sites();
        place_programme_sites();
        place_planned_sites();
        add_delays();
        write(out, campaign_template);
        summarize();
        print_pipeline_figures(out / "campaign.json", ymd(2022, 9, 30));
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::cout << fmt::format("sample written to {} in {:.1f} s\n", out.string(), seconds);
    }

private:
    // ---- villages ----
    void make_villages();
    /// A commune centre on land near the district's, at least 7 km from `taken`.
    geo::Point commune_center(Rng& shapes, const District& district, const std::vector<geo::Point>& taken) const;
    std::optional<GenVillage> make_village(Rng& rng, const Commune& commune);
    /// About one village in sixty published as a point (its disc on land, clear of neighbours).
    void publish_some_as_points();
    // ---- operators, outcomes, commitments ----
    void assign_operators();
    void make_commitments();
    // ---- the plan: on which days each village should count as covered ----
    void make_plans();
    const std::string& operator_of(std::size_t v) const { return m_communes[m_villages[v].commune_index].operator_code; }

    /// Whether adding `site` keeps every touched village of the operator on its plan: no village
    /// covered before its day, none of the hopeless ones ever coverable.
    bool respects_plans(const std::vector<GenCell>& site, std::size_t target, Date day) const;
    /// Whether the legacy network (all operators together) still leaves every village a dead zone.
    bool legacy_leaves_dead_zones(const std::vector<GenCell>& site) const;
    // ---- sites ----
    struct SiteSpec {
        std::string operator_code;
        std::size_t province = 0;
        geo::Point position;
        bool legacy = false;
        std::optional<Date> on_air;
        std::optional<Date> off_air;
        CellStatus status = CellStatus::on_air;
        Sink sink = Sink::viettel_csv;
        double power_cut_db = 0; // for retries that must not reach the neighbours
    };
    std::string next_site_id(const std::string& op, std::size_t province);
    /// One site's cells: three sectors of one or two technologies, or an omni cell.
    std::vector<GenCell> make_site(Rng& rng, const SiteSpec& spec);
    void commit_site(std::vector<GenCell>& site);
    Sink sink_for(const std::string& op) const;
    void place_legacy_sites();
    /// OpenCelliD knows a cell's position and an estimated range, not its antenna.
    std::vector<GenCell> to_opencellid(Rng& rng, const std::vector<GenCell>& site, const Commune& commune);
    /// Finds a site position and layout that covers `v` on `day` without breaking any plan.
    bool place_for(Rng& rng, std::size_t v, Date day, std::optional<Date> off_air, CellStatus status, bool dated);
    void place_programme_sites();
    void place_planned_sites();
    // ---- writing ----
    /// The operators' account of the late sites as they reported it at the end of July 2022: each
    /// programme site due on air after the second milestone is listed as building with its revised
    /// date (most of them) and a reason; planned sites get reasons and some revised dates. Rain in
    /// June-July is the commonest reason; the highest provinces wait for grid power; a few permit,
    /// pole-fee and access cases. (OpenCelliD rows have no such fields and stay as they are.)
    void add_delays();
    void write(const fs::path& out, const std::string& campaign_template);
    void write_villages(const fs::path& file) const;
    void write_commitments(const fs::path& file) const;
    std::vector<const GenCell*> cells_for(Sink sink) const;
    void write_viettel(const fs::path& file) const;
    static std::string json_number(const std::optional<double>& value) { return value ? number(*value) : "null"; }
    static std::string json_date(const std::optional<Date>& value) { return value ? json_string(value->iso()) : "null"; }

    /// VinaPhone sends the delay fields only on the cells that have them.
    static std::string delay_json(const Delay& delay);
    void write_vinaphone(const fs::path& file) const;
    void write_mobifone(const fs::path& file) const;
    void write_opencellid(const fs::path& file) const;
    // ---- the figures ----
    void summarize() const;
    static constexpr double k_cover_margin = 0.93; // aim above the 0.9 rule, robust to rounding
    static constexpr double k_leak_limit = 0.85;   // stay clear below it where no coverage is due
    static constexpr double k_legacy_limit = 0.6;  // old sites leave every village mostly dark

    struct Job {
        Date day;
        std::size_t village = 0;
        std::optional<Date> off_air;
    };
    std::uint64_t m_seed;
    const Land& m_land;
    const Campaign& m_campaign;
    SampleTargets m_targets;
    std::vector<GenVillage> m_villages;
    std::vector<Commune> m_communes;
    BoxTree m_village_tree;
    std::vector<Commitment> m_commitments;
    std::vector<Plan> m_plans;
    std::vector<Job> m_jobs;
    std::optional<std::size_t> m_temporary;
    std::unique_ptr<Coverage> m_coverage;
    std::map<std::string, int> m_site_serial;
    std::size_t m_opencellid_serial = 0;
    int m_unplaced = 0;
};


} // namespace gen
