// `kiosk printers`: the CUPS destinations, their states and supply levels, as JSON.
#include "drivers/printer/cups/cups_printer.h"
#include "kiosk/cli/commands.h"
#include "kiosk/core/json.h"

#include <ostream>

namespace kiosk::cli {

using drivers::CupsPrinter;

Result<void> cmd_printers(std::span<const std::string> args, Streams streams)
{
    if (!args.empty())
        return usage_error("takes no argument");
    auto destinations = TRY(CupsPrinter::destinations(drivers::DriverSpec { "cups", {} }));

    JsonWriter json;
    json.begin_object();
    json.key("printers").begin_array();
    for (auto const& destination : destinations) {
        json.begin_object();
        json.key("name").value(destination.name);
        json.key("default").value(destination.is_default);
        json.key("state").value(destination.status.stopped ? "stopped" : "ready");
        json.key("accepting").value(destination.status.accepting);
        json.key("color").value(destination.status.color);
        json.key("duplex").value(destination.status.duplex);
        json.key("conditions").begin_array();
        for (auto condition : destination.status.conditions)
            json.value(drivers::to_string(condition));
        json.end_array();
        json.key("reasons").begin_array();
        for (auto const& reason : destination.reasons)
            json.value(reason);
        json.end_array();
        json.key("supplies").begin_array();
        for (auto const& supply : destination.status.supplies) {
            json.begin_object();
            json.key("name").value(supply.name);
            json.key("color").value(supply.color);
            json.key("level").value(supply.level);
            json.key("consumed").value(supply.consumed);
            json.end_object();
        }
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.end_object();
    streams.out << json.str() << "\n";
    return {};
}

} // namespace kiosk::cli
