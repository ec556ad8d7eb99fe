// A small PDF writer for text: Helvetica with WinAnsiEncoding, greedy word wrapping from the font's widths.
#include "kiosk/documents/text_pdf.h"

#include <array>
#include <cstdio>
#include <sstream>

namespace kiosk::documents {

namespace {

// Helvetica advance widths (1/1000 em) for 32..126, from the standard font metrics.
constexpr std::array<int, 95> helvetica_widths = {
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
    278, 278, 584, 584, 584, 556, 1015, // : to @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,
    667, 667, 611, // A-Z
    278, 278, 278, 469, 556, 333, // [ to `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, // a-z
    334, 260, 334, 584, // { to ~
};

// The width of a WinAnsi byte: accented letters take their base letter's width.
int char_width(unsigned char c)
{
    if (c >= 32 && c <= 126)
        return helvetica_widths[c - 32];
    if ((c >= 0xE0 && c <= 0xE5) || c == 0xE7 || (c >= 0xE8 && c <= 0xEB))
        return 556;
    if (c >= 0xEC && c <= 0xEF)
        return 278;
    if ((c >= 0xF2 && c <= 0xF6) || (c >= 0xF9 && c <= 0xFC))
        return 556;
    if (c >= 0xC0 && c <= 0xC5)
        return 667;
    if (c == 0xC7 || (c >= 0xC8 && c <= 0xCB))
        return 722;
    if (c == 0xAB || c == 0xBB)
        return 556;
    if (c == 0x80 || c == 0x96)
        return 556;
    if (c == 0x97)
        return 1000;
    if (c == 0x92 || c == 0x91)
        return 222;
    return 556;
}

double text_width(std::string const& winansi, double size, bool bold)
{
    double total = 0;
    for (unsigned char c : winansi)
        total += char_width(c);
    // Helvetica-Bold is about 6 % wider on average; enough for wrapping, which errs towards shorter lines.
    return total * size / 1000.0 * (bold ? 1.06 : 1.0);
}

std::string escape(std::string const& winansi)
{
    std::string out;
    for (char c : winansi) {
        if (c == '(' || c == ')' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

std::vector<std::string> wrap(std::string const& text, double size, bool bold, double max_width)
{
    std::vector<std::string> lines;
    std::istringstream words(text);
    std::string word, line;
    while (words >> word) {
        std::string candidate = line.empty() ? word : line + " " + word;
        if (!line.empty() && text_width(candidate, size, bold) > max_width) {
            lines.push_back(line);
            line = word;
        } else {
            line = candidate;
        }
    }
    if (!line.empty())
        lines.push_back(line);
    if (lines.empty())
        lines.emplace_back();
    return lines;
}

} // namespace

std::string to_winansi(std::string const& utf8)
{
    std::string out;
    for (size_t i = 0; i < utf8.size();) {
        unsigned char c = static_cast<unsigned char>(utf8[i]);
        uint32_t code = 0;
        size_t length = 1;
        if (c < 0x80) {
            code = c;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
            code = (c & 0x1Fu) << 6 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
            length = 2;
        } else if ((c & 0xF0) == 0xE0 && i + 2 < utf8.size()) {
            code = (c & 0x0Fu) << 12 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 6
                | (static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu);
            length = 3;
        } else {
            code = '?';
            length = (c & 0xF8) == 0xF0 ? 4 : 1;
        }
        i += length;
        if (code < 0x80 || (code >= 0xA0 && code <= 0xFF))
            out.push_back(static_cast<char>(code));
        else if (code == 0x20AC)
            out.push_back(static_cast<char>(0x80));
        else if (code == 0x2019)
            out.push_back(static_cast<char>(0x92));
        else if (code == 0x2018)
            out.push_back(static_cast<char>(0x91));
        else if (code == 0x2013)
            out.push_back(static_cast<char>(0x96));
        else if (code == 0x2014)
            out.push_back(static_cast<char>(0x97));
        else if (code == 0x2026)
            out += "...";
        else if (code == 0x0152)
            out.push_back(static_cast<char>(0x8C));
        else if (code == 0x0153)
            out.push_back(static_cast<char>(0x9C));
        else
            out.push_back('?');
    }
    return out;
}

Result<std::vector<uint8_t>> write_text_pdf(std::vector<TextBlock> const& blocks, std::string const& title)
{
    if (blocks.empty())
        return make_error(ErrorCode::usage, "a form needs some text");
    constexpr double page_w = 595.28, page_h = 841.89, margin = 56.7; // A4, 2 cm
    double const width = page_w - 2 * margin;
    std::vector<std::string> pages;
    std::string content;
    double y = page_h - margin;
    auto new_page = [&] {
        pages.push_back(std::move(content));
        content.clear();
        y = page_h - margin;
    };
    auto text_line = [&](std::string const& line, double size, bool bold, double x) {
        char position[96];
        std::snprintf(position, sizeof position, "BT /%s %.1f Tf %.2f %.2f Td (", bold ? "F2" : "F1", size, x, y);
        content += position + escape(line) + ") Tj ET\n";
    };
    for (auto const& block : blocks) {
        std::string text = to_winansi(block.text);
        double size = 11, gap_after = 8;
        bool bold = false;
        switch (block.kind) {
        case TextBlock::Kind::title: size = 18, bold = true, gap_after = 18; break;
        case TextBlock::Kind::heading: size = 12.5, bold = true, gap_after = 6; break;
        case TextBlock::Kind::paragraph: break;
        case TextBlock::Kind::field: gap_after = 14; break;
        case TextBlock::Kind::signature: gap_after = 70; break;
        case TextBlock::Kind::small: size = 8.5, gap_after = 6; break;
        }
        double leading = size * 1.35;
        if (block.kind == TextBlock::Kind::field) {
            // "Label : ......" — the dots run to the right margin, a line to write on.
            if (y - leading < margin)
                new_page();
            y -= leading;
            std::string label = text + " ";
            double used = text_width(label, size, false);
            std::string dots;
            while (used + text_width(dots + ".", size, false) < width)
                dots += ".";
            text_line(label + dots, size, false, margin);
            y -= gap_after;
            continue;
        }
        for (auto const& line : wrap(text, size, bold, width)) {
            if (y - leading < margin)
                new_page();
            y -= leading;
            double x
                = block.kind == TextBlock::Kind::title ? margin + (width - text_width(line, size, bold)) / 2 : margin;
            text_line(line, size, bold, x);
        }
        y -= gap_after;
    }
    pages.push_back(std::move(content));

    // Objects: 1 catalog, 2 pages, 3 F1, 4 F2, 5 info, then a page and its content stream per page.
    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<size_t> offsets;
    auto object = [&](std::string const& body) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
    };
    std::string kids;
    for (size_t i = 0; i < pages.size(); ++i)
        kids += std::to_string(6 + 2 * i) + " 0 R ";
    object("<< /Type /Catalog /Pages 2 0 R >>");
    object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
    object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
    object("<< /Title (" + escape(to_winansi(title)) + ") /Producer (France Services kiosk) >>");
    for (size_t i = 0; i < pages.size(); ++i) {
        object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 3 0 R /F2 4 0 R "
               ">> >> /Contents "
            + std::to_string(7 + 2 * i) + " 0 R >>");
        object("<< /Length " + std::to_string(pages[i].size()) + " >>\nstream\n" + pages[i] + "endstream");
    }
    size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
    for (size_t offset : offsets) {
        char entry[24];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
        pdf += entry;
    }
    pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R /Info 5 0 R >>\nstartxref\n"
        + std::to_string(xref) + "\n%%EOF\n";
    return std::vector<uint8_t>(pdf.begin(), pdf.end());
}

} // namespace kiosk::documents
