// A4 text PDFs through pango (shaping, bidirectional text, wrapping, font fallback through fontconfig) and cairo (the
// PDF surface, which embeds a subset of each font it draws with).
#include "kiosk/documents/text_pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>

namespace kiosk::documents {

namespace {

constexpr double page_width = 595.28, page_height = 841.89, margin = 56.7; // A4 in points, 2 cm margins
constexpr double text_width = page_width - 2 * margin;
constexpr char const* font_family = "DejaVu Sans"; // fonts-dejavu-core: Latin, Greek, Cyrillic, Arabic, Hebrew...

struct FreeWith {
    void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
    void operator()(cairo_t* cairo) const { cairo_destroy(cairo); }
    void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
    void operator()(PangoLayoutIter* iter) const { pango_layout_iter_free(iter); }
    void operator()(gchar* text) const { g_free(text); }
    void operator()(GObject* object) const { g_object_unref(object); }
};
template<typename T>
using Owned = std::unique_ptr<T, FreeWith>;

struct Style {
    double size = 11; // points
    bool bold = false;
    double gap_after = 8; // points below the block
};

Style style_of(TextBlock::Kind kind)
{
    switch (kind) {
    case TextBlock::Kind::title: return { 18, true, 18 };
    case TextBlock::Kind::heading: return { 12.5, true, 6 };
    case TextBlock::Kind::paragraph: return { 11, false, 8 };
    case TextBlock::Kind::field: return { 11, false, 14 };
    case TextBlock::Kind::signature: return { 11, false, 70 };
    case TextBlock::Kind::small: return { 8.5, false, 6 };
    }
    return {};
}

// Text from a file may hold bytes that are not UTF-8; pango would warn and cairo refuse the metadata.
std::string valid_utf8(std::string const& text)
{
    Owned<gchar> valid(g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
    return valid.get();
}

cairo_status_t append_to(void* closure, unsigned char const* data, unsigned int length)
{
    auto* out = static_cast<std::vector<uint8_t>*>(closure);
    out->insert(out->end(), data, data + length);
    return CAIRO_STATUS_SUCCESS;
}

// Where the last line of a block ended, for the dotted line of a field.
struct LastLine {
    double left = margin, right = margin; // the ink of the text, in points from the page's left edge
    double baseline = margin;
    bool right_to_left = false;
};

class PageWriter {
public:
    PageWriter(cairo_t* cairo, PangoContext* context)
        : m_cairo(cairo)
        , m_context(context)
    {
    }

    void write(TextBlock const& block)
    {
        Style const style = style_of(block.kind);
        double const leading = style.size * 1.35;
        Owned<GObject> layout_object(G_OBJECT(pango_layout_new(m_context)));
        auto* layout = PANGO_LAYOUT(layout_object.get());
        Owned<PangoFontDescription> font(pango_font_description_new());
        pango_font_description_set_family(font.get(), font_family);
        pango_font_description_set_weight(font.get(), style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        // Absolute: in the surface's units (points), not scaled by a screen resolution.
        pango_font_description_set_absolute_size(font.get(), style.size * PANGO_SCALE);
        pango_layout_set_font_description(layout, font.get());
        pango_layout_set_width(layout, static_cast<int>(text_width * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
        // Left means "at the start of the line": pango puts an Arabic paragraph on the right.
        pango_layout_set_alignment(
            layout, block.kind == TextBlock::Kind::title ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
        std::string const text = valid_utf8(block.text);
        pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));

        LastLine last = draw_lines(layout, leading);
        if (block.kind == TextBlock::Kind::field)
            draw_writing_line(last, text.empty(), leading);
        m_y += style.gap_after;
    }

private:
    void next_page()
    {
        cairo_show_page(m_cairo);
        m_y = margin;
    }

    // Draws the layout's lines from the cursor down, each on the page it fits on.
    LastLine draw_lines(PangoLayout* layout, double leading)
    {
        LastLine last;
        Owned<PangoLayoutIter> iter(pango_layout_get_iter(layout));
        do {
            PangoRectangle ink, logical;
            pango_layout_iter_get_line_extents(iter.get(), &ink, &logical);
            double const height = std::max(logical.height / double(PANGO_SCALE), leading);
            if (m_y + height > page_height - margin)
                next_page();
            double const baseline
                = m_y + (pango_layout_iter_get_baseline(iter.get()) - logical.y) / double(PANGO_SCALE);
            PangoLayoutLine* line = pango_layout_iter_get_line_readonly(iter.get());
            cairo_move_to(m_cairo, margin + logical.x / double(PANGO_SCALE), baseline);
            pango_cairo_show_layout_line(m_cairo, line);
            last.baseline = baseline;
            last.right_to_left = pango_layout_line_get_resolved_direction(line) == PANGO_DIRECTION_RTL;
            last.left = margin + ink.x / double(PANGO_SCALE);
            last.right = last.left + ink.width / double(PANGO_SCALE);
            m_y += height;
        } while (pango_layout_iter_next_line(iter.get()));
        return last;
    }

    // A dotted line after the label, to the margin, on the label's baseline: where the person writes. When the
    // label leaves little room, the line goes beneath it, across the whole width.
    void draw_writing_line(LastLine last, bool no_label, double leading)
    {
        double constexpr gap = 4, least = 60;
        double from = margin, to = page_width - margin;
        if (!no_label) {
            if (last.right_to_left)
                to = last.left - gap;
            else
                from = last.right + gap;
        }
        if (to - from < least) {
            if (m_y + leading > page_height - margin)
                next_page();
            m_y += leading;
            last.baseline = m_y - leading * 0.25;
            from = margin;
            to = page_width - margin;
        }
        double const dots[] = { 0, 3 };
        cairo_save(m_cairo);
        cairo_set_line_width(m_cairo, 0.9);
        cairo_set_line_cap(m_cairo, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(m_cairo, dots, 2, 0);
        cairo_move_to(m_cairo, from, last.baseline);
        cairo_line_to(m_cairo, to, last.baseline);
        cairo_stroke(m_cairo);
        cairo_restore(m_cairo);
    }

    cairo_t* m_cairo;
    PangoContext* m_context;
    double m_y = margin; // the top of the next line, in points from the page's top edge
};

} // namespace

Result<std::vector<uint8_t>> write_text_pdf(std::vector<TextBlock> const& blocks, std::string const& title)
{
    if (blocks.empty())
        return make_error(ErrorCode::usage, "a form needs some text");
    std::vector<uint8_t> pdf;
    Owned<cairo_surface_t> surface(cairo_pdf_surface_create_for_stream(append_to, &pdf, page_width, page_height));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, valid_utf8(title).c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "France Services kiosk");
    Owned<cairo_t> cairo(cairo_create(surface.get()));
    cairo_set_source_rgb(cairo.get(), 0, 0, 0);
    // pango_cairo_create_context() uses this thread's default font map (pango keeps one per thread), and fontconfig
    // initialises itself once, under its own lock: two threads writing forms at once share nothing mutable here.
    Owned<GObject> context(G_OBJECT(pango_cairo_create_context(cairo.get())));
    PageWriter writer(cairo.get(), PANGO_CONTEXT(context.get()));
    for (auto const& block : blocks)
        writer.write(block);
    cairo_surface_finish(surface.get());
    if (auto status = cairo_status(cairo.get()); status != CAIRO_STATUS_SUCCESS)
        return make_error(ErrorCode::internal, std::string("cairo: ") + cairo_status_to_string(status));
    if (auto status = cairo_surface_status(surface.get()); status != CAIRO_STATUS_SUCCESS)
        return make_error(ErrorCode::internal, std::string("cairo PDF: ") + cairo_status_to_string(status));
    return pdf;
}

} // namespace kiosk::documents
