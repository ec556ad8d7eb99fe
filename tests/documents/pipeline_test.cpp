// Tests of the page pipeline on generated frames: deskew, crop to the paper, blank pages, black and white.
#include "kiosk/documents/black_and_white.h"
#include "kiosk/documents/blank.h"
#include "kiosk/documents/crop.h"
#include "kiosk/documents/deskew.h"
#include "kiosk/documents/overview.h"
#include "kiosk/documents/pipeline.h"

#include "drivers/scanner/sim/page_synth.h"
#include "tests/documents/raw_frames.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace kiosk::documents;
using kiosk::drivers::ColorMode;
using kiosk::drivers::synthesize_page;

namespace {

double residual_skew(Image const& page)
{
    return estimate_skew(reduce_to_gray(page, overview_factor(page.dpi)));
}

} // namespace

TEST_CASE("a page turned by 3 degrees either way comes out straight within 0.5 degree")
{
    auto const [dpi, mode, degrees] = GENERATE(table<int, ColorMode, double>({
        { 150, ColorMode::gray, 3.0 },
        { 150, ColorMode::gray, -3.0 },
        { 300, ColorMode::color, 3.0 },
        { 300, ColorMode::color, -3.0 },
    }));
    INFO("dpi " << dpi << ", turned by " << degrees << " degrees");
    Image const frame = kiosk::test::turned_page(synthesize_page(1, dpi, mode), degrees);
    PreparedPage const prepared = prepare_page(frame);
    CHECK(std::abs(prepared.skew_degrees - degrees) <= 0.5);
    CHECK(std::abs(residual_skew(prepared.image)) <= 0.5);
    CHECK(prepared.image.channels == frame.channels);
    CHECK(!prepared.blank);
}

TEST_CASE("a straight page is not rotated")
{
    Image const page = synthesize_page(2, 150, ColorMode::gray);
    PreparedPage const prepared = prepare_page(page);
    CHECK(std::abs(prepared.skew_degrees) <= min_correction_degrees);
    CHECK(prepared.image.pixels == page.pixels);
}

TEST_CASE("a page on the dark surround of an open lid is cropped within 2 mm of its edges")
{
    auto const [dpi, mode] = GENERATE(table<int, ColorMode>({ { 150, ColorMode::gray }, { 300, ColorMode::color } }));
    Image const page = synthesize_page(0, dpi, mode);
    double const px_per_mm = dpi / 25.4;
    // A platen of 216 × 300 mm (US letter width, A4 length plus a margin), the page off-centre.
    int const left = static_cast<int>(std::lround(4 * px_per_mm));
    int const top = static_cast<int>(std::lround(1.5 * px_per_mm));
    Image const frame = kiosk::test::on_dark_platen(page, left, top, static_cast<int>(std::lround(216 * px_per_mm)),
        static_cast<int>(std::lround(300 * px_per_mm)));
    INFO("dpi " << dpi);

    Rect const paper = find_paper(frame);
    double const tolerance = 2 * px_per_mm;
    CHECK(std::abs(paper.x - left) <= tolerance);
    CHECK(std::abs(paper.y - top) <= tolerance);
    CHECK(std::abs(paper.x + paper.width - (left + page.width)) <= tolerance);
    CHECK(std::abs(paper.y + paper.height - (top + page.height)) <= tolerance);
    // Never inside the paper: no content is cut.
    CHECK(paper.x <= left);
    CHECK(paper.y <= top);
    CHECK(paper.x + paper.width >= left + page.width);
    CHECK(paper.y + paper.height >= top + page.height);

    PreparedPage const prepared = prepare_page(frame);
    CHECK(prepared.paper == paper);
    CHECK(prepared.image.width == paper.width);
    CHECK(prepared.image.height == paper.height);
}

TEST_CASE("a page that fills the frame is not cropped")
{
    Image const page = synthesize_page(3, 150, ColorMode::color);
    CHECK(find_paper(page) == Rect { 0, 0, page.width, page.height });
    Image const cropped = crop_to_paper(page);
    CHECK(cropped.width == page.width);
    CHECK(cropped.height == page.height);
}

TEST_CASE("a turned page on a dark surround is cropped and straightened")
{
    Image const page = kiosk::test::turned_page(synthesize_page(4, 150, ColorMode::gray), -2.0);
    Image const frame = kiosk::test::on_dark_platen(page, 30, 20, page.width + 60, page.height + 50);
    PreparedPage const prepared = prepare_page(frame);
    CHECK(std::abs(prepared.skew_degrees + 2.0) <= 0.5);
    CHECK(std::abs(prepared.paper.x - 30) <= 12);
    CHECK(std::abs(prepared.paper.y - 20) <= 12);
    CHECK(std::abs(residual_skew(prepared.image)) <= 0.5);
}

