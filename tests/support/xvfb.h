// A private Xvfb for tests that need a real X display: a display number nobody uses, ready before the
// constructor returns, killed with the object.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

namespace kiosk::tests {

class Xvfb {
public:
    explicit Xvfb(std::string const& screen = "640x480x24")
    {
        for (int number = 90 + (::getpid() % 200); number < 400 && m_pid < 0; ++number) {
            std::string socket = "/tmp/.X11-unix/X" + std::to_string(number);
            if (std::filesystem::exists(socket)
                || std::filesystem::exists("/tmp/.X" + std::to_string(number) + "-lock"))
                continue;
            m_display = ":" + std::to_string(number);
            m_pid = ::fork();
            if (m_pid == 0) {
                ::execlp("Xvfb", "Xvfb", m_display.c_str(), "-screen", "0", screen.c_str(), "-nolisten", "tcp",
                    static_cast<char*>(nullptr));
                ::_exit(127);
            }
            // Ready once its socket exists; gone if it failed (another test took the number first).
            for (int i = 0; i < 100 && !std::filesystem::exists(socket); ++i) {
                if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
                    m_pid = -1;
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
    }
    ~Xvfb()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGTERM);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    Xvfb(Xvfb const&) = delete;
    Xvfb& operator=(Xvfb const&) = delete;

    bool running() const { return m_pid > 0; }
    std::string const& display() const { return m_display; }

private:
    pid_t m_pid = -1;
    std::string m_display;
};

} // namespace kiosk::tests
