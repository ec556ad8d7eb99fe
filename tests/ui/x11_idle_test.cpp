// Tests of the X idle source against a real X server (Xvfb) and input injected through XTEST.
#include "kiosk/ui/x11_idle.h"

#include <catch2/catch.hpp>

#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace kiosk::ui;
using namespace std::chrono_literals;

namespace {

// A private Xvfb on a display number nobody uses, killed when the test ends.
struct Xvfb {
    pid_t pid = -1;
    std::string display;
    Xvfb()
    {
        for (int number = 90 + (::getpid() % 200); number < 400 && pid < 0; ++number) {
            if (std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(number)) || std::filesystem::exists("/tmp/.X" + std::to_string(number) + "-lock"))
                continue;
            display = ":" + std::to_string(number);
            pid = ::fork();
            if (pid == 0) {
                ::execlp("Xvfb", "Xvfb", display.c_str(), "-screen", "0", "640x480x24", "-nolisten", "tcp", static_cast<char*>(nullptr));
                ::_exit(127);
            }
        }
    }
    ~Xvfb()
    {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

} // namespace

TEST_CASE("there is no idle source without an X display")
{
    CHECK_FALSE(X11Idle::open(":4242"));
}

TEST_CASE("input to any client of the display resets the idle time")
{
    if (::access("/usr/bin/Xvfb", X_OK) != 0) {
        WARN("Xvfb is not installed; skipping the X idle test");
        return;
    }
    Xvfb server;
    REQUIRE(server.pid > 0);
    std::unique_ptr<X11Idle> idle;
    for (int attempt = 0; attempt < 100 && !idle; ++attempt) {
        std::this_thread::sleep_for(50ms);
        idle = X11Idle::open(server.display);
    }
    REQUIRE(idle);
    std::this_thread::sleep_for(600ms);
    auto before = idle->idle();
    REQUIRE(before);
    CHECK(*before >= 400ms);

    // Another client (as the browser would be) moves the pointer.
    Display* other = XOpenDisplay(server.display.c_str());
    REQUIRE(other);
    XTestFakeMotionEvent(other, -1, 100, 100, 0);
    XTestFakeMotionEvent(other, -1, 200, 150, 0);
    XSync(other, False);
    XCloseDisplay(other);
    auto after = idle->idle();
    REQUIRE(after);
    CHECK(*after < 300ms);
}
