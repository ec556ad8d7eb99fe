// The task-first journeys of issue 13: home's four actions, the send journey (organisation, scan, site with the
// document ready), the next steps after every scan, and the plain, safe words around them.
#include "drivers/browser/sim/sim_browser.h"
#include "kiosk/documents/text_pdf.h"
#include "tests/support/temp_dir.h"
#include "tests/support/virtual_printer.h"
#include "tests/ui/kiosk_fixture.h"

#include <fstream>
#include <set>

using namespace kiosk;
using kiosk::tests::TempDir;
using kiosk::tests::VirtualPrinter;
using kiosk::ui::Widget;
using kiosk::ui::testing::KioskFixture;

namespace {

// How many texts on screen are exactly this one ("Photocopie" the title, not inside "Photocopier").
int shown_exactly(KioskFixture& kiosk, std::string const& wanted)
{
    return static_cast<int>(std::ranges::count(kiosk.canvas().texts(), wanted));
}

std::string ticket(KioskFixture& kiosk, int job)
{
    auto bytes = KioskFixture::read_file(kiosk.printed_dir() / ("job-" + std::to_string(job) + ".ticket"));
    return { bytes.begin(), bytes.end() };
}

} // namespace

TEST_CASE("home leads with four actions with their pictures; the sites and life events are one level down")
{
    KioskFixture kiosk;
    kiosk.start_session();
    for (auto const* id : { "task_send", "go_forms", "go_scan", "go_sites", "go_tray", "go_events" })
        CHECK(kiosk.widget(id));
    CHECK(kiosk.shows_text("Envoyer un document à un organisme"));
    CHECK(kiosk.shows_text("Imprimer un formulaire"));
    CHECK(kiosk.shows_text("Scanner / Photocopier"));
    CHECK(kiosk.shows_text("Aller sur le site de…"));
    // The organisations and the events are behind their own action, not crowded onto home.
    CHECK_FALSE(kiosk.widget("partner_caf"));
    CHECK_FALSE(kiosk.widget("event_demenagement"));
    kiosk.tap("go_sites");
    CHECK(kiosk.app().top_name() == "sites");
    CHECK(kiosk.widget("partner_caf"));
    CHECK_FALSE(kiosk.widget("partner_email")); // a service of a life event, not an organisation
    kiosk.tap("back");
    kiosk.tap("go_events");
    CHECK(kiosk.app().top_name() == "events");
    CHECK(kiosk.widget("event_demenagement"));
    CHECK(kiosk.widget("event_email"));
}

TEST_CASE("a double tap acts once: the second touch waits for the screen the first one opened")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_sites");
    kiosk.tap("partner_caf");
    REQUIRE(kiosk.app().top_name() == "partner");
    auto const* back = kiosk.widget("back");
    REQUIRE(back);
    int x = back->rect.x + back->rect.w / 2;
    int y = back->rect.y + back->rect.h / 2;
    // Two touches on Back before the kiosk draws again: one step back, not two.
    kiosk.app().tap(x, y);
    kiosk.app().tap(x, y);
    kiosk.settle();
    CHECK(kiosk.app().top_name() == "sites");
    // Once the new screen is drawn, the next touch acts on it.
    kiosk.app().draw();
    kiosk.app().tap(x, y);
    kiosk.settle();
    CHECK(kiosk.app().top_name() == "home");
    // Touches that leave the screen as it is are not held back: two "+" in one frame count twice.
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    kiosk.tap("next_print");
    REQUIRE(kiosk.app().top_name() == "print");
    auto const* plus = kiosk.widget("copies_plus");
    REQUIRE(plus);
    kiosk.app().tap(plus->rect.x + plus->rect.w / 2, plus->rect.y + plus->rect.h / 2);
    kiosk.app().tap(plus->rect.x + plus->rect.w / 2, plus->rect.y + plus->rect.h / 2);
    kiosk.settle();
    CHECK(kiosk.shows_text("3"));
    CHECK(kiosk.shows_text("Pages à imprimer : 3. Il vous en reste : 20."));
}

