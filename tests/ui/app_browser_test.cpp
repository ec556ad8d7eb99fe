// The kiosk's side of a partner site on the simulated browser: the upload picker (what each document can become
// for the page, preparing it under the partner's limit, cancelling), the on-screen keyboard over the page, and
// Back through the visit's pages.
#include "drivers/browser/sim/sim_browser.h"
#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf.h"
#include "kiosk/documents/pdf_render.h"
#include "kiosk/ui/upload.h"
#include "tests/support/encrypted_pdf.h"
#include "tests/ui/kiosk_fixture.h"

using namespace kiosk;
using kiosk::ui::testing::KioskFixture;

namespace {

// A session with a one-page scan and a three-page feeder scan, on a partner's site.
void on_site_with_scans(KioskFixture& kiosk, std::string const& partner = "caf")
{
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    kiosk.tap("source_adf");
    kiosk.tap("scan_start");
    REQUIRE(kiosk.app().tray().size() == 2);
    kiosk.tap("go_home");
    kiosk.tap("go_sites");
    kiosk.tap("partner_" + partner);
    kiosk.tap("open_site");
    REQUIRE(kiosk.app().top_name() == "browser");
}

std::vector<uint8_t> read(std::filesystem::path const& path)
{
    return KioskFixture::read_file(path);
}

} // namespace

TEST_CASE("a page's file input opens the kiosk's picker, and the chosen scan reaches the page under its own name")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    kiosk.tap("sim_file_input");
    REQUIRE(kiosk.app().top_name() == "upload_picker");
    CHECK(kiosk.app().covers_browser()); // the kiosk's window comes in front of the page
    CHECK(kiosk.shows_text("CAF accepte : PDF ou image JPEG, jusqu'à 5 Mo."));
    CHECK(kiosk.shows_text("Scan 1"));
    CHECK(kiosk.shows_text("3 pages"));
    REQUIRE(kiosk.widget("upload_doc_2"));
    CHECK(kiosk.widget("upload_doc_2")->enabled);

    kiosk.tap("upload_doc_2");
    CHECK(kiosk.app().top_name() == "browser");
    auto const& given = kiosk.sim().given_files();
    REQUIRE(given.size() == 1);
    CHECK(given[0].filename() == "Scan-2.pdf");
    auto pdf = read(given[0]);
    CHECK(pdf.size() <= 5'000'000);
    auto info = documents::inspect_pdf(pdf);
    REQUIRE(info);
    CHECK(info->pages == 3);
    CHECK(kiosk.shows_text("« Scan 2 » est ajouté au formulaire du site"));
    // Only the copy the page was given is in the uploads folder: the prepared file was removed.
    for (auto const& entry :
        std::filesystem::recursive_directory_iterator(kiosk.app().vault()->directory() / "uploads"))
        if (entry.is_regular_file())
            CHECK(entry.path() == given[0]);
}

