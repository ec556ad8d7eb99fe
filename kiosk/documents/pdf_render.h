// PDF pages to images through poppler-cpp, for previews and thumbnails of downloads and forms.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/documents/image.h"

#include <cstdint>
#include <span>

namespace kiosk::documents {

struct PdfInfo {
    int pages = 0;
    bool encrypted = false;
};

// ErrorCode::usage for a damaged file, one poppler cannot open, or one locked by a password: printing it
// would fail at the printer, so the person is told before anything is charged.
Result<PdfInfo> inspect_pdf(std::span<const uint8_t> pdf);

// Renders page_index (from 0) so that it fits within max_width × max_height, as RGB.
Result<Image> render_pdf_page(std::span<const uint8_t> pdf, int page_index, int max_width, int max_height);

} // namespace kiosk::documents