TEST_CASE("the send journey: organisation, scan, site with the document named as ready, in six taps")
{
    KioskFixture kiosk;
    kiosk.start_session();
    int taps = 0;
    auto tap = [&](char const* id) {
        kiosk.tap(id);
        ++taps;
    };
    tap("task_send");
    CHECK(kiosk.app().top_name() == "send");
    tap("send_dgfip");
    CHECK(kiosk.app().top_name() == "scan");
    CHECK(kiosk.shows_text("Scanner un document pour le site impots.gouv"));
    // No colour question for a document going to a site, and no photocopy: one way on.
    CHECK_FALSE(kiosk.widget("mode_color"));
    CHECK_FALSE(kiosk.widget("copy_start"));
    tap("scan_start");
    REQUIRE(kiosk.app().tray().size() == 1);
    CHECK(kiosk.shows_text("Envoyer sur le site impots.gouv"));
    tap("next_send");
    REQUIRE(kiosk.app().top_name() == "browser");
    CHECK(kiosk.shows_text("« Scan 1 » est prêt. Touchez-le quand le site le demande."));
    CHECK(kiosk.sim().current()->url.find("impots.gouv.fr") != std::string::npos);
    CHECK(kiosk.audited(R"("event":"send_journey","pages":1)"));

    tap("sim_file_input");
    CHECK(kiosk.app().top_name() == "upload_picker");
    tap("upload_doc_1");
    CHECK(kiosk.app().top_name() == "browser");
    REQUIRE(kiosk.sim().given_files().size() == 1);
    CHECK(kiosk.sim().given_files()[0].filename() == "Scan-1.pdf"); // impots.gouv takes PDF: no question asked
    CHECK(taps <= 6);
    // The site has it: the banner has done its work.
    CHECK_FALSE(kiosk.shows_text("est prêt. Touchez-le quand le site le demande"));
    CHECK(kiosk.shows_text("« Scan 1 » est ajouté au formulaire du site"));
}

TEST_CASE("the picker opens on the screenful of the journey's document, even behind others")
{
    KioskFixture kiosk("sim:pages=1");
    kiosk.start_session();
    kiosk.tap("go_scan");
    for (int i = 0; i < 5; ++i) {
        kiosk.tap("scan_start");
        kiosk.tap("source_flatbed"); // a setting after a scan starts a new document
    }
    REQUIRE(kiosk.app().tray().size() == 5);
    kiosk.tap("go_home");
    kiosk.tap("task_send");
    kiosk.tap("send_caf");
    kiosk.tap("scan_start");
    kiosk.tap("next_send");
    REQUIRE(kiosk.sim().simulate_file_request(false, { "application/pdf" }));
    kiosk.settle();
    kiosk.app().draw();
    REQUIRE(kiosk.app().top_name() == "upload_picker");
    // Four tiles a screenful: the sixth document is on the second, which the picker opens at.
    CHECK(kiosk.widget("upload_doc_6"));
    CHECK_FALSE(kiosk.widget("upload_doc_1"));
}

TEST_CASE("the journey is forgotten at home: a scan from home is a plain scan again")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("task_send");
    kiosk.tap("send_caf");
    CHECK(kiosk.shows_text("Scanner un document pour le site CAF"));
    kiosk.tap("go_home");
    kiosk.tap("go_scan");
    CHECK_FALSE(kiosk.shows_text("Scanner un document pour le site CAF"));
    kiosk.tap("scan_start");
    CHECK(kiosk.shows_text("Envoyer sur un site"));
    CHECK_FALSE(kiosk.shows_text("Envoyer sur le site CAF"));
    // Send without an organisation chosen: the organisation is asked, and the site opens with the document.
    kiosk.tap("next_send");
    CHECK(kiosk.app().top_name() == "send");
    CHECK(kiosk.shows_text("La borne prépare « Scan 1 » pour son site."));
    kiosk.tap("send_cpam");
    CHECK(kiosk.app().top_name() == "browser");
    CHECK(kiosk.shows_text("« Scan 1 » est prêt. Touchez-le quand le site le demande."));
}

