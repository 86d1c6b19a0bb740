// Why it is late: the operators' own account of their planned and building cells (delay
// reasons, revised dates) turned into at-risk commitments, causes per operator and province,
// a completion forecast by the operators' dates and each province's to-do list.
#include <deadzone/track/track.hpp>

#include <deadzone/core/error.hpp>

#include <algorithm>
#include <map>

namespace deadzone::track {

namespace {

constexpr const char* unstated = "unstated";

DelayExplanation explain(const CommitmentResult& result, const Commitment& commitment,
                         const std::vector<Cell>& cells, const overlay::Result& overlay, Date as_of) {
    DelayExplanation out;
    if (result.status == Status::covered || result.status == Status::covered_late) {
        return out;
    }
    const auto* coverage = overlay.villages[result.village].find(commitment.operator_code);
    if (coverage == nullptr) {
        return out;
    }
    out.expected_covered_on = coverage->expected_covered_on;
    if (out.expected_covered_on && *out.expected_covered_on > commitment.deadline) {
        out.expected_delay_days = *out.expected_covered_on - commitment.deadline;
        out.at_risk = result.status == Status::pending;
    }
    std::vector<bool> seen(std::size(all_delay_reasons), false);
    for (const std::size_t index : coverage->cells) {
        const Cell& cell = cells[index];
        const bool waiting = cell.status == CellStatus::planned || cell.status == CellStatus::building;
        if (!waiting || cell.in_service(as_of)) {
            continue;
        }
        out.waiting_cells.push_back(index);
        if (cell.delay.reason) {
            seen[static_cast<std::size_t>(*cell.delay.reason)] = true;
        }
    }
    for (const auto reason : all_delay_reasons) {
        if (seen[static_cast<std::size_t>(reason)]) {
            out.reasons.push_back(reason);
        }
    }
    return out;
}

/// Days that rank a late or at-risk commitment: days late when overdue, expected delay otherwise.
int rank_days(const CommitmentResult& result, const DelayExplanation& why) {
    if (result.status == Status::overdue) {
        return result.days_late.value_or(0);
    }
    return why.expected_delay_days.value_or(0);
}

struct Context {
    const std::vector<Village>& villages;
    const std::vector<Commitment>& commitments;
    const std::vector<Cell>& cells;
    const Tracking& tracking;
    const std::vector<DelayExplanation>& why;
};

void sort_by_days(std::vector<std::size_t>& members, const Context& context) {
    std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
        const int da = rank_days(context.tracking.commitments[a], context.why[a]);
        const int db = rank_days(context.tracking.commitments[b], context.why[b]);
        if (da != db) {
            return da > db;
        }
        const auto& va = context.villages[context.tracking.commitments[a].village];
        const auto& vb = context.villages[context.tracking.commitments[b].village];
        if (va.name != vb.name) {
            return name_less(va.name, vb.name);
        }
        return std::tie(va.id, context.commitments[a].operator_code) <
               std::tie(vb.id, context.commitments[b].operator_code);
    });
}

GroupDelays build(const std::string& key, const std::vector<std::size_t>& members, const Context& context,
                  bool with_todo) {
    GroupDelays group;
    group.key = key;
    std::map<std::string, CauseCount> causes;
    std::optional<Date> last;
    bool any_open = false;
    for (const std::size_t i : members) {
        const auto& result = context.tracking.commitments[i];
        const auto& why = context.why[i];
        const bool covered = result.status == Status::covered || result.status == Status::covered_late;
        if (!covered) {
            any_open = true;
            if (why.expected_covered_on) {
                last = std::max(last.value_or(*why.expected_covered_on), *why.expected_covered_on);
            } else {
                ++group.without_expected_date;
            }
        }
        group.at_risk += why.at_risk ? 1 : 0;
        const bool late = result.status == Status::overdue;
        if (!late && !why.at_risk) {
            continue;
        }
        std::vector<std::string> names;
        for (const auto reason : why.reasons) {
            names.emplace_back(to_string(reason));
        }
        if (names.empty()) {
            names.emplace_back(unstated);
        }
        const int days = rank_days(result, why);
        for (const auto& name : names) {
            auto& cause = causes[name];
            cause.reason = name;
            cause.overdue += late ? 1 : 0;
            cause.at_risk += late ? 0 : 1;
            cause.max_days = std::max(cause.max_days, days);
            cause.commitments.push_back(i);
        }
        if (!with_todo) {
            continue;
        }
        for (const std::size_t cell : why.waiting_cells) {
            const auto& reason = context.cells[cell].delay.reason;
            if (reason && province_can_act(*reason)) {
                group.todo.push_back({i, *reason, cell, !late, days});
            }
        }
    }
    if (any_open && group.without_expected_date == 0) {
        group.operators_completion = last;
    }
    for (const auto reason : all_delay_reasons) {
        if (auto it = causes.find(to_string(reason)); it != causes.end()) {
            group.causes.push_back(std::move(it->second));
        }
    }
    if (auto it = causes.find(unstated); it != causes.end()) {
        group.causes.push_back(std::move(it->second));
    }
    for (auto& cause : group.causes) {
        sort_by_days(cause.commitments, context);
    }
    // Most days first; then village, operator, reason and cell so the order is total.
    std::vector<std::size_t> ranked;
    for (const auto& item : group.todo) {
        ranked.push_back(item.commitment);
    }
    std::sort(ranked.begin(), ranked.end());
    ranked.erase(std::unique(ranked.begin(), ranked.end()), ranked.end());
    sort_by_days(ranked, context);
    std::vector<std::size_t> rank(context.commitments.size(), 0);
    for (std::size_t r = 0; r < ranked.size(); ++r) {
        rank[ranked[r]] = r;
    }
    std::stable_sort(group.todo.begin(), group.todo.end(), [&](const TodoItem& a, const TodoItem& b) {
        return std::tie(rank[a.commitment], a.reason, a.cell) < std::tie(rank[b.commitment], b.reason, b.cell);
    });
    return group;
}

} // namespace

void explain_delays(Tracking& tracking, const std::vector<Village>& villages,
                    const std::vector<Commitment>& commitments, const std::vector<Cell>& cells,
                    const overlay::Result& overlay) {
    if (tracking.commitments.size() != commitments.size() || overlay.villages.size() != villages.size()) {
        throw Failure("explain_delays: the tracking does not belong to these commitments and villages");
    }
    Delays delays;
    delays.commitments.reserve(commitments.size());
    for (std::size_t i = 0; i < commitments.size(); ++i) {
        delays.commitments.push_back(explain(tracking.commitments[i], commitments[i], cells, overlay, tracking.as_of));
    }
    const Context context{villages, commitments, cells, tracking, delays.commitments};

    std::vector<std::size_t> all(commitments.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        all[i] = i;
    }
    delays.overall = build("all", all, context, false);
    for (const auto& group : tracking.operators) {
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < commitments.size(); ++i) {
            if (commitments[i].operator_code == group.key) {
                members.push_back(i);
            }
        }
        delays.operators.push_back(build(group.key, members, context, false));
    }
    for (const auto& group : tracking.provinces) {
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < commitments.size(); ++i) {
            if (villages[tracking.commitments[i].village].province == group.key) {
                members.push_back(i);
            }
        }
        delays.provinces.push_back(build(group.key, members, context, true));
    }
    tracking.delays = std::move(delays);
}

} // namespace deadzone::track
