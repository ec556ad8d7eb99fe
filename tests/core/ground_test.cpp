// Tests of the start-up checks: who the kiosk runs as, where session storage lives, who may change the agents file.
#include "kiosk/core/ground.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using kiosk::tests::TempDir;

using namespace kiosk::core;

namespace {

// The file system type of the mount that holds path, read from /proc/self/mountinfo: a second way to know it, so
// the test does not check statfs against itself.
std::string mount_type(std::filesystem::path const& path)
{
    auto target = std::filesystem::weakly_canonical(path).string();
    std::ifstream mountinfo("/proc/self/mountinfo");
    std::string line, best_point, best_type;
    while (std::getline(mountinfo, line)) {
        std::istringstream fields(line);
        std::string id, parent, device, root, point, field;
        fields >> id >> parent >> device >> root >> point;
        while (fields >> field && field != "-") { }
        std::string type;
        fields >> type;
        bool holds = target == point || point == "/" || target.starts_with(point + "/");
        if (holds && point.size() >= best_point.size()) {
            best_point = point;
            best_type = type;
        }
    }
    return best_type;
}

bool memory_type(std::string const& type)
{
    return type == "tmpfs" || type == "ramfs";
}

bool has(std::vector<GroundProblem> const& problems, std::string const& reason)
{
    for (auto const& problem : problems)
        if (problem.reason == reason)
            return true;
    return false;
}

} // namespace

TEST_CASE("session storage counts as memory only on tmpfs or ramfs, as the mount table says")
{
    for (std::filesystem::path dir : { "/dev/shm", "/tmp", "/run", "/proc", "/var/tmp", KIOSK_SOURCE_DIR }) {
        if (!std::filesystem::exists(dir))
            continue;
        INFO(dir << " is " << mount_type(dir));
        CHECK(on_memory_filesystem(dir) == memory_type(mount_type(dir)));
        // A folder not made yet is where it would be made.
        CHECK(on_memory_filesystem(dir / "not-yet" / "kiosk") == memory_type(mount_type(dir)));
    }
}

TEST_CASE("the real session refuses root, a runtime directory on a disk, and an agents file others may change")
{
    std::filesystem::path memory = "/dev/shm";
    std::filesystem::path disk;
    for (std::filesystem::path candidate : { std::filesystem::path(KIOSK_SOURCE_DIR), std::filesystem::path("/var/tmp"),
             std::filesystem::path("/var/lib") })
        if (disk.empty() && std::filesystem::exists(candidate) && !memory_type(mount_type(candidate)))
            disk = candidate;
    REQUIRE(memory_type(mount_type(memory))); // Debian mounts /dev/shm as tmpfs
    REQUIRE(!disk.empty());
    TempDir dir("kiosk-ground");
    auto agents = dir.path() / "agents.toml";
    std::ofstream(agents) << "# agents\n";
    ::chmod(agents.c_str(), 0640);
    ::chmod(dir.path().c_str(), 0755);
    bool root = ::geteuid() == 0;
    uid_t me = ::geteuid();

    GroundFacts sound { 1000, false, false, memory / "kiosk-test", root ? agents : std::filesystem::path() };
    CHECK(check_ground(sound).empty());

    SECTION("root")
    {
        auto facts = sound;
        facts.euid = 0;
        auto problems = check_ground(facts);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].reason == "runs_as_root");
        facts.headless = true; // SDL offscreen: tests and scripts
        CHECK(check_ground(facts).empty());
        facts.headless = false;
        facts.dev_mode = true;
        CHECK(check_ground(facts).empty());
    }
    SECTION("a runtime directory on a disk")
    {
        auto facts = sound;
        facts.runtime_dir = disk / "run";
        auto problems = check_ground(facts);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].reason == "runtime_on_disk");
        CHECK(problems[0].detail.find(facts.runtime_dir.string()) != std::string::npos);
        facts.dev_mode = true;
        CHECK(check_ground(facts).empty());
    }
    SECTION("an agents file others may change")
    {
        if (!root) {
            WARN("the ownership checks need root");
            return;
        }
        auto facts = sound;
        ::chmod(agents.c_str(), 0660);
        CHECK(has(check_ground(facts), "agents_file_unsafe"));
        ::chmod(agents.c_str(), 0602);
        CHECK(has(check_ground(facts), "agents_file_unsafe"));
        ::chmod(agents.c_str(), 0640);
        REQUIRE(::chown(agents.c_str(), 65534, 0) == 0);
        CHECK(has(check_ground(facts), "agents_file_unsafe"));
        REQUIRE(::chown(agents.c_str(), 0, 0) == 0);
        CHECK(check_ground(facts).empty());
        // Whoever may write the folder may put another file in its place.
        ::chmod(dir.path().c_str(), 0777);
        CHECK(has(check_ground(facts), "agents_file_unsafe"));
        ::chmod(dir.path().c_str(), 0755);
        // A link may lead anywhere.
        std::filesystem::rename(agents, dir.path() / "real.toml");
        std::filesystem::create_symlink(dir.path() / "real.toml", agents);
        CHECK(has(check_ground(facts), "agents_file_unsafe"));
        std::filesystem::remove(agents);
        // No file yet: an empty store, nothing to tamper with.
        CHECK(check_ground(facts).empty());
    }
    SECTION("a developer's own agents file, in dev mode only")
    {
        TempDir mine("kiosk-ground");
        auto file = mine.path() / "agents.toml";
        std::ofstream(file) << "# agents\n";
        ::chmod(file.c_str(), 0600);
        ::chmod(mine.path().c_str(), 0700);
        if (root) {
            REQUIRE(::chown(file.c_str(), 1000, 1000) == 0);
            REQUIRE(::chown(mine.path().c_str(), 1000, 1000) == 0);
        }
        GroundFacts facts { root ? uid_t(1000) : me, false, false, memory / "kiosk-test", file };
        CHECK(has(check_ground(facts), "agents_file_unsafe"));
        facts.dev_mode = true;
        CHECK(check_ground(facts).empty());
    }
}

