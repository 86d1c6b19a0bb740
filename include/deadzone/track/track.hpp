// track: as of a date, each commitment's status (covered, covered_late, overdue, pending),
// counts per operator, per province and overall, milestone results, a daily timeline and a
// forecast of completion — exactly as DESIGN.md defines them.
#pragma once

#include <deadzone/campaign.hpp>
#include <deadzone/date.hpp>
#include <deadzone/entities.hpp>
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

struct Tracking {
    Date as_of;
    std::vector<CommitmentResult> commitments; // parallel to the commitment list
    Group overall;
    std::vector<Group> operators; // campaign order
    std::vector<Group> provinces; // sorted by name
};

struct Options {
    int forecast_window_days = 30;
};

/// Orders names as a Vietnamese reader expects: letters with diacritics sort with their base
/// letter (Đ with D), ties broken by the exact UTF-8 bytes so the order is total.
bool name_less(std::string_view a, std::string_view b);

Tracking run_track(const Campaign& campaign, const std::vector<Village>& villages,
                   const std::vector<Commitment>& commitments, const overlay::Result& overlay,
                   Date as_of, const Options& options = {});

} // namespace deadzone::track
