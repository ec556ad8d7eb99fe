// Assembling the kiosk from its configuration, in one place: the configuration with its defaults, the assets, the
// agents and the devices. Each command takes the parts it uses and links nothing else.
#pragma once

#include "drivers/registry.h"
#include "kiosk/core/agents.h"
#include "kiosk/core/catalogue.h"
#include "kiosk/core/config.h"
#include "kiosk/core/forms.h"
#include "kiosk/core/i18n.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace kiosk::cli {

// FILE, or the built-in default (simulated devices), with the runtime and assets directories filled in.
Result<core::Config> load_kiosk_config(std::optional<std::filesystem::path> const& file);

Result<core::Catalogue> load_catalogue(core::Config const& config);

struct Assets {
    core::Catalogue catalogue;
    core::Translations translations;
    std::vector<core::Form> forms;
};
Result<Assets> load_assets(core::Config const& config);

Result<core::AgentStore> load_agents(core::Config const& config);

// The configured devices. A driver string that names no backend or a device that does not exist is the
// configuration's fault (exit 2); a device that fails to start is not (ErrorCode::io, exit 1).
Result<drivers::Devices> make_devices(core::Config const& config);
Result<std::unique_ptr<drivers::Printer>> make_printer(core::Config const& config);

// The configuration names the device: anything but a failure to start it is the configuration's fault.
inline Error as_config_fault(Error error)
{
    if (error.code != ErrorCode::io)
        error.code = ErrorCode::config_invalid;
    return error;
}

} // namespace kiosk::cli
