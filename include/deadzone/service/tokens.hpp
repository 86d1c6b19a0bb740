// service/tokens: API tokens — made from the OS's CSPRNG, shown once, stored only as a salted
// SHA-256, and checked in constant time. A token names its own public id, so that checking it
// costs one hash whatever the number of tokens issued.
#pragma once

#include <deadzone/store/store.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadzone::service {

/// A token as handed to its holder, and the record the store keeps of it.
struct IssuedToken {
    std::string token; // "dz_<id>_<64 hex chars>": 16 hex of public id + 256 secret bits
    store::TokenRecord record;
};

/// Draws a new id, secret and salt from OpenSSL's RAND_bytes (Failure if it cannot) and fills the
/// record (hash, created_at = now, created_by). The scope must suit the role: an operator code
/// for operator, a province name for province, empty otherwise (UsageError otherwise).
IssuedToken make_token(store::TokenRole role, const std::string& scope, const std::string& created_by);

/// make_token, then Store::add_token. The token text is returned once and stored nowhere.
IssuedToken issue_token(store::Store& store, store::TokenRole role, const std::string& scope,
                        const std::string& created_by);

/// Lower-case hex SHA-256 of the salt's bytes followed by the token text.
std::string token_hash(const std::string& salt_hex, std::string_view token);

/// The record a presented token belongs to, if it is well formed, known, not revoked and its
/// hash matches (compared with CRYPTO_memcmp, in constant time).
std::optional<store::TokenRecord> verify_token(const std::vector<store::TokenRecord>& records, std::string_view token);

/// "operator VTL", "province Lào Cai", "department": who a token speaks for, for logs.
std::string describe(const store::TokenRecord& record);

} // namespace deadzone::service
