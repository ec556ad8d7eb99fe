// Headset detection through alsa-lib, against a control plugin with a sound card's jack controls
// (tests/support/test_jack.h): the events, the values, and which sockets count as a headset.
#include "drivers/audio/headset_jack.h"
#include "tests/support/test_jack.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using namespace kiosk;
using kiosk::tests::TestJack;
using namespace std::chrono_literals;

namespace {

// What the watcher reported, in order, from its own thread.
struct Reports {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<bool> seen;

    drivers::HeadsetJack::Changed callback()
    {
        return [this](bool plugged) {
            std::lock_guard lock(mutex);
            seen.push_back(plugged);
            changed.notify_all();
        };
    }
    // Waits for the count-th report (at most 5 s); the reports so far.
    std::vector<bool> wait_for(size_t count)
    {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, 5s, [&] { return seen.size() >= count; });
        return seen;
    }
    bool none()
    {
        std::lock_guard lock(mutex);
        return seen.empty();
    }
};

// The test socket's card, watched; its reports go to reports.
std::unique_ptr<drivers::HeadsetJack> watch(Reports& reports)
{
    auto opened = drivers::HeadsetJack::open(TestJack::spec(), reports.callback());
    REQUIRE(opened);
    REQUIRE(*opened);
    return std::move(*opened);
}

} // namespace

TEST_CASE("a headset plugged in and pulled out is reported once each way, from the card's events")
{
    TestJack socket;
    Reports reports;
    auto watched = watch(reports);
    auto& jack = *watched;
    CHECK(jack.sockets() == std::vector<std::string> { "KioskTest: Headphone Jack" });
    CHECK_FALSE(jack.plugged());

    socket.plug(true);
    CHECK(reports.wait_for(1) == std::vector<bool> { true });
    CHECK(jack.plugged());
    // The line output is not a headset: a plug there says nothing. The next change is the headset's going out.
    socket.plug_line_out(true);
    socket.plug(false);
    CHECK(reports.wait_for(2) == std::vector<bool> { true, false });
    CHECK_FALSE(jack.plugged());
    socket.plug(true);
    CHECK(reports.wait_for(3) == std::vector<bool> { true, false, true });
}

TEST_CASE("a plug wiggled in and out within the settle time is no change; the next plug that stays is one")
{
    TestJack socket;
    Reports reports;
    auto jack = watch(reports);
    // In for a fifth of the settle time, then out: a worn socket's bounce, or a hand that changed its mind.
    auto in = std::chrono::steady_clock::now();
    socket.plug(true);
    std::this_thread::sleep_for(drivers::HeadsetJack::settle_time / 5);
    socket.plug(false);
    if (std::chrono::steady_clock::now() - in >= drivers::HeadsetJack::settle_time) {
        // This thread was held longer than the settle time (a loaded machine): the plug was a real one, not a bounce.
        WARN("the unplug came after the settle time; nothing to check");
        return;
    }
    std::this_thread::sleep_for(drivers::HeadsetJack::settle_time * 3);
    CHECK(reports.none());
    CHECK_FALSE(jack->plugged());
    socket.plug(true);
    CHECK(reports.wait_for(1) == std::vector<bool> { true });
}

TEST_CASE("a headset already in when the watch starts is plugged, without a report")
{
    TestJack socket(true);
    Reports reports;
    auto jack = watch(reports);
    CHECK(jack->plugged());
    socket.plug(false);
    CHECK(reports.wait_for(1) == std::vector<bool> { false });
}

TEST_CASE("once the watcher is gone, a plug reports nothing")
{
    TestJack socket;
    Reports reports;
    watch(reports).reset();
    socket.plug(true);
    std::this_thread::sleep_for(300ms);
    CHECK(reports.none());
}

TEST_CASE("the headset setting: none, malformed, and a control device that is not there")
{
    TestJack socket;
    auto none = drivers::HeadsetJack::open("none", {});
    REQUIRE(none);
    CHECK(*none == nullptr);
    for (char const* malformed : { "pulse", "alsa:card=1", "none:ctl=hw:0", "alsa:ctl=", "" }) {
        INFO(malformed);
        auto opened = drivers::HeadsetJack::open(malformed, {});
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == ErrorCode::usage);
        CHECK_FALSE(drivers::HeadsetJack::check(malformed));
    }
    CHECK(drivers::HeadsetJack::check("alsa"));
    CHECK(drivers::HeadsetJack::check("alsa:ctl=hw:1"));
    auto missing = drivers::HeadsetJack::open("alsa:ctl=kiosk_no_such_card", {});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::not_found);
    CHECK(missing.error().detail.find("kiosk_no_such_card") != std::string::npos);
}

TEST_CASE("every card: a machine without a headphone socket has nothing to watch, which is not a fault")
{
    // This machine's cards, whatever they are: either none with a socket (nothing to watch), or each socket found.
    Reports reports;
    auto opened = drivers::HeadsetJack::open("alsa", reports.callback());
    REQUIRE(opened);
    if (*opened)
        CHECK_FALSE((*opened)->sockets().empty());
}
