// Encoding pages as a PDF or as JPEG files, and fitting them under an upload form's size limit.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/documents/image.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace kiosk::documents {

enum class DocumentFormat { pdf, jpeg };

// The quality used when there is no limit, and the first one tried under a limit: text edges stay clean and
// a 150 dpi grey text page is about 150–250 KB.
inline constexpr int default_jpeg_quality = 80;

// The legibility floor. At 150 dpi the x-height of 10 pt text (about 5 pt = 1.8 mm) is 10 pixels and a
// 0.3 mm stroke 1.8 pixels: every letter is still drawn by several pixels, so it reads on screen, prints,
// and passes OCR. At 100 dpi the x-height is 7 pixels and e/c/o, 3/8 start to merge. JPEG quality 40 is
// where the 8 × 8 blocks' ringing stays inside one stroke width around 150 dpi text; at 30 and below the
// ringing fills the counters of the letters (e, a) and grey halos make small print hard to read.
// Above the floor resolution, quality is only lowered to 60 before the resolution is: more, cleaner pixels
// read better than fewer, blockier ones.
inline constexpr int floor_dpi = 150;
inline constexpr int floor_quality = 40;
inline constexpr int step_quality = 60;

struct EncodedDocument {
    // One PDF, or one JPEG per page.
    std::vector<std::vector<uint8_t>> files;
    size_t bytes = 0; // sum over files
    int pages = 0;
    int dpi = 0; // the resolution the pages were encoded at (the highest, when pages differ)
    int quality = 0; // JPEG quality
};

// Encodes every page at its own resolution and the given quality.
Result<EncodedDocument> encode_document(
    std::span<const Image> pages, DocumentFormat format, int quality = default_jpeg_quality);

// Encodes under max_bytes: for a PDF the whole file, for JPEG each file (each page is uploaded as its own
// file). Starts at default_jpeg_quality and the pages' own resolution; at each resolution step (the
// scan's own, then 300, 250, 200 and 150 dpi where lower) a binary search over quality in steps of 5 finds
// the highest quality that fits, down to step_quality (floor_quality at the floor resolution). Pages below
// floor_dpi are never enlarged: their own resolution is their floor. max_bytes 0 means no limit.
// An ErrorCode::usage error, with a sentence for the person, when even the floor does not fit.
Result<EncodedDocument> fit_to_size(std::span<const Image> pages, size_t max_bytes, DocumentFormat format);

} // namespace kiosk::documents
