#include "store_detail.hpp"

#include <deadzone/store/store.hpp>

#include <fmt/format.h>
#include <openssl/evp.h>

#include <pwd.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>

namespace deadzone::store {

const char* to_string(UploadKind kind) noexcept {
    switch (kind) {
    case UploadKind::campaign: return "campaign";
    case UploadKind::villages: return "villages";
    case UploadKind::commitments: return "commitments";
    case UploadKind::stations: return "stations";
    case UploadKind::measurements: return "measurements";
    }
    return "?";
}

std::optional<UploadKind> parse_upload_kind(std::string_view text) noexcept {
    for (const auto kind : {UploadKind::campaign, UploadKind::villages, UploadKind::commitments, UploadKind::stations,
                            UploadKind::measurements}) {
        if (text == to_string(kind)) {
            return kind;
        }
    }
    return std::nullopt;
}

const char* to_string(ImportMode mode) noexcept {
    return mode == ImportMode::replace ? "replace" : "upsert";
}

std::optional<ImportMode> parse_import_mode(std::string_view text) noexcept {
    if (text == "replace") return ImportMode::replace;
    if (text == "upsert") return ImportMode::upsert;
    return std::nullopt;
}

namespace {

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    return out;
}

// Fetched once: an implicit fetch per digest costs more than hashing a short record.
const EVP_MD* sha256_md() {
    static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) {
        throw Failure("SHA-256 is not available (OpenSSL)");
    }
    return md;
}

struct DigestContext {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
    DigestContext() {
        if (!ctx || EVP_DigestInit_ex(ctx.get(), sha256_md(), nullptr) != 1) {
            throw Failure("SHA-256 is not available (OpenSSL)");
        }
    }
    void update(const void* data, std::size_t size) { EVP_DigestUpdate(ctx.get(), data, size); }
    std::string hex() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        EVP_DigestFinal_ex(ctx.get(), digest, &size);
        return to_hex(digest, size);
    }
};

} // namespace

namespace detail {

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, sha256_md(), nullptr) != 1) {
        throw Failure("SHA-256 failed (OpenSSL)");
    }
    return to_hex(digest, size);
}

std::uint64_t free_bytes(const std::filesystem::path& dir) {
    struct statvfs info {};
    if (::statvfs(dir.empty() ? "." : dir.c_str(), &info) != 0) {
        throw StoreError(fmt::format("{}: cannot tell the free disk space: {}", dir.string(), std::strerror(errno)));
    }
    return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

std::string now_utc() {
    const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const auto day = std::chrono::floor<std::chrono::days>(now);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss time{now - day};
    return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), time.hours().count(),
                       time.minutes().count(), time.seconds().count(), time.subseconds().count());
}

} // namespace detail

std::string sha256_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw Failure(fmt::format("{}: cannot be read", file.string()));
    }
    DigestContext digest;
    std::vector<char> buffer(1 << 16);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        digest.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        throw Failure(fmt::format("{}: read error", file.string()));
    }
    return digest.hex();
}

std::string current_user() {
    // $USER is whatever the caller's environment says: a newline in it would forge a log row.
    if (const char* user = std::getenv("USER");
        user != nullptr && *user != '\0' && std::strlen(user) <= 64 && escape_log_text(user) == user) {
        return user;
    }
    if (const passwd* entry = getpwuid(geteuid()); entry != nullptr && entry->pw_name != nullptr) {
        return entry->pw_name;
    }
    return fmt::format("uid {}", geteuid());
}

namespace {

/// Length of the UTF-8 sequence starting at text[i] and its code point; 0 when invalid.
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& code) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    if (lead < 0x80) {
        code = lead;
        return 1;
    }
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2, code = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3, code = lead & 0x0f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4, code = lead & 0x07;
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) {
            return 0;
        }
        code = (code << 6) | (byte(i + k) & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < smallest[length] || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
        return 0;
    }
    return length;
}

bool is_hidden_control(char32_t code) {
    return code < 0x20 || code == 0x7f || (code >= 0x80 && code <= 0x9f) || code == 0x2028 || code == 0x2029 ||
           (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

} // namespace

std::string escape_log_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char32_t code = 0;
        const std::size_t length = utf8_sequence(text, i, code);
        if (length == 0) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
            ++i;
            continue;
        }
        if (!is_hidden_control(code)) {
            out.append(text.substr(i, length));
        } else if (code == '\n') {
            out += "\\n";
        } else if (code == '\r') {
            out += "\\r";
        } else if (code == '\t') {
            out += "\\t";
        } else if (code < 0x100) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned>(code));
        } else {
            out += fmt::format("\\u{{{:04x}}}", static_cast<unsigned>(code));
        }
        i += length;
    }
    return out;
}

namespace {

/// A --known-at time as the log's own text form, so the two compare as strings.
std::optional<std::string> normalise_time(const std::string& text) {
    static const std::regex pattern{
        R"(^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?$)"};
    std::smatch m;
    // The longest valid form is well under 64 characters; the length test first keeps a hostile
    // value from std::regex's recursion (one stack frame per character).
    if (text.size() > 64 || !std::regex_match(text, m, pattern)) {
        return std::nullopt;
    }
    const auto date = Date::parse(m[1].str());
    if (!date) {
        return std::nullopt;
    }
    if (!m[2].matched) {
        // A bare date means what was known by the end of that day (UTC).
        return date->iso() + "T23:59:59.999Z";
    }
    const int hours = std::stoi(m[2].str());
    const int minutes = std::stoi(m[3].str());
    const int seconds = m[4].matched ? std::stoi(m[4].str()) : 0;
    if (hours > 23 || minutes > 59 || seconds > 59) {
        return std::nullopt;
    }
    std::string millis = m[5].matched ? m[5].str() : "";
    millis = (millis + "000").substr(0, 3);
    int offset_minutes = 0;
    if (m[6].matched && m[6].str() != "Z") {
        const std::string zone = m[6].str();
        offset_minutes = (std::stoi(zone.substr(1, 2)) * 60 + std::stoi(zone.substr(4, 2))) * (zone[0] == '-' ? -1 : 1);
    }
    int total = hours * 60 + minutes - offset_minutes;
    Date day = *date;
    while (total < 0) {
        total += 24 * 60;
        day = day - 1;
    }
    while (total >= 24 * 60) {
        total -= 24 * 60;
        day = day + 1;
    }
    return fmt::format("{}T{:02d}:{:02d}:{:02d}.{}Z", day.iso(), total / 60, total % 60, seconds, millis);
}

} // namespace

std::int64_t resolve_known_at(const std::vector<Upload>& uploads, const std::string& text) {
    if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        std::int64_t id = 0;
        try {
            id = std::stoll(text);
        } catch (const std::exception&) {
            throw UsageError(fmt::format("known at '{}': there is no upload #{}", text, text));
        }
        if (std::none_of(uploads.begin(), uploads.end(), [id](const Upload& u) { return u.id == id; })) {
            throw UsageError(fmt::format("known at '{}': there is no upload #{} in the store's log", text, text));
        }
        return id;
    }
    const auto time = normalise_time(text);
    if (!time) {
        throw UsageError(fmt::format("known at '{}': neither an upload id nor a time "
                                     "(YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM])",
                                     text));
    }
    std::optional<std::int64_t> found;
    for (const auto& upload : uploads) {
        if (upload.uploaded_at <= *time) {
            found = std::max(found.value_or(upload.id), upload.id);
        }
    }
    if (!found) {
        throw UsageError(fmt::format("known at '{}': the store knew nothing at {} (its first upload is later)", text, *time));
    }
    return *found;
}

} // namespace deadzone::store
