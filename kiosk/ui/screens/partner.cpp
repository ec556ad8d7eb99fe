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
    if (id.starts_with("event_")) {
        m_current_event = id.substr(6);
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

void App::draw_partner()
{
    auto& c = *m_canvas;
    auto const* partner = m_catalogue.partner(m_current_partner);
    if (!partner)
        return;
    draw_top_bar(partner->name);
    Rect area = content_area();
    c.text(core::localized(partner->full_name, m_language), { area.x, area.y, area.w, c.px(90) }, theme::text_title,
        theme::text, Align::left, true);
    c.text(core::localized(partner->description, m_language), { area.x, area.y + c.px(110), area.w, c.px(120) },
        theme::text_body, theme::text, Align::left, false, true);
    c.text(tr("partner.login_hint"), { area.x, area.y + c.px(240), area.w, c.px(120) }, theme::text_body,
        theme::text_muted, Align::left, false, true);
    int forms = available_forms(partner->slug, {});
    int gap = c.px(24);
    int columns = forms > 0 ? 3 : 2;
    int button_w = (area.w - (columns - 1) * gap) / columns;
    int y = area.y + area.h - c.px(180);
    c.action("open_site", { area.x, y, button_w, c.px(180) }, Icon::site, tr("partner.open", { partner->name }),
        ButtonStyle::primary);
    c.action("go_scan", { area.x + button_w + gap, y, button_w, c.px(180) }, Icon::send, tr("partner.scan_first"),
        ButtonStyle::secondary);
    if (forms > 0)
        c.action("go_forms", { area.x + 2 * (button_w + gap), y, button_w, c.px(180) }, Icon::form,
            tr("partner.forms", { std::to_string(forms) }), ButtonStyle::secondary);
}

} // namespace kiosk::ui
