// Restacks the SDL window through Xlib: SDL can raise a window but not lower one.
#include "kiosk/ui/x11_stacking.h"

#include <SDL2/SDL_syswm.h>
#include <X11/Xlib.h>

namespace kiosk::ui {

bool set_window_in_front(SDL_Window* window, bool in_front)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!window || !SDL_GetWindowWMInfo(window, &info) || info.subsystem != SDL_SYSWM_X11)
        return false;
    Display* display = info.info.x11.display;
    if (in_front)
        XRaiseWindow(display, info.info.x11.window);
    else
        XLowerWindow(display, info.info.x11.window);
    XSync(display, False); // done when this returns, not only sent: the next frame may depend on it
    return true;
}

} // namespace kiosk::ui
