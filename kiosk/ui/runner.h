// `kiosk run`: opens the screen (or the offscreen driver) for a kiosk already assembled, and runs the event loop or
// a script.
#pragma once

#include "drivers/registry.h"
#include "kiosk/core/agents.h"
#include "kiosk/core/catalogue.h"
#include "kiosk/core/config.h"
#include "kiosk/core/error.h"
#include "kiosk/core/forms.h"
#include "kiosk/core/ground.h"
#include "kiosk/core/i18n.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <vector>

namespace kiosk::ui {

struct RunOptions {
    std::optional<std::filesystem::path> config;
    bool windowed = false;
    bool headless = false;
    std::optional<std::filesystem::path> script;
    std::optional<std::filesystem::path> screenshots;
    // Each utterance and tone also written there as a numbered WAV file (headless: the only place speech goes).
    std::optional<std::filesystem::path> speech_out;
    bool list_ids = false;
    std::optional<int> size_width; // --size WxH (headless and windowed)
    std::optional<int> size_height;
    bool report_timing = false; // prints {"first_frame_ms":…} on stderr
    int bench_frames = 0; // after the script, redraws the screen N times and prints p50/p99
};

// What the kiosk is made of, assembled by the command from the configuration (kiosk/cli/program.h).
struct Program {
    core::Config config;
    core::Catalogue catalogue;
    core::Translations translations;
    std::vector<core::Form> forms;
    core::AgentStore agents;
    drivers::Devices devices;
    // The start-up checks of the machine (core::check_ground); empty: none (tests that assemble a Program).
    std::function<std::vector<core::GroundProblem>()> ground_check;
    // Work done on its own thread beside the screen while the kiosk serves residents (the fleet's configuration, looked
    // for on a schedule), not during a script. It gets the kiosk's audit log, a flag set when the kiosk stops (it must
    // return soon after), and a way to ask for a restart once no session is open. Empty: none.
    std::function<void(core::AuditLog& audit, std::atomic<bool> const& stopping, std::function<void()> restart)> beside;
};

// Runs until stopped (SIGTERM), or to the end of the script. A script line that does not hold is
// ErrorCode::request_failed, a malformed script ErrorCode::usage. Figures asked for by the options
// (--report-timing, --bench-frames) go to err; a script's `report` lines to out.
Result<void> run_kiosk(RunOptions const& options, Program program, std::ostream& out, std::ostream& err);

// The kiosk could not be assembled (a missing or malformed configuration, assets or agents file, a device that
// cannot start). Exiting would, under systemd, restart it every second on a flickering screen: instead it shows
// that it is out of order, in plain words, until it is stopped or asked to try again (SIGHUP, after a technician's
// fix); a stop or a restart request is not a failure of the run.
Result<void> run_out_of_service(RunOptions const& options, Error const& why, std::ostream& err);

// From the first moment of `kiosk run`: a SIGHUP (an upgrade's restart request) that comes while the kiosk is still
// being assembled is kept for the event loop, instead of killing the process by default.
void catch_restart_signal();

} // namespace kiosk::ui