TEST_CASE("what a document can become follows the page's input and the partner's rules")
{
    SECTION("an input that takes one image: a one-page scan becomes a JPEG, a three-page one is refused in plain words")
    {
        KioskFixture kiosk("sim:pages=3");
        on_site_with_scans(kiosk);
        REQUIRE(kiosk.sim().simulate_file_request(false, { "image/jpeg" }));
        kiosk.settle();
        REQUIRE(kiosk.app().top_name() == "upload_picker");
        CHECK_FALSE(kiosk.widget("upload_doc_2")->enabled);
        CHECK(kiosk.shows_text("Ce site veut une seule image : ce document a 3 pages."));
        kiosk.tap("upload_doc_1");
        REQUIRE(kiosk.sim().given_files().size() == 1);
        CHECK(kiosk.sim().given_files()[0].filename() == "Scan-1.jpg");
        auto jpeg = read(kiosk.sim().given_files()[0]);
        CHECK((jpeg.size() > 3 && jpeg[0] == 0xFF && jpeg[1] == 0xD8));
    }
    SECTION("justice.fr takes PDF only: an input for images has nothing to offer")
    {
        KioskFixture kiosk("sim:pages=3");
        on_site_with_scans(kiosk, "justice");
        REQUIRE(kiosk.sim().simulate_file_request(false, { "image/*" }));
        kiosk.settle();
        CHECK_FALSE(kiosk.widget("upload_doc_1")->enabled);
        CHECK(kiosk.shows_text("Ce site n'accepte pas ce type de document."));
        kiosk.tap("upload_cancel");
        CHECK(kiosk.app().top_name() == "browser");
    }
    SECTION("a downloaded attestation is given as it is when it fits")
    {
        KioskFixture kiosk("sim:pages=3");
        on_site_with_scans(kiosk);
        kiosk.tap("sim_download");
        kiosk.settle();
        REQUIRE(kiosk.app().tray().size() == 3);
        kiosk.tap("sim_file_input");
        kiosk.tap("upload_doc_3");
        REQUIRE(kiosk.sim().given_files().size() == 1);
        auto given = read(kiosk.sim().given_files()[0]);
        auto stored = kiosk.app().vault()->read(kiosk.app().tray()[2].pdf_vault_name);
        REQUIRE(stored);
        CHECK(given == *stored);
    }
}

TEST_CASE("the resident can send nothing, and a request the page dropped is not answered")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    kiosk.tap("sim_file_input");
    kiosk.tap("upload_cancel");
    CHECK(kiosk.app().top_name() == "browser");
    CHECK(kiosk.sim().given_files().empty());
    std::ofstream(kiosk.runtime_dir().parent_path() / "x.pdf") << "%PDF-1.4\n";
    // The request was cancelled at the page: a real file is refused for it.
    CHECK_FALSE(kiosk.sim().provide_files(1, { { kiosk.runtime_dir().parent_path() / "x.pdf", "x" } }));
    // The page asks again, then the resident leaves the site: the request goes with the page.
    kiosk.tap("sim_file_input");
    REQUIRE(kiosk.app().top_name() == "upload_picker");
    kiosk.tap("go_home");
    CHECK(kiosk.app().top_name() == "home");
    CHECK_FALSE(kiosk.app().browser()->is_open());
}

TEST_CASE("a document too big for the partner even at the legibility floor is refused in plain words, and the choice "
          "stays open")
{
    // The shipped assets, with CAF's limit lowered to 1 MB: ten colour feeder pages do not fit at the floor.
    char pattern[] = "/tmp/kiosk-assets-XXXXXX";
    REQUIRE(::mkdtemp(pattern));
    std::filesystem::path assets = std::filesystem::path(pattern) / "assets";
    std::filesystem::copy(
        std::filesystem::path(KIOSK_SOURCE_DIR) / "assets", assets, std::filesystem::copy_options::recursive);
    {
        std::ifstream in(assets / "catalogue.toml");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto caf = text.find("slug = \"caf\"");
        auto limit = text.find("max_mb = 5", caf);
        REQUIRE(limit != std::string::npos);
        text.replace(limit, 10, "max_mb = 1");
        std::ofstream(assets / "catalogue.toml") << text;
    }
    {
        KioskFixture kiosk("sim:pages=10", 1920, 1080, [&](core::Config& config) { config.assets_dir = assets; });
        kiosk.start_session();
        kiosk.tap("go_scan");
        kiosk.tap("source_adf");
        kiosk.tap("mode_color");
        kiosk.tap("scan_start");
        kiosk.tap("go_home");
        kiosk.tap("go_sites");
        kiosk.tap("partner_caf");
        kiosk.tap("open_site");
        kiosk.tap("sim_file_input");
        CHECK(kiosk.shows_text("jusqu'à 1 Mo"));
        kiosk.tap("upload_doc_1");
        REQUIRE(kiosk.app().top_name() == "message");
        CHECK(kiosk.shows_text("Ce document est trop gros : plus de 1 Mo, même réduit."));
        kiosk.tap("close_overlay");
        CHECK(kiosk.app().top_name() == "upload_picker");
        CHECK(kiosk.sim().given_files().empty());
        CHECK(kiosk.audited(R"("event":"upload","ok":false)"));
    }
    std::filesystem::remove_all(pattern);
}

