// The clock every timeout reads: the system's in production, a manual one in tests and scripted runs.
#pragma once

#include <chrono>

namespace kiosk::core {

class Clock {
public:
    using duration = std::chrono::milliseconds;
    using time_point = std::chrono::time_point<std::chrono::steady_clock, duration>;

    virtual ~Clock() = default;
    // Monotonic time for timeouts.
    virtual time_point now() const = 0;
    // Calendar time for audit timestamps.
    virtual std::chrono::system_clock::time_point wall_now() const = 0;
};

class SystemClock final : public Clock {
public:
    time_point now() const override
    {
        return std::chrono::time_point_cast<duration>(std::chrono::steady_clock::now());
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

private:
    time_point m_now { duration(1'000'000) };
    std::chrono::system_clock::time_point m_wall;
};

} // namespace kiosk::core
