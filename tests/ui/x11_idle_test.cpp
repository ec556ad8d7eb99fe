// Tests of the X idle source against a real X server (Xvfb) and input injected through XTEST.
#include "kiosk/ui/x11_idle.h"
#include "tests/support/xvfb.h"

#include <catch2/catch.hpp>

#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <chrono>
#include <thread>

using namespace kiosk::ui;
using kiosk::tests::Xvfb;
using namespace std::chrono_literals;

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
    REQUIRE(server.running());
    std::unique_ptr<X11Idle> idle;
    for (int attempt = 0; attempt < 100 && !idle; ++attempt) {
        std::this_thread::sleep_for(50ms);
        idle = X11Idle::open(server.display());
    }
    REQUIRE(idle);
    std::this_thread::sleep_for(600ms);
    auto before = idle->idle();
    REQUIRE(before);
    CHECK(*before >= 400ms);

    // Another client (as the browser would be) moves the pointer.
    Display* other = XOpenDisplay(server.display().c_str());
    REQUIRE(other);
    XTestFakeMotionEvent(other, -1, 100, 100, 0);
    XTestFakeMotionEvent(other, -1, 200, 150, 0);
    XSync(other, False);
    XCloseDisplay(other);
    auto after = idle->idle();
    REQUIRE(after);
    CHECK(*after < 300ms);
}
