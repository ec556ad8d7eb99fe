// The technician's diagnostics screen: its network test, run off the UI thread, and the session storage's room.
#pragma once

#include "kiosk/diagnostics/device_checks.h"
#include "kiosk/diagnostics/local_checks.h"
#include "kiosk/diagnostics/network_checks.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::ui {

// The last word of the fleet's services, kept from the audit log's events as they are recorded (the log's recent lines
// may have scrolled past them): what the technician reads on the diagnostics screen.
struct FleetOutcomes {
    std::string config_result; // installed, unchanged, failed; empty: not asked since the kiosk started
    std::string config_version;
    std::string config_stage; // where a failed fetch stopped
    std::string agent_result; // ok, or why the last call failed; empty: no call since the kiosk started
};

struct DiagnosticsScreen {
    std::thread thread;
    // The test page and the test preview, one at a time on a thread of their own, beside the network test.
    std::thread device_thread;
    std::atomic<bool> device_testing { false };
    std::optional<diagnostics::Check> print_test;
    std::optional<diagnostics::Check> scan_test;
    std::atomic<bool> running { false };
    std::atomic<bool> cancel { false };
    uint64_t generation = 0; // which test the results posted belong to: a cancelled test's late ones are dropped
    bool tested = false; // the last test ran to its end
    std::vector<diagnostics::Check> checks; // the last test's, or what came so far
    int sites_done = 0;
    int sites_total = 0;
    std::optional<Result<diagnostics::Room>> room; // where sessions are kept, measured when the screen opens
    // Large text: the rows turn in pages; the first row shown (each visit starts at 0, App::navigate), and the page's
    // size and rows as last drawn.
    int first = 0;
    int per_page = 1;
    int row_count = 0;
    std::string follow; // the test last started: its row's page is shown, until the technician turns a page

    // Leaving the screen, or the kiosk stopping: the checks end within a tenth of a second.
    void stop()
    {
        cancel = true;
        if (thread.joinable())
            thread.join();
        if (device_thread.joinable())
            device_thread.join();
        cancel = false;
        ++generation;
        checks.clear();
        tested = false;
        print_test.reset();
        scan_test.reset();
    }
};

} // namespace kiosk::ui
