// `kiosk wipe`: removes what an interrupted session left (its folder, its print jobs), for systemd's ExecStartPre
// and for technicians.
#include "kiosk/cli/commands.h"

#include "drivers/registry.h"
#include "kiosk/core/config.h"
#include "kiosk/core/json.h"
#include "kiosk/core/leftovers.h"
#include "kiosk/core/session_vault.h"

#include <ostream>

namespace kiosk::cli {

int cmd_wipe(std::span<const std::string> args, Streams streams)
{
    core::Config config;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size()) {
            auto loaded = core::load_config(args[++i]);
            if (!loaded) {
                streams.err << "kiosk: " << loaded.error().detail << "\n";
                return exit_usage;
            }
            config = std::move(*loaded);
        } else {
            streams.err << "kiosk wipe: unknown option '" << args[i] << "' (kiosk help)\n";
            return exit_usage;
        }
    }
    if (config.runtime_dir.empty())
        config.runtime_dir = core::default_runtime_dir();
    // Holding the lock guarantees no running kiosk owns a session directory we are about to delete.
    auto lock = core::RuntimeDirLock::acquire(config.runtime_dir);
    if (!lock) {
        streams.err << "kiosk: " << lock.error().detail << "\n";
        return exit_failed;
    }
    auto printer = drivers::make_printer(config.devices.printer, drivers::DriverContext { config.runtime_dir });
    if (!printer) {
        streams.err << "kiosk: " << printer.error().detail << "\n";
        return exit_usage;
    }
    auto removed = core::remove_leftovers(config.runtime_dir, **printer);
    if (!removed) {
        streams.err << "kiosk: " << removed.error().detail << "\n";
        return exit_failed;
    }
    JsonWriter json;
    json.begin_object()
        .key("runtime_dir")
        .value(config.runtime_dir.string())
        .key("sessions_removed")
        .value(removed->sessions)
        .key("print_jobs_removed")
        .value(removed->print_jobs)
        .end_object();
    streams.out << json.str() << "\n";
    return exit_ok;
}

} // namespace kiosk::cli
