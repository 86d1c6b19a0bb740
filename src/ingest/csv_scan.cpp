// A line-by-line pass over CSV files with the quoting rules of GDAL's CSV reader (a quote toggles
// "inside a value" wherever it stands, "" inside quotes is a literal quote, a record goes on to
// the next line while a quote is open), to report what GDAL silently does with faulty quoting.
#include "detail.hpp"

#include <fmt/format.h>

#include <fstream>

namespace deadzone::ingest::detail {

namespace {

/// One record as GDAL would split it, plus what went wrong on the way.
struct Record {
    long first_line = 0;
    long last_line = 0;
    std::vector<std::string> values;
    bool open_at_end = false;          // a quote was still open when the file ended
    int multiline_field = -1;          // first field holding a line break
    int stray_field = -1;              // first field with a quote that does not enclose it
    long stray_line = 0;
    int nul_field = -1;                // first field holding a NUL byte
    long nul_line = 0;
};

class RecordSplitter {
public:
    explicit RecordSplitter(char separator) : m_separator(separator) {}

    /// Feeds one physical line (without its end of line); returns true when the record is
    /// complete, false when a quote is still open and the next line belongs to it.
    bool feed(std::string_view line, long line_number, Record& record) {
        if (record.values.empty()) {
            record.first_line = line_number;
            record.values.emplace_back();
            m_in_quotes = false;
            m_field_started = false;
            m_after_close = false;
        } else {
            record.values.back() += '\n';
            if (record.multiline_field < 0) {
                record.multiline_field = static_cast<int>(record.values.size()) - 1;
            }
        }
        record.last_line = line_number;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            const int field = static_cast<int>(record.values.size()) - 1;
            if (c == '\0' && record.nul_field < 0) {
                record.nul_field = field;
                record.nul_line = line_number;
            }
            if (c == '"') {
                if (m_in_quotes && i + 1 < line.size() && line[i + 1] == '"') {
                    record.values.back() += '"';
                    ++i;
                    continue;
                }
                if (!m_in_quotes && (m_field_started || m_after_close)) {
                    mark_stray(record, field, line_number);
                }
                m_in_quotes = !m_in_quotes;
                m_after_close = !m_in_quotes;
                continue;
            }
            if (!m_in_quotes && c == m_separator) {
                record.values.emplace_back();
                m_field_started = false;
                m_after_close = false;
                continue;
            }
            record.values.back() += c;
            // Blanks around a quoted value are trimmed anyway; other text beside it is not.
            if (!m_in_quotes && c != ' ' && c != '\t') {
                if (m_after_close) {
                    mark_stray(record, field, line_number); // text after the closing quote
                    m_after_close = false;
                }
                m_field_started = true;
            }
        }
        return !m_in_quotes;
    }

private:
    static void mark_stray(Record& record, int field, long line_number) {
        if (record.stray_field < 0) {
            record.stray_field = field;
            record.stray_line = line_number;
        }
    }

