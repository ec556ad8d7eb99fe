// The kiosk's whole set of devices, each made by its class's registry from the configuration.
#include "drivers/registry.h"

namespace kiosk::drivers {

Result<Devices> make_devices(core::DeviceConfig const& specs, DriverContext const& context)
{
    Devices devices;
    devices.scanner = TRY(make_scanner(specs.scanner, context));
    devices.printer = TRY(make_printer(specs.printer, context));
    devices.idreader = TRY(make_idreader(specs.idreader, context));
    devices.browser = TRY(make_browser(specs.browser, context));
    return devices;
}

} // namespace kiosk::drivers