TEST_CASE("a partner's 'scan first' leads to a scan for that partner and back to its site")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_sites");
    kiosk.tap("partner_msa");
    kiosk.tap("go_scan");
    CHECK(kiosk.shows_text("Scanner un document pour le site MSA"));
    kiosk.tap("scan_start");
    kiosk.tap("next_send");
    CHECK(kiosk.app().top_name() == "browser");
    CHECK(kiosk.sim().current()->url.find("msa.fr") != std::string::npos);
}

TEST_CASE("every scan ends with its next steps; another page joins the same document; the glass is remembered")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_scan");
    CHECK(kiosk.widget("scan_start"));
    CHECK_FALSE(kiosk.widget("next_print"));
    kiosk.tap("scan_start");
    CHECK_FALSE(kiosk.widget("scan_start"));
    CHECK(kiosk.widget("next_send"));
    CHECK(kiosk.widget("next_print"));
    CHECK(kiosk.widget("next_more"));
    CHECK(kiosk.shows_text("Reprenez votre document sur la vitre."));

    kiosk.tap("next_more");
    CHECK(kiosk.shows_text("Scanner la page suivante"));
    CHECK_FALSE(kiosk.shows_text("Reprenez votre document sur la vitre."));
    kiosk.tap("scan_start");
    REQUIRE(kiosk.app().tray().size() == 1);
    CHECK(kiosk.app().tray().front().pages.size() == 2);

    kiosk.tap("next_print");
    CHECK(kiosk.app().top_name() == "print");
    CHECK(kiosk.shows_text("Scan 1 — 2 pages"));
    kiosk.tap("back");

    // From the feeder the sheets come out by themselves: no reminder.
    kiosk.tap("source_adf");
    CHECK(kiosk.widget("scan_start"));
    kiosk.tap("scan_start");
    CHECK(kiosk.app().tray().size() == 2);
    CHECK(kiosk.widget("next_print"));
    CHECK_FALSE(kiosk.shows_text("Reprenez votre document sur la vitre."));
}

TEST_CASE("a scan stopped or failed offers no next step for pages that are not there")
{
    KioskFixture kiosk("sim:pages=3,fail_after=1,fail=jammed");
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("source_adf");
    kiosk.tap("scan_start");
    CHECK(kiosk.app().top_name() == "message");
    kiosk.tap("close_overlay");
    // The page scanned before the jam is kept, and the Scan button is there to try again.
    CHECK(kiosk.widget("scan_start"));
    CHECK_FALSE(kiosk.widget("next_send"));
}

TEST_CASE(
    "a photocopy from the scan screen goes to the printer in grey, the default; choices do not outlive the session")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("copy_start");
    REQUIRE(kiosk.app().top_name() == "print");
    kiosk.tap("print_start");
    CHECK(ticket(kiosk, 1).find("gray=1") != std::string::npos);
    // This resident wants colour, from the feeder.
    kiosk.tap("go_home");
    kiosk.tap("go_scan");
    kiosk.tap("source_adf");
    kiosk.tap("copy_start");
    kiosk.tap("print_color");
    kiosk.tap("print_start");
    CHECK(ticket(kiosk, 2).find("gray=0") != std::string::npos);
    kiosk.tap("end_session");
    kiosk.tap("end_now");
    CHECK(kiosk.app().top_name() == "attract");

    // The next resident starts from the glass and grey prints, whatever the last one chose.
    kiosk.start_session();
    kiosk.tap("go_scan");
    CHECK(kiosk.shows_text("Posez votre document face vers le bas, puis touchez Scanner."));
    kiosk.tap("copy_start");
    kiosk.tap("print_start");
    CHECK(ticket(kiosk, 3).find("gray=1") != std::string::npos);
}

