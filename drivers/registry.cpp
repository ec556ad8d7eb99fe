// The table of backends per device class and the lookup by configuration string.
#include "drivers/registry.h"

#include "drivers/browser/chromium/chromium_browser.h"
#include "drivers/browser/sim/sim_browser.h"
#include "drivers/idreader/pcsc/pcsc_reader.h"
#include "drivers/idreader/serial/serial_mrz_reader.h"
#include "drivers/idreader/sim/sim_idreader.h"
#include "drivers/printer/cups/cups_printer.h"
#include "drivers/printer/sim/sim_printer.h"
#include "drivers/scanner/sane/sane_scanner.h"
#include "drivers/scanner/sim/sim_scanner.h"

#include <functional>

namespace kiosk::drivers {

namespace {

template<typename Device>
struct Backend {
    std::string_view name;
    std::function<Result<std::unique_ptr<Device>>(DriverSpec const&, DriverContext const&)> create;
};

template<typename Device>
Result<std::unique_ptr<Device>> make(std::string_view device_class, std::string const& text, DriverContext const& context,
    std::vector<Backend<Device>> const& backends)
{
    auto spec = parse_driver_spec(text);
    if (!spec)
        return std::unexpected(spec.error());
    std::string known;
    for (auto const& backend : backends) {
        if (backend.name == spec->backend)
            return backend.create(*spec, context);
        known += (known.empty() ? "" : ", ") + std::string(backend.name);
    }
    return make_error(ErrorCode::unknown_driver,
        "unknown " + std::string(device_class) + " driver '" + spec->backend + "' (known: " + known + ")");
}

template<typename Device>
std::vector<std::string> names(std::vector<Backend<Device>> const& backends)
{
    std::vector<std::string> result;
    for (auto const& backend : backends)
        result.emplace_back(backend.name);
    return result;
}

std::vector<Backend<Scanner>> const& scanners()
{
    static std::vector<Backend<Scanner>> const list {
        { "sim", [](DriverSpec const& spec, DriverContext const&) { return SimScanner::create(spec); } },
        { "sane", [](DriverSpec const& spec, DriverContext const&) { return SaneScanner::create(spec); } },
    };
    return list;
}

std::vector<Backend<Printer>> const& printers()
{
    static std::vector<Backend<Printer>> const list {
        { "sim", [](DriverSpec const& spec, DriverContext const& context) { return SimPrinter::create(spec, context.runtime_dir); } },
        { "cups", [](DriverSpec const& spec, DriverContext const&) { return CupsPrinter::create(spec); } },
    };
    return list;
}

std::vector<Backend<IdReader>> const& idreaders()
{
    static std::vector<Backend<IdReader>> const list {
        { "sim", [](DriverSpec const& spec, DriverContext const&) { return SimIdReader::create(spec); } },
        { "serial", [](DriverSpec const& spec, DriverContext const&) { return SerialMrzReader::create(spec); } },
        { "pcsc", [](DriverSpec const& spec, DriverContext const&) { return PcscReader::create(spec); } },
    };
    return list;
}

std::vector<Backend<Browser>> const& browsers()
{
    static std::vector<Backend<Browser>> const list {
        { "sim", [](DriverSpec const& spec, DriverContext const&) { return SimBrowser::create(spec); } },
        { "chromium", [](DriverSpec const& spec, DriverContext const&) { return ChromiumBrowser::create(spec); } },
    };
    return list;
}

} // namespace

Result<std::unique_ptr<Scanner>> make_scanner(std::string const& spec, DriverContext const& context)
{
    return make<Scanner>("scanner", spec, context, scanners());
}
Result<std::unique_ptr<Printer>> make_printer(std::string const& spec, DriverContext const& context)
{
    return make<Printer>("printer", spec, context, printers());
}
Result<std::unique_ptr<IdReader>> make_idreader(std::string const& spec, DriverContext const& context)
{
    return make<IdReader>("ID reader", spec, context, idreaders());
}
Result<std::unique_ptr<Browser>> make_browser(std::string const& spec, DriverContext const& context)
{
    return make<Browser>("browser", spec, context, browsers());
}

std::vector<std::string> scanner_backends() { return names(scanners()); }
std::vector<std::string> printer_backends() { return names(printers()); }
std::vector<std::string> idreader_backends() { return names(idreaders()); }
std::vector<std::string> browser_backends() { return names(browsers()); }

} // namespace kiosk::drivers
