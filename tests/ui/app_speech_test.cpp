// Speech in the kiosk (issue 14): explore by touch, what is said and what never is, the tones everyone hears, and a
// voice that does not outlive the session. Real espeak-ng, synthesising without a sound card, each utterance written
// as a WAV file.
#include "kiosk/speech/speaker.h"
#include "tests/support/temp_dir.h"
#include "tests/ui/kiosk_fixture.h"

#include <regex>

using namespace kiosk;
using kiosk::tests::TempDir;
using kiosk::ui::testing::add_agent;
using kiosk::ui::testing::KioskFixture;

namespace {

size_t files_written(KioskFixture& kiosk, std::filesystem::path const& dir)
{
    REQUIRE(kiosk.app().speech_idle(std::chrono::seconds(30)));
    size_t count = 0;
    for (auto const& entry : std::filesystem::directory_iterator(dir))
        count += entry.path().extension() == ".wav";
    return count;
}

// The welcome, with the voice turned on from the accessibility panel (one touch: the voice is not on yet).
void welcome_with_voice(KioskFixture& kiosk)
{
    kiosk.tap("start");
    kiosk.tap("a11y");
    REQUIRE(kiosk.app().top_name() == "accessibility");
    kiosk.tap("a11y_speech");
    REQUIRE(kiosk.app().speech_on());
    CHECK(kiosk.app().latest_speech().starts_with("Voix activée."));
    kiosk.tap("close_overlay");
    kiosk.tap("close_overlay");
    REQUIRE(kiosk.app().top_name() == "welcome");
}

// Touches a point of the screen, enabled widget or not.
void touch(KioskFixture& kiosk, int x, int y)
{
    kiosk.app().draw();
    kiosk.app().tap(x, y);
    kiosk.settle();
}

} // namespace

TEST_CASE("whoever touches the screen hears how to turn the voice on, and the panel says where it is")
{
    TempDir dir("kiosk-speech");
    KioskFixture kiosk;
    kiosk.speak_into(dir.path());
    CHECK(kiosk.shows_text("Pour entendre l'écran : Accessibilité, puis Voix."));
    kiosk.tap("start");
    CHECK(kiosk.app().latest_speech() == "Pour entendre l'écran, touchez Accessibilité, en haut à droite, puis Voix.");
    CHECK_FALSE(kiosk.app().speech_on());
    // Said again for whoever touches the welcome where nothing is, and the button is where it says.
    kiosk.tap("a11y");
    kiosk.tap("close_overlay");
    touch(kiosk, kiosk.canvas().width() / 2, kiosk.canvas().px(1040));
    CHECK(kiosk.app().top_name() == "welcome");
    CHECK(kiosk.app().latest_speech() == "Pour entendre l'écran, touchez Accessibilité, en haut à droite, puis Voix.");
    auto const* button = kiosk.widget("a11y");
    REQUIRE(button);
    CHECK(button->rect.x > kiosk.canvas().width() / 2);
    CHECK(button->rect.y < kiosk.canvas().height() / 4);
    // With the voice off, the welcome is not read and a touch acts at once.
    kiosk.tap("a11y");
    CHECK(kiosk.app().top_name() == "accessibility");
    CHECK(kiosk.app().latest_speech() == "Accessibilité. Pour la voix, touchez le premier bouton, en haut.");
    // The voice button is the first one of the panel, at its top.
    auto const* voice = kiosk.widget("a11y_speech");
    REQUIRE(voice);
    for (auto const* other : { "a11y_time", "a11y_contrast", "close_overlay" })
        CHECK(voice->rect.y < kiosk.widget(other)->rect.y);
    kiosk.tap("a11y_speech");
    CHECK(kiosk.app().speech_on());
    CHECK(kiosk.audited("\"event\":\"accessibility\",\"speech\":true"));
    // Each new utterance cuts the one before: the hint and the panel may be cut before a sample of theirs was made
    // (and then leave no file), never the last.
    CHECK(files_written(kiosk, dir.path()) >= 1);
}

TEST_CASE("with the voice on, a first touch says a control and frames it, a second acts, and nothing there says the "
          "screen")
{
    TempDir dir("kiosk-speech");
    KioskFixture kiosk;
    kiosk.speak_into(dir.path());
    welcome_with_voice(kiosk);
    CHECK(kiosk.app().latest_speech().starts_with("Bienvenue."));

    kiosk.tap("accept");
    CHECK(kiosk.app().top_name() == "welcome");
    CHECK(kiosk.app().latest_speech() == "J'ai compris, je commence");
    kiosk.tap("accept");
    REQUIRE(kiosk.app().top_name() == "home");
    std::string home = kiosk.app().latest_speech();
    CHECK(home.starts_with("Que voulez-vous faire ?"));

    // Another control moves the frame: the first is not activated by a touch on the second.
    kiosk.tap("go_scan");
    CHECK(kiosk.app().top_name() == "home");
    kiosk.tap("go_tray");
    CHECK(kiosk.app().top_name() == "home");
    CHECK(kiosk.app().latest_speech().starts_with("Mes documents"));
    kiosk.tap("go_scan");
    CHECK(kiosk.app().top_name() == "home");
    kiosk.tap("go_scan");
    CHECK(kiosk.app().top_name() == "scan");
    CHECK(kiosk.app().latest_speech().starts_with("Scanner"));

    // A control that cannot be used says so, however often it is touched.
    kiosk.tap("go_home");
    kiosk.tap("go_home");
    REQUIRE(kiosk.app().top_name() == "home");
    auto const* back = kiosk.widget("back");
    REQUIRE(back);
    REQUIRE_FALSE(back->enabled);
    for (int i = 0; i < 2; ++i) {
        touch(kiosk, back->rect.x + back->rect.w / 2, back->rect.y + back->rect.h / 2);
        CHECK(kiosk.app().latest_speech() == "Retour. Indisponible");
        CHECK(kiosk.app().top_name() == "home");
    }
    // The title, where nothing is to be touched: where am I.
    touch(kiosk, kiosk.canvas().width() / 2, kiosk.canvas().px(60));
    CHECK(kiosk.app().latest_speech() == home);
    CHECK(kiosk.app().top_name() == "home");
}

