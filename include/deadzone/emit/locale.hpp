// emit/locale: the translation catalogues (share/locale/<lang>.json, compiled in) and how dates
// and numbers are written for people in each language. Machine outputs never go through here.
#pragma once

#include <deadzone/core/date.hpp>
#include <deadzone/core/error.hpp>
#include <deadzone/core/language.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace deadzone::emit {

/// Named values for a message's placeholders: {"count", "3"} fills "{count}".
using TrArgs = std::initializer_list<std::pair<std::string_view, std::string>>;

/// The message `key` in `language` with its {placeholders} filled. A key missing from a catalogue
/// is a programming error (std::logic_error): the catalogue test keeps both complete, and an
/// English fallback in a Vietnamese report would go unnoticed.
std::string tr(std::string_view key, Language language, TrArgs args = {});

/// Every key of a catalogue, sorted.
std::vector<std::string> catalogue_keys(Language language);
/// The catalogue's raw text of `key` (placeholders unfilled), or "" when absent.
std::string catalogue_text(std::string_view key, Language language);
/// The catalogue files' text as compiled in (for the dashboard, which needs the same strings).
std::string_view catalogue_json(Language language);

/// A problem as one line for people. English: Problem::to_string() unchanged. Vietnamese: the same
/// place, field and severity in Vietnamese, the stable code in brackets, the code's explanation
/// from the catalogue (problem.<code>) and, in parentheses, the original message (it quotes the
/// offending value and the expected form, built from the data). A code the catalogue lacks keeps
/// its original message only. Control characters from the input are shown escaped.
std::string problem_text(const Problem& problem, Language language);
/// "3 errors, 1 warning" / "3 lỗi, 1 cảnh báo": the summary line after a list of problems.
std::string problem_summary(std::size_t errors, std::size_t warnings, Language language);

/// en: "2022-06-30" (ISO, as the English reports have always written); vi: "30/6/2022".
std::string format_date(Date date, Language language);
/// A number with fixed decimals: en "43.0", vi "43,0" (no thousands grouping).
std::string format_decimal(double value, int decimals, Language language);
/// A fraction as a percentage: en "43.00 %", vi "43,00 %".
std::string format_percent(double fraction, int decimals, Language language);

} // namespace deadzone::emit
