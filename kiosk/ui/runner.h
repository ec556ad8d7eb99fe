// `kiosk run`: loads everything, opens the screen (or the offscreen driver) and runs the event loop or a script.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>

namespace kiosk::ui {

struct RunOptions {
    std::optional<std::filesystem::path> config;
    bool windowed = false;
    bool headless = false;
    std::optional<std::filesystem::path> script;
    std::optional<std::filesystem::path> screenshots;
    bool list_ids = false;
    std::optional<int> size_width; // --size WxH (headless and windowed)
    std::optional<int> size_height;
    bool report_timing = false;    // prints {"first_frame_ms":…} on stderr
    int bench_frames = 0;          // after the script, redraws the screen N times and prints p50/p99
};

// Returns the exit code of the command-line contract.
int run_kiosk(RunOptions const& options, std::ostream& out, std::ostream& err);

} // namespace kiosk::ui
