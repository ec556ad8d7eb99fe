// A headset in the kiosk's headphone socket (issue 14, EN 301 549 5.1.3.8): plugging it in turns the voice on from
// anywhere, the keys a resident types are said in it and only in it, and the PIN pad's digits never are. The socket
// is the ALSA test plugin's (tests/support/test_jack.h), read through alsa-lib as a sound card's would be.
#include "tests/support/temp_dir.h"
#include "tests/support/test_jack.h"
#include "tests/ui/kiosk_fixture.h"

#include <algorithm>

using namespace kiosk;
using kiosk::tests::TempDir;
using kiosk::tests::TestJack;
using kiosk::ui::testing::add_agent;
using kiosk::ui::testing::KioskFixture;
using namespace std::chrono_literals;

namespace {

// The socket's event reaches the kiosk through the watcher's thread and the UI loop; the frame after it is not drawn
// yet (what the plug says is the latest utterance).
void wait_for_headset(KioskFixture& kiosk, bool plugged)
{
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (kiosk.app().headset_plugged() != plugged) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(10ms);
        kiosk.app().update();
    }
}

// With the voice on: the first touch says the control, the second acts.
void act(KioskFixture& kiosk, std::string const& id)
{
    kiosk.tap(id);
    kiosk.tap(id);
}

auto with_socket = [](core::Config& config) { config.devices.headset = TestJack::spec(); };

} // namespace

TEST_CASE("a headset plugged in at the attract screen turns the voice on; its keys are said in it, not once it is out")
{
    TestJack socket;
    TempDir dir("kiosk-headset");
    KioskFixture kiosk("sim", 1920, 1080, with_socket);
    kiosk.speak_into(dir.path());
    // The attract screen offers the socket to whoever cannot see the accessibility button.
    CHECK(kiosk.shows_text("Pour entendre l'écran : branchez un casque, ou Accessibilité, puis Voix."));
    CHECK_FALSE(kiosk.app().speech_on());

    socket.plug(true);
    wait_for_headset(kiosk, true);
    CHECK(kiosk.app().top_name() == "welcome");
    CHECK(kiosk.app().speech_on());
    CHECK(kiosk.app().latest_speech().starts_with("Casque branché. La voix est activée."));
    CHECK(kiosk.audited(R"("event":"headset","plugged":true)"));
    CHECK(kiosk.audited(R"("event":"accessibility","speech":true)"));
    // Then the screen, after those words.
    kiosk.settle();
    CHECK(kiosk.app().latest_speech().starts_with("Bienvenue."));

    act(kiosk, "accept");
    REQUIRE(kiosk.app().top_name() == "home");
    act(kiosk, "go_sites");
    act(kiosk, "partner_caf");
    act(kiosk, "open_site");
    REQUIRE(kiosk.app().top_name() == "browser");
    act(kiosk, "sim_email_field");
    REQUIRE(kiosk.widget("wk_j"));
    // In the headset, the key's own character.
    kiosk.tap("wk_j");
    CHECK(kiosk.app().latest_speech() == "j");
    kiosk.tap("wk_j");

    // Out: the voice goes on through the loudspeaker, says so, and a key is a key again.
    socket.plug(false);
    wait_for_headset(kiosk, false);
    CHECK(kiosk.app().speech_on());
    CHECK(kiosk.app().latest_speech().starts_with("Casque débranché."));
    kiosk.settle();
    CHECK(kiosk.audited(R"("event":"headset","plugged":false)"));
    kiosk.tap("wk_e");
    CHECK(kiosk.app().latest_speech() == "Touche");
    // The line output is not a headset: nothing changes.
    socket.plug_line_out(true);
    std::this_thread::sleep_for(200ms);
    kiosk.settle();
    CHECK_FALSE(kiosk.app().headset_plugged());
    kiosk.tap("wk_a");
    CHECK(kiosk.app().latest_speech() == "Touche");
}

TEST_CASE("a headset plugged in during a session turns the voice on where the resident is; PIN digits are still not "
          "said in it")
{
    TestJack socket;
    TempDir dir("kiosk-headset");
    KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) {
        config.devices.headset = TestJack::spec();
        add_agent(config, "m.martin", "Marie Martin", core::AgentRole::agent, "246810", "04A22B1A");
    });
    kiosk.speak_into(dir.path());
    kiosk.tap("start");
    kiosk.tap("accept");
    kiosk.tap("go_scan");
    REQUIRE(kiosk.app().top_name() == "scan");

    socket.plug(true);
    wait_for_headset(kiosk, true);
    CHECK(kiosk.app().top_name() == "scan");
    CHECK(kiosk.app().speech_on());
    CHECK(kiosk.app().latest_speech().starts_with("Casque branché."));
    // Then where they are, read again.
    kiosk.settle();
    CHECK(kiosk.app().latest_speech().starts_with("Scanner"));

    act(kiosk, "agent");
    REQUIRE(kiosk.app().top_name() == "agent_unlock");
    kiosk.present_badge("04A22B1A");
    for (char key : std::string("246810")) {
        std::string id = std::string("pin_") + key;
        REQUIRE(kiosk.widget(id));
        kiosk.tap(id);
        CHECK(kiosk.app().latest_speech() == "Chiffre");
        kiosk.tap(id);
        CHECK(kiosk.app().latest_speech().find(key) == std::string::npos);
    }
    act(kiosk, "pin_ok");
    REQUIRE(kiosk.app().top_name() == "assisted");

    // The agent types an identity document's line: its characters are not said, even in the headset.
    act(kiosk, "id_capture");
    act(kiosk, "type_mrz");
    REQUIRE(kiosk.app().top_name() == "rename");
    for (char const* id : { "kb_a", "kb_7", "kb_filler" }) {
        if (!kiosk.widget(id))
            act(kiosk, "kb_layer");
        REQUIRE(kiosk.widget(id));
        kiosk.tap(id);
        CHECK(kiosk.app().latest_speech() == "Touche");
        kiosk.tap(id);
    }
}

