// Tests of the pages of a scanned document (reorder, delete) and of the tray's screenfuls, through the whole App.
#include "kiosk/documents/pdf_render.h"
#include "tests/ui/kiosk_fixture.h"

#include <cmath>
#include <limits>

using namespace kiosk;
using kiosk::ui::testing::KioskFixture;

namespace {

// Every page of a PDF, rendered small and grey: enough to tell the synthetic pages apart.
std::vector<documents::Image> rendered_pages(std::vector<uint8_t> const& pdf)
{
    auto info = documents::inspect_pdf(pdf);
    REQUIRE(info);
    std::vector<documents::Image> pages;
    for (int i = 0; i < info->pages; ++i) {
        auto image = documents::render_pdf_page(pdf, i, 120, 170);
        REQUIRE(image);
        pages.push_back(documents::to_gray(*image));
    }
    return pages;
}

double difference(documents::Image const& a, documents::Image const& b)
{
    if (a.width != b.width || a.height != b.height)
        return std::numeric_limits<double>::infinity();
    double sum = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i)
        sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
    return sum / static_cast<double>(a.pixels.size());
}

// For each page of `pages`, the index of the page of `originals` it shows; each match must be clearly the
// nearest, so a near tie can never pass for the right order.
std::vector<int> which_originals(
    std::vector<documents::Image> const& pages, std::vector<documents::Image> const& originals)
{
    std::vector<int> result;
    for (auto const& page : pages) {
        std::vector<double> distances;
        for (auto const& original : originals)
            distances.push_back(difference(page, original));
        auto best = std::min_element(distances.begin(), distances.end());
        double second = std::numeric_limits<double>::infinity();
        for (auto it = distances.begin(); it != distances.end(); ++it)
            if (it != best)
                second = std::min(second, *it);
        CHECK(*best * 2 < second);
        result.push_back(static_cast<int>(best - distances.begin()));
    }
    return result;
}

std::vector<std::string> page_names(ui::App const& app)
{
    std::vector<std::string> names;
    for (auto const& page : app.tray().front().pages)
        names.push_back(page.vault_name);
    return names;
}

void scan_three_pages_from_the_feeder(KioskFixture& kiosk)
{
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("source_adf");
    kiosk.tap("scan_start");
    REQUIRE(kiosk.app().tray().size() == 1);
    REQUIRE(kiosk.app().tray().front().pages.size() == 3);
    kiosk.tap("go_tray");
}

} // namespace

TEST_CASE("moving pages changes the order in which they are printed and prepared")
{
    KioskFixture kiosk("sim:pages=3");
    scan_three_pages_from_the_feeder(kiosk);
    kiosk.tap("print_doc");
    kiosk.tap("print_start");
    auto before = rendered_pages(KioskFixture::read_file(kiosk.printed_dir() / "job-1.pdf"));
    REQUIRE(before.size() == 3);
    CHECK(which_originals(before, before) == std::vector<int> { 0, 1, 2 });
    kiosk.tap("back");
    REQUIRE(kiosk.app().top_name() == "tray");

    kiosk.tap("pages_doc");
    REQUIRE(kiosk.app().top_name() == "pages");
    CHECK(kiosk.shows_text("Les pages de « Scan 1 »"));
    // The first page cannot go earlier, the last cannot go later.
    CHECK_FALSE(kiosk.widget("page_earlier_1")->enabled);
    CHECK_FALSE(kiosk.widget("page_later_3")->enabled);
    kiosk.tap("page_later_1"); // 2 1 3
    kiosk.tap("page_earlier_3"); // 2 3 1
    CHECK(page_names(kiosk.app()) == std::vector<std::string> { "doc1-page2.jpg", "doc1-page3.jpg", "doc1-page1.jpg" });
    CHECK(kiosk.audited("\"event\":\"page_moved\""));
    kiosk.tap("pages_done");
    REQUIRE(kiosk.app().top_name() == "tray");

    kiosk.tap("print_doc");
    kiosk.tap("print_start");
    auto after = rendered_pages(KioskFixture::read_file(kiosk.printed_dir() / "job-2.pdf"));
    CHECK(which_originals(after, before) == std::vector<int> { 1, 2, 0 });

    kiosk.tap("back");
    kiosk.tap("prepare_doc");
    kiosk.tap("limit_10");
    kiosk.tap("prepare_start");
    REQUIRE(kiosk.shows_text("Prêt"));
    auto uploads = kiosk.app().vault()->directory() / "uploads" / "upload-1.pdf";
    auto prepared = rendered_pages(KioskFixture::read_file(uploads));
    CHECK(which_originals(prepared, before) == std::vector<int> { 1, 2, 0 });
}

