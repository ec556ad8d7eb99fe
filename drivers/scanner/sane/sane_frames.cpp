// Conversion of raw SANE frame data to 8-bit grey or RGB images, including three-pass assembly.
#include "drivers/scanner/sane/sane_frames.h"

#include <algorithm>
#include <cstring>

namespace kiosk::drivers::sane_frames {

int samples_per_pixel(FrameFormat format)
{
    return format == FrameFormat::rgb ? 3 : 1;
}

bool layout_is_valid(FrameLayout const& layout)
{
    if (layout.depth != 1 && layout.depth != 8 && layout.depth != 16)
        return false;
    if (layout.pixels_per_line <= 0 || layout.bytes_per_line <= 0)
        return false;
    long long bits = static_cast<long long>(layout.pixels_per_line) * samples_per_pixel(layout.format) * layout.depth;
    return (bits + 7) / 8 <= layout.bytes_per_line;
}

std::vector<uint8_t> to_8bit(FrameLayout const& layout, std::span<uint8_t const> raw)
{
    if (!layout_is_valid(layout))
        return {};
    size_t const stride = static_cast<size_t>(layout.bytes_per_line);
    size_t const lines = raw.size() / stride;
    size_t const samples
        = static_cast<size_t>(layout.pixels_per_line) * static_cast<size_t>(samples_per_pixel(layout.format));
    std::vector<uint8_t> out(lines * samples);
    // Lineart in a grey frame: 1 means black. In colour frames a set bit is full intensity.
    bool const set_bit_is_black = layout.format == FrameFormat::gray;
    for (size_t line = 0; line < lines; ++line) {
        uint8_t const* in = raw.data() + line * stride;
        uint8_t* dst = out.data() + line * samples;
        switch (layout.depth) {
        case 1:
            for (size_t i = 0; i < samples; ++i) {
                bool const bit = (in[i / 8] >> (7 - i % 8)) & 1;
                dst[i] = (bit != set_bit_is_black) ? 255 : 0;
            }
            break;
        case 8: std::memcpy(dst, in, samples); break;
        case 16:
            for (size_t i = 0; i < samples; ++i) {
                uint16_t value;
                std::memcpy(&value, in + 2 * i, sizeof value);
                dst[i] = static_cast<uint8_t>(value >> 8);
            }
            break;
        }
    }
    return out;
}

void PageAssembler::add_frame(FrameLayout const& layout, std::span<uint8_t const> raw)
{
    auto samples = to_8bit(layout, raw);
    int const lines
        = layout_is_valid(layout) ? static_cast<int>(raw.size() / static_cast<size_t>(layout.bytes_per_line)) : 0;
    if (layout.format == FrameFormat::gray || layout.format == FrameFormat::rgb) {
        documents::Image image;
        image.width = layout.pixels_per_line;
        image.height = lines;
        image.channels = samples_per_pixel(layout.format);
        image.pixels = std::move(samples);
        m_single = std::move(image);
        return;
    }
    int const plane = layout.format == FrameFormat::red ? 0 : layout.format == FrameFormat::green ? 1 : 2;
    m_plane_width = layout.pixels_per_line;
    m_plane_lines[plane] = lines;
    m_planes[plane] = std::move(samples);
}

std::optional<documents::Image> PageAssembler::finish(int dpi)
{
    documents::Image image;
    if (m_single) {
        image = std::move(*m_single);
    } else {
        // Three-pass: the shortest colour decides the height; a colour that never came stays black.
        int height = -1;
        for (int lines : m_plane_lines)
            if (lines >= 0)
                height = height < 0 ? lines : std::min(height, lines);
        if (height <= 0 || m_plane_width <= 0)
            return std::nullopt;
        image.width = m_plane_width;
        image.height = height;
        image.channels = 3;
        size_t const pixels = static_cast<size_t>(image.width) * static_cast<size_t>(height);
        image.pixels.assign(pixels * 3, 0);
        for (int plane = 0; plane < 3; ++plane) {
            if (m_planes[plane].size() < pixels)
                continue;
            for (size_t i = 0; i < pixels; ++i)
                image.pixels[i * 3 + static_cast<size_t>(plane)] = m_planes[plane][i];
        }
    }
    if (image.empty())
        return std::nullopt;
    image.dpi = dpi;
    return image;
}

} // namespace kiosk::drivers::sane_frames
