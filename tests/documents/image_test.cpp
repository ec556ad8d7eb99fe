// Tests of grey conversion and area-averaging downscale on small images with known values.
#include "kiosk/documents/image.h"

#include <catch2/catch.hpp>

#include <cmath>

using kiosk::documents::downscale;
using kiosk::documents::Image;
using kiosk::documents::to_gray;

namespace {

Image make_image(int width, int height, int channels, std::vector<uint8_t> pixels, int dpi = 0)
{
    Image image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    image.dpi = dpi;
    image.pixels = std::move(pixels);
    return image;
}

Image uniform_image(int width, int height, int channels, uint8_t value, int dpi)
{
    return make_image(width, height, channels,
        std::vector<uint8_t>(
            static_cast<size_t>(width) * static_cast<size_t>(height) * static_cast<size_t>(channels), value),
        dpi);
}

} // namespace

TEST_CASE("to_gray applies BT.601 weights")
{
    Image const rgb = make_image(5, 1, 3, { 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0 }, 300);
    Image const gray = to_gray(rgb);
    REQUIRE(gray.channels == 1);
    REQUIRE(gray.width == 5);
    REQUIRE(gray.height == 1);
    REQUIRE(gray.dpi == 300);
    REQUIRE(gray.pixels.size() == 5);
    double const expected[] = { 0.299 * 255, 0.587 * 255, 0.114 * 255, 255, 0 };
    for (size_t i = 0; i < 5; ++i)
        CHECK(std::abs(gray.pixels[i] - expected[i]) <= 1.0);
    CHECK(gray.pixels[3] == 255); // white stays exactly white
    CHECK(gray.pixels[4] == 0);
}

TEST_CASE("to_gray leaves a grey image unchanged")
{
    Image const gray = make_image(2, 2, 1, { 1, 2, 3, 4 }, 150);
    Image const result = to_gray(gray);
    CHECK(result.pixels == gray.pixels);
    CHECK(result.channels == 1);
    CHECK(result.dpi == 150);
}

TEST_CASE("downscale averages whole blocks exactly")
{
    // Four 2×2 blocks of distinct values, each averaging to a known number.
    Image const image = make_image(4, 4, 1,
        {
            10, 20, 100, 100, //
            30, 40, 100, 100, //
            0, 0, 255, 255, //
            0, 4, 255, 253, //
        },
        200);
    Image const small = downscale(image, 2, 2);
    REQUIRE(small.width == 2);
    REQUIRE(small.height == 2);
    REQUIRE(small.channels == 1);
    CHECK(small.dpi == 100);
    CHECK(small.pixels == std::vector<uint8_t> { 25, 100, 1, 255 });
}

TEST_CASE("downscale weighs partly covered pixels by their overlap")
{
    // 3 → 2: each output covers one and a half source pixels.
    Image const image = make_image(3, 1, 1, { 0, 90, 180 });
    Image const small = downscale(image, 2, 1);
    REQUIRE(small.width == 2);
    REQUIRE(small.height == 1);
    CHECK(small.pixels == std::vector<uint8_t> { 30, 150 });
}

TEST_CASE("downscale keeps colour channels apart")
{
    Image const image = make_image(2, 2, 3, { 255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255 });
    Image const small = downscale(image, 1, 1);
    REQUIRE(small.width == 1);
    REQUIRE(small.height == 1);
    REQUIRE(small.channels == 3);
    CHECK(small.pixels == std::vector<uint8_t> { 128, 0, 128 });
}

TEST_CASE("downscale keeps the aspect ratio and scales the dpi")
{
    Image const wide = uniform_image(1000, 500, 1, 77, 300);
    Image const small = downscale(wide, 100, 100);
    CHECK(small.width == 100);
    CHECK(small.height == 50);
    CHECK(small.dpi == 30);
    CHECK(std::all_of(small.pixels.begin(), small.pixels.end(), [](uint8_t v) { return v == 77; }));

    Image const page = uniform_image(2480, 3508, 3, 200, 300);
    Image const thumbnail = downscale(page, 240, 240);
    CHECK(thumbnail.height == 240);
    CHECK(thumbnail.width == 170); // 2480 × 240 / 3508 = 169.7
    CHECK(thumbnail.pixels.size() == 170u * 240u * 3u);
    CHECK(std::all_of(thumbnail.pixels.begin(), thumbnail.pixels.end(), [](uint8_t v) { return v == 200; }));
}

TEST_CASE("downscale never enlarges")
{
    Image const image = make_image(2, 1, 1, { 5, 6 }, 96);
    Image const same = downscale(image, 100, 100);
    CHECK(same.width == 2);
    CHECK(same.height == 1);
    CHECK(same.pixels == image.pixels);
    CHECK(same.dpi == 96);
}

TEST_CASE("downscale of an empty image or to nothing gives an empty image")
{
    CHECK(downscale(Image {}, 10, 10).empty());
    CHECK(downscale(uniform_image(4, 4, 1, 0, 0), 0, 10).empty());
}
