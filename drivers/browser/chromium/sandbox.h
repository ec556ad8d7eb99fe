// The bubblewrap confinement of one Chromium: what of the machine it sees, and what it may write.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::drivers::chromium {

struct SandboxPlan {
    std::filesystem::path bwrap = "/usr/bin/bwrap";
    std::filesystem::path program; // what runs inside (Chromium, or a test's stand-in)
    std::filesystem::path policy_file; // the visit's managed policy, seen inside as Chromium's only one
    std::vector<std::filesystem::path> writable; // the session's profile and downloads folders
    // The session's uploads folder: the kiosk puts there the files it gives a page, Chromium only reads them. Were
    // it writable, a compromised browser could plant a link there for the kiosk, outside the sandbox, to follow.
    std::vector<std::filesystem::path> read_only;
    std::string display; // DISPLAY: its X socket is the one thing of /tmp it sees
    std::filesystem::path xauthority; // read-only, when the display needs a cookie
    int info_fd = -1; // bwrap writes the confined process's pid there
};

// Where Chromium reads managed policies; inside the sandbox this folder holds the visit's file and nothing else.
inline constexpr char const* managed_policy_dir = "/etc/chromium/policies/managed";

// bwrap's arguments up to and including the program's path; Chromium's own arguments follow. Inside: /usr and
// the few files of /etc Chromium needs, read-only; the writable folders at their own paths (so downloads and
// uploads have the same names inside and out); a private /tmp and /dev/shm that go with the sandbox; no /var,
// /run, /home, /root or /srv, no other session; its own user (65534), pid, IPC and UTS namespaces, so it sees no
// kiosk process and dies with its parent. The network stays shared: the sites are on it.
std::vector<std::string> bwrap_arguments(SandboxPlan const& plan);

} // namespace kiosk::drivers::chromium
