// The scan screen's state (screens/scan.cpp): the scan running on its own thread, its outcome and next steps.
#pragma once

#include "drivers/scanner/scanner.h"

#include <SDL.h>

#include <atomic>
#include <string>
#include <thread>

namespace kiosk::ui {

struct ScanScreen {
    drivers::ScanSettings settings; // the resident's choices: the feeder or the glass, colour
    std::thread thread;
    std::atomic<bool> cancel { false };
    std::atomic<bool> running { false };
    int page = 0; // the page being scanned, from 1
    double fraction = 0; // of that page
    int document = 0; // the tray number the scan's pages go to
    int pages_added = 0;
    int pages_dropped = 0; // blank sides left out
    std::string result; // the last scan's result line
    bool previewing = false; // the scan running is a preview of the glass
    SDL_Texture* glass_preview = nullptr; // the last preview, in video memory only; gone at the wipe
    bool copy_mode = false; // a photocopy: the scan goes straight to the print screen
    bool next_steps = false; // a scan has just ended: its next steps replace the Scan button
    bool glass_reminder = false; // that scan was of the glass: the sheet is still on it
    int append_to = 0; // "Scanner une autre page": the next scan adds its pages to this document

    // At the wipe, once the thread is joined and the preview's texture destroyed: the next resident starts from the
    // same choices (the glass, colour) and sees nothing of the last one's scans.
    void forget()
    {
        settings = {};
        cancel = false;
        running = false;
        page = 0;
        fraction = 0;
        document = 0;
        pages_added = 0;
        pages_dropped = 0;
        result.clear();
        previewing = false;
        glass_preview = nullptr;
        copy_mode = false;
        next_steps = false;
        glass_reminder = false;
        append_to = 0;
    }
};

} // namespace kiosk::ui
