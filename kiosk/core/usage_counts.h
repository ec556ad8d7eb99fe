// Which partner sites and forms were used, counted in memory and written to the audit log as one line per hour of
// use or more: the fleet metrics get their numbers, and no line ties a partner or a form to one resident's session.
#pragma once

#include "kiosk/core/audit_log.h"
#include "kiosk/core/clock.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::core {

class UsageCounts {
public:
    static constexpr std::chrono::hours period { 1 };

    UsageCounts(AuditLog& audit, Clock const& clock);
    // A clean shutdown writes what was counted since the last line.
    ~UsageCounts();
    UsageCounts(UsageCounts const&) = delete;
    UsageCounts& operator=(UsageCounts const&) = delete;

    void count_partner(std::string_view slug);
    void count_form(std::string_view slug);
    // A page of a visit that was refused by the allow-list: "caf/www.example.org", the host only, so that the
    // central configuration can be corrected. At most max_blocked_hosts distinct ones a period: a page that makes
    // up names counts the rest as "<partner>/(other)".
    static constexpr size_t max_blocked_hosts = 100;
    void count_blocked_host(std::string_view partner, std::string_view host);
    // Any other page a visit could not show, by partner and kind: "caf/unreachable".
    void count_site_failure(std::string_view partner, std::string_view kind);

    // Writes {"event":"usage","partners":{…},"forms":{…},"blocked_hosts":{…},"site_failures":{…}} when there is
    // something to write and an hour has passed since the last such line (or since the start). Called between sessions,
    // so a line sums every session of that hour or more.
    void flush_if_due();
    void flush();

private:
    using Counts = std::vector<std::pair<std::string, int64_t>>; // sorted by name
    static void add(Counts& counts, std::string_view name);

    AuditLog& m_audit;
    Clock const& m_clock;
    Clock::time_point m_since;
    Counts m_partners;
    Counts m_forms;
    Counts m_blocked_hosts;
    Counts m_site_failures;
};

} // namespace kiosk::core
