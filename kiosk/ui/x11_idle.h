// Idle time of the whole X display (our window and the browser's alike), through the MIT-SCREEN-SAVER extension.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace kiosk::ui {

class X11Idle {
public:
    // Nothing when there is no X display or no MIT-SCREEN-SAVER extension (headless runs, Wayland).
    static std::unique_ptr<X11Idle> open(std::string const& display_name = {});
    ~X11Idle();
    X11Idle(X11Idle const&) = delete;
    X11Idle& operator=(X11Idle const&) = delete;

    // Time since the last key press or pointer movement in any window of the display.
    std::optional<std::chrono::milliseconds> idle() const;

private:
    X11Idle() = default;
    void* m_display = nullptr; // Display*, kept opaque so Xlib's macros stay out of every includer
};

} // namespace kiosk::ui
