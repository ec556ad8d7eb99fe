// "Appeler un agent" (issue 15): the screen says an agent is coming only after the office's service answered, says to
// ask at the desk otherwise, does not send the same call twice, and a printer fault that needs hands calls one by
// itself. The webhook itself (HTTPS, the JSON, timeouts) is tested in tests/net against a real server.
#include "tests/ui/kiosk_fixture.h"

#include <condition_variable>
#include <mutex>

using namespace kiosk;
using kiosk::ui::testing::KioskFixture;

namespace {

struct Office {
    std::mutex mutex;
    std::vector<std::string> calls;
    bool answers = true;

    ui::App::CallAgent service()
    {
        return [this](std::string const& kind, std::atomic<bool> const&) -> Result<void> {
            std::lock_guard lock(mutex);
            calls.push_back(kind);
            if (!answers)
                return make_error(ErrorCode::request_failed, "HTTP 500");
            return {};
        };
    }
    size_t count()
    {
        std::lock_guard lock(mutex);
        return calls.size();
    }
};

} // namespace

TEST_CASE("without a webhook the kiosk says to ask at the desk, and never that an agent is coming")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("call_agent");
    CHECK(kiosk.app().top_name() == "agent_called");
    CHECK(kiosk.shows_text("Demandez à l'accueil"));
    CHECK(kiosk.shows_text("La borne ne peut pas appeler un agent."));
    CHECK_FALSE(kiosk.shows_text("Un agent a été prévenu"));
}

TEST_CASE("an agent is said to be coming only after the office answered, and is not called twice in a row")
{
    Office office;
    KioskFixture kiosk;
    kiosk.app().set_call_agent(office.service());
    kiosk.start_session();
    kiosk.tap("call_agent");
    CHECK(office.count() == 1);
    CHECK(office.calls.front() == "help");
    CHECK(kiosk.shows_text("Un agent a été prévenu"));
    CHECK(kiosk.shows_text("Il arrive. Restez près de la borne."));
    // Asked again at once (an anxious resident, a double tap): the agent is already on the way.
    kiosk.tap("close_overlay");
    kiosk.tap("call_agent");
    CHECK(office.count() == 1);
    CHECK(kiosk.shows_text("Un agent a été prévenu"));
    // Still nobody after two minutes: a new call.
    kiosk.tap("close_overlay");
    kiosk.advance(std::chrono::seconds(125));
    kiosk.tap("call_agent");
    CHECK(office.count() == 2);
}

TEST_CASE("when the office's service fails the resident is sent to the desk")
{
    Office office;
    office.answers = false;
    KioskFixture kiosk;
    kiosk.app().set_call_agent(office.service());
    kiosk.start_session();
    kiosk.tap("call_agent");
    CHECK(office.count() == 1);
    CHECK(kiosk.shows_text("Demandez à l'accueil"));
    CHECK(kiosk.shows_text("La borne n'a pas pu prévenir un agent."));
    CHECK_FALSE(kiosk.shows_text("Un agent a été prévenu"));
    // A second try is a new call: the service may be back.
    kiosk.tap("close_overlay");
    office.answers = true;
    kiosk.tap("call_agent");
    CHECK(office.count() == 2);
    CHECK(kiosk.shows_text("Un agent a été prévenu"));
}

TEST_CASE("while the call is on its way the screen says so, and the next resident sees nothing of it")
{
    std::mutex mutex;
    std::condition_variable released;
    bool go = false;
    KioskFixture kiosk;
    int calls = 0;
    kiosk.app().set_call_agent([&](std::string const&, std::atomic<bool> const&) -> Result<void> {
        std::unique_lock lock(mutex);
        ++calls;
        released.wait(lock, [&] { return go; });
        return {};
    });
    kiosk.start_session();
    kiosk.tap_only("call_agent");
    CHECK(kiosk.app().top_name() == "agent_called");
    CHECK(kiosk.shows_text("On prévient un agent…"));
    CHECK(kiosk.app().busy());
    {
        std::lock_guard lock(mutex);
        go = true;
    }
    released.notify_all();
    kiosk.settle();
    CHECK(kiosk.shows_text("Un agent a été prévenu"));
    kiosk.tap("close_overlay");
    kiosk.tap("end_session");
    kiosk.advance(std::chrono::seconds(30));
    REQUIRE(kiosk.app().top_name() == "attract");
    kiosk.start_session();
    kiosk.tap("call_agent");
    // A new resident's call, not "already on the way" from the last one's.
    CHECK(kiosk.shows_text("Un agent a été prévenu"));
    CHECK(calls == 2);
}

TEST_CASE("a printer out of paper calls an agent by itself, once per fault and half hour")
{
    Office office;
    KioskFixture kiosk(
        "sim", 1920, 1080, [](core::Config& config) { config.devices.printer += ",condition=paper_out"; });
    kiosk.app().set_call_agent(office.service());
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    kiosk.tap("go_tray");
    kiosk.tap("print_doc");
    REQUIRE(kiosk.app().top_name() == "print");
    REQUIRE(office.count() == 1);
    CHECK(office.calls.front() == "printer");
    CHECK(kiosk.audited("\"event\":\"printer_needs_agent\",\"condition\":\"paper_out\""));
    // The print screen looks at the printer again every few seconds: no new call for the same fault.
    kiosk.advance(std::chrono::seconds(20));
    CHECK(office.count() == 1);
    // The resident's own call still goes.
    kiosk.tap("call_agent");
    CHECK(office.count() == 2);
    CHECK(office.calls.back() == "help");
}

TEST_CASE("asked for help while the printer's call is out, the resident's call goes when it ends, never lost")
{
    std::mutex mutex;
    std::condition_variable released;
    bool go = false;
    std::vector<std::string> kinds;
    KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) { config.devices.printer += ",condition=jam"; });
    kiosk.app().set_call_agent([&](std::string const& kind, std::atomic<bool> const&) -> Result<void> {
        std::unique_lock lock(mutex);
        kinds.push_back(kind);
        if (kind == "printer")
            released.wait(lock, [&] { return go; });
        return {};
    });
    kiosk.start_session();
    kiosk.tap("go_forms");
    kiosk.tap_only("form_attestation_honneur");
    REQUIRE(kiosk.app().top_name() == "print");
    kiosk.tap_only("call_agent");
    CHECK(kiosk.shows_text("On prévient un agent…"));
    {
        std::lock_guard lock(mutex);
        REQUIRE(kinds == std::vector<std::string> { "printer" });
        go = true;
    }
    released.notify_all();
    kiosk.settle();
    CHECK(kinds == std::vector<std::string> { "printer", "help" });
    CHECK(kiosk.shows_text("Un agent a été prévenu"));
}

TEST_CASE("a call that fails after the resident closed the panel opens it again: nobody waits for no one")
{
    std::mutex mutex;
    std::condition_variable released;
    bool go = false;
    KioskFixture kiosk;
    kiosk.app().set_call_agent([&](std::string const&, std::atomic<bool> const&) -> Result<void> {
        std::unique_lock lock(mutex);
        released.wait(lock, [&] { return go; });
        return make_error(ErrorCode::request_failed, "HTTP 500");
    });
    kiosk.start_session();
    kiosk.tap_only("call_agent");
    kiosk.tap_only("close_overlay");
    CHECK(kiosk.app().top_name() == "home");
    {
        std::lock_guard lock(mutex);
        go = true;
    }
    released.notify_all();
    kiosk.settle();
    CHECK(kiosk.app().top_name() == "agent_called");
    CHECK(kiosk.shows_text("La borne n'a pas pu prévenir un agent."));
}