TEST_CASE("deleting a page asks first, then removes the page and its encrypted file")
{
    KioskFixture kiosk("sim:pages=3");
    scan_three_pages_from_the_feeder(kiosk);
    kiosk.tap("pages_doc");
    auto stored = kiosk.stored_names();
    REQUIRE(std::count(stored.begin(), stored.end(), "doc1-page2.jpg") == 1);

    kiosk.tap("page_delete_2");
    CHECK(kiosk.app().top_name() == "confirm_delete_page");
    CHECK(kiosk.shows_text("Supprimer la page 2 ?"));
    // The shaded screen under the question does nothing: a stray tap on a button there is lost.
    auto const* hidden = kiosk.widget("pages_done");
    REQUIRE(hidden);
    kiosk.app().tap(hidden->rect.x + hidden->rect.w / 2, hidden->rect.y + hidden->rect.h / 2);
    kiosk.settle();
    CHECK(kiosk.app().top_name() == "confirm_delete_page");
    CHECK(page_names(kiosk.app()) == std::vector<std::string> { "doc1-page1.jpg", "doc1-page2.jpg", "doc1-page3.jpg" });
    kiosk.tap("close_overlay");
    CHECK(kiosk.app().tray().front().pages.size() == 3);

    kiosk.tap("page_delete_2");
    kiosk.tap("confirm_delete_page");
    CHECK(kiosk.app().top_name() == "pages");
    CHECK(page_names(kiosk.app()) == std::vector<std::string> { "doc1-page1.jpg", "doc1-page3.jpg" });
    stored = kiosk.stored_names();
    CHECK(std::count(stored.begin(), stored.end(), "doc1-page2.jpg") == 0);
    CHECK(std::count(stored.begin(), stored.end(), "doc1-page3.jpg") == 1);
    CHECK(kiosk.audited("\"event\":\"page_deleted\",\"pages_left\":2"));

    // What is printed is what is left.
    kiosk.tap("pages_done");
    kiosk.tap("print_doc");
    CHECK(kiosk.shows_text("Scan 1 — 2 pages"));
    kiosk.tap("print_start");
    auto info = documents::inspect_pdf(KioskFixture::read_file(kiosk.printed_dir() / "job-1.pdf"));
    REQUIRE(info);
    CHECK(info->pages == 2);
    kiosk.tap("back");

    // The only page left: the question says the document goes with it, and the tray comes back.
    kiosk.tap("pages_doc");
    kiosk.tap("page_delete_1");
    kiosk.tap("confirm_delete_page");
    kiosk.tap("page_delete_1");
    CHECK(kiosk.shows_text("Supprimer le document ?"));
    kiosk.tap("confirm_delete_page");
    CHECK(kiosk.app().top_name() == "tray");
    CHECK(kiosk.app().tray().empty());
    CHECK(kiosk.stored_names().empty());
}

TEST_CASE("a page deleted while the feeder still runs never has its file taken by the next page")
{
    // One page a second: time to delete the first page while the third is still on its way.
    KioskFixture kiosk("sim:pages=3,delay_ms=1000");
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("source_adf");
    kiosk.tap_only("scan_start");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (kiosk.app().tray().empty() || kiosk.app().tray().front().pages.size() < 2) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        kiosk.app().update();
    }
    kiosk.tap_only("go_tray");
    kiosk.tap_only("pages_doc");
    kiosk.tap_only("page_delete_1");
    kiosk.tap_only("confirm_delete_page");
    REQUIRE(kiosk.app().busy()); // still scanning: the test would prove nothing otherwise
    kiosk.settle();
    CHECK(page_names(kiosk.app()) == std::vector<std::string> { "doc1-page2.jpg", "doc1-page3.jpg" });
    auto stored = kiosk.stored_names();
    CHECK(stored == std::vector<std::string> { "doc1-page2.jpg", "doc1-page3.jpg" });
}

TEST_CASE("downloads and forms have no pages to edit")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_forms");
    kiosk.tap("form_attestation_honneur");
    kiosk.tap("go_home");
    kiosk.tap("go_tray");
    auto const* pages = kiosk.widget("pages_doc");
    REQUIRE(pages);
    CHECK_FALSE(pages->enabled);
}

TEST_CASE("the tray turns screenfuls so that every document can be reached")
{
    KioskFixture kiosk;
    kiosk.start_session();
    kiosk.tap("go_scan");
    for (int i = 0; i < 6; ++i) {
        // Each scan from home is a document of its own (the next steps after a scan add pages to it).
        kiosk.tap("scan_start");
        kiosk.tap("go_home");
        kiosk.tap("go_scan");
    }
    kiosk.tap("go_tray");
    // The tray opens on the screenful of the document just scanned.
    CHECK(kiosk.shows_text("Documents 5 à 6 sur 6"));
    CHECK(kiosk.widget("doc_6"));
    CHECK_FALSE(kiosk.widget("doc_1"));
    CHECK_FALSE(kiosk.widget("tray_next")->enabled);
    kiosk.tap("tray_prev");
    CHECK(kiosk.shows_text("Documents 1 à 4 sur 6"));
    CHECK(kiosk.widget("doc_1"));
    CHECK_FALSE(kiosk.widget("doc_5"));
    CHECK_FALSE(kiosk.widget("tray_prev")->enabled);
    // Turning is looking, not choosing: the document chosen before is still the one the actions act on, and they
    // say which by its name.
    CHECK(kiosk.shows_text("Choisi : « Scan 6 »"));
    kiosk.tap("print_doc");
    CHECK(kiosk.shows_text("Scan 6 — 1 page"));
    // Back in the tray, it shows the chosen document's screenful.
    kiosk.tap("back");
    CHECK(kiosk.shows_text("Documents 5 à 6 sur 6"));
    kiosk.tap("tray_prev");
    kiosk.tap("doc_2");
    CHECK(kiosk.shows_text("Choisi : « Scan 2 »"));
    kiosk.tap("delete_doc");
    kiosk.tap("confirm_delete");
    // Five left: the selection moves to the last one, and the tray follows it.
    CHECK(kiosk.shows_text("Document 5 sur 5"));
    kiosk.tap("tray_prev");
    CHECK(kiosk.shows_text("Documents 1 à 4 sur 5"));
}
