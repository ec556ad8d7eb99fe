// The audit log: one JSON object per line saying what happened, never what a resident's documents contained.
#pragma once

#include "kiosk/core/clock.h"
#include "kiosk/core/error.h"

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kiosk::core {

using AuditValue = std::variant<std::string_view, int64_t, bool>;
using AuditField = std::pair<std::string_view, AuditValue>;

class AuditLog {
public:
    // An empty path keeps the lines in memory only (tests, `kiosk run` with audit_log = "").
    static Result<AuditLog> open(std::filesystem::path const& path, Clock const& clock);
    AuditLog(AuditLog&&) noexcept;
    AuditLog& operator=(AuditLog&&) = delete;
    AuditLog(AuditLog const&) = delete;
    ~AuditLog();

    // Appends {"ts":"…Z","event":event, fields…}. Thread-safe; a write error is counted, never thrown, so a
    // full log disk cannot stop a resident's session.
    void record(std::string_view event, std::initializer_list<AuditField> fields = {});

    // The most recent lines (at most 200), newest last: what diagnostics and tests read.
    std::vector<std::string> recent() const;
    uint64_t write_failures() const;

private:
    AuditLog(int fd, Clock const& clock)
        : m_fd(fd)
        , m_clock(&clock)
    {
    }

    int m_fd = -1;
    Clock const* m_clock;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_recent;
    uint64_t m_write_failures = 0;
};

} // namespace kiosk::core
