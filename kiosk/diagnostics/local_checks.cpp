// Free space through statvfs, and whether the place is the tmpfs a session's files belong on.
#include "kiosk/diagnostics/local_checks.h"

#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace kiosk::diagnostics {

Result<Room> measure_room(std::filesystem::path const& runtime_dir)
{
    auto place = runtime_dir;
    std::error_code ec;
    while (!place.empty() && !std::filesystem::exists(place, ec) && place != place.parent_path())
        place = place.parent_path();
    struct statvfs vfs { };
    struct statfs fs { };
    if (place.empty() || ::statvfs(place.c_str(), &vfs) != 0 || ::statfs(place.c_str(), &fs) != 0)
        return make_error(ErrorCode::io, "cannot measure " + runtime_dir.string() + ": " + std::strerror(errno));
    return Room { static_cast<int64_t>(vfs.f_bavail) * static_cast<int64_t>(vfs.f_frsize) / 1'000'000,
        static_cast<int64_t>(vfs.f_blocks) * static_cast<int64_t>(vfs.f_frsize) / 1'000'000, fs.f_type == TMPFS_MAGIC };
}

Check check_free_space(std::filesystem::path const& runtime_dir, int64_t storage_mb)
{
    auto started = std::chrono::steady_clock::now();
    Check check { "free-space " + runtime_dir.string(), false, "", 0 };
    if (auto room = measure_room(runtime_dir); !room) {
        check.detail = room.error().detail;
    } else {
        check.ok = room->free_mb >= storage_mb;
        check.detail = std::to_string(room->free_mb) + " MB free of " + std::to_string(room->size_mb) + " MB"
            + (room->tmpfs ? " (tmpfs)" : " (not a tmpfs)") + "; a session may use " + std::to_string(storage_mb)
            + " MB";
        if (!check.ok)
            check.detail += ": not enough room for the next session";
    }
    check.ms
        = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    return check;
}

} // namespace kiosk::diagnostics
