// Which tray documents a page's file request can take, and fitting the chosen one under the partner's limit.
#include "kiosk/ui/upload.h"

#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf_render.h"
#include "kiosk/ui/app.h"

namespace kiosk::ui {

namespace {

// An A4 page drawn at the legibility floor: what a PDF becomes when it must be made smaller or turned into images.
constexpr int render_dpi = documents::floor_dpi;
constexpr int a4_width_px = 210 * render_dpi * 10 / 254;
constexpr int a4_height_px = 297 * render_dpi * 10 / 254;

} // namespace

UploadOffer upload_offer(
    TrayDocument const& document, drivers::FileRequest const& request, core::UploadRules const& rules)
{
    UploadOffer offer;
    if (!document.pdf_vault_name.empty() && !document.pdf_readable) {
        offer.reason_key = "upload.unreadable";
        return offer;
    }
    bool pdf = rules.pdf && drivers::file_request_accepts(request, "document.pdf", "application/pdf");
    bool jpeg = rules.jpeg && drivers::file_request_accepts(request, "document.jpg", "image/jpeg");
    if (pdf) {
        offer.allowed = true;
        offer.format = documents::DocumentFormat::pdf;
    } else if (jpeg && (document.page_count() == 1 || request.multiple)) {
        offer.allowed = true;
        offer.format = documents::DocumentFormat::jpeg;
    } else {
        offer.reason_key = jpeg ? "upload.one_image" : "upload.format";
    }
    return offer;
}

Result<documents::EncodedDocument> prepare_upload(UploadSource const& source)
{
    bool is_pdf = !source.pdf.empty();
    if (is_pdf && source.format == documents::DocumentFormat::pdf
        && (source.max_bytes == 0 || source.pdf.size() <= source.max_bytes)) {
        auto pages = documents::inspect_pdf(source.pdf);
        documents::EncodedDocument as_is;
        as_is.files.push_back(source.pdf);
        as_is.bytes = source.pdf.size();
        as_is.pages = pages ? pages->pages : 0;
        return as_is;
    }
    auto cancelled = [&] { return source.cancel && source.cancel->load(); };
    std::vector<documents::Image> pages;
    if (is_pdf) {
        auto info = TRY(documents::inspect_pdf(source.pdf));
        if (info.pages > max_redrawn_pages)
            return make_error(
                ErrorCode::usage, "a PDF of " + std::to_string(info.pages) + " pages is too long to be made smaller");
        for (int i = 0; i < info.pages; ++i) {
            if (cancelled())
                return make_error(ErrorCode::cancelled, "the session ended");
            auto page = TRY(documents::render_pdf_page(source.pdf, i, a4_width_px, a4_height_px));
            page.dpi = render_dpi;
            pages.push_back(std::move(page));
        }
    } else {
        for (auto const& jpeg : source.jpeg_pages) {
            if (cancelled())
                return make_error(ErrorCode::cancelled, "the session ended");
            pages.push_back(TRY(documents::decode_jpeg(jpeg)));
        }
    }
    if (cancelled())
        return make_error(ErrorCode::cancelled, "the session ended");
    return documents::fit_to_size(pages, source.max_bytes, source.format);
}

} // namespace kiosk::ui
