// Key grabs on the root window and the end of the selections, through Xlib (SDL has no API for either).
#include "kiosk/ui/x11_guard.h"

#include <SDL2/SDL_syswm.h>
#include <X11/XKBlib.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/keysym.h>

namespace kiosk::ui {

namespace {

bool x11(SDL_Window* window, SDL_SysWMinfo& info)
{
    SDL_VERSION(&info.version);
    return window && SDL_GetWindowWMInfo(window, &info) && info.subsystem == SDL_SYSWM_X11;
}

// A grab another client holds answers BadAccess asynchronously; it must not end the kiosk, and it is counted.
bool g_grab_refused = false;

int note_errors(Display*, XErrorEvent* error)
{
    if (error->error_code == BadAccess)
        g_grab_refused = true;
    return 0;
}

// The modifier mask NumLock is mapped to on this display (Mod2 on most).
unsigned num_lock_mask(Display* display)
{
    unsigned mask = 0;
    XModifierKeymap* map = XGetModifierMapping(display);
    KeyCode num_lock = XKeysymToKeycode(display, XK_Num_Lock);
    for (int modifier = 0; map && num_lock && modifier < 8; ++modifier)
        for (int k = 0; k < map->max_keypermod; ++k)
            if (map->modifiermap[modifier * map->max_keypermod + k] == num_lock)
                mask = 1u << modifier;
    if (map)
        XFreeModifiermap(map);
    return mask;
}

} // namespace

std::vector<std::pair<unsigned long, unsigned>> const& escape_chords()
{
    static std::vector<std::pair<unsigned long, unsigned>> const chords = [] {
        std::vector<std::pair<unsigned long, unsigned>> list;
        for (KeySym key : { XK_w, XK_q, XK_n, XK_t, XK_o, XK_s, XK_p, XK_l, XK_h, XK_j, XK_u, XK_d, XK_F4 })
            list.emplace_back(key, ControlMask);
        for (KeySym key : { XK_i, XK_j, XK_c, XK_n, XK_t, XK_w, XK_Delete, XK_b, XK_m, XK_o, XK_q })
            list.emplace_back(key, ControlMask | ShiftMask);
        for (KeySym key : { XK_F4, XK_Left, XK_Right, XK_Home, XK_e, XK_f, XK_d })
            list.emplace_back(key, Mod1Mask);
        for (KeySym key : { XK_F1, XK_F6, XK_F7, XK_F10, XK_F11, XK_F12 })
            list.emplace_back(key, 0u);
        // Shift+Esc opens Chromium's task manager.
        list.emplace_back(XK_Escape, ShiftMask);
        return list;
    }();
    return chords;
}

int grab_escape_chords(SDL_Window* window)
{
    SDL_SysWMinfo info;
    if (!x11(window, info))
        return 0;
    Display* display = info.info.x11.display;
    Window root = DefaultRootWindow(display);
    unsigned num_lock = num_lock_mask(display);
    XSync(display, False);
    auto previous = XSetErrorHandler(note_errors);
    int held = 0;
    for (auto const& [keysym, modifiers] : escape_chords()) {
        KeyCode code = XKeysymToKeycode(display, keysym);
        if (!code)
            continue;
        g_grab_refused = false;
        for (unsigned locks : { 0u, unsigned(LockMask), num_lock, num_lock | LockMask })
            XGrabKey(display, code, modifiers | locks, root, False, GrabModeAsync, GrabModeAsync);
        XSync(display, False); // a BadAccess for a chord held elsewhere arrives here, under our handler
        if (!g_grab_refused)
            ++held;
    }
    XSetErrorHandler(previous);
    return held;
}

bool clear_selections(SDL_Window* window)
{
    SDL_SysWMinfo info;
    if (!x11(window, info))
        return false;
    Display* display = info.info.x11.display;
    // Owning a selection with no window gives it up: its previous owner is told (SelectionClear) and a paste gets
    // nothing.
    for (Atom selection : { XA_PRIMARY, XInternAtom(display, "CLIPBOARD", False) })
        XSetSelectionOwner(display, selection, None, CurrentTime);
    XSync(display, False);
    return true;
}

} // namespace kiosk::ui