TEST_CASE("the session ends on 'Tout est effacé', which goes by itself")
{
    KioskFixture kiosk;
    kiosk.start_session();
    CHECK(kiosk.shows_text("Terminer et tout effacer"));
    CHECK_FALSE(kiosk.shows_text("Tout est effacé"));
    kiosk.tap("end_session");
    kiosk.tap("end_now");
    REQUIRE(kiosk.app().top_name() == "attract");
    CHECK(kiosk.shows_text("Tout est effacé ✓"));
    CHECK(kiosk.app().wait_hint_ms() > 0); // the screen wakes to take it away
    kiosk.advance(std::chrono::seconds(9));
    CHECK_FALSE(kiosk.shows_text("Tout est effacé"));
}

TEST_CASE("'Appeler un agent' says what is true: no agent is reached from this kiosk yet")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("call_agent");
    CHECK(kiosk.app().top_name() == "agent_called");
    CHECK(kiosk.shows_text("Demandez à l'accueil"));
    CHECK_FALSE(kiosk.shows_text("Un agent a été prévenu"));
    CHECK_FALSE(kiosk.shows_text("Un agent arrive"));
}

TEST_CASE("deleting asks with the document's name")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    kiosk.tap("go_tray");
    kiosk.tap("delete_doc");
    CHECK(kiosk.app().top_name() == "confirm_delete");
    CHECK(kiosk.shows_text("Supprimer « Scan 1 » ?"));
    kiosk.tap("close_overlay");
    CHECK(kiosk.app().tray().size() == 1);
}

