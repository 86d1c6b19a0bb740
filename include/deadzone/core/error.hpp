// Problems found in input (with file, row or layer:FID, and field) and the typed errors the
// library throws. Every stage collects all row problems of an input before rejecting it.
#pragma once

#include <compare>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace deadzone {

enum class Severity { warning, error };

/// Where a problem is: a file and either a spreadsheet-style row (header = row 1) or a
/// layer and feature id. Empty fields are simply not printed.
struct Location {
    std::string file;
    std::optional<long> row;   // 1-based, header row = 1, first data row = 2
    std::string layer;         // for multi-layer sources
    std::optional<long> fid;   // feature id, for non-tabular sources

    friend bool operator==(const Location&, const Location&) = default;
    friend auto operator<=>(const Location&, const Location&) = default;
};

struct Problem {
    Severity severity = Severity::error;
    Location where;
    std::string field;   // the input field (column) concerned, or empty for the whole row/file
    std::string code;    // stable machine-readable code, e.g. "out_of_range", "duplicate_id"
    std::string message; // a sentence for a person

    /// "file:row 12: field 'lat': error: ..." (the form every command prints), one line: control
    /// characters from the input are shown escaped (escape_for_terminal).
    std::string to_string() const;
};

/// Collects problems; errors make the input rejected, warnings do not.
class Diagnostics {
public:
    void add(Problem problem);
    void error(const Location& where, std::string field, std::string code, std::string message);
    void warning(const Location& where, std::string field, std::string code, std::string message);

    bool has_errors() const noexcept { return m_errors > 0; }
    std::size_t error_count() const noexcept { return m_errors; }
    std::size_t warning_count() const noexcept { return m_problems.size() - m_errors; }
    const std::vector<Problem>& problems() const noexcept { return m_problems; }
    void append(const Diagnostics& other);

private:
    std::vector<Problem> m_problems;
    std::size_t m_errors = 0;
};

/// Input rejected (exit code 1): carries every problem found.
class InputError : public std::runtime_error {
public:
    explicit InputError(std::vector<Problem> problems);
    InputError(const Location& where, std::string field, std::string code, std::string message);
    const std::vector<Problem>& problems() const noexcept { return m_problems; }

private:
    std::vector<Problem> m_problems;
};

/// The command was called wrongly (exit code 2).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// I/O or internal failure (exit code 3).
class Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The store cannot be used as asked (exit code 3, or 1 when caused by the input).
class StoreError : public Failure {
public:
    using Failure::Failure;
};

/// Raised when a progress callback asked to stop.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

} // namespace deadzone
