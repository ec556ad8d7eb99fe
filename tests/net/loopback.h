// What the metrics and webhook tests share: free loopback ports, a child process (prometheus, the pushgateway, a
// python receiver) killed when the test ends, a raw HTTP client that sends exactly the bytes a test chooses, and a
// command's output.
#pragma once

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace kiosk::tests {

// A port nobody listens on right now: bound to 127.0.0.1:0, then released for the child to take.
inline int free_port()
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

// A connected socket to 127.0.0.1:port, or -1.
inline int connect_loopback(int port)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Everything the server sends until it closes (or until the deadline, a guard against a hang, not a measure).
inline std::string read_all(int fd, std::chrono::seconds deadline = std::chrono::seconds(60))
{
    std::string out;
    auto end = std::chrono::steady_clock::now() + deadline;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < end) {
        pollfd p { fd, POLLIN, 0 };
        if (::poll(&p, 1, 200) <= 0)
            continue;
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        out.append(buffer, static_cast<size_t>(n));
    }
    return out;
}

// Sends request as is, then reads the whole answer.
inline std::string raw_exchange(int port, std::string const& request)
{
    int fd = connect_loopback(port);
    REQUIRE(fd >= 0);
    size_t sent = 0;
    while (sent < request.size()) {
        ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break; // the server may close on a request it refused before reading it all
        sent += static_cast<size_t>(n);
    }
    std::string answer = read_all(fd);
    ::close(fd);
    return answer;
}

// A program run in the background, its output in log, killed and reaped when the object goes.
class ChildProcess {
public:
    ChildProcess(std::vector<std::string> args, std::filesystem::path const& log)
    {
        posix_spawn_file_actions_t actions;
        ::posix_spawn_file_actions_init(&actions);
        ::posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::posix_spawn_file_actions_adddup2(&actions, 1, 2);
        std::vector<char*> argv;
        for (auto& arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        int spawned = ::posix_spawnp(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
        ::posix_spawn_file_actions_destroy(&actions);
        if (spawned != 0)
            FAIL("cannot start " << args[0]);
    }
    ChildProcess(ChildProcess const&) = delete;
    ChildProcess& operator=(ChildProcess const&) = delete;
    ~ChildProcess()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
};

// Waits until something listens on 127.0.0.1:port (a child starting up), up to a generous deadline.
inline bool wait_for_port(int port, std::chrono::seconds deadline = std::chrono::seconds(60))
{
    auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
        int fd = connect_loopback(port);
        if (fd >= 0) {
            ::close(fd);
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

inline std::string file_text(std::filesystem::path const& path)
{
    std::string text;
    if (FILE* file = std::fopen(path.c_str(), "rb")) {
        char buffer[4096];
        size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
            text.append(buffer, n);
        std::fclose(file);
    }
    return text;
}

// A command's standard output and error, and its exit status.
struct CommandOutput {
    int status = -1;
    std::string text;
};

inline CommandOutput run_command(std::string const& command)
{
    CommandOutput out;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return out;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        out.text.append(buffer, n);
    int status = ::pclose(pipe);
    out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

} // namespace kiosk::tests
