// The PDF of a form from the catalogue: written now from its text, or the official file read from the assets.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/core/forms.h"
#include "kiosk/documents/text_pdf.h"

#include <cstdint>
#include <vector>

namespace kiosk::documents {

// A form's blocks as the text PDF writer takes them.
std::vector<TextBlock> text_blocks(core::Form const& form);

// The PDF to print. A form the kiosk writes is laid out now, its French title in the metadata. An official file is
// read and checked: a PDF whose pages can be counted and that poppler opens (not damaged, not locked). When the file
// is absent, unreadable or not such a PDF: ErrorCode::asset_missing, the detail naming the file for the journal.
Result<std::vector<uint8_t>> form_pdf(core::Form const& form);

// Whether form_pdf() gives a PDF now: always for a form the kiosk writes; for an official file, it reads and checks
// the file (milliseconds for a form of a few pages), so ask when the list of forms is shown, not every frame.
bool form_available(core::Form const& form);

} // namespace kiosk::documents
