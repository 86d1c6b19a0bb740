// Private to ingest: files as Vietnamese operators write them. Vietnamese header and value
// aliases (one data table, aliases_vi.cpp), day-first dates and decimal commas, each accepted
// only where the campaign declares it so that no value is ever guessed.
#pragma once

#include <deadzone/core/campaign.hpp>
#include <deadzone/core/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::ingest::detail {

struct LayerInfo;
struct Row;
struct FieldSpec;

/// One Vietnamese header a canonical field answers to.
struct HeaderAlias {
    const char* canonical; // "site_id"
    const char* alias;     // "Mã trạm"
};

/// One Vietnamese value of a field with a fixed vocabulary.
struct ValueAlias {
    const char* field;     // "status"
    const char* canonical; // "on_air"
    const char* alias;     // "Đã phát sóng"
};

/// The tables themselves (docs/ingest.md shows the same rows).
const std::vector<HeaderAlias>& vietnamese_headers();
const std::vector<ValueAlias>& vietnamese_values();

/// The key names and values are compared by: NFC, Unicode case folding, Vietnamese diacritics
/// dropped (đ as d) and every run of other characters as one '_', so "Mã trạm", "MA TRAM",
/// "ma_tram" and "Mã Trạm (BTS)"'s "ma_tram_bts" compare as users expect.
std::string alias_key(std::string_view text);

/// The canonical field a column header names through the Vietnamese table; nullopt when none.
/// The same canonical name means the same thing in villages, commitments and stations.
std::optional<std::string> vietnamese_header_field(std::string_view header);

/// The canonical value of `field` a Vietnamese value stands for ("Đã phát sóng" → "on_air").
std::optional<std::string> vietnamese_value(std::string_view field, std::string_view value);

/// What a campaign declares about its files' values.
struct InputRules {
    bool day_first = false;   // d/m/yyyy accepted (locale vi or date_format d/m/yyyy)
    bool vietnamese = false;  // locale vi: decimal commas in ';'-separated CSV and spreadsheets
};

InputRules input_rules(const Campaign& campaign);

/// What a canonical field holds, from its name (units are in the names: `_m`, `_dbm`, `_date`).
enum class ValueKind { text, date, number };
ValueKind value_kind(std::string_view canonical);

/// Brings a row's values to the canonical forms the readers parse: Vietnamese vocabulary to
/// canonical values, declared day-first dates to ISO, declared decimal commas to points. A value
/// that cannot be read under the declared rules (an undeclared d/m/yyyy date, an ambiguous
/// number) is an error naming row and field; the row is then not read further (false).
/// `text_column[s]` says whether spec s's column holds text (numbers typed by the source, as
/// XLSX numeric cells, already carry a point).
bool localize_row(const LayerInfo& layer, const std::vector<FieldSpec>& specs, const std::vector<bool>& text_column,
                  Row& row, Diagnostics& diagnostics);

/// The date `text` means when written d/m/yyyy (or dd.mm.yyyy, d-m-yyyy), as ISO text; nullopt
/// when it is not of that shape or not a real date.
std::optional<std::string> day_first_to_iso(std::string_view text);

/// Outcome of reading a number written with decimal commas ("1.800,5").
struct CommaNumber {
    std::optional<std::string> value; // as the readers parse it ("1800.5")
    std::string problem;              // why not, when value is empty and the text is not plain
};
CommaNumber decimal_comma_number(std::string_view text);

} // namespace deadzone::ingest::detail
