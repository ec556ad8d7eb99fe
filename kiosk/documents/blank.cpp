// Blank-page detection by the area of clustered ink on a grey overview.
#include "kiosk/documents/blank.h"

#include "kiosk/documents/overview.h"

#include <algorithm>
#include <array>

namespace kiosk::documents {

bool is_blank(const Image& overview, Rect region)
{
    if (overview.empty() || overview.channels != 1)
        return true;
    int const x0 = std::clamp(region.x, 0, overview.width);
    int const y0 = std::clamp(region.y, 0, overview.height);
    int const x1 = std::clamp(region.x + region.width, x0, overview.width);
    int const y1 = std::clamp(region.y + region.height, y0, overview.height);
    int const ax = x0 + (x1 - x0) * 3 / 100 + 1, bx = x1 - (x1 - x0) * 3 / 100 - 1;
    int const ay = y0 + (y1 - y0) * 3 / 100 + 1, by = y1 - (y1 - y0) * 3 / 100 - 1;
    if (bx - ax < 3 || by - ay < 3)
        return true;
    auto at = [&](int x, int y) {
        return overview.pixels[static_cast<size_t>(y) * static_cast<size_t>(overview.width) + static_cast<size_t>(x)];
    };

    std::array<uint32_t, 256> histogram {};
    for (int y = ay; y < by; ++y)
        for (int x = ax; x < bx; ++x)
            ++histogram[at(x, y)];
    uint64_t const total = static_cast<uint64_t>(bx - ax) * static_cast<uint64_t>(by - ay);
    uint64_t seen = 0;
    int paper = 255;
    for (int level = 0; level < 256; ++level) {
        seen += histogram[static_cast<size_t>(level)];
        if (seen * 2 > total) {
            paper = level;
            break;
        }
    }
    int const threshold = paper - blank_ink_contrast;
    if (threshold < 0)
        return false; // a page darker than any paper is a photograph or a dark form, not a blank sheet

    double const dpi = overview.dpi > 0 ? overview.dpi : 100.0;
    double const pixel_mm2 = (25.4 / dpi) * (25.4 / dpi);
    auto const needed = static_cast<uint64_t>(blank_max_ink_mm2 / pixel_mm2) + 1;
    uint64_t ink = 0;
    for (int y = ay + 1; y < by - 1; ++y) {
        for (int x = ax + 1; x < bx - 1; ++x) {
            if (at(x, y) >= threshold)
                continue;
            int neighbours = 0;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    neighbours += (dx || dy) && at(x + dx, y + dy) < threshold;
            if (neighbours >= 2 && ++ink >= needed)
                return false;
        }
    }
    return true;
}

bool is_blank_page(const Image& page)
{
    Image const overview = reduce_to_gray(page, overview_factor(page.dpi));
    return is_blank(overview, Rect { 0, 0, overview.width, overview.height });
}

} // namespace kiosk::documents
