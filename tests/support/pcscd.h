// pcscd with the vsmartcard vpcd reader and a virtual badge, for every test that needs a real PC/SC stack:
// the driver's own tests and the kiosk's (a badge shown, a reader pulled). pcscd is system-wide, so test processes
// take turns.
#pragma once

#include <catch2/catch.hpp>

#include <PCSC/winscard.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::tests {

using namespace std::chrono_literals;

inline char const pcscd_socket[] = "/run/pcscd/pcscd.comm";

inline bool pcscd_answers()
{
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, pcscd_socket, sizeof address.sun_path - 1);
    bool answers = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return answers;
}

inline std::vector<std::string> reader_names()
{
    SCARDCONTEXT context = 0;
    if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context) != SCARD_S_SUCCESS)
        return {};
    std::vector<std::string> names;
    DWORD size = 0;
    if (SCardListReaders(context, nullptr, nullptr, &size) == SCARD_S_SUCCESS) {
        std::vector<char> buffer(size);
        if (SCardListReaders(context, nullptr, buffer.data(), &size) == SCARD_S_SUCCESS) {
            for (char const* name = buffer.data(); *name != '\0'; name += std::strlen(name) + 1)
                names.emplace_back(name);
        }
    }
    SCardReleaseContext(context);
    return names;
}

// Two free TCP ports in a row, as vpcd listens on CHANNELID and CHANNELID + 1.
inline int free_port_pair()
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        int first = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_ANY);
        socklen_t length = sizeof address;
        ::bind(first, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::getsockname(first, reinterpret_cast<sockaddr*>(&address), &length);
        int port = ntohs(address.sin_port);
        int second = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        address.sin_port = htons(static_cast<std::uint16_t>(port + 1));
        bool both = port < 65535 && ::bind(second, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(first);
        ::close(second);
        if (both)
            return port;
    }
    FAIL("no two free TCP ports in a row");
    return 0;
}

// pcscd is system-wide (one socket at /run/pcscd), so test processes take turns: ctest runs them in parallel.
class TurnLock {
public:
    TurnLock()
    {
        m_fd = ::open("/tmp/kiosk-pcscd-tests.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        REQUIRE(m_fd >= 0);
        auto deadline = std::chrono::steady_clock::now() + 90s;
        while (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
            REQUIRE(std::chrono::steady_clock::now() < deadline);
            std::this_thread::sleep_for(50ms);
        }
    }
    ~TurnLock() { ::close(m_fd); }
    TurnLock(TurnLock const&) = delete;
    TurnLock& operator=(TurnLock const&) = delete;

private:
    int m_fd = -1;
};

// The pcscd the tests use: one already running is reused (and left running), otherwise a private one is
// started on free ports with its own reader configuration and stopped at the end, also when the test dies.
class Pcscd {
public:
    Pcscd()
    {
        if (pcscd_answers()) {
            // Slot 00 01, so a virtual badge of the dev run command on slot 00 00 does not disturb the tests.
            m_reader = "Virtual PCD 00 01";
            m_card_port = 35964;
        } else {
            char pattern[] = "/tmp/kiosk-pcscd-XXXXXX";
            REQUIRE(::mkdtemp(pattern) != nullptr);
            m_directory = pattern;
            std::filesystem::create_directory(m_directory / "reader.conf.d");
            m_card_port = free_port_pair();
            m_reader = "Kiosk Test PCD 00 00";
            char channel[16];
            std::snprintf(channel, sizeof channel, "0x%04X", m_card_port);
            std::ofstream(m_directory / "reader.conf.d" / "vpcd")
                << "FRIENDLYNAME \"Kiosk Test PCD\"\n"
                << "DEVICENAME /dev/null:" << channel << "\n"
                << "LIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\n"
                << "CHANNELID " << channel << "\n";
            launch();
        }
        wait_for_reader();
    }
    ~Pcscd()
    {
        terminate();
        if (!m_directory.empty()) {
            std::error_code ignored;
            std::filesystem::remove_all(m_directory, ignored);
        }
    }
    Pcscd(Pcscd const&) = delete;
    Pcscd& operator=(Pcscd const&) = delete;

    std::string const& reader() const { return m_reader; }
    int card_port() const { return m_card_port; }
    bool owned() const { return !m_directory.empty(); }

    void restart()
    {
        REQUIRE(owned());
        terminate();
        launch();
        wait_for_reader();
    }

    void terminate()
    {
        if (m_pid <= 0)
            return;
        ::kill(m_pid, SIGTERM);
        auto deadline = std::chrono::steady_clock::now() + 5s;
        while (::waitpid(m_pid, nullptr, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, nullptr, 0);
                break;
            }
            std::this_thread::sleep_for(20ms);
        }
        m_pid = -1;
    }

private:
    void launch()
    {
        std::string config = (m_directory / "reader.conf.d").string();
        std::string log = (m_directory / "pcscd.log").string();
        pid_t parent = ::getpid();
        m_pid = ::fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            // pcscd goes with the test process, however that ends.
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent)
                ::_exit(1);
            int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            ::dup2(out, 1);
            ::dup2(out, 2);
            ::execlp("pcscd", "pcscd", "--foreground", "--config", config.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }

