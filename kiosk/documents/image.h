// Raster images as they come from a scanner and go to the encoders: 8-bit grey or RGB, rows tightly packed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kiosk::documents {

struct Image {
    int width = 0;
    int height = 0;
    int channels = 0; // 1 = grey, 3 = RGB
    int dpi = 0; // 0 when unknown
    std::vector<uint8_t> pixels; // width * height * channels bytes, row-major

    bool empty() const { return width <= 0 || height <= 0 || pixels.empty(); }
    size_t row_bytes() const { return static_cast<size_t>(width) * static_cast<size_t>(channels); }
};

// Luma (ITU-R BT.601 weights) of an RGB image; a grey image is returned unchanged.
Image to_gray(const Image& image);

// Shrinks to fit within max_width × max_height, keeping the aspect ratio (area averaging, so text stays
// readable in thumbnails). Never enlarges. The dpi is scaled with the image.
Image downscale(const Image& image, int max_width, int max_height);

} // namespace kiosk::documents
