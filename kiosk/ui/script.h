// Scripted input for headless runs: one command per line, checked entirely before the kiosk starts.
#pragma once

#include "kiosk/core/catalogue.h"
#include "kiosk/core/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ui {

struct ScriptCommand {
    // report LABEL prints one JSON line on stdout: the label, the screen, and the process's memory, open files and
    // threads (soak tests read it). sleep SECONDS waits in real time, or until SIGUSR1, so that a test can act on the
    // running kiosk from outside (stop a device, kill it) in a known state and then let the script go on.
    enum class Kind {
        tap_id,
        tap_xy,
        type,
        key,
        advance,
        expect_screen,
        expect_text,
        expect_speech,
        screenshot,
        card,
        mrz,
        report,
        sleep,
        count_taps, // "count taps": taps are counted from here
        expect_taps // "expect taps N": at most N taps since "count taps" (a journey's length, asserted)
    };
    Kind kind = Kind::tap_id;
    int line = 0;
    std::string source_line; // as written, for messages
    std::string argument; // id, text, key name, screen, screenshot name, card UID
    int x = 0, y = 0; // tap_xy's point; expect_taps' most taps in x
    double seconds = 0;
    std::vector<std::string> mrz_lines;
};

// Errors (ErrorCode::usage) read "SOURCE:LINE: what is wrong", for a malformed line or an unknown id.
Result<std::vector<ScriptCommand>> parse_script(
    std::string_view text, std::string_view source_name, core::Catalogue const& catalogue, bool has_screenshot_dir);

} // namespace kiosk::ui
