// The browser backends by name.
#include "drivers/browser/chromium/chromium_browser.h"
#include "drivers/browser/sim/sim_browser.h"
#include "drivers/registry_table.h"

namespace kiosk::drivers {

namespace {

std::vector<registry::Backend<Browser>> const& browsers()
{
    static std::vector<registry::Backend<Browser>> const list {
        { "sim", [](DriverSpec const& spec, DriverContext const&) { return SimBrowser::create(spec); } },
        { "chromium", [](DriverSpec const& spec, DriverContext const&) { return ChromiumBrowser::create(spec); } },
    };
    return list;
}

} // namespace

Result<std::unique_ptr<Browser>> make_browser(std::string const& spec, DriverContext const& context)
{
    return registry::make<Browser>("browser", spec, context, browsers());
}

std::vector<std::string> browser_backends()
{
    return registry::names(browsers());
}

} // namespace kiosk::drivers