TEST_CASE("a long downloaded PDF is not drawn again page by page: the resident is told, before anything runs")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    documents::Image white { 105, 148, 1, 18, std::vector<uint8_t>(105 * 148, 255) };
    auto jpeg = documents::encode_jpeg(white, 80);
    REQUIRE(jpeg);
    std::vector<documents::PdfPage> pages(ui::max_redrawn_pages + 5, documents::PdfPage { *jpeg, 105, 148, 1, 18 });
    auto pdf = documents::assemble_pdf(pages);
    REQUIRE(pdf);
    REQUIRE(kiosk.sim().simulate_download("releve-annuel.pdf", *pdf));
    kiosk.settle();
    REQUIRE(kiosk.app().tray().size() == 3);
    // The page takes images only: the PDF would have to be drawn again, every page of it.
    REQUIRE(kiosk.sim().simulate_file_request(true, { "image/jpeg" }));
    kiosk.settle();
    kiosk.tap("upload_doc_3");
    CHECK(kiosk.app().top_name() == "message");
    CHECK(kiosk.shows_text("Ce PDF a trop de pages (25)"));
    CHECK(kiosk.sim().given_files().empty());
}

TEST_CASE("a downloaded PDF that forbids printing is kept and can be sent, and Print refuses it as kiosk print does")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    auto pdf = tests::encrypted_pdf(2, "", false);
    // The one verdict, the one `kiosk print` gives too.
    REQUIRE_FALSE(documents::inspect_pdf_for_print(pdf));
    REQUIRE(kiosk.sim().simulate_download("attestation.pdf", pdf));
    kiosk.settle();
    REQUIRE(kiosk.app().tray().size() == 3);
    auto const& document = kiosk.app().tray().back();
    CHECK(document.pdf_readable);
    CHECK_FALSE(document.pdf_printable);
    CHECK(document.page_count() == 2);
    // Uploading is not printing: a site may still have it.
    REQUIRE(kiosk.sim().simulate_file_request(false, { "application/pdf" }));
    kiosk.settle();
    REQUIRE(kiosk.widget("upload_doc_3"));
    CHECK(kiosk.widget("upload_doc_3")->enabled);
    kiosk.tap("upload_cancel");
    kiosk.tap("go_home");
    kiosk.tap("go_tray");
    kiosk.tap("print_doc");
    // Said on the button before the tap, and refused if tapped all the same.
    REQUIRE(kiosk.widget("print_start"));
    CHECK_FALSE(kiosk.widget("print_start")->enabled);
    CHECK(kiosk.shows_text("PDF protégé par son auteur : impression interdite"));
    CHECK_FALSE(kiosk.app().tap_widget("print_start"));
    kiosk.settle();
    CHECK(kiosk.app().top_name() == "print");
    CHECK(kiosk.app().store().pages_printed() == 0);
}

TEST_CASE(
    "a downloaded file's long name, with spaces, quotes and accents, is cut to a document name between characters")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    documents::Image white { 105, 148, 1, 18, std::vector<uint8_t>(105 * 148, 255) };
    auto jpeg = documents::encode_jpeg(white, 80);
    REQUIRE(jpeg);
    std::vector<documents::PdfPage> pages(1, documents::PdfPage { *jpeg, 105, 148, 1, 18 });
    auto pdf = documents::assemble_pdf(pages);
    REQUIRE(pdf);
    // 40 characters kept (the "é" two bytes each, counted once), the rest cut.
    std::string name = "Attestation \"CAF\" d'allocations 2026 é-décembre-complément";
    REQUIRE(kiosk.sim().simulate_download(name + ".pdf", *pdf));
    kiosk.settle();
    REQUIRE(kiosk.app().tray().size() == 3);
    CHECK(kiosk.app().tray().back().name == "Attestation \"CAF\" d'allocations 2026 é-d");
}

