// One raw scanner frame to a page ready to keep: the pipeline, the feeder's blank-page rule, the stored JPEG and a
// thumbnail. The kiosk calls it for each frame as it arrives, `kiosk scan` for each frame it collected.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/documents/image.h"
#include "kiosk/documents/pipeline.h"

#include <cstdint>
#include <vector>

namespace kiosk::documents {

// The JPEG quality of a scanned page as the kiosk keeps it, to print, send or watermark later.
constexpr int scan_jpeg_quality = 85;

struct ScannedPageOptions {
    PageMode mode = PageMode::color;
    // A blank page from the feeder is the back of a one-sided sheet or a separator, and is dropped; a blank page
    // on the glass was put there on purpose, and is kept.
    bool from_feeder = false;
    bool jpeg = false; // also encode the page at scan_jpeg_quality
    int thumbnail_width = 0; // with thumbnail_height, also a thumbnail that fits within; 0 for none
    int thumbnail_height = 0;
};

struct ScannedPage {
    bool dropped = false; // a blank feeder page: nothing else is filled in
    Image image; // cropped, straightened, in the page's colour mode
    std::vector<uint8_t> jpeg; // when asked for
    Image thumbnail; // when asked for
};

// Fails only when the JPEG, asked for, cannot be encoded.
Result<ScannedPage> prepare_scanned_page(Image const& frame, ScannedPageOptions const& options);

} // namespace kiosk::documents
