// Raw scanner frames made from synthetic pages, for the pipeline tests and the documents benchmark: a page
// turned on the platen, a page on the dark surround of an open lid, a blank sheet, a sheet with one line.
#pragma once

#include "kiosk/documents/image.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace kiosk::test {

// The page turned counterclockwise (as seen on screen) by degrees about its centre, same size, `outside` (white)
// where nothing of the page lands. Nearest neighbour and floating point: deliberately not the pipeline's code.
inline documents::Image turned_page(documents::Image const& page, double degrees, uint8_t outside = 255)
{
    documents::Image out = page;
    double const a = degrees * std::numbers::pi / 180.0;
    double const c = std::cos(a), s = std::sin(a);
    double const cx = page.width / 2.0, cy = page.height / 2.0;
    size_t const ch = static_cast<size_t>(page.channels);
    for (int y = 0; y < page.height; ++y) {
        for (int x = 0; x < page.width; ++x) {
            // A page point (px, py) lands at (c·dx + s·dy, −s·dx + c·dy) around the centre; invert that.
            double const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
            auto const sx = static_cast<int>(std::floor(c * dx - s * dy + cx));
            auto const sy = static_cast<int>(std::floor(s * dx + c * dy + cy));
            uint8_t* dst = out.pixels.data()
                + (static_cast<size_t>(y) * static_cast<size_t>(page.width) + static_cast<size_t>(x)) * ch;
            if (sx < 0 || sy < 0 || sx >= page.width || sy >= page.height) {
                std::fill_n(dst, ch, outside);
                continue;
            }
            uint8_t const* src = page.pixels.data()
                + (static_cast<size_t>(sy) * static_cast<size_t>(page.width) + static_cast<size_t>(sx)) * ch;
            std::copy_n(src, ch, dst);
        }
    }
    return out;
}

// The page placed at (left, top) on a platen of the given size whose uncovered part is the dark grey of an
// open lid, with a little sensor noise.
inline documents::Image on_dark_platen(
    documents::Image const& page, int left, int top, int platen_width, int platen_height, uint8_t level = 28)
{
    documents::Image out;
    out.width = platen_width;
    out.height = platen_height;
    out.channels = page.channels;
    out.dpi = page.dpi;
    out.pixels.resize(out.row_bytes() * static_cast<size_t>(out.height));
    uint32_t state = 12345;
    for (uint8_t& v : out.pixels) {
        state = state * 1664525u + 1013904223u;
        v = static_cast<uint8_t>(level + static_cast<int>((state >> 24) % 9) - 4);
    }
    for (int y = 0; y < page.height; ++y) {
        int const ty = top + y;
        if (ty < 0 || ty >= out.height)
            continue;
        for (int x = 0; x < page.width; ++x) {
            int const tx = left + x;
            if (tx < 0 || tx >= out.width)
                continue;
            std::copy_n(page.pixels.data()
                    + (static_cast<size_t>(y) * static_cast<size_t>(page.width) + static_cast<size_t>(x))
                        * static_cast<size_t>(page.channels),
                page.channels,
                out.pixels.data()
                    + (static_cast<size_t>(ty) * static_cast<size_t>(out.width) + static_cast<size_t>(tx))
                        * static_cast<size_t>(page.channels));
        }
    }
    return out;
}

// An A4 sheet with nothing printed: off-white paper with grain and sensor noise, a few specks of dust, and,
// when show_through is given, that page's print seen faintly through the paper (mirrored, 8 % contrast).
inline documents::Image blank_sheet(int dpi, documents::Image const* show_through = nullptr)
{
    documents::Image out;
    out.width = static_cast<int>(std::lround(210.0 / 25.4 * dpi));
    out.height = static_cast<int>(std::lround(297.0 / 25.4 * dpi));
    out.channels = 1;
    out.dpi = dpi;
    out.pixels.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height));
    uint32_t state = 777;
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            state = state * 1664525u + 1013904223u;
            int v = 238 + static_cast<int>((state >> 24) % 11) - 5;
            if (show_through && y < show_through->height && x < show_through->width) {
                int const mirrored_x = show_through->width - 1 - x;
                int const ink = 255
                    - show_through->pixels[static_cast<size_t>(y) * static_cast<size_t>(show_through->width)
                        + static_cast<size_t>(mirrored_x)];
                v -= ink * 8 / 100;
            }
            out.pixels[static_cast<size_t>(y) * static_cast<size_t>(out.width) + static_cast<size_t>(x)]
                = static_cast<uint8_t>(std::clamp(v, 0, 255));
        }
    }
    // Dust: specks of about 0.1 mm, dark.
    for (int i = 0; i < 30; ++i) {
        state = state * 1664525u + 1013904223u;
        int const x = static_cast<int>((state >> 8) % static_cast<uint32_t>(out.width));
        state = state * 1664525u + 1013904223u;
        int const y = static_cast<int>((state >> 8) % static_cast<uint32_t>(out.height));
        out.pixels[static_cast<size_t>(y) * static_cast<size_t>(out.width) + static_cast<size_t>(x)] = 60;
    }
    return out;
}

// A blank sheet carrying one short line copied from a grey text page: `width_mm` of the first text line found
// below the middle of the page, starting at the left margin.
inline documents::Image sheet_with_one_line(documents::Image const& text_page, double width_mm = 40.0)
{
    documents::Image out = blank_sheet(text_page.dpi);
    double const px_per_mm = text_page.dpi / 25.4;
    auto const x0 = static_cast<int>(20 * px_per_mm);
    auto const x1 = std::min(text_page.width, x0 + static_cast<int>(width_mm * px_per_mm));
    int first_ink = -1;
    for (int y = text_page.height / 2; y < text_page.height && first_ink < 0; ++y)
        for (int x = x0; x < x1; ++x)
            if (text_page.pixels[static_cast<size_t>(y) * static_cast<size_t>(text_page.width) + static_cast<size_t>(x)]
                < 100) {
                first_ink = y;
                break;
            }
    if (first_ink < 0)
        return out;
    int const y0 = first_ink - static_cast<int>(px_per_mm);
    int const y1 = std::min(text_page.height, first_ink + static_cast<int>(3.5 * px_per_mm));
    for (int y = std::max(0, y0); y < std::min(y1, out.height); ++y)
        for (int x = x0; x < std::min(x1, out.width); ++x) {
            uint8_t& dst = out.pixels[static_cast<size_t>(y) * static_cast<size_t>(out.width) + static_cast<size_t>(x)];
            dst = std::min(dst,
                text_page
                    .pixels[static_cast<size_t>(y) * static_cast<size_t>(text_page.width) + static_cast<size_t>(x)]);
        }
    return out;
}

} // namespace kiosk::test
