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

    // Writes {"event":"usage","partners":{…},"forms":{…}} when there is something to write and an hour has passed
    // since the last such line (or since the start). Called between sessions, so a line sums every session of
    // that hour or more.
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
};

} // namespace kiosk::core
