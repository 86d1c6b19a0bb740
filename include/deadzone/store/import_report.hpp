// store/import_report: the one JSON form of an upload's outcome — the import report that
// `deadzone import --json` prints and `POST /api/uploads` answers, and the upload log entry.
#pragma once

#include <deadzone/core/error.hpp>
#include <deadzone/store/store.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace deadzone::store {

/// One row of the upload log as `deadzone history --json` prints it: {"id", "uploaded_at",
/// "uploaded_by", "kind", "operator" (null unless stations), "mode", "file", "sha256",
/// "rows_accepted", "rows_warned", "rows_rejected", "added", "changed", "ended"}; the account and
/// file name escaped with escape_log_text.
nlohmann::ordered_json upload_json(const Upload& upload);

/// {"severity", "file", "layer", "row", "fid", "field", "code", "message"}; absent parts null.
nlohmann::ordered_json problem_json(const Problem& problem);
nlohmann::ordered_json problems_json(const std::vector<Problem>& problems);

/// The import report: {"ok": true, "no_op", "upload" (upload_json, or null for a no-op),
/// "added", "changed", "ended", "unchanged", "same_file_as" (an upload id or null),
/// "warnings" (problems_json)}.
nlohmann::ordered_json import_report_json(const ImportResult& result);

/// A JSON document as the CLI and the service print it: two-space indent, invalid UTF-8
/// replaced (never thrown on), one final newline. The same bytes from both.
std::string json_text(const nlohmann::ordered_json& document);

} // namespace deadzone::store
