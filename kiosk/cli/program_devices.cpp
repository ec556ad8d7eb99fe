// Makes every device the configuration names; apart from program.cpp so that a command needing one device class
// links no other class's backends.
#include "kiosk/cli/program.h"

#include "drivers/audio/headset_jack.h"

namespace kiosk::cli {

Result<drivers::Devices> make_devices(core::Config const& config)
{
    auto devices = drivers::make_devices(config.devices, drivers::DriverContext { config.runtime_dir });
    if (!devices)
        return std::unexpected(as_config_fault(devices.error()));
    // The headphone socket is watched by the kiosk itself once it runs; a malformed setting stops it here, like a
    // device's.
    if (auto headset = drivers::HeadsetJack::check(config.devices.headset); !headset)
        return std::unexpected(as_config_fault(headset.error()));
    return devices;
}

} // namespace kiosk::cli
