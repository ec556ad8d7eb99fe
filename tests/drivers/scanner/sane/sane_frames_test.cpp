// Raw SANE frame conversion: lineart bits, 16-bit samples, line padding and three-pass assembly.
#include "drivers/scanner/sane/sane_frames.h"

#include <catch2/catch.hpp>

using namespace kiosk::drivers::sane_frames;

TEST_CASE("grey lineart: a set bit is black and padding bytes are skipped")
{
    FrameLayout layout { FrameFormat::gray, 1, 2, 10 };
    std::vector<uint8_t> raw { 0b1010'0000, 0b0100'0000, 0b0000'0000, 0b1100'0000 };
    auto out = to_8bit(layout, raw);
    REQUIRE(out.size() == 20);
    CHECK(out[0] == 0);
    CHECK(out[1] == 255);
    CHECK(out[2] == 0);
    CHECK(out[9] == 0);
    CHECK(out[10] == 255);
    CHECK(out[17] == 255);
    CHECK(out[18] == 0);
    CHECK(out[19] == 0);
}

TEST_CASE("16-bit samples keep their high byte and a partial last line is dropped")
{
    FrameLayout layout { FrameFormat::rgb, 16, 6, 1 };
    uint16_t samples[] = { 0xffff, 0x8000, 0x00ff, 0x1234 };
    std::vector<uint8_t> raw(reinterpret_cast<uint8_t*>(samples), reinterpret_cast<uint8_t*>(samples) + sizeof samples);
    auto out = to_8bit(layout, raw);
    REQUIRE(out.size() == 3);
    CHECK(out[0] == 0xff);
    CHECK(out[1] == 0x80);
    CHECK(out[2] == 0x00);
}

TEST_CASE("three single-colour frames become one RGB image")
{
    PageAssembler assembler;
    std::vector<uint8_t> red { 10, 11, 12, 13 }, green { 20, 21, 22, 23 }, blue { 30, 31, 32, 33 };
    assembler.add_frame({ FrameFormat::green, 8, 2, 2 }, green);
    assembler.add_frame({ FrameFormat::blue, 8, 2, 2 }, blue);
    assembler.add_frame({ FrameFormat::red, 8, 2, 2 }, red);
    auto image = assembler.finish(300);
    REQUIRE(image);
    CHECK(image->width == 2);
    CHECK(image->height == 2);
    CHECK(image->channels == 3);
    CHECK(image->dpi == 300);
    CHECK(image->pixels == std::vector<uint8_t> { 10, 20, 30, 11, 21, 31, 12, 22, 32, 13, 23, 33 });
}

TEST_CASE("invalid layouts and empty frames give no page")
{
    CHECK_FALSE(layout_is_valid({ FrameFormat::gray, 4, 10, 10 }));
    CHECK_FALSE(layout_is_valid({ FrameFormat::rgb, 8, 5, 2 }));
    PageAssembler assembler;
    assembler.add_frame({ FrameFormat::gray, 8, 4, 4 }, std::vector<uint8_t> { 1, 2 });
    CHECK_FALSE(assembler.finish(100));
}
