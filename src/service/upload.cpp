// POST /api/uploads: who may upload what, the body as a file, then the very import functions
// `deadzone import` calls. A refused upload changes nothing (the store's guarantee) and answers
// 422 with every problem; an operator naming another operator's rows answers 403.
#include "service_impl.hpp"

#include <deadzone/pipeline/problems.hpp>
#include <deadzone/store/import_report.hpp>
#include <deadzone/service/tokens.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace deadzone::service::detail {

namespace {

const std::string* param(const Request& request, const std::string& name) {
    const auto it = request.query.find(name);
    return it == request.query.end() ? nullptr : &it->second;
}

bool starts_with(const std::string& text, std::string_view prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

/// The client's file name reduced to a safe base name: letters, digits, '.', '-', '_'.
std::string safe_name(const std::string* given, const std::string& extension) {
    std::string name;
    if (given != nullptr) {
        const auto slash = given->find_last_of("/\\");
        for (const char c : given->substr(slash == std::string::npos ? 0 : slash + 1)) {
            const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
            name += ok ? c : '_';
        }
    }
    while (!name.empty() && name.front() == '.') {
        name.erase(0, 1);
    }
    if (name.size() > 100) {
        name.resize(100);
    }
    std::string stem = name.empty() ? std::string{"upload"} : name;
    const auto dot = stem.rfind('.');
    if (dot != std::string::npos) {
        stem.resize(dot);
    }
    return (stem.empty() ? std::string{"upload"} : stem) + extension;
}

class UploadFolder {
public:
    UploadFolder() {
        auto pattern = (std::filesystem::temp_directory_path() / "deadzone-upload-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw Failure("service: cannot create a temporary folder for the upload");
        }
        m_path = pattern;
    }
    ~UploadFolder() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    UploadFolder(const UploadFolder&) = delete;
    UploadFolder& operator=(const UploadFolder&) = delete;
    const std::filesystem::path& path() const noexcept { return m_path; }

private:
    std::filesystem::path m_path;
};

/// Problems name the client's file, not the private temporary path.
std::vector<Problem> renamed(std::vector<Problem> problems, const std::string& temp, const std::string& shown) {
    for (auto& p : problems) {
        if (starts_with(p.where.file, temp)) {
            p.where.file = shown + p.where.file.substr(temp.size());
        }
        for (std::size_t pos; (pos = p.message.find(temp)) != std::string::npos;) {
            p.message.replace(pos, temp.size(), shown);
        }
    }
    return problems;
}

struct UploadRequest {
    store::UploadKind kind = store::UploadKind::stations;
    store::ImportMode mode = store::ImportMode::replace;
    std::string operator_code;
};

/// Parameters and permissions, checked before the body is looked at.
UploadRequest check_upload(const Request& request, const store::TokenRecord& token) {
    UploadRequest out;
    const auto* kind = param(request, "kind");
    if (kind == nullptr) {
        throw HttpError(400, "kind is required: stations, villages, commitments or measurements");
    }
    const auto parsed = store::parse_upload_kind(*kind);
    if (!parsed || *parsed == store::UploadKind::campaign) {
        throw HttpError(400, fmt::format("kind '{}': the store takes stations, villages, commitments or measurements "
                                         "uploads",
                                         store::escape_log_text(*kind)));
    }
    out.kind = *parsed;
    if (const auto* mode = param(request, "mode")) {
        const auto m = store::parse_import_mode(*mode);
        if (!m) {
            throw HttpError(400, "mode: replace or upsert");
        }
        out.mode = *m;
    }
    using store::TokenRole;
    if (token.role == TokenRole::viewer || token.role == TokenRole::province) {
        throw HttpError(403, fmt::format("a {} token can read but not upload", store::to_string(token.role)));
    }
    if (token.role == TokenRole::tester && out.kind != store::UploadKind::measurements) {
        throw HttpError(403, fmt::format("a tester token uploads measurements only, not {}", store::to_string(out.kind)));
    }
    const auto* op = param(request, "operator");
    const bool per_operator = out.kind == store::UploadKind::stations || out.kind == store::UploadKind::measurements;
    if (!per_operator) {
        if (token.role != TokenRole::department) {
            throw HttpError(403, fmt::format("{} uploads need a department token", store::to_string(out.kind)));
        }
        if (op != nullptr) {
            throw HttpError(400, "operator applies to stations and measurements uploads only");
        }
        return out;
    }
    if (token.role == TokenRole::operator_role) {
        if (op != nullptr && *op != token.scope) {
            throw HttpError(403, fmt::format("this token uploads {}'s {} only, not {}'s", token.scope,
                                             store::to_string(out.kind), store::escape_log_text(*op)));
        }
        out.operator_code = token.scope;
    } else if (out.kind == store::UploadKind::measurements) {
        // The department or a tester may upload one operator's samples or a file of several operators'.
        out.operator_code = op == nullptr ? std::string{} : *op;
    } else {
        if (op == nullptr || op->empty()) {
            throw HttpError(400, "operator is required for a stations upload with a department token");
        }
        out.operator_code = *op;
    }
    return out;
}

bool names_other_operator(const std::vector<Problem>& problems) {
    return std::any_of(problems.begin(), problems.end(), [](const Problem& p) {
        return p.code == "other_operator" || p.code == "wrong_operator";
    });
}

} // namespace

std::string upload_extension(const std::string& content_type, const std::string& body) {
    const auto type = content_type.substr(0, content_type.find(';'));
    if (type == "text/csv") return ".csv";
    if (type == "application/geo+json" || type == "application/json") return ".geojson";
    if (type == "application/geopackage+sqlite3") return ".gpkg";
    if (type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") return ".xlsx";
    // Anything else (application/octet-stream, none): the first bytes say what it is.
    if (starts_with(body, std::string{"SQLite format 3\0", 16})) return ".gpkg";
    if (starts_with(body, "PK\x03\x04")) return ".xlsx";
    const auto first = body.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first != std::string::npos && body[first] == '{') return ".geojson";
    return ".csv";
}

Response upload_response(const ServiceOptions& options, const Request& request, const store::TokenRecord& token) {
    const auto what = check_upload(request, token);
    if (request.body.size() > options.max_upload_bytes) {
        throw HttpError(413, fmt::format("the upload is over the limit of {} bytes", options.max_upload_bytes));
    }
    if (request.body.empty()) {
        throw HttpError(400, "the request body is empty: send the file as the body");
    }
    const auto extension = upload_extension(request.content_type, request.body);
    const auto name = safe_name(param(request, "file"), extension);
    UploadFolder folder;
    const auto file = folder.path() / name;
    {
        std::ofstream out(file, std::ios::binary);
        out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
        out.close();
        if (!out) {
            throw Failure("service: cannot write the upload to a temporary file");
        }
    }
    store::ImportOptions import;
    import.mode = what.mode;
    import.uploaded_by = "token " + token.id + " (" + describe(token) + ")";
    import.file_name = name;
    store::ImportResult result;
    try {
        auto store = store::open_store(options.store);
        switch (what.kind) {
        case store::UploadKind::villages: result = store::import_villages(*store, file, import); break;
        case store::UploadKind::commitments: result = store::import_commitments(*store, file, import); break;
        case store::UploadKind::measurements:
            result = store::import_measurements(*store, file, what.operator_code, import);
            break;
        default: result = store::import_stations(*store, file, what.operator_code, import); break;
        }
    } catch (const InputError& e) {
        auto problems = renamed(e.problems(), folder.path().string() + "/", "");
        if (names_other_operator(problems)) {
            auto response = json_response(403, nlohmann::ordered_json{
                {"error", "the file holds another operator's rows: nothing was recorded"},
                {"problems", pipeline::problems_json(problems)}});
            return response;
        }
        throw InputError(std::move(problems));
    }
    result.warnings = renamed(std::move(result.warnings), folder.path().string() + "/", "");
    return json_response(result.no_op() ? 200 : 201, store::import_report_json(result));
}

} // namespace deadzone::service::detail
