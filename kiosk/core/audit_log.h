// The audit log: one JSON object per line saying what happened, never what a resident's documents contained. Each
// line is chained to the one before by an HMAC (kiosk/core/audit_chain.h says exactly what is MACed), so a line
// deleted, edited, moved or inserted by someone without the key shows in `kiosk audit verify`.
#pragma once

#include "kiosk/core/audit_chain.h"
#include "kiosk/core/clock.h"
#include "kiosk/core/error.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <utility>
#include <variant>
#include <vector>

namespace kiosk::core {

// A JSON object of counts, {"caf":3,"cpam":1}: what aggregated usage lines hold.
struct AuditCounts {
    std::span<const std::pair<std::string, int64_t>> entries;
};
using AuditValue = std::variant<std::string_view, int64_t, bool, AuditCounts>;
using AuditField = std::pair<std::string_view, AuditValue>;
// Told of each recorded event, after its line is written: what the metrics count. It runs on the recording thread, so
// it must be quick and must not record in turn.
using AuditObserver = std::function<void(std::string_view event, std::initializer_list<AuditField> fields)>;

// The [audit] section of the configuration.
struct AuditSettings {
    // Lines older than this are dropped when the log is opened (at most once a day's worth late, so a kiosk that
    // restarts often does not rewrite the file each time).
    int retention_days = 90;
    // Which partner site and which form each session used; off, only hourly counts are written.
    bool per_session_detail = false;
};

class AuditLog {
public:
    // An empty path keeps the lines in memory only, unchained (tests, `kiosk run` with audit_log = ""). Otherwise
    // the key is audit.key beside the log, created on first open; the chain goes on from the log's last line; and
    // lines older than the retention are dropped.
    static Result<AuditLog> open(std::filesystem::path const& path, Clock const& clock, AuditSettings settings = {});
    AuditLog(AuditLog&&) noexcept;
    AuditLog& operator=(AuditLog&&) = delete;
    AuditLog(AuditLog const&) = delete;
    ~AuditLog();

    // Appends {"ts":"…Z","event":event, fields…,"seq":N,"mac":"…"}. Thread-safe, and safe beside another process
    // writing the same log (an flock on the key file is held from reading the chain's end to the append); a write error
    // is counted, never thrown, so a full log disk cannot stop a resident's session.
    void record(std::string_view event, std::initializer_list<AuditField> fields = {});

    // Replaces the observer (an empty one: none). Thread-safe; a record already under way may still tell the old one.
    void set_observer(AuditObserver observer);

    // The most recent lines (at most 200), newest last: what diagnostics and tests read.
    std::vector<std::string> recent() const;
    uint64_t write_failures() const;

private:
    explicit AuditLog(Clock const& clock)
        : m_clock(&clock)
    {
    }

    // Under the flock: reopens the log when another process replaced it, and reads where the chain stands when the
    // file changed since this process last wrote (another writer, or a torn line to mark).
    void catch_up();

    std::filesystem::path m_path;
    int m_fd = -1;
    int m_lock_fd = -1; // the key file, flocked around each append
    AuditKey m_key {};
    AuditChainHead m_head;
    off_t m_known_size = -1; // the log's size after this process's last append; -1: read the end again
    Clock const* m_clock;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_recent;
    uint64_t m_write_failures = 0;
    // Shared so a record calls it outside every lock while set_observer may replace it.
    std::shared_ptr<AuditObserver const> m_observer;
    mutable std::mutex m_observer_mutex;
};

} // namespace kiosk::core
