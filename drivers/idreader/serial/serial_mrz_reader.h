// An ID reader on a serial or USB-CDC MRZ reader: raw termios, a driver thread, framing, reopening after unplug.
#pragma once

#include "drivers/driver_spec.h"
#include "drivers/idreader/idreader.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <termios.h>
#include <thread>

namespace kiosk::drivers {

class SerialMrzReader final : public IdReader {
public:
    // "serial:port=/dev/ttyACM0,baud=9600,gap_ms=300" (gap_ms: the longest pause between the rows of one document).
    static Result<std::unique_ptr<IdReader>> create(DriverSpec const& spec);

    SerialMrzReader(std::string port, speed_t speed, std::chrono::milliseconds grouping_delay);
    ~SerialMrzReader() override;

    std::string name() const override { return "serial:" + m_port; }
    Result<void> start(Listener listener) override;
    void stop() override;

    // How long the driver waits before trying an absent or failed port again.
    static constexpr std::chrono::milliseconds reopen_interval { 1000 };

private:
    void run(Listener listener);

    std::string m_port;
    speed_t m_speed;
    std::chrono::milliseconds m_grouping_delay;
    std::mutex m_mutex;
    int m_wake_fd = -1; // an eventfd: stop() writes it, the driver thread polls it beside the port
    std::thread m_thread;
};

} // namespace kiosk::drivers
