// A small grey copy of a scan that crop, deskew and blank-page detection all analyse instead of the full frame.
#pragma once

#include "kiosk/documents/image.h"

namespace kiosk::documents {

// The grey average of every factor × factor block of the image (a partial block at the right or bottom edge
// is averaged over the pixels it has). One pass over the source bytes, so a 300 dpi colour A4 page costs a
// few milliseconds. The dpi is divided by the factor.
Image reduce_to_gray(const Image& image, int factor);

// The factor that brings dpi down to about 100 dpi, where 10 pt text lines are still about 14 pixels apart:
// 1 at 150 dpi and below would keep too many pixels, so 2 there, 3 at 300 dpi, 6 at 600 dpi.
int overview_factor(int dpi);

} // namespace kiosk::documents
