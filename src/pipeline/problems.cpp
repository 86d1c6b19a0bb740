#include <deadzone/pipeline/problems.hpp>

namespace deadzone::pipeline {

nlohmann::ordered_json problem_json(const Problem& p) {
    using nlohmann::ordered_json;
    ordered_json item;
    item["severity"] = p.severity == Severity::error ? "error" : "warning";
    item["file"] = p.where.file;
    item["layer"] = p.where.layer.empty() ? ordered_json() : ordered_json(p.where.layer);
    item["row"] = p.where.row ? ordered_json(*p.where.row) : ordered_json();
    item["fid"] = p.where.fid ? ordered_json(*p.where.fid) : ordered_json();
    item["field"] = p.field.empty() ? ordered_json() : ordered_json(p.field);
    item["code"] = p.code;
    item["message"] = p.message;
    return item;
}

nlohmann::ordered_json problems_json(const std::vector<Problem>& problems) {
    auto array = nlohmann::ordered_json::array();
    for (const auto& problem : problems) {
        array.push_back(problem_json(problem));
    }
    return array;
}

} // namespace deadzone::pipeline
