// Finding the paper in a scanner frame (a platen larger than the page, a dark surround when the lid is open)
// and cropping to it.
#pragma once

#include "kiosk/documents/image.h"

namespace kiosk::documents {

struct Rect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    bool operator==(Rect const&) const = default;
};

// The bounding box of the paper in frame pixels, in an overview made by reduce_to_gray(frame, factor).
// The whole frame when the border of the frame is not clearly darker than the paper (a page filling the
// platen, or a white lid): cropping is only done when there is a dark surround to find, and the box is
// widened by one overview pixel so that no part of the paper, hence no content, is ever cut.
Rect find_paper(const Image& overview, int factor, int frame_width, int frame_height);

// The overview with the dark surround around the paper (the lid-open background, and the corners it leaves
// around a turned sheet) painted white, so that only print reads as ink; unchanged when there is none.
Image whiten_surround(const Image& overview);

// The same on the frame itself (builds its own overview).
Rect find_paper(const Image& frame);

// A copy of the part of the image inside rect (clipped to the image).
Image crop(const Image& image, Rect rect);

Image crop_to_paper(const Image& frame);

} // namespace kiosk::documents