TEST_CASE("a sheet turned on the dark surround comes out without dark wedges along its edges")
{
    // As a real scan: the sheet lies turned on the glass and the open lid's dark surround shows all around it,
    // so the paper's box holds four dark corners that straightening turns into wedges along the edges.
    auto const [dpi, mode, degrees] = GENERATE(table<int, ColorMode, double>({
        { 150, ColorMode::gray, 3.0 },
        { 150, ColorMode::gray, -2.0 },
        { 300, ColorMode::color, -3.0 },
    }));
    INFO("dpi " << dpi << ", turned by " << degrees << " degrees");
    Image const page = synthesize_page(5, dpi, mode);
    int const margin = page.width / 12;
    Image const frame = kiosk::test::turned_page(
        kiosk::test::on_dark_platen(page, margin, margin, page.width + 2 * margin, page.height + 2 * margin), degrees,
        28);
    PreparedPage const prepared = prepare_page(frame);
    Image const& out = prepared.image;
    INFO("frame " << frame.width << "x" << frame.height << ", paper " << prepared.paper.x << "," << prepared.paper.y
                  << " " << prepared.paper.width << "x" << prepared.paper.height << ", skew " << prepared.skew_degrees
                  << ", out " << out.width << "x" << out.height);
    double const px_per_mm = dpi / 25.4;
    CHECK(std::abs(out.width - page.width) <= 2 * px_per_mm);
    CHECK(std::abs(out.height - page.height) <= 2 * px_per_mm);
    CHECK(std::abs(residual_skew(out)) <= 0.5);

    // Along every edge, a band 1 mm deep: paper, not surround (the synthetic pages print nothing that close).
    int const band = static_cast<int>(std::lround(px_per_mm));
    auto dark_share = [&](int x0, int y0, int x1, int y1) {
        int dark = 0, total = 0;
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x, ++total)
                dark += out.pixels[(static_cast<size_t>(y) * static_cast<size_t>(out.width) + static_cast<size_t>(x))
                            * static_cast<size_t>(out.channels)]
                    < 100;
        return static_cast<double>(dark) / std::max(total, 1);
    };
    CHECK(dark_share(0, 0, out.width, band) < 0.01);
    CHECK(dark_share(0, out.height - band, out.width, out.height) < 0.01);
    CHECK(dark_share(0, 0, band, out.height) < 0.01);
    CHECK(dark_share(out.width - band, 0, out.width, out.height) < 0.01);
}

TEST_CASE("a turned sheet partly off the glass keeps everything the scanner saw of it")
{
    // The sheet's right part is beyond the glass: its box touches the frame's edge and does not hold the
    // whole turned outline, so nothing is trimmed from what was scanned.
    Image const page = synthesize_page(6, 150, ColorMode::gray);
    int const margin = page.width / 12;
    Image const whole = kiosk::test::turned_page(
        kiosk::test::on_dark_platen(page, margin, margin, page.width + 2 * margin, page.height + 2 * margin), 3.0, 28);
    Image const frame = crop(whole, Rect { 0, 0, whole.width - 2 * margin, whole.height });
    PreparedPage const prepared = prepare_page(frame);
    CHECK(prepared.paper.x + prepared.paper.width == frame.width);
    CHECK(prepared.image.width == prepared.paper.width);
    CHECK(prepared.image.height == prepared.paper.height);
}

TEST_CASE("a blank sheet reads as blank and a sheet with one short line does not")
{
    int const dpi = GENERATE(150, 300);
    INFO("dpi " << dpi);
    Image const text = synthesize_page(5, dpi, ColorMode::gray);
    Image const blank = kiosk::test::blank_sheet(dpi);
    Image const show_through = kiosk::test::blank_sheet(dpi, &text);
    Image const one_line = kiosk::test::sheet_with_one_line(text);
    REQUIRE(one_line.pixels != blank.pixels);

    CHECK(is_blank_page(blank));
    CHECK(is_blank_page(show_through));
    CHECK(!is_blank_page(one_line));
    CHECK(!is_blank_page(text));

    CHECK(prepare_page(blank).blank);
    CHECK(prepare_page(show_through).blank);
    CHECK(!prepare_page(one_line).blank);
    CHECK(!prepare_page(text).blank);
}

TEST_CASE("grey and black-and-white pages keep the text")
{
    Image const page = synthesize_page(6, 150, ColorMode::color);
    PageOptions options;
    options.mode = PageMode::gray;
    Image const gray = prepare_page(page, options).image;
    CHECK(gray.channels == 1);
    CHECK(gray.width == page.width);

    options.mode = PageMode::black_and_white;
    Image const lineart = prepare_page(page, options).image;
    REQUIRE(lineart.channels == 1);
    size_t black = 0;
    for (uint8_t v : lineart.pixels) {
        REQUIRE((v == 0 || v == 255));
        black += v == 0;
    }
    size_t dark_in_gray = 0;
    for (uint8_t v : gray.pixels)
        dark_in_gray += v < 128;
    // Otsu's threshold sits between ink and paper, so it keeps about as many pixels as a mid-grey cut.
    CHECK(black >= dark_in_gray * 8 / 10);
    CHECK(black <= dark_in_gray * 2 + 1000);
    int const threshold = otsu_threshold(gray);
    CHECK(threshold > 64);
    CHECK(threshold < 224);
}