TEST_CASE("a focused field brings the keyboard, the page moves up, and the keys reach the page")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    auto full = kiosk.sim().area();
    REQUIRE(full);
    kiosk.tap("sim_email_field");
    REQUIRE(kiosk.widget("wk_at"));
    REQUIRE(kiosk.widget("wk_dotfr"));
    auto shrunk = kiosk.sim().area();
    REQUIRE(shrunk);
    CHECK(shrunk->height < full->height);
    CHECK(shrunk->y == full->y);
    for (auto key : { "wk_shift", "wk_m", "wk_a", "wk_r", "wk_i", "wk_e", "wk_at", "wk_x", "wk_dotfr", "wk_backspace" })
        kiosk.tap(key);
    CHECK(kiosk.sim().field_text() == "Marie@x.f");
    // Accents and symbols are one key away; the layout goes back to letters.
    kiosk.tap("wk_hide");
    CHECK(kiosk.widget("wk_at") == nullptr);
    CHECK(kiosk.sim().area()->height == full->height);

    kiosk.tap("sim_text_field");
    kiosk.tap("wk_more");
    kiosk.tap("wk_eacute");
    kiosk.tap("wk_euro");
    kiosk.tap("wk_letters");
    kiosk.tap("wk_space");
    CHECK(kiosk.sim().field_text() == "é€ ");
    // A digits field gets the big digit keys and nothing else.
    kiosk.tap("wk_hide");
    kiosk.tap("sim_number_field");
    CHECK(kiosk.widget("wk_a") == nullptr);
    kiosk.tap("wk_4");
    kiosk.tap("wk_2");
    CHECK(kiosk.sim().field_text() == "42");
}

TEST_CASE("a password typed on the kiosk's keyboard never shows in the kiosk's own widgets")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    kiosk.tap("sim_password_field");
    for (auto key : { "wk_s", "wk_e", "wk_c", "wk_r", "wk_e", "wk_t" })
        kiosk.tap(key);
    CHECK(kiosk.sim().field_text() == "secret");
    for (auto const& text : kiosk.canvas().texts())
        CHECK(text.find("secret") == std::string::npos);
    CHECK_FALSE(kiosk.audited("secret"));
}

TEST_CASE("Back walks the site's pages first, then leaves the site")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    kiosk.sim().simulate_navigation("https://www.caf.fr/mon-compte");
    kiosk.sim().simulate_navigation("https://www.caf.fr/mon-compte/documents");
    kiosk.tap("back");
    CHECK(kiosk.app().top_name() == "browser");
    CHECK(kiosk.sim().page_url() == "https://www.caf.fr/mon-compte");
    kiosk.tap("back");
    kiosk.tap("back");
    CHECK(kiosk.app().top_name() == "partner");
    CHECK_FALSE(kiosk.app().browser()->is_open());
}

TEST_CASE("a link the browser plants in the downloads folder is never followed into the tray")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    // A file of the machine the kiosk may read, and the sandboxed browser may not: a link to it is the way in.
    auto secret = kiosk.runtime_dir().parent_path() / "agents-like.pdf";
    std::ofstream(secret) << "%PDF-1.4\n% salts and hashes\n%%EOF\n";
    auto downloads = kiosk.app().vault()->directory() / "downloads";
    std::filesystem::create_symlink(secret, downloads / "releve.pdf");
    kiosk.settle();
    CHECK(kiosk.app().tray().size() == 2); // the two scans, nothing more
    CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(downloads / "releve.pdf")));
    CHECK(std::filesystem::exists(secret)); // removed the link, not what it pointed to
}