TEST_CASE("a PIN's digits are never said, and the next resident finds the voice off and nothing said before")
{
    TempDir dir("kiosk-speech");
    KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) {
        add_agent(config, "m.martin", "Marie Martin", core::AgentRole::agent, "246810", "04A22B1A");
    });
    kiosk.speak_into(dir.path());
    welcome_with_voice(kiosk);
    kiosk.tap("accept");
    kiosk.tap("accept");
    REQUIRE(kiosk.app().top_name() == "home");
    // The agents' corner, explored like a button: a blind person sweeping the bar is told whose it is.
    kiosk.tap("agent");
    CHECK(kiosk.app().top_name() == "home");
    CHECK(kiosk.app().latest_speech() == "Réservé aux agents");
    kiosk.tap("agent");
    REQUIRE(kiosk.app().top_name() == "agent_unlock");
    kiosk.present_badge("04A22B1A");
    std::regex digit("[0-9]");
    for (char key : std::string("135790")) {
        std::string id = std::string("pin_") + key;
        REQUIRE(kiosk.widget(id));
        kiosk.tap(id);
        CHECK(kiosk.app().latest_speech() == "Chiffre");
        kiosk.tap(id);
        INFO(kiosk.app().latest_speech());
        CHECK_FALSE(std::regex_search(kiosk.app().latest_speech(), digit));
    }

    kiosk.tap("back");
    kiosk.tap("back");
    kiosk.tap("end_session");
    kiosk.tap("end_session");
    REQUIRE(kiosk.app().top_name() == "ending");
    kiosk.advance(std::chrono::seconds(30));
    REQUIRE(kiosk.app().top_name() == "attract");
    CHECK_FALSE(kiosk.app().speech_on());
    CHECK(kiosk.app().latest_speech().empty());
    // The next resident: one touch acts.
    kiosk.tap("start");
    kiosk.tap("accept");
    CHECK(kiosk.app().top_name() == "home");
}

TEST_CASE("a finished scan and the idle warning are heard as tones by everyone, voice on or not")
{
    TempDir dir("kiosk-speech");
    KioskFixture kiosk;
    kiosk.speak_into(dir.path());
    kiosk.start_session();
    size_t hint = files_written(kiosk, dir.path());
    CHECK(hint == 1);
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    CHECK(kiosk.shows_text("1 page ajoutée"));
    CHECK(files_written(kiosk, dir.path()) == hint + 1);
    kiosk.advance(std::chrono::seconds(180));
    REQUIRE(kiosk.app().top_name() == "idle_warning");
    CHECK(files_written(kiosk, dir.path()) == hint + 2);
    // Nothing was said: only tones.
    CHECK(kiosk.app().latest_speech() == "Pour entendre l'écran, touchez Accessibilité, en haut à droite, puis Voix.");
}

TEST_CASE("the idle warning says how long is left once, in full, and never counts down aloud")
{
    TempDir dir("kiosk-speech");
    KioskFixture kiosk;
    kiosk.speak_into(dir.path());
    welcome_with_voice(kiosk);
    kiosk.tap("a11y");
    kiosk.tap("a11y");
    kiosk.tap("a11y_time");
    kiosk.tap("a11y_time"); // explore by touch: the first touch says it, the second chooses
    // A choice says whether it is on: its tick is seen, not heard.
    kiosk.tap("a11y_contrast");
    CHECK(kiosk.app().latest_speech().find("Activé") == std::string::npos);
    kiosk.tap("a11y_time");
    CHECK(kiosk.app().latest_speech().find("Plus de temps") != std::string::npos);
    CHECK(kiosk.app().latest_speech().find("Activé") != std::string::npos);
    kiosk.tap("close_overlay");
    kiosk.tap("close_overlay");
    REQUIRE(kiosk.shows_text("90 minutes"));
    kiosk.tap("accept");
    kiosk.tap("accept");
    REQUIRE(kiosk.app().top_name() == "home");
    kiosk.advance(std::chrono::seconds(360));
    REQUIRE(kiosk.app().top_name() == "idle_warning");
    size_t written = files_written(kiosk, dir.path());
    CHECK(kiosk.app().latest_speech().find("tout sera effacé dans 120 secondes") != std::string::npos);
    kiosk.advance(std::chrono::seconds(5));
    kiosk.advance(std::chrono::seconds(5));
    REQUIRE(kiosk.app().top_name() == "idle_warning");
    CHECK(files_written(kiosk, dir.path()) == written);
}
