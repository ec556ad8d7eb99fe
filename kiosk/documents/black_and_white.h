// Black-and-white conversion of scans: one global threshold chosen by Otsu's method on the grey levels.
#pragma once

#include "kiosk/documents/image.h"

namespace kiosk::documents {

// The grey level that best separates ink from paper (Otsu: maximum between-class variance), clamped to
// 64..224 so that a nearly empty page does not put the threshold inside the paper's grain.
int otsu_threshold(const Image& gray);

// A one-channel image of 0 (ink: below the threshold) and 255 (paper). An RGB image is turned grey first.
Image to_black_and_white(const Image& image);

} // namespace kiosk::documents
