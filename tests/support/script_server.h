// A test's python3 server on a free loopback port, and the small file and shell helpers that set one up: the server
// writes the port it bound to a file, the test waits for that file, and the server is killed when the test ends.
#pragma once

#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace kiosk::tests {

// Runs a shell command, its output hidden; the test fails when it fails.
inline void run_or_fail(std::string const& command)
{
    std::string quiet = "(" + command + ") >/dev/null 2>&1";
    if (std::system(quiet.c_str()) != 0)
        FAIL("failed: " << command);
}

inline std::string read_text(std::filesystem::path const& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

inline void write_text(std::filesystem::path const& path, std::string const& text)
{
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// `python3 ARGS...`, where one of the arguments is port_file: the script binds port 0 and writes the port it got there.
// what names the server in the failure when it does not start.
class ScriptServer {
public:
    ScriptServer(std::vector<std::string> args, std::filesystem::path const& port_file, std::string const& what)
    {
        args.insert(args.begin(), "python3");
        std::vector<char*> argv;
        for (auto& arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        if (::posix_spawnp(&m_pid, "python3", nullptr, nullptr, argv.data(), environ) != 0)
            FAIL("cannot start python3");
        for (int i = 0; i < 600 && m_port == 0; ++i) { // up to 15 s on a loaded machine
            std::ifstream(port_file) >> m_port;
            if (m_port == 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        if (m_port == 0)
            FAIL(what << " did not start");
    }
    ScriptServer(ScriptServer const&) = delete;
    ScriptServer& operator=(ScriptServer const&) = delete;
    ~ScriptServer()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    int port() const { return m_port; }

private:
    pid_t m_pid = -1;
    int m_port = 0;
};

} // namespace kiosk::tests
