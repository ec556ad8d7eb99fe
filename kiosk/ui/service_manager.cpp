// The kiosk's side of the systemd service (service_manager.h), through libsystemd's sd_notify.
#include "kiosk/ui/service_manager.h"

#include <systemd/sd-daemon.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>

namespace kiosk::ui {

ServiceManager::ServiceManager()
{
    char const* socket = std::getenv("NOTIFY_SOCKET");
    m_enabled = socket && *socket;
    if (char const* usec = std::getenv("WATCHDOG_USEC"); m_enabled && usec) {
        uint64_t value = 0;
        auto [end, ec] = std::from_chars(usec, usec + std::strlen(usec), value);
        if (ec == std::errc() && *end == '\0' && value > 0)
            m_period = std::chrono::microseconds(value);
    }
}

void ServiceManager::ready(std::string_view status)
{
    if (!m_enabled)
        return;
    std::string message = "READY=1\nSTATUS=" + std::string(status);
    sd_notify(0, message.c_str());
    m_last_ping = std::chrono::steady_clock::now();
    if (watchdog())
        sd_notify(0, "WATCHDOG=1");
}

void ServiceManager::alive()
{
    if (!watchdog())
        return;
    auto now = std::chrono::steady_clock::now();
    if (now - m_last_ping < m_period / 2)
        return;
    m_last_ping = now;
    sd_notify(0, "WATCHDOG=1");
}

void ServiceManager::stopping()
{
    if (m_enabled)
        sd_notify(0, "STOPPING=1");
}

std::optional<int> ServiceManager::sleep_at_most_ms() const
{
    if (!watchdog())
        return std::nullopt;
    auto due = m_last_ping + m_period / 2 - std::chrono::steady_clock::now();
    return static_cast<int>(std::max<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(due).count(), 1));
}

} // namespace kiosk::ui
