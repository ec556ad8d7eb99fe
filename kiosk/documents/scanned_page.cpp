// A scanner frame through prepare_page, then the blank rule of its source, the JPEG and the thumbnail.
#include "kiosk/documents/scanned_page.h"

#include "kiosk/documents/jpeg.h"

namespace kiosk::documents {

Result<ScannedPage> prepare_scanned_page(Image const& frame, ScannedPageOptions const& options)
{
    PageOptions page_options;
    page_options.mode = options.mode;
    PreparedPage prepared = prepare_page(frame, page_options);
    ScannedPage page;
    if (options.from_feeder && prepared.blank) {
        page.dropped = true;
        return page;
    }
    page.image = std::move(prepared.image);
    if (options.jpeg)
        page.jpeg = TRY(encode_jpeg(page.image, scan_jpeg_quality));
    if (options.thumbnail_width > 0 && options.thumbnail_height > 0)
        page.thumbnail = downscale(page.image, options.thumbnail_width, options.thumbnail_height);
    return page;
}

} // namespace kiosk::documents
