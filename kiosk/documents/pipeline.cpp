// The page pipeline: one overview, then one pass of crop-and-rotate over the full-resolution pixels.
#include "kiosk/documents/pipeline.h"

#include "kiosk/documents/black_and_white.h"
#include "kiosk/documents/blank.h"
#include "kiosk/documents/deskew.h"
#include "kiosk/documents/overview.h"

#include <cmath>

namespace kiosk::documents {

PreparedPage prepare_page(const Image& frame, PageOptions const& options)
{
    PreparedPage prepared;
    if (frame.empty() || (frame.channels != 1 && frame.channels != 3))
        return prepared;
    int const factor = overview_factor(frame.dpi);
    Image const overview = reduce_to_gray(frame, factor);
    prepared.paper = options.crop ? find_paper(overview, factor, frame.width, frame.height)
                                  : Rect { 0, 0, frame.width, frame.height };
    // The paper in overview pixels, rounded inwards so no surround pixel is taken for ink.
    Rect const region { (prepared.paper.x + factor - 1) / factor, (prepared.paper.y + factor - 1) / factor,
        prepared.paper.width / factor, prepared.paper.height / factor };
    prepared.blank = is_blank(overview, region);
    if (options.deskew && !prepared.blank)
        prepared.skew_degrees = estimate_skew(overview, region);

    Image converted;
    Image const* source = &frame;
    if (options.mode != PageMode::color && frame.channels == 3) {
        converted = to_gray(frame);
        source = &converted;
    }
    if (std::abs(prepared.skew_degrees) > min_correction_degrees)
        prepared.image = crop_and_rotate(*source, prepared.paper, -prepared.skew_degrees);
    else
        prepared.image = crop(*source, prepared.paper);
    // FIXME: a rotated page on a dark surround keeps thin dark wedges along its edges; a second find_paper on
    // the straightened page would trim them.
    if (options.mode == PageMode::black_and_white)
        prepared.image = to_black_and_white(prepared.image);
    return prepared;
}

std::vector<Image> prepare_feeder_run(std::span<const Image> frames, PageOptions const& options, int* dropped)
{
    std::vector<Image> pages;
    int blank = 0;
    for (Image const& frame : frames) {
        PreparedPage prepared = prepare_page(frame, options);
        if (prepared.blank)
            ++blank;
        else
            pages.push_back(std::move(prepared.image));
    }
    if (dropped)
        *dropped = blank;
    return pages;
}

} // namespace kiosk::documents
