// Loads the configuration, assets and agents, and makes the devices the configuration names.
#include "kiosk/cli/program.h"

#include "kiosk/core/languages.h"

namespace kiosk::cli {

Result<core::Config> load_kiosk_config(std::optional<std::filesystem::path> const& file)
{
    core::Config config = file ? TRY(core::load_config(*file)) : core::Config {};
    // Without a configuration file the kiosk runs on simulated devices: a developer's run, never a deployed kiosk
    // (the package's service always names its file).
    if (!file)
        config.dev_mode = true;
    if (config.runtime_dir.empty())
        config.runtime_dir = core::default_runtime_dir();
    if (config.assets_dir.empty())
        config.assets_dir = core::default_assets_dir();
    return config;
}

Result<core::Catalogue> load_catalogue(core::Config const& config)
{
    return core::load_catalogue(config.assets_dir / "catalogue.toml");
}

namespace {

// The kiosk's own files (assets, agents) are not the caller's input: one that is malformed is a broken installation,
// a request that fails (exit 1), not bad usage.
template<typename T>
Result<T> installed(Result<T> loaded)
{
    if (!loaded && loaded.error().code == ErrorCode::config_invalid)
        return make_error(ErrorCode::asset_missing, loaded.error().detail);
    return loaded;
}

} // namespace

Result<Assets> load_assets(core::Config const& config)
{
    auto catalogue = TRY(installed(load_catalogue(config)));
    auto translations = TRY(installed(
        core::Translations::load(config.assets_dir / "i18n", core::offered_languages(config.assets_dir / "i18n"))));
    auto forms = TRY(installed(core::load_forms(config.assets_dir / "forms" / "index.toml", catalogue)));
    return Assets { std::move(catalogue), std::move(translations), std::move(forms) };
}

Result<core::AgentStore> load_agents(core::Config const& config)
{
    return installed(
        core::AgentStore::load(config.agents_file.empty() ? core::default_agents_file() : config.agents_file));
}

Result<std::unique_ptr<drivers::Printer>> make_printer(core::Config const& config)
{
    auto printer = drivers::make_printer(config.devices.printer, drivers::DriverContext { config.runtime_dir });
    if (!printer)
        return std::unexpected(as_config_fault(printer.error()));
    return printer;
}

} // namespace kiosk::cli
