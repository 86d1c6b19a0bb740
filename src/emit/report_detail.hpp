// Private to emit/report*.cpp: the facts every report shows (so that progress.json, progress.csv,
// report.md and report.html agree), number and date formatting, and the embedded outline.
#pragma once

#include <deadzone/core/language.hpp>
#include <deadzone/pipeline/analysis.hpp>

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::emit::detail {

/// Natural Earth's Vietnam (GeoJSON), compiled in by cmake/embed_file.cmake.
std::string_view vietnam_outline_geojson();

/// Every fraction leaves deadzone rounded to 4 decimals, so all four reports show one number.
double round4(double value);
/// "40.32 %": the 4-decimal fraction as a percentage with 2 decimals.
std::string percent(double fraction);
/// "40 %", "12.5 %": a milestone target.
std::string target_text(double target);
/// "30 June 2022".
std::string long_date(Date date);

enum class Verdict { met, missed, upcoming, none };
/// `none`: the group has no commitments, so nothing was due.
Verdict verdict(const track::MilestoneResult& milestone);
const char* to_string(Verdict verdict);

/// "2022-07-29", "done", "no recent progress".
std::string forecast_text(const track::Forecast& forecast);

/// Display name of a province group ("(no province)" for villages without one).
std::string province_label(const std::string& province);
std::string operator_name(const Campaign& campaign, const std::string& code);
/// "Coverage model: …" text: the model stage's description in English, the catalogue's elsewhere.
std::string model_text(const Campaign& campaign, Language lang);

// ---- report_chart.cpp ---------------------------------------------------------------------------
/// `&`, `<`, `>`, `"` and `'` as HTML entities: every text a user typed goes through it.
std::string html_escape(std::string_view text);
/// report.html's burn-up chart of one group (an inline SVG), its line drawn in `color`.
std::string burnup_svg(const Analysis& analysis, const track::Group& group, const std::string& color,
                       const std::string& title);

// ---- report_locale.cpp: the same in the campaign's language (English forms as above) ----------
Language language_of(const Analysis& analysis);
std::string percent(double fraction, Language language);
std::string target_text(double target, Language language);
/// en "30 June 2022", vi "30/6/2022".
std::string long_date(Date date, Language language);
/// en "2022-06-30", vi "30/6/2022".
std::string day_text(Date date, Language language);
std::string verdict_text(Verdict verdict, Language language);
std::string status_text(track::Status status, Language language);
std::string forecast_text(const track::Forecast& forecast, Language language);
std::string province_label(const std::string& province, Language language);

struct Facts {
    /// Villages with at least one commitment, and those of them where every commitment is
    /// covered (on time or late) at the as-of date: the headline's "N of M villages covered".
    int villages_committed = 0;
    int villages_covered = 0;
    /// Per village: the worst status of its commitments (overdue > pending > covered_late >
    /// covered), empty for a village nobody committed to.
    std::vector<std::optional<track::Status>> village_status;
    std::vector<bool> village_cannot_be_met;
    /// Indices into the commitment list: overdue ones by days late (most first), then province,
    /// village, operator; cannot-be-met ones by province, village, operator.
    std::vector<std::size_t> overdue;
    std::vector<std::size_t> cannot_be_met;
    /// The operator's coverage of the village if every listed cell were in service.
    std::vector<double> potential;
};
Facts collect_facts(const Analysis& analysis);

/// headline() and progress_json() for facts already collected (collecting sorts every list).
std::string headline(const Analysis& analysis, const Facts& facts);
/// The headline in a given language: progress.json is a machine output and keeps it in English.
std::string headline(const Analysis& analysis, const Facts& facts, Language language);
nlohmann::ordered_json progress_json(const Analysis& analysis, const Facts& facts);
std::string progress_csv(const Analysis& analysis);
std::string report_markdown(const Analysis& analysis, const Facts& facts);
std::string report_html(const Analysis& analysis, const Facts& facts);

// ---- report_delays.cpp: "why it is late" -------------------------------------------------
/// at_risk, expected_covered_on, expected_delay_days, delay_reasons of one commitment row.
void add_delay_fields(nlohmann::ordered_json& row, const Analysis& analysis, std::size_t commitment);
/// at_risk, causes (and todo for provinces) of one group.
nlohmann::ordered_json group_delays_json(const Analysis& analysis, const track::GroupDelays& group, bool with_todo);
/// operators_completion, without_expected_date, operators_note.
nlohmann::ordered_json operators_forecast_json(const track::GroupDelays& group);
/// Pending commitments at risk, most expected days of delay first.
std::vector<std::size_t> at_risk_list(const Analysis& analysis);
std::string delays_markdown(const Analysis& analysis, const std::function<std::string(const std::string&)>& md);
/// report.html lists at most this many overdue and as many cannot-be-met commitments (the most
/// overdue first; report.md and the commitments layer have them all): at national scale the
/// lists were most of a 3 MB page.
inline constexpr std::size_t html_list_limit = 1000;
// ---- report_map.cpp: report.html's map at national scale --------------------------------------
/// Above this many villages report.html maps hexagons of village counts, not one circle each.
inline constexpr std::size_t map_village_limit = 5000;
bool aggregate_map(const Analysis& analysis);
/// One circle per village over Vietnam's outline (an inline SVG), for analyses that are not
/// aggregate_map(); `by_village` lists each village's commitments.
std::string village_map_svg(const Analysis& analysis, const Facts& facts,
                            const std::vector<std::vector<std::size_t>>& by_village,
                            const std::function<std::string(std::string_view)>& esc);
/// The map box (hexagon grid over Vietnam's outline) and its note, for aggregate_map() analyses.
std::string aggregated_map_html(const Analysis& analysis, const Facts& facts,
                                const std::function<std::string(std::string_view)>& esc);

std::string delays_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc);
/// One province's to-do list as CSV, and its file name (todo_NN_<ascii name>.csv).
std::string todo_csv(const Analysis& analysis, const track::GroupDelays& group);
std::string todo_file_name(const std::string& province, std::size_t index);

// ---- report_measurements*.cpp: field measurements (only when analysis.measurements.active) --
nlohmann::ordered_json measurements_json(const Analysis& analysis);
std::string measurements_markdown(const Analysis& analysis, const std::function<std::string(const std::string&)>& md);
std::string measurements_html(const Analysis& analysis, const std::function<std::string(std::string_view)>& esc);
/// contradicted_villages.csv: province, village, operator order.
std::string contradicted_csv(const Analysis& analysis);
/// Contradicted village verdicts: province, village, operator order.
std::vector<const track::VillageVerdict*> contradicted_list(const Analysis& analysis);
/// A verdict (meas.verdict.<code>) and the evidence setting (meas.evidence.<code>) as people read them.
std::string measured_verdict_text(track::MeasuredVerdict verdict, Language language);
std::string measured_evidence_text(Evidence evidence, Language language);

/// One sentence describing how statuses, shares and the headline are computed.
extern const char* const status_definition;
extern const char* const village_definition;
extern const char* const forecast_definition;

} // namespace deadzone::emit::detail
