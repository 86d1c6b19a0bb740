// Verdicts, map reliability and calibration from the measurement overlay, and the overlay the
// commitment statuses follow under coverage_rule.evidence.
#include <deadzone/track/measurements.hpp>
#include <deadzone/track/track.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace deadzone::track {

const char* to_string(MeasuredVerdict verdict) noexcept {
    switch (verdict) {
    case MeasuredVerdict::confirmed: return "confirmed";
    case MeasuredVerdict::contradicted: return "contradicted";
    case MeasuredVerdict::unpredicted: return "unpredicted";
    case MeasuredVerdict::not_covered: return "not_covered";
    case MeasuredVerdict::unmeasured: return "unmeasured";
    }
    return "unmeasured";
}

int MeasurementTracking::count(MeasuredVerdict verdict) const noexcept {
    return static_cast<int>(std::count_if(verdicts.begin(), verdicts.end(),
                                          [&](const VillageVerdict& v) { return v.verdict == verdict; }));
}

const VillageVerdict* MeasurementTracking::find(std::size_t village, std::string_view operator_code) const noexcept {
    const auto it = std::lower_bound(verdicts.begin(), verdicts.end(), std::make_pair(village, operator_code),
                                     [](const VillageVerdict& v, const std::pair<std::size_t, std::string_view>& key) {
                                         return v.village != key.first ? v.village < key.first
                                                                       : std::string_view{v.operator_code} < key.second;
                                     });
    return it != verdicts.end() && it->village == village && it->operator_code == operator_code ? &*it : nullptr;
}

namespace {

MeasuredVerdict verdict_of(bool predicted, int samples, int at_threshold, const MeasurementRule& rule) {
    if (samples < rule.min_samples) {
        return MeasuredVerdict::unmeasured;
    }
    // Compared in whole samples (at_threshold >= share x samples, with a hair of slack) so that
    // 18 of 20 at a share of 0.9 is covered despite 0.9 not being exact in binary.
    const bool measured = static_cast<double>(at_threshold) >= rule.share * samples - 1e-9;
    if (predicted) {
        return measured ? MeasuredVerdict::confirmed : MeasuredVerdict::contradicted;
    }
    return measured ? MeasuredVerdict::unpredicted : MeasuredVerdict::not_covered;
}

void add_verdicts(const Campaign& campaign, const overlay::Result& overlay, const overlay::MeasurementOverlay& measured,
                  MeasurementTracking& out) {
    const auto& rule = campaign.coverage_rule.measurement;
    for (std::size_t v = 0; v < measured.villages.size(); ++v) {
        std::vector<std::string> codes;
        for (const auto& entry : measured.villages[v].operators) {
            codes.push_back(entry.operator_code);
        }
        for (const auto& entry : overlay.villages[v].operators) {
            if (entry.period_at(overlay.as_of) != nullptr) {
                codes.push_back(entry.operator_code);
            }
        }
        std::sort(codes.begin(), codes.end());
        codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
        for (const auto& code : codes) {
            VillageVerdict verdict;
            verdict.village = v;
            verdict.operator_code = code;
            const auto* coverage = overlay.villages[v].find(code);
            verdict.predicted = coverage != nullptr && coverage->period_at(overlay.as_of) != nullptr;
            if (const auto* samples = measured.villages[v].find(code)) {
                verdict.samples = samples->samples;
                verdict.at_threshold = samples->at_threshold;
                verdict.share = samples->share();
                verdict.first_day = samples->first_day;
            }
            verdict.verdict = verdict_of(verdict.predicted, verdict.samples, verdict.at_threshold, rule);
            out.verdicts.push_back(std::move(verdict));
        }
    }
}

void add_reliability(const Campaign& campaign, const std::vector<Village>& villages, const std::vector<Sample>& samples,
                     const overlay::MeasurementOverlay& measured, MeasurementTracking& out) {
    for (const Operator& op : campaign.operators) {
        OperatorReliability reliability;
        reliability.overall.key = op.code;
        std::map<std::string, ReliabilityCount> provinces;
        for (std::size_t s = 0; s < samples.size(); ++s) {
            const auto& judgement = measured.samples[s];
            if (samples[s].operator_code != op.code || !judgement.counted || !judgement.predicted_covered) {
                continue;
            }
            const int hit = judgement.at_threshold ? 1 : 0;
            ++reliability.overall.samples;
            reliability.overall.at_threshold += hit;
            if (judgement.village >= 0) {
                auto& province = provinces[villages[static_cast<std::size_t>(judgement.village)].province];
                ++province.samples;
                province.at_threshold += hit;
            }
        }
        const auto finish = [](ReliabilityCount& count) {
            if (count.samples > 0) {
                count.share = static_cast<double>(count.at_threshold) / count.samples;
            }
        };
        finish(reliability.overall);
        if (reliability.overall.share) {
            reliability.meets_average = *reliability.overall.share >= reliability_average_bar - 1e-12;
        }
        for (auto& [name, count] : provinces) {
            count.key = name;
            finish(count);
            reliability.provinces.push_back(count);
        }
        std::sort(reliability.provinces.begin(), reliability.provinces.end(),
                  [](const ReliabilityCount& a, const ReliabilityCount& b) { return name_less(a.key, b.key); });
        for (const auto& province : reliability.provinces) {
            if (province.share && *province.share < reliability_area_bar - 1e-12) {
                reliability.provinces_below_bar.push_back(province.key);
            }
        }
        out.reliability.push_back(std::move(reliability));
    }
}

struct Moments {
    int n = 0;
    double sum = 0.0;
    double sum_squares = 0.0;
    void add(double x) {
        ++n;
        sum += x;
        sum_squares += x * x;
    }
    double mean() const { return n > 0 ? sum / n : 0.0; }
    double rmse() const { return n > 0 ? std::sqrt(sum_squares / n) : 0.0; }
    double sd() const {
        const double m = mean();
        return n > 0 ? std::sqrt(std::max(0.0, sum_squares / n - m * m)) : 0.0;
    }
};

void add_calibration(const Campaign& campaign, const std::vector<Sample>& samples,
                     const overlay::MeasurementOverlay& measured, MeasurementTracking& out) {
    for (const Operator& op : campaign.operators) {
        std::map<Tech, Moments> by_tech;
        Moments all;
        for (std::size_t s = 0; s < samples.size(); ++s) {
            const auto& judgement = measured.samples[s];
            if (samples[s].operator_code != op.code || !judgement.counted || std::isnan(judgement.predicted_dbm)) {
                continue;
            }
            const double error_db = samples[s].level_dbm - judgement.predicted_dbm;
            by_tech[samples[s].tech].add(error_db);
            all.add(error_db);
        }
        for (const auto& [tech, m] : by_tech) {
            out.calibration.push_back(CalibrationGroup{op.code, tech, m.n, m.mean(), m.sd(), m.rmse()});
        }
        if (all.n > 0) {
            // Adding c to every prediction leaves errors e - c; their mean square is smallest at
            // c = mean(e), where it equals the variance.
            out.calibration_operators.push_back(CalibrationOperator{op.code, all.n, all.mean(), all.rmse(), all.sd()});
        }
    }
}

} // namespace

