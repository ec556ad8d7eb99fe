// What a session can leave behind when it does not end normally, and the one way to remove it.
#pragma once

#include "drivers/printer/printer.h"
#include "kiosk/core/error.h"

#include <filesystem>
#include <string_view>

namespace kiosk::core {

struct LeftoversRemoved {
    int sessions = 0; // session folders deleted from the runtime directory
    int print_jobs = 0; // this kiosk's jobs cancelled and purged at the print server
};

// A crash, a kill -9, a power cut or a failed wipe can leave a session's folder in the runtime directory and its
// print jobs at the print server, where a queued job would come out for the next person. Start-up, `kiosk wipe`
// and a technician's "back in service" all call this, and hand the kiosk to a resident only when it succeeds.
// The caller holds the RuntimeDirLock, so no running session owns what is deleted. The jobs are found at the
// server by their requesting user, not from memory: a killed kiosk's memory is gone.
// On failure the error's detail says what was left; leftover_reason() gives the out-of-order reason to show.
Result<LeftoversRemoved> remove_leftovers(std::filesystem::path const& runtime_dir, drivers::Printer& printer);

// The out-of-order reason for an error of remove_leftovers: "leftover_print_jobs" when the print server could not
// be cleared, else "leftover_session_data".
std::string_view leftover_reason(Error const& error);

} // namespace kiosk::core
