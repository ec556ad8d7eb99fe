// Tests of the synthetic scanned pages: A4 size, text-like content, determinism and the three colour modes.
#include "drivers/scanner/sim/page_synth.h"

#include "kiosk/documents/image.h"
#include "kiosk/documents/jpeg.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <set>

using kiosk::documents::Image;
using kiosk::drivers::ColorMode;
using kiosk::drivers::synthesize_page;

namespace {

double dark_fraction(Image const& image)
{
    Image const gray = kiosk::documents::to_gray(image);
    auto const dark = std::count_if(gray.pixels.begin(), gray.pixels.end(), [](uint8_t v) { return v < 128; });
    return static_cast<double>(dark) / static_cast<double>(gray.pixels.size());
}

} // namespace

TEST_CASE("synthetic pages are A4 at the requested resolution")
{
    struct Expected {
        int dpi;
        int width;
        int height;
    };
    for (Expected const expected : { Expected { 150, 1240, 1754 }, Expected { 300, 2480, 3508 } }) {
        for (ColorMode mode : { ColorMode::color, ColorMode::gray, ColorMode::lineart }) {
            Image const page = synthesize_page(0, expected.dpi, mode);
            INFO("dpi " << expected.dpi << ", mode " << static_cast<int>(mode));
            CHECK(std::abs(page.width - expected.width) <= 1);
            CHECK(std::abs(page.height - expected.height) <= 1);
            CHECK(page.dpi == expected.dpi);
            CHECK(page.channels == (mode == ColorMode::color ? 3 : 1));
            CHECK(page.pixels.size() == page.row_bytes() * static_cast<size_t>(page.height));
        }
    }
}

TEST_CASE("synthetic pages carry a plausible amount of ink")
{
    for (ColorMode mode : { ColorMode::color, ColorMode::gray, ColorMode::lineart }) {
        for (int page_index = 0; page_index < 3; ++page_index) {
            double const dark = dark_fraction(synthesize_page(page_index, 150, mode, 7));
            INFO("mode " << static_cast<int>(mode) << ", page " << page_index << ": " << dark * 100 << " % dark");
            CHECK(dark > 0.03);
            CHECK(dark < 0.25);
        }
    }
}

TEST_CASE("the paper of a synthetic page has grain")
{
    Image const page = synthesize_page(0, 150, ColorMode::gray);
    // A patch of the right margin, away from any print.
    std::set<uint8_t> levels;
    for (int y = 400; y < 440; ++y) {
        for (int x = page.width - 60; x < page.width - 20; ++x)
            levels.insert(page.pixels[static_cast<size_t>(y) * page.row_bytes() + static_cast<size_t>(x)]);
    }
    CHECK(levels.size() >= 4);
    CHECK(*levels.begin() > 225);
}

TEST_CASE("synthetic pages are deterministic and vary with page and seed")
{
    Image const first = synthesize_page(2, 100, ColorMode::color, 42);
    Image const again = synthesize_page(2, 100, ColorMode::color, 42);
    CHECK(first.pixels == again.pixels);

    CHECK(synthesize_page(3, 100, ColorMode::color, 42).pixels != first.pixels);
    CHECK(synthesize_page(2, 100, ColorMode::color, 43).pixels != first.pixels);
}

TEST_CASE("a colour page has the blue and red letterhead and blue ink")
{
    Image const page = synthesize_page(0, 150, ColorMode::color);
    size_t blue = 0;
    size_t red = 0;
    for (size_t i = 0; i < page.pixels.size(); i += 3) {
        int const r = page.pixels[i];
        int const g = page.pixels[i + 1];
        int const b = page.pixels[i + 2];
        if (b > 100 && r < 40 && g < 40)
            ++blue;
        if (r > 180 && g < 40 && b < 50)
            ++red;
    }
    CHECK(blue > 1000);
    CHECK(red > 1000);
}

TEST_CASE("a lineart page is pure black and white")
{
    Image const page = synthesize_page(1, 150, ColorMode::lineart);
    REQUIRE(page.channels == 1);
    CHECK(std::all_of(page.pixels.begin(), page.pixels.end(), [](uint8_t v) { return v == 0 || v == 255; }));
    CHECK(std::count(page.pixels.begin(), page.pixels.end(), 0) > 0);
}

TEST_CASE("an impossible resolution gives an empty page")
{
    CHECK(synthesize_page(0, 0, ColorMode::color).empty());
    CHECK(synthesize_page(0, -300, ColorMode::gray).empty());
    CHECK(synthesize_page(0, 100000, ColorMode::color).empty());
}

TEST_CASE("synthetic page, encode and thumbnail speed at 300 dpi", "[.][benchmark]")
{
    using clock = std::chrono::steady_clock;
    auto milliseconds
        = [](clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count() / 1000.0; };
    for (ColorMode mode : { ColorMode::color, ColorMode::gray }) {
        auto const start = clock::now();
        Image const page = synthesize_page(0, 300, mode);
        auto const synthesized = clock::now();
        auto const jpeg = kiosk::documents::encode_jpeg(page, 85);
        auto const encoded = clock::now();
        Image const thumbnail = kiosk::documents::downscale(page, 240, 240);
        auto const thumbnailed = clock::now();
        REQUIRE(jpeg);
        auto const decoded = kiosk::documents::decode_jpeg(*jpeg);
        auto const decoded_at = clock::now();
        REQUIRE(decoded);
        WARN((mode == ColorMode::color ? "colour" : "grey")
            << ": synthesize " << milliseconds(synthesized - start) << " ms, encode q85 "
            << milliseconds(encoded - synthesized) << " ms (" << jpeg->size() / 1024 << " KiB), downscale to "
            << thumbnail.width << "x" << thumbnail.height << " " << milliseconds(thumbnailed - encoded)
            << " ms, decode " << milliseconds(decoded_at - thumbnailed) << " ms, " << dark_fraction(page) * 100
            << " % dark");
    }
}

TEST_CASE("synthetic pages render at low resolutions too")
{
    for (int dpi : { 10, 20, 72 }) {
        Image const page = synthesize_page(0, dpi, ColorMode::color);
        INFO("dpi " << dpi);
        CHECK(std::abs(page.width - 210 * dpi / 25.4) <= 1);
        CHECK(std::abs(page.height - 297 * dpi / 25.4) <= 1);
        CHECK(page.pixels.size() == page.row_bytes() * static_cast<size_t>(page.height));
    }
}
