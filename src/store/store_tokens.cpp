// The store core's API tokens: role names, and add / list / revoke inside one backend
// transaction each. Tokens are access records, not campaign data: they are not versioned and
// not in the upload log; the only change ever made to one is setting revoked_at, once.
#include "store_detail.hpp"

#include <deadzone/store/backend.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace deadzone::store {

namespace {

/// begin/commit around one token operation; rolls back when the operation throws.
class TokenTransaction {
public:
    TokenTransaction(Backend& backend, bool write) : m_backend(backend) { m_backend.begin(write); }
    ~TokenTransaction() {
        if (m_open) {
            m_backend.rollback();
        }
    }
    TokenTransaction(const TokenTransaction&) = delete;
    TokenTransaction& operator=(const TokenTransaction&) = delete;
    void commit() {
        m_backend.commit();
        m_open = false;
    }

private:
    Backend& m_backend;
    bool m_open = true;
};

} // namespace

const char* to_string(TokenRole role) noexcept {
    switch (role) {
    case TokenRole::operator_role: return "operator";
    case TokenRole::department: return "department";
    case TokenRole::viewer: return "viewer";
    case TokenRole::province: return "province";
    case TokenRole::tester: return "tester";
    }
    return "?";
}

std::optional<TokenRole> parse_token_role(std::string_view text) noexcept {
    for (const auto role : {TokenRole::operator_role, TokenRole::department, TokenRole::viewer, TokenRole::province,
                            TokenRole::tester}) {
        if (text == to_string(role)) {
            return role;
        }
    }
    return std::nullopt;
}

void Store::add_token(const TokenRecord& token) {
    TokenTransaction tx{*m_backend, true};
    const auto existing = m_backend->read_tokens();
    if (std::any_of(existing.begin(), existing.end(), [&](const TokenRecord& t) { return t.id == token.id; })) {
        throw StoreError(fmt::format("{}: a token with id {} exists already", location(), token.id));
    }
    m_backend->insert_token(token);
    tx.commit();
}

std::vector<TokenRecord> Store::tokens() const {
    TokenTransaction tx{*m_backend, false};
    auto list = m_backend->read_tokens();
    tx.commit();
    std::sort(list.begin(), list.end(), [](const TokenRecord& a, const TokenRecord& b) {
        return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
    });
    return list;
}

void Store::revoke_token(const std::string& id) {
    TokenTransaction tx{*m_backend, true};
    const auto list = m_backend->read_tokens();
    const auto it = std::find_if(list.begin(), list.end(), [&](const TokenRecord& t) { return t.id == id; });
    if (it == list.end()) {
        throw StoreError(fmt::format("{}: no token {}", location(), escape_log_text(id)));
    }
    if (it->revoked_at) {
        throw StoreError(fmt::format("{}: token {} was revoked already (at {})", location(), id, *it->revoked_at));
    }
    m_backend->set_token_revoked(id, detail::now_utc());
    tx.commit();
}

} // namespace deadzone::store
