// A physical keyboard's escape chords go to the kiosk, not to another client's window (the partner site's), and
// the display's selections are emptied at the wipe: on a real X server (Xvfb) without a window manager.
#include "kiosk/ui/x11_guard.h"
#include "tests/support/xvfb.h"

#include <catch2/catch.hpp>

#include <SDL2/SDL_syswm.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include <unistd.h>

#include <cstdlib>
#include <vector>

using namespace kiosk::ui;
using kiosk::tests::Xvfb;

namespace {

// The kiosk's SDL window on a fresh Xvfb, and another client's window with the keyboard focus.
struct Display2 {
    Xvfb server { "1280x800x24" };
    SDL_Window* kiosk = nullptr;
    Display* other = nullptr;
    Window site = 0;

    Display2()
    {
        REQUIRE(server.running());
        ::setenv("DISPLAY", server.display().c_str(), 1);
        ::setenv("SDL_VIDEODRIVER", "x11", 1);
        REQUIRE(SDL_Init(SDL_INIT_VIDEO) == 0);
        kiosk = SDL_CreateWindow("kiosk", 0, 0, 1280, 800, SDL_WINDOW_SHOWN);
        REQUIRE(kiosk);
        other = XOpenDisplay(server.display().c_str());
        REQUIRE(other);
        site = XCreateSimpleWindow(other, DefaultRootWindow(other), 0, 120, 1280, 550, 0, 0, 0);
        XSelectInput(other, site, KeyPressMask);
        XMapRaised(other, site);
        XSync(other, False);
        XSetInputFocus(other, site, RevertToParent, CurrentTime);
        XSync(other, False);
    }
    ~Display2()
    {
        XDestroyWindow(other, site);
        XCloseDisplay(other);
        SDL_DestroyWindow(kiosk);
        SDL_Quit();
        ::unsetenv("SDL_VIDEODRIVER");
        ::unsetenv("DISPLAY");
    }

    // Types a chord as a keyboard would, through the XTEST extension.
    void type(std::vector<KeySym> const& keys)
    {
        for (auto key : keys)
            XTestFakeKeyEvent(other, XKeysymToKeycode(other, key), True, CurrentTime);
        for (auto it = keys.rbegin(); it != keys.rend(); ++it)
            XTestFakeKeyEvent(other, XKeysymToKeycode(other, *it), False, CurrentTime);
        XSync(other, False);
        SDL_PumpEvents(); // the kiosk reads (and drops) what it grabbed
    }

    // The keysyms the site's window received, in order.
    std::vector<KeySym> received()
    {
        XSync(other, False);
        std::vector<KeySym> keys;
        while (XPending(other)) {
            XEvent event;
            XNextEvent(other, &event);
            if (event.type == KeyPress)
                keys.push_back(XLookupKeysym(&event.xkey, 0));
        }
        return keys;
    }
};

bool display_tools()
{
    if (::access("/usr/bin/Xvfb", X_OK) == 0)
        return true;
    WARN("Xvfb is not installed; skipping");
    return false;
}

} // namespace

TEST_CASE("Ctrl+W, Alt+F4, F11 and the other escape chords never reach another client's window; plain keys do")
{
    if (!display_tools())
        return;
    Display2 x;
    // Before the grab, the site gets Ctrl+W (the chord that closes Chromium's window).
    x.type({ XK_Control_L, XK_w });
    CHECK(x.received() == std::vector<KeySym> { XK_Control_L, XK_w });

    REQUIRE(grab_escape_chords(x.kiosk) == static_cast<int>(escape_chords().size()));
    // Every chord of the list, as a person would type it, and with NumLock on (the same chord for a person).
    for (bool num_lock : { false, true }) {
        if (num_lock)
            x.type({ XK_Num_Lock });
        for (auto const& [keysym, modifiers] : escape_chords()) {
            std::vector<KeySym> keys;
            if (modifiers & ControlMask)
                keys.push_back(XK_Control_L);
            if (modifiers & ShiftMask)
                keys.push_back(XK_Shift_L);
            if (modifiers & Mod1Mask)
                keys.push_back(XK_Alt_L);
            keys.push_back(keysym);
            x.type(keys);
            auto got = x.received();
            INFO("keysym " << XKeysymToString(keysym) << " modifiers " << modifiers << " num lock " << num_lock);
            CHECK(std::find(got.begin(), got.end(), keysym) == got.end());
        }
        if (num_lock)
            x.type({ XK_Num_Lock });
    }

    // What a resident types into a form still arrives.
    x.type({ XK_w });
    x.type({ XK_Shift_L, XK_q });
    auto got = x.received();
    CHECK(std::find(got.begin(), got.end(), XK_w) != got.end());
    CHECK(std::find(got.begin(), got.end(), XK_q) != got.end());
}

TEST_CASE("a chord another client holds first is not counted as the kiosk's")
{
    if (!display_tools())
        return;
    Display2 x;
    XGrabKey(x.other, XKeysymToKeycode(x.other, XK_w), ControlMask, DefaultRootWindow(x.other), False, GrabModeAsync,
        GrabModeAsync);
    XSync(x.other, False);
    CHECK(grab_escape_chords(x.kiosk) == static_cast<int>(escape_chords().size()) - 1);
}

TEST_CASE("the wipe takes PRIMARY and CLIPBOARD from whoever holds them")
{
    if (!display_tools())
        return;
    Display2 x;
    Atom clipboard = XInternAtom(x.other, "CLIPBOARD", False);
    // Text selected and copied in the site's window.
    XSetSelectionOwner(x.other, XA_PRIMARY, x.site, CurrentTime);
    XSetSelectionOwner(x.other, clipboard, x.site, CurrentTime);
    XSync(x.other, False);
    REQUIRE(XGetSelectionOwner(x.other, XA_PRIMARY) == x.site);
    REQUIRE(XGetSelectionOwner(x.other, clipboard) == x.site);

    REQUIRE(clear_selections(x.kiosk));
    XSync(x.other, False);
    CHECK(XGetSelectionOwner(x.other, XA_PRIMARY) == None);
    CHECK(XGetSelectionOwner(x.other, clipboard) == None);
}

TEST_CASE("without X there is nothing to grab or clear")
{
    CHECK(grab_escape_chords(nullptr) == 0);
    CHECK_FALSE(clear_selections(nullptr));
}
