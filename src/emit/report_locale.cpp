// The report's words and numbers in the campaign's language: each helper's English form is the
// one the reports have always printed (so the English report stays byte-identical), and its
// Vietnamese form writes dates 30/6/2022 and decimals with a comma.
#include "report_detail.hpp"

#include <deadzone/emit/locale.hpp>

#include <fmt/format.h>

namespace deadzone::emit::detail {

Language language_of(const Analysis& analysis) { return analysis.campaign.locale; }

std::string percent(double fraction, Language language) {
    return format_percent(round4(fraction), 2, language);
}

std::string target_text(double target, Language language) {
    std::string text = target_text(target);
    if (language == Language::vi) {
        for (auto& c : text) {
            c = c == '.' ? ',' : c;
        }
    }
    return text;
}

std::string long_date(Date date, Language language) {
    return language == Language::vi ? format_date(date, language) : long_date(date);
}

std::string day_text(Date date, Language language) { return format_date(date, language); }

std::string verdict_text(Verdict verdict, Language language) {
    switch (verdict) {
    case Verdict::met: return tr("verdict.met", language);
    case Verdict::missed: return tr("verdict.missed", language);
    case Verdict::upcoming: return tr("verdict.upcoming", language);
    case Verdict::none: break;
    }
    return tr("verdict.none", language);
}

std::string status_text(track::Status status, Language language) {
    return tr(std::string{"status."} + track::to_string(status), language);
}

std::string forecast_text(const track::Forecast& forecast, Language language) {
    if (forecast.done) {
        return tr("forecast.done", language);
    }
    if (forecast.completion) {
        return day_text(*forecast.completion, language);
    }
    return tr("forecast.no_progress", language);
}

std::string province_label(const std::string& province, Language language) {
    return province.empty() ? tr("province.none", language) : province;
}

} // namespace deadzone::emit::detail
