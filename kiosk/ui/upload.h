// Sending a document of the tray to a partner site that asked for a file: which documents the request can take and
// in which format, and preparing the chosen one to fit the site's limits (off the UI thread).
#pragma once

#include "drivers/browser/browser.h"
#include "kiosk/core/catalogue.h"
#include "kiosk/core/session_store.h"
#include "kiosk/documents/fit_to_size.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace kiosk::ui {

// Whether a document can answer a file request, and how. reason_key names the translated sentence that says why not.
struct UploadOffer {
    bool allowed = false;
    documents::DocumentFormat format = documents::DocumentFormat::pdf;
    std::string reason_key; // "upload.unreadable", "upload.one_image", "upload.format"
};

// PDF when both the page's input and the partner take it; else JPEG, one file a page, when they take images (a
// document of several pages only for an input that takes several files).
UploadOffer upload_offer(
    core::TrayDocument const& document, drivers::FileRequest const& request, core::UploadRules const& rules);

// What the preparation works from, copied out of the vault on the UI thread: a scan's JPEG pages, or a PDF.
struct UploadSource {
    std::vector<std::vector<uint8_t>> jpeg_pages; // a scan
    std::vector<uint8_t> pdf; // a download or a form
    documents::DocumentFormat format = documents::DocumentFormat::pdf;
    size_t max_bytes = 0;
    // Set by the session's end: the preparation stops between two pages.
    std::atomic<bool> const* cancel = nullptr;
};

// A PDF that must be drawn again (too big, or wanted as images) has at most this many pages: each is 6.5 MB in
// memory at 150 dpi, and a partner's download is untrusted input.
inline constexpr int max_redrawn_pages = 20;

// The files to hand to the page, each under the limit: one PDF, or one JPEG a page. A PDF that already fits is
// given as it is; a larger one, or one that must become images, is drawn at 150 dpi and fitted. ErrorCode::usage
// with the reason when even the legibility floor does not fit or the PDF has more than max_redrawn_pages pages;
// ErrorCode::cancelled when source.cancel was set.
Result<documents::EncodedDocument> prepare_upload(UploadSource const& source);

} // namespace kiosk::ui