    void wait_for_reader()
    {
        auto deadline = std::chrono::steady_clock::now() + 10s;
        for (;;) {
            auto names = reader_names();
            if (std::ranges::find(names, m_reader) != names.end())
                return;
            if (m_pid > 0 && ::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
                m_pid = -1;
                FAIL("pcscd exited at once; its log is in " << m_directory.string());
            }
            if (std::chrono::steady_clock::now() > deadline)
                FAIL("pcscd offers no reader '" << m_reader << "' (is vsmartcard-vpcd installed?)");
            std::this_thread::sleep_for(100ms);
        }
    }

    std::filesystem::path m_directory;
    std::string m_reader;
    int m_card_port = 0;
    pid_t m_pid = -1;
};

// Each test process holds the turn and its pcscd for as long as it runs.
struct PcscdTurn {
    TurnLock lock;
    Pcscd pcscd;
};

inline Pcscd& pcscd()
{
    static PcscdTurn turn;
    return turn.pcscd;
}

// A contactless badge as vpcd sees it: a TCP client speaking 2-byte big-endian length + payload.
class VirtualCard {
public:
    enum class Answer { uid, not_supported, wrong_length_first };

    VirtualCard(int port, std::vector<unsigned char> uid, Answer answer = Answer::uid)
        : m_port(port)
        , m_uid(std::move(uid))
        , m_answer(answer)
    {
        m_thread = std::thread([this] { run(); });
    }
    ~VirtualCard() { remove(); }
    VirtualCard(VirtualCard const&) = delete;
    VirtualCard& operator=(VirtualCard const&) = delete;

    // Taken off the reader: the connection closes and vpcd reports the card absent.
    void remove()
    {
        m_stopping = true;
        if (m_thread.joinable())
            m_thread.join();
    }

    std::vector<std::vector<unsigned char>> commands()
    {
        std::lock_guard lock(m_mutex);
        return m_commands;
    }

private:
    // Reconnects whenever vpcd goes away (pcscd restarted), until removed.
    void run()
    {
        while (!m_stopping) {
            int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in address {};
            address.sin_family = AF_INET;
            address.sin_port = htons(static_cast<std::uint16_t>(m_port));
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
                int one = 1;
                ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                serve(fd);
            }
            ::close(fd);
            for (int i = 0; i < 5 && !m_stopping; ++i)
                std::this_thread::sleep_for(20ms);
        }
    }

    // Reads exactly size bytes, giving up when removed or when vpcd closes the connection.
    bool read_exactly(int fd, unsigned char* data, std::size_t size)
    {
        while (size > 0) {
            pollfd watch { fd, POLLIN, 0 };
            int ready = ::poll(&watch, 1, 50);
            if (m_stopping)
                return false;
            if (ready <= 0)
                continue;
            ssize_t got = ::read(fd, data, size);
            if (got <= 0)
                return false;
            data += got;
            size -= static_cast<std::size_t>(got);
        }
        return true;
    }

    static void send(int fd, std::vector<unsigned char> const& payload)
    {
        std::vector<unsigned char> message { static_cast<unsigned char>(payload.size() >> 8),
            static_cast<unsigned char>(payload.size()) };
        message.insert(message.end(), payload.begin(), payload.end());
        [[maybe_unused]] auto sent = ::send(fd, message.data(), message.size(), MSG_NOSIGNAL);
    }

    void serve(int fd)
    {
        // The ATR a PC/SC reader reports for a MIFARE Classic 1K badge (PC/SC part 3).
        std::vector<unsigned char> const atr { 0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06,
            0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6A };
        for (;;) {
            unsigned char header[2];
            if (!read_exactly(fd, header, 2))
                return;
            std::vector<unsigned char> payload(static_cast<std::size_t>(header[0] << 8 | header[1]));
            if (!read_exactly(fd, payload.data(), payload.size()))
                return;
            if (payload.size() == 1) {
                if (payload[0] == 4)
                    send(fd, atr);
                continue; // power off, power on, reset: nothing to answer
            }
            send(fd, answer(payload));
        }
    }

    std::vector<unsigned char> answer(std::vector<unsigned char> const& command)
    {
        {
            std::lock_guard lock(m_mutex);
            m_commands.push_back(command);
        }
        bool get_uid
            = command.size() == 5 && command[0] == 0xFF && command[1] == 0xCA && command[2] == 0 && command[3] == 0;
        if (!get_uid)
            return { 0x6D, 0x00 };
        if (m_answer == Answer::not_supported)
            return { 0x6A, 0x81 };
        if (m_answer == Answer::wrong_length_first && command[4] != m_uid.size())
            return { 0x6C, static_cast<unsigned char>(m_uid.size()) };
        std::vector<unsigned char> response = m_uid;
        response.push_back(0x90);
        response.push_back(0x00);
        return response;
    }

    int m_port;
    std::vector<unsigned char> m_uid;
    Answer m_answer;
    std::atomic<bool> m_stopping = false;
    std::mutex m_mutex;
    std::vector<std::vector<unsigned char>> m_commands;
    std::thread m_thread;
};

} // namespace kiosk::tests
