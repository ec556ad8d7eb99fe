// Document encoding under a byte limit: quality first, then resolution, never below the legibility floor.
#include "kiosk/documents/fit_to_size.h"

#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace kiosk::documents {

namespace {

Image scaled_to(const Image& page, int dpi)
{
    if (page.dpi <= 0 || page.dpi <= dpi)
        return page;
    auto const width = static_cast<int>(std::lround(static_cast<double>(page.width) * dpi / page.dpi));
    auto const height = static_cast<int>(std::lround(static_cast<double>(page.height) * dpi / page.dpi));
    Image out = downscale(page, std::max(1, width), std::max(1, height));
    out.dpi = dpi;
    return out;
}

// "1.3 MB", "850 KB": the sizes an upload form shows (decimal units, as the websites state their limits).
std::string plain_size(size_t bytes)
{
    char buffer[32];
    if (bytes >= 1000 * 1000) {
        auto const end = std::to_chars(
            buffer, buffer + sizeof buffer, static_cast<double>(bytes) / 1e6, std::chars_format::fixed, 1)
                             .ptr;
        return std::string(buffer, end) + " MB";
    }
    return std::to_string((bytes + 999) / 1000) + " KB";
}

bool fits(EncodedDocument const& document, size_t max_bytes)
{
    return std::all_of(document.files.begin(), document.files.end(),
        [&](std::vector<uint8_t> const& file) { return file.size() <= max_bytes; });
}

size_t largest_file(EncodedDocument const& document)
{
    size_t largest = 0;
    for (auto const& file : document.files)
        largest = std::max(largest, file.size());
    return largest;
}

} // namespace

Result<EncodedDocument> encode_document(std::span<const Image> pages, DocumentFormat format, int quality)
{
    if (pages.empty())
        return make_error(ErrorCode::usage, "a document needs at least one page");
    EncodedDocument document;
    document.pages = static_cast<int>(pages.size());
    document.quality = quality;
    std::vector<PdfPage> pdf_pages;
    for (Image const& page : pages) {
        std::vector<uint8_t> jpeg = TRY(encode_jpeg(page, quality));
        document.dpi = std::max(document.dpi, page.dpi);
        if (format == DocumentFormat::jpeg) {
            document.bytes += jpeg.size();
            document.files.push_back(std::move(jpeg));
        } else {
            pdf_pages.push_back(PdfPage { std::move(jpeg), page.width, page.height, page.channels, page.dpi });
        }
    }
    if (format == DocumentFormat::pdf) {
        document.files.push_back(TRY(assemble_pdf(pdf_pages)));
        document.bytes = document.files.back().size();
    }
    return document;
}

Result<EncodedDocument> fit_to_size(std::span<const Image> pages, size_t max_bytes, DocumentFormat format)
{
    if (max_bytes == 0)
        return encode_document(pages, format, default_jpeg_quality);
    if (pages.empty())
        return make_error(ErrorCode::usage, "a document needs at least one page");

    int source_dpi = 0;
    for (Image const& page : pages)
        source_dpi = std::max(source_dpi, page.dpi);
    std::vector<int> steps { source_dpi };
    for (int dpi : { 300, 250, 200, floor_dpi })
        if (dpi < source_dpi)
            steps.push_back(dpi);

    size_t smallest = SIZE_MAX;
    for (size_t step = 0; step < steps.size(); ++step) {
        // Every step scales from the scanned pages, not from the previous step, and the scaled pages are
        // reused by every encode of the quality search.
        std::vector<Image> scaled;
        std::span<const Image> candidates = pages;
        if (step > 0) {
            for (Image const& page : pages)
                scaled.push_back(scaled_to(page, steps[step]));
            candidates = scaled;
        }
        bool const at_floor = step + 1 == steps.size();
        int const lowest = at_floor ? floor_quality : step_quality;

        EncodedDocument best = TRY(encode_document(candidates, format, default_jpeg_quality));
        if (fits(best, max_bytes))
            return best;
        EncodedDocument low = TRY(encode_document(candidates, format, lowest));
        smallest = std::min(smallest, largest_file(low));
        if (!fits(low, max_bytes))
            continue;

        // low fits and default_jpeg_quality does not: bisect between them in steps of 5.
        best = std::move(low);
        int fitting = lowest;
        int failing = default_jpeg_quality;
        while (failing - fitting > 5) {
            int const middle = fitting + (failing - fitting) / 10 * 5;
            EncodedDocument attempt = TRY(encode_document(candidates, format, middle));
            if (fits(attempt, max_bytes)) {
                fitting = middle;
                best = std::move(attempt);
            } else {
                failing = middle;
            }
        }
        return best;
    }

    std::string const what = format == DocumentFormat::pdf ? "this document" : "one of its pages";
    return make_error(ErrorCode::usage,
        "Even at the lowest legible quality ("
            + std::to_string(std::min(source_dpi > 0 ? source_dpi : floor_dpi, floor_dpi)) + " dpi, JPEG quality "
            + std::to_string(floor_quality) + "), " + what + " takes " + plain_size(smallest) + ", more than the "
            + plain_size(max_bytes) + " allowed. Split the document into several files with fewer pages each.");
}

} // namespace kiosk::documents
