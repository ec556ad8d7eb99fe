// Pixel conversions on scanned images: grey conversion and thumbnail downscaling.
#include "kiosk/documents/image.h"

#include <algorithm>
#include <cmath>

namespace kiosk::documents {

Image to_gray(const Image& image)
{
    if (image.channels != 3)
        return image;

    Image gray;
    gray.width = image.width;
    gray.height = image.height;
    gray.channels = 1;
    gray.dpi = image.dpi;
    size_t const pixel_count = static_cast<size_t>(image.width) * static_cast<size_t>(image.height);
    gray.pixels.resize(pixel_count);

    // BT.601 weights scaled to 8 bits (77 + 150 + 29 = 256), so white stays exactly 255.
    uint8_t const* rgb = image.pixels.data();
    uint8_t* out = gray.pixels.data();
    for (size_t i = 0; i < pixel_count; ++i, rgb += 3) {
        uint32_t const luma = 77u * rgb[0] + 150u * rgb[1] + 29u * rgb[2] + 128u;
        out[i] = static_cast<uint8_t>(luma >> 8);
    }
    return gray;
}

namespace {

// How one output column (or row) of a box filter covers the source: source pixels first..last, the first and
// last only partly. Distances are in units where a source pixel is out_size long and an output pixel is
// in_size long, so every weight is an exact integer.
struct BoxSpan {
    int first = 0;
    int last = 0;
    uint32_t first_weight = 0;
    uint32_t last_weight = 0; // 0 when first == last
};

std::vector<BoxSpan> box_spans(int in_size, int out_size)
{
    std::vector<BoxSpan> spans(static_cast<size_t>(out_size));
    auto const in = static_cast<int64_t>(in_size);
    auto const out = static_cast<int64_t>(out_size);
    for (int64_t o = 0; o < out; ++o) {
        int64_t const begin = o * in; // in source units times out
        int64_t const end = begin + in;
        BoxSpan& span = spans[static_cast<size_t>(o)];
        span.first = static_cast<int>(begin / out);
        span.last = static_cast<int>((end - 1) / out);
        if (span.first == span.last) {
            span.first_weight = static_cast<uint32_t>(in);
        } else {
            span.first_weight = static_cast<uint32_t>((span.first + 1) * out - begin);
            span.last_weight = static_cast<uint32_t>(end - span.last * out);
        }
    }
    return spans;
}

// The two loops over every source byte are written in blocks of a fixed 16 with unaliased pointers: that is
// what lets GCC vectorise them at -O2, where its cost model refuses loops that would need a remainder.
void add_row(uint8_t const* __restrict row, uint32_t* __restrict inner, size_t count)
{
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        for (size_t k = 0; k < 16; ++k)
            inner[i + k] += row[i + k];
    }
    for (; i < count; ++i)
        inner[i] += row[i];
}

// sums[i] = inner[i] × inner_weight + first[i] × first_weight + last[i] × last_weight
void weigh_rows(uint32_t const* __restrict inner, uint32_t inner_weight, uint8_t const* __restrict first,
    uint32_t first_weight, uint8_t const* __restrict last, uint32_t last_weight, uint32_t* __restrict sums,
    size_t count)
{
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        for (size_t k = 0; k < 16; ++k)
            sums[i + k] = inner[i + k] * inner_weight + first[i + k] * first_weight + last[i + k] * last_weight;
    }
    for (; i < count; ++i)
        sums[i] = inner[i] * inner_weight + first[i] * first_weight + last[i] * last_weight;
}

// Rounded division by a divisor fixed for the whole image, as a multiplication: with m = 2^64 / d + 1,
// (x × m) >> 64 equals x / d exactly while x × d < 2^64. Our x stay below 256 × d, so that holds for d below
// 2^28 (a 268-megapixel source); larger ones divide the slow way.
class RoundedDivider {
public:
    explicit RoundedDivider(uint64_t divisor)
        : m_divisor(divisor)
        , m_multiplier(
              divisor >= 2 ? static_cast<uint64_t>((static_cast<unsigned __int128>(1) << 64) / divisor + 1) : 0)
        , m_by_multiplication(divisor >= 2 && divisor < (uint64_t { 1 } << 28))
    {
    }

