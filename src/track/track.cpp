#include <deadzone/track/track.hpp>

#include <deadzone/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace deadzone::track {

const char* to_string(Status status) noexcept {
    switch (status) {
    case Status::covered: return "covered";
    case Status::covered_late: return "covered_late";
    case Status::overdue: return "overdue";
    case Status::pending: return "pending";
    }
    return "pending";
}

namespace {

/// A commitment as tracking sees it: its result plus the operator's coverage of the village
/// (null when no footprint of that operator touches the village).
struct Entry {
    const overlay::OperatorCoverage* coverage = nullptr;
};

// Overlay lookups written here rather than through OperatorCoverage::period_at/find so that
// tracking relies only on the data fields of the overlay contract.
const overlay::OperatorCoverage* coverage_of(const overlay::VillageCoverage& village,
                                             std::string_view operator_code) {
    for (const auto& entry : village.operators) {
        if (entry.operator_code == operator_code) {
            return &entry;
        }
    }
    return nullptr;
}

const overlay::Period* period_containing(const overlay::OperatorCoverage* coverage, Date day) {
    if (coverage == nullptr) {
        return nullptr;
    }
    for (const auto& period : coverage->covered_periods) {
        if (period.contains(day)) {
            return &period;
        }
    }
    return nullptr;
}

int covered_count_at(const std::vector<std::size_t>& members, const std::vector<Entry>& entries,
                     Date day) {
    int count = 0;
    for (const std::size_t index : members) {
        if (period_containing(entries[index].coverage, day) != nullptr) {
            ++count;
        }
    }
    return count;
}

/// The first day the timeline shows: the campaign's start, or else the earliest day on which
/// anything happened (a commitment registered or a village first covered); as_of if nothing did.
Date timeline_start(const Campaign& campaign, const std::vector<Commitment>& commitments,
                    const std::vector<Entry>& entries, Date as_of) {
    if (campaign.start_date) {
        return *campaign.start_date;
    }
    std::optional<Date> first;
    const auto consider = [&](Date day) {
        if (day <= as_of && (!first || day < *first)) {
            first = day;
        }
    };
    for (std::size_t i = 0; i < commitments.size(); ++i) {
        if (commitments[i].registered_on) {
            consider(*commitments[i].registered_on);
        }
        if (entries[i].coverage != nullptr) {
            for (const auto& period : entries[i].coverage->covered_periods) {
                consider(period.from);
            }
        }
    }
    return first.value_or(as_of);
}

/// Number of members covered on each timeline day, from `start` to `as_of` inclusive (empty if
/// as_of < start; weekly beyond timeline_daily_days, see Group::timeline),
/// by adding +1/-1 at each covered period's ends: linear in commitments plus days.
std::vector<TimelinePoint> build_timeline(const std::vector<std::size_t>& members,
                                          const std::vector<Entry>& entries, Date start,
                                          Date as_of) {
    std::vector<TimelinePoint> timeline;
    if (as_of < start) {
        return timeline;
    }
    const std::size_t days = static_cast<std::size_t>(as_of - start) + 1;
    std::vector<int> delta(days + 1, 0);
    const Date end = as_of + 1;
    for (const std::size_t index : members) {
        if (entries[index].coverage == nullptr) {
            continue;
        }
        for (const auto& period : entries[index].coverage->covered_periods) {
            const Date from = std::max(period.from, start);
            const Date to = period.to ? std::min(*period.to, end) : end;
            if (from < to) {
                ++delta[static_cast<std::size_t>(from - start)];
                --delta[static_cast<std::size_t>(to - start)];
            }
        }
    }
    // Daily points while the span fits timeline_daily_days; beyond, one point a week, counted back
    // from as_of so that as_of is always the last point, plus the start as the first. Without a
    // bound a far as-of date made progress.json hundreds of megabytes.
    const std::size_t step = days > static_cast<std::size_t>(timeline_daily_days) ? 7 : 1;
    timeline.reserve(days / step + 2);
    int running = 0;
    for (std::size_t day = 0; day < days; ++day) {
        running += delta[day];
        if (day == 0 || (days - 1 - day) % step == 0) {
            timeline.push_back({start + static_cast<std::int32_t>(day), running});
        }
    }
    return timeline;
}

Group build_group(std::string key, std::vector<std::size_t> members,
                  const std::vector<CommitmentResult>& results, const std::vector<Entry>& entries,
                  const Campaign& campaign, Date start, Date as_of, int window_days) {
    Group group;
    group.key = std::move(key);

    Counts& counts = group.counts;
    for (const std::size_t index : members) {
        switch (results[index].status) {
        case Status::covered: ++counts.covered; break;
        case Status::covered_late: ++counts.covered_late; break;
        case Status::overdue: ++counts.overdue; break;
        case Status::pending: ++counts.pending; break;
        }
    }
    counts.total = static_cast<int>(members.size());
    const int covered_now = counts.covered + counts.covered_late;
    // An empty group has nothing covered; 0 rather than 0/0.
    counts.fraction = counts.total > 0 ? static_cast<double>(covered_now) / counts.total : 0.0;

    group.timeline = build_timeline(members, entries, start, as_of);

    // Pace: net change of the covered count over the window, which is cut to the days since the
    // timeline's start (a campaign ten days old has a ten-day pace, not a diluted thirty-day one).
    Forecast& forecast = group.forecast;
    forecast.window_days = std::clamp(as_of - start, 0, std::max(window_days, 1));
    if (forecast.window_days > 0) {
        const int before = covered_count_at(members, entries, as_of - forecast.window_days);
        forecast.pace_per_day =
            std::max(0, covered_now - before) / static_cast<double>(forecast.window_days);
    }
    forecast.remaining = counts.total - covered_now;
    forecast.done = forecast.remaining == 0;
    if (!forecast.done && forecast.pace_per_day > 0.0) {
        const double days_needed = std::ceil(forecast.remaining / forecast.pace_per_day - 1e-9);
        forecast.completion = as_of + static_cast<std::int32_t>(days_needed);
    }

    for (const Milestone& milestone : campaign.milestones) {
        MilestoneResult result;
        result.date = milestone.date;
        result.target = milestone.target;
        result.upcoming = milestone.date > as_of;
        const Date judged_on = std::min(milestone.date, as_of);
        const int covered = covered_count_at(members, entries, judged_on);
        if (counts.total > 0) {
            result.achieved = static_cast<double>(covered) / counts.total;
            if (result.upcoming) {
                const double expected =
                    covered_now + forecast.pace_per_day * (milestone.date - as_of);
                result.forecast_achieved =
                    std::min(expected, static_cast<double>(counts.total)) / counts.total;
            } else {
                result.met = result.achieved >= milestone.target - 1e-12;
            }
        }
        // A group with no commitments gets no verdict (met stays empty): nothing was due.
        group.milestones.push_back(result);
    }
    return group;
}

/// A commitment's status at the as-of date from its operator's coverage of the village.
void judge(Date deadline, const overlay::OperatorCoverage* coverage, Date as_of, double min_fraction,
           CommitmentResult& result) {
    if (const auto* period = period_containing(coverage, as_of)) {
        result.covered_on = period->from;
        if (period->from <= deadline) {
            result.status = Status::covered;
        } else {
            result.status = Status::covered_late;
            result.days_late = period->from - deadline;
        }
    } else if (as_of > deadline) {
        result.status = Status::overdue;
        result.days_late = as_of - deadline;
    } else {
        result.status = Status::pending;
    }
    const double potential = coverage != nullptr ? coverage->potential_fraction : 0.0;
    result.cannot_be_met = !result.covered_on && potential < min_fraction;
}

void add_groups(const Campaign& campaign, const std::vector<Village>& villages,
                const std::vector<Commitment>& commitments, const std::vector<Entry>& entries, Date as_of,
                const Options& options, Tracking& tracking);

} // namespace

