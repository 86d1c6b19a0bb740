#include "command.hpp"

#include <deadzone/core/text.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>

#include <ostream>

namespace deadzone::cli {

namespace {

class InitCommand final : public Command {
public:
    const char* name() const override { return "init"; }
    const char* summary() const override {
        return "Create a store (GeoPackage) from a campaign, importing the villages and commitments it names";
    }

    void setup(CLI::App& app) override {
        app.add_option("store", m_store, "The store to create: a GeoPackage path (campaign.gpkg) or a postgresql:// URI")->required();
        app.add_option("--campaign", m_campaign, "Campaign file (campaign.json) or its folder")->required();
    }

    int run(Context& context) override {
        auto result = store::init_store(m_store, m_campaign, {}, context.progress());
        if (!result.warnings.empty()) {
            context.print_problems(result.warnings, false);
        }
        if (!context.quiet) {
            for (const auto& upload : result.store->uploads()) {
                context.out << fmt::format("upload #{}: {} from {} ({} rows)\n", upload.id, store::to_string(upload.kind),
                                           escape_for_terminal(upload.file_name), upload.rows_accepted);
            }
            // location(), not what was typed: a postgresql:// URI may carry a password.
            const auto where = escape_for_terminal(result.store->location());
            context.out << fmt::format("Created {}; add station lists with 'deadzone import {} --stations F --operator OP'.\n",
                                       where, where);
        }
        return ExitCode::ok;
    }

private:
    std::string m_store;
    std::string m_campaign;
};

} // namespace

std::unique_ptr<Command> make_init_command() {
    return std::make_unique<InitCommand>();
}

} // namespace deadzone::cli
