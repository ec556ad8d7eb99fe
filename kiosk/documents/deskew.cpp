// Projection-profile skew estimation on a grey overview, and a fixed-point bilinear rotation.
#include "kiosk/documents/deskew.h"

#include "kiosk/documents/overview.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace kiosk::documents {

namespace {

struct Point {
    int32_t x;
    int32_t y;
};

constexpr double radians(double degrees)
{
    return degrees * std::numbers::pi / 180.0;
}

// The profile's sum of squares for one angle; bins are half pixels.
uint64_t profile_score(
    std::vector<Point> const& points, int height, int width, double degrees, std::vector<uint32_t>& bins)
{
    // y' = y + x·tan(angle) undoes a counterclockwise rotation (on screen, y down) of the text lines.
    auto const slope = static_cast<int64_t>(std::lround(std::tan(radians(degrees)) * 2.0 * 65536.0));
    int64_t const pad = static_cast<int64_t>(std::ceil(std::tan(radians(max_skew_degrees + 1)) * 2.0 * width)) + 2;
    size_t const size = static_cast<size_t>(2 * height + 2 * pad);
    bins.assign(size, 0);
    for (Point const p : points) {
        int64_t const bin = 2 * int64_t { p.y } + ((int64_t { p.x } * slope) >> 16) + pad;
        ++bins[static_cast<size_t>(bin)];
    }
    uint64_t score = 0;
    for (uint32_t const count : bins)
        score += uint64_t { count } * count;
    return score;
}

} // namespace

double estimate_skew(const Image& overview, Rect region)
{
    if (overview.empty() || overview.channels != 1)
        return 0.0;
    int const x0 = std::clamp(region.x, 0, overview.width);
    int const y0 = std::clamp(region.y, 0, overview.height);
    int const x1 = std::clamp(region.x + region.width, x0, overview.width);
    int const y1 = std::clamp(region.y + region.height, y0, overview.height);
    // 3 % in from each edge: the paper's edges and the surround's wedges of a rotated page are not text.
    int const mx = (x1 - x0) * 3 / 100 + 1;
    int const my = (y1 - y0) * 3 / 100 + 1;
    int const ax = x0 + mx, bx = x1 - mx, ay = y0 + my, by = y1 - my;
    if (bx - ax < 16 || by - ay < 16)
        return 0.0;

    std::array<uint32_t, 256> histogram {};
    for (int y = ay; y < by; ++y)
        for (int x = ax; x < bx; ++x)
            ++histogram[overview.pixels[static_cast<size_t>(y) * static_cast<size_t>(overview.width)
                + static_cast<size_t>(x)]];
    uint64_t const total = static_cast<uint64_t>(bx - ax) * static_cast<uint64_t>(by - ay);
    uint64_t seen = 0;
    int paper = 255;
    for (int level = 0; level < 256; ++level) {
        seen += histogram[static_cast<size_t>(level)];
        if (seen > total * 9 / 10) {
            paper = level;
            break;
        }
    }
    // Ink is at least 50 levels darker than the paper: faint show-through from the back stays out.
    int const threshold = paper - 50;
    if (threshold <= 0)
        return 0.0;

    std::vector<Point> points;
    for (int y = ay; y < by; ++y) {
        uint8_t const* row = overview.pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(overview.width);
        for (int x = ax; x < bx; ++x)
            if (row[x] < threshold)
                points.push_back({ x - ax, y - ay });
    }
    if (points.size() < 200)
        return 0.0; // too little ink to tell a line from a speck
    // A photograph makes every pixel "ink"; a regular sample keeps the cost bounded and the answer the same.
    constexpr size_t max_points = 250000;
    if (points.size() > max_points) {
        size_t const stride = (points.size() + max_points - 1) / max_points;
        size_t kept = 0;
        for (size_t i = 0; i < points.size(); i += stride)
            points[kept++] = points[i];
        points.resize(kept);
    }

    int const width = bx - ax;
    int const height = by - ay;
    std::vector<uint32_t> bins;
    auto search = [&](double center, double half_range, double step) {
        double best = center;
        uint64_t best_score = 0;
        int const steps = static_cast<int>(std::lround(half_range / step));
        for (int i = -steps; i <= steps; ++i) {
            double const angle = std::clamp(center + i * step, -max_skew_degrees, max_skew_degrees);
            uint64_t const score = profile_score(points, height, width, angle, bins);
            // Ties go to the angle nearer 0, so a page without lines is not rotated for nothing.
            if (score > best_score || (score == best_score && std::abs(angle) < std::abs(best))) {
                best_score = score;
                best = angle;
            }
        }
        return best;
    };
    double angle = search(0.0, max_skew_degrees, 0.5);
    angle = search(angle, 0.5, 0.1);
    angle = search(angle, 0.1, 0.02);
    return angle;
}

