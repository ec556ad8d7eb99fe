// Where the kiosk keeps its things when the configuration does not say: apart from the TOML reader, so a command
// that needs only a path does not link it.
#include "kiosk/core/config.h"

#include <unistd.h>

#include <cstdlib>

#ifndef KIOSK_SOURCE_ASSETS_DIR
#define KIOSK_SOURCE_ASSETS_DIR ""
#endif
#ifndef KIOSK_INSTALLED_ASSETS_DIR
#define KIOSK_INSTALLED_ASSETS_DIR "/usr/share/france-services-kiosk/assets"
#endif

namespace kiosk::core {

std::filesystem::path default_runtime_dir()
{
    std::error_code ec;
    std::filesystem::path run = "/run/kiosk";
    if (::access("/run", W_OK) == 0) {
        std::filesystem::create_directories(run, ec);
        if (!ec && ::access(run.c_str(), W_OK) == 0)
            return run;
    }
    if (char const* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg)
        return std::filesystem::path(xdg) / "kiosk";
    return std::filesystem::path("/tmp") / ("kiosk-" + std::to_string(::getuid()));
}

std::filesystem::path default_agents_file()
{
    if (::getuid() == 0)
        return "/var/lib/france-services-kiosk/agents.toml";
    if (char const* state = std::getenv("XDG_STATE_HOME"); state && *state)
        return std::filesystem::path(state) / "france-services-kiosk" / "agents.toml";
    if (char const* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local" / "state" / "france-services-kiosk" / "agents.toml";
    return std::filesystem::path("/tmp") / ("kiosk-agents-" + std::to_string(::getuid()) + ".toml");
}

std::filesystem::path default_fleet_config_dir()
{
    auto agents = default_agents_file();
    if (agents.parent_path() == "/tmp")
        return std::filesystem::path("/tmp") / ("kiosk-config-" + std::to_string(::getuid()));
    return agents.parent_path() / "config";
}

std::filesystem::path default_assets_dir()
{
    if (char const* env = std::getenv("KIOSK_ASSETS_DIR"); env && *env)
        return env;
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::path(KIOSK_INSTALLED_ASSETS_DIR) / "catalogue.toml", ec))
        return KIOSK_INSTALLED_ASSETS_DIR;
    return KIOSK_SOURCE_ASSETS_DIR;
}

} // namespace kiosk::core
