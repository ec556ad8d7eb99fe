// Tests of the scan screen's preview of the glass, through the whole App on the simulated and the SANE test scanners.
#include "tests/ui/kiosk_fixture.h"

using namespace kiosk;
using kiosk::ui::testing::KioskFixture;

namespace {

constexpr char const* caption = "Voici ce que voit le scanner.";

void check_preview(KioskFixture& kiosk)
{
    kiosk.start_session();
    kiosk.tap("go_scan");
    REQUIRE(kiosk.widget("scan_preview"));
    CHECK_FALSE(kiosk.shows_text(caption));
    kiosk.tap("scan_preview");
    CHECK(kiosk.app().top_name() == "scan");
    CHECK(kiosk.shows_text(caption));
    // At the lowest resolution the scanner offers, and nothing of it stored.
    CHECK(kiosk.audited("\"event\":\"scan_preview\",\"dpi\":75,\"result\":\"ok\""));
    CHECK(kiosk.app().tray().empty());
    CHECK(kiosk.stored_names().empty());
    CHECK(kiosk.shows_text("Mes documents (0)"));

    // The real scan then takes the preview's place.
    kiosk.tap("scan_start");
    CHECK_FALSE(kiosk.shows_text(caption));
    CHECK(kiosk.app().tray().size() == 1);
}

} // namespace

TEST_CASE("a preview shows the glass on the scan screen and stores nothing (sim scanner)")
{
    KioskFixture kiosk("sim");
    check_preview(kiosk);
}

TEST_CASE("a preview shows the glass on the scan screen and stores nothing (SANE test backend)")
{
    // The development configuration of the SANE test backend, as the e2e runs use it.
    setenv("SANE_CONFIG_DIR", (std::filesystem::path(KIOSK_SOURCE_DIR) / "deploy" / "dev" / "sane").c_str(), 1);
    KioskFixture kiosk("sane:device=test:0,paper=a4");
    check_preview(kiosk);
}

TEST_CASE("no preview from the feeder, and a preview is forgotten when the feeder is chosen or the screen is left")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_preview");
    REQUIRE(kiosk.shows_text(caption));
    kiosk.tap("source_adf");
    CHECK_FALSE(kiosk.widget("scan_preview"));
    CHECK_FALSE(kiosk.shows_text(caption));
    kiosk.tap("source_flatbed");
    kiosk.tap("scan_preview");
    REQUIRE(kiosk.shows_text(caption));
    kiosk.tap("go_home");
    kiosk.tap("go_scan");
    CHECK_FALSE(kiosk.shows_text(caption));
}

TEST_CASE("a slow preview leaves the screen answering and stops on Stop")
{
    KioskFixture kiosk("sim:delay_ms=5000");
    kiosk.start_session();
    kiosk.tap("go_scan");
    auto started = std::chrono::steady_clock::now();
    kiosk.tap_only("scan_preview");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    CHECK(kiosk.app().busy());
    CHECK(kiosk.shows_text("Aperçu —"));
    // The settings wait: they would not apply to the pass already under way.
    CHECK_FALSE(kiosk.widget("source_adf")->enabled);
    kiosk.tap("scan_cancel");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
    CHECK_FALSE(kiosk.app().busy());
    CHECK_FALSE(kiosk.shows_text(caption));
    CHECK(kiosk.audited("\"event\":\"scan_preview\",\"dpi\":75,\"result\":\"cancelled\""));
    CHECK(kiosk.widget("scan_start"));
}

TEST_CASE("a preview's picture does not outlive the session")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_preview");
    REQUIRE(kiosk.shows_text(caption));
    kiosk.tap("end_session");
    kiosk.tap("end_now");
    REQUIRE(kiosk.app().top_name() == "attract");
    kiosk.start_session();
    kiosk.tap("go_scan");
    CHECK_FALSE(kiosk.shows_text(caption));
}
