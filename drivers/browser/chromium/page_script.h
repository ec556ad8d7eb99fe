// The script the kiosk puts in every page of a partner site: it reports text-field focus, keeps links and
// window.open in the one window, and swallows browser shortcuts before Chromium sees them.
#pragma once

#include "drivers/browser/browser.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace kiosk::drivers::chromium {

// The script's source; it reports through the DevTools binding named binding (Runtime.addBinding), which it
// takes for itself and removes from the page's view before any of the page's own scripts runs.
std::string page_script(std::string_view binding);

// What one report of the script means: a field kind, or std::monostate for "no text field has the focus".
// Nothing for a payload the script never sends (a page may call the binding itself before it is hidden).
std::optional<std::variant<std::monostate, TextFieldKind>> parse_focus_report(std::string_view payload);

} // namespace kiosk::drivers::chromium
