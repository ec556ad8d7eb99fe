// Tests of the libjpeg-turbo encoder and decoder: round trips, resolution metadata and damaged input.
#include "kiosk/documents/jpeg.h"

#include "drivers/scanner/sim/page_synth.h"
#include "kiosk/documents/image.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>

using kiosk::ErrorCode;
using kiosk::documents::decode_jpeg;
using kiosk::documents::encode_jpeg;
using kiosk::documents::Image;

namespace {

// Smooth gradients with a few hard edges: content a JPEG at q=90 reproduces closely.
Image test_pattern(int width, int height, int channels, int dpi)
{
    Image image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    image.dpi = dpi;
    image.pixels.resize(image.row_bytes() * static_cast<size_t>(height));
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            uint8_t* p = image.pixels.data() + (static_cast<size_t>(y) * width + x) * channels;
            bool const in_box = x > width / 4 && x < width / 2 && y > height / 4 && y < height / 2;
            p[0] = in_box ? 40 : static_cast<uint8_t>(x * 255 / width);
            if (channels == 3) {
                p[1] = in_box ? 40 : static_cast<uint8_t>(y * 255 / height);
                p[2] = in_box ? 160 : static_cast<uint8_t>(128 + (x - y) / 4);
            }
        }
    }
    return image;
}

double mean_absolute_error(Image const& a, Image const& b)
{
    double total = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i)
        total += std::abs(static_cast<int>(a.pixels[i]) - static_cast<int>(b.pixels[i]));
    return total / static_cast<double>(a.pixels.size());
}

// Writes JPEGs our encoder never produces (progressive, CMYK) straight through libjpeg.
std::vector<uint8_t> encode_with_libjpeg(Image const& image, J_COLOR_SPACE color_space, bool progressive)
{
    jpeg_compress_struct compressor {};
    jpeg_error_mgr errors {};
    compressor.err = jpeg_std_error(&errors);
    jpeg_create_compress(&compressor);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&compressor, &buffer, &size);
    compressor.image_width = static_cast<JDIMENSION>(image.width);
    compressor.image_height = static_cast<JDIMENSION>(image.height);
    compressor.input_components = image.channels;
    compressor.in_color_space = color_space;
    jpeg_set_defaults(&compressor);
    jpeg_set_quality(&compressor, 90, TRUE);
    if (progressive)
        jpeg_simple_progression(&compressor);
    jpeg_start_compress(&compressor, TRUE);
    while (compressor.next_scanline < compressor.image_height) {
        auto* row = const_cast<JSAMPLE*>(image.pixels.data() + image.row_bytes() * compressor.next_scanline);
        jpeg_write_scanlines(&compressor, &row, 1);
    }
    jpeg_finish_compress(&compressor);
    jpeg_destroy_compress(&compressor);
    std::vector<uint8_t> jpeg(buffer, buffer + size);
    std::free(buffer);
    return jpeg;
}

} // namespace

TEST_CASE("a colour image survives a JPEG round trip")
{
    Image const original = test_pattern(97, 61, 3, 200); // odd sizes exercise the partial MCUs
    auto const jpeg = encode_jpeg(original, 90);
    REQUIRE(jpeg);
    CHECK(jpeg->size() > 100);
    CHECK((*jpeg)[0] == 0xFF);
    CHECK((*jpeg)[1] == 0xD8);

    auto const decoded = decode_jpeg(*jpeg);
    REQUIRE(decoded);
    CHECK(decoded->width == 97);
    CHECK(decoded->height == 61);
    CHECK(decoded->channels == 3);
    CHECK(decoded->dpi == 200);
    REQUIRE(decoded->pixels.size() == original.pixels.size());
    CHECK(mean_absolute_error(original, *decoded) < 3.0);
}

TEST_CASE("a grey image is written as a one-component JPEG")
{
    Image const original = test_pattern(64, 48, 1, 300);
    auto const jpeg = encode_jpeg(original, 90);
    REQUIRE(jpeg);
    auto const decoded = decode_jpeg(*jpeg);
    REQUIRE(decoded);
    CHECK(decoded->channels == 1);
    CHECK(decoded->width == 64);
    CHECK(decoded->height == 48);
    CHECK(decoded->dpi == 300);
    CHECK(mean_absolute_error(original, *decoded) < 2.0);
}

TEST_CASE("an unknown resolution stays unknown")
{
    auto const jpeg = encode_jpeg(test_pattern(16, 16, 3, 0), 75);
    REQUIRE(jpeg);
    auto const decoded = decode_jpeg(*jpeg);
    REQUIRE(decoded);
    CHECK(decoded->dpi == 0);
}

TEST_CASE("progressive JPEGs are decoded")
{
    Image const original = test_pattern(80, 60, 3, 0);
    auto const decoded = decode_jpeg(encode_with_libjpeg(original, JCS_RGB, true));
    REQUIRE(decoded);
    CHECK(decoded->width == 80);
    CHECK(decoded->height == 60);
    CHECK(decoded->channels == 3);
    CHECK(mean_absolute_error(original, *decoded) < 3.0);
}

