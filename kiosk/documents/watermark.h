// Watermarks ("filigranes") over identity-document copies, so a copy cannot be reused for another purpose.
#pragma once

#include "kiosk/documents/image.h"

#include <cstdint>
#include <vector>

namespace kiosk::documents {

// A coverage mask of rendered text (0 = none, 255 = full), made by whoever owns the fonts.
struct AlphaMask {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> alpha;
};

// Repeats the mask in diagonal lines across the whole image (rotated by angle_degrees, rows spaced by
// line_spacing pixels, text repeated with gap pixels between copies), blended at opacity 0..1 in the
// given colour. Every part of the page gets covered, so no crop of the copy escapes the mark.
void apply_watermark(Image& image, AlphaMask const& text, double angle_degrees, int line_spacing, int gap,
    double opacity, uint8_t red, uint8_t green, uint8_t blue);

} // namespace kiosk::documents
