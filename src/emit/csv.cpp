// CSV cells: RFC 4180 quoting plus formula neutralisation (docs/hardening.md).
#include <deadzone/emit/csv.hpp>

#include <string>

namespace deadzone::emit {

bool starts_like_formula(std::string_view text) noexcept {
    if (text.empty()) {
        return false;
    }
    switch (text.front()) {
    case '=': case '+': case '-': case '@': case '\t': case '\r':
        return true;
    default:
        return false;
    }
}

bool is_plain_number(std::string_view text) noexcept {
    std::size_t i = 0;
    if (i < text.size() && text[i] == '-') {
        ++i;
    }
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            ++i;
        }
        return i > start;
    };
    if (!digits()) {
        return false;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        if (!digits()) {
            return false;
        }
    }
    return i == text.size();
}

std::string csv_text(std::string_view text) {
    std::string cell;
    cell.reserve(text.size() + 3);
    // The quote goes inside the RFC 4180 quotes: a spreadsheet strips those first and must then
    // still see the apostrophe that marks the cell as text.
    if (starts_like_formula(text)) {
        cell += '\'';
    }
    cell += text;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        return cell;
    }
    std::string quoted = "\"";
    for (const char c : cell) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

void CsvWriter::separate() {
    if (m_row_started) {
        m_out += ',';
    }
    m_row_started = true;
}

CsvWriter& CsvWriter::text(std::string_view value) {
    separate();
    m_out += csv_text(value);
    return *this;
}

CsvWriter& CsvWriter::number(std::string_view formatted) {
    if (!is_plain_number(formatted)) {
        return text(formatted);
    }
    separate();
    m_out += formatted;
    return *this;
}

CsvWriter& CsvWriter::number(long long value) { return number(std::to_string(value)); }

void CsvWriter::end_row() {
    m_out += "\r\n";
    m_row_started = false;
}

} // namespace deadzone::emit
