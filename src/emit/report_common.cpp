#include "report_detail.hpp"

#include <deadzone/core/error.hpp>
#include <deadzone/emit/locale.hpp>
#include <deadzone/emit/reports.hpp>
#include <deadzone/model/diffraction.hpp>
#include <deadzone/model/footprint.hpp>
#include <deadzone/model/pathloss.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace deadzone::emit {

namespace detail {

const char* const status_definition =
    "A commitment is covered when its operator meets the coverage rule on the village at the "
    "as-of date: covered if that period began on or before the deadline, covered_late if after; "
    "a commitment not covered at the as-of date is overdue once its deadline has passed, pending "
    "until then. A village whose covering cell went off air is not covered from that day.";
const char* const village_definition =
    "A village counts as covered when every operator that committed to it covers it at the "
    "as-of date (on time or late); villages are those with at least one commitment.";
const char* const forecast_definition =
    "Forecast, not a measurement: the net number of commitments newly covered per day over the "
    "last window_days before the as-of date (fewer when the campaign is younger), extrapolated "
    "linearly to the remaining ones.";

double round4(double value) {
    const double rounded = std::round(value * 10000.0) / 10000.0;
    return rounded == 0.0 ? 0.0 : rounded; // no "-0"
}

std::string percent(double fraction) { return fmt::format("{:.2f} %", round4(fraction) * 100.0); }

std::string target_text(double target) { return fmt::format("{:g} %", round4(target) * 100.0); }

std::string long_date(Date date) {
    static const char* const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    return fmt::format("{} {} {}", date.day(), months[date.month() - 1], date.year());
}

Verdict verdict(const track::MilestoneResult& milestone) {
    if (milestone.upcoming) {
        return Verdict::upcoming;
    }
    if (!milestone.met) {
        return Verdict::none;
    }
    return *milestone.met ? Verdict::met : Verdict::missed;
}

const char* to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::met: return "met";
    case Verdict::missed: return "missed";
    case Verdict::upcoming: return "upcoming";
    case Verdict::none: return "n/a";
    }
    return "n/a";
}

std::string forecast_text(const track::Forecast& forecast) {
    if (forecast.done) {
        return "done";
    }
    if (forecast.completion) {
        return forecast.completion->iso();
    }
    return "no recent progress";
}

std::string province_label(const std::string& province) {
    return province.empty() ? "(no province)" : province;
}

std::string model_text(const Campaign& campaign, Language lang) {
    // English keeps the model stage's own description (also written into the layers); other
    // languages build the same facts from the catalogue. Model and method names stay as they are.
    if (lang == Language::en) {
        return model::model_description(campaign);
    }
    const auto& m = campaign.model;
    const auto env = tr(std::string{"model.env."} + model::to_string(m.environment), lang);
    if (m.terrain_model.empty()) {
        return tr("model.blind", lang,
                  {{"propagation", m.propagation == model::PropagationModel::automatic
                                       ? tr("model.propagation.automatic", lang)
                                       : std::string{model::to_string(m.propagation)}},
                   {"environment", env},
                   {"city", tr(std::string{"model.city."} + model::to_string(m.city), lang)},
                   {"range", format_decimal(m.max_range_m, 0, lang)}});
    }
    std::string name = m.terrain_model;
    if (m.terrain_model == "hata+diffraction") {
        name = tr("model.hata_diffraction", lang,
                  {{"environment", env},
                   {"diffraction", model::to_string(m.terrain.diffraction)},
                   {"k", format_decimal(m.terrain.k_factor, 3, lang)}});
    } else if (m.terrain_model == "itm") {
        const auto& q = m.terrain.itm.quantiles;
        name = tr("model.itm", lang,
                  {{"climate", std::to_string(static_cast<int>(m.terrain.itm.climate))},
                   {"n0", fmt::format("{:g}", m.terrain.itm.n0)},
                   {"time", fmt::format("{:g}", q.time_pct)},
                   {"location", fmt::format("{:g}", q.location_pct)},
                   {"situation", fmt::format("{:g}", q.situation_pct)}});
    }
    const auto step = m.sampling.profile_step_m
                          ? fmt::format("{:g} m", *m.sampling.profile_step_m)
                          : tr("model.step_dem", lang);
    return tr("model.terrain", lang,
              {{"model", name},
               {"dem", campaign.terrain_dem ? campaign.terrain_dem->filename().string() : std::string{"?"}},
               {"radials", std::to_string(m.sampling.radials)},
               {"step", step}});
}

std::string operator_name(const Campaign& campaign, const std::string& code) {
    const Operator* op = campaign.find_operator(code);
    return op != nullptr && !op->name.empty() ? op->name : code;
}

namespace {

int severity(track::Status status) {
    switch (status) {
    case track::Status::covered: return 0;
    case track::Status::covered_late: return 1;
    case track::Status::pending: return 2;
    case track::Status::overdue: return 3;
    }
    return 3;
}

double potential_of(const Analysis& analysis, std::size_t village, const std::string& code) {
    if (village >= analysis.overlay.villages.size()) {
        return 0.0;
    }
    for (const auto& entry : analysis.overlay.villages[village].operators) {
        if (entry.operator_code == code) {
            return entry.potential_fraction;
        }
    }
    return 0.0;
}

} // namespace

