// The serial MRZ reader driver through pseudo-terminal pairs: the test writes to the master, the driver opens the
// slave.
#include "drivers/idreader/serial/serial_mrz_reader.h"
#include "tests/drivers/idreader/event_queue.h"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <pty.h>
#include <thread>
#include <unistd.h>

using namespace kiosk::drivers;
using namespace std::chrono_literals;

namespace {

using testing::EventQueue;

std::string const td3_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
std::string const td3_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
std::string const td2_1 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
std::string const td2_2 = "D231458907UTO7408122F1204159<<<<<<<6";

// A pseudo-terminal pair standing in for the reader's port; both sides close with it.
class FakePort {
public:
    FakePort()
    {
        char name[256] = {};
        REQUIRE(::openpty(&m_master, &m_slave, name, nullptr, nullptr) == 0);
        m_path = name;
        termios tio {};
        ::tcgetattr(m_slave, &tio);
        ::cfmakeraw(&tio);
        ::tcsetattr(m_slave, TCSANOW, &tio);
    }
    ~FakePort() { close(); }
    FakePort(FakePort const&) = delete;
    FakePort& operator=(FakePort const&) = delete;

    std::string const& path() const { return m_path; }

    void write(std::string_view bytes)
    {
        while (!bytes.empty()) {
            ssize_t done = ::write(m_master, bytes.data(), bytes.size());
            REQUIRE(done > 0);
            bytes.remove_prefix(static_cast<std::size_t>(done));
        }
    }

    // The reader is unplugged: the driver's side sees a hang-up.
    void close()
    {
        if (m_slave >= 0)
            ::close(m_slave);
        if (m_master >= 0)
            ::close(m_master);
        m_slave = m_master = -1;
    }

private:
    int m_master = -1;
    int m_slave = -1;
    std::string m_path;
};

// A fresh directory for the symbolic link a udev rule would give the reader.
class TemporaryDirectory {
public:
    TemporaryDirectory()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "kiosk-serial-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        m_path = pattern;
    }
    ~TemporaryDirectory()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    std::filesystem::path const& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

std::unique_ptr<IdReader> make_reader(std::string const& port)
{
    auto reader = SerialMrzReader::create(DriverSpec { "serial", { { "port", port }, { "baud", "115200" } } });
    REQUIRE(reader);
    return std::move(*reader);
}

// Stops the driver even when a REQUIRE fails midway.
struct StopGuard {
    IdReader& reader;
    ~StopGuard() { reader.stop(); }
};

void require_document(EventQueue& events, std::vector<std::string> const& lines)
{
    auto event = events.next();
    REQUIRE(event);
    CHECK(event->kind == IdEvent::Kind::mrz_read);
    CHECK(event->mrz_lines == lines);
}

} // namespace

TEST_CASE("the serial driver's parameters are checked")
{
    CHECK(SerialMrzReader::create(DriverSpec { "serial", {} }));
    CHECK(SerialMrzReader::create(DriverSpec { "serial", { { "baud", "19200" } } }));
    CHECK_FALSE(SerialMrzReader::create(DriverSpec { "serial", { { "baud", "12345" } } }));
    CHECK_FALSE(SerialMrzReader::create(DriverSpec { "serial", { { "baud", "fast" } } }));
    CHECK_FALSE(SerialMrzReader::create(DriverSpec { "serial", { { "speed", "9600" } } }));
    CHECK_FALSE(SerialMrzReader::create(DriverSpec { "serial", { { "port", "" } } }));
}

TEST_CASE("rows written to the port with CRLF, CR or LF come out as documents")
{
    FakePort port;
    auto reader = make_reader(port.path());
    EventQueue events { 5s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };

    port.write(td3_1 + "\r\n" + td3_2 + "\r\n");
    require_document(events, { td3_1, td3_2 });
    port.write(td2_1 + "\r" + td2_2 + "\r");
    require_document(events, { td2_1, td2_2 });
    port.write(td3_1 + "\n" + td3_2 + "\n");
    require_document(events, { td3_1, td3_2 });
}

TEST_CASE("rows sent separately within the delay make one event")
{
    FakePort port;
    auto reader = make_reader(port.path());
    EventQueue events { 5s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };

    port.write(td3_1.substr(0, 10));
    std::this_thread::sleep_for(50ms);
    port.write(td3_1.substr(10) + "\r\n");
    std::this_thread::sleep_for(100ms);
    port.write(td3_2 + "\r\n");
    require_document(events, { td3_1, td3_2 });

    // A second row a second later belongs to no document.
    port.write(td2_1 + "\r\n");
    std::this_thread::sleep_for(1s);
    port.write(td2_2 + "\r\n");
    CHECK_FALSE(events.next(500ms));
}

TEST_CASE("STX/ETX frames: a good check byte gives the document, a bad one nothing")
{
    auto frame = [](std::string const& payload, unsigned char spoil) {
        unsigned char lrc = 0x03;
        for (char c : payload)
            lrc ^= static_cast<unsigned char>(c);
        return "\x02" + payload + "\x03" + std::string(1, static_cast<char>(lrc ^ spoil));
    };
    FakePort port;
    auto reader = make_reader(port.path());
    EventQueue events { 5s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };

    port.write(frame(td2_1 + "\r" + td2_2 + "\r", 0x01));
    port.write(frame(td3_1 + "\r" + td3_2 + "\r", 0x00));
    require_document(events, { td3_1, td3_2 });
    CHECK_FALSE(events.next(400ms));
}

TEST_CASE("garbage on the port neither blocks nor crashes the driver")
{
    FakePort port;
    auto reader = make_reader(port.path());
    EventQueue events { 5s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };

    std::string noise;
    for (int i = 0; i < 200000; ++i)
        noise.push_back(static_cast<char>((i * 7919) ^ (i >> 3)));
    std::jthread writer([&] { port.write(noise + std::string(50000, 'X') + "\r\n"); });
    writer.join();
    port.write(std::string("\x03\x00\r\n", 4) + td3_1 + "\r\n" + td3_2 + "\r\n");
    require_document(events, { td3_1, td3_2 });
}

TEST_CASE("an unplugged port is reopened when it comes back")
{
    TemporaryDirectory directory;
    auto link = directory.path() / "mrz-reader";
    auto first = std::make_unique<FakePort>();
    std::filesystem::create_symlink(first->path(), link);

    auto reader = make_reader(link.string());
    EventQueue events { 5s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };

    first->write(td3_1 + "\r\n" + td3_2 + "\r\n");
    require_document(events, { td3_1, td3_2 });

    // Unplugged: the pty goes away and the link dangles for a while, as a udev link would.
    first.reset();
    std::filesystem::remove(link);
    std::this_thread::sleep_for(1500ms);

    // Plugged back in, under another device node.
    FakePort second;
    std::filesystem::create_symlink(second.path(), link);
    second.write(td2_1 + "\r\n" + td2_2 + "\r\n");
    require_document(events, { td2_1, td2_2 });
}

TEST_CASE("a port absent at start is opened when it appears, and stop() is prompt")
{
    TemporaryDirectory directory;
    auto link = directory.path() / "mrz-reader";
    auto reader = make_reader(link.string());
    EventQueue events { 5s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };
    CHECK_FALSE(reader->start(events.listener()));

    FakePort port;
    std::filesystem::create_symlink(port.path(), link);
    port.write(td3_1 + "\r\n" + td3_2 + "\r\n");
    require_document(events, { td3_1, td3_2 });

    auto before = std::chrono::steady_clock::now();
    reader->stop();
    CHECK(std::chrono::steady_clock::now() - before < 300ms);
    reader->stop(); // twice is harmless
}
