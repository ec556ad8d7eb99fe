// The scanner backends by name: a command that scans links these and no other device's code.
#include "drivers/registry_table.h"
#include "drivers/scanner/sane/sane_scanner.h"
#include "drivers/scanner/sim/sim_scanner.h"

namespace kiosk::drivers {

namespace {

std::vector<registry::Backend<Scanner>> const& scanners()
{
    static std::vector<registry::Backend<Scanner>> const list {
        { "sim", [](DriverSpec const& spec, DriverContext const&) { return SimScanner::create(spec); } },
        { "sane", [](DriverSpec const& spec, DriverContext const&) { return SaneScanner::create(spec); } },
    };
    return list;
}

} // namespace

Result<std::unique_ptr<Scanner>> make_scanner(std::string const& spec, DriverContext const& context)
{
    return registry::make<Scanner>("scanner", spec, context, scanners());
}

std::vector<std::string> scanner_backends()
{
    return registry::names(scanners());
}

} // namespace kiosk::drivers
