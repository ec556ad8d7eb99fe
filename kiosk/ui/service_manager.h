// Telling systemd how the kiosk is doing: ready once the first screen is up, alive from every turn of the event loop
// (the unit's WatchdogSec restarts a kiosk whose loop is stuck), stopping when it leaves. Without systemd
// (NOTIFY_SOCKET unset: a developer's run, the tests) every call does nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace kiosk::ui {

class ServiceManager {
public:
    // Reads NOTIFY_SOCKET and WATCHDOG_USEC. The packaged unit makes the kiosk its main process (its session script
    // execs it); WATCHDOG_PID is not required all the same, so a unit whose main process is a wrapper (xinit) works
    // with NotifyAccess=all.
    ServiceManager();

    void ready(std::string_view status);
    // Pings the watchdog when half its period has passed since the last ping.
    void alive();
    void stopping();
    // How long the event loop may sleep before it must ping again; nullopt when no watchdog is set.
    std::optional<int> sleep_at_most_ms() const;
    bool watchdog() const { return m_period.count() > 0; }

private:
    bool m_enabled = false;
    std::chrono::microseconds m_period { 0 };
    std::chrono::steady_clock::time_point m_last_ping {};
};

} // namespace kiosk::ui
