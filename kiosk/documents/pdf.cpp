// Writes image-only PDFs from JPEG pages, and counts the pages of any PDF for print quotas.
#include "kiosk/documents/pdf.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>

namespace kiosk::documents {

namespace {

// Formats numbers with std::to_chars: unlike printf it ignores the locale, and a UI running in fr_FR must
// not write "595,28" into a PDF.
std::string format_integer(long long value)
{
    char buffer[32];
    auto const result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// Up to three decimals, trailing zeros dropped ("595.276", "96").
std::string format_points(double value)
{
    char buffer[64];
    auto const result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 3);
    std::string text(buffer, result.ptr);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0')
            text.pop_back();
        if (text.back() == '.')
            text.pop_back();
    }
    return text;
}

std::string ten_digit_offset(size_t offset)
{
    std::string digits = format_integer(static_cast<long long>(offset));
    return std::string(10 - std::min<size_t>(10, digits.size()), '0') + digits;
}

// Decodes UTF-8 leniently (a malformed sequence becomes U+FFFD) into UTF-16BE bytes as hex digits.
std::string utf8_to_utf16be_hex(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    auto append_unit = [&](uint32_t unit) {
        for (int shift = 12; shift >= 0; shift -= 4)
            out.push_back(hex[(unit >> shift) & 0xF]);
    };
    size_t i = 0;
    while (i < text.size()) {
        auto const lead = static_cast<uint8_t>(text[i]);
        uint32_t code_point = 0xFFFD;
        size_t length = 1;
        size_t continuation = 0;
        uint32_t minimum = 0;
        if (lead < 0x80) {
            code_point = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            continuation = 1, code_point = lead & 0x1F, minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            continuation = 2, code_point = lead & 0x0F, minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            continuation = 3, code_point = lead & 0x07, minimum = 0x10000;
        }
        if (continuation > 0) {
            bool valid = i + continuation < text.size();
            for (size_t k = 1; valid && k <= continuation; ++k) {
                auto const byte = static_cast<uint8_t>(text[i + k]);
                if ((byte & 0xC0) != 0x80)
                    valid = false;
                else
                    code_point = (code_point << 6) | (byte & 0x3F);
            }
            if (valid && code_point >= minimum && code_point <= 0x10FFFF
                && (code_point < 0xD800 || code_point > 0xDFFF))
                length = continuation + 1;
            else
                code_point = 0xFFFD;
        } else if (lead >= 0x80) {
            code_point = 0xFFFD;
        }
        i += length;

        if (code_point >= 0x10000) {
            code_point -= 0x10000;
            append_unit(0xD800 + (code_point >> 10));
            append_unit(0xDC00 + (code_point & 0x3FF));
        } else {
            append_unit(code_point);
        }
    }
    return out;
}

// A PDF text string: a literal string when the title is ASCII, otherwise UTF-16BE with a byte order mark,
// the only Unicode form PDF 1.4 readers understand in the Info dictionary.
std::string pdf_text_string(std::string_view text)
{
    bool const ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<uint8_t>(c) < 0x80; });
    if (!ascii)
        return "<FEFF" + utf8_to_utf16be_hex(text) + ">";

    std::string out = "(";
    for (char c : text) {
        switch (c) {
        case '(': out += "\\("; break;
        case ')': out += "\\)"; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<uint8_t>(c) < 0x20 || c == 0x7F) {
                char octal[5] = { '\\', static_cast<char>('0' + ((c >> 6) & 7)),
                    static_cast<char>('0' + ((c >> 3) & 7)), static_cast<char>('0' + (c & 7)), '\0' };
                out += octal;
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back(')');
    return out;
}

struct JpegFrame {
    int width = 0;
    int height = 0;
    int components = 0;
    int precision = 0;
};

// Reads the frame header (SOFn) by walking the marker segments, so a page whose declared size or colour
// space disagrees with its JPEG is refused instead of producing a PDF that viewers render wrongly.
std::optional<JpegFrame> read_jpeg_frame(std::span<const uint8_t> jpeg)
{
    if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        return std::nullopt;
    size_t i = 2;
    while (i + 1 < jpeg.size()) {
        if (jpeg[i] != 0xFF)
            return std::nullopt;
        while (i < jpeg.size() && jpeg[i] == 0xFF)
            ++i; // fill bytes
        if (i >= jpeg.size())
            return std::nullopt;
        uint8_t const marker = jpeg[i++];
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue; // markers without a length
        if (marker == 0xD9 || marker == 0xDA || i + 2 > jpeg.size())
            return std::nullopt; // image data or end before any frame header
        size_t const length = (size_t { jpeg[i] } << 8) | jpeg[i + 1];
        if (length < 2 || i + length > jpeg.size())
            return std::nullopt;
        bool const is_frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (is_frame) {
            if (length < 8)
                return std::nullopt;
            JpegFrame frame;
            frame.precision = jpeg[i + 2];
            frame.height = (jpeg[i + 3] << 8) | jpeg[i + 4];
            frame.width = (jpeg[i + 5] << 8) | jpeg[i + 6];
            frame.components = jpeg[i + 7];
            return frame;
        }
        i += length;
    }
    return std::nullopt;
}

class PdfWriter {
public:
    void append(std::string_view text) { m_out.insert(m_out.end(), text.begin(), text.end()); }
    void append(std::span<const uint8_t> bytes) { m_out.insert(m_out.end(), bytes.begin(), bytes.end()); }

    void begin_object(int number)
    {
        if (m_offsets.size() <= static_cast<size_t>(number))
            m_offsets.resize(static_cast<size_t>(number) + 1, 0);
        m_offsets[static_cast<size_t>(number)] = m_out.size();
        append(format_integer(number) + " 0 obj\n");
    }
    void end_object() { append("\nendobj\n"); }

    void object(int number, std::string_view body)
    {
        begin_object(number);
        append(body);
        end_object();
    }

    void stream_object(int number, std::string_view dictionary_entries, std::span<const uint8_t> data)
    {
        begin_object(number);
        append("<< ");
        append(dictionary_entries);
        append(" /Length " + format_integer(static_cast<long long>(data.size())) + " >>\nstream\n");
        append(data);
        append("\nendstream");
        end_object();
    }

    // Every object number from 1 to the highest must have been written.
    std::vector<uint8_t> finish(int root, int info)
    {
        size_t const xref_offset = m_out.size();
        append("xref\n0 " + format_integer(static_cast<long long>(m_offsets.size())) + "\n");
        // Each entry is exactly 20 bytes, the end of line being " \n".
        append("0000000000 65535 f \n");
        for (size_t number = 1; number < m_offsets.size(); ++number)
            append(ten_digit_offset(m_offsets[number]) + " 00000 n \n");
        append("trailer\n<< /Size " + format_integer(static_cast<long long>(m_offsets.size())) + " /Root "
            + format_integer(root) + " 0 R /Info " + format_integer(info) + " 0 R >>\nstartxref\n"
            + format_integer(static_cast<long long>(xref_offset)) + "\n%%EOF\n");
        return std::move(m_out);
    }

    void reserve(size_t bytes) { m_out.reserve(bytes); }

private:
    std::vector<uint8_t> m_out;
    std::vector<size_t> m_offsets { 0 }; // object 0 is the free-list head
};

} // namespace