    uint64_t operator()(uint64_t value) const
    {
        value += m_divisor / 2;
        if (m_by_multiplication)
            return static_cast<uint64_t>((static_cast<unsigned __int128>(value) * m_multiplier) >> 64);
        return value / m_divisor;
    }

private:
    uint64_t m_divisor;
    uint64_t m_multiplier;
    bool m_by_multiplication;
};

// Horizontal pass of the box filter over one row of column sums; the channel count is a template argument so
// the per-channel loops unroll.
template<int Channels>
void reduce_row(uint32_t const* sums, std::vector<BoxSpan> const& columns, uint64_t full_weight,
    RoundedDivider const& divide, uint8_t* out)
{
    for (BoxSpan const& column : columns) {
        for (int c = 0; c < Channels; ++c) {
            uint64_t total = uint64_t { sums[column.first * Channels + c] } * column.first_weight;
            if (column.last != column.first) {
                uint64_t middle = 0;
                for (int i = column.first + 1; i < column.last; ++i)
                    middle += sums[i * Channels + c];
                total += middle * full_weight + uint64_t { sums[column.last * Channels + c] } * column.last_weight;
            }
            *out++ = static_cast<uint8_t>(divide(total));
        }
    }
}

} // namespace

Image downscale(const Image& image, int max_width, int max_height)
{
    if (image.empty() || max_width <= 0 || max_height <= 0 || (image.channels != 1 && image.channels != 3))
        return {};
    if (image.width <= max_width && image.height <= max_height)
        return image;

    // The tighter of the two limits decides; the other side follows the aspect ratio, rounded.
    int out_width = 0;
    int out_height = 0;
    auto const w = static_cast<int64_t>(image.width);
    auto const h = static_cast<int64_t>(image.height);
    if (w * max_height >= h * max_width) {
        out_width = std::min(max_width, image.width);
        out_height = static_cast<int>((h * out_width + w / 2) / w);
    } else {
        out_height = std::min(max_height, image.height);
        out_width = static_cast<int>((w * out_height + h / 2) / h);
    }
    out_width = std::clamp(out_width, 1, image.width);
    out_height = std::clamp(out_height, 1, image.height);

    Image out;
    out.width = out_width;
    out.height = out_height;
    out.channels = image.channels;
    out.dpi
        = image.dpi > 0 ? static_cast<int>(std::lround(static_cast<double>(image.dpi) * out_width / image.width)) : 0;
    out.pixels.resize(out.row_bytes() * static_cast<size_t>(out_height));

    auto const columns = box_spans(image.width, out_width);
    auto const rows = box_spans(image.height, out_height);

    // Vertical pass first, over contiguous bytes: the source rows fully inside an output row are summed
    // unweighted (the hot loop is one addition per byte), then the partly covered first and last rows are
    // added with their weights. The horizontal pass then runs once per output row, and one division per
    // output value gives the exact area average.
    size_t const in_row_values = image.row_bytes();
    std::vector<uint32_t> inner_rows(in_row_values);
    std::vector<uint32_t> column_sums(in_row_values);
    auto const full_row_weight = static_cast<uint32_t>(out_height);
    RoundedDivider const divide(static_cast<uint64_t>(image.width) * static_cast<uint64_t>(image.height));
    auto source_row = [&](int y) { return image.pixels.data() + in_row_values * static_cast<size_t>(y); };

    for (int out_row = 0; out_row < out_height; ++out_row) {
        BoxSpan const& span = rows[static_cast<size_t>(out_row)];
        std::fill(inner_rows.begin(), inner_rows.end(), 0);
        for (int y = span.first + 1; y < span.last; ++y)
            add_row(source_row(y), inner_rows.data(), in_row_values);
        uint8_t const* first = source_row(span.first);
        uint8_t const* last = source_row(span.last);
        uint32_t const last_weight = span.last != span.first ? span.last_weight : 0;
        weigh_rows(inner_rows.data(), full_row_weight, first, span.first_weight, last, last_weight, column_sums.data(),
            in_row_values);

        uint8_t* dst = out.pixels.data() + out.row_bytes() * static_cast<size_t>(out_row);
        if (image.channels == 1)
            reduce_row<1>(column_sums.data(), columns, static_cast<uint64_t>(out_width), divide, dst);
        else
            reduce_row<3>(column_sums.data(), columns, static_cast<uint64_t>(out_width), divide, dst);
    }
    return out;
}

} // namespace kiosk::documents