TEST_CASE("the picker and the keyboard never outlive the page they belong to")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    kiosk.sim().simulate_navigation("https://www.caf.fr/mon-compte");

    SECTION("Back with the picker open closes the picker, not the page")
    {
        kiosk.tap("sim_file_input");
        kiosk.tap("back");
        CHECK(kiosk.app().top_name() == "browser");
        CHECK(kiosk.sim().page_url() == "https://www.caf.fr/mon-compte");
        std::ofstream(kiosk.runtime_dir() / "x.pdf") << "%PDF-1.4\n";
        CHECK_FALSE(kiosk.sim().provide_files(1, { { kiosk.runtime_dir() / "x.pdf", "x" } })); // cancelled at the page
    }
    SECTION("calling an agent over the picker comes back to the picker")
    {
        kiosk.tap("sim_file_input");
        kiosk.tap("call_agent");
        CHECK(kiosk.app().top_name() == "agent_called");
        kiosk.tap("close_overlay");
        CHECK(kiosk.app().top_name() == "upload_picker");
    }
    SECTION("ending the session with the keyboard up, then coming back: the partner's page, no keyboard")
    {
        kiosk.tap("sim_email_field");
        REQUIRE(kiosk.widget("wk_at"));
        kiosk.tap("end_session");
        CHECK_FALSE(kiosk.app().browser()->is_open());
        kiosk.tap("resume");
        CHECK(kiosk.app().top_name() == "partner");
        CHECK(kiosk.widget("wk_at") == nullptr);
        kiosk.tap("open_site");
        CHECK(kiosk.app().top_name() == "browser");
        CHECK(kiosk.widget("wk_at") == nullptr);
    }
    SECTION("a message after leaving the site does not bring a picker back")
    {
        kiosk.tap("sim_file_input");
        kiosk.tap("go_home");
        kiosk.tap("call_agent");
        kiosk.tap("close_overlay");
        CHECK(kiosk.app().top_name() == "home");
    }
}