Tracking run_track(const Campaign& campaign, const std::vector<Village>& villages,
                   const std::vector<Commitment>& commitments, const overlay::Result& overlay,
                   Date as_of, const Options& options) {
    if (overlay.villages.size() != villages.size()) {
        throw Failure("tracking: the overlay has " + std::to_string(overlay.villages.size()) +
                      " villages but the village list has " + std::to_string(villages.size()));
    }
    if (overlay.as_of != as_of) {
        throw Failure("tracking: the overlay was computed for " + overlay.as_of.iso() +
                      ", not for the as-of date " + as_of.iso());
    }

    std::unordered_map<std::string_view, std::size_t> village_index;
    village_index.reserve(villages.size());
    for (std::size_t i = 0; i < villages.size(); ++i) {
        village_index.emplace(villages[i].id, i);
    }

    Tracking tracking;
    tracking.as_of = as_of;
    tracking.commitments.reserve(commitments.size());
    std::vector<Entry> entries(commitments.size());
    std::vector<Problem> problems;
    const double min_fraction = campaign.coverage_rule.min_fraction;

    for (std::size_t i = 0; i < commitments.size(); ++i) {
        const Commitment& commitment = commitments[i];
        CommitmentResult result;
        result.commitment = i;
        const auto found = village_index.find(commitment.village_id);
        const bool known_operator = campaign.find_operator(commitment.operator_code) != nullptr;
        if (found == village_index.end() || !known_operator) {
            Problem problem;
            problem.where = commitment.source;
            problem.field = found == village_index.end() ? "village_id" : "operator";
            problem.code = found == village_index.end() ? "unknown_village" : "unknown_operator";
            problem.message = found == village_index.end()
                                  ? "no village with id '" + commitment.village_id + "'"
                                  : "operator '" + commitment.operator_code +
                                        "' is not in the campaign";
            problems.push_back(std::move(problem));
            tracking.commitments.push_back(result);
            continue;
        }
        result.village = found->second;
        const auto* coverage =
            coverage_of(overlay.villages[result.village], commitment.operator_code);
        entries[i].coverage = coverage;
        result.coverage = coverage != nullptr ? coverage->fraction : 0.0;

        judge(commitment.deadline, coverage, as_of, min_fraction, result);
        tracking.commitments.push_back(result);
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }

    add_groups(campaign, villages, commitments, entries, as_of, options, tracking);
    return tracking;
}