TEST_CASE("active swap is listed from /proc/swaps")
{
    TempDir dir("kiosk-ground");
    auto swaps = dir.path() / "swaps";
    std::ofstream(swaps) << "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
    CHECK(active_swap(swaps).empty());
    std::ofstream(swaps, std::ios::app) << "/dev/sda3                               partition\t2097148\t\t0\t\t-2\n";
    auto areas = active_swap(swaps);
    REQUIRE(areas.size() == 1);
    CHECK(areas[0] == "/dev/sda3 partition 2097148 KiB");
    CHECK(active_swap(dir.path() / "missing").empty());
}

#if defined(__SANITIZE_ADDRESS__)
#define KIOSK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KIOSK_ASAN 1
#endif
#endif

#ifndef KIOSK_ASAN
// (Not in the sanitizer build, which owns the heap and reports reading freed memory, as these do.)
namespace {

// In this process: harden, fill a block of size bytes, free it, and tell whether its bytes (past the allocator's
// own links) are all zero. Written and read through volatile: the compiler may neither drop the writes nor reason
// about the block after free (reading it is the point, undefined behaviour only in the language's terms).
bool freed_block_zeroed(size_t size)
{
    harden_process();
    auto* block = static_cast<unsigned char*>(std::malloc(size));
    volatile unsigned char* written = block;
    for (size_t i = 0; i < size; ++i)
        written[i] = 'S'; // a resident's page, a PIN
    volatile uintptr_t address = reinterpret_cast<uintptr_t>(block);
    std::free(block);
    auto const* seen = reinterpret_cast<volatile unsigned char const*>(address);
    size_t zero = 0;
    for (size_t i = 16; i < size - 8; ++i)
        zero += seen[i] == 0;
    return zero == size - 24;
}

// A child running one of this program's hidden test cases with an environment; its exit status.
int run_child(char const* test_case, char const* tunables)
{
    pid_t child = ::fork();
    if (child == 0) {
        if (tunables)
            ::setenv("GLIBC_TUNABLES", tunables, 1);
        char const* argv[] = { "kiosk_core_tests", test_case, nullptr };
        ::execv("/proc/self/exe", const_cast<char* const*>(argv));
        ::_exit(127);
    }
    int status = 0;
    if (child < 0 || ::waitpid(child, &status, 0) != child || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

} // namespace

// Run by the test below in a child process of its own, never on their own ("[.]": hidden).
TEST_CASE("child: a freed page-sized block", "[.][freed_page]")
{
    ::_exit(freed_block_zeroed(4096) ? 0 : 1);
}
TEST_CASE("child: a freed small block", "[.][freed_small]")
{
    ::_exit(freed_block_zeroed(64) ? 0 : 1);
}
#endif

TEST_CASE("a freed buffer that held a document is zeroed, small ones too under the unit's environment")
{
#ifdef KIOSK_ASAN
    WARN("SKIPPED: AddressSanitizer owns the heap (and reports reading freed memory, which this test does)");
#else
    CHECK(run_child("[freed_page]", nullptr) == 0);
    // glibc's per-thread cache keeps small blocks away from the zeroing; the packaged unit turns it off.
    CHECK(run_child("[freed_small]", "glibc.malloc.tcache_count=0") == 0);
    // Without that, a small block keeps what it held: why the unit sets it (and the check above can fail).
    CHECK(run_child("[freed_small]", nullptr) == 1);
#endif
}

TEST_CASE("the kiosk leaves no core dump and cannot be read by another process of its user")
{
    // In a child, so the test runner itself keeps its settings.
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        harden_process();
        rlimit core {};
        ::getrlimit(RLIMIT_CORE, &core);
        bool ok = core.rlim_cur == 0 && core.rlim_max == 0 && ::prctl(PR_GET_DUMPABLE) == 0;
        ::_exit(ok ? 0 : 1);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
