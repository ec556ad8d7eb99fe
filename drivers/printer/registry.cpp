// The printer backends by name: a command that prints or purges links these and no other device's code.
#include "drivers/printer/cups/cups_printer.h"
#include "drivers/printer/sim/sim_printer.h"
#include "drivers/registry_table.h"

namespace kiosk::drivers {

namespace {

std::vector<registry::Backend<Printer>> const& printers()
{
    static std::vector<registry::Backend<Printer>> const list {
        { "sim",
            [](DriverSpec const& spec, DriverContext const& context) {
                return SimPrinter::create(spec, context.runtime_dir);
            } },
        { "cups", [](DriverSpec const& spec, DriverContext const&) { return CupsPrinter::create(spec); } },
    };
    return list;
}

} // namespace

Result<std::unique_ptr<Printer>> make_printer(std::string const& spec, DriverContext const& context)
{
    return registry::make<Printer>("printer", spec, context, printers());
}

std::vector<std::string> printer_backends()
{
    return registry::names(printers());
}

} // namespace kiosk::drivers