TEST_CASE("a page the visit cannot show is explained in the resident's words, with a way back and an agent")
{
    KioskFixture kiosk("sim:pages=3");
    on_site_with_scans(kiosk);
    kiosk.sim().simulate_navigation("https://www.caf.fr/mon-compte");

    SECTION("a link out of the allow-list: the kiosk's explanation over Chromium's page, Back to the page before")
    {
        kiosk.tap("sim_blocked_link");
        CHECK(kiosk.app().top_name() == "site_problem");
        CHECK(kiosk.app().covers_browser());
        CHECK(kiosk.shows_text("Ce site n'est pas disponible sur cette borne"));
        CHECK(kiosk.shows_text("www.not-a-partner.fr"));
        REQUIRE(kiosk.widget("site_problem_back"));
        CHECK(kiosk.audited(R"("event":"page_failed","kind":"blocked","whole_page":true)"));
        for (auto const& line : kiosk.audit_lines())
            CHECK(line.find("not-a-partner") == std::string::npos); // the host goes to the counts only
        // Calling an agent over it, then OK: the explanation again, not Chromium's page.
        kiosk.tap("call_agent");
        CHECK(kiosk.app().top_name() == "agent_called");
        kiosk.tap("close_overlay");
        CHECK(kiosk.app().top_name() == "site_problem");
        kiosk.tap("site_problem_back");
        CHECK(kiosk.app().top_name() == "browser");
        CHECK(kiosk.sim().page_url() == "https://www.caf.fr/mon-compte");
        CHECK(kiosk.app().tray().size() == 2); // nothing of the resident's lost
    }
    SECTION("the top bar's Back does the same, and the keyboard of the page that went is gone")
    {
        kiosk.sim().simulate_focus(drivers::TextFieldKind::text);
        kiosk.settle();
        REQUIRE(kiosk.app().top_name() == "browser");
        kiosk.sim().simulate_page_failure(drivers::PageFailure::redirect_loop, "www.caf.fr");
        kiosk.settle();
        CHECK(kiosk.app().top_name() == "site_problem");
        CHECK(kiosk.widget("wk_a") == nullptr);
        CHECK(kiosk.shows_text("Ce site ne fonctionne pas"));
        kiosk.tap("back");
        CHECK(kiosk.app().top_name() == "browser");
        CHECK(kiosk.sim().page_url() == "https://www.caf.fr/mon-compte");
    }
    SECTION("Home leaves the site and the explanation with it")
    {
        kiosk.sim().simulate_page_failure(drivers::PageFailure::insecure, "www.caf.fr");
        kiosk.settle();
        kiosk.tap("go_home");
        CHECK(kiosk.app().top_name() == "home");
        kiosk.tap("call_agent");
        kiosk.tap("close_overlay");
        CHECK(kiosk.app().top_name() == "home");
        kiosk.tap("go_sites");
        kiosk.tap("partner_caf");
        kiosk.tap("open_site");
        CHECK(kiosk.app().top_name() == "browser");
        kiosk.tap("call_agent");
        kiosk.tap("close_overlay");
        CHECK(kiosk.app().top_name() == "browser"); // the old explanation does not come back
    }
    SECTION("Back over the agent's message returns to the explanation, not to Chromium's error page")
    {
        kiosk.sim().simulate_page_failure(drivers::PageFailure::blocked, "www.not-a-partner.fr");
        kiosk.settle();
        kiosk.tap("call_agent");
        kiosk.tap("back");
        CHECK(kiosk.app().top_name() == "site_problem");
    }
    SECTION("a page shown after the failure (Chromium's reload worked) takes the explanation away")
    {
        kiosk.sim().simulate_page_failure(drivers::PageFailure::unreachable, "www.caf.fr");
        kiosk.settle();
        REQUIRE(kiosk.app().top_name() == "site_problem");
        kiosk.sim().simulate_navigation("https://www.caf.fr/mon-compte");
        kiosk.settle();
        CHECK(kiosk.app().top_name() == "browser");
        kiosk.tap("call_agent");
        kiosk.tap("close_overlay");
        CHECK(kiosk.app().top_name() == "browser");
    }
    SECTION("the page that asked for a file fails: the picker goes with it")
    {
        kiosk.tap("sim_file_input");
        REQUIRE(kiosk.app().top_name() == "upload_picker");
        kiosk.sim().simulate_page_failure(drivers::PageFailure::blocked, "www.not-a-partner.fr");
        kiosk.settle();
        CHECK(kiosk.app().top_name() == "site_problem");
        std::ofstream(kiosk.runtime_dir() / "x.pdf") << "%PDF-1.4\n";
        CHECK_FALSE(kiosk.sim().provide_files(1, { { kiosk.runtime_dir() / "x.pdf", "x" } })); // cancelled at the page
    }
    SECTION("a page that leaves the list again as soon as Back returns to it: the second Back leaves the site")
    {
        kiosk.sim().simulate_page_failure(drivers::PageFailure::blocked, "sso.not-a-partner.fr");
        kiosk.settle();
        kiosk.tap("site_problem_back");
        REQUIRE(kiosk.app().top_name() == "browser");
        kiosk.sim().simulate_page_failure(drivers::PageFailure::blocked, "sso.not-a-partner.fr");
        kiosk.settle();
        REQUIRE(kiosk.app().top_name() == "site_problem");
        kiosk.tap("site_problem_back");
        CHECK(kiosk.app().top_name() == "partner");
        CHECK(kiosk.app().tray().size() == 2);
    }
    SECTION("a page that adds blocked frames without end: said, audited and counted a bounded number of times")
    {
        for (int i = 0; i < 3; ++i)
            kiosk.sim().simulate_page_failure(drivers::PageFailure::blocked, "pub.example", false);
        for (int i = 0; i < 40; ++i)
            kiosk.sim().simulate_page_failure(
                drivers::PageFailure::blocked, "h" + std::to_string(i) + ".example", false);
        kiosk.settle();
        auto lines = kiosk.audit_lines();
        CHECK(std::ranges::count_if(lines, [](auto const& l) { return l.find("page_failed") != std::string::npos; })
            == 20);
        CHECK(kiosk.app().top_name() == "browser");
    }
    SECTION("a frame of the page: said in the bar, the page stays usable")
    {
        kiosk.sim().simulate_page_failure(drivers::PageFailure::blocked, "www.video.example", false);
        kiosk.settle();
        CHECK(kiosk.app().top_name() == "browser");
        CHECK_FALSE(kiosk.app().covers_browser());
        CHECK(kiosk.shows_text("Une partie de cette page vient d'un autre site (www.video.example)"));
        CHECK(kiosk.audited(R"("event":"page_failed","kind":"blocked","whole_page":false)"));
    }
    SECTION("the site down from its first page: Back leaves the site")
    {
        kiosk.tap("back");
        REQUIRE(kiosk.sim().page_url() == "https://www.caf.fr");
        kiosk.sim().simulate_page_failure(drivers::PageFailure::unreachable, "www.caf.fr", true, true);
        kiosk.settle();
        CHECK(kiosk.app().top_name() == "site_problem");
        kiosk.tap("site_problem_back");
        CHECK(kiosk.app().top_name() == "partner");
        CHECK_FALSE(kiosk.app().browser()->is_open());
    }
    SECTION("a failure heard after the resident left the site is not shown")
    {
        kiosk.sim().simulate_page_failure(drivers::PageFailure::blocked, "www.not-a-partner.fr");
        kiosk.tap("go_home"); // the event is taken after the tap, as the loop would
        CHECK(kiosk.app().top_name() == "home");
        kiosk.tap("go_sites");
        kiosk.tap("partner_caf");
        CHECK(kiosk.app().top_name() == "partner");
    }
}

