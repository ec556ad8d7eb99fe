// Shared pieces of the Chromium tests: a temporary session folder, the policy-directory lock, process checks.
#pragma once

#include "drivers/browser/browser.h"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::tests {

// A fresh folder under /tmp, removed with everything in it (and any process still naming it killed).
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(TempDir const&) = delete;
    TempDir& operator=(TempDir const&) = delete;
    std::filesystem::path const& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Chromium merges every file of /etc/chromium/policies/managed, so tests that start it take turns:
// this holds an exclusive lock for the test's lifetime, saves the kiosk's policy file and puts it back after.
class ManagedPolicyGuard {
public:
    static constexpr char const* directory = "/etc/chromium/policies/managed";
    ManagedPolicyGuard();
    ~ManagedPolicyGuard();
    ManagedPolicyGuard(ManagedPolicyGuard const&) = delete;
    ManagedPolicyGuard& operator=(ManagedPolicyGuard const&) = delete;
    bool locked() const { return m_lock_fd >= 0; }

private:
    int m_lock_fd = -1;
    std::optional<std::string> m_saved;
    bool m_created_directory = false;
};

// The session folders a kiosk would give the browser (not created: open() creates them).
drivers::BrowseRequest make_request(
    std::filesystem::path const& session, std::string url, std::vector<std::string> domains);

// Processes whose command line contains text (the test's temporary folder makes it unique).
std::vector<pid_t> processes_mentioning(std::string const& text);
void kill_processes_mentioning(std::string const& text);

bool wait_until(std::function<bool()> const& done, std::chrono::milliseconds timeout);

std::string read_file(std::filesystem::path const& path);

// Runs argv with stdout and stderr in files, in its own process group, killed after timeout; the exit status or -1.
int run_bounded(std::vector<std::string> const& argv, std::filesystem::path const& out,
    std::filesystem::path const& err, std::chrono::milliseconds timeout);

} // namespace kiosk::tests
