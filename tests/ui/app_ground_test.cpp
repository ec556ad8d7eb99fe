// The kiosk on unsound ground, and who may unlock it: a start-up check that fails keeps it out of order until the
// machine is put right; an agent's PIN needs a badge by default, a technician's always; wrong PINs outlive a restart.
#include "kiosk_fixture.h"

using namespace kiosk;
using namespace kiosk::ui::testing;
using namespace std::chrono_literals;

namespace {

void add_agents(core::Config const& config)
{
    add_agent(config, "m.martin", "Marie Martin", core::AgentRole::agent, "246810", "04A22B1A");
    add_agent(config, "tech", "Technicien", core::AgentRole::technician, "888888", "04C0FFEE");
}

} // namespace

TEST_CASE("a start-up check that fails keeps the kiosk out of order, in plain words, until the machine is put right")
{
    std::vector<core::GroundProblem> problems { { "agents_file_unsafe",
        "agents file: /var/lib/france-services-kiosk/agents.toml can be written by others than its owner" } };
    KioskFixture kiosk("sim", 1920, 1080, add_agents, [&] { return problems; });
    CHECK(kiosk.app().top_name() == "out_of_order");
    CHECK(kiosk.shows_text("Borne hors service"));
    CHECK(kiosk.shows_text("Le fichier des agents peut être modifié par d'autres que l'administrateur."));
    CHECK(kiosk.widget("start") == nullptr);
    CHECK(kiosk.audited(R"("event":"ground_check","ok":false,"reason":"agents_file_unsafe")"));
    // It does not go back into service by itself, however long it waits.
    kiosk.advance(120s);
    CHECK(kiosk.app().top_name() == "out_of_order");

    // The technician sees why in the diagnostics; "back in service" checks again and refuses while it holds.
    kiosk.present_badge("04C0FFEE");
    kiosk.type_pin("888888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
    CHECK(kiosk.shows_text("Système"));
    kiosk.tap("back_in_service");
    CHECK(kiosk.app().session().state() == core::SessionState::out_of_order);
    CHECK(kiosk.shows_text("Toujours hors service : Le fichier des agents"));
    kiosk.tap("close_overlay");

    // Put right (chmod 0640): the same button returns the kiosk to service.
    problems.clear();
    kiosk.tap("back_in_service");
    CHECK(kiosk.app().top_name() == "attract");
    kiosk.tap("start");
    CHECK(kiosk.app().top_name() == "welcome");
}

TEST_CASE("by default an agent shows a badge before any PIN, and a technician always does")
{
    KioskFixture kiosk("sim", 1920, 1080, add_agents);
    kiosk.start_session();
    kiosk.tap("agent");
    REQUIRE(kiosk.app().top_name() == "agent_unlock");
    CHECK(kiosk.shows_text("Posez votre badge sur le lecteur, puis tapez votre code."));
    // No pad to guess on: a PIN alone opens nothing.
    CHECK(kiosk.widget("pin_2") == nullptr);
    CHECK(kiosk.widget("pin_ok") == nullptr);
    CHECK_FALSE(kiosk.app().tap_widget("pin_ok"));
    // The badge on the reader while the screen waits: its holder types their PIN.
    kiosk.present_badge("04A22B1A");
    CHECK(kiosk.shows_text("Bonjour Marie Martin, votre code :"));
    // Five digits are not a PIN any more: Valider stays off.
    for (char digit : std::string("24681"))
        kiosk.tap(std::string("pin_") + digit);
    REQUIRE(kiosk.widget("pin_ok"));
    CHECK_FALSE(kiosk.widget("pin_ok")->enabled);
    kiosk.tap("pin_0");
    kiosk.tap("pin_ok");
    CHECK(kiosk.app().top_name() == "assisted");
    CHECK(kiosk.audited(R"("event":"agent_unlock_attempt","ok":true,"method":"badge","agent":"m.martin")"));
}

TEST_CASE("where agents may use a PIN alone, a technician's PIN alone still opens nothing")
{
    KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) {
        config.agent_unlock = core::AgentUnlock::pin;
        add_agents(config);
    });
    kiosk.tap("agent");
    REQUIRE(kiosk.app().top_name() == "agent_unlock");
    kiosk.type_pin("888888");
    CHECK(kiosk.app().top_name() == "agent_unlock");
    CHECK(kiosk.shows_text("Code incorrect."));
    kiosk.type_pin("246810");
    CHECK(kiosk.app().top_name() == "assisted");
}

TEST_CASE("wrong PINs outlive a restart of the kiosk: stopping it gives no new tries")
{
    char pattern[] = "/tmp/kiosk-lockout-XXXXXX";
    REQUIRE(mkdtemp(pattern));
    std::filesystem::path shared = pattern;
    auto in_shared = [&](core::Config& config) {
        config.agents_file = shared / "agents.toml";
        if (!std::filesystem::exists(config.agents_file))
            add_agents(config);
    };
    {
        KioskFixture kiosk("sim", 1920, 1080, in_shared);
        for (int i = 0; i < 4; ++i) {
            kiosk.present_badge("04A22B1A");
            kiosk.type_pin("000000");
        }
        CHECK(kiosk.shows_text("Code incorrect."));
    }
    {
        // Restarted after four: one more try, not five.
        KioskFixture kiosk("sim", 1920, 1080, in_shared);
        kiosk.present_badge("04A22B1A");
        kiosk.type_pin("000000");
        CHECK(kiosk.shows_text("Trop d'essais. Réessayez dans 30 s."));
    }
    {
        // Restarted while locked: still locked, and the right PIN waits for the end of it.
        KioskFixture kiosk("sim", 1920, 1080, in_shared);
        kiosk.present_badge("04A22B1A");
        CHECK(kiosk.shows_text("Trop d'essais. Réessayez dans"));
        CHECK_FALSE(kiosk.widget("pin_ok")->enabled);
    }
    std::filesystem::remove_all(shared);
}

TEST_CASE("the kiosk counts as between sessions only when no resident's session is open or being wiped")
{
    KioskFixture kiosk;
    CHECK(kiosk.app().between_sessions());
    kiosk.tap("start");
    CHECK_FALSE(kiosk.app().between_sessions()); // someone is reading the rules
    kiosk.tap("accept");
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    CHECK_FALSE(kiosk.app().between_sessions());
    kiosk.tap("end_session");
    CHECK_FALSE(kiosk.app().between_sessions()); // "take your papers"
    kiosk.tap("end_now");
    REQUIRE(kiosk.app().top_name() == "attract");
    CHECK(kiosk.app().between_sessions());
}
