// From a raw scanner frame to a document page: crop to the paper, deskew, colour mode, the blank test.
#pragma once

#include "kiosk/documents/crop.h"
#include "kiosk/documents/image.h"

namespace kiosk::documents {

enum class PageMode { color, gray, black_and_white };

struct PageOptions {
    PageMode mode = PageMode::color;
    bool crop = true;
    bool deskew = true;
};

struct PreparedPage {
    Image image;
    Rect paper; // where the paper was found in the frame
    double skew_degrees = 0; // the estimated skew (corrected when above min_correction_degrees)
    bool blank = false; // by the rule of blank.h
};

// One frame through the pipeline. A single ~100 dpi grey overview serves paper detection, skew estimation
// and the blank test; the full-resolution pixels are touched once by the crop-and-rotate and once by the
// colour conversion (before the rotation, so a grey page rotates one channel instead of three).
PreparedPage prepare_page(const Image& frame, PageOptions const& options = {});

} // namespace kiosk::documents