namespace {

/// The overall group, one per campaign operator and one per province (in Vietnamese name order).
void add_groups(const Campaign& campaign, const std::vector<Village>& villages,
                const std::vector<Commitment>& commitments, const std::vector<Entry>& entries, Date as_of,
                const Options& options, Tracking& tracking) {
    const Date start = timeline_start(campaign, commitments, entries, as_of);
    const int window = options.forecast_window_days;

    std::vector<std::size_t> all(commitments.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        all[i] = i;
    }
    tracking.overall =
        build_group("all", all, tracking.commitments, entries, campaign, start, as_of, window);

    for (const Operator& op : campaign.operators) {
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < commitments.size(); ++i) {
            if (commitments[i].operator_code == op.code) {
                members.push_back(i);
            }
        }
        tracking.operators.push_back(build_group(op.code, std::move(members),
                                                 tracking.commitments, entries, campaign, start,
                                                 as_of, window));
    }

    std::map<std::string, std::vector<std::size_t>> by_province;
    for (std::size_t i = 0; i < commitments.size(); ++i) {
        by_province[villages[tracking.commitments[i].village].province].push_back(i);
    }
    std::vector<std::string> provinces;
    for (const auto& [province, members] : by_province) {
        provinces.push_back(province);
    }
    std::sort(provinces.begin(), provinces.end(),
              [](const std::string& a, const std::string& b) { return name_less(a, b); });
    for (const std::string& province : provinces) {
        tracking.provinces.push_back(build_group(province, std::move(by_province[province]),
                                                 tracking.commitments, entries, campaign, start,
                                                 as_of, window));
    }
}

} // namespace

} // namespace deadzone::track
