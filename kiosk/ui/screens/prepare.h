// The prepare screen's state (screens/prepare.cpp): a scan made ready for a website's upload form.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace kiosk::ui {

struct PrepareScreen {
    bool jpeg = false; // else PDF
    int limit_mb = 2;
    std::thread thread; // the work is done off the UI thread
    std::atomic<bool> running { false };
    std::string result;

    // At the wipe, once the thread is joined.
    void forget()
    {
        jpeg = false;
        limit_mb = 2;
        running = false;
        result.clear();
    }
};

} // namespace kiosk::ui
