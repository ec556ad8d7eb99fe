// The PC/SC driver against the real pcscd with the vsmartcard vpcd reader and a virtual badge written here.
#include "drivers/idreader/pcsc/pcsc_reader.h"
#include "tests/drivers/idreader/event_queue.h"
#include "tests/support/pcscd.h"

#include <catch2/catch.hpp>

#include <PCSC/pcsclite.h>

#include <arpa/inet.h>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace kiosk::drivers;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

using testing::EventQueue;

using kiosk::tests::pcscd;
using kiosk::tests::reader_names;
using kiosk::tests::VirtualCard;

std::unique_ptr<IdReader> make_reader(std::string const& filter)
{
    auto reader = PcscReader::create(DriverSpec { "pcsc", { { "reader", filter } } });
    REQUIRE(reader);
    return std::move(*reader);
}

// Stops the driver even when a REQUIRE fails midway.
struct StopGuard {
    IdReader& reader;
    ~StopGuard() { reader.stop(); }
};

} // namespace

TEST_CASE("the PC/SC driver's parameters are checked")
{
    CHECK(PcscReader::create(DriverSpec { "pcsc", {} }));
    CHECK(PcscReader::create(DriverSpec { "pcsc", { { "reader", "ACR122" } } }));
    CHECK_FALSE(PcscReader::create(DriverSpec { "pcsc", { { "device", "x" } } }));
}

TEST_CASE("UIDs are read from FF CA responses")
{
    using Bytes = std::vector<unsigned char>;
    CHECK(PcscReader::uid_from_response(Bytes { 0x04, 0xA1, 0xB2, 0xC3, 0x90, 0x00 }) == "04A1B2C3");
    CHECK(PcscReader::uid_from_response(Bytes { 1, 2, 3, 4, 5, 6, 7, 0x90, 0x00 }) == "01020304050607");
    CHECK_FALSE(PcscReader::uid_from_response(Bytes { 1, 2, 3, 0x90, 0x00 }));
    CHECK_FALSE(PcscReader::uid_from_response(Bytes { 0x6A, 0x81 }));
    CHECK_FALSE(PcscReader::uid_from_response(Bytes { 0x90 }));
    CHECK_FALSE(PcscReader::uid_from_response(Bytes {}));
    auto refused = PcscReader::uid_from_response(Bytes { 0x69, 0x82 });
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().detail, Catch::Contains("6982"));
}

TEST_CASE("a badge on the reader gives card_inserted with its UID, and card_removed when taken off")
{
    auto [uid, hex] = GENERATE(table<std::vector<unsigned char>, std::string>({
        { { 0xDE, 0xAD, 0xBE, 0xEF }, "DEADBEEF" },
        { { 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 }, "04112233445566" },
        { { 0x08, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 }, "08010203040506070809" },
    }));
    auto reader = make_reader(pcscd().reader());
    EventQueue events { 10s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };

    auto card = std::make_unique<VirtualCard>(pcscd().card_port(), uid);
    auto inserted = events.next();
    REQUIRE(inserted);
    CHECK(inserted->kind == IdEvent::Kind::card_inserted);
    CHECK(inserted->card_uid == hex);

    card.reset();
    auto removed = events.next();
    REQUIRE(removed);
    CHECK(removed->kind == IdEvent::Kind::card_removed);
    CHECK(removed->card_uid == hex);
}

TEST_CASE("a card that does not support FF CA (6A81) gives no event at all")
{
    auto reader = make_reader(pcscd().reader());
    EventQueue events { 10s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };

    VirtualCard card(pcscd().card_port(), { 1, 2, 3, 4 }, VirtualCard::Answer::not_supported);
    auto deadline = Clock::now() + 10s;
    while (card.commands().empty() && Clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    REQUIRE_FALSE(card.commands().empty());
    CHECK_FALSE(events.next(1s));
    card.remove();
    CHECK_FALSE(events.next(1500ms));
}

TEST_CASE("6CXX makes the driver ask again with the length the card gave")
{
    auto reader = make_reader(pcscd().reader());
    EventQueue events { 10s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };

    VirtualCard card(
        pcscd().card_port(), { 0x04, 0x52, 0x9A, 0x12, 0x34, 0x56, 0x78 }, VirtualCard::Answer::wrong_length_first);
    auto inserted = events.next();
    REQUIRE(inserted);
    CHECK(inserted->card_uid == "04529A12345678");
    auto commands = card.commands();
    REQUIRE(commands.size() == 2);
    CHECK(commands[0] == std::vector<unsigned char> { 0xFF, 0xCA, 0x00, 0x00, 0x00 });
    CHECK(commands[1] == std::vector<unsigned char> { 0xFF, 0xCA, 0x00, 0x00, 0x07 });
}

TEST_CASE("a reader filter that matches nothing sees no card, and stop() is prompt")
{
    auto reader = make_reader("No Such Reader");
    EventQueue events { 10s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };
    VirtualCard card(pcscd().card_port(), { 1, 2, 3, 4 });
    CHECK_FALSE(events.next(2s));

    auto before = Clock::now();
    reader->stop();
    CHECK(Clock::now() - before < 500ms);
}

TEST_CASE("a card already on the reader when the driver starts is reported")
{
    VirtualCard card(pcscd().card_port(), { 0xCA, 0xFE, 0xBA, 0xBE });
    std::this_thread::sleep_for(1500ms);
    auto reader = make_reader(pcscd().reader());
    EventQueue events { 10s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };
    auto inserted = events.next();
    REQUIRE(inserted);
    CHECK(inserted->card_uid == "CAFEBABE");
}

TEST_CASE("the driver survives a pcscd restart")
{
    if (!pcscd().owned()) {
        WARN("pcscd was already running and is not ours to restart: skipped");
        return;
    }
    auto reader = make_reader(pcscd().reader());
    EventQueue events { 10s };
    REQUIRE(reader->start(events.listener()));
    StopGuard guard { *reader };

    VirtualCard card(pcscd().card_port(), { 0x11, 0x22, 0x33, 0x44 });
    auto inserted = events.next();
    REQUIRE(inserted);
    CHECK(inserted->kind == IdEvent::Kind::card_inserted);

    pcscd().restart();
    // The card could not be followed while pcscd was away: removed, then seen again.
    auto removed = events.next();
    REQUIRE(removed);
    CHECK(removed->kind == IdEvent::Kind::card_removed);
    auto again = events.next(15s);
    REQUIRE(again);
    CHECK(again->kind == IdEvent::Kind::card_inserted);
    CHECK(again->card_uid == "11223344");
}