namespace {

// A copy of the shipped assets, with the official files the content team would add next to the forms index.
struct AssetsWithFiles {
    std::filesystem::path dir;
    explicit AssetsWithFiles(std::filesystem::path const& base)
        : dir(base)
    {
        std::filesystem::copy(
            std::filesystem::path(KIOSK_SOURCE_DIR) / "assets", dir, std::filesystem::copy_options::recursive);
    }
    void add(std::string const& name, std::vector<uint8_t> const& bytes) const
    {
        std::ofstream(dir / "forms" / name, std::ios::binary)
            .write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
};

// Turns the forms screen's screenfuls until the form's tile shows.
Widget const* find_form(KioskFixture& kiosk, std::string const& id)
{
    while (kiosk.app().top_name() == "forms") {
        if (auto const* tile = kiosk.widget(id))
            return tile;
        if (auto const* previous = kiosk.widget("forms_prev"); previous && previous->enabled)
            kiosk.tap("forms_prev");
        else
            break;
    }
    while (kiosk.app().top_name() == "forms") {
        if (auto const* tile = kiosk.widget(id))
            return tile;
        auto const* next = kiosk.widget("forms_next");
        if (!next || !next->enabled)
            return nullptr;
        kiosk.tap("forms_next");
    }
    return nullptr;
}

} // namespace

TEST_CASE("a partner's page lists its forms; an official form missing from the kiosk is greyed with where to get it")
{
    TempDir base("kiosk-forms");
    AssetsWithFiles assets(base.path() / "assets");
    // The RSA form is supplied (any real PDF stands for the official one); the housing-aid file is damaged.
    auto pdf = documents::write_text_pdf({ { documents::TextBlock::Kind::title, "Demande de RSA" } }, "RSA");
    REQUIRE(pdf);
    assets.add("cerfa_15481.pdf", *pdf);
    assets.add("cerfa_10840.pdf", { '%', 'P', 'D', 'F', '-', '1', '.', '4', '\n', 'x' });
    {
        KioskFixture kiosk("sim", 1920, 1080, [&](core::Config& config) { config.assets_dir = assets.dir; });
        kiosk.start_session();
        kiosk.tap("go_sites");
        kiosk.tap("partner_caf");
        // Counted: the forms this kiosk can print (its 4 sheets and the supplied RSA form, not the damaged file).
        CHECK(kiosk.shows_text("Ses formulaires (5)"));
        REQUIRE(kiosk.widget("go_forms"));
        kiosk.tap("go_forms");
        CHECK(kiosk.shows_text("Formulaires : CAF"));
        // Only CAF's forms: the tax return is the tax office's.
        CHECK(find_form(kiosk, "form_attestation_honneur"));
        CHECK_FALSE(find_form(kiosk, "form_cerfa_10330"));
        auto const* housing = find_form(kiosk, "form_cerfa_10840");
        REQUIRE(housing);
        CHECK_FALSE(housing->enabled); // damaged: said before the tap, not after
        CHECK(kiosk.shows_text("Pas sur cette borne : demandez-le à l'accueil."));
        auto const* rsa = find_form(kiosk, "form_cerfa_15481");
        REQUIRE(rsa);
        CHECK(rsa->enabled);
        CHECK(kiosk.shows_text("cerfa n° 15481*01"));

        kiosk.tap("form_cerfa_15481");
        CHECK(kiosk.app().top_name() == "print");
        CHECK(kiosk.shows_text("Demande de revenu de solidarité active (RSA) — 1 page"));
        kiosk.tap("back");
        CHECK(kiosk.app().top_name() == "forms");

        // The file goes away while the screen shows (a configuration update): plain words, nothing printed.
        std::filesystem::remove(assets.dir / "forms" / "cerfa_15481.pdf");
        kiosk.tap("form_cerfa_15481");
        CHECK(kiosk.app().top_name() == "message");
        CHECK(kiosk.shows_text("Ce formulaire n'est pas sur cette borne. Demandez-le à l'accueil"));
        CHECK(kiosk.audited(R"("event":"form_unavailable")"));
        CHECK(kiosk.app().tray().size() == 1); // the RSA form taken before is still in the tray
    }
}

TEST_CASE("a life event lists its forms; from home every form is reached a screenful at a time")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_events");
    kiosk.tap("event_deces");
    kiosk.tap("go_forms");
    CHECK(find_form(kiosk, "form_cerfa_10431")); // the death grant
    CHECK_FALSE(find_form(kiosk, "form_attestation_honneur"));
    kiosk.tap("go_home");
    kiosk.tap("go_forms");
    CHECK(kiosk.shows_text("Imprimer un formulaire"));
    std::set<std::string> seen;
    for (int turn = 0; turn < 10; ++turn) {
        for (auto const& widget : kiosk.canvas().widgets())
            if (widget.id.starts_with("form_"))
                seen.insert(widget.id);
        auto const* next = kiosk.widget("forms_next");
        if (!next || !next->enabled)
            break;
        kiosk.tap("forms_next");
    }
    CHECK(seen.size() == 16); // every form of the index, none dropped for lack of room
}

TEST_CASE("a printer that cannot print says why on the Print button, before the tap, and comes back by itself")
{
    VirtualPrinter virtual_printer;
    REQUIRE(virtual_printer.started());
    KioskFixture kiosk(
        "sim", 1920, 1080, [&](core::Config& config) { config.devices.printer = virtual_printer.driver_string(); });
    kiosk.start_session();
    kiosk.tap("go_forms");
    REQUIRE(virtual_printer.run("kill-cupsd"));
    kiosk.tap("form_attestation_honneur");
    REQUIRE(kiosk.app().top_name() == "print");
    CHECK_FALSE(kiosk.widget("print_start")->enabled);
    CHECK(kiosk.shows_text("L'imprimante ne répond pas. Appelez un agent."));
    // The print server is back: within a few seconds, with no tap, the button is back.
    REQUIRE(virtual_printer.run("start-cupsd"));
    bool back = false;
    for (int i = 0; i < 30 && !back; ++i) {
        kiosk.advance(std::chrono::seconds(1));
        back = kiosk.widget("print_start")->enabled;
    }
    CHECK(back);
    CHECK_FALSE(kiosk.shows_text("L'imprimante ne répond pas."));
    kiosk.tap("print_start");
    CHECK(kiosk.app().tray().size() == 1);
}

