// ID-reader events collected from the driver's thread, waited for with a bound so a broken driver or setup
// fails the test instead of hanging it. Shared by the serial and PC/SC tests.
#pragma once

#include "drivers/idreader/idreader.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace kiosk::drivers::testing {

class EventQueue {
public:
    // How long next() waits when not told otherwise.
    explicit EventQueue(std::chrono::milliseconds default_timeout)
        : m_default_timeout(default_timeout)
    {
    }

    IdReader::Listener listener()
    {
        return [this](IdEvent event) {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(event));
            m_changed.notify_all();
        };
    }

    std::optional<IdEvent> next() { return next(m_default_timeout); }
    std::optional<IdEvent> next(std::chrono::milliseconds timeout)
    {
        std::unique_lock lock(m_mutex);
        if (!m_changed.wait_for(lock, timeout, [&] { return !m_events.empty(); }))
            return std::nullopt;
        IdEvent event = std::move(m_events.front());
        m_events.pop_front();
        return event;
    }

private:
    std::chrono::milliseconds m_default_timeout;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<IdEvent> m_events;
};

} // namespace kiosk::drivers::testing
