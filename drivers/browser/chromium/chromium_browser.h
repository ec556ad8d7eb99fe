// The Chromium browser backend: Debian's chromium confined by bubblewrap to the session's folders, locked to the
// partner by managed policies, and driven over its DevTools pipe for uploads, typing, one window and Back.
#pragma once

#include "drivers/browser/browser.h"
#include "drivers/browser/chromium/devtools_pipe.h"
#include "drivers/browser/chromium/policies.h"
#include "drivers/driver_spec.h"

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::drivers {

// Parameters (driver string "chromium:key=value,..."):
//   binary=/usr/bin/chromium            the program to start inside the sandbox (Debian's launcher)
//   bwrap=/usr/bin/bwrap                 bubblewrap, which confines it (package bubblewrap)
//   headless=0|1                         no window (tests)
//   sandbox=1|0                          0 adds --no-sandbox: Chromium's own sandbox off. Not needed even as root:
//                                        inside bubblewrap Chromium runs as user 65534 of its own namespace
//   window=WxH+X+Y                       the app window's geometry when the request names no area
//   resolve_to=127.0.0.1:PORT            every host name resolves to this loopback address (tests: partner names
//                                        reach a local server); anything but a loopback IPv4 address is refused
//   trust_spki=BASE64                    tests with resolve_to only: trust the certificate whose public key has
//                                        this SHA-256 (--ignore-certificate-errors-spki-list), e.g. a test CA's
//   log=/path/file                       Chromium's stdout/stderr (default: discarded — it is noisy)
// open(), close() and the commands belong to one thread (the UI's); is_open() and take_unexpected_exit() may be
// polled from any. Events come from the driver's own threads through the listener.
class ChromiumBrowser final : public Browser {
public:
    using Window = ScreenArea;
    struct Options {
        std::filesystem::path binary = "/usr/bin/chromium";
        std::filesystem::path bwrap = "/usr/bin/bwrap";
        bool headless = false;
        bool sandbox = true;
        std::optional<Window> window;
        std::string resolve_to;
        std::string trust_spki;
        std::filesystem::path log;
        // How long a command waits for Chromium's answer before the UI hears it failed.
        std::chrono::milliseconds command_timeout { 3000 };
    };
    // One page-level target, as DevTools lists them (tests and diagnostics: "one window" is checkable).
    struct Target {
        std::string id, type, url;
    };

    static Result<std::unique_ptr<Browser>> create(DriverSpec const& spec);
    static Result<Options> parse_options(DriverSpec const& spec);

    explicit ChromiumBrowser(Options options);
    ~ChromiumBrowser() override;
    ChromiumBrowser(ChromiumBrowser const&) = delete;
    ChromiumBrowser& operator=(ChromiumBrowser const&) = delete;

    std::string name() const override { return "chromium"; }
    void set_listener(Listener listener) override;
    Result<void> open(BrowseRequest const& request) override;
    void close() override;
    bool is_open() const override;
    bool take_unexpected_exit() override;
    Result<void> provide_files(uint64_t request_id, std::vector<UploadFile> const& files) override;
    void cancel_file_request(uint64_t request_id) override;
    Result<void> insert_text(std::string_view utf8) override;
    Result<void> press_key(EditKey key) override;
    Result<bool> go_back() override;
    Result<void> set_area(ScreenArea area) override;

    // The confined Chromium's browser process (pid in the kiosk's namespace); -1 when none runs.
    pid_t pid() const;
    // bubblewrap's process inside the sandbox: /proc/<it>/root is what Chromium sees as "/".
    pid_t sandbox_pid() const;
    // True once the page is attached over DevTools and the commands above can reach it.
    bool devtools_ready() const;
    // Every page and window Chromium has, from DevTools; the page's address is the first one's.
    Result<std::vector<Target>> targets();
    Result<std::string> current_url();
    // Chromium's arguments (its path first) for a request, without the sandbox's, for tests and the journal.
    std::vector<std::string> command_line(BrowseRequest const& request) const;
    // Where open() writes the visit's policy: beside the profile, outside every folder the browser may write.
    static std::filesystem::path policy_path(BrowseRequest const& request);

private:
    struct PendingFile {
        FileRequest request;
        std::string session;
        int64_t backend_node = 0;
    };

    void watch(pid_t pid);
    void devtools_loop(std::string binding);
    void on_devtools_event(chromium::DevToolsPipe::Event event);
    void handle_event(chromium::DevToolsPipe::Event const& event, std::string const& binding);
    void attach_page(std::string const& session, std::string const& target_id, std::string const& binding);
    void fold_into_main(std::string const& target_id, std::string const& url);
    void close_target(std::string const& target_id);
    void note_navigation(chromium::DevToolsPipe::Event const& event);
    void report_failed_frames(chromium::JsonValue const& frames, int depth);
    PageFailure failure_by_allow_list(std::string const& host) const; // m_mutex held
    Result<std::string> main_session() const;

    Options m_options;
    BrowserListenerSlot m_listener;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    pid_t m_pid = -1; // bubblewrap, our child; set from open() until close() has reaped and cleaned up
    pid_t m_sandbox_pid = -1;
    int m_sandbox_pidfd = -1;
    bool m_exited = false; // the watcher saw the process end
    bool m_closing = false; // close() asked it to end
    bool m_unexpected = false; // it ended without close(); reported once
    std::thread m_watcher;
    std::filesystem::path m_profile_dir, m_policy_file, m_uploads_dir;
    std::vector<std::filesystem::path> m_upload_copies;

    // DevTools: the pipe, the worker that handles its events, and what the worker learnt.
    std::unique_ptr<chromium::DevToolsPipe> m_pipe;
    std::thread m_devtools_worker;
    std::deque<chromium::DevToolsPipe::Event> m_events;
    bool m_stopping = false;
    std::string m_main_session, m_main_target, m_main_url;
    std::string m_setup_error;
    std::map<std::string, std::chrono::steady_clock::time_point> m_extra_targets; // other windows, closing soon
    std::optional<PendingFile> m_pending_file;
    uint64_t m_next_request = 1;
    std::optional<TextFieldKind> m_focused;
    // Pages that could not be shown: the navigations under way (loaderId -> frame), and the failures heard for a
    // frame, reported when its error page commits (with the address refused).
    static constexpr size_t max_tracked = 64;
    std::deque<std::pair<std::string, std::string>> m_navigations; // oldest first
    std::map<std::string, PageFailure> m_frame_failures;
    std::map<std::string, std::string> m_reported_early; // frame -> address, told from the frame tree at attach
    bool m_reloaded_to_hear = false; // the start page, failed unheard, was loaded again once to hear why
    std::vector<std::string> m_allowed_domains;
};

} // namespace kiosk::drivers
