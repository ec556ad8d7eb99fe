// Tiles rotated text over an image by inverse mapping: each pixel asks which point of the text tile lies under it.
#include "kiosk/documents/watermark.h"

#include <algorithm>
#include <cmath>

namespace kiosk::documents {

void apply_watermark(Image& image, AlphaMask const& text, double angle_degrees, int line_spacing, int gap,
    double opacity, uint8_t red, uint8_t green, uint8_t blue)
{
    if (image.empty() || text.width <= 0 || text.height <= 0
        || text.alpha.size() < static_cast<size_t>(text.width) * text.height)
        return;
    int const tile_w = text.width + std::max(gap, 0);
    int const tile_h = std::max(line_spacing, text.height);
    double const radians = angle_degrees * M_PI / 180.0;
    // Fixed point (16.16) steps of the inverse rotation along a row.
    auto const cos_a = static_cast<int64_t>(std::lround(std::cos(radians) * 65536));
    auto const sin_a = static_cast<int64_t>(std::lround(std::sin(radians) * 65536));
    int const strength = static_cast<int>(std::clamp(opacity, 0.0, 1.0) * 256);
    uint8_t const grey = static_cast<uint8_t>((red * 77 + green * 150 + blue * 29) >> 8);
    int64_t const tile_w_fixed = int64_t(tile_w) << 16;
    int64_t const tile_h_fixed = int64_t(tile_h) << 16;
    for (int y = 0; y < image.height; ++y) {
        // Text coordinates of pixel (0, y): u = x cos + y sin, v = -x sin + y cos.
        int64_t u = int64_t(y) * sin_a;
        int64_t v = int64_t(y) * cos_a;
        uint8_t* row = image.pixels.data() + image.row_bytes() * static_cast<size_t>(y);
        for (int x = 0; x < image.width; ++x, u += cos_a, v -= sin_a) {
            int64_t tu = u % tile_w_fixed;
            int64_t tv = v % tile_h_fixed;
            if (tu < 0)
                tu += tile_w_fixed;
            if (tv < 0)
                tv += tile_h_fixed;
            int const tx = static_cast<int>(tu >> 16);
            int const ty = static_cast<int>(tv >> 16);
            if (tx >= text.width || ty >= text.height)
                continue;
            int const a = text.alpha[static_cast<size_t>(ty) * text.width + tx] * strength >> 8;
            if (a == 0)
                continue;
            uint8_t* p = row + static_cast<size_t>(x) * image.channels;
            if (image.channels == 1) {
                p[0] = static_cast<uint8_t>((p[0] * (255 - a) + grey * a) / 255);
            } else {
                p[0] = static_cast<uint8_t>((p[0] * (255 - a) + red * a) / 255);
                p[1] = static_cast<uint8_t>((p[1] * (255 - a) + green * a) / 255);
                p[2] = static_cast<uint8_t>((p[2] * (255 - a) + blue * a) / 255);
            }
        }
    }
}

} // namespace kiosk::documents