TEST_CASE("CMYK JPEGs are refused")
{
    Image cmyk;
    cmyk.width = 16;
    cmyk.height = 16;
    cmyk.channels = 4;
    cmyk.pixels.assign(16 * 16 * 4, 90);
    auto const decoded = decode_jpeg(encode_with_libjpeg(cmyk, JCS_CMYK, false));
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == ErrorCode::io);
}

TEST_CASE("lower quality gives smaller files")
{
    Image const page = kiosk::drivers::synthesize_page(0, 100, kiosk::drivers::ColorMode::gray);
    auto const high = encode_jpeg(page, 95);
    auto const low = encode_jpeg(page, 40);
    REQUIRE(high);
    REQUIRE(low);
    CHECK(low->size() < high->size());
}

TEST_CASE("JPEG quality outside 1..100 is refused")
{
    Image const image = test_pattern(8, 8, 1, 0);
    for (int quality : { 0, -5, 101 }) {
        auto const result = encode_jpeg(image, quality);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::usage);
    }
    CHECK(encode_jpeg(image, 1));
    CHECK(encode_jpeg(image, 100));
}

TEST_CASE("images the encoder cannot represent are refused")
{
    CHECK_FALSE(encode_jpeg(Image {}, 90));
    Image two_channels = test_pattern(8, 8, 1, 0);
    two_channels.channels = 2;
    two_channels.pixels.resize(8 * 8 * 2);
    auto const result = encode_jpeg(two_channels, 90);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::usage);

    Image short_buffer = test_pattern(8, 8, 3, 0);
    short_buffer.pixels.resize(10);
    CHECK_FALSE(encode_jpeg(short_buffer, 90));
}

TEST_CASE("damaged JPEG data gives an error, not a crash")
{
    auto const jpeg = encode_jpeg(test_pattern(120, 90, 3, 150), 90);
    REQUIRE(jpeg);

    SECTION("empty")
    {
        auto const result = decode_jpeg({});
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::io);
    }
    SECTION("garbage")
    {
        std::vector<uint8_t> garbage(4096);
        for (size_t i = 0; i < garbage.size(); ++i)
            garbage[i] = static_cast<uint8_t>(i * 7919 >> 3);
        CHECK_FALSE(decode_jpeg(garbage));
    }
    SECTION("garbage after a JPEG signature")
    {
        std::vector<uint8_t> garbage { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x03, 0x12, 0x34, 0x56, 0x78, 0x9A };
        auto const result = decode_jpeg(garbage);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::io);
        CHECK_FALSE(result.error().detail.empty());
    }
    SECTION("truncated at every tenth of its length")
    {
        for (size_t tenth = 1; tenth < 10; ++tenth) {
            std::span<const uint8_t> const truncated(jpeg->data(), jpeg->size() * tenth / 10);
            auto const result = decode_jpeg(truncated);
            INFO("kept " << truncated.size() << " of " << jpeg->size() << " bytes");
            REQUIRE_FALSE(result);
            CHECK(result.error().code == ErrorCode::io);
        }
    }
    SECTION("corrupted entropy data")
    {
        // Flipping bytes in the compressed data may decode to wrong pixels, but must never crash.
        std::vector<uint8_t> corrupted = *jpeg;
        for (size_t i = corrupted.size() / 2; i < corrupted.size() - 2; i += 13)
            corrupted[i] ^= 0x5A;
        auto const result = decode_jpeg(corrupted);
        if (result)
            CHECK(result->pixels.size() == result->row_bytes() * static_cast<size_t>(result->height));
    }
}

TEST_CASE("a JPEG header announcing gigapixels is refused before decoding")
{
    auto jpeg = encode_jpeg(test_pattern(32, 32, 3, 0), 90);
    REQUIRE(jpeg);
    std::vector<uint8_t> const start_of_frame { 0xFF, 0xC0 };
    auto const frame = std::search(jpeg->begin(), jpeg->end(), start_of_frame.begin(), start_of_frame.end());
    REQUIRE(frame != jpeg->end());
    // Marker, length, precision, then height and width: both become 60000.
    for (size_t offset : { 5u, 7u }) {
        frame[static_cast<std::ptrdiff_t>(offset)] = 0xEA;
        frame[static_cast<std::ptrdiff_t>(offset) + 1] = 0x60;
    }
    auto const decoded = decode_jpeg(*jpeg);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == ErrorCode::io);
    CHECK(decoded.error().detail.find("too large") != std::string::npos);
}

TEST_CASE("JPEG encoding speed of a 300 dpi A4 colour page", "[.][benchmark]")
{
    Image const page = kiosk::drivers::synthesize_page(0, 300, kiosk::drivers::ColorMode::color);
    auto const start = std::chrono::steady_clock::now();
    auto const jpeg = encode_jpeg(page, 85);
    auto const elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(jpeg);
    WARN("encoded " << page.width << "x" << page.height << " in "
                    << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms, "
                    << jpeg->size() / 1024 << " KiB");
}
