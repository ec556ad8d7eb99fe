// A visit to a partner site (screens/browser.cpp): a page's pending file request and the upload of the chosen
// document, the kiosk's keyboard, and the pages that could not be shown.
#pragma once

#include "drivers/browser/browser.h"
#include "kiosk/core/clock.h"
#include "kiosk/ui/web_keyboard.h"

#include <atomic>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace kiosk::ui {

struct SiteVisit {
    std::optional<drivers::FileRequest> file_request;
    int upload_first = 0; // the picker's first document on screen
    std::thread upload_thread;
    std::atomic<bool> uploading { false };
    std::atomic<bool> upload_cancel { false };
    std::string upload_name;
    // A page of the visit that could not be shown (blocked, site down...): said in the kiosk's words over
    // Chromium's error page until the resident goes back or leaves the site.
    struct Problem {
        drivers::PageFailure failure = drivers::PageFailure::other;
        std::string host;
        bool again = false; // the page Back returned to failed the same way at once: Back now leaves the site
    };
    std::optional<Problem> problem;
    struct LeftFailure {
        drivers::PageFailure failure = drivers::PageFailure::other;
        std::string host;
        core::Clock::time_point at;
    };
    std::optional<LeftFailure> left_failure; // the last one the resident went back from
    static constexpr size_t max_failures_told = 20; // audited and counted, a visit
    std::set<std::string> failures_told;
    WebKeyboard keyboard;
    // Where the page was last put: the band of a notice that comes or goes (large text) moves its bottom edge.
    std::optional<drivers::ScreenArea> placed;
};

} // namespace kiosk::ui
