// `deadzone store copy FROM TO`: moves a store between backends (a GeoPackage file and a
// PostgreSQL schema, either way) with its whole history; see store::copy_store.
#include "command.hpp"

#include <deadzone/core/text.hpp>
#include <deadzone/store/store.hpp>

#include <fmt/format.h>

#include <ostream>

namespace deadzone::cli {

namespace {

class StoreCommand final : public Command {
public:
    const char* name() const override { return "store"; }
    const char* summary() const override { return "Manage stores: 'store copy FROM TO' copies one with its whole history"; }

    void setup(CLI::App& app) override {
        app.require_subcommand(1);
        m_copy = app.add_subcommand("copy", "Copy a store (every upload, every version, the tokens) into a new store: "
                                            "GeoPackage path or postgresql://...?schema=NAME, either way");
        m_copy->add_option("from", m_from, "The store to copy (it is only read)")->required();
        m_copy->add_option("to", m_to, "The store to create (must not exist)")->required();
    }

    int run(Context& context) override {
        const auto result = store::copy_store(m_from, m_to, context.progress());
        if (!context.quiet) {
            context.out << fmt::format("Copied {} uploads, {} record versions and {} tokens into {}.\n", result.uploads,
                                       result.versions, result.tokens, escape_for_terminal(m_to));
        }
        return ExitCode::ok;
    }

private:
    CLI::App* m_copy = nullptr;
    std::string m_from;
    std::string m_to;
};

} // namespace

std::unique_ptr<Command> make_store_command() {
    return std::make_unique<StoreCommand>();
}

} // namespace deadzone::cli
