// API tokens in the store (the core's side): roles by name, and the Store methods that check
// before writing through the backend. Tokens are not versioned records and not in the upload
// log; the one change ever made to a token is setting revoked_at, once.
// (The `service` branch writes the same code; the integrator keeps one copy.)
#include "store_detail.hpp"

#include <deadzone/store/backend.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace deadzone::store {

const char* to_string(TokenRole role) noexcept {
    switch (role) {
    case TokenRole::operator_role: return "operator";
    case TokenRole::department: return "department";
    case TokenRole::viewer: return "viewer";
    case TokenRole::province: return "province";
    }
    return "?";
}

std::optional<TokenRole> parse_token_role(std::string_view text) noexcept {
    for (const auto role : {TokenRole::operator_role, TokenRole::department, TokenRole::viewer, TokenRole::province}) {
        if (text == to_string(role)) {
            return role;
        }
    }
    return std::nullopt;
}

namespace {

/// Begin/commit around one token operation, rolled back on any exception.
template <typename Work>
auto in_transaction(Backend& backend, bool write, Work&& work) {
    backend.begin(write);
    try {
        auto result = work();
        backend.commit();
        return result;
    } catch (...) {
        backend.rollback();
        throw;
    }
}

} // namespace

void Store::add_token(const TokenRecord& token) {
    in_transaction(*m_backend, true, [&] {
        for (const auto& t : m_backend->read_tokens()) {
            if (t.id == token.id) {
                throw StoreError(fmt::format("{}: a token with id {} exists already", location(), token.id));
            }
        }
        m_backend->insert_token(token);
        return 0;
    });
}

std::vector<TokenRecord> Store::tokens() const {
    auto out = in_transaction(*m_backend, false, [&] { return m_backend->read_tokens(); });
    std::sort(out.begin(), out.end(), [](const TokenRecord& a, const TokenRecord& b) {
        return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
    });
    return out;
}

void Store::revoke_token(const std::string& id) {
    in_transaction(*m_backend, true, [&] {
        const auto all = m_backend->read_tokens();
        const auto it = std::find_if(all.begin(), all.end(), [&](const TokenRecord& t) { return t.id == id; });
        if (it == all.end() || it->revoked_at) {
            throw StoreError(it == all.end() ? fmt::format("no token {}", id)
                                             : fmt::format("no token {} (it was revoked at {})", id, *it->revoked_at));
        }
        m_backend->set_token_revoked(id, detail::now_utc());
        return 0;
    });
}

} // namespace deadzone::store
