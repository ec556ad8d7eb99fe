// The start-up checks of the kiosk's ground (ground.h).
#include "kiosk/core/ground.h"

#include <fstream>
#include <linux/magic.h>
#include <malloc.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>

namespace kiosk::core {

namespace {

// The agents file says who may unlock the kiosk: only root may change it or the directory that holds it.
std::optional<std::string> unsafe_owner(std::filesystem::path const& path, bool dev_mode, uid_t euid)
{
    struct stat st { };
    if (::lstat(path.c_str(), &st) != 0)
        return std::nullopt; // nothing there yet: an empty store, nothing to tamper with
    bool owner_ok = st.st_uid == 0 || (dev_mode && st.st_uid == euid);
    if (!owner_ok)
        return path.string() + " is owned by uid " + std::to_string(st.st_uid) + ", not root";
    if (S_ISLNK(st.st_mode))
        return path.string() + " is a symbolic link";
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return path.string() + " can be written by others than its owner";
    return std::nullopt;
}

} // namespace

bool on_memory_filesystem(std::filesystem::path const& dir)
{
    std::filesystem::path probe = dir;
    struct statfs fs { };
    while (::statfs(probe.c_str(), &fs) != 0) {
        if (!probe.has_relative_path())
            return false;
        probe = probe.parent_path();
    }
    return fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC;
}

std::vector<GroundProblem> check_ground(GroundFacts const& facts)
{
    std::vector<GroundProblem> problems;
    if (facts.euid == 0 && !facts.headless && !facts.dev_mode)
        problems.push_back({ "runs_as_root",
            "the kiosk runs as root: run it as its own user (the package's service does), or set kiosk.dev_mode" });
    if (!on_memory_filesystem(facts.runtime_dir) && !facts.dev_mode)
        problems.push_back({ "runtime_on_disk",
            facts.runtime_dir.string()
                + " is not on tmpfs or ramfs: a resident's documents would reach a disk (set kiosk.runtime_dir to "
                  "/run/kiosk)" });
    if (!facts.agents_file.empty()) {
        auto file = unsafe_owner(facts.agents_file, facts.dev_mode, facts.euid);
        auto dir = file ? std::nullopt : unsafe_owner(facts.agents_file.parent_path(), facts.dev_mode, facts.euid);
        if (file || dir)
            problems.push_back({ "agents_file_unsafe", "agents file: " + (file ? *file : *dir) });
    }
    return problems;
}

std::vector<std::string> active_swap(std::filesystem::path const& proc_swaps)
{
    std::vector<std::string> areas;
    std::ifstream swaps(proc_swaps);
    std::string line;
    std::getline(swaps, line); // Filename Type Size Used Priority
    while (std::getline(swaps, line)) {
        std::istringstream fields(line);
        std::string name, type, size;
        if (fields >> name >> type >> size)
            areas.push_back(name + " " + type + " " + size + " KiB");
    }
    return areas;
}

void harden_process()
{
    rlimit none { 0, 0 };
    ::setrlimit(RLIMIT_CORE, &none);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    // Every heap block is overwritten when it is freed: decrypted pages, decoded pixels, a typed PIN, wherever they
    // went. glibc fills a freed block with the low byte of the value (0: zeroes) and a new one with its complement;
    // the value itself must not be 0, which turns the feature off. Blocks large enough to be mapped on their own go
    // back to the kernel, which clears pages before it hands them to anyone. Small blocks that glibc keeps in its
    // per-thread cache skip the zeroing: the packaged unit turns that cache off (GLIBC_TUNABLES).
    ::mallopt(M_PERTURB, 0x100);
    // "Large enough to be mapped on their own" is fixed at 256 KiB: glibc otherwise raises the threshold to the
    // largest block freed so far (up to 32 MiB), after which a resident's decoded pages and thumbnails live in the
    // heap, and the memory they leave there is not given back: the kiosk's RSS drifted by 12 MiB over 50 sessions in
    // a loaded test run. Fixed, every page buffer is unmapped when it is freed.
    ::mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}

} // namespace kiosk::core
