// emit/csv: the one way deadzone writes CSV — RFC 4180 quoting, CRLF rows, and text cells
// neutralised against spreadsheet formula injection. Every CSV writer goes through CsvWriter.
#pragma once

#include <string>
#include <string_view>

namespace deadzone::emit {

/// True when a spreadsheet would read `text` as the start of a formula: it begins with '=', '+',
/// '-', '@', a tab or a carriage return (OWASP's list for CSV injection).
bool starts_like_formula(std::string_view text) noexcept;

/// True for a plain decimal number as deadzone prints them: optional '-', digits, optional '.'
/// and digits ("12", "-3", "0.4000"). No exponent, no blanks, no '+'.
bool is_plain_number(std::string_view text) noexcept;

/// One text cell: prefixed with "'" when it starts like a formula (so "=1+2" reaches the sheet
/// as the text "'=1+2", and a name "-5" stays text rather than turning into a number), then
/// quoted when it holds a comma, quote or line break, quotes doubled.
std::string csv_text(std::string_view text);

/// Builds a CSV document row by row. Text cells are neutralised (csv_text); number cells are
/// written as they are, so that days_late "-3" stays a number a sheet can sum — but only a plain
/// number (is_plain_number) counts as one: anything else given as a number is treated as text.
class CsvWriter {
public:
    CsvWriter& text(std::string_view value);
    CsvWriter& number(std::string_view formatted);
    CsvWriter& number(long long value);
    /// Ends the current row with CRLF (RFC 4180).
    void end_row();
    const std::string& str() const noexcept { return m_out; }

private:
    void separate();
    std::string m_out;
    bool m_row_started = false;
};

} // namespace deadzone::emit
