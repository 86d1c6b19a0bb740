#include <deadzone/service/tokens.hpp>

#include <deadzone/core/error.hpp>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace deadzone::service {

namespace {

constexpr std::size_t id_bytes = 8;      // 16 hex: public, for listing and revoking
constexpr std::size_t secret_bytes = 32; // 256 bits: the part nobody can guess
constexpr std::size_t salt_bytes = 16;

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
        throw Failure("tokens: the system's random generator failed (OpenSSL RAND_bytes)");
    }
    std::string out;
    for (const auto b : buffer) {
        out += fmt::format("{:02x}", b);
    }
    return out;
}

bool is_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string hex_bytes(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out += static_cast<char>(std::stoi(std::string{hex.substr(i, 2)}, nullptr, 16));
    }
    return out;
}

std::string now_utc_ms() {
    const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const auto seconds = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    const auto ms = now.time_since_epoch().count() % 1000;
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

} // namespace

std::string token_hash(const std::string& salt_hex, std::string_view token) {
    std::string input = hex_bytes(salt_hex);
    input.append(token);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
        throw Failure("tokens: SHA-256 failed");
    }
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += fmt::format("{:02x}", digest[i]);
    }
    return out;
}

IssuedToken make_token(store::TokenRole role, const std::string& scope, const std::string& created_by) {
    const bool scoped = role == store::TokenRole::operator_role || role == store::TokenRole::province;
    if (scoped && scope.empty()) {
        throw UsageError(fmt::format("token: a {} token needs its {}", store::to_string(role),
                                     role == store::TokenRole::province ? "province" : "operator"));
    }
    if (!scoped && !scope.empty()) {
        throw UsageError(fmt::format("token: a {} token has no scope", store::to_string(role)));
    }
    IssuedToken issued;
    auto& r = issued.record;
    r.id = random_hex(id_bytes);
    r.role = role;
    r.scope = scope;
    r.salt_hex = random_hex(salt_bytes);
    issued.token = "dz_" + r.id + "_" + random_hex(secret_bytes);
    r.hash_hex = token_hash(r.salt_hex, issued.token);
    r.created_at = now_utc_ms();
    r.created_by = created_by;
    return issued;
}

IssuedToken issue_token(store::Store& store, store::TokenRole role, const std::string& scope,
                        const std::string& created_by) {
    auto issued = make_token(role, scope, created_by);
    store.add_token(issued.record);
    return issued;
}

std::optional<store::TokenRecord> verify_token(const std::vector<store::TokenRecord>& records, std::string_view token) {
    // dz_ + 16 hex + _ + 64 hex
    constexpr std::size_t length = 3 + 2 * id_bytes + 1 + 2 * secret_bytes;
    if (token.size() != length || token.substr(0, 3) != "dz_" || token[3 + 2 * id_bytes] != '_' ||
        !is_hex(token.substr(3, 2 * id_bytes)) || !is_hex(token.substr(4 + 2 * id_bytes))) {
        return std::nullopt;
    }
    const auto id = token.substr(3, 2 * id_bytes);
    const auto it = std::find_if(records.begin(), records.end(), [&](const store::TokenRecord& r) { return r.id == id; });
    if (it == records.end() || it->revoked_at || it->hash_hex.size() != 64 || it->salt_hex.size() != 2 * salt_bytes) {
        return std::nullopt;
    }
    const auto hash = token_hash(it->salt_hex, token);
    if (CRYPTO_memcmp(hash.data(), it->hash_hex.data(), hash.size()) != 0) {
        return std::nullopt;
    }
    return *it;
}

std::string describe(const store::TokenRecord& record) {
    return record.scope.empty() ? std::string{store::to_string(record.role)}
                                : fmt::format("{} {}", store::to_string(record.role), record.scope);
}

} // namespace deadzone::service