Result<std::vector<uint8_t>> assemble_pdf(std::span<const PdfPage> pages, std::string const& title)
{
    if (pages.empty())
        return make_error(ErrorCode::usage, "a PDF needs at least one page");

    size_t total_jpeg_bytes = 0;
    for (size_t index = 0; index < pages.size(); ++index) {
        PdfPage const& page = pages[index];
        std::string const which = "page " + std::to_string(index + 1) + ": ";
        if (page.width_px <= 0 || page.height_px <= 0 || (page.channels != 1 && page.channels != 3) || page.dpi < 0)
            return make_error(ErrorCode::usage, which + "invalid size, channel count or dpi");
        auto const frame = read_jpeg_frame(page.jpeg);
        if (!frame)
            return make_error(ErrorCode::usage, which + "not a JPEG file");
        if (frame->precision != 8 || frame->components != page.channels || frame->width != page.width_px
            || (frame->height != 0 && frame->height != page.height_px))
            return make_error(ErrorCode::usage,
                which + "JPEG is " + std::to_string(frame->width) + "x" + std::to_string(frame->height) + " with "
                    + std::to_string(frame->components) + " components, the page says " + std::to_string(page.width_px)
                    + "x" + std::to_string(page.height_px) + " with " + std::to_string(page.channels));
        total_jpeg_bytes += page.jpeg.size();
    }

    // Objects: 1 catalogue, 2 page tree, 3 document information, then per page its page, image and
    // content stream, numbered in order so the cross-reference table needs no sorting.
    constexpr int catalog_object = 1;
    constexpr int pages_object = 2;
    constexpr int info_object = 3;
    auto page_object = [](size_t index) { return 4 + 3 * static_cast<int>(index); };

    PdfWriter writer;
    writer.reserve(total_jpeg_bytes + 1024 + 512 * pages.size());
    // The comment of bytes above 127 tells transfer tools that the file is binary.
    writer.append("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");

    writer.object(catalog_object, "<< /Type /Catalog /Pages 2 0 R >>");
    std::string kids;
    for (size_t index = 0; index < pages.size(); ++index)
        kids += (index ? " " : "") + format_integer(page_object(index)) + " 0 R";
    writer.object(pages_object,
        "<< /Type /Pages /Kids [" + kids + "] /Count " + format_integer(static_cast<long long>(pages.size())) + " >>");
    std::string info = "<< ";
    if (!title.empty())
        info += "/Title " + pdf_text_string(title) + " ";
    info += "/Producer (France Services kiosk) >>";
    writer.object(info_object, info);

    for (size_t index = 0; index < pages.size(); ++index) {
        PdfPage const& page = pages[index];
        int const number = page_object(index);
        // An unknown resolution is taken as 72 dpi: one pixel per point, as other image-to-PDF tools do.
        double const dpi = page.dpi > 0 ? page.dpi : 72.0;
        std::string const width = format_points(page.width_px * 72.0 / dpi);
        std::string const height = format_points(page.height_px * 72.0 / dpi);
        bool const gray = page.channels == 1;

        writer.object(number,
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + width + " " + height + "] /Resources << /ProcSet [/PDF "
                + (gray ? "/ImageB" : "/ImageC") + "] /XObject << /Im0 " + format_integer(number + 1)
                + " 0 R >> >> /Contents " + format_integer(number + 2) + " 0 R >>");
        writer.stream_object(number + 1,
            "/Type /XObject /Subtype /Image /Width " + format_integer(page.width_px) + " /Height "
                + format_integer(page.height_px) + " /ColorSpace " + (gray ? "/DeviceGray" : "/DeviceRGB")
                + " /BitsPerComponent 8 /Filter /DCTDecode",
            page.jpeg);
        std::string const content = "q\n" + width + " 0 0 " + height + " 0 0 cm\n/Im0 Do\nQ\n";
        writer.stream_object(
            number + 2, "", std::span(reinterpret_cast<const uint8_t*>(content.data()), content.size()));
    }
    return writer.finish(catalog_object, info_object);
}

