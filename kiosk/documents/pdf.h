// PDF assembly: one page per JPEG image, the JPEG data embedded unchanged (no second compression).
#pragma once

#include "kiosk/core/error.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kiosk::documents {

struct PdfPage {
    std::vector<uint8_t> jpeg; // a complete JPEG file
    int width_px = 0;
    int height_px = 0;
    int channels = 0; // 1 or 3
    int dpi = 0; // sets the page size in points: width_px * 72 / dpi
};

// Builds a PDF 1.4 file with a correct cross-reference table. Title goes into the Info dictionary.
Result<std::vector<uint8_t>> assemble_pdf(std::span<const PdfPage> pages, std::string const& title = {});

// Counts the pages of a PDF (page tree /Count, falling back to counting /Type /Page objects), for print
// quotas. An error when the bytes are not a PDF.
Result<int> count_pdf_pages(std::span<const uint8_t> pdf);

} // namespace kiosk::documents
