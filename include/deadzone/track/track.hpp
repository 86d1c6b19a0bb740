// track: as of a date, each commitment's status (covered, covered_late, overdue, pending),
// counts per operator, per province and overall, milestone results, a daily timeline and a
// forecast of completion — exactly as DESIGN.md defines them.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/date.hpp>
#include <deadzone/core/entities.hpp>
#include <deadzone/overlay/overlay.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::track {

enum class Status { covered, covered_late, overdue, pending };
const char* to_string(Status status) noexcept;

struct CommitmentResult {
    std::size_t commitment = 0; // index into the commitment list
    std::size_t village = 0;    // index into the village list
    Status status = Status::pending;
    double coverage = 0.0;      // the operator's fraction of the village at the as-of date
    std::optional<Date> covered_on; // first day of the covered period containing the as-of date
    std::optional<int> days_late;
    /// Not covered, and even every planned/building cell of the operator would not cover it.
    bool cannot_be_met = false;
};

struct Counts {
    int covered = 0;
    int covered_late = 0;
    int overdue = 0;
    int pending = 0;
    int total = 0;
    double fraction = 0.0; // (covered + covered_late) / total
};

struct MilestoneResult {
    Date date;
    double target = 0.0;
    double achieved = 0.0;     // share covered at min(date, as_of)
    std::optional<bool> met;   // empty while upcoming (date > as_of)
    bool upcoming = false;
    std::optional<double> forecast_achieved; // for upcoming milestones: the forecast share
};

/// Longest timeline with a point per day (two years and a day); longer ones get weekly points.
inline constexpr int timeline_daily_days = 732;

struct TimelinePoint {
    Date date;
    int covered = 0; // commitments covered on that day (cumulative burn-up)
};

/// A linear extrapolation of the recent pace. It is a forecast, labelled as such in outputs.
struct Forecast {
    int window_days = 30;          // the pace is measured over this many days before as_of
    double pace_per_day = 0.0;     // commitments newly covered per day in the window
    int remaining = 0;
    std::optional<Date> completion; // empty when done already or when the pace is zero
    bool done = false;
};

struct Group {
    std::string key; // operator code, province name, or "all"
    Counts counts;
    std::vector<MilestoneResult> milestones;
    /// From campaign start (or first event) to as_of: daily when the span is at most
    /// timeline_daily_days days, else weekly (ending on as_of) after a first point on the start.
    std::vector<TimelinePoint> timeline;
    Forecast forecast;
};

/// Why a commitment is not covered yet, by the operators' own account (DESIGN.md "Delays").
struct DelayExplanation {
    /// Not covered at the as-of date: the first day the operator's listed and revised
    /// (expected_on_air_date) dates would meet the rule; empty when they never would.
    std::optional<Date> expected_covered_on;
    /// Pending, and expected_covered_on falls after the deadline.
    bool at_risk = false;
    /// expected_covered_on - deadline, when positive.
    std::optional<int> expected_delay_days;
    /// The operator's cells touching the village that are not in service at the as-of date
    /// (planned or building): the cells that would cover it. Indices into the cell list.
    std::vector<std::size_t> waiting_cells;
    /// The distinct delay reasons of those cells, in DelayReason order.
    std::vector<DelayReason> reasons;
};

/// Late (overdue) and at-risk commitments of one group under one delay reason. A commitment
/// waiting on cells with several reasons counts once under each; one whose cells give no reason
/// counts under "unstated".
struct CauseCount {
    std::string reason;
    int overdue = 0;
    int at_risk = 0;
    int max_days = 0; // days late (overdue) or expected days of delay (at risk)
    std::vector<std::size_t> commitments; // indices: most days first, then village name
};

/// One thing a provincial department can unblock itself (power, permit, pole_fee, access).
struct TodoItem {
    std::size_t commitment = 0;
    DelayReason reason = DelayReason::other;
    std::size_t cell = 0;  // the waiting cell that gives the reason
    bool at_risk = false;  // false: overdue
    int days = 0;          // days late (overdue) or expected days of delay (at risk)
};

struct GroupDelays {
    std::string key; // as the Group it belongs to
    std::vector<CauseCount> causes; // DelayReason order, then "unstated"; empty reasons left out
    int at_risk = 0;
    /// Completion by the operators' own dates: the last expected_covered_on of the commitments not
    /// covered yet. A forecast. Empty when one of them has no date (counted below) or all are done.
    std::optional<Date> operators_completion;
    int without_expected_date = 0;
    std::vector<TodoItem> todo; // provinces only: most days first
};

/// Filled by explain_delays(); empty when it was not run.
struct Delays {
    std::vector<DelayExplanation> commitments; // parallel to the commitment list
    GroupDelays overall;
    std::vector<GroupDelays> operators; // parallel to Tracking::operators
    std::vector<GroupDelays> provinces; // parallel to Tracking::provinces
};

struct Tracking {
    Date as_of;
    std::vector<CommitmentResult> commitments; // parallel to the commitment list
    Group overall;
    std::vector<Group> operators; // campaign order
    std::vector<Group> provinces; // sorted by name
    Delays delays;
};

struct Options {
    int forecast_window_days = 30;
};

/// Orders names as a Vietnamese reader expects: letters with diacritics sort with their base
/// letter (Đ with D), ties broken by the exact UTF-8 bytes so the order is total.
bool name_less(std::string_view a, std::string_view b);
/// Vietnamese letters folded to their lower-case base letter (Đ → d, Ấ → a); other non-ASCII
/// code points become '_'. For file names made from names.
std::string ascii_fold(std::string_view text);

Tracking run_track(const Campaign& campaign, const std::vector<Village>& villages,
                   const std::vector<Commitment>& commitments, const overlay::Result& overlay,
                   Date as_of, const Options& options = {});

/// Adds the delay account to a tracking: at-risk commitments, causes per operator and province,
/// completion by the operators' dates and the provincial to-do lists (tracking.delays).
void explain_delays(Tracking& tracking, const std::vector<Village>& villages,
                    const std::vector<Commitment>& commitments, const std::vector<Cell>& cells,
                    const overlay::Result& overlay);

} // namespace deadzone::track
