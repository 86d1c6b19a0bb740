#include "command.hpp"

#include <deadzone/core/text.hpp>
#include <deadzone/service/tokens.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>
#include <set>

namespace deadzone::cli {

namespace {

class TokenCommand final : public Command {
public:
    const char* name() const override { return "token"; }
    const char* summary() const override {
        return "Issue, list and revoke the API tokens of 'deadzone serve' (only a salted hash is stored)";
    }

    void setup(CLI::App& app) override {
        app.require_subcommand(1);
        m_add = app.add_subcommand("add", "Issue a token and print it once");
        m_add->add_option("store", m_store, "The store")->required();
        auto* op = m_add->add_option("--operator", m_operator, "An operator's token: uploads that operator's stations");
        auto* role = m_add->add_option("--role", m_role, "department (reads all, uploads anything), viewer (reads all) or tester (reads "
                                              "all, uploads measurements: a contracted drive-test company)")
                         ->check(CLI::IsMember({"department", "viewer", "tester"}));
        auto* province = m_add->add_option("--province", m_province, "A province's token: reads that province only");
        op->excludes(role)->excludes(province);
        role->excludes(province);
        m_add->add_flag("--json", m_json, "Print {id, role, scope, token} as JSON");

        m_list = app.add_subcommand("list", "List the tokens (id, role, scope, created, revoked; never a hash)");
        m_list->add_option("store", m_store, "The store")->required();
        m_list->add_flag("--json", m_json, "Print the list as JSON");

        m_revoke = app.add_subcommand("revoke", "Revoke a token by its id (the service refuses it within a second)");
        m_revoke->add_option("store", m_store, "The store")->required();
        m_revoke->add_option("id", m_id, "The token's id, as 'token list' shows it")->required();
    }

    int run(Context& context) override {
        if (m_add->parsed()) {
            return add(context);
        }
        if (m_list->parsed()) {
            return list(context);
        }
        auto store = store::open_store(m_store);
        store->revoke_token(m_id);
        context.out << fmt::format("Token {} revoked.\n", escape_for_terminal(m_id));
        return ExitCode::ok;
    }

private:
    int add(Context& context) {
        if (m_operator.empty() && m_role.empty() && m_province.empty()) {
            throw UsageError("token add: give one of --operator OP, --role department|viewer|tester, --province NAME");
        }
        auto store = store::open_store(m_store);
        store::TokenRole role = store::TokenRole::viewer;
        std::string scope;
        if (!m_operator.empty()) {
            const auto* op = store->campaign().find_operator(m_operator);
            if (op == nullptr) {
                throw UsageError(fmt::format("token add: --operator '{}' is not an operator of the campaign",
                                             escape_for_terminal(m_operator)));
            }
            role = store::TokenRole::operator_role;
            scope = op->code;
        } else if (!m_province.empty()) {
            std::set<std::string> provinces;
            for (const auto& v : store->snapshot().inputs.villages) {
                provinces.insert(v.province);
            }
            if (provinces.count(m_province) == 0) {
                throw UsageError(fmt::format("token add: no village of the store is in province '{}' (names must match "
                                             "the villages' province field exactly)",
                                             escape_for_terminal(m_province)));
            }
            role = store::TokenRole::province;
            scope = m_province;
        } else {
            role = *store::parse_token_role(m_role);
        }
        const auto issued = service::issue_token(*store, role, scope, store::current_user());
        if (m_json) {
            context.out << nlohmann::ordered_json{{"id", issued.record.id},
                                                  {"role", store::to_string(role)},
                                                  {"scope", scope.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(scope)},
                                                  {"token", issued.token}}
                               .dump(2)
                        << '\n';
        } else {
            context.out << issued.token << '\n';
            if (!context.quiet) {
                context.err << fmt::format("Token {} ({}) issued. It is shown this once and only its salted hash is "
                                           "stored: give it to its holder now.\n",
                                           issued.record.id, escape_for_terminal(service::describe(issued.record)));
            }
        }
        return ExitCode::ok;
    }

    int list(Context& context) {
        auto store = store::open_store(m_store);
        const auto tokens = store->tokens();
        if (m_json) {
            auto array = nlohmann::ordered_json::array();
            for (const auto& t : tokens) {
                array.push_back({{"id", t.id},
                                 {"role", store::to_string(t.role)},
                                 {"scope", t.scope.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(t.scope)},
                                 {"created_at", t.created_at},
                                 {"created_by", store::escape_log_text(t.created_by)},
                                 {"revoked_at", t.revoked_at ? nlohmann::ordered_json(*t.revoked_at) : nlohmann::ordered_json()}});
            }
            context.out << array.dump(2) << '\n';
            return ExitCode::ok;
        }
        context.out << fmt::format("{:<16}  {:<10}  {:<20}  {:<24}  {:<12}  {}\n", "id", "role", "scope", "created_at",
                                   "created_by", "revoked_at");
        for (const auto& t : tokens) {
            context.out << fmt::format("{:<16}  {:<10}  {:<20}  {:<24}  {:<12}  {}\n", t.id, store::to_string(t.role),
                                       t.scope.empty() ? "-" : escape_for_terminal(t.scope), t.created_at,
                                       escape_for_terminal(t.created_by), t.revoked_at.value_or("-"));
        }
        return ExitCode::ok;
    }

    CLI::App* m_add = nullptr;
    CLI::App* m_list = nullptr;
    CLI::App* m_revoke = nullptr;
    std::string m_store;
    std::string m_operator;
    std::string m_role;
    std::string m_province;
    std::string m_id;
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> make_token_command() {
    return std::make_unique<TokenCommand>();
}

} // namespace deadzone::cli
