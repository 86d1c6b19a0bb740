#include "command.hpp"

#include <deadzone/geo/text.hpp>
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
        app.add_option("store", m_store, "The store file to create (a GeoPackage, e.g. campaign.gpkg)")->required();
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
                                           geo::escape_for_terminal(upload.file_name), upload.rows_accepted);
            }
            context.out << fmt::format("Created {}; add station lists with 'deadzone import {} --stations F --operator OP'.\n",
                                       geo::escape_for_terminal(m_store), geo::escape_for_terminal(m_store));
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
