// The page pipeline: one overview, then one pass of crop-and-rotate over the full-resolution pixels.
#include "kiosk/documents/pipeline.h"

#include "kiosk/documents/black_and_white.h"
#include "kiosk/documents/blank.h"
#include "kiosk/documents/deskew.h"
#include "kiosk/documents/overview.h"

#include <cmath>
#include <numbers>

namespace kiosk::documents {

namespace {

// The paper inside the straightened box. The box held the turned sheet, touching its four sides, and four
// corners of dark surround; straightened, the sheet is the centred w × h that solves W = w·cos a + h·sin a,
// H = w·sin a + h·cos a, and the corners have become wedges along its edges. margin is how much wider than
// the sheet's outline the box was drawn (find_paper widens it so as never to cut the paper).
Rect sheet_in_straightened_box(int box_width, int box_height, double degrees, int margin)
{
    double const a = std::abs(degrees) * std::numbers::pi / 180.0;
    double const c = std::cos(a), s = std::sin(a);
    double const W = box_width - 2.0 * margin, H = box_height - 2.0 * margin;
    double const det = c * c - s * s;
    int const w = static_cast<int>(std::floor((W * c - H * s) / det));
    int const h = static_cast<int>(std::floor((H * c - W * s) / det));
    if (w <= 0 || h <= 0 || w > box_width || h > box_height)
        return { 0, 0, box_width, box_height };
    return { (box_width - w) / 2, (box_height - h) / 2, w, h };
}

} // namespace

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
    bool const surround = !(prepared.paper == Rect { 0, 0, frame.width, frame.height });
    // Around a turned sheet the paper's box still holds dark corners of the surround, which would read as ink.
    Image const paper_only = surround ? whiten_surround(overview) : Image {};
    Image const& ink = surround ? paper_only : overview;
    prepared.blank = is_blank(ink, region);
    if (options.deskew && !prepared.blank)
        prepared.skew_degrees = estimate_skew(ink, region);

    Image converted;
    Image const* source = &frame;
    if (options.mode != PageMode::color && frame.channels == 3) {
        converted = to_gray(frame);
        source = &converted;
    }
    if (std::abs(prepared.skew_degrees) > min_correction_degrees) {
        prepared.image = crop_and_rotate(*source, prepared.paper, -prepared.skew_degrees);
        // Only a box found on a dark surround has dark corners; a whole frame's corners straighten to white. A
        // box that touches the frame's edge holds a sheet partly off the glass, not touching the box all round:
        // the formula would cut into it, so it keeps its box.
        Rect const& box = prepared.paper;
        bool const inside
            = box.x > 0 && box.y > 0 && box.x + box.width < frame.width && box.y + box.height < frame.height;
        if (surround && inside) {
            Rect const sheet
                = sheet_in_straightened_box(prepared.image.width, prepared.image.height, prepared.skew_degrees, factor);
            prepared.image = crop(prepared.image, sheet);
        }
    } else {
        prepared.image = crop(*source, prepared.paper);
    }
    if (options.mode == PageMode::black_and_white)
        prepared.image = to_black_and_white(prepared.image);
    return prepared;
}

} // namespace kiosk::documents
