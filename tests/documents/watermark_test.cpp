// Tests of the watermark: diagonal lines of text over the whole page, in the given colour and strength.
#include "kiosk/documents/watermark.h"

#include <catch2/catch.hpp>

using namespace kiosk::documents;

namespace {
AlphaMask bar_mask(int width, int height)
{
    return AlphaMask { width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height, 255) };
}

// Fraction of the rows×columns cells of the image holding at least one marked pixel.
double coverage(Image const& image, uint8_t untouched, int cells)
{
    int marked = 0;
    for (int cy = 0; cy < cells; ++cy) {
        for (int cx = 0; cx < cells; ++cx) {
            bool found = false;
            for (int y = cy * image.height / cells; y < (cy + 1) * image.height / cells && !found; ++y)
                for (int x = cx * image.width / cells; x < (cx + 1) * image.width / cells && !found; ++x)
                    found = image.pixels[(static_cast<size_t>(y) * image.width + x) * image.channels] != untouched;
            marked += found;
        }
    }
    return static_cast<double>(marked) / (cells * cells);
}
} // namespace

TEST_CASE("a watermark covers every part of the page")
{
    Image page { 1240, 1754, 1, 150, std::vector<uint8_t>(1240 * 1754, 255) };
    apply_watermark(page, bar_mask(300, 30), 30, 160, 60, 0.5, 0, 0, 145);
    CHECK(coverage(page, 255, 8) == 1.0);
    // Not a flat wash: most of the page stays readable.
    size_t untouched = std::count(page.pixels.begin(), page.pixels.end(), uint8_t(255));
    CHECK(untouched > page.pixels.size() / 2);
}

TEST_CASE("the watermark blends its colour at the given opacity")
{
    Image page { 64, 64, 3, 72, std::vector<uint8_t>(64 * 64 * 3, 255) };
    apply_watermark(page, bar_mask(64, 64), 0, 64, 0, 1.0, 225, 0, 15);
    CHECK(page.pixels[0] == 225);
    CHECK(page.pixels[1] == 0);
    CHECK(page.pixels[2] == 15);
    Image half { 8, 8, 1, 72, std::vector<uint8_t>(64, 255) };
    apply_watermark(half, bar_mask(8, 8), 0, 8, 0, 0.5, 0, 0, 0);
    CHECK(half.pixels[0] == Approx(128).margin(2));
}

TEST_CASE("an empty mask or image is left alone")
{
    Image page { 16, 16, 1, 72, std::vector<uint8_t>(256, 200) };
    apply_watermark(page, AlphaMask {}, 30, 10, 10, 1.0, 0, 0, 0);
    CHECK(std::all_of(page.pixels.begin(), page.pixels.end(), [](uint8_t v) { return v == 200; }));
    Image empty;
    apply_watermark(empty, bar_mask(4, 4), 30, 10, 10, 1.0, 0, 0, 0);
    CHECK(empty.pixels.empty());
}
