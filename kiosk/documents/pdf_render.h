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
    // False when the owner password forbids printing: the printer's filters refuse such a file (pdftopdf: "Not
    // allowed to print") and the job never completes.
    bool printable = true;
};

// What poppler makes of a PDF: its pages, whether it is encrypted and may be printed. ErrorCode::usage for a
// damaged file (one poppler cannot open, or without pages) or one locked by a password. The detail completes
// "FILE is …": "not a PDF", "a damaged PDF: …", "an encrypted PDF". An encrypted PDF that opens without a
// password (an owner password restricting edits, as on many attestations) is accepted, with encrypted set.
Result<PdfInfo> inspect_pdf(std::span<const uint8_t> pdf);

// The one verdict on printing a PDF, for the kiosk and `kiosk print` alike: inspect_pdf's, and also refused
// ("an encrypted PDF that forbids printing") when it is not printable. Printing a refused file would fail at the
// printer, so the person is told before anything is charged.
Result<PdfInfo> inspect_pdf_for_print(std::span<const uint8_t> pdf);

// Renders page_index (from 0) so that it fits within max_width × max_height, as RGB.
Result<Image> render_pdf_page(std::span<const uint8_t> pdf, int page_index, int max_width, int max_height);

} // namespace kiosk::documents
