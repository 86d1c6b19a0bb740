#include "command.hpp"

#include <deadzone/core/text.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ostream>

namespace deadzone::cli {

namespace {

class HistoryCommand final : public Command {
public:
    const char* name() const override { return "history"; }
    const char* summary() const override { return "List a store's uploads (the upload log), oldest first"; }

    void setup(CLI::App& app) override {
        app.add_option("store", m_store, "The store")->required();
        app.add_option("--operator", m_operator, "Only this operator's station and measurement uploads");
        app.add_flag("--json", m_json, "Print the log as JSON");
    }

    int run(Context& context) override {
        auto store = store::open_store(m_store);
        const std::string op = m_operator.empty() ? std::string{} : canonical(*store);
        std::vector<store::Upload> uploads;
        for (auto& upload : store->uploads()) {
            const bool per_operator =
                upload.kind == store::UploadKind::stations || upload.kind == store::UploadKind::measurements;
            if (op.empty() || (per_operator && upload.operator_code == op)) {
                // The store escapes these on the way in; a store written by another client may not.
                upload.uploaded_by = store::escape_log_text(upload.uploaded_by);
                upload.file_name = store::escape_log_text(upload.file_name);
                uploads.push_back(std::move(upload));
            }
        }
        if (m_json) {
            auto array = nlohmann::ordered_json::array();
            for (const auto& u : uploads) {
                array.push_back({{"id", u.id}, {"uploaded_at", u.uploaded_at}, {"uploaded_by", u.uploaded_by},
                                 {"kind", store::to_string(u.kind)},
                                 {"operator", u.operator_code.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(u.operator_code)},
                                 {"mode", store::to_string(u.mode)}, {"file", u.file_name}, {"sha256", u.sha256},
                                 {"rows_accepted", u.rows_accepted}, {"rows_warned", u.rows_warned},
                                 {"rows_rejected", u.rows_rejected}, {"added", u.added}, {"changed", u.changed},
                                 {"ended", u.ended}});
            }
            context.out << array.dump(2) << '\n';
            return ExitCode::ok;
        }
        context.out << fmt::format("{:>4}  {:<24}  {:<10}  {:<12}  {:<4}  {:<7}  {:>8}  {:>6}  {:>8}  {:>6}  {:>7}  {:>5}  {:<12}  {}\n",
                                   "id", "uploaded_at (UTC)", "by", "kind", "op", "mode", "accepted", "warned",
                                   "rejected", "added", "changed", "ended", "sha256", "file");
        for (const auto& u : uploads) {
            context.out << fmt::format(
                "{:>4}  {:<24}  {:<10}  {:<12}  {:<4}  {:<7}  {:>8}  {:>6}  {:>8}  {:>6}  {:>7}  {:>5}  {:<12}  {}\n", u.id,
                u.uploaded_at, escape_for_terminal(u.uploaded_by), store::to_string(u.kind),
                u.operator_code.empty() ? "-" : escape_for_terminal(u.operator_code),
                store::to_string(u.mode), u.rows_accepted, u.rows_warned, u.rows_rejected, u.added, u.changed, u.ended,
                u.sha256.substr(0, 12), escape_for_terminal(u.file_name));
        }
        return ExitCode::ok;
    }

private:
    std::string canonical(const store::Store& store) const {
        const auto campaign = store.campaign();
        const auto* op = campaign.find_operator(m_operator);
        if (op == nullptr) {
            throw UsageError(fmt::format("history: --operator '{}' is not an operator of the campaign", m_operator));
        }
        return op->code;
    }

    std::string m_store;
    std::string m_operator;
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> make_history_command() {
    return std::make_unique<HistoryCommand>();
}

} // namespace deadzone::cli
