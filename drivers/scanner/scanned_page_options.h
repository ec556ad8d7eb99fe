// What a scan's settings mean for its pages: the one mapping from the scanner's terms to the page pipeline's.
#pragma once

#include "drivers/scanner/scanner.h"
#include "kiosk/documents/scanned_page.h"

namespace kiosk::drivers {

inline documents::PageMode page_mode(ColorMode mode)
{
    switch (mode) {
    case ColorMode::color: return documents::PageMode::color;
    case ColorMode::gray: return documents::PageMode::gray;
    case ColorMode::lineart: return documents::PageMode::black_and_white;
    }
    return documents::PageMode::color;
}

// The pages of a scan with these settings, without JPEG or thumbnail (the caller adds those it needs).
inline documents::ScannedPageOptions scanned_page_options(ScanSettings const& settings)
{
    documents::ScannedPageOptions options;
    options.mode = page_mode(settings.mode);
    options.from_feeder = settings.source == ScanSource::adf;
    return options;
}

} // namespace kiosk::drivers