TEST_CASE("the services of the brief are one level down, from life events, and every site of an event is shown")
{
    KioskFixture kiosk("sim:pages=3");
    kiosk.start_session();
    kiosk.tap("go_sites");
    CHECK(kiosk.widget("partner_caf"));
    CHECK(kiosk.widget("partner_email") == nullptr); // "Aller sur le site de…" lists the organisations
    kiosk.tap("go_home");
    kiosk.tap("go_events");
    kiosk.tap("event_email");
    CHECK(kiosk.shows_text("Une adresse e-mail gratuite, pour vos comptes en ligne"));
    kiosk.tap("partner_email");
    kiosk.tap("open_site");
    REQUIRE(kiosk.app().top_name() == "browser");
    auto const& request = kiosk.sim().current();
    REQUIRE(request);
    CHECK(request->url == "https://www.laposte.net");
    // Its own allow-list, FranceConnect's providers with it; not the other partners'.
    auto has = [&](std::string const& domain) {
        return std::ranges::find(request->allowed_domains, domain) != request->allowed_domains.end();
    };
    CHECK(has("laposte.net"));
    CHECK(has("franceconnect.gouv.fr"));
    CHECK(has("cfspart-idp.impots.gouv.fr"));
    CHECK_FALSE(has("caf.fr"));
    kiosk.tap("go_home");
    // Six sites for a move: none dropped for lack of room.
    kiosk.tap("go_events");
    kiosk.tap("event_demenagement");
    for (auto slug : { "laposte", "caf", "cpam", "dgfip", "francetravail", "demarches" }) {
        INFO(slug);
        auto const* tile = kiosk.widget(std::string("partner_") + slug);
        REQUIRE(tile);
        CHECK(tile->rect.h >= 60);
    }
}