    char m_separator;
    bool m_in_quotes = false;
    bool m_field_started = false;
    bool m_after_close = false;
};

/// The separator GDAL chose: the candidate that splits the header into as many columns as GDAL
/// found (',' when the header has a single column).
char detect_separator(const std::string& header, std::size_t columns) {
    for (const char candidate : {',', ';', '\t', '|', ' '}) {
        RecordSplitter splitter{candidate};
        Record record;
        splitter.feed(header, 1, record);
        if (record.values.size() == columns) {
            return candidate;
        }
    }
    return ',';
}

std::string column_label(const std::vector<std::string>& names, int field) {
    if (field >= 0 && static_cast<std::size_t>(field) < names.size()) {
        return trim(names[static_cast<std::size_t>(field)]);
    }
    return fmt::format("column {}", field + 1);
}

std::string lines_text(const Record& record) {
    return record.first_line == record.last_line ? fmt::format("line {}", record.first_line)
                                                 : fmt::format("lines {}-{}", record.first_line, record.last_line);
}

/// The problems of one record; returns true when GDAL's reading of it cannot be trusted.
bool judge_record(const Record& record, long row, const std::vector<std::string>& names,
                  const std::string& file, CsvScan& scan) {
    const Location where{file, row, {}, std::nullopt};
    const auto add = [&](int field, const char* code, std::string message) {
        scan.problems.push_back(Problem{Severity::error, where, field >= 0 ? column_label(names, field) : std::string{},
                                        code, std::move(message)});
    };
    bool untrusted = false;
    const long spanned = record.last_line - record.first_line + 1;
    if (record.open_at_end) {
        add(record.multiline_field >= 0 ? record.multiline_field : static_cast<int>(record.values.size()) - 1,
            "csv_unclosed_quote",
            fmt::format("a quote opened on line {} is never closed: {} ({} lines) are read as this one row; "
                        "close the quote",
                        record.first_line, lines_text(record), spanned));
        untrusted = true;
    } else if (record.multiline_field >= 0) {
        add(record.multiline_field, "csv_line_break",
            fmt::format("the value spans {}: a line break inside quotes, or a missing quote that joined "
                        "{} lines into one row; a value must fit on one line",
                        lines_text(record), spanned));
        untrusted = true;
    }
    if (record.stray_field >= 0 && !record.open_at_end) {
        add(record.stray_field, "csv_stray_quote",
            fmt::format("a quote inside the value on line {} that does not enclose it: the value would be read "
                        "without it, joined with what follows up to the next quote; quote the whole value and "
                        "double the quotes inside it (\"\")",
                        record.stray_line));
        untrusted = true;
    }
    if (record.nul_field >= 0) {
        add(record.nul_field, "nul_character",
            fmt::format("a NUL character on line {} would cut the value short", record.nul_line));
        untrusted = true;
    }
    if (!untrusted && record.values.size() > names.size() && !names.empty()) {
        std::string dropped;
        std::size_t shown = 0;
        for (std::size_t i = names.size(); i < record.values.size(); ++i) {
            if (!trim(record.values[i]).empty() && shown++ < 3) {
                dropped += fmt::format("{}'{}'", dropped.empty() ? "" : ", ", record.values[i].substr(0, 40));
            }
        }
        // Trailing empty values (a separator at the end of the line) lose nothing.
        if (shown > 0) {
            add(-1, "too_many_values",
                fmt::format("{} has {} values but the header has {} columns: {}{} would be dropped (an unquoted "
                            "separator inside a value?)",
                            lines_text(record), record.values.size(), names.size(), dropped,
                            shown > 3 ? ", ..." : ""));
            untrusted = true;
        }
    }
    return untrusted;
}

} // namespace

CsvScan scan_csv(const std::filesystem::path& file, const std::vector<std::string>& column_names) {
    CsvScan scan;
    std::ifstream stream{file, std::ios::binary};
    std::string line;
    if (!stream || !std::getline(stream, line)) {
        return scan;
    }
    const auto strip_cr = [](std::string& text) {
        if (!text.empty() && text.back() == '\r') {
            text.pop_back();
        }
    };
    strip_cr(line);
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (line.compare(0, bom.size(), bom) == 0) {
        line.erase(0, bom.size());
    }
    const std::string file_text = file.string();
    const char separator = detect_separator(line, column_names.size());
    scan.separator = separator;
    RecordSplitter splitter{separator};

    // The header is a record too: a quote left open in it swallows the data rows.
    long line_number = 1;
    Record record;
    bool complete = splitter.feed(line, line_number, record);
    bool header = true;
    const auto finish_record = [&] {
        const long row = header ? 1 : scan.records + 1;
        if (judge_record(record, row, column_names, file_text, scan)) {
            scan.untrusted_rows.insert(row);
        }
        record = Record{};
        header = false;
    };
    if (complete) {
        finish_record();
    }
    while (std::getline(stream, line)) {
        ++line_number;
        strip_cr(line);
        if (complete && line.empty()) {
            continue; // GDAL skips empty lines between records
        }
        if (complete) {
            ++scan.records;
        }
        complete = splitter.feed(line, line_number, record);
        if (complete) {
            finish_record();
        }
    }
    if (!complete) {
        record.open_at_end = true;
        finish_record();
    }
    scan.complete = true;
    return scan;
}

} // namespace deadzone::ingest::detail
