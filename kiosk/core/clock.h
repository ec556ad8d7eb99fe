// The clock every timeout reads: the system's in production, a manual one in tests and scripted runs.
#pragma once

#include <time.h>

#include <chrono>

namespace kiosk::core {

class Clock {
public:
    using duration = std::chrono::milliseconds;
    using time_point = std::chrono::time_point<std::chrono::steady_clock, duration>;

    virtual ~Clock() = default;
    // Monotonic time for timeouts: never moved by a change of the calendar time (NTP, a technician, a dead CMOS
    // battery), and counting the time the machine was suspended.
    virtual time_point now() const = 0;
    // Calendar time for audit timestamps and dates shown; it may jump either way, so no timeout reads it.
    virtual std::chrono::system_clock::time_point wall_now() const = 0;
};

class SystemClock final : public Clock {
public:
    // CLOCK_BOOTTIME, not steady_clock's CLOCK_MONOTONIC: a kiosk suspended in mid-session and woken an hour
    // later must see that hour pass, so the session it left open ends instead of greeting the next person.
    time_point now() const override
    {
        timespec ts {};
        ::clock_gettime(CLOCK_BOOTTIME, &ts);
        return time_point(std::chrono::duration_cast<duration>(
            std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
    }
    std::chrono::system_clock::time_point wall_now() const override { return std::chrono::system_clock::now(); }
};

// Moves only when told to, so a test can advance ten minutes in a microsecond.
class ManualClock final : public Clock {
public:
    ManualClock()
        : m_wall(std::chrono::system_clock::now())
    {
    }
    time_point now() const override { return m_now; }
    std::chrono::system_clock::time_point wall_now() const override { return m_wall; }
    void advance(duration step)
    {
        m_now += step;
        m_wall += step;
    }
    // The calendar time jumps (NTP at boot, a technician's mistake); monotonic time does not move.
    void jump_wall(std::chrono::system_clock::duration by) { m_wall += by; }

private:
    time_point m_now { duration(1'000'000) };
    std::chrono::system_clock::time_point m_wall;
};

} // namespace kiosk::core
