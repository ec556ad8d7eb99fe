// Paper detection: the frame's border gives the surround's brightness, the brightest pixels the paper's, and
// the paper is where rows and columns hold enough pixels brighter than half-way between the two.
#include "kiosk/documents/crop.h"

#include "kiosk/documents/overview.h"

#include <algorithm>
#include <array>
#include <vector>

namespace kiosk::documents {

namespace {

// The level below which `fraction` of the values lie.
int percentile(std::array<uint32_t, 256> const& histogram, uint64_t total, double fraction)
{
    auto const wanted = static_cast<uint64_t>(fraction * static_cast<double>(total));
    uint64_t seen = 0;
    for (int level = 0; level < 256; ++level) {
        seen += histogram[static_cast<size_t>(level)];
        if (seen > wanted)
            return level;
    }
    return 255;
}

// The surround's level (median of the overview's outermost ring) and the paper's (its 90th percentile).
struct Levels {
    int surround = 0;
    int paper = 0;
    // Paper scans at 200 or more; a surround within 60 levels of it is not a lid-open background, and a
    // guess would risk cutting the page.
    bool distinct() const { return paper - surround >= 60; }
    int threshold() const { return (paper + surround) / 2; }
};

Levels levels_of(const Image& overview)
{
    int const w = overview.width;
    int const h = overview.height;
    auto at = [&](int x, int y) {
        return overview.pixels[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)];
    };
    std::array<uint32_t, 256> border {};
    uint64_t border_count = 0;
    for (int x = 0; x < w; ++x) {
        ++border[at(x, 0)];
        ++border[at(x, h - 1)];
        border_count += 2;
    }
    for (int y = 1; y < h - 1; ++y) {
        ++border[at(0, y)];
        ++border[at(w - 1, y)];
        border_count += 2;
    }
    std::array<uint32_t, 256> all {};
    for (uint8_t v : overview.pixels)
        ++all[v];
    return { percentile(border, border_count, 0.5), percentile(all, overview.pixels.size(), 0.9) };
}

} // namespace

Image whiten_surround(const Image& overview)
{
    Image out = overview;
    if (overview.empty() || overview.channels != 1 || overview.width < 8 || overview.height < 8)
        return out;
    Levels const levels = levels_of(overview);
    if (!levels.distinct())
        return out;
    int const threshold = levels.threshold();
    int const w = out.width;
    int const h = out.height;
    // Flood from the border through everything darker than half-way to the paper: the surround, and the
    // corners it leaves around a turned sheet; print on the paper is never reached through the paper.
    std::vector<int> pending;
    auto visit = [&](int x, int y) {
        uint8_t& v = out.pixels[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)];
        if (v < threshold) {
            v = 255;
            pending.push_back(y * w + x);
        }
    };
    for (int x = 0; x < w; ++x) {
        visit(x, 0);
        visit(x, h - 1);
    }
    for (int y = 0; y < h; ++y) {
        visit(0, y);
        visit(w - 1, y);
    }
    while (!pending.empty()) {
        int const at = pending.back();
        pending.pop_back();
        int const x = at % w, y = at / w;
        if (x > 0)
            visit(x - 1, y);
        if (x + 1 < w)
            visit(x + 1, y);
        if (y > 0)
            visit(x, y - 1);
        if (y + 1 < h)
            visit(x, y + 1);
    }
    return out;
}

Rect find_paper(const Image& overview, int factor, int frame_width, int frame_height)
{
    Rect const whole { 0, 0, frame_width, frame_height };
    if (overview.empty() || overview.channels != 1 || overview.width < 8 || overview.height < 8)
        return whole;
    int const w = overview.width;
    int const h = overview.height;
    auto at = [&](int x, int y) {
        return overview.pixels[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)];
    };

    Levels const levels = levels_of(overview);
    if (!levels.distinct())
        return whole;
    int const threshold = levels.threshold();

    // A row (column) belongs to the paper when at least 2 % of it is bright: robust to specks of dust on the
    // platen and still catches the corner rows of a slightly rotated page.
    std::vector<int> row_bright(static_cast<size_t>(h)), column_bright(static_cast<size_t>(w));
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            if (at(x, y) >= threshold) {
                ++row_bright[static_cast<size_t>(y)];
                ++column_bright[static_cast<size_t>(x)];
            }
        }
    }
    int const row_needed = std::max(2, w / 50);
    int const column_needed = std::max(2, h / 50);
    int top = 0, bottom = h - 1, left = 0, right = w - 1;
    while (top < h && row_bright[static_cast<size_t>(top)] < row_needed)
        ++top;
    while (bottom > top && row_bright[static_cast<size_t>(bottom)] < row_needed)
        --bottom;
    while (left < w && column_bright[static_cast<size_t>(left)] < column_needed)
        ++left;
    while (right > left && column_bright[static_cast<size_t>(right)] < column_needed)
        --right;
    if (top >= bottom || left >= right)
        return whole; // nothing bright enough to be paper: leave the frame alone

    // One overview pixel of margin: a block straddling the edge may average below the threshold.
    top = std::max(0, top - 1);
    left = std::max(0, left - 1);
    bottom = std::min(h - 1, bottom + 1);
    right = std::min(w - 1, right + 1);
    Rect rect;
    rect.x = left * factor;
    rect.y = top * factor;
    rect.width = std::min(frame_width, (right + 1) * factor) - rect.x;
    rect.height = std::min(frame_height, (bottom + 1) * factor) - rect.y;
    return rect;
}

Rect find_paper(const Image& frame)
{
    int const factor = overview_factor(frame.dpi);
    return find_paper(reduce_to_gray(frame, factor), factor, frame.width, frame.height);
}

Image crop(const Image& image, Rect rect)
{
    int const x0 = std::clamp(rect.x, 0, image.width);
    int const y0 = std::clamp(rect.y, 0, image.height);
    int const x1 = std::clamp(rect.x + rect.width, x0, image.width);
    int const y1 = std::clamp(rect.y + rect.height, y0, image.height);
    if (x0 == 0 && y0 == 0 && x1 == image.width && y1 == image.height)
        return image;
    Image out;
    out.width = x1 - x0;
    out.height = y1 - y0;
    out.channels = image.channels;
    out.dpi = image.dpi;
    out.pixels.resize(out.row_bytes() * static_cast<size_t>(out.height));
    for (int y = 0; y < out.height; ++y) {
        uint8_t const* src = image.pixels.data() + image.row_bytes() * static_cast<size_t>(y0 + y)
            + static_cast<size_t>(x0) * static_cast<size_t>(image.channels);
        std::copy_n(src, out.row_bytes(), out.pixels.data() + out.row_bytes() * static_cast<size_t>(y));
    }
    return out;
}

Image crop_to_paper(const Image& frame)
{
    return crop(frame, find_paper(frame));
}

} // namespace kiosk::documents