double estimate_skew(const Image& overview)
{
    return estimate_skew(overview, Rect { 0, 0, overview.width, overview.height });
}

namespace {

// The range of output columns [first, last) whose bilinear footprint lies wholly inside the source, for a
// source coordinate start + step × x (16.16) that must stay in [0, (size − 1) << 16). Conservative by a
// pixel on each side: the careful path handles whatever this leaves out.
void narrow_to_inside(int64_t start, int64_t step, int size, int& first, int& last)
{
    int64_t const limit = (int64_t { size } - 1) << 16;
    if (step == 0) {
        if (start < 0 || start >= limit)
            last = first;
        return;
    }
    // start + step·x >= 0 and start + step·x < limit, solved for x in doubles then tightened by one.
    double const a = -static_cast<double>(start) / static_cast<double>(step);
    double const b = static_cast<double>(limit - start) / static_cast<double>(step);
    double const low = std::min(a, b);
    double const high = std::max(a, b);
    first = std::max(first, static_cast<int>(std::clamp(std::ceil(low), -1.0, 1e9)) + 1);
    last = std::min(last, static_cast<int>(std::clamp(std::floor(high), -1.0, 1e9)) - 1);
    if (last < first)
        last = first;
}

template<int Channels>
void rotate_rows(const Image& image, Rect rect, double degrees, Image& out)
{
    double const c = std::cos(radians(degrees));
    double const s = std::sin(radians(degrees));
    double const cx = rect.width / 2.0;
    double const cy = rect.height / 2.0;
    auto const step_x = static_cast<int64_t>(std::llround(c * 65536.0));
    auto const step_y = static_cast<int64_t>(std::llround(s * 65536.0));
    int const w = rect.width;
    int const h = rect.height;
    size_t const stride = image.row_bytes();
    uint8_t const* origin
        = image.pixels.data() + static_cast<size_t>(rect.y) * stride + static_cast<size_t>(rect.x) * Channels;

    // A sample outside rect reads as white, so the page's new corners are paper-coloured, not black.
    auto fetch = [&](int x, int y, int channel) -> uint32_t {
        if (x < 0 || y < 0 || x >= w || y >= h)
            return 255;
        return origin[static_cast<size_t>(y) * stride + static_cast<size_t>(x) * Channels
            + static_cast<size_t>(channel)];
    };
    auto careful = [&](int64_t sx, int64_t sy, uint8_t* dst) {
        auto const ix = static_cast<int>(sx >> 16);
        auto const iy = static_cast<int>(sy >> 16);
        auto const fx = static_cast<uint32_t>((sx >> 8) & 0xFF);
        auto const fy = static_cast<uint32_t>((sy >> 8) & 0xFF);
        for (int ch = 0; ch < Channels; ++ch) {
            uint32_t const top = fetch(ix, iy, ch) * (256 - fx) + fetch(ix + 1, iy, ch) * fx;
            uint32_t const bottom = fetch(ix, iy + 1, ch) * (256 - fx) + fetch(ix + 1, iy + 1, ch) * fx;
            dst[ch] = static_cast<uint8_t>((top * (256 - fy) + bottom * fy + 32768) >> 16);
        }
    };

    for (int yo = 0; yo < h; ++yo) {
        // Output pixel centre (xo + ½, yo + ½) maps back through the inverse rotation to a source position;
        // minus ½ turns it into the coordinates of the pixel grid the bilinear weights are taken on.
        double const dx = 0.5 - cx;
        double const dy = yo + 0.5 - cy;
        auto const sx0 = static_cast<int64_t>(std::llround((c * dx - s * dy + cx - 0.5) * 65536.0));
        auto const sy0 = static_cast<int64_t>(std::llround((s * dx + c * dy + cy - 0.5) * 65536.0));
        uint8_t* __restrict row = out.pixels.data() + out.row_bytes() * static_cast<size_t>(yo);

        int first = 0;
        int last = w;
        narrow_to_inside(sx0, step_x, w, first, last);
        narrow_to_inside(sy0, step_y, h, first, last);

        for (int xo = 0; xo < first; ++xo)
            careful(sx0 + step_x * xo, sy0 + step_y * xo, row + xo * Channels);
        // The hot loop: every footprint inside, so no bounds checks; 32-bit positions (images are far
        // below 32768 pixels a side) and the four weights computed once per pixel for all channels.
        auto sx = static_cast<int32_t>(sx0 + step_x * first);
        auto sy = static_cast<int32_t>(sy0 + step_y * first);
        auto const dsx = static_cast<int32_t>(step_x);
        auto const dsy = static_cast<int32_t>(step_y);
        uint8_t* __restrict dst = row + first * Channels;
        for (int xo = first; xo < last; ++xo, sx += dsx, sy += dsy, dst += Channels) {
            auto const fx = static_cast<uint32_t>(sx >> 8) & 0xFF;
            auto const fy = static_cast<uint32_t>(sy >> 8) & 0xFF;
            uint32_t const w11 = fx * fy;
            uint32_t const w10 = (fx << 8) - w11; // fx · (256 − fy)
            uint32_t const w01 = (fy << 8) - w11; // (256 − fx) · fy
            uint32_t const w00 = 65536 - w10 - w01 - w11;
            uint8_t const* __restrict p
                = origin + static_cast<size_t>(sy >> 16) * stride + static_cast<size_t>(sx >> 16) * Channels;
            uint8_t const* __restrict q = p + stride;
            for (int ch = 0; ch < Channels; ++ch)
                dst[ch] = static_cast<uint8_t>(
                    (p[ch] * w00 + p[ch + Channels] * w10 + q[ch] * w01 + q[ch + Channels] * w11 + 32768) >> 16);
        }
        for (int xo = std::max(first, last); xo < w; ++xo)
            careful(sx0 + step_x * xo, sy0 + step_y * xo, row + xo * Channels);
    }
}

} // namespace

