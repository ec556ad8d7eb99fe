// Synthetic A4 pages with text-like content, for the simulated scanner, tests and benchmarks.
#pragma once

#include "drivers/scanner/scanner.h"
#include "kiosk/documents/image.h"

#include <cstdint>

namespace kiosk::drivers {

// An A4 page (210 × 297 mm) at dpi: white paper, a letterhead block, a title line, paragraphs of
// "words" made of glyph-like strokes, a table and a signature scribble, varied by page_index and seed so
// pages differ. color gives RGB with a coloured logo and blue ink; gray and lineart give one channel
// (lineart is thresholded to pure 0/255). Deterministic for the same arguments.
// Empty when dpi is not in 1..1200.
documents::Image synthesize_page(int page_index, int dpi, ColorMode mode, uint32_t seed = 1);

} // namespace kiosk::drivers
