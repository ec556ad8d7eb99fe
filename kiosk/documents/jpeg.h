// JPEG encoding and decoding through libjpeg-turbo.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/documents/image.h"

#include <cstdint>
#include <span>
#include <vector>

namespace kiosk::documents {

// quality is 1..100. Grey images are written as one-component JPEGs. The dpi goes into the JFIF header.
Result<std::vector<uint8_t>> encode_jpeg(const Image& image, int quality);

// Decodes a baseline or progressive JPEG to grey (1 component) or RGB.
Result<Image> decode_jpeg(std::span<const uint8_t> jpeg);

} // namespace kiosk::documents
