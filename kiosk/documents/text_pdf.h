// Text documents as PDF (the kiosk's own forms): A4 pages of headings, paragraphs and lines to fill by hand.
#pragma once

#include "kiosk/core/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk::documents {

struct TextBlock {
    enum class Kind { title, heading, paragraph, field, signature, small };
    Kind kind = Kind::paragraph;
    std::string text; // UTF-8; characters outside Windows-1252 are replaced by '?'
};

// Lays the blocks out on A4 pages with 2 cm margins in Helvetica (one of PDF's standard fonts, so the
// file embeds no font), wrapping words and breaking pages as needed. A field is a label followed by a
// dotted line to write on; a signature leaves room to sign.
Result<std::vector<uint8_t>> write_text_pdf(std::vector<TextBlock> const& blocks, std::string const& title);

// Windows-1252 bytes of UTF-8 text, as PDF's WinAnsiEncoding expects them.
std::string to_winansi(std::string const& utf8);

} // namespace kiosk::documents
