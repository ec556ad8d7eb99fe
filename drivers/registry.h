// Named driver factories, selected by configuration strings; an unknown name is an error, never a fallback.
#pragma once

#include "drivers/browser/browser.h"
#include "drivers/driver_spec.h"
#include "drivers/idreader/idreader.h"
#include "drivers/printer/printer.h"
#include "drivers/scanner/scanner.h"
#include "kiosk/core/config.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace kiosk::drivers {

class SimBrowser;
class SimIdReader;

// What a backend may need from the kiosk when it is created.
struct DriverContext {
    std::filesystem::path runtime_dir; // where a simulated printer keeps its output by default
};

Result<std::unique_ptr<Scanner>> make_scanner(std::string const& spec, DriverContext const& context);
Result<std::unique_ptr<Printer>> make_printer(std::string const& spec, DriverContext const& context);
Result<std::unique_ptr<IdReader>> make_idreader(std::string const& spec, DriverContext const& context);
Result<std::unique_ptr<Browser>> make_browser(std::string const& spec, DriverContext const& context);

// One device of each class, as the kiosk runs them.
struct Devices {
    std::unique_ptr<Scanner> scanner;
    std::unique_ptr<Printer> printer;
    std::unique_ptr<IdReader> idreader;
    std::unique_ptr<Browser> browser;
    // The simulated devices' own controls when the configuration chose them ("sim"), null with real devices: the
    // kiosk's stand-in page and scripts drive them through these, never by asking a device what it really is.
    SimBrowser* sim_browser = nullptr;
    SimIdReader* sim_idreader = nullptr;
};

// Every device from the configuration's driver strings, or the first error.
Result<Devices> make_devices(core::DeviceConfig const& specs, DriverContext const& context);

// Names of the registered backends per class, for help texts and contract tests.
std::vector<std::string> scanner_backends();
std::vector<std::string> printer_backends();
std::vector<std::string> idreader_backends();
std::vector<std::string> browser_backends();

} // namespace kiosk::drivers
