// A hand-built campaign small enough to work out every status, count, milestone and forecast on
// paper (shared by the track and emit tests). The dates and the arithmetic are in
// tests/unit/track/test_track.cpp.
#pragma once

#include <deadzone/pipeline/analysis.hpp>
#include <deadzone/track/track.hpp>

#include <optional>
#include <string>
#include <vector>

namespace deadzone::testing {

inline Date day(const char* iso) { return *Date::parse(iso); }

struct CoverageSpec {
    std::string village_id;
    std::string operator_code;
    std::vector<overlay::Period> periods;
    double fraction_uncovered = 0.0; // the fraction reported when no period contains as_of
    double potential = 0.95;
};

/// Operators A and B; start 2022-06-01; milestones 50 % on 2022-06-30 and 100 % on 2022-07-30.
///   c0 v1 (Lào Cai)   A  deadline 06-30  covered from 06-10
///   c1 v2 (Lào Cai)   A  deadline 06-30  covered from 07-05 (late)
///   c2 v3 (Hà Giang)  A  deadline 07-30  covered 06-05 .. 07-10 (its cell goes off air 07-10)
///   c3 v4 (Hà Giang)  B  deadline 06-30  never covered, planned cell would (potential 0.95)
///   c4 v5 (Điện Biên) B  deadline 07-30  no B footprint at all: cannot be met
///   c5 v3 (Hà Giang)  B  deadline 07-30  covered from 06-20
struct TinyCampaign {
    Campaign campaign;
    std::vector<Village> villages;
    std::vector<Commitment> commitments;
    std::vector<CoverageSpec> coverage;

    TinyCampaign() {
        campaign.name = "Tiny test campaign";
        campaign.start_date = day("2022-06-01");
        campaign.operators = {{"A", "Operator Á", {"452-90"}, "#d7191c"},
                              {"B", "Operator <B> & Co", {"452-91"}, "#2b83ba"}};
        campaign.milestones = {{day("2022-06-30"), 0.5}, {day("2022-07-30"), 1.0}};
        campaign.coverage_rule.min_fraction = 0.9;

        const auto village = [](const char* id, const char* name, const char* province,
                                double lon, double lat) {
            Village v;
            v.id = id;
            v.name = name;
            v.province = province;
            v.point = geo::Point{lon, lat};
            geo::Polygon square;
            const double h = 0.004;
            square.outer() = {{lon - h, lat - h}, {lon + h, lat - h}, {lon + h, lat + h},
                              {lon - h, lat + h}, {lon - h, lat - h}};
            v.geometry.push_back(square);
            v.source = Location{"villages.geojson", {}, {}, 1};
            return v;
        };
        villages = {village("v1", "Bản Một", "Lào Cai", 103.9, 22.4),
                    village("v2", "Bản Hai \"& <Hai>\"", "Lào Cai", 104.1, 22.3),
                    village("v3", "Bản Ba", "Hà Giang", 104.9, 22.8),
                    village("v4", "Bản Bốn", "Hà Giang", 105.1, 23.0),
                    village("v5", "Bản Năm", "Điện Biên", 103.0, 21.4)};

        const auto commitment = [](const char* village_id, const char* op, const char* deadline,
                                   int row) {
            Commitment c;
            c.village_id = village_id;
            c.operator_code = op;
            c.deadline = day(deadline);
            c.source = Location{"commitments.csv", row, {}, {}};
            return c;
        };
        commitments = {commitment("v1", "A", "2022-06-30", 2),
                       commitment("v2", "A", "2022-06-30", 3),
                       commitment("v3", "A", "2022-07-30", 4),
                       commitment("v4", "B", "2022-06-30", 5),
                       commitment("v5", "B", "2022-07-30", 6),
                       commitment("v3", "B", "2022-07-30", 7)};

        coverage = {
            {"v1", "A", {{day("2022-06-10"), std::nullopt}}, 0.2, 0.95},
            {"v2", "A", {{day("2022-07-05"), std::nullopt}}, 0.1, 0.95},
            {"v3", "A", {{day("2022-06-05"), day("2022-07-10")}}, 0.4, 0.95},
            {"v4", "B", {}, 0.3, 0.95},
            {"v3", "B", {{day("2022-06-20"), std::nullopt}}, 0.0, 1.0},
        };
    }

    /// The overlay result as of `as_of`: fraction 0.95 while covered, the spec's value otherwise.
    overlay::Result overlay_at(Date as_of) const {
        overlay::Result result;
        result.as_of = as_of;
        result.villages.resize(villages.size());
        for (std::size_t v = 0; v < villages.size(); ++v) {
            for (const CoverageSpec& spec : coverage) {
                if (spec.village_id != villages[v].id) {
                    continue;
                }
                overlay::OperatorCoverage entry;
                entry.operator_code = spec.operator_code;
                entry.potential_fraction = spec.potential;
                entry.covered_periods = spec.periods;
                entry.fraction = spec.fraction_uncovered;
                for (const auto& period : spec.periods) {
                    if (period.contains(as_of)) {
                        entry.fraction = 0.95;
                    }
                }
                result.villages[v].operators.push_back(entry);
            }
        }
        return result;
    }

    track::Tracking track_at(Date as_of, const track::Options& options = {}) const {
        return track::run_track(campaign, villages, commitments, overlay_at(as_of), as_of,
                                options);
    }

    Analysis analysis_at(Date as_of) const {
        Analysis analysis;
        analysis.campaign = campaign;
        analysis.as_of = as_of;
        analysis.villages = villages;
        analysis.commitments = commitments;
        analysis.overlay = overlay_at(as_of);
        analysis.tracking = track_at(as_of);
        return analysis;
    }
};

} // namespace deadzone::testing