TEST_CASE("what is already in the socket at start-up is not taken for a headset; the wipe leaves a plugged one so")
{
    TestJack socket(true);
    TempDir dir("kiosk-headset");
    KioskFixture kiosk("sim", 1920, 1080, with_socket);
    kiosk.speak_into(dir.path());
    // The room's speakers may be in the headphone socket for good: no typed letter would be said through them.
    CHECK_FALSE(kiosk.app().headset_plugged());
    CHECK_FALSE(kiosk.app().speech_on());
    // The socket is taken: the attract screen says where the voice is, not to plug anything.
    CHECK(kiosk.shows_text("Pour entendre l'écran : Accessibilité, puis Voix."));

    // Out: the socket is offered.
    socket.plug(false);
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!kiosk.shows_text("Pour entendre l'écran : branchez un casque, ou Accessibilité, puis Voix.")) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(10ms);
        kiosk.settle();
    }
    CHECK_FALSE(kiosk.app().speech_on());
    CHECK(kiosk.app().top_name() == "attract");
    // In again, while the kiosk runs: that is someone asking for the voice.
    socket.plug(true);
    wait_for_headset(kiosk, true);
    CHECK(kiosk.app().speech_on());
    kiosk.settle();
    act(kiosk, "accept");
    REQUIRE(kiosk.app().top_name() == "home");
    act(kiosk, "end_session");
    REQUIRE(kiosk.app().top_name() == "ending");
    kiosk.advance(30s);
    REQUIRE(kiosk.app().top_name() == "attract");
    // The next resident does not inherit the voice; the headset is still known to be there.
    CHECK_FALSE(kiosk.app().speech_on());
    CHECK(kiosk.app().headset_plugged());
}

TEST_CASE("a kiosk out of order does not start a welcome when a headset is plugged in")
{
    TestJack socket;
    KioskFixture kiosk("sim", 1920, 1080, with_socket, [] {
        return std::vector<core::GroundProblem> { core::GroundProblem { "runtime_on_disk", "test" } };
    });
    REQUIRE(kiosk.app().top_name() == "out_of_order");
    socket.plug(true);
    wait_for_headset(kiosk, true);
    CHECK(kiosk.app().top_name() == "out_of_order");
    CHECK_FALSE(kiosk.app().speech_on());
}

TEST_CASE("a headset plugged in while an agent types a PIN from the attract screen starts no session under them")
{
    TestJack socket;
    KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) {
        config.devices.headset = TestJack::spec();
        add_agent(config, "tech", "Technicien", core::AgentRole::technician, "888888", "04C0FFEE");
    });
    kiosk.tap("agent");
    REQUIRE(kiosk.app().top_name() == "agent_unlock");
    kiosk.present_badge("04C0FFEE");
    kiosk.tap("pin_8");
    socket.plug(true);
    wait_for_headset(kiosk, true);
    kiosk.settle();
    CHECK(kiosk.app().top_name() == "agent_unlock");
    CHECK_FALSE(kiosk.app().speech_on());
    CHECK(kiosk.audited(R"("event":"headset","plugged":true)"));

    // The technician was trying the socket: the diagnostics show it as it is, and follow the plug.
    kiosk.type_pin("88888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
    auto shows = [&](std::string const& text) { return std::ranges::count(kiosk.canvas().texts(), text) == 1; };
    CHECK(shows("casque branché · KioskTest: Headphone Jack"));
    CHECK(kiosk.canvas().cramped().empty());
    socket.plug(false);
    wait_for_headset(kiosk, false);
    kiosk.settle();
    CHECK(shows("aucun casque branché · KioskTest: Headphone Jack"));
    CHECK_FALSE(shows("casque branché · KioskTest: Headphone Jack"));
    CHECK(kiosk.canvas().cramped().empty());
}

TEST_CASE("the diagnostics say when the headphone socket is not watched, and why")
{
    {
        KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) {
            add_agent(config, "tech", "Technicien", core::AgentRole::technician, "888888", "04C0FFEE");
        });
        kiosk.present_badge("04C0FFEE");
        kiosk.type_pin("888888");
        REQUIRE(kiosk.app().top_name() == "diagnostics");
        CHECK(kiosk.shows_text("non surveillée (devices.headset = none)"));
    }
    {
        // A control device that is not there: the start-up goes on, and the technician reads why.
        KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) {
            config.devices.headset = "alsa:ctl=kiosk_no_such_card";
            add_agent(config, "tech", "Technicien", core::AgentRole::technician, "888888", "04C0FFEE");
        });
        kiosk.present_badge("04C0FFEE");
        kiosk.type_pin("888888");
        REQUIRE(kiosk.app().top_name() == "diagnostics");
        CHECK(kiosk.shows_text("illisible (not_found)"));
        CHECK(kiosk.audited(R"("event":"device_error","device":"headset","code":"not_found")"));
    }
}
