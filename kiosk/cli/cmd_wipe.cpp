// `kiosk wipe`: removes what an interrupted session left (its folder, its print jobs), for systemd's ExecStartPre
// and for technicians.
#include "kiosk/cli/commands.h"
#include "kiosk/cli/program.h"

#include "kiosk/core/json.h"
#include "kiosk/core/leftovers.h"
#include "kiosk/core/session_vault.h"

#include <ostream>

namespace kiosk::cli {

Result<void> cmd_wipe(std::span<const std::string> args, Streams streams)
{
    auto config_file = TRY(config_option(args));
    auto config = TRY(load_kiosk_config(config_file));
    auto printer = TRY(make_printer(config));
    // Holding the lock guarantees no running kiosk owns a session directory we are about to delete.
    auto lock = TRY(core::RuntimeDirLock::acquire(config.runtime_dir));
    auto removed = TRY(core::remove_leftovers(config.runtime_dir, *printer));
    JsonWriter json;
    json.begin_object()
        .key("runtime_dir")
        .value(config.runtime_dir.string())
        .key("sessions_removed")
        .value(removed.sessions)
        .key("print_jobs_removed")
        .value(removed.print_jobs)
        .end_object();
    streams.out << json.str() << "\n";
    return {};
}

} // namespace kiosk::cli
