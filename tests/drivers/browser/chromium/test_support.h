// Shared pieces of the Chromium tests: a temporary session folder, a test certificate, process checks.
#pragma once

#include "drivers/browser/browser.h"
#include "loopback_server.h"
#include "tests/support/temp_dir.h"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::tests {

// Processes whose command line contains text (the test's temporary folder makes it unique).
std::vector<pid_t> processes_mentioning(std::string const& text);
void kill_processes_mentioning(std::string const& text);

// A TempDir for a browser's profile: any process still naming it is killed before it is removed.
class BrowserTempDir : public TempDir {
public:
    BrowserTempDir()
        : TempDir("kiosk-chromium-test")
    {
    }
    // A browser still running on a profile in it is stopped before the directory goes (before ~TempDir).
    ~BrowserTempDir() { kill_processes_mentioning(path().string()); }
};

// A self-signed certificate for the partners' real names (and their subdomains), made with OpenSSL for one test:
// the server presents it, and the browser trusts it through the SHA-256 of its public key (trust_spki=).
struct TestCertificate {
    TlsFiles files;
    std::string spki_sha256; // base64, as --ignore-certificate-errors-spki-list takes it
};
// extra_names: more domains it is made for, each with its subdomains (an identity provider's login host).
TestCertificate make_test_certificate(std::filesystem::path const& dir, std::string const& name = "partners",
    std::vector<std::string> const& extra_names = {});

// The driver string of a Chromium whose every host name reaches port, trusting certificate, logging into dir.
std::string chromium_spec(
    int port, TestCertificate const& certificate, std::filesystem::path const& dir, bool headless);

// Sets DISPLAY for as long as it lives (the driver hands the kiosk's DISPLAY on to Chromium), then puts it back.
class DisplayOverride {
public:
    explicit DisplayOverride(std::string const& display);
    ~DisplayOverride();
    DisplayOverride(DisplayOverride const&) = delete;
    DisplayOverride& operator=(DisplayOverride const&) = delete;

private:
    std::optional<std::string> m_saved;
};

// Visible top-level windows of Chromium on display (xdotool search), e.g. to see that no second window opened.
int chromium_windows(std::string const& display, std::filesystem::path const& scratch);
// Runs xdotool with args on display; true when it succeeded.
bool xdotool(std::string const& display, std::vector<std::string> const& args, std::filesystem::path const& scratch);

// The session folders a kiosk would give the browser (not created: open() creates them).
drivers::BrowseRequest make_request(
    std::filesystem::path const& session, std::string url, std::vector<std::string> domains);

bool wait_until(std::function<bool()> const& done, std::chrono::milliseconds timeout);

std::string read_file(std::filesystem::path const& path);

// Runs argv with stdout and stderr in files, in its own process group, killed after timeout; the exit status or -1.
int run_bounded(std::vector<std::string> const& argv, std::filesystem::path const& out,
    std::filesystem::path const& err, std::chrono::milliseconds timeout);

} // namespace kiosk::tests
