#include <deadzone/core/error.hpp>
#include <deadzone/core/text.hpp>

#include <fmt/format.h>

namespace deadzone {

// Every part may come from the input (a file name, a layer or column name, a value quoted in the
// message), and this text goes to terminals and logs: control characters are shown escaped.
std::string Problem::to_string() const {
    std::string text = escape_for_terminal(where.file);
    if (!where.layer.empty()) {
        text += ":" + escape_for_terminal(where.layer);
    }
    if (where.row) {
        text += fmt::format(":row {}", *where.row);
    } else if (where.fid) {
        text += fmt::format(":FID {}", *where.fid);
    }
    if (!field.empty()) {
        text += fmt::format(": field '{}'", escape_for_terminal(field));
    }
    text += severity == Severity::error ? ": error: " : ": warning: ";
    text += escape_for_terminal(message);
    return text;
}

void Diagnostics::add(Problem problem) {
    if (problem.severity == Severity::error) {
        ++m_errors;
    }
    m_problems.push_back(std::move(problem));
}

void Diagnostics::error(const Location& where, std::string field, std::string code,
                        std::string message) {
    add(Problem{Severity::error, where, std::move(field), std::move(code), std::move(message)});
}

void Diagnostics::warning(const Location& where, std::string field, std::string code,
                          std::string message) {
    add(Problem{Severity::warning, where, std::move(field), std::move(code), std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
    for (const auto& problem : other.problems()) {
        add(problem);
    }
}

namespace {
std::string summarize(const std::vector<Problem>& problems) {
    if (problems.empty()) {
        return "input rejected";
    }
    if (problems.size() == 1) {
        return problems.front().to_string();
    }
    return fmt::format("{} (and {} more problems)", problems.front().to_string(),
                       problems.size() - 1);
}
} // namespace

InputError::InputError(std::vector<Problem> problems)
    : std::runtime_error(summarize(problems)), m_problems(std::move(problems)) {}

InputError::InputError(const Location& where, std::string field, std::string code,
                       std::string message)
    : InputError(std::vector<Problem>{
          Problem{Severity::error, where, std::move(field), std::move(code), std::move(message)}}) {}

} // namespace deadzone
