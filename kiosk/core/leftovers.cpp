// Removes what interrupted sessions left: their folders, then their print jobs.
#include "kiosk/core/leftovers.h"

#include "kiosk/core/session_vault.h"

namespace kiosk::core {

namespace {

bool is_printer_error(ErrorCode code)
{
    switch (code) {
    case ErrorCode::printer_offline:
    case ErrorCode::printer_paper_out:
    case ErrorCode::printer_jam:
    case ErrorCode::printer_door_open:
    case ErrorCode::printer_job_failed: return true;
    default: return false;
    }
}

} // namespace

Result<LeftoversRemoved> remove_leftovers(std::filesystem::path const& runtime_dir, drivers::Printer& printer)
{
    LeftoversRemoved removed;
    // Both are tried even when the first fails: each one removed is one thing less that can leak.
    auto sessions = SessionVault::purge_leftovers(runtime_dir);
    auto jobs = printer.purge_own_jobs();
    std::string left_sessions = sessions ? "" : "folders of earlier sessions remain: " + sessions.error().detail;
    if (!jobs)
        return make_error(jobs.error().code,
            "print jobs of earlier sessions may still be queued: " + jobs.error().detail
                + (left_sessions.empty() ? "" : "; " + left_sessions));
    if (!sessions)
        return make_error(sessions.error().code, left_sessions);
    removed.sessions = *sessions;
    removed.print_jobs = *jobs;
    return removed;
}

std::string_view leftover_reason(Error const& error)
{
    return is_printer_error(error.code) ? "leftover_print_jobs" : "leftover_session_data";
}

} // namespace kiosk::core
