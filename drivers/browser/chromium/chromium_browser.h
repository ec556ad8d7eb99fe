// The Chromium browser backend: Debian's chromium as a watched child process, locked to the partner by managed
// policies.
#pragma once

#include "drivers/browser/browser.h"
#include "drivers/browser/chromium/policies.h"
#include "drivers/driver_spec.h"

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::drivers {

// Parameters (driver string "chromium:key=value,..."):
//   binary=/usr/bin/chromium            the program to start (Debian's launcher; /usr/lib/chromium/chromium also works)
//   policy_dir=/etc/chromium/policies/managed   where Chromium reads managed policies (the only place it does)
//   headless=0|1                         no window (tests)
//   sandbox=1|0                          0 adds --no-sandbox, needed when Chromium runs as root (tests, containers)
//   window=WxH+X+Y                       an app window of that geometry instead of full-screen kiosk mode, when the
//                                        request names no area (the kiosk's screen passes the area between its bars)
//   resolve_to=127.0.0.1:PORT            every host name resolves to this loopback address (tests: partner names
//                                        reach a local server); anything but a loopback IPv4 address is refused
//   insecure_downloads=0|1               let plain-http pages of the allowed domains download (tests)
//   log=/path/file                       Chromium's stdout/stderr (default: discarded — it is noisy)
// open() and close() belong to one thread (the UI's); is_open() and take_unexpected_exit() may be polled from any.
// close() can block for the 2 s grace period when Chromium ignores SIGTERM.
class ChromiumBrowser final : public Browser {
public:
    using Window = ScreenArea;
    struct Options {
        std::filesystem::path binary = "/usr/bin/chromium";
        std::filesystem::path policy_dir = "/etc/chromium/policies/managed";
        bool headless = false;
        bool sandbox = true;
        std::optional<Window> window;
        std::string resolve_to;
        bool insecure_downloads = false;
        std::filesystem::path log;
        std::chrono::milliseconds term_grace { 2000 }; // SIGTERM, then SIGKILL after this
    };

    static Result<std::unique_ptr<Browser>> create(DriverSpec const& spec);
    static Result<Options> parse_options(DriverSpec const& spec);

    explicit ChromiumBrowser(Options options);
    ~ChromiumBrowser() override;
    ChromiumBrowser(ChromiumBrowser const&) = delete;
    ChromiumBrowser& operator=(ChromiumBrowser const&) = delete;

    std::string name() const override { return "chromium"; }
    Result<void> open(BrowseRequest const& request) override;
    void close() override;
    bool is_open() const override;
    bool take_unexpected_exit() override;

    // The browser process, which also leads its process group; -1 when none was started.
    pid_t pid() const;
    // The arguments open() passes to the program (argv[0] included), for tests and the journal.
    std::vector<std::string> command_line(BrowseRequest const& request) const;

private:
    void watch(pid_t pid);
    void stop_process_group(pid_t pid);

    Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    pid_t m_pid = -1; // set from open() until close() has reaped and cleaned up
    bool m_exited = false; // the watcher saw the process end
    bool m_closing = false; // close() asked it to end
    bool m_unexpected = false; // it ended without close(); reported once
    std::thread m_watcher;
    std::filesystem::path m_profile_dir;
};

} // namespace kiosk::drivers
