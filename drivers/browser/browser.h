// The browser interface: show one partner site inside the session, keep it on the allow-list, close it.
#pragma once

#include "kiosk/core/error.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::drivers {

// A rectangle of the screen, in pixels, the way X11 geometry writes it (WxH+X+Y).
struct ScreenArea {
    int width = 0, height = 0, x = 0, y = 0;
};

struct BrowseRequest {
    std::string partner_slug;
    std::string url;
    std::vector<std::string> allowed_domains;
    std::filesystem::path profile_dir;   // inside the session storage; deleted with it
    std::filesystem::path downloads_dir; // inside the session storage; imported into the tray
    // Where the page goes: the kiosk's screen minus its own bars, so time left, Home, Call an agent and
    // End session stay in sight and in reach. Absent: the backend's own choice (full screen).
    std::optional<ScreenArea> area;
    // The resident's language ("fr", "en"): the browser's own pages and the Accept-Language sites see.
    std::string language = "fr";
};

class Browser {
public:
    virtual ~Browser() = default;
    virtual std::string name() const = 0;
    virtual Result<void> open(BrowseRequest const& request) = 0;
    // Closes the window and waits for the process; safe to call when nothing is open.
    virtual void close() = 0;
    virtual bool is_open() const = 0;
    // True once when the browser went away without close() (a crash): the UI brings the resident home.
    virtual bool take_unexpected_exit() = 0;
};

} // namespace kiosk::drivers
