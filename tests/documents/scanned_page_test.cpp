// Tests of one scanner frame to a kept page, as the kiosk and `kiosk scan` both do it: the feeder's blank rule,
// the colour modes of a scan's settings, the stored JPEG and the thumbnail.
#include "kiosk/documents/scanned_page.h"

#include "drivers/scanner/scanned_page_options.h"
#include "drivers/scanner/sim/page_synth.h"
#include "kiosk/documents/jpeg.h"
#include "tests/documents/raw_frames.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::documents;
using drivers::ColorMode;
using drivers::ScanSettings;
using drivers::ScanSource;
using drivers::synthesize_page;

TEST_CASE("a blank page from the feeder is dropped, a blank page on the glass is kept")
{
    Image const blank = test::blank_sheet(150);

    auto const from_feeder = prepare_scanned_page(blank, drivers::scanned_page_options({ ScanSource::adf }));
    REQUIRE(from_feeder);
    CHECK(from_feeder->dropped);
    CHECK(from_feeder->image.empty());

    auto const on_glass = prepare_scanned_page(blank, drivers::scanned_page_options({ ScanSource::flatbed }));
    REQUIRE(on_glass);
    CHECK_FALSE(on_glass->dropped);
    CHECK(on_glass->image.width == blank.width);
    CHECK(on_glass->image.height == blank.height);
}

TEST_CASE("a feeder run keeps its pages with ink, a sheet with one short line included")
{
    Image const text = synthesize_page(5, 150, ColorMode::gray);
    std::vector<Image> const run { text, test::blank_sheet(150), test::sheet_with_one_line(text),
        test::blank_sheet(150, &text) };
    auto const options = drivers::scanned_page_options({ ScanSource::adf, ColorMode::gray });
    std::vector<Image> kept;
    int dropped = 0;
    for (Image const& frame : run) {
        auto page = prepare_scanned_page(frame, options);
        REQUIRE(page);
        if (page->dropped)
            ++dropped;
        else
            kept.push_back(std::move(page->image));
    }
    CHECK(dropped == 2);
    REQUIRE(kept.size() == 2);
    CHECK(kept[0].pixels == text.pixels);
}

TEST_CASE("a scan's colour mode gives the page's channels, as prepare_page does")
{
    Image const frame = synthesize_page(6, 150, ColorMode::color);
    REQUIRE(frame.channels == 3);
    for (auto mode : { ColorMode::color, ColorMode::gray, ColorMode::lineart }) {
        auto const options = drivers::scanned_page_options({ ScanSource::flatbed, mode });
        auto const page = prepare_scanned_page(frame, options);
        REQUIRE(page);
        INFO("mode " << static_cast<int>(mode));
        CHECK(page->image.channels == (mode == ColorMode::color ? 3 : 1));
        // The same pixels as the pipeline itself gives: nothing is added on the way.
        CHECK(page->image.pixels == prepare_page(frame, { options.mode }).image.pixels);
        if (mode == ColorMode::lineart)
            CHECK(std::all_of(
                page->image.pixels.begin(), page->image.pixels.end(), [](uint8_t v) { return v == 0 || v == 255; }));
    }
}

TEST_CASE("the JPEG decodes to the prepared page and the thumbnail fits its bounds")
{
    Image const frame = synthesize_page(2, 150, ColorMode::color);
    auto options = drivers::scanned_page_options({ ScanSource::adf, ColorMode::gray });

    SECTION("neither asked for: neither made")
    {
        auto const page = prepare_scanned_page(frame, options);
        REQUIRE(page);
        CHECK(page->jpeg.empty());
        CHECK(page->thumbnail.empty());
    }
    SECTION("both asked for")
    {
        options.jpeg = true;
        options.thumbnail_width = 300;
        options.thumbnail_height = 424;
        auto const page = prepare_scanned_page(frame, options);
        REQUIRE(page);
        REQUIRE_FALSE(page->dropped);
        auto const decoded = decode_jpeg(page->jpeg);
        REQUIRE(decoded);
        CHECK(decoded->width == page->image.width);
        CHECK(decoded->height == page->image.height);
        CHECK(decoded->channels == 1);
        CHECK(decoded->dpi == page->image.dpi);
        // Encoded at scan_jpeg_quality: the same bytes as encoding the page at it directly.
        CHECK(page->jpeg == *encode_jpeg(page->image, scan_jpeg_quality));

        Image const& thumbnail = page->thumbnail;
        REQUIRE_FALSE(thumbnail.empty());
        CHECK(thumbnail.width <= 300);
        CHECK(thumbnail.height <= 424);
        CHECK((thumbnail.width == 300 || thumbnail.height == 424));
        CHECK(thumbnail.channels == 1);
    }
}