TEST_CASE("a document deleted half-way through a journey takes its next steps and its banner with it")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("task_send");
    kiosk.tap("send_caf");
    kiosk.tap("scan_start");
    REQUIRE(kiosk.widget("next_send"));
    kiosk.tap("go_tray");
    kiosk.tap("delete_doc");
    kiosk.tap("confirm_delete");
    REQUIRE(kiosk.app().tray().empty());
    kiosk.tap("back");
    REQUIRE(kiosk.app().top_name() == "scan");
    // No "Envoyer sur le site CAF" for a document that is no longer there: the Scan button is back.
    CHECK_FALSE(kiosk.widget("next_send"));
    CHECK(kiosk.widget("scan_start"));
    CHECK_FALSE(kiosk.shows_text("1 page ajoutée"));
}

TEST_CASE("after a photocopy the scan screen is the scan screen again, and the journey ends with the session")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("copy_start");
    REQUIRE(kiosk.app().top_name() == "print");
    kiosk.tap("back");
    // The title says "Scanner", not "Photocopie"; one "Photocopier", on its own button; the Scan button scans.
    CHECK(shown_exactly(kiosk, "Photocopie") == 0);
    CHECK(shown_exactly(kiosk, "Photocopier") == 1);
    kiosk.tap("go_home");
    kiosk.tap("task_send");
    kiosk.tap("send_dgfip");
    kiosk.tap("end_session");
    kiosk.tap("end_now");
    kiosk.start_session();
    kiosk.tap("go_scan");
    CHECK_FALSE(kiosk.shows_text("pour impots.gouv"));
}

TEST_CASE("a page offers forms only when the kiosk can print some of them")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_sites");
    kiosk.tap("partner_ants");
    // ANTS's two forms are official files this kiosk does not have: no button that leads to nothing but grey.
    CHECK_FALSE(kiosk.widget("go_forms"));
    CHECK(kiosk.widget("open_site"));
    kiosk.tap("back");
    kiosk.tap("partner_caf");
    CHECK(kiosk.shows_text("Ses formulaires (4)"));
}

TEST_CASE("a photocopy stopped, jammed or left keeps the scan screen a scan screen; from the glass, the original is "
          "remembered")
{
    SECTION("stopped")
    {
        KioskFixture kiosk("sim:pages=5,delay_ms=300");
        kiosk.start_session();
        kiosk.tap("go_scan");
        kiosk.tap("source_adf");
        kiosk.tap_only("copy_start");
        kiosk.tap("scan_cancel");
        REQUIRE(kiosk.app().top_name() == "scan");
        CHECK(shown_exactly(kiosk, "Photocopie") == 0);
        CHECK(shown_exactly(kiosk, "Photocopier") == 1);
    }
    SECTION("jammed")
    {
        KioskFixture kiosk("sim:pages=5,fail_after=1,fail=jammed");
        kiosk.start_session();
        kiosk.tap("go_scan");
        kiosk.tap("source_adf");
        kiosk.tap("copy_start");
        CHECK(kiosk.app().top_name() == "message");
        kiosk.tap("close_overlay");
        CHECK(shown_exactly(kiosk, "Photocopier") == 1);
    }
    SECTION("from the glass, printed")
    {
        KioskFixture kiosk;
        kiosk.start_session();
        kiosk.tap("go_scan");
        kiosk.tap("copy_start");
        REQUIRE(kiosk.app().top_name() == "print");
        CHECK(kiosk.shows_text("Reprenez votre document sur la vitre."));
    }
}
