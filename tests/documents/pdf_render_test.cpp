// Tests of PDF inspection and previews through poppler: our own PDFs render, damaged and locked ones are refused.
#include "drivers/scanner/sim/page_synth.h"
#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf.h"
#include "kiosk/documents/pdf_render.h"
#include "kiosk/documents/text_pdf.h"
#include "tests/support/encrypted_pdf.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::documents;

TEST_CASE("a scanned page assembled as PDF renders back as a page with its content")
{
    auto page = drivers::synthesize_page(0, 100, drivers::ColorMode::gray, 3);
    std::vector<PdfPage> pages(2);
    for (auto& p : pages)
        p = PdfPage { *encode_jpeg(page, 80), page.width, page.height, 1, 100 };
    auto pdf = assemble_pdf(pages);
    REQUIRE(pdf);
    auto info = inspect_pdf(*pdf);
    REQUIRE(info);
    CHECK(info->pages == 2);
    auto image = render_pdf_page(*pdf, 1, 300, 424);
    REQUIRE(image);
    CHECK(image->channels == 3);
    CHECK(image->width <= 301);
    CHECK(image->height <= 425);
    CHECK(image->height == Approx(image->width * 297.0 / 210).epsilon(0.03));
    size_t dark = std::count_if(image->pixels.begin(), image->pixels.end(), [](uint8_t v) { return v < 160; });
    CHECK(dark > image->pixels.size() / 200);
    CHECK_FALSE(render_pdf_page(*pdf, 2, 300, 424));
}

TEST_CASE("a form's text renders")
{
    auto pdf = write_text_pdf({ { TextBlock::Kind::title, "Procuration" } }, "Procuration");
    REQUIRE(pdf);
    auto image = render_pdf_page(*pdf, 0, 600, 850);
    REQUIRE(image);
    CHECK(std::any_of(image->pixels.begin(), image->pixels.end(), [](uint8_t v) { return v < 100; }));
}

TEST_CASE("damaged PDFs and non-PDFs are refused plainly")
{
    std::string const garbage = "%PDF-1.4\nthis is not really a pdf\n%%EOF\n";
    auto damaged = inspect_pdf(std::span(reinterpret_cast<uint8_t const*>(garbage.data()), garbage.size()));
    REQUIRE_FALSE(damaged);
    CHECK(damaged.error().code == ErrorCode::usage);
    std::vector<uint8_t> empty;
    CHECK_FALSE(inspect_pdf(empty));
}

TEST_CASE("a PDF locked by a password is refused; one encrypted with an owner password only opens")
{
    auto const locked = inspect_pdf(tests::encrypted_pdf(2, "secret"));
    REQUIRE_FALSE(locked);
    CHECK(locked.error().code == ErrorCode::usage);
    CHECK(locked.error().detail == "an encrypted PDF");

    auto const restricted = tests::encrypted_pdf(2, "");
    auto const info = inspect_pdf(restricted);
    REQUIRE(info);
    CHECK(info->pages == 2);
    CHECK(info->encrypted);
    // The page's grey square is drawn: the file was decrypted, not merely opened.
    auto const image = render_pdf_page(restricted, 1, 210, 297);
    REQUIRE(image);
    size_t const grey
        = std::count_if(image->pixels.begin(), image->pixels.end(), [](uint8_t v) { return v > 100 && v < 160; });
    CHECK(grey > image->pixels.size() / 10);
}

TEST_CASE("a PDF whose page tree says no pages is a damaged PDF")
{
    std::string const empty_tree = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                                   "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                                   "trailer << /Root 1 0 R >>\n%%EOF\n";
    auto const info = inspect_pdf(std::span(reinterpret_cast<uint8_t const*>(empty_tree.data()), empty_tree.size()));
    REQUIRE_FALSE(info);
    CHECK(info.error().detail.starts_with("a damaged PDF"));
}

TEST_CASE("a PDF whose owner password forbids printing opens, but is refused for printing")
{
    auto const forbidden = tests::encrypted_pdf(1, "", false);
    auto const info = inspect_pdf(forbidden);
    REQUIRE(info);
    CHECK_FALSE(info->printable);
    auto const verdict = inspect_pdf_for_print(forbidden);
    REQUIRE_FALSE(verdict);
    CHECK(verdict.error().code == ErrorCode::usage);
    CHECK(verdict.error().detail == "an encrypted PDF that forbids printing");

    auto const allowed = inspect_pdf_for_print(tests::encrypted_pdf(1, ""));
    REQUIRE(allowed);
    CHECK(allowed->printable);
    CHECK(allowed->pages == 1);
    // What cannot be opened is refused for printing in the same words.
    auto const locked = tests::encrypted_pdf(1, "secret");
    CHECK(inspect_pdf_for_print(locked).error().detail == inspect_pdf(locked).error().detail);
}
