// Opens PDFs with poppler-cpp from memory and rasterises one page at a time.
#include "kiosk/documents/pdf_render.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

namespace kiosk::documents {

namespace {

// poppler reports syntax problems on stderr by default; a kiosk's journal is no place for them.
void quiet_poppler()
{
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function([](std::string const&, void*) {}, nullptr); });
}

Result<std::unique_ptr<poppler::document>> open(std::span<const uint8_t> pdf)
{
    quiet_poppler();
    if (pdf.size() < 5 || pdf.size() > (1u << 30))
        return make_error(ErrorCode::usage, "not a PDF");
    std::unique_ptr<poppler::document> document(
        poppler::document::load_from_raw_data(reinterpret_cast<char const*>(pdf.data()), static_cast<int>(pdf.size())));
    if (!document)
        return make_error(ErrorCode::usage, "a damaged PDF: poppler cannot open it");
    if (document->is_locked())
        return make_error(ErrorCode::usage, "an encrypted PDF");
    if (document->pages() <= 0)
        return make_error(ErrorCode::usage, "a damaged PDF: it has no pages");
    return document;
}

} // namespace

Result<PdfInfo> inspect_pdf(std::span<const uint8_t> pdf)
{
    auto document = TRY(open(pdf));
    return PdfInfo { document->pages(), document->is_encrypted(), document->has_permission(poppler::perm_print) };
}

Result<PdfInfo> inspect_pdf_for_print(std::span<const uint8_t> pdf)
{
    auto info = TRY(inspect_pdf(pdf));
    if (!info.printable)
        return make_error(ErrorCode::usage, "an encrypted PDF that forbids printing");
    return info;
}

Result<Image> render_pdf_page(std::span<const uint8_t> pdf, int page_index, int max_width, int max_height)
{
    auto document = TRY(open(pdf));
    if (page_index < 0 || page_index >= document->pages())
        return make_error(ErrorCode::not_found, "no page " + std::to_string(page_index + 1));
    std::unique_ptr<poppler::page> page(document->create_page(page_index));
    if (!page)
        return make_error(ErrorCode::usage, "damaged PDF page");
    auto box = page->page_rect(poppler::media_box);
    if (box.width() <= 0 || box.height() <= 0)
        return make_error(ErrorCode::usage, "PDF page without a size");
    double dpi = 72.0 * std::min(max_width / box.width(), max_height / box.height());
    dpi = std::clamp(dpi, 10.0, 300.0);
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_argb32);
    poppler::image rendered = renderer.render_page(page.get(), dpi, dpi);
    if (!rendered.is_valid() || rendered.format() != poppler::image::format_argb32)
        return make_error(ErrorCode::usage, "the PDF page could not be drawn");
    Image image;
    image.width = rendered.width();
    image.height = rendered.height();
    image.channels = 3;
    image.dpi = static_cast<int>(dpi);
    image.pixels.resize(image.row_bytes() * static_cast<size_t>(image.height));
    // argb32 is one native-endian 32-bit word per pixel: 0xAARRGGBB (pages render opaque).
    for (int y = 0; y < image.height; ++y) {
        auto const* source = reinterpret_cast<uint32_t const*>(
            rendered.const_data() + static_cast<size_t>(y) * rendered.bytes_per_row());
        uint8_t* target = image.pixels.data() + image.row_bytes() * static_cast<size_t>(y);
        for (int x = 0; x < image.width; ++x) {
            uint32_t pixel = source[x];
            target[3 * x] = static_cast<uint8_t>(pixel >> 16);
            target[3 * x + 1] = static_cast<uint8_t>(pixel >> 8);
            target[3 * x + 2] = static_cast<uint8_t>(pixel);
        }
    }
    return image;
}

} // namespace kiosk::documents
