// Queries XScreenSaverQueryInfo: the X server's own idle counter, reset by input to any client.
#include "kiosk/ui/x11_idle.h"

#include <X11/Xlib.h>
#include <X11/extensions/scrnsaver.h>

namespace kiosk::ui {

std::unique_ptr<X11Idle> X11Idle::open(std::string const& display_name)
{
    Display* display = XOpenDisplay(display_name.empty() ? nullptr : display_name.c_str());
    if (!display)
        return nullptr;
    int event_base = 0, error_base = 0;
    if (!XScreenSaverQueryExtension(display, &event_base, &error_base)) {
        XCloseDisplay(display);
        return nullptr;
    }
    std::unique_ptr<X11Idle> idle(new X11Idle);
    idle->m_display = display;
    return idle;
}

X11Idle::~X11Idle()
{
    if (m_display)
        XCloseDisplay(static_cast<Display*>(m_display));
}

std::optional<std::chrono::milliseconds> X11Idle::idle() const
{
    auto* display = static_cast<Display*>(m_display);
    XScreenSaverInfo* info = XScreenSaverAllocInfo();
    if (!info)
        return std::nullopt;
    std::optional<std::chrono::milliseconds> result;
    if (XScreenSaverQueryInfo(display, DefaultRootWindow(display), info))
        result = std::chrono::milliseconds(info->idle);
    XFree(info);
    return result;
}

} // namespace kiosk::ui
