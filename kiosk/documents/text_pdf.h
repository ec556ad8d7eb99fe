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
    std::string text; // UTF-8, any script: a name in Vietnamese, Polish, Arabic or Russian prints as written
};

// Lays the blocks out on A4 pages with 2 cm margins in DejaVu Sans through pango and cairo, wrapping words,
// shaping right-to-left scripts, and breaking pages as needed. The file embeds the subset of each font it uses, so
// it prints the same on any printer. A field is a label followed by a dotted line to write on; a signature leaves
// room to sign. The title goes into the PDF's metadata. Safe to call from any thread, several at once.
Result<std::vector<uint8_t>> write_text_pdf(std::vector<TextBlock> const& blocks, std::string const& title);

} // namespace kiosk::documents
