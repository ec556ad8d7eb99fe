// What the kiosk holds on its X display against a physical keyboard and for the wipe: the key chords a browser
// would act on, and the selections a page or a resident may leave.
#pragma once

#include <SDL2/SDL.h>

#include <utility>
#include <vector>

namespace kiosk::ui {

// The chords taken from every other client of the display, as (keysym, modifier mask) pairs: Ctrl+W and Ctrl+Q
// (Chromium closes its window, and no policy stops it), Alt+F4, Ctrl+N/T/O/S/P/L/H/J/U/D, Ctrl+Shift+I/J/C/N/T/W/
// Delete/B/M/O, F1, F6, F7 (caret browsing asks a question), F10, F11, F12, Alt+Left/Right/Home, Shift+Esc (the task
// manager).
std::vector<std::pair<unsigned long, unsigned>> const& escape_chords();

// Grabs escape_chords() on the root window, with and without NumLock and CapsLock (X counts them as modifiers), so
// that the X server hands them to the kiosk, which drops them, instead of to the partner site's window. A chord
// another client already holds is not counted. Returns how many chords are held; 0 when the window is not on X11.
int grab_escape_chords(SDL_Window* window);

// Empties PRIMARY and CLIPBOARD, whoever owns them (text a resident selected in a page, the kiosk's own): the next
// resident pastes nothing. False when the window is not on X11.
bool clear_selections(SDL_Window* window);

} // namespace kiosk::ui