MeasurementTracking judge_measurements(const Campaign& campaign, const std::vector<Village>& villages,
                                       const std::vector<Sample>& samples, const overlay::Result& overlay,
                                       const overlay::MeasurementOverlay& measured) {
    MeasurementTracking out;
    out.active = true;
    out.evidence = campaign.coverage_rule.evidence;
    out.samples = samples.size();
    for (const auto& judgement : measured.samples) {
        out.samples_counted += judgement.counted ? 1 : 0;
        out.samples_in_villages += judgement.counted && judgement.village >= 0 ? 1 : 0;
    }
    add_verdicts(campaign, overlay, measured, out);
    add_reliability(campaign, villages, samples, measured, out);
    add_calibration(campaign, samples, measured, out);
    return out;
}

namespace {

overlay::OperatorCoverage& entry_for(overlay::VillageCoverage& village, const std::string& code) {
    auto it = std::lower_bound(village.operators.begin(), village.operators.end(), code,
                               [](const overlay::OperatorCoverage& a, const std::string& c) { return a.operator_code < c; });
    if (it == village.operators.end() || it->operator_code != code) {
        overlay::OperatorCoverage coverage;
        coverage.operator_code = code;
        it = village.operators.insert(it, std::move(coverage));
    }
    return *it;
}

} // namespace

overlay::Result evidence_overlay(const overlay::Result& overlay, const MeasurementTracking& tracking,
                                 const Campaign& campaign) {
    overlay::Result out;
    out.as_of = overlay.as_of;
    out.population_weighted = overlay.population_weighted;
    out.villages.reserve(overlay.villages.size());
    for (const auto& village : overlay.villages) {
        overlay::VillageCoverage copy;
        copy.area_km2 = village.area_km2;
        copy.any_fraction = village.any_fraction;
        copy.operators = village.operators;
        copy.gap_km2 = village.gap_km2;
        copy.population_weighted = village.population_weighted;
        out.villages.push_back(std::move(copy));
    }
    const Evidence evidence = campaign.coverage_rule.evidence;
    if (evidence == Evidence::prediction) {
        return out;
    }
    if (evidence == Evidence::measurement) {
        for (auto& village : out.villages) {
            for (auto& entry : village.operators) {
                entry.covered_periods.clear();
            }
        }
    }
    for (const auto& verdict : tracking.verdicts) {
        auto& village = out.villages[verdict.village];
        const bool measured_covered =
            verdict.verdict == MeasuredVerdict::confirmed || verdict.verdict == MeasuredVerdict::unpredicted;
        if (evidence == Evidence::measurement && measured_covered && verdict.first_day) {
            // Measured evidence dates coverage no earlier than the first sample that counts.
            entry_for(village, verdict.operator_code).covered_periods.push_back({*verdict.first_day, std::nullopt});
        } else if (evidence == Evidence::both && verdict.verdict == MeasuredVerdict::contradicted && verdict.first_day) {
            auto& periods = entry_for(village, verdict.operator_code).covered_periods;
            for (auto it = periods.begin(); it != periods.end(); ++it) {
                if (!it->contains(out.as_of)) {
                    continue;
                }
                if (it->from < *verdict.first_day) {
                    it->to = *verdict.first_day; // covered by the map until the samples said otherwise
                } else {
                    periods.erase(it);
                }
                break;
            }
        }
    }
    return out;
}

} // namespace deadzone::track