Facts collect_facts(const Analysis& analysis) {
    const auto& results = analysis.tracking.commitments;
    if (results.size() != analysis.commitments.size()) {
        throw Failure("reports: tracking has " + std::to_string(results.size()) +
                      " results for " + std::to_string(analysis.commitments.size()) +
                      " commitments");
    }
    Facts facts;
    facts.village_status.assign(analysis.villages.size(), std::nullopt);
    facts.village_cannot_be_met.assign(analysis.villages.size(), false);
    facts.potential.resize(results.size(), 0.0);
    std::vector<bool> all_covered(analysis.villages.size(), true);
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& result = results[i];
        if (result.village >= analysis.villages.size()) {
            throw Failure("reports: commitment " + std::to_string(i) + " has no village");
        }
        auto& status = facts.village_status[result.village];
        if (!status || severity(result.status) > severity(*status)) {
            status = result.status;
        }
        if (result.status != track::Status::covered &&
            result.status != track::Status::covered_late) {
            all_covered[result.village] = false;
        }
        if (result.cannot_be_met) {
            facts.village_cannot_be_met[result.village] = true;
            facts.cannot_be_met.push_back(i);
        }
        if (result.status == track::Status::overdue) {
            facts.overdue.push_back(i);
        }
        facts.potential[i] =
            potential_of(analysis, result.village, analysis.commitments[i].operator_code);
    }
    for (std::size_t v = 0; v < analysis.villages.size(); ++v) {
        if (facts.village_status[v]) {
            ++facts.villages_committed;
            if (all_covered[v]) {
                ++facts.villages_covered;
            }
        }
    }

    const auto by_place = [&](std::size_t a, std::size_t b) {
        const Village& va = analysis.villages[results[a].village];
        const Village& vb = analysis.villages[results[b].village];
        if (va.province != vb.province) {
            return track::name_less(va.province, vb.province);
        }
        if (va.name != vb.name) {
            return track::name_less(va.name, vb.name);
        }
        if (va.id != vb.id) {
            return va.id < vb.id;
        }
        if (analysis.commitments[a].operator_code != analysis.commitments[b].operator_code) {
            return analysis.commitments[a].operator_code < analysis.commitments[b].operator_code;
        }
        return a < b;
    };
    std::sort(facts.overdue.begin(), facts.overdue.end(), [&](std::size_t a, std::size_t b) {
        const int late_a = results[a].days_late.value_or(0);
        const int late_b = results[b].days_late.value_or(0);
        return late_a != late_b ? late_a > late_b : by_place(a, b);
    });
    std::sort(facts.cannot_be_met.begin(), facts.cannot_be_met.end(), by_place);
    return facts;
}

} // namespace detail

std::string headline(const Analysis& analysis) {
    return detail::headline(analysis, detail::collect_facts(analysis));
}

std::string detail::headline(const Analysis& analysis, const Facts& facts) {
    return headline(analysis, facts, detail::language_of(analysis));
}

std::string detail::headline(const Analysis& analysis, const Facts& facts, Language lang) {
    const Date as_of = analysis.tracking.as_of;
    std::string text = tr("headline.as_of", lang, {{"date", detail::long_date(as_of, lang)}});
    if (facts.villages_committed == 0) {
        return text + tr("headline.no_villages", lang);
    }
    text += tr("headline.covered", lang,
               {{"covered", std::to_string(facts.villages_covered)},
                {"committed", std::to_string(facts.villages_committed)},
                {"share", format_decimal(100.0 * facts.villages_covered / facts.villages_committed, 1, lang)}});
    // The verdict shown is the latest milestone already judged; before the first one, say
    // which milestone comes next.
    const auto& milestones = analysis.tracking.overall.milestones;
    const track::MilestoneResult* judged = nullptr;
    const track::MilestoneResult* next = nullptr;
    for (const auto& milestone : milestones) {
        if (!milestone.upcoming) {
            judged = &milestone;
        } else if (next == nullptr) {
            next = &milestone;
        }
    }
    if (judged != nullptr) {
        text += tr("headline.milestone", lang, {{"target", detail::target_text(judged->target, lang)}});
        if (judged->date != as_of) {
            text += tr("headline.milestone_of", lang, {{"date", detail::long_date(judged->date, lang)}});
        }
        text += tr("headline.verdict", lang, {{"verdict", detail::verdict_text(detail::verdict(*judged), lang)}});
    } else if (next != nullptr) {
        text += tr("headline.next", lang,
                   {{"target", detail::target_text(next->target, lang)}, {"date", detail::long_date(next->date, lang)}});
    }
    return text;
}

namespace {

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        throw Failure("cannot write " + path.string());
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
        throw Failure("error while writing " + path.string());
    }
}

} // namespace

void write_reports(const Analysis& analysis, const std::filesystem::path& out_dir,
                   const ReportOptions& options) {
    std::error_code error;
    std::filesystem::create_directories(out_dir, error);
    if (error) {
        throw Failure("cannot create " + out_dir.string() + ": " + error.message());
    }
    const detail::Facts facts = detail::collect_facts(analysis);
    write_file(out_dir / "progress.json",
               detail::progress_json(analysis, facts).dump(2, ' ', false,
                                            nlohmann::ordered_json::error_handler_t::replace) +
                   "\n");
    write_file(out_dir / "progress.csv", detail::progress_csv(analysis));
    write_file(out_dir / "report.md", detail::report_markdown(analysis, facts));
    write_file(out_dir / "report.html", detail::report_html(analysis, facts));
    if (analysis.measurements.active) {
        write_file(out_dir / "contradicted_villages.csv", detail::contradicted_csv(analysis));
    }
    if (options.todo_csv) {
        const auto& provinces = analysis.tracking.delays.provinces;
        for (std::size_t g = 0; g < provinces.size(); ++g) {
            if (!provinces[g].todo.empty()) {
                write_file(out_dir / detail::todo_file_name(provinces[g].key, g),
                           detail::todo_csv(analysis, provinces[g]));
            }
        }
    }
}

} // namespace deadzone::emit
