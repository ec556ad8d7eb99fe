// Shared pieces of the Chromium tests.
#include "test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kiosk::tests {

TempDir::TempDir()
{
    std::string pattern = "/tmp/kiosk-chromium-test-XXXXXX";
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TempDir::~TempDir()
{
    kill_processes_mentioning(m_path.string());
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

ManagedPolicyGuard::ManagedPolicyGuard()
{
    int fd = ::open("/tmp/france-services-kiosk-chromium-tests.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    // Bounded: another test run may hold it for a few seconds per test case.
    if (!wait_until([fd] { return ::flock(fd, LOCK_EX | LOCK_NB) == 0; }, std::chrono::seconds(90))) {
        ::close(fd);
        return;
    }
    m_lock_fd = fd;
    m_created_directory = !std::filesystem::exists(directory);
    auto file = std::filesystem::path(directory) / "france-services-kiosk.json";
    if (std::filesystem::exists(file))
        m_saved = read_file(file);
}

ManagedPolicyGuard::~ManagedPolicyGuard()
{
    if (m_lock_fd < 0)
        return;
    auto file = std::filesystem::path(directory) / "france-services-kiosk.json";
    std::error_code ec;
    if (m_saved) {
        std::ofstream(file, std::ios::binary | std::ios::trunc) << *m_saved;
    } else {
        std::filesystem::remove(file, ec);
        // Leave the directories as found: remove them only if the test made them and they are empty.
        if (m_created_directory) {
            std::filesystem::remove(directory, ec);
            std::filesystem::remove(std::filesystem::path(directory).parent_path(), ec);
        }
    }
    ::flock(m_lock_fd, LOCK_UN);
    ::close(m_lock_fd);
}

drivers::BrowseRequest make_request(
    std::filesystem::path const& session, std::string url, std::vector<std::string> domains)
{
    drivers::BrowseRequest request;
    request.partner_slug = "caf";
    request.url = std::move(url);
    request.allowed_domains = std::move(domains);
    request.profile_dir = session / "browser-profile";
    request.downloads_dir = session / "downloads";
    return request;
}

std::vector<pid_t> processes_mentioning(std::string const& text)
{
    std::vector<pid_t> result;
    std::error_code ec;
    for (auto const& entry : std::filesystem::directory_iterator("/proc", ec)) {
        auto name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        pid_t pid = std::atoi(name.c_str());
        if (pid == ::getpid())
            continue;
        std::ifstream file(entry.path() / "cmdline", std::ios::binary);
        std::string cmdline((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        // A zombie has an empty command line and is no longer a running browser.
        if (cmdline.find(text) != std::string::npos)
            result.push_back(pid);
    }
    return result;
}

void kill_processes_mentioning(std::string const& text)
{
    for (pid_t pid : processes_mentioning(text))
        ::kill(pid, SIGKILL);
}

bool wait_until(std::function<bool()> const& done, std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

std::string read_file(std::filesystem::path const& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

int run_bounded(std::vector<std::string> const& argv, std::filesystem::path const& out,
    std::filesystem::path const& err, std::chrono::milliseconds timeout)
{
    std::vector<std::string> args = argv;
    std::vector<char*> c_args;
    for (auto& a : args)
        c_args.push_back(a.data());
    c_args.push_back(nullptr);
    int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(null_fd, 0);
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        ::execv(c_args[0], c_args.data());
        ::_exit(127);
    }
    ::close(out_fd);
    ::close(err_fd);
    ::close(null_fd);
    if (pid < 0)
        return -1;
    ::setpgid(pid, pid);
    int status = 0;
    bool finished = wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout);
    ::kill(-pid, SIGKILL);
    if (!finished) {
        ::waitpid(pid, &status, 0);
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace kiosk::tests
