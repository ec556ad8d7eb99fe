// A life event's page and an organisation's page: what to do there, its site, its forms, a scan for it.
#include "kiosk/ui/app.h"

#include "drivers/browser/sim/sim_browser.h"
#include "drivers/scanner/sim/page_synth.h"
#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf.h"

#include <algorithm>

namespace kiosk::ui {

bool App::on_partner_widget(std::string const& id)
{
    if (id == "event_prev" || id == "event_next") {
        m_event_page = std::max(0, m_event_page + (id == "event_next" ? 1 : -1));
    } else if (id.starts_with("event_")) {
        m_current_event = id.substr(6);
        m_event_page = 0;
        navigate(Screen::event);
    } else if (id.starts_with("partner_")) {
        m_current_partner = id.substr(8);
        navigate(Screen::partner);
    } else if (id == "open_site") {
        open_partner_site();
    } else if (id == "sim_download") {
        if (auto* sim = m_devices.sim_browser) {
            std::vector<documents::PdfPage> pages(1);
            auto image = drivers::synthesize_page(0, 100, drivers::ColorMode::gray, 7);
            auto jpeg = documents::encode_jpeg(image, 80);
            if (jpeg) {
                pages[0] = documents::PdfPage { std::move(*jpeg), image.width, image.height, 1, 100 };
                if (auto pdf = documents::assemble_pdf(pages, "Attestation"))
                    (void)sim->simulate_download("attestation.pdf", *pdf);
            }
        }
    } else {
        return false;
    }
    return true;
}

void App::draw_event()
{
    auto& c = *m_canvas;
    auto const* event = m_catalogue.event(m_current_event);
    if (!event)
        return;
    draw_top_bar(core::localized(event->title, m_language));
    Rect area = content_area();
    // Large text, or a small screen: the two columns below do not fit, and the page flows over screenfuls instead.
    if (area.h < c.px(700) || area.w < c.px(1500)) {
        draw_event_flowing(*event, area);
        return;
    }
    int gap = c.px(24);
    c.text(core::localized(event->summary, m_language), { area.x, area.y, area.w, c.px(80) }, theme::text_body,
        theme::text, Align::left, false, true);
    int column_w = (area.w - gap) / 2;
    int y = area.y + c.px(100);
    c.text(tr("event.partners"), { area.x, y, column_w, c.px(60) }, theme::text_body, theme::blue_france, Align::left,
        true);
    // One column of tiles, or two when the event has more sites than fit: every one is shown, none is dropped.
    int ty = y + c.px(70);
    int tile_gap = c.px(16);
    int count = static_cast<int>(event->partners.size());
    int columns = count * (c.px(130) + tile_gap) > area.y + area.h - ty ? 2 : 1;
    int rows = (count + columns - 1) / columns;
    // Two narrow columns need taller tiles for the same words; with no room for them, a tile is its name alone.
    int tile_h
        = std::min(c.px(columns == 2 ? 200 : 170), (area.y + area.h - ty - (rows - 1) * tile_gap) / std::max(rows, 1));
    int tile_w = (column_w - (columns - 1) * tile_gap) / columns;
    bool described = tile_h >= c.px(columns == 2 ? 185 : 150);
    for (int i = 0; i < count; ++i) {
        auto const& slug = event->partners[static_cast<size_t>(i)];
        auto const* partner = m_catalogue.partner(slug);
        if (!partner)
            continue;
        Rect tile { area.x + (i % columns) * (tile_w + tile_gap), ty + (i / columns) * (tile_h + tile_gap), tile_w,
            tile_h };
        // A service's own title says what it is for; a partner is known by its name.
        c.button("partner_" + slug, tile, partner->name, ButtonStyle::tile, true,
            described ? core::localized(partner->description, m_language) : std::string());
    }
    int x = area.x + column_w + gap;
    c.text(
        tr("event.documents"), { x, y, column_w, c.px(60) }, theme::text_body, theme::blue_france, Align::left, true);
    int dy = y + c.px(70);
    for (auto const& document : event->documents) {
        c.text("•  " + core::localized(document, m_language), { x, dy, column_w, c.px(60) }, theme::text_body,
            theme::text);
        dy += c.px(66);
    }
    int forms = available_forms({}, event->slug);
    int bottom = area.y + area.h;
    if (forms > 0) {
        c.action("go_forms", { x, bottom - c.px(150), column_w, c.px(150) }, Icon::form,
            tr("partner.forms", { std::to_string(forms) }), ButtonStyle::secondary);
        bottom -= c.px(150) + gap;
    }
    c.action("go_scan", { x, std::max(dy + gap, bottom - c.px(150)), column_w, c.px(150) }, Icon::copy, tr("scan.go"),
        ButtonStyle::primary);
}

void App::draw_event_flowing(core::LifeEvent const& event, Rect area)
{
    auto& c = *m_canvas;
    int gap = c.px(24);
    // Scanning, the main action, stays at the bottom of every screenful, between the buttons that turn them.
    int actions_h = c.px(110);
    Rect actions { area.x, area.y + area.h - actions_h, area.w, actions_h };
    int columns = area.w >= c.px(1100) ? 2 : 1;
    int column_w = (area.w - (columns - 1) * gap) / columns;
    int column_h = actions.y - gap - area.y;
    // The summary across the top of the first screenful; the rest as blocks, each kept whole: the sites with their
    // heading, the documents with theirs, then the forms.
    auto summary = core::localized(event.summary, m_language);
    int summary_h = c.wrapped_height(summary, theme::text_body, false, area.w);
    struct Block {
        enum Kind { heading, tile, document, forms } kind;
        std::string text;
        std::string slug; // a tile's partner
        int h = 0;
        bool keep_with_next = false;
    };
    std::vector<Block> blocks;
    blocks.push_back({ Block::heading, tr("event.partners"), {}, c.px(56), true });
    for (auto const& slug : event.partners)
        if (auto const* partner = m_catalogue.partner(slug))
            blocks.push_back({ Block::tile, partner->name, slug, c.px(100) });
    blocks.push_back({ Block::heading, tr("event.documents"), {}, c.px(56), true });
    for (auto const& document : event.documents) {
        std::string line = "•  " + core::localized(document, m_language);
        blocks.push_back({ Block::document, line, {}, c.wrapped_height(line, theme::text_body, false, column_w) });
    }
    int forms = available_forms({}, event.slug);
    if (forms > 0)
        blocks.push_back({ Block::forms, tr("partner.forms", { std::to_string(forms) }), {}, c.px(110) });
    // Flowed into columns, then into screenfuls; a heading never ends a column.
    struct Placed {
        size_t block;
        int page, column, y;
    };
    std::vector<Placed> placed;
    int first_top = summary_h + gap / 2;
    int page = 0, column = 0, y = first_top;
    for (size_t i = 0; i < blocks.size(); ++i) {
        int need = blocks[i].h + (blocks[i].keep_with_next && i + 1 < blocks.size() ? gap / 2 + blocks[i + 1].h : 0);
        int top = page == 0 ? first_top : 0;
        if (y > top && y + need > column_h) {
            if (++column == columns) {
                column = 0;
                ++page;
            }
            y = page == 0 ? first_top : 0;
        }
        placed.push_back({ i, page, column, y });
        y += blocks[i].h + gap / 2;
    }
    int pages = page + 1;
    m_event_page = std::min(m_event_page, pages - 1);
    if (m_event_page == 0)
        c.text(summary, { area.x, area.y, area.w, summary_h }, theme::text_body, theme::text, Align::left, false, true);
    for (auto const& where : placed) {
        if (where.page != m_event_page)
            continue;
        auto const& block = blocks[where.block];
        Rect box { area.x + where.column * (column_w + gap), area.y + where.y, column_w, block.h };
        switch (block.kind) {
        case Block::document: c.text(block.text, box, theme::text_body, theme::text, Align::left, false, true); break;
        case Block::heading: c.text(block.text, box, theme::text_body, theme::blue_france, Align::left, true); break;
        case Block::tile: c.button("partner_" + block.slug, box, block.text, ButtonStyle::tile); break;
        case Block::forms: c.action("go_forms", box, Icon::form, block.text, ButtonStyle::secondary); break;
        }
    }
    // The turning buttons at the ends of the row, only when there is more than one screenful.
    int turn_w = pages > 1 ? std::min(c.px(340), (actions.w - 2 * gap) * 3 / 10) : 0;
    if (pages > 1) {
        c.button("event_prev", { actions.x, actions.y, turn_w, actions.h }, "← " + tr("event.previous"),
            ButtonStyle::secondary, m_event_page > 0);
        c.button("event_next", { actions.x + actions.w - turn_w, actions.y, turn_w, actions.h },
            tr("event.next") + " →", ButtonStyle::secondary, m_event_page + 1 < pages);
    }
    int inset = turn_w > 0 ? turn_w + gap : 0;
    c.action("go_scan", { actions.x + inset, actions.y, actions.w - 2 * inset, actions.h }, Icon::copy, tr("scan.go"),
        ButtonStyle::primary);
}

void App::draw_partner()
{
    auto& c = *m_canvas;
    auto const* partner = m_catalogue.partner(m_current_partner);
    if (!partner)
        return;
    draw_top_bar(partner->name);
    Rect area = content_area();
    int button_h = c.px(180);
    if (area.h >= c.px(700)) {
        c.text(core::localized(partner->full_name, m_language), { area.x, area.y, area.w, c.px(90) }, theme::text_title,
            theme::text, Align::left, true);
        c.text(core::localized(partner->description, m_language), { area.x, area.y + c.px(110), area.w, c.px(120) },
            theme::text_body, theme::text, Align::left, false, true);
        c.text(tr("partner.login_hint"), { area.x, area.y + c.px(240), area.w, c.px(120) }, theme::text_body,
            theme::text_muted, Align::left, false, true);
    } else {
        // Large text: the words as high as they need, one after the other; the buttons take the height left.
        int y = area.y;
        auto paragraph = [&](std::string const& words, int size, Color color, bool bold) {
            y += c.paragraph(words, area.x, y, area.w, size, color, Align::left, bold) + c.px(12);
        };
        paragraph(core::localized(partner->full_name, m_language), theme::text_title, theme::text, true);
        paragraph(core::localized(partner->description, m_language), theme::text_body, theme::text, false);
        paragraph(tr("partner.login_hint"), theme::text_body, theme::text_muted, false);
        button_h = std::clamp(area.y + area.h - y - c.px(12), c.px(theme::min_target + 24), c.px(180));
    }
    int forms = available_forms(partner->slug, {});
    int gap = c.px(24);
    int columns = forms > 0 ? 3 : 2;
    int button_w = (area.w - (columns - 1) * gap) / columns;
    int y = area.y + area.h - button_h;
    c.action("open_site", { area.x, y, button_w, button_h }, Icon::site, tr("partner.open", { partner->name }),
        ButtonStyle::primary);
    c.action("go_scan", { area.x + button_w + gap, y, button_w, button_h }, Icon::send, tr("partner.scan_first"),
        ButtonStyle::secondary);
    if (forms > 0)
        c.action("go_forms", { area.x + 2 * (button_w + gap), y, button_w, button_h }, Icon::form,
            tr("partner.forms", { std::to_string(forms) }), ButtonStyle::secondary);
}

} // namespace kiosk::ui
