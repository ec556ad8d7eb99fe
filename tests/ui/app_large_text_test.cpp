// Large text (issue 14): the canvas draws 1.5× larger and tells screens the smaller room they have; the screens reflow
// for it (fewer columns, pages of tiles) instead of shrinking or clipping; the choice goes with the session.
#include "kiosk_fixture.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

using kiosk::ui::Align;
using kiosk::ui::ButtonStyle;
using kiosk::ui::Widget;
using kiosk::ui::testing::KioskFixture;

namespace {

// The organisations' tiles of the frame on screen.
std::vector<std::string> partner_tiles(KioskFixture& kiosk)
{
    std::vector<std::string> ids;
    for (Widget const& widget : kiosk.canvas().widgets())
        if (widget.id.starts_with("partner_"))
            ids.push_back(widget.id);
    return ids;
}

void with_agent(kiosk::core::Config const& config)
{
    kiosk::ui::testing::add_agent(
        config, "m.martin", "Marie Martin", kiosk::core::AgentRole::agent, "246810", "04A22B1A");
}

// The technician's badge and PIN (the technician added by the test), from wherever the kiosk is.
void open_diagnostics(KioskFixture& kiosk)
{
    kiosk.tap("agent");
    kiosk.present_badge("04C0FFEE");
    kiosk.type_pin("888888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
}

void choose_large_text(KioskFixture& kiosk)
{
    kiosk.tap("a11y");
    kiosk.tap("a11y_large");
    kiosk.tap("close_overlay");
}

} // namespace

TEST_CASE("the canvas zoom makes every design pixel larger and the room smaller, and finds what runs off the screen")
{
    KioskFixture kiosk("sim", 1280, 800);
    auto& c = kiosk.canvas();
    c.begin_frame();
    CHECK(c.design_width() == 1920);
    CHECK(c.design_height() == 1200);
    int normal = c.px(100);
    c.set_zoom(1.5);
    c.begin_frame();
    CHECK(c.px(100) == normal * 3 / 2);
    CHECK(c.design_width() == 1280);
    CHECK(c.design_height() == 800);
    // Laid out for the normal room, a button and a text now run past the edge; those inside do not count.
    c.button("inside", { 0, 0, c.px(400), c.px(100) }, "OK", ButtonStyle::secondary);
    c.button("past", { c.px(1000), 0, c.px(400), c.px(100) }, "Suivant", ButtonStyle::secondary);
    c.text("Sous le bord", { 0, c.px(750), c.px(400), c.px(100) }, 36, kiosk::ui::theme::text, Align::left);
    c.text("Dedans", { 0, c.px(300), c.px(400), c.px(100) }, 36, kiosk::ui::theme::text, Align::left);
    // (A button past the edge counts twice: its words and itself.)
    CHECK(c.off_screen() == std::vector<std::string> { "Suivant", "past", "Sous le bord" });
    c.set_zoom(1.0);
    c.begin_frame();
    CHECK(c.off_screen().empty());
}

TEST_CASE("large text is chosen from the panel, draws 1.5× larger, is audited as a choice, and ends with the session")
{
    KioskFixture kiosk("sim", 1280, 800);
    kiosk.tap("start");
    int normal_bar = kiosk.widget("accept")->rect.h;
    choose_large_text(kiosk);
    REQUIRE(kiosk.app().top_name() == "welcome");
    CHECK(kiosk.canvas().zoom() == 1.5);
    CHECK(kiosk.canvas().design_width() == 1280);
    // The welcome reflowed: the languages behind one button that names the chosen one, the answers as large as ever.
    REQUIRE(kiosk.widget("language"));
    CHECK_FALSE(kiosk.widget("lang_en"));
    CHECK(kiosk.widget("accept")->rect.h >= normal_bar * 3 / 4);
    CHECK(kiosk.canvas().cramped().empty());
    CHECK(kiosk.canvas().off_screen().empty());
    kiosk.tap("accept");
    CHECK(kiosk.audited(R"("event":"accessibility","large_text":true)"));
    CHECK_FALSE(kiosk.audited("Marie"));
    kiosk.tap("end_session");
    kiosk.tap("end_now");
    kiosk.advance(std::chrono::seconds(30));
    REQUIRE(kiosk.app().top_name() == "attract");
    CHECK(kiosk.canvas().zoom() == 1.0);
    kiosk.tap("start");
    CHECK(kiosk.widget("lang_en"));
}

TEST_CASE("in large text the organisations turn in pages of tiles as large as ever, and each is on exactly one page")
{
    KioskFixture kiosk("sim", 1280, 800);
    kiosk.start_session();
    kiosk.tap("go_sites");
    auto all = partner_tiles(kiosk);
    REQUIRE(all.size() > 4);
    CHECK_FALSE(kiosk.widget("tiles_next")); // they all fit at the usual size
    int normal_h = kiosk.widget(all.front())->rect.h;
    choose_large_text(kiosk);
    REQUIRE(kiosk.app().top_name() == "sites");
    REQUIRE(kiosk.widget("tiles_next"));
    CHECK_FALSE(kiosk.widget("tiles_prev")->enabled);
    std::set<std::string> seen;
    size_t pages = 0;
    while (true) {
        auto page = partner_tiles(kiosk);
        REQUIRE(!page.empty());
        ++pages;
        for (auto const& id : page) {
            CHECK(seen.insert(id).second);
            // Larger than at the usual size: never shrunk to make room.
            CHECK(kiosk.widget(id)->rect.h >= normal_h * 2 / 3);
            CHECK(kiosk.widget(id)->rect.h >= kiosk.canvas().px(kiosk::ui::theme::min_target));
        }
        CHECK(kiosk.canvas().cramped().empty());
        CHECK(kiosk.canvas().off_screen().empty());
        if (!kiosk.widget("tiles_next")->enabled)
            break;
        kiosk.tap("tiles_next");
    }
    CHECK(pages > 1);
    CHECK(seen == std::set<std::string>(all.begin(), all.end()));
    // Back one page, and a tile of it opens its organisation.
    kiosk.tap("tiles_prev");
    auto page = partner_tiles(kiosk);
    REQUIRE(!page.empty());
    kiosk.tap(page.front());
    CHECK(kiosk.app().top_name() == "partner");
    // Back returns to the page the resident left.
    kiosk.tap("back");
    REQUIRE(kiosk.app().top_name() == "sites");
    CHECK(partner_tiles(kiosk) == page);
    // A new visit to the list starts on its first page.
    kiosk.tap("go_home");
    kiosk.tap("go_sites");
    CHECK_FALSE(kiosk.widget("tiles_prev")->enabled);
}

TEST_CASE("a button drawn where the session bar goes counts as hidden")
{
    KioskFixture kiosk("sim", 1280, 800);
    auto& c = kiosk.canvas();
    c.begin_frame();
    c.button("low", { 0, c.height() - c.px(100), c.px(300), c.px(100) }, "Bas", ButtonStyle::secondary);
    c.button("high", { 0, 0, c.px(300), c.px(100) }, "Haut", ButtonStyle::secondary);
    c.cover({ 0, c.height() - c.px(kiosk::ui::theme::session_bar), c.width(), c.px(kiosk::ui::theme::session_bar) });
    CHECK(c.off_screen() == std::vector<std::string> { "low (under a bar)" });
}

TEST_CASE("in large text the organisations to mark an identity copy for turn from the last place, each reachable")
{
    KioskFixture kiosk("sim", 1920, 1080, with_agent);
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    choose_large_text(kiosk);
    kiosk.present_badge("04A22B1A");
    for (char digit : std::string("246810"))
        kiosk.tap(std::string("pin_") + digit);
    kiosk.tap("pin_ok");
    REQUIRE(kiosk.app().top_name() == "assisted");
    kiosk.tap("id_capture");
    REQUIRE(kiosk.app().top_name() == "id_capture");
    // The agent's band over the session bar leaves two rows: the ninth organisation is behind "Autres organismes".
    REQUIRE(kiosk.widget("purposes_more"));
    std::set<std::string> seen;
    for (int turn = 0; turn < 3; ++turn) {
        for (Widget const& widget : kiosk.canvas().widgets())
            if (widget.id.starts_with("purpose_"))
                seen.insert(widget.id);
        CHECK(kiosk.canvas().off_screen().empty());
        CHECK(kiosk.canvas().cramped().empty());
        kiosk.tap("purposes_more");
    }
    CHECK(seen.count("purpose_francetravail") == 1);
    CHECK(seen.count("purpose_caf") == 1);
    CHECK(seen.size() == 9);
    // A purpose on a later screenful marks the copy as one on the first does.
    while (!kiosk.widget("purpose_justice"))
        kiosk.tap("purposes_more");
    kiosk.tap("purpose_justice");
    CHECK(kiosk.shows_text("justice.fr"));
    CHECK(kiosk.audited(R"("event":"watermark","partner":"justice")"));
}

TEST_CASE("in large text the technician's diagnostics turn in pages, what is wrong first, each test beside its device")
{
    KioskFixture kiosk("sim", 1920, 1080, [](kiosk::core::Config& config) {
        kiosk::ui::testing::add_agent(
            config, "tech", "Technicien", kiosk::core::AgentRole::technician, "888888", "04C0FFEE");
        config.devices.printer += ",toner=8"; // a cartridge nearly empty: something to put first
    });
    kiosk.start_session();
    choose_large_text(kiosk);
    open_diagnostics(kiosk);
    REQUIRE(kiosk.widget("diagnostics_next"));
    CHECK_FALSE(kiosk.widget("diagnostics_prev")->enabled);
    std::vector<std::string> const devices { "Scanner", "Imprimante", "Consommables", "Lecteur de carte", "Navigateur",
        "Prise casque", "Journal", "Système", "Stockage des sessions", "Réseau" };
    // Which test goes with which device: on the same page, at the end of its row.
    std::map<std::string, std::string> const tests { { "Scanner", "diag_test_scan" },
        { "Imprimante", "diag_test_print" }, { "Réseau", "diag_network" } };
    std::map<std::string, int> page_of;
    int page = 0;
    while (true) {
        ++page;
        auto const& texts = kiosk.canvas().texts();
        for (auto const& device : devices)
            if (std::ranges::count(texts, device) == 1)
                CHECK(page_of.emplace(device, page).second);
        for (auto const& [device, test] : tests)
            CHECK((kiosk.widget(test) != nullptr) == (page_of.contains(device) && page_of.at(device) == page));
        CHECK(kiosk.canvas().cramped().empty());
        CHECK(kiosk.canvas().off_screen().empty());
        if (!kiosk.widget("diagnostics_next")->enabled)
            break;
        kiosk.tap("diagnostics_next");
    }
    CHECK(page > 1);
    CHECK(page_of.size() == devices.size());
    CHECK(page_of["Consommables"] == 1);
    // Left on the last page without a test, and back another time: the first page again, where what is wrong is.
    kiosk.tap("back");
    open_diagnostics(kiosk);
    CHECK_FALSE(kiosk.widget("diagnostics_prev")->enabled);
    // A test from its row, on the page it is on.
    while (!kiosk.widget("diag_test_print") && kiosk.widget("diagnostics_next")->enabled)
        kiosk.tap("diagnostics_next");
    REQUIRE(kiosk.widget("diag_test_print"));
    kiosk.tap("diag_test_print");
    CHECK(kiosk.audited("\"event\":\"test_print\",\"ok\":true"));
    CHECK(kiosk.widget("diag_test_print"));
}

TEST_CASE("in large text a test's row moves with its outcome, and the diagnostics' page follows it")
{
    // Three things wrong before the scanner's row: a jammed printer, its toner, a sound card that is not there.
    KioskFixture kiosk("sim:fail=jammed", 1920, 1080, [](kiosk::core::Config& config) {
        kiosk::ui::testing::add_agent(
            config, "tech", "Technicien", kiosk::core::AgentRole::technician, "888888", "04C0FFEE");
        config.devices.printer += ",toner=8,condition=jam";
        config.devices.headset = "alsa:ctl=kiosk_no_such_card";
    });
    kiosk.start_session();
    choose_large_text(kiosk);
    open_diagnostics(kiosk);
    REQUIRE_FALSE(kiosk.widget("diag_test_scan")); // the scanner answers: its row is after what is wrong
    while (!kiosk.widget("diag_test_scan") && kiosk.widget("diagnostics_next")->enabled)
        kiosk.tap("diagnostics_next");
    REQUIRE(kiosk.widget("diag_test_scan"));
    REQUIRE(kiosk.widget("diagnostics_prev")->enabled);
    // The preview fails on the jam: the scanner's row goes first, and the page with it.
    kiosk.tap("diag_test_scan");
    kiosk.settle();
    CHECK(kiosk.audited("\"event\":\"test_scan\",\"ok\":false"));
    CHECK(kiosk.widget("diag_test_scan"));
    CHECK_FALSE(kiosk.widget("diagnostics_prev")->enabled);
    // Turning a page is the technician's choice again: the page stays where they turn it.
    kiosk.tap("diagnostics_next");
    CHECK_FALSE(kiosk.widget("diag_test_scan"));
    CHECK(kiosk.widget("diagnostics_prev")->enabled);
}