namespace {

bool is_pdf_whitespace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

bool is_pdf_delimiter(char c)
{
    return std::string_view("()<>[]{}/%").find(c) != std::string_view::npos;
}

bool ends_token(std::string_view text, size_t position)
{
    return position >= text.size() || is_pdf_whitespace(text[position]) || is_pdf_delimiter(text[position]);
}

// The name after a /Type key starting at `position` (just past "/Type"), or empty.
std::string_view type_name_at(std::string_view text, size_t position)
{
    if (!ends_token(text, position))
        return {}; // a longer key such as /TypeX
    while (position < text.size() && is_pdf_whitespace(text[position]))
        ++position;
    if (position >= text.size() || text[position] != '/')
        return {};
    size_t const start = ++position;
    while (!ends_token(text, position))
        ++position;
    return text.substr(start, position - start);
}

// Dictionaries of a page tree are small (a flat /Kids array of 10 000 pages is about 100 kB). The limit, and
// the budget of bytes all dictionary scans of one file may read, keep a malformed or hostile file from
// making the count take quadratic time.
constexpr size_t max_dictionary_bytes = 1 << 20;

// The "<<" opening the dictionary that contains `position`, found by walking back over nested dictionaries.
std::optional<size_t> enclosing_dictionary(std::string_view text, size_t position, size_t& budget)
{
    int depth = 0;
    size_t const stop = position > max_dictionary_bytes ? position - max_dictionary_bytes : 0;
    for (size_t i = position; i > stop + 1; --i) {
        if (budget == 0)
            return std::nullopt;
        --budget;
        size_t const at = i - 2;
        if (text[at] == '>' && text[at + 1] == '>') {
            ++depth;
            --i;
        } else if (text[at] == '<' && text[at + 1] == '<') {
            if (depth == 0)
                return at;
            --depth;
            --i;
        }
    }
    return std::nullopt;
}

// The direct integer value of /Count in the dictionary opening at `start`, skipping nested dictionaries,
// strings and comments. An indirect count ("/Count 7 0 R") is not resolved.
std::optional<long long> dictionary_count(std::string_view text, size_t start, size_t& budget)
{
    size_t const end = std::min(text.size(), start + std::min(max_dictionary_bytes, budget));
    int depth = 0;
    size_t i = start;
    // Whatever the way out, the bytes read are charged to the budget.
    struct Charge {
        size_t& budget;
        size_t const& position;
        size_t start;
        ~Charge() { budget -= std::min(budget, position - start); }
    } const charge { budget, i, start };
    while (i < end) {
        char const c = text[i];
        if (c == '<' && i + 1 < end && text[i + 1] == '<') {
            ++depth;
            i += 2;
        } else if (c == '>' && i + 1 < end && text[i + 1] == '>') {
            if (--depth == 0)
                return std::nullopt;
            i += 2;
        } else if (c == '<') {
            while (i < end && text[i] != '>')
                ++i;
            ++i;
        } else if (c == '(') {
            int nesting = 0;
            for (; i < end; ++i) {
                if (text[i] == '\\')
                    ++i;
                else if (text[i] == '(')
                    ++nesting;
                else if (text[i] == ')' && --nesting == 0)
                    break;
            }
            ++i;
        } else if (c == '%') {
            while (i < end && text[i] != '\n' && text[i] != '\r')
                ++i;
        } else if (c == '/') {
            size_t const name_start = ++i;
            while (i < end && !ends_token(text, i))
                ++i;
            if (depth != 1 || text.substr(name_start, i - name_start) != "Count")
                continue;
            while (i < end && is_pdf_whitespace(text[i]))
                ++i;
            long long count = 0;
            auto const parsed = std::from_chars(text.data() + i, text.data() + end, count);
            if (parsed.ec != std::errc {})
                return std::nullopt;
            // "n g R" is a reference, not a count.
            size_t after = static_cast<size_t>(parsed.ptr - text.data());
            while (after < end && is_pdf_whitespace(text[after]))
                ++after;
            long long generation = 0;
            auto const second = std::from_chars(text.data() + after, text.data() + end, generation);
            if (second.ec == std::errc {}) {
                after = static_cast<size_t>(second.ptr - text.data());
                while (after < end && is_pdf_whitespace(text[after]))
                    ++after;
                if (after < end && text[after] == 'R')
                    return std::nullopt;
            }
            return count;
        } else {
            ++i;
        }
    }
    return std::nullopt;
}

} // namespace

