// The kiosk's window comes in front of another client's window (as the partner site's) and goes behind it
// again, on a real X server (Xvfb) without a window manager.
#include "kiosk/ui/x11_stacking.h"
#include "tests/support/xvfb.h"

#include <catch2/catch.hpp>

#include <SDL2/SDL_syswm.h>
#include <X11/Xlib.h>

#include <algorithm>
#include <cstdlib>
#include <unistd.h>
#include <vector>

using namespace kiosk::ui;
using kiosk::tests::Xvfb;

namespace {

// Top-level windows of the display, bottom first, as X stacks them.
std::vector<Window> stacking(Display* display)
{
    Window root = 0, parent = 0;
    Window* children = nullptr;
    unsigned count = 0;
    std::vector<Window> result;
    if (XQueryTree(display, DefaultRootWindow(display), &root, &parent, &children, &count)) {
        result.assign(children, children + count);
        XFree(children);
    }
    return result;
}

long position(std::vector<Window> const& order, Window window)
{
    return std::find(order.begin(), order.end(), window) - order.begin();
}

} // namespace

TEST_CASE("the kiosk's window is raised above another client's window and lowered below it")
{
    if (::access("/usr/bin/Xvfb", X_OK) != 0) {
        WARN("Xvfb is not installed; skipping the stacking test");
        return;
    }
    Xvfb server("1280x800x24");
    REQUIRE(server.running());
    ::setenv("DISPLAY", server.display().c_str(), 1);
    ::setenv("SDL_VIDEODRIVER", "x11", 1);
    REQUIRE(SDL_Init(SDL_INIT_VIDEO) == 0);
    SDL_Window* kiosk = SDL_CreateWindow("kiosk", 0, 0, 1280, 800, SDL_WINDOW_SHOWN);
    REQUIRE(kiosk);
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    REQUIRE(SDL_GetWindowWMInfo(kiosk, &info));
    Window kiosk_window = info.info.x11.window;

    // The partner site: another client maps its window over the middle of the screen, above the kiosk's.
    Display* other = XOpenDisplay(server.display().c_str());
    REQUIRE(other);
    Window site = XCreateSimpleWindow(other, DefaultRootWindow(other), 0, 120, 1280, 550, 0, 0, 0);
    XMapWindow(other, site);
    XSync(other, False);
    CHECK(position(stacking(other), site) > position(stacking(other), kiosk_window));

    REQUIRE(set_window_in_front(kiosk, true));
    XSync(other, False);
    CHECK(position(stacking(other), kiosk_window) > position(stacking(other), site));

    REQUIRE(set_window_in_front(kiosk, false));
    XSync(other, False);
    CHECK(position(stacking(other), site) > position(stacking(other), kiosk_window));

    XDestroyWindow(other, site);
    XCloseDisplay(other);
    SDL_DestroyWindow(kiosk);
    SDL_Quit();
    ::unsetenv("SDL_VIDEODRIVER");
    ::unsetenv("DISPLAY");
}

TEST_CASE("without X there is nothing to restack")
{
    CHECK_FALSE(set_window_in_front(nullptr, true));
}
