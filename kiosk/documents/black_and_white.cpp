// Otsu thresholding for black-and-white output.
#include "kiosk/documents/black_and_white.h"

#include <algorithm>
#include <array>

namespace kiosk::documents {

int otsu_threshold(const Image& gray)
{
    std::array<uint64_t, 256> histogram {};
    for (uint8_t v : gray.pixels)
        ++histogram[v];
    uint64_t const total = gray.pixels.size();
    if (total == 0)
        return 128;
    double sum_all = 0;
    for (int level = 0; level < 256; ++level)
        sum_all += static_cast<double>(level) * static_cast<double>(histogram[static_cast<size_t>(level)]);
    double sum_below = 0;
    uint64_t count_below = 0;
    double best_variance = -1;
    int best = 128;
    for (int level = 0; level < 256; ++level) {
        count_below += histogram[static_cast<size_t>(level)];
        sum_below += static_cast<double>(level) * static_cast<double>(histogram[static_cast<size_t>(level)]);
        if (count_below == 0 || count_below == total)
            continue;
        auto const below = static_cast<double>(count_below);
        auto const above = static_cast<double>(total - count_below);
        double const mean_below = sum_below / below;
        double const mean_above = (sum_all - sum_below) / above;
        double const variance = below * above * (mean_below - mean_above) * (mean_below - mean_above);
        if (variance > best_variance) {
            best_variance = variance;
            best = level + 1; // pixels below `best` are ink
        }
    }
    return std::clamp(best, 64, 224);
}

Image to_black_and_white(const Image& image)
{
    Image out = to_gray(image);
    int const threshold = otsu_threshold(out);
    for (uint8_t& v : out.pixels)
        v = v < threshold ? 0 : 255;
    return out;
}

} // namespace kiosk::documents
