#include <deadzone/pipeline/problems.hpp>
#include <deadzone/store/import_report.hpp>

namespace deadzone::pipeline {

// The form is defined once, next to the import report that carries it (store/import_report).
nlohmann::ordered_json problem_json(const Problem& p) {
    return store::problem_json(p);
}

nlohmann::ordered_json problems_json(const std::vector<Problem>& problems) {
    return store::problems_json(problems);
}

} // namespace deadzone::pipeline
