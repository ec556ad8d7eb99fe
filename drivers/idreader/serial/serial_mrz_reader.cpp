// The serial MRZ reader driver: opens the port raw, reads on its own thread and reopens a port that went away.
#include "drivers/idreader/serial/serial_mrz_reader.h"

#include "drivers/idreader/serial/mrz_framer.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace kiosk::drivers {

namespace {

struct Speed {
    int baud;
    speed_t code;
};

constexpr std::array speeds {
    Speed { 1200, B1200 },
    Speed { 2400, B2400 },
    Speed { 4800, B4800 },
    Speed { 9600, B9600 },
    Speed { 19200, B19200 },
    Speed { 38400, B38400 },
    Speed { 57600, B57600 },
    Speed { 115200, B115200 },
};

// The driver's technical details go to the journal (stderr under systemd); the person never sees them.
void log_detail(std::string const& port, std::string const& text)
{
    std::clog << "kiosk: idreader serial " << port << ": " << text << '\n';
}

// Opens the port non-blocking in raw 8N1 at the given speed, without flow control and without becoming
// our controlling terminal.
Result<int> open_port(std::string const& path, speed_t speed)
{
    int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return make_error(ErrorCode::idreader_failed, "cannot open " + path + ": " + std::strerror(errno));
    termios tio {};
    if (::tcgetattr(fd, &tio) != 0) {
        int error = errno;
        ::close(fd);
        return make_error(ErrorCode::idreader_failed, path + " is not a serial port: " + std::strerror(error));
    }
    ::cfmakeraw(&tio);
    tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CSIZE | CRTSCTS);
    tio.c_cflag |= CS8 | CLOCAL | CREAD;
    tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    ::cfsetispeed(&tio, speed);
    ::cfsetospeed(&tio, speed);
    if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
        int error = errno;
        ::close(fd);
        return make_error(ErrorCode::idreader_failed, "cannot configure " + path + ": " + std::strerror(error));
    }
    return fd;
}

} // namespace

Result<std::unique_ptr<IdReader>> SerialMrzReader::create(DriverSpec const& spec)
{
    TRY(spec.allow_only({ "port", "baud", "gap_ms" }));
    std::string port = spec.get("port").value_or("/dev/ttyACM0");
    if (port.empty())
        return make_error(ErrorCode::usage, "serial driver: 'port' must name a device");
    int baud = TRY(spec.get_int("baud", 9600, 1200, 115200));
    auto speed = std::ranges::find(speeds, baud, &Speed::baud);
    if (speed == speeds.end())
        return make_error(ErrorCode::usage,
            "serial driver: 'baud' must be one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200");
    int gap_ms = TRY(spec.get_int("gap_ms", 300, 20, 5000));
    return std::unique_ptr<IdReader>(
        std::make_unique<SerialMrzReader>(std::move(port), speed->code, std::chrono::milliseconds(gap_ms)));
}

SerialMrzReader::SerialMrzReader(std::string port, speed_t speed, std::chrono::milliseconds grouping_delay)
    : m_port(std::move(port))
    , m_speed(speed)
    , m_grouping_delay(grouping_delay)
{
}

SerialMrzReader::~SerialMrzReader()
{
    stop();
}

Result<void> SerialMrzReader::start(Listener listener)
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return make_error(ErrorCode::idreader_failed, "serial reader " + m_port + " is already started");
    m_wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_wake_fd < 0)
        return make_error(ErrorCode::idreader_failed, std::string("eventfd: ") + std::strerror(errno));
    // An absent port is not an error here: the reader may be plugged in later, and the thread keeps trying.
    m_thread = std::thread([this, listener = std::move(listener)] { run(listener); });
    return {};
}

void SerialMrzReader::stop()
{
    std::lock_guard lock(m_mutex);
    if (!m_thread.joinable())
        return;
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(m_wake_fd, &one, sizeof one);
    m_thread.join();
    ::close(m_wake_fd);
    m_wake_fd = -1;
}

void SerialMrzReader::run(Listener listener)
{
    using Clock = MrzFramer::Clock;
    MrzFramer framer(m_grouping_delay);
    int fd = -1;
    std::string last_problem; // logged once, not every second while the reader stays unplugged
    Clock::time_point reopen_at = Clock::now();
    auto close_port = [&](std::string const& why) {
        log_detail(m_port, why + "; closed, reopening when it comes back");
        last_problem = why;
        ::close(fd);
        fd = -1;
        framer.reset();
        reopen_at = Clock::now() + reopen_interval;
    };

    for (;;) {
        if (fd < 0 && Clock::now() >= reopen_at) {
            auto opened = open_port(m_port, m_speed);
            if (opened) {
                fd = *opened;
                log_detail(m_port, "opened");
                last_problem.clear();
            } else {
                reopen_at = Clock::now() + reopen_interval;
                if (opened.error().detail != last_problem) {
                    last_problem = opened.error().detail;
                    log_detail(m_port, last_problem + " (trying again every second)");
                }
            }
        }

        std::array<pollfd, 2> fds { { { m_wake_fd, POLLIN, 0 }, { fd, POLLIN, 0 } } };
        int timeout_ms = static_cast<int>(reopen_interval.count());
        if (fd < 0) {
            auto left = std::chrono::ceil<std::chrono::milliseconds>(reopen_at - Clock::now()).count();
            timeout_ms = static_cast<int>(std::clamp<long long>(left, 1, timeout_ms));
        } else {
            // Wake up when a pending group of rows expires, so its memory goes at once.
            auto deadline = framer.expire(Clock::now());
            if (deadline != Clock::time_point::max()) {
                auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count() + 1;
                timeout_ms = static_cast<int>(std::clamp<long long>(left, 1, timeout_ms));
            }
        }
        int ready = ::poll(fds.data(), fd >= 0 ? 2 : 1, timeout_ms);
        if (ready < 0 && errno != EINTR) {
            log_detail(m_port, std::string("poll: ") + std::strerror(errno));
            break;
        }
        if (fds[0].revents != 0)
            break;
        if (fd < 0 || ready <= 0)
            continue;

        if (fds[1].revents & POLLIN) {
            std::array<std::byte, 512> buffer;
            ssize_t got = ::read(fd, buffer.data(), buffer.size());
            if (got > 0) {
                for (auto& lines : framer.feed(std::span(buffer.data(), static_cast<std::size_t>(got)), Clock::now()))
                    listener(IdEvent { IdEvent::Kind::mrz_read, {}, std::move(lines) });
                continue;
            }
            if (got < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            // EIO or ENXIO: the device went away under us (USB unplugged, the pty's other side closed).
            close_port(got == 0 ? "end of file" : std::string("read: ") + std::strerror(errno));
            continue;
        }
        if (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL))
            close_port("hung up");
    }
    if (fd >= 0)
        ::close(fd);
}

} // namespace kiosk::drivers