Image crop_and_rotate(const Image& image, Rect rect, double degrees)
{
    rect.x = std::clamp(rect.x, 0, image.width);
    rect.y = std::clamp(rect.y, 0, image.height);
    rect.width = std::clamp(rect.width, 0, image.width - rect.x);
    rect.height = std::clamp(rect.height, 0, image.height - rect.y);
    if (image.empty() || rect.width == 0 || rect.height == 0 || (image.channels != 1 && image.channels != 3))
        return {};
    Image out;
    out.width = rect.width;
    out.height = rect.height;
    out.channels = image.channels;
    out.dpi = image.dpi;
    out.pixels.resize(out.row_bytes() * static_cast<size_t>(out.height));
    if (image.channels == 1)
        rotate_rows<1>(image, rect, degrees, out);
    else
        rotate_rows<3>(image, rect, degrees, out);
    return out;
}

Image rotate(const Image& image, double degrees)
{
    return crop_and_rotate(image, Rect { 0, 0, image.width, image.height }, degrees);
}

Image deskew(const Image& page, double* skew_degrees)
{
    double const angle = estimate_skew(reduce_to_gray(page, overview_factor(page.dpi)));
    if (skew_degrees)
        *skew_degrees = angle;
    if (std::abs(angle) <= min_correction_degrees)
        return page;
    return rotate(page, -angle);
}

} // namespace kiosk::documents
