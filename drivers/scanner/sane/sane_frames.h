// Turning raw SANE frames (1, 8 or 16 bits; grey, RGB or one colour of a three-pass scan) into 8-bit images.
#pragma once

#include "kiosk/documents/image.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace kiosk::drivers::sane_frames {

// The SANE frame formats we understand, named as in sane.h (SANE_FRAME_*).
enum class FrameFormat { gray, rgb, red, green, blue };

struct FrameLayout {
    FrameFormat format = FrameFormat::gray;
    int depth = 8; // bits per sample: 1, 8 or 16
    int bytes_per_line = 0; // may exceed what the pixels need (padding at the end of each line)
    int pixels_per_line = 0;
};

// Samples per pixel in one frame of this format: 3 for interleaved RGB, otherwise 1.
int samples_per_pixel(FrameFormat format);

// Whether the layout is one we can convert (known depth, lines long enough for their pixels).
bool layout_is_valid(FrameLayout const& layout);

// 8-bit samples of the complete lines in raw (a trailing partial line is ignored). Grey lineart follows the
// SANE rule that a set bit is black; 16-bit samples are in host byte order, as SANE sends them.
std::vector<uint8_t> to_8bit(FrameLayout const& layout, std::span<uint8_t const> raw);

// Collects the frames of one page and builds its image: one frame for grey or RGB, three for a three-pass scan.
class PageAssembler {
public:
    void add_frame(FrameLayout const& layout, std::span<uint8_t const> raw);
    // The page, or nothing when no frame carried a complete line.
    std::optional<documents::Image> finish(int dpi);

private:
    std::optional<documents::Image> m_single;
    std::vector<uint8_t> m_planes[3];
    int m_plane_width = 0;
    int m_plane_lines[3] = { -1, -1, -1 };
};

} // namespace kiosk::drivers::sane_frames
