// The import report and upload log entry as JSON, shared by `deadzone import --json`,
// `deadzone history --json` (same fields) and the service's POST /api/uploads.
#include <deadzone/store/import_report.hpp>

namespace deadzone::store {

using Json = nlohmann::ordered_json;

Json upload_json(const Upload& u) {
    return Json{{"id", u.id},
                {"uploaded_at", u.uploaded_at},
                {"uploaded_by", escape_log_text(u.uploaded_by)},
                {"kind", to_string(u.kind)},
                {"operator", u.operator_code.empty() ? Json() : Json(u.operator_code)},
                {"mode", to_string(u.mode)},
                {"file", escape_log_text(u.file_name)},
                {"sha256", u.sha256},
                {"rows_accepted", u.rows_accepted},
                {"rows_warned", u.rows_warned},
                {"rows_rejected", u.rows_rejected},
                {"added", u.added},
                {"changed", u.changed},
                {"ended", u.ended}};
}

Json problem_json(const Problem& p) {
    Json item;
    item["severity"] = p.severity == Severity::error ? "error" : "warning";
    item["file"] = p.where.file;
    item["layer"] = p.where.layer.empty() ? Json() : Json(p.where.layer);
    item["row"] = p.where.row ? Json(*p.where.row) : Json();
    item["fid"] = p.where.fid ? Json(*p.where.fid) : Json();
    item["field"] = p.field.empty() ? Json() : Json(p.field);
    item["code"] = p.code;
    item["message"] = p.message;
    return item;
}

Json problems_json(const std::vector<Problem>& problems) {
    auto array = Json::array();
    for (const auto& problem : problems) {
        array.push_back(problem_json(problem));
    }
    return array;
}

Json import_report_json(const ImportResult& result) {
    Json doc;
    doc["ok"] = true;
    doc["no_op"] = result.no_op();
    doc["upload"] = result.upload ? upload_json(*result.upload) : Json();
    doc["added"] = result.added;
    doc["changed"] = result.changed;
    doc["ended"] = result.ended;
    doc["unchanged"] = result.unchanged;
    doc["same_file_as"] = result.same_file_as ? Json(*result.same_file_as) : Json();
    doc["warnings"] = problems_json(result.warnings);
    return doc;
}

std::string json_text(const Json& document) {
    return document.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

} // namespace deadzone::store
