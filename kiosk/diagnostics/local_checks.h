// Checks of the kiosk machine itself for `kiosk diagnose`: room on the session storage.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/diagnostics/network_checks.h"

#include <cstdint>
#include <filesystem>

namespace kiosk::diagnostics {

// The room where sessions are kept: in MB of 10^6 bytes, and whether it is memory (tmpfs) as on a kiosk. A directory
// not made yet is measured where it would be made.
struct Room {
    int64_t free_mb = 0;
    int64_t size_mb = 0;
    bool tmpfs = false;
};
Result<Room> measure_room(std::filesystem::path const& runtime_dir);

// "free-space DIR": the room left where sessions are kept (the runtime directory, a tmpfs on a kiosk), ok when one
// session's allowance (storage_mb, in MB of 10^6 bytes) still fits. A directory not made yet is measured where it
// would be made.
Check check_free_space(std::filesystem::path const& runtime_dir, int64_t storage_mb);

} // namespace kiosk::diagnostics
