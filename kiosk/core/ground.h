// What the kiosk checks of the machine before it lets a resident in: who it runs as, where session storage lives, who
// may change the agents file. A failed check puts the kiosk out of order with the reason; it never stops it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kiosk::core {

struct GroundFacts {
    uid_t euid = 0;
    bool headless = false; // SDL offscreen: nobody can touch it, so tests and scripts may run it as root
    bool dev_mode = false; // Config::dev_mode
    std::filesystem::path runtime_dir;
    std::filesystem::path agents_file;
};

struct GroundProblem {
    std::string reason; // an out-of-order reason: "runs_as_root", "runtime_on_disk", "agents_file_unsafe"
    std::string detail; // for the technician and the audit log, in English
};

// Every check that fails, most serious first; empty when the ground is sound.
std::vector<GroundProblem> check_ground(GroundFacts const& facts);

// True when the directory (or, while it does not exist yet, its nearest existing parent) is on tmpfs or ramfs:
// memory, gone at power-off.
bool on_memory_filesystem(std::filesystem::path const& dir);

// The swap areas in use, one line each as /proc/swaps gives them ("/dev/sda3 partition 2097148 KiB"): a resident's
// decrypted pages could be written there. Empty when none.
std::vector<std::string> active_swap(std::filesystem::path const& proc_swaps = "/proc/swaps");

// No core dumps and no ptrace by other processes of the same user, for the kiosk and every child it starts
// (RLIMIT_CORE is inherited; the dumpable flag is reset by an exec, and bubblewrap's Chromium has its own sandbox);
// and every heap block zeroed when it is freed (small ones too where glibc's per-thread cache is off, as the
// packaged unit sets it).
void harden_process();

} // namespace kiosk::core
