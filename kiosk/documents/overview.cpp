// Block-averaged grey overviews of scans.
#include "kiosk/documents/overview.h"

#include <algorithm>
#include <cmath>

namespace kiosk::documents {

int overview_factor(int dpi)
{
    if (dpi <= 0)
        return 3; // unknown: assume the common 300 dpi
    return std::max(1, static_cast<int>(std::lround(dpi / 100.0)));
}

Image reduce_to_gray(const Image& image, int factor)
{
    if (image.empty() || factor < 1 || (image.channels != 1 && image.channels != 3))
        return {};
    Image out;
    out.width = (image.width + factor - 1) / factor;
    out.height = (image.height + factor - 1) / factor;
    out.channels = 1;
    out.dpi = image.dpi / factor;
    out.pixels.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height));

    // Column sums of luma (weights 77/150/29 as to_gray, so × 256) over the block's rows, then one sum per
    // block. uint32 holds 256 × 255 × factor² for factors up to 256.
    std::vector<uint32_t> sums(static_cast<size_t>(image.width));
    for (int oy = 0; oy < out.height; ++oy) {
        std::fill(sums.begin(), sums.end(), 0);
        int const y0 = oy * factor;
        int const y1 = std::min(image.height, y0 + factor);
        for (int y = y0; y < y1; ++y) {
            uint8_t const* row = image.pixels.data() + image.row_bytes() * static_cast<size_t>(y);
            if (image.channels == 1) {
                for (int x = 0; x < image.width; ++x)
                    sums[static_cast<size_t>(x)] += 256u * row[x];
            } else {
                for (int x = 0; x < image.width; ++x, row += 3)
                    sums[static_cast<size_t>(x)] += 77u * row[0] + 150u * row[1] + 29u * row[2];
            }
        }
        uint8_t* dst = out.pixels.data() + static_cast<size_t>(out.width) * static_cast<size_t>(oy);
        for (int ox = 0; ox < out.width; ++ox) {
            int const x0 = ox * factor;
            int const x1 = std::min(image.width, x0 + factor);
            uint64_t total = 0;
            for (int x = x0; x < x1; ++x)
                total += sums[static_cast<size_t>(x)];
            uint64_t const count = static_cast<uint64_t>(x1 - x0) * static_cast<uint64_t>(y1 - y0) * 256u;
            dst[ox] = static_cast<uint8_t>(std::min<uint64_t>(255, (total + count / 2) / count));
        }
    }
    return out;
}

} // namespace kiosk::documents
