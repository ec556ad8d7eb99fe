// The kiosk's whole set of devices, each made by its class's registry from the configuration.
#include "drivers/registry.h"

#include "drivers/browser/sim/sim_browser.h"
#include "drivers/idreader/sim/sim_idreader.h"

namespace kiosk::drivers {

Result<Devices> make_devices(core::DeviceConfig const& specs, DriverContext const& context)
{
    Devices devices;
    devices.scanner = TRY(make_scanner(specs.scanner, context));
    devices.printer = TRY(make_printer(specs.printer, context));
    devices.idreader = TRY(make_idreader(specs.idreader, context));
    devices.browser = TRY(make_browser(specs.browser, context));
    // The registry made them from their backend's name: "sim" is the simulated class, and nothing else is.
    auto simulated = [](std::string const& spec) { return spec == "sim" || spec.starts_with("sim:"); };
    if (simulated(specs.browser))
        devices.sim_browser = static_cast<SimBrowser*>(devices.browser.get());
    if (simulated(specs.idreader))
        devices.sim_idreader = static_cast<SimIdReader*>(devices.idreader.get());
    return devices;
}

} // namespace kiosk::drivers
