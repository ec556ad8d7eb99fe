// The kiosk's window in front of the partner site's, or behind it, on an X display without a window manager.
#pragma once

#include <SDL2/SDL.h>

namespace kiosk::ui {

// Raises the window above every other window of its display (in_front) or lowers it below them all. The
// partner site's window covers the middle of the kiosk's; a question, a message or the idle warning drawn
// there must come in front of it, and go behind it again once answered. False when the window is not on X11.
bool set_window_in_front(SDL_Window* window, bool in_front);

} // namespace kiosk::ui
