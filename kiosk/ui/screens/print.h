// The print screen's state (screens/print.cpp): the choices, the page previewed, the print being followed.
#pragma once

#include "kiosk/core/clock.h"

#include <SDL.h>

#include <optional>
#include <string>
#include <utility>

namespace kiosk::ui {

struct PrintScreen {
    int copies = 1;
    bool gray = true;
    bool duplex = false;
    int preview_page = 0;
    SDL_Texture* preview = nullptr; // the preview of the page on screen, cached
    std::pair<int, int> preview_key { -1, -1 }; // document number, page
    std::string result;
    struct Job {
        int id = 0;
        int pages = 0; // charged when the job completes
        core::Clock::time_point last_poll {};
        std::optional<core::Clock::time_point> unreachable_since; // the print server stopped answering
        bool abandoned = false; // given up on, not charged: to cancel at the server's first answer
    };
    std::optional<Job> job; // the print being followed to its end, twice a second
};

} // namespace kiosk::ui