Result<int> count_pdf_pages(std::span<const uint8_t> pdf)
{
    std::string_view const text(reinterpret_cast<const char*>(pdf.data()), pdf.size());
    if (!text.starts_with("%PDF-"))
        return make_error(ErrorCode::io, "not a PDF file");

    // The root of the page tree has the largest /Count (intermediate nodes count their subtrees only;
    // an incremental update that added pages leaves an older, smaller root behind).
    long long largest_count = 0;
    long long page_objects = 0;
    size_t scan_budget = 8 * text.size() + max_dictionary_bytes;
    constexpr std::string_view type_key = "/Type";
    for (size_t found = text.find(type_key); found != std::string_view::npos; found = text.find(type_key, found + 1)) {
        std::string_view const name = type_name_at(text, found + type_key.size());
        if (name == "Page") {
            ++page_objects;
        } else if (name == "Pages") {
            if (auto const start = enclosing_dictionary(text, found, scan_budget)) {
                if (auto const count = dictionary_count(text, *start, scan_budget))
                    largest_count = std::max(largest_count, *count);
            }
            if (scan_budget == 0)
                return make_error(ErrorCode::io, "cannot count pages: page tree too large to scan");
        }
    }
    if (largest_count > 0)
        return static_cast<int>(std::min<long long>(largest_count, 1'000'000));

    // Without a readable page tree the page objects are the next best thing, unless object streams may hide
    // some of them: a wrong count would bill the person wrongly, so say we cannot tell.
    if (page_objects > 0 && text.find("/ObjStm") == std::string_view::npos)
        return static_cast<int>(std::min<long long>(page_objects, 1'000'000));
    return make_error(ErrorCode::io, "cannot count pages");
}

} // namespace kiosk::documents
