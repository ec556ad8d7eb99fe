// Recognising the blank sheets of a feeder run (the backs of single-sided letters, separator sheets).
#pragma once

#include "kiosk/documents/crop.h"
#include "kiosk/documents/image.h"

namespace kiosk::documents {

// The rule: looking only inside the page less 3 % at each edge (edge shadows, the feeder's rollers), a pixel
// of the ~100 dpi grey overview is ink when it is at least 64 levels darker than the paper (the median
// level), and counts when at least two of its eight neighbours are ink too (isolated specks of dust do not).
// The page is blank when the counted ink covers less than 1.5 mm² — about one short word of 10 pt text;
// a line of a few words is 10 mm² or more. Paper grain (a few levels) and show-through from the back
// (typically 10–40 levels on 80 g/m² paper) stay far under the 64-level contrast.
inline constexpr int blank_ink_contrast = 64;
inline constexpr double blank_max_ink_mm2 = 1.5;

// overview: reduce_to_gray output; region: the paper in overview pixels.
bool is_blank(const Image& overview, Rect region);
bool is_blank_page(const Image& page);

} // namespace kiosk::documents
