// What each screen looks like: big targets, few words, the session bar always at hand.
#include "kiosk/ui/app.h"

#include "drivers/browser/sim/sim_browser.h"

#include <algorithm>

namespace kiosk::ui {

namespace {

std::string minutes_seconds(int seconds)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%d:%02d", seconds / 60, seconds % 60);
    return buffer;
}

// Where the tray's parts go: document tiles in a grid, a row to turn screenfuls under it, actions on the right.
struct TrayLayout {
    Rect list;
    Rect paging;
    Rect actions;
    int tile_w = 0, tile_h = 0, columns = 1, rows = 1;
    int per_page() const { return columns * rows; }
};

TrayLayout tray_layout(Canvas const& c, Rect area)
{
    TrayLayout layout;
    int gap = c.px(24);
    int actions_w = c.px(520);
    int paging_h = c.px(120);
    layout.list = { area.x, area.y, area.w - actions_w - gap, area.h - paging_h - gap };
    layout.paging = { area.x, area.y + area.h - paging_h, layout.list.w, paging_h };
    layout.actions = { area.x + area.w - actions_w, area.y, actions_w, area.h };
    layout.tile_w = c.px(300);
    layout.tile_h = c.px(420);
    layout.columns = std::max(1, (layout.list.w + gap) / (layout.tile_w + gap));
    layout.rows = std::max(1, (layout.list.h + gap) / (layout.tile_h + gap));
    return layout;
}

// The pages screen: one row of large page cards, and under it the row to turn screenfuls and finish.
struct PagesLayout {
    Rect cards;
    Rect bottom;
    int card_w = 0, columns = 1;
};

PagesLayout pages_layout(Canvas const& c, Rect area)
{
    PagesLayout layout;
    int gap = c.px(24);
    int bottom_h = c.px(120);
    layout.cards = { area.x, area.y, area.w, area.h - bottom_h - gap };
    layout.bottom = { area.x, area.y + area.h - bottom_h, area.w, bottom_h };
    // Wide enough for two arrows and a Delete button whose word stays whole, side by side; the thumbnail,
    // limited by the card's height, is no smaller for it.
    int card_min_w = c.px(560);
    layout.columns = std::max(1, (layout.cards.w + gap) / (card_min_w + gap));
    layout.card_w = (layout.cards.w - gap * (layout.columns - 1)) / layout.columns;
    return layout;
}

} // namespace

void App::draw_pager(std::string const& section, Rect row, int first, int per_page, int count)
{
    auto& c = *m_canvas;
    int gap = c.px(24);
    int button_w = c.px(400);
    int end = std::min(count, first + per_page);
    std::string range = end - first == 1
        ? tr(section + ".shown_one", { std::to_string(first + 1), std::to_string(count) })
        : tr(section + ".shown", { std::to_string(first + 1), std::to_string(end), std::to_string(count) });
    c.button(section + "_prev", { row.x, row.y, button_w, row.h }, "← " + tr(section + ".previous"),
        ButtonStyle::secondary, first > 0);
    c.text(range, { row.x + button_w + gap, row.y, row.w - 2 * (button_w + gap), row.h }, theme::text_body, theme::text,
        Align::center, true);
    c.button(section + "_next", { row.x + row.w - button_w, row.y, button_w, row.h }, tr(section + ".next") + " →",
        ButtonStyle::secondary, end < count);
}

int App::tray_page_size() const
{
    return m_canvas ? tray_layout(*m_canvas, content_area()).per_page() : 4;
}

int App::pages_page_size() const
{
    return m_canvas ? pages_layout(*m_canvas, content_area()).columns : 4;
}

Rect App::content_area() const
{
    auto& c = *m_canvas;
    int top = c.px(theme::top_bar);
    int bottom = c.px(theme::session_bar);
    int margin = c.px(theme::margin);
    return { margin, top + margin / 2, c.width() - 2 * margin, c.height() - top - bottom - margin };
}

void App::draw()
{
    if (!m_canvas)
        return;
    auto& c = *m_canvas;
    c.begin_frame();
    c.fill({ 0, 0, c.width(), c.height() }, theme::background);
    switch (m_screen) {
    case Screen::attract: draw_attract(); break;
    case Screen::welcome: draw_welcome(); break;
    case Screen::home: draw_home(); break;
    case Screen::sites: draw_sites(); break;
    case Screen::events: draw_events(); break;
    case Screen::send: draw_send(); break;
    case Screen::event: draw_event(); break;
    case Screen::partner: draw_partner(); break;
    case Screen::browser: draw_browser(); break;
    case Screen::scan: draw_scan(); break;
    case Screen::tray: draw_tray(); break;
    case Screen::pages: draw_pages(); break;
    case Screen::print: draw_print(); break;
    case Screen::forms: draw_forms(); break;
    case Screen::prepare: draw_prepare(); break;
    case Screen::rename: draw_rename(); break;
    case Screen::agent_unlock: draw_agent_unlock(); break;
    case Screen::assisted: draw_assisted(); break;
    case Screen::id_capture: draw_id_capture(); break;
    case Screen::diagnostics: draw_diagnostics(); break;
    case Screen::ending: draw_ending(); break;
    case Screen::wiping: draw_wiping(); break;
    case Screen::out_of_order: draw_out_of_order(); break;
    }
    if (m_session.in_session())
        draw_session_bar();
    draw_overlay();
    m_dirty = false;
}

void App::draw_top_bar(std::string const& title, std::string const& subtitle)
{
    auto& c = *m_canvas;
    int h = c.px(theme::top_bar);
    c.fill({ 0, 0, c.width(), h }, theme::white);
    c.fill({ 0, h - c.px(3), c.width(), c.px(3) }, theme::border);
    int pad = c.px(16);
    int button_w = c.px(260);
    bool can_go_back = !m_history.empty();
    c.button("back", { pad, pad, button_w, h - 2 * pad }, "← " + tr("nav.back"), ButtonStyle::secondary, can_go_back);
    c.button("go_home", { pad * 2 + button_w, pad, button_w, h - 2 * pad }, "⌂ " + tr("nav.home"),
        ButtonStyle::secondary, m_screen != Screen::home);
    int title_x = pad * 4 + button_w * 2;
    int title_w = c.width() - title_x - pad;
    if (subtitle.empty()) {
        c.text(title, { title_x, 0, title_w, h }, theme::text_title, theme::blue_france, Align::left, true);
        return;
    }
    c.text(title, { title_x, 0, title_w, h * 9 / 20 }, theme::text_body, theme::blue_france, Align::left, true);
    int icon_w = c.px(50);
    c.icon(Icon::check, { title_x, h * 9 / 20, icon_w, h / 2 }, c.px(34), theme::green_success);
    c.text(subtitle, { title_x + icon_w + c.px(8), h * 9 / 20, title_w - icon_w - c.px(8), h / 2 }, theme::text_small,
        theme::green_success, Align::left, true, true);
}

void App::draw_session_bar()
{
    auto& c = *m_canvas;
    int h = c.px(theme::session_bar);
    int y = c.height() - h;
    c.fill({ 0, y, c.width(), h }, theme::blue_france);
    int pad = c.px(16);
    int seconds = m_session.session_seconds_left();
    std::string left = seconds >= 120 ? tr("bar.time_left_minutes", { std::to_string((seconds + 59) / 60) })
                                      : tr("bar.time_left_seconds", { minutes_seconds(seconds) });
    c.text(left, { c.px(theme::margin), y, c.px(520), h }, theme::text_body, theme::white, Align::left, true);
    std::string notice = m_notice;
    if (notice.empty() && m_session.state() == core::SessionState::assisted)
        notice = tr("bar.assisted", { m_unlocked_by });
    if (!notice.empty())
        c.text(notice, { c.px(560), y, c.width() - c.px(1580), h }, theme::text_small, theme::white, Align::left, false,
            true);
    c.hotspot("agent", { 0, y, c.px(60), h });
    int button_w = c.px(480);
    c.action("end_session", { c.width() - button_w - pad, y + pad, button_w, h - 2 * pad }, Icon::erase,
        tr("bar.end_session"), ButtonStyle::danger);
    c.action("call_agent", { c.width() - 2 * button_w - 2 * pad, y + pad, button_w, h - 2 * pad }, Icon::agent,
        tr("bar.call_agent"), ButtonStyle::secondary);
}

void App::draw_attract()
{
    auto& c = *m_canvas;
    c.fill({ 0, 0, c.width(), c.height() }, theme::blue_france);
    // The tricolour strip says "public service" before any word is read.
    int stripe = c.width() / 3;
    c.fill({ 0, 0, stripe, c.px(24) }, theme::blue_france_hover);
    c.fill({ stripe, 0, stripe, c.px(24) }, theme::white);
    c.fill({ 2 * stripe, 0, c.width() - 2 * stripe, c.px(24) }, theme::red_marianne);
    if (m_wiped_at && m_clock.now() - *m_wiped_at < wiped_shown) {
        // The session just ended: the resident leaving sees that nothing of theirs stays, before anything else.
        Rect band { c.px(200), c.px(60), c.width() - c.px(400), c.px(150) };
        c.fill_rounded(band, c.px(16), theme::white);
        c.text(tr("wiping.done") + " ✓", { band.x + c.px(40), band.y + c.px(10), band.w - c.px(80), c.px(70) },
            theme::text_title, theme::green_success, Align::left, true);
        c.text(tr("wiping.done_detail"), { band.x + c.px(40), band.y + c.px(80), band.w - c.px(80), c.px(60) },
            theme::text_small, theme::text, Align::left, false, true);
    }
    c.text(
        "France Services", { 0, c.px(220), c.width(), c.px(140) }, theme::text_huge, theme::white, Align::center, true);
    c.text(tr("attract.subtitle"), { c.px(200), c.px(360), c.width() - c.px(400), c.px(180) }, theme::text_title,
        theme::white, Align::center, false, true);
    c.hotspot("start", { 0, 0, c.width(), c.height() });
    Rect button { c.width() / 2 - c.px(480), c.px(640), c.px(960), c.px(180) };
    c.button("start", button, tr("attract.start"), ButtonStyle::secondary);
    c.text(tr("attract.start_other_language"), { 0, c.px(860), c.width(), c.px(80) }, theme::text_body, theme::white,
        Align::center);
    // The discreet agent key: a small corner target agents know about, drawn faintly.
    Rect corner { c.width() - c.px(130), c.height() - c.px(130), c.px(110), c.px(110) };
    c.fill_rounded(corner, c.px(55), Color { 255, 255, 255, 40 });
    c.hotspot("agent", corner);
}

void App::draw_welcome()
{
    auto& c = *m_canvas;
    c.text(tr("welcome.title"), { c.px(80), c.px(40), c.width() - c.px(160), c.px(110) }, theme::text_title,
        theme::blue_france, Align::left, true);
    int lang_w = c.px(360);
    int lang_y = c.px(170);
    c.text(tr("welcome.language"), { c.px(80), lang_y, c.px(500), c.px(110) }, theme::text_body, theme::text);
    c.button("lang_fr", { c.px(600), lang_y, lang_w, c.px(110) }, "Français",
        m_language == "fr" ? ButtonStyle::selected : ButtonStyle::secondary);
    c.button("lang_en", { c.px(620) + lang_w, lang_y, lang_w, c.px(110) }, "English",
        m_language == "en" ? ButtonStyle::selected : ButtonStyle::secondary);

    Rect rules { c.px(80), c.px(330), c.width() - c.px(160), c.px(470) };
    c.fill_rounded(rules, c.px(12), theme::white);
    c.text(tr("welcome.rules_title"), { rules.x + c.px(40), rules.y + c.px(20), rules.w - c.px(80), c.px(80) },
        theme::text_body, theme::blue_france, Align::left, true);
    std::vector<std::string> lines = {
        tr("welcome.rule_erase"),
        tr("welcome.rule_time", { std::to_string(m_config.session.max_length.count() / 60) }),
        tr("welcome.rule_pages", { std::to_string(m_config.page_quota) }),
        tr("welcome.rule_help"),
    };
    int y = rules.y + c.px(110);
    for (auto const& line : lines) {
        c.text("•  " + line, { rules.x + c.px(40), y, rules.w - c.px(80), c.px(84) }, theme::text_body, theme::text,
            Align::left, false, true);
        y += c.px(88);
    }
    c.button(
        "cancel_welcome", { c.px(80), c.px(850), c.px(520), c.px(150) }, tr("welcome.cancel"), ButtonStyle::secondary);
    c.button("accept", { c.width() - c.px(80) - c.px(900), c.px(850), c.px(900), c.px(150) }, tr("welcome.accept"),
        ButtonStyle::primary);
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
    int tile_h = std::min(c.px(130), (area.y + area.h - ty - (rows - 1) * tile_gap) / std::max(rows, 1));
    int tile_w = (column_w - (columns - 1) * tile_gap) / columns;
    for (int i = 0; i < count; ++i) {
        auto const& slug = event->partners[static_cast<size_t>(i)];
        auto const* partner = m_catalogue.partner(slug);
        if (!partner)
            continue;
        Rect tile { area.x + (i % columns) * (tile_w + tile_gap), ty + (i / columns) * (tile_h + tile_gap), tile_w,
            tile_h };
        // A service's own title says what it is for; a partner is known by its name.
        c.button("partner_" + slug, tile, partner->name, ButtonStyle::tile, true,
            core::localized(partner->description, m_language));
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

void App::draw_browser()
{
    auto& c = *m_canvas;
    auto const* partner = m_catalogue.partner(m_current_partner);
    // The send journey: the document is ready for this site, and said so by name until the site has it.
    std::string ready;
    if (auto const* sent = find_document(m_send_document); sent && m_send_partner == m_current_partner)
        ready = tr("send.ready", { sent->name });
    draw_top_bar(partner ? partner->name : "", ready);
    Rect area = content_area();
    if (m_web_keyboard.visible())
        area.h -= web_keyboard_height();
    c.fill_rounded(area, c.px(12), theme::white);
    auto* sim = m_devices.sim_browser;
    if (sim && sim->current()) {
        // The simulated browser stands in for Chromium: say so, and offer what a partner page would do.
        c.text(tr("browser.simulated", { sim->current()->url }),
            { area.x + c.px(40), area.y + c.px(20), area.w - c.px(80), c.px(110) }, theme::text_body, theme::text,
            Align::left, false, true);
        int w = (area.w - c.px(80) - 2 * c.px(20)) / 3;
        int h = c.px(110);
        int y = area.y + c.px(140);
        // What the simulated page's field holds, as the page itself would show it (a password as dots).
        if (m_web_keyboard.visible()) {
            std::string shown = sim->field_text();
            if (m_web_keyboard.field() == drivers::TextFieldKind::password) {
                size_t characters = 0;
                for (unsigned char ch : shown)
                    characters += (ch & 0xC0) != 0x80;
                shown = std::string();
                for (size_t i = 0; i < characters; ++i)
                    shown += "•";
            }
            c.text(tr("browser.sim_field", { std::string(drivers::to_string(m_web_keyboard.field())), shown + "|" }),
                { area.x + c.px(40), y, area.w - c.px(80), c.px(60) }, theme::text_body, theme::text, Align::left,
                true);
            draw_web_keyboard();
            return;
        }
        c.button("sim_download", { area.x + c.px(40), y, w, h }, tr("browser.sim_download"), ButtonStyle::secondary);
        c.button("sim_file_input", { area.x + c.px(40) + w + c.px(20), y, w, h }, tr("browser.sim_file_input"),
            ButtonStyle::secondary);
        c.button("sim_text_field", { area.x + c.px(40) + 2 * (w + c.px(20)), y, w, h }, tr("browser.sim_text_field"),
            ButtonStyle::secondary);
        y += h + c.px(20);
        if (y + h <= area.y + area.h) {
            c.button("sim_email_field", { area.x + c.px(40), y, w, h }, tr("browser.sim_email_field"),
                ButtonStyle::secondary);
            c.button("sim_number_field", { area.x + c.px(40) + w + c.px(20), y, w, h }, tr("browser.sim_number_field"),
                ButtonStyle::secondary);
            c.button("sim_password_field", { area.x + c.px(40) + 2 * (w + c.px(20)), y, w, h },
                tr("browser.sim_password_field"), ButtonStyle::secondary);
        }
        y += h + c.px(20);
        if (y + h <= area.y + area.h)
            c.button("sim_blocked_link", { area.x + c.px(40), y, w, h }, tr("browser.sim_blocked_link"),
                ButtonStyle::secondary);
    } else {
        c.text(tr("browser.open_elsewhere"), { area.x + c.px(40), area.y + c.px(40), area.w - c.px(80), c.px(160) },
            theme::text_body, theme::text, Align::left, false, true);
    }
    draw_web_keyboard();
}

void App::draw_scan()
{
    auto& c = *m_canvas;
    auto const* send_to = m_catalogue.partner(m_send_partner);
    draw_top_bar(m_copy_mode ? tr("scan.copy_title")
            : send_to        ? tr("scan.send_title", { send_to->name })
                             : tr("scan.title"));
    Rect area = content_area();
    int gap = c.px(24);
    int left_w = area.w * 3 / 5;
    int row_h = c.px(120);
    int y = area.y;
    bool idle = !m_scanning;

    c.text(tr("scan.where"), { area.x, y, left_w, c.px(60) }, theme::text_body, theme::text, Align::left, true);
    y += c.px(70);
    int option_w = (left_w - gap) / 2;
    bool adf = m_scan_settings.source == drivers::ScanSource::adf;
    c.button("source_flatbed", { area.x, y, option_w, row_h }, tr("scan.flatbed"),
        adf ? ButtonStyle::secondary : ButtonStyle::selected, idle);
    c.button("source_adf", { area.x + option_w + gap, y, option_w, row_h }, tr("scan.adf"),
        adf ? ButtonStyle::selected : ButtonStyle::secondary, idle);
    y += row_h + gap;

    // Colour is one question fewer for a document going to a site (the site's limits decide its size), and none
    // once a scan is done: its next steps take the room.
    if (!send_to && !m_scan_next) {
        c.text(tr("scan.colour"), { area.x, y, left_w, c.px(60) }, theme::text_body, theme::text, Align::left, true);
        y += c.px(70);
        int mode_w = (left_w - 2 * gap) / 3;
        auto mode_style = [&](drivers::ColorMode mode) {
            return m_scan_settings.mode == mode ? ButtonStyle::selected : ButtonStyle::secondary;
        };
        c.button(
            "mode_color", { area.x, y, mode_w, row_h }, tr("scan.color"), mode_style(drivers::ColorMode::color), idle);
        c.button("mode_gray", { area.x + mode_w + gap, y, mode_w, row_h }, tr("scan.gray"),
            mode_style(drivers::ColorMode::gray), idle);
        c.button("mode_lineart", { area.x + 2 * (mode_w + gap), y, mode_w, row_h }, tr("scan.lineart"),
            mode_style(drivers::ColorMode::lineart), idle);
        y += row_h + gap;
    }
    y += gap;

    Rect action { area.x, y, left_w, area.y + area.h - y };
    if (m_scanning) {
        std::string percent = std::to_string(static_cast<int>(m_scan_fraction * 100));
        c.text(m_previewing ? tr("scan.previewing", { percent })
                            : tr("scan.progress", { std::to_string(m_scan_page + 1), percent }),
            { action.x, action.y, action.w, c.px(70) }, theme::text_body, theme::text, Align::left, true);
        Rect bar { action.x, action.y + c.px(80), action.w, c.px(40) };
        c.fill_rounded(bar, c.px(8), theme::border);
        c.fill_rounded({ bar.x, bar.y, static_cast<int>(bar.w * m_scan_fraction), bar.h }, c.px(8), theme::blue_france);
        c.button("scan_cancel", { action.x, action.y + c.px(150), action.w, c.px(150) }, tr("scan.cancel"),
            ButtonStyle::secondary);
    } else if (m_scan_next) {
        draw_scan_next(action);
    } else {
        Rect start { action.x, action.y, action.w, c.px(170) };
        if (!adf) {
            // A preview reads the glass; from the feeder it would take the sheet, so it is offered for the glass only.
            int preview_w = (action.w - gap) / 4;
            c.button(
                "scan_preview", { action.x, action.y, preview_w, start.h }, tr("scan.preview"), ButtonStyle::secondary);
            start = { action.x + preview_w + gap, action.y, action.w - preview_w - gap, start.h };
        }
        if (!send_to) {
            // A photocopy is a scan that goes straight to the printer: the same sheet, the same settings.
            int copy_w = start.w * 2 / 5;
            c.action("copy_start", { start.x + start.w - copy_w, start.y, copy_w, start.h }, Icon::print,
                tr("scan.copy_start"), ButtonStyle::secondary);
            start.w -= copy_w + gap;
        }
        c.action("scan_start", start, Icon::copy, m_append_to != 0 ? tr("scan.start_another") : tr("scan.start"),
            ButtonStyle::primary);
        if (!m_scan_result.empty())
            c.text(m_scan_result, { action.x, action.y + c.px(190), action.w, c.px(70) }, theme::text_body,
                theme::green_success, Align::left, true);
    }

    // Right: the last page scanned, and the way to the documents.
    Rect preview { area.x + left_w + gap * 2, area.y, area.w - left_w - gap * 2, area.h - c.px(170) };
    c.fill_rounded(preview, c.px(12), theme::white);
    // The page just scanned while its next steps show (or while a scan runs); otherwise where the paper goes.
    TrayDocument const* last = m_scan_next || m_scanning ? find_document(m_scan_document) : nullptr;
    if (m_glass_preview) {
        c.text(tr("scan.preview_caption"),
            { preview.x + c.px(20), preview.y + c.px(10), preview.w - c.px(40), c.px(70) }, theme::text_body,
            theme::blue_france, Align::center, true);
        c.image(m_glass_preview,
            { preview.x + c.px(20), preview.y + c.px(90), preview.w - c.px(40), preview.h - c.px(110) });
    } else if (SDL_Texture* page = last && !last->pages.empty() ? thumbnail(last->pages.back().vault_name) : nullptr)
        c.image(page, { preview.x + c.px(20), preview.y + c.px(20), preview.w - c.px(40), preview.h - c.px(40) });
    else {
        // Nothing scanned yet: a picture of where the paper goes, and the words for it.
        Rect words { preview.x + c.px(30), preview.y + preview.h - c.px(200), preview.w - c.px(60), c.px(180) };
        draw_paper_picture(
            { preview.x + c.px(30), preview.y + c.px(30), preview.w - c.px(60), words.y - preview.y - c.px(40) }, adf);
        c.text(tr(adf ? "scan.place_feeder" : "scan.place_document"), words, theme::text_body, theme::text,
            Align::center, false, true);
    }
    c.button("go_tray", { preview.x, area.y + area.h - c.px(150), preview.w, c.px(150) },
        tr("home.documents", { std::to_string(m_store.documents().size()) }), ButtonStyle::secondary);
}

void App::draw_scan_next(Rect action)
{
    auto& c = *m_canvas;
    int gap = c.px(24);
    int y = action.y;
    c.text(
        m_scan_result, { action.x, y, action.w, c.px(60) }, theme::text_body, theme::green_success, Align::left, true);
    y += c.px(66);
    if (m_glass_reminder) {
        // The sheet is still under the lid: said before anything else, in words and with a sign.
        c.icon(Icon::warning, { action.x, y, c.px(60), c.px(60) }, c.px(40), theme::warning);
        c.text(tr("scan.take_back"), { action.x + c.px(70), y, action.w - c.px(70), c.px(60) }, theme::text_body,
            theme::warning, Align::left, true);
        y += c.px(72);
    }
    // One row each, the way on first: large, with their pictures, never shrunk.
    int h = std::min(c.px(140), (action.y + action.h - y - 2 * gap) / 3);
    auto const* send_to = m_catalogue.partner(m_send_partner);
    c.action("next_send", { action.x, y, action.w, h }, Icon::send,
        send_to ? tr("scan.next_send_to", { send_to->name }) : tr("scan.next_send"), ButtonStyle::primary);
    c.action("next_print", { action.x, y + h + gap, action.w, h }, Icon::print, tr("scan.next_print"),
        ButtonStyle::secondary);
    c.action("next_more", { action.x, y + 2 * (h + gap), action.w, h }, Icon::more, tr("scan.next_more"),
        ButtonStyle::secondary);
}

void App::draw_paper_picture(Rect box, bool feeder)
{
    // A scanner seen from above, drawn with the theme's colours: the glass with the sheet in its corner, or the
    // feeder's tray with sheets going in. Pictures say "where" to people who do not read the words.
    auto& c = *m_canvas;
    int side = std::min(box.w, box.h * 4 / 3);
    Rect body { box.x + (box.w - side) / 2, box.y + (box.h - side * 3 / 4) / 2, side, side * 3 / 4 };
    c.fill_rounded(body, c.px(16), theme::text_muted);
    auto sheet = [&](Rect r) {
        c.fill(r, theme::blue_france);
        c.fill({ r.x + c.px(3), r.y + c.px(3), r.w - c.px(6), r.h - c.px(6) }, theme::white);
        for (int line = 1; line <= 4; ++line)
            c.fill({ r.x + r.w / 6, r.y + line * r.h / 6, r.w * 2 / 3, std::max(1, c.px(4)) }, theme::border);
    };
    if (!feeder) {
        Rect glass { body.x + body.w / 12, body.y + body.h / 8, body.w * 10 / 12, body.h * 3 / 4 };
        c.fill(glass, theme::blue_light);
        Rect paper { glass.x, glass.y, glass.w * 9 / 20, glass.h * 9 / 10 };
        sheet(paper);
        // The corner the sheet goes against, marked as the scanner marks it.
        c.fill({ glass.x - c.px(6), glass.y - c.px(6), c.px(40), c.px(12) }, theme::red_marianne);
        c.fill({ glass.x - c.px(6), glass.y - c.px(6), c.px(12), c.px(40) }, theme::red_marianne);
        c.icon(Icon::arrow_down, { paper.x, paper.y, paper.w, paper.h / 2 }, c.px(80), theme::red_marianne);
        return;
    }
    Rect tray { body.x + body.w / 5, body.y + body.h / 8, body.w * 3 / 5, body.h / 2 };
    c.fill(tray, theme::border);
    for (int i = 2; i >= 0; --i)
        sheet({ tray.x + c.px(12) * i + c.px(10), tray.y + c.px(10) + c.px(12) * i, tray.w * 2 / 3, tray.h * 5 / 6 });
    c.icon(Icon::arrow_down, { tray.x, tray.y + tray.h, tray.w, body.y + body.h - tray.y - tray.h }, c.px(70),
        theme::white);
}

void App::draw_tray()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("tray.title"));
    Rect area = content_area();
    int gap = c.px(24);
    auto const& tray = m_store.documents();
    if (tray.empty()) {
        c.text(tr("tray.empty"), { area.x, area.y, area.w, c.px(200) }, theme::text_title, theme::text_muted,
            Align::center);
        c.button("go_scan", { area.x + area.w / 2 - c.px(400), area.y + c.px(260), c.px(800), c.px(160) },
            tr("scan.go"), ButtonStyle::primary);
        return;
    }
    auto layout = tray_layout(c, area);
    int count = static_cast<int>(tray.size());
    int per_page = layout.per_page();
    int first = first_shown(m_tray_first, per_page, count);
    for (int i = first; i < std::min(count, first + per_page); ++i) {
        auto const& document = tray[static_cast<size_t>(i)];
        int col = (i - first) % layout.columns;
        int row = (i - first) / layout.columns;
        Rect tile { layout.list.x + col * (layout.tile_w + gap), layout.list.y + row * (layout.tile_h + gap),
            layout.tile_w, layout.tile_h };
        bool selected = document.number == m_selected;
        c.button(
            "doc_" + std::to_string(document.number), tile, "", selected ? ButtonStyle::selected : ButtonStyle::tile);
        Rect thumb { tile.x + c.px(20), tile.y + c.px(20), tile.w - c.px(40), tile.h - c.px(140) };
        if (SDL_Texture* picture = thumbnail(document))
            c.image(picture, thumb);
        else
            c.text(document.pdf_readable ? "PDF" : tr("tray.unreadable"), thumb, theme::text_body, theme::text_muted,
                Align::center, true, true);
        c.text(document.name, { tile.x + c.px(16), tile.y + tile.h - c.px(115), tile.w - c.px(32), c.px(50) },
            theme::text_small, theme::text, Align::center, true);
        c.text(tr_count("tray.pages", document.page_count()),
            { tile.x + c.px(16), tile.y + tile.h - c.px(65), tile.w - c.px(32), c.px(50) }, theme::text_small,
            theme::text_muted, Align::center);
    }
    // More documents than one screenful: turn screenfuls with two big buttons, as pages of a binder.
    if (count > per_page)
        draw_pager("tray", layout.paging, first, per_page, count);

    // The actions share the column's height evenly; Delete stays last, furthest from Print.
    auto const* selected = selected_document();
    bool has_selection = selected != nullptr;
    bool is_scan = selected && selected->pdf_vault_name.empty();
    struct Action {
        char const* id;
        Icon icon;
        std::string label;
        ButtonStyle style;
        bool enabled;
    };
    Action const actions[] = {
        { "print_doc", Icon::print, tr("tray.print"), ButtonStyle::primary, has_selection },
        // Downloads and forms are PDFs made elsewhere: their pages are not the kiosk's to reorder.
        { "pages_doc", Icon::pages, tr("tray.pages_edit"), ButtonStyle::secondary,
            is_scan && !selected->pages.empty() },
        { "rename_doc", Icon::rename, tr("tray.rename"), ButtonStyle::secondary, has_selection },
        { "prepare_doc", Icon::send, tr("tray.prepare"), ButtonStyle::secondary, is_scan },
        { "go_scan", Icon::copy, tr("tray.scan_more"), ButtonStyle::secondary, true },
        { "delete_doc", Icon::erase, tr("tray.delete"), ButtonStyle::danger, has_selection },
    };
    int n = static_cast<int>(std::size(actions));
    int action_gap = c.px(20);
    int button_h = std::min(c.px(160), (layout.actions.h - action_gap * (n - 1)) / n);
    for (int i = 0; i < n; ++i) {
        int y = i == n - 1 ? layout.actions.y + layout.actions.h - button_h
                           : layout.actions.y + i * (button_h + action_gap);
        c.action(actions[i].id, { layout.actions.x, y, layout.actions.w, button_h }, actions[i].icon, actions[i].label,
            actions[i].style, actions[i].enabled);
    }
}

void App::draw_pages()
{
    auto& c = *m_canvas;
    auto const* document = selected_document();
    draw_top_bar(document ? tr("pages.title", { document->name }) : tr("tray.title"));
    if (!document)
        return;
    Rect area = content_area();
    int gap = c.px(24);
    auto layout = pages_layout(c, area);
    int count = static_cast<int>(document->pages.size());
    int per_page = layout.columns;
    int first = first_shown(m_pages_first, per_page, count);
    int pad = c.px(20);
    int button_h = c.px(110);
    int arrow_w = c.px(110);
    for (int i = first; i < std::min(count, first + per_page); ++i) {
        auto const& page = document->pages[static_cast<size_t>(i)];
        std::string n = std::to_string(i + 1);
        Rect card { layout.cards.x + (i - first) * (layout.card_w + gap), layout.cards.y, layout.card_w,
            layout.cards.h };
        bool moved = page.vault_name == m_moved_page;
        int line = c.px(moved ? 6 : 3);
        c.fill_rounded(card, c.px(12), moved ? theme::blue_france : theme::border);
        c.fill_rounded({ card.x + line, card.y + line, card.w - 2 * line, card.h - 2 * line }, c.px(12) - line,
            moved ? theme::blue_light : theme::white);
        c.image(
            thumbnail(page.vault_name), { card.x + pad, card.y + pad, card.w - 2 * pad, card.h - button_h - 3 * pad });
        // The page's place, large: the one thing to read on this screen.
        Rect badge { card.x + c.px(14), card.y + c.px(14), c.px(96), c.px(96) };
        c.fill_rounded(badge, badge.w / 2, theme::blue_france);
        c.text(n, badge, theme::text_title, theme::white, Align::center, true);
        int y = card.y + card.h - button_h - pad;
        c.button("page_earlier_" + n, { card.x + pad, y, arrow_w, button_h }, "←", ButtonStyle::secondary, i > 0);
        c.button("page_delete_" + n,
            { card.x + pad + arrow_w + c.px(12), y, card.w - 2 * pad - 2 * arrow_w - c.px(24), button_h },
            tr("pages.delete"), ButtonStyle::danger);
        c.button("page_later_" + n, { card.x + card.w - pad - arrow_w, y, arrow_w, button_h }, "→",
            ButtonStyle::secondary, i + 1 < count);
    }

    // Back to the documents at the left, away from the red end of the session right under the row's other end.
    Rect row = layout.bottom;
    int done_w = c.px(520);
    c.action("pages_done", { row.x, row.y, done_w, row.h }, Icon::documents, tr("pages.done"), ButtonStyle::primary);
    Rect left { row.x + done_w + gap, row.y, row.w - done_w - gap, row.h };
    if (count > per_page)
        draw_pager("pages", left, first, per_page, count);
    else
        c.text(tr("pages.hint"), left, theme::text_body, theme::text_muted, Align::left, false, true);
}

void App::draw_print()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("print.title"));
    Rect area = content_area();
    auto* document = selected_document();
    if (!document)
        return;
    int gap = c.px(24);
    int row_h = c.px(120);
    int left_w = area.w * 3 / 5;
    int y = area.y;
    c.text(document->name + " — " + tr_count("tray.pages", document->page_count()), { area.x, y, left_w, c.px(70) },
        theme::text_title, theme::text, Align::left, true);
    y += c.px(100);
    if (m_glass_reminder && document->number == m_scan_document) {
        // A photocopy from the glass: the original is still under the lid, where people most often forget it.
        c.icon(Icon::warning, { area.x, y - c.px(20), c.px(60), c.px(60) }, c.px(40), theme::warning);
        c.text(tr("scan.take_back"), { area.x + c.px(70), y - c.px(20), left_w - c.px(70), c.px(60) }, theme::text_body,
            theme::warning, Align::left, true);
        y += c.px(50);
    }

    c.text(tr("print.copies"), { area.x, y, c.px(360), row_h }, theme::text_body, theme::text, Align::left, true);
    c.button("copies_minus", { area.x + c.px(380), y, c.px(130), row_h }, "−", ButtonStyle::secondary, m_copies > 1);
    c.text(std::to_string(m_copies), { area.x + c.px(520), y, c.px(120), row_h }, theme::text_title, theme::text,
        Align::center, true);
    c.button("copies_plus", { area.x + c.px(650), y, c.px(130), row_h }, "+", ButtonStyle::secondary, m_copies < 9);
    y += row_h + gap;

    auto const& status = m_printer_status;
    int option_w = (left_w - gap) / 2;
    bool color = status && status->color;
    c.button("print_color", { area.x, y, option_w, row_h }, tr("print.color"),
        m_print_gray ? ButtonStyle::secondary : ButtonStyle::selected, color);
    c.button("print_gray", { area.x + option_w + gap, y, option_w, row_h }, tr("print.gray"),
        m_print_gray || !color ? ButtonStyle::selected : ButtonStyle::secondary);
    y += row_h + gap;
    if (status && status->duplex && document->page_count() > 1) {
        c.button("duplex_off", { area.x, y, option_w, row_h }, tr("print.one_side"),
            m_print_duplex ? ButtonStyle::secondary : ButtonStyle::selected);
        c.button("duplex_on", { area.x + option_w + gap, y, option_w, row_h }, tr("print.two_sides"),
            m_print_duplex ? ButtonStyle::selected : ButtonStyle::secondary);
        y += row_h + gap;
    }
    int pages = document->page_count() * m_copies;
    c.text(tr("print.summary", { std::to_string(pages), std::to_string(m_store.pages_left()) }),
        { area.x, y, left_w, c.px(70) }, theme::text_body,
        pages > m_store.pages_left() ? theme::red_marianne : theme::text);
    y += c.px(90);
    // A printer that cannot print now says why on the button itself, before anyone taps it (a job sent to it
    // would only wait).
    std::string blocked = m_active_job ? std::string() : print_blocked_key();
    c.action("print_start", { area.x, y, left_w, c.px(170) }, Icon::print, tr("print.start"), ButtonStyle::primary,
        pages <= m_store.pages_left() && !m_active_job && blocked.empty(),
        blocked.empty() ? std::string() : tr(blocked));

    Rect side { area.x + left_w + gap * 2, area.y, area.w - left_w - gap * 2, area.h };
    c.fill_rounded(side, c.px(12), theme::white);
    // The preview of every page, one at a time: what will come out of the printer.
    int pages_total = document->page_count();
    int page = std::clamp(m_preview_page, 0, std::max(0, pages_total - 1));
    c.image(preview_texture(*document, page),
        { side.x + c.px(20), side.y + c.px(20), side.w - c.px(40), side.h - c.px(330) });
    if (pages_total > 1) {
        int nav_y = side.y + side.h - c.px(300);
        int nav_w = c.px(120);
        c.button("preview_prev", { side.x + c.px(20), nav_y, nav_w, c.px(100) }, "‹", ButtonStyle::secondary, page > 0);
        c.text(tr("print.page_of", { std::to_string(page + 1), std::to_string(pages_total) }),
            { side.x + c.px(30) + nav_w, nav_y, side.w - 2 * nav_w - c.px(60), c.px(100) }, theme::text_body,
            theme::text, Align::center);
        c.button("preview_next", { side.x + side.w - c.px(20) - nav_w, nav_y, nav_w, c.px(100) }, "›",
            ButtonStyle::secondary, page + 1 < pages_total);
    }
    if (status && !status->conditions.empty()) {
        c.text(tr("printer.condition." + std::string(drivers::to_string(status->conditions.front()))),
            { side.x + c.px(20), side.y + side.h - c.px(170), side.w - c.px(40), c.px(150) }, theme::text_body,
            theme::warning, Align::left, true, true);
    } else if (!m_print_result.empty()) {
        c.text(m_print_result, { side.x + c.px(20), side.y + side.h - c.px(170), side.w - c.px(40), c.px(150) },
            theme::text_body, theme::green_success, Align::left, true, true);
    }
}

void App::draw_prepare()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("prepare.title"));
    Rect area = content_area();
    auto* document = selected_document();
    if (!document)
        return;
    int gap = c.px(24);
    int left_w = area.w * 3 / 5;
    int row_h = c.px(120);
    int y = area.y;
    c.text(tr("prepare.format"), { area.x, y, left_w, c.px(60) }, theme::text_body, theme::text, Align::left, true);
    y += c.px(70);
    int half = (left_w - gap) / 2;
    bool idle = !m_preparing;
    c.button("prep_pdf", { area.x, y, half, row_h }, "PDF",
        m_prepare_jpeg ? ButtonStyle::secondary : ButtonStyle::selected, idle);
    c.button("prep_jpeg", { area.x + half + gap, y, half, row_h }, tr("prepare.jpeg"),
        m_prepare_jpeg ? ButtonStyle::selected : ButtonStyle::secondary, idle);
    y += row_h + gap;
    c.text(tr("prepare.limit"), { area.x, y, left_w, c.px(60) }, theme::text_body, theme::text, Align::left, true);
    y += c.px(70);
    int quarter = (left_w - 3 * gap) / 4;
    int limits[] = { 1, 2, 5, 10 };
    for (int i = 0; i < 4; ++i)
        c.button("limit_" + std::to_string(limits[i]), { area.x + i * (quarter + gap), y, quarter, row_h },
            tr("prepare.mb", { std::to_string(limits[i]) }),
            m_prepare_limit_mb == limits[i] ? ButtonStyle::selected : ButtonStyle::secondary, idle);
    y += row_h + gap * 2;
    c.button("prepare_start", { area.x, y, left_w, c.px(160) },
        m_preparing ? tr("prepare.working") : tr("prepare.start"), ButtonStyle::primary, idle);
    y += c.px(180);
    if (!m_prepare_result.empty())
        c.text(m_prepare_result, { area.x, y, left_w, area.y + area.h - y }, theme::text_body, theme::green_success,
            Align::left, true, true);
    Rect side { area.x + left_w + gap * 2, area.y, area.w - left_w - gap * 2, area.h };
    c.fill_rounded(side, c.px(12), theme::white);
    if (SDL_Texture* picture = thumbnail(*document))
        c.image(picture, { side.x + c.px(20), side.y + c.px(20), side.w - c.px(40), side.h - c.px(120) });
    c.text(document->name + " — " + tr_count("tray.pages", document->page_count()),
        { side.x + c.px(20), side.y + side.h - c.px(90), side.w - c.px(40), c.px(70) }, theme::text_body, theme::text,
        Align::center, true);
}

int App::forms_page_size() const
{
    // Two columns of tiles under the hint, above the row that turns screenfuls.
    if (!m_canvas)
        return 6;
    auto& c = *m_canvas;
    int rows = std::max(1, (content_area().h - c.px(70) - c.px(120) - c.px(24)) / (c.px(170) + c.px(16)));
    return 2 * rows;
}

void App::draw_forms()
{
    auto& c = *m_canvas;
    auto const* partner = m_catalogue.partner(m_forms_partner);
    auto const* event = m_catalogue.event(m_forms_event);
    draw_top_bar(partner ? tr("forms.title_for", { partner->name })
            : event      ? tr("forms.title_for", { core::localized(event->title, m_language) })
                         : tr("forms.title"));
    Rect area = content_area();
    c.text(tr("forms.hint"), { area.x, area.y, area.w, c.px(60) }, theme::text_body, theme::text, Align::left, false,
        true);
    auto listed = listed_forms();
    int count = static_cast<int>(listed.size());
    int per_page = forms_page_size();
    int first = first_shown(m_forms_first, per_page, count);
    int gap = c.px(24);
    int w = (area.w - gap) / 2;
    int h = c.px(170);
    for (int i = first; i < std::min(count, first + per_page); ++i) {
        size_t index = listed[static_cast<size_t>(i)];
        auto const& form = m_forms[index];
        int col = (i - first) % 2;
        int row = (i - first) / 2;
        Rect tile { area.x + col * (w + gap), area.y + c.px(70) + row * (h + c.px(16)), w, h };
        bool available = index < m_form_available.size() ? m_form_available[index] : true;
        // The number is what an agent or the organisation asks for; a form that is not on this kiosk says so, and
        // where to get it, before the tap.
        std::string detail = available ? form.number : tr("forms.not_here");
        c.action("form_" + form.slug, tile, Icon::form, core::localized(form.title, m_language), ButtonStyle::tile,
            available, detail);
    }
    if (count > per_page)
        draw_pager("forms", { area.x, area.y + area.h - c.px(120), area.w, c.px(120) }, first, per_page, count);
}

void App::draw_rename()
{
    auto& c = *m_canvas;
    draw_top_bar(tr(m_entering_mrz ? "id_capture.type_title" : "rename.title"));
    Rect area = content_area();
    int gap = c.px(14);
    // The field: what is typed, with a caret, large enough to check every letter.
    Rect field { area.x, area.y, area.w - c.px(440), c.px(120) };
    c.fill_rounded(field, c.px(10), theme::blue_france);
    c.fill_rounded(
        { field.x + c.px(4), field.y + c.px(4), field.w - c.px(8), field.h - c.px(8) }, c.px(8), theme::white);
    std::string shown = m_rename_text;
    for (size_t at = shown.find('\n'); at != std::string::npos; at = shown.find('\n', at))
        shown.replace(at, 1, " ⏎ ");
    // An MRZ is longer than the field: the end, where the agent is typing, is what must show.
    if (m_entering_mrz && shown.size() > 56) {
        size_t from = shown.size() - 56;
        while (from < shown.size() && (static_cast<unsigned char>(shown[from]) & 0xC0) == 0x80)
            ++from; // never start inside a multi-byte character
        shown = "…" + shown.substr(from);
    }
    c.text(shown + "|", { field.x + c.px(30), field.y, field.w - c.px(60), field.h }, theme::text_title, theme::text,
        Align::left);
    c.button("rename_ok", { area.x + area.w - c.px(420), area.y, c.px(420), c.px(120) }, tr("rename.ok"),
        ButtonStyle::primary, !m_rename_text.empty() && m_rename_text.find_first_not_of(' ') != std::string::npos);

    auto const& rows = keyboard_rows();
    int top = area.y + c.px(150);
    int row_h = (area.y + area.h - top - gap * static_cast<int>(rows.size() - 1)) / static_cast<int>(rows.size());
    int key_w = (area.w - gap * 10) / 11;
    for (size_t r = 0; r < rows.size(); ++r) {
        int y = top + static_cast<int>(r) * (row_h + gap);
        int x = area.x;
        for (auto const& id : rows[r]) {
            std::string label;
            int w = key_w;
            ButtonStyle style = ButtonStyle::secondary;
            if (id == "kb_backspace") {
                label = "⌫";
            } else if (id == "kb_shift") {
                label = "⇧";
                style = m_shift ? ButtonStyle::selected : ButtonStyle::secondary;
            } else if (id == "kb_clear") {
                label = tr("rename.clear");
                w = key_w * 3 + gap * 2;
            } else if (id == "kb_space") {
                label = tr("rename.space");
                w = area.w - (key_w * 3 + gap * 2) - gap;
            } else {
                label = keyboard_text(id, m_shift || m_entering_mrz).value_or("");
            }
            // Typing an MRZ needs the filler and line breaks more than the dash and the apostrophe.
            std::string key_id = id;
            if (m_entering_mrz && id == "kb_dash") {
                key_id = "kb_filler";
                label = "<";
            } else if (m_entering_mrz && id == "kb_apostrophe") {
                key_id = "kb_newline";
                label = "⏎";
            }
            c.button(key_id, { x, y, w, row_h }, label, style);
            x += w + gap;
        }
    }
}

void App::draw_agent_unlock()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("agent.title"));
    Rect area = content_area();
    if (needs_badge()) {
        // No PIN pad before the badge: a PIN alone opens nothing here, so nobody can start guessing one.
        Rect card { area.x + area.w / 2 - c.px(170), area.y + c.px(60), c.px(340), c.px(215) };
        c.fill_rounded(card, c.px(18), theme::blue_france);
        c.fill_rounded({ card.x + c.px(30), card.y + c.px(40), c.px(70), c.px(55) }, c.px(8), theme::white);
        c.text(tr("agent.show_badge"), { area.x, area.y + c.px(340), area.w, c.px(200) }, theme::text_title,
            theme::text, Align::center, true, true);
        return;
    }
    auto const* holder = m_badge_holder.empty() ? nullptr : m_agents.find(m_badge_holder);
    int left_w = area.w / 2 - c.px(40);
    c.text(holder ? tr("agent.hello", { holder->display_name }) : tr("agent.enter_pin"),
        { area.x, area.y, left_w, c.px(100) }, theme::text_title, theme::blue_france, Align::left, true, true);
    // The PIN shows as dots only: people queue behind the agent.
    std::string dots;
    for (size_t i = 0; i < m_pin.size(); ++i)
        dots += "● ";
    Rect field { area.x, area.y + c.px(140), left_w, c.px(120) };
    c.fill_rounded(field, c.px(10), theme::white);
    c.text(dots, { field.x + c.px(30), field.y, field.w - c.px(60), field.h }, theme::text_title, theme::text,
        Align::left);
    bool locked = unlock_locked_out();
    if (m_checking_pin) {
        c.text(tr("agent.checking"), { area.x, area.y + c.px(300), left_w, c.px(160) }, theme::text_body, theme::text,
            Align::left, true, true);
    } else if (locked) {
        auto seconds
            = (std::chrono::duration_cast<std::chrono::milliseconds>(m_store.lockout().remaining()).count() + 999)
            / 1000;
        c.text(tr("agent.locked", { std::to_string(seconds) }), { area.x, area.y + c.px(300), left_w, c.px(160) },
            theme::text_body, theme::red_marianne, Align::left, true, true);
    } else if (!m_unlock_message.empty()) {
        c.text(m_unlock_message, { area.x, area.y + c.px(300), left_w, c.px(160) }, theme::text_body,
            theme::red_marianne, Align::left, true, true);
    }
    int gap = c.px(18);
    Rect pad { area.x + area.w / 2, area.y, area.w / 2, area.h };
    int key_w = (pad.w - 2 * gap) / 3;
    int key_h = (pad.h - 3 * gap) / 4;
    char const* keys[4][3] = { { "1", "2", "3" }, { "4", "5", "6" }, { "7", "8", "9" }, { "clear", "0", "ok" } };
    for (int row = 0; row < 4; ++row) {
        for (int col = 0; col < 3; ++col) {
            std::string key = keys[row][col];
            Rect rect { pad.x + col * (key_w + gap), pad.y + row * (key_h + gap), key_w, key_h };
            if (key == "ok")
                c.button("pin_ok", rect, tr("agent.ok"), ButtonStyle::primary,
                    !locked && !m_checking_pin && m_pin.size() >= core::min_pin_digits);
            else if (key == "clear")
                c.button("pin_clear", rect, "⌫", ButtonStyle::secondary, !locked);
            else
                c.button("pin_" + key, rect, key, ButtonStyle::secondary, !locked && !m_checking_pin);
        }
    }
}

void App::draw_assisted()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("assisted.title"));
    Rect area = content_area();
    c.text(tr("assisted.by", { m_unlocked_by }), { area.x, area.y, area.w, c.px(90) }, theme::text_title,
        theme::blue_france, Align::left, true);
    c.text(tr("assisted.what",
               { std::to_string(m_session.session_seconds_left() / 60), std::to_string(m_store.pages_left()) }),
        { area.x, area.y + c.px(100), area.w, c.px(120) }, theme::text_body, theme::text, Align::left, false, true);
    int gap = c.px(24);
    int w = (area.w - 2 * gap) / 3;
    int y = area.y + c.px(260);
    c.button("extend_15", { area.x, y, w, c.px(170) }, tr("assisted.extend"), ButtonStyle::secondary);
    c.button("quota_up", { area.x + w + gap, y, w, c.px(170) }, tr("assisted.quota"), ButtonStyle::secondary);
    c.button("go_tray", { area.x + 2 * (w + gap), y, w, c.px(170) },
        tr("home.documents", { std::to_string(m_store.documents().size()) }), ButtonStyle::secondary);
    c.button("id_capture", { area.x, y + c.px(194), w * 2 + gap, c.px(170) }, tr("assisted.id_capture"),
        ButtonStyle::secondary);
    c.button(
        "lock", { area.x, area.y + area.h - c.px(170), area.w, c.px(170) }, tr("assisted.lock"), ButtonStyle::primary);
}

void App::draw_id_capture()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("id_capture.title"));
    Rect area = content_area();
    int left_w = area.w / 2 - c.px(20);
    int y = area.y;
    Rect type_button { area.x, area.y + area.h - c.px(140), left_w, c.px(140) };
    // Lines stop above the button rather than run under it; the most important come first.
    auto line = [&](std::string const& text, Color color, bool bold = false, int size = theme::text_body) {
        if (y >= type_button.y - c.px(40))
            return;
        y += c.text(text, { area.x, y, left_w, 0 }, size, color, Align::left, bold, true) + c.px(14);
    };
    c.button("type_mrz", type_button, tr("id_capture.type"), ButtonStyle::secondary);
    if (!m_id_document) {
        line(tr("id_capture.swipe"), theme::text, true, theme::text_title);
    } else {
        auto const& d = *m_id_document;
        line(d.valid ? tr("id_capture.valid") : tr("id_capture.invalid"),
            d.valid ? theme::green_success : theme::red_marianne, true, theme::text_title);
        // The name as the MRZ writes it, never completed: a holder without a surname is shown so, in the resident's
        // language and the agent's (the kiosk's configured one) when they differ.
        std::string name = d.surname;
        if (d.surname.empty() && !d.given_names.empty()) {
            name = tr("id_capture.no_surname");
            if (m_language != m_config.language)
                name += " / " + m_translations.text(m_config.language, "id_capture.no_surname");
        }
        if (!d.given_names.empty())
            name += (name.empty() ? "" : " ") + d.given_names;
        line(name, theme::text, true);
        // Beside the name when nothing is wrong; after what the agent must check first when something is.
        if (d.errors.empty())
            line(tr("id_capture.no_accents"), theme::text_muted, false, theme::text_small);
        line(tr("id_capture.kind." + std::string(drivers::mrz::to_string(d.kind))) + " · "
                + tr("id_capture.number", { d.document_number }),
            theme::text);
        // In the agent's words: the field and what is wrong with it. The kiosk never picks a reading of a number
        // whose check digit fails; it lists the look-alike readings for the agent to compare with the card.
        auto field = [&](std::string name) {
            if (name.ends_with("_check"))
                name.resize(name.size() - 6);
            return m_translations.has(m_language, "id_capture.field." + name) ? tr("id_capture.field." + name) : name;
        };
        // The overall check fails with any field it covers: said only when it is the only one that fails.
        bool only_composite
            = std::ranges::all_of(d.errors, [](auto const& error) { return error.field.starts_with("composite"); });
        int shown = 0;
        for (auto const& error : d.errors) {
            if (shown == 3 || (error.field.starts_with("composite") && !only_composite))
                continue;
            bool check_digit = error.message.starts_with("check digit");
            bool empty = error.message.starts_with("empty");
            line("• "
                    + tr(check_digit ? "id_capture.check_failed"
                            : empty  ? "id_capture.empty"
                                     : "id_capture.malformed",
                        { field(error.field) }),
                theme::red_marianne);
            ++shown;
        }
        for (size_t first = 0; first < d.suggestions.size();) {
            auto const& field_name = d.suggestions[first].field;
            std::string readings;
            size_t next = first;
            for (; next < d.suggestions.size() && d.suggestions[next].field == field_name; ++next)
                readings += (readings.empty() ? "" : "   ") + d.suggestions[next].reading;
            line(tr("id_capture.suggestions", { field(field_name) }), theme::text, true);
            line(readings, theme::text, true, theme::text_title);
            first = next;
        }
        if (!d.valid && d.suggestions.empty() && std::ranges::any_of(d.errors, [](auto const& error) {
                return error.message.starts_with("check digit");
            }))
            line(tr("id_capture.no_reading"), theme::text);
        if (!d.errors.empty())
            line(tr("id_capture.no_accents"), theme::text_muted, false, theme::text_small);
        auto format_date = [](std::chrono::year_month_day date) {
            char text[16];
            std::snprintf(
                text, sizeof text, "%02u/%02u/%04d", unsigned(date.day()), unsigned(date.month()), int(date.year()));
            return std::string(text);
        };
        auto now = today();
        if (d.expiry_date) {
            bool expired = *d.expiry_date < now;
            line(tr(expired ? "id_capture.expired" : "id_capture.expires", { format_date(*d.expiry_date) }),
                expired ? theme::red_marianne : theme::text, expired);
        } else if (d.derived_expiry) {
            auto month = d.derived_expiry->month;
            char text[16];
            std::snprintf(text, sizeof text, "%02u/%04d", unsigned(month.month()), int(month.year()));
            bool expired = month < std::chrono::year_month(now.year(), now.month());
            line(tr(expired ? "id_capture.expired_month" : "id_capture.expires_month", { text }),
                expired ? theme::red_marianne : theme::text, expired);
            if (d.derived_expiry->uncertain)
                line(tr("id_capture.uncertain"), theme::text_muted);
        }
        // A refugee's or a stateless person's status in words.
        if (d.nationality) {
            auto nationality = *d.nationality;
            if (d.nationality_status)
                nationality += " — "
                    + tr(
                        "id_capture.nationality_status." + std::string(drivers::mrz::to_string(*d.nationality_status)));
            line(tr("id_capture.nationality", { nationality }), theme::text);
        }
        if (d.long_number_check)
            line(tr(*d.long_number_check == drivers::mrz::LongNumberCheck::icao ? "id_capture.long_number_icao"
                                                                                : "id_capture.long_number_filler"),
                theme::text_muted);
        for (auto const& correction : d.corrections)
            line(tr("id_capture.corrected", { field(correction.field), correction.from, correction.to }),
                theme::text_muted);
    }
    // Right: the copy to mark, and the purposes to mark it with.
    Rect side { area.x + area.w / 2 + c.px(20), area.y, area.w / 2 - c.px(20), area.h };
    auto* document = selected_document();
    if (!document) {
        c.text(tr("id_capture.scan_first"), { side.x, side.y, side.w, c.px(120) }, theme::text_body, theme::text,
            Align::left, false, true);
        c.button("go_scan", { side.x, side.y + c.px(140), side.w, c.px(150) }, tr("scan.go"), ButtonStyle::primary);
        return;
    }
    c.text(tr("id_capture.watermark_for", { document->name }), { side.x, side.y, side.w, c.px(70) }, theme::text_body,
        theme::text, Align::left, true);
    int gap = c.px(14);
    int columns = 3;
    int w = (side.w - gap * (columns - 1)) / columns;
    int h = c.px(100);
    std::vector<core::Partner const*> organisations;
    for (auto const& partner : m_catalogue.partners)
        if (partner.on_home)
            organisations.push_back(&partner);
    for (size_t i = 0; i < organisations.size(); ++i) {
        auto const& partner = *organisations[i];
        int col = static_cast<int>(i) % columns;
        int row = static_cast<int>(i) / columns;
        c.button("purpose_" + partner.slug, { side.x + col * (w + gap), side.y + c.px(80) + row * (h + gap), w, h },
            partner.name, ButtonStyle::secondary);
    }
    if (!m_watermark_result.empty())
        c.text(m_watermark_result, { side.x, side.y + side.h - c.px(120), side.w, c.px(120) }, theme::text_body,
            theme::green_success, Align::left, true, true);
}

void App::draw_diagnostics()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("diagnostics.title"));
    Rect area = content_area();
    if (m_screen == Screen::diagnostics && !m_session.in_session())
        c.fill({ 0, c.height() - c.px(theme::session_bar), c.width(), c.px(theme::session_bar) }, theme::background);
    struct Line {
        std::string device;
        std::string driver;
        std::string state;
        bool ok;
    };
    std::vector<Line> lines;
    auto const& scanner = m_scanner_capabilities;
    lines.push_back({ tr("diagnostics.scanner"), m_devices.scanner ? m_devices.scanner->name() : "-",
        scanner ? scanner->model : std::string(to_string(scanner.error().code)), scanner.has_value() });
    auto const& printer = m_printer_status;
    std::string printer_state = printer ? tr(printer->stopped ? "diagnostics.state_stopped" : "diagnostics.state_ready")
                                        : std::string(to_string(printer.error().code));
    if (printer)
        for (auto condition : printer->conditions)
            printer_state += std::string(", ") + std::string(drivers::to_string(condition));
    lines.push_back({ tr("diagnostics.printer"), m_devices.printer ? m_devices.printer->name() : "-", printer_state,
        printer && !printer->stopped });
    // Toner and the like, as the printer reports them: a technician brings the right cartridge on the next visit.
    std::string supplies;
    bool supplies_ok = true;
    if (printer) {
        for (auto const& supply : printer->supplies) {
            supplies += (supplies.empty() ? "" : " · ") + supply.name + " "
                + (supply.level >= 0 ? std::to_string(supply.level) + " %" : "?");
            if (supply.level >= 0 && (supply.consumed ? supply.level <= 10 : supply.level >= 90))
                supplies_ok = false;
        }
    }
    lines.push_back(
        { tr("diagnostics.supplies"), "", supplies.empty() ? tr("diagnostics.no_supplies") : supplies, supplies_ok });
    lines.push_back({ tr("diagnostics.idreader"), m_devices.idreader ? m_devices.idreader->name() : "-",
        tr("diagnostics.state_started"), m_devices.idreader != nullptr });
    lines.push_back({ tr("diagnostics.browser"), m_devices.browser ? m_devices.browser->name() : "-",
        tr(m_devices.browser && m_devices.browser->is_open() ? "diagnostics.state_open" : "diagnostics.state_closed"),
        m_devices.browser != nullptr });
    lines.push_back({ tr("diagnostics.audit"), "",
        m_audit.write_failures() == 0 ? tr("diagnostics.state_ok")
                                      : tr("diagnostics.write_failures", { std::to_string(m_audit.write_failures()) }),
        m_audit.write_failures() == 0 });
    // The machine itself: what the start-up checks found, and swap, where a resident's decrypted pages could land.
    std::string system;
    for (auto const& problem : m_ground_problems)
        system += (system.empty() ? "" : " · ") + tr("out_of_order.reason." + problem.reason);
    if (!m_swap.empty())
        system += (system.empty() ? "" : " · ") + tr("diagnostics.swap_on", { m_swap.front() });
    if (m_config.dev_mode)
        system += (system.empty() ? "" : " · ") + tr("diagnostics.dev_mode");
    lines.push_back({ tr("diagnostics.system"), "", system.empty() ? tr("diagnostics.state_ok") : system,
        m_ground_problems.empty() && m_swap.empty() });
    int y = area.y;
    int row_h = c.px(80);
    for (auto const& line : lines) {
        c.fill_rounded({ area.x, y, area.w, row_h - c.px(10) }, c.px(8), theme::white);
        c.text(line.device, { area.x + c.px(30), y, c.px(500), row_h - c.px(10) }, theme::text_body, theme::text,
            Align::left, true);
        c.text(
            line.driver, { area.x + c.px(560), y, c.px(300), row_h - c.px(10) }, theme::text_body, theme::text_muted);
        c.text(line.state, { area.x + c.px(880), y, area.w - c.px(910), row_h - c.px(10) }, theme::text_body,
            line.ok ? theme::green_success : theme::red_marianne, Align::left, true);
        y += row_h;
    }
    if (m_session.state() == core::SessionState::out_of_order) {
        c.text(tr("diagnostics.still_out_of_order", { tr("out_of_order.reason." + m_session.out_of_order_reason()) }),
            { area.x, y, area.w, area.y + area.h - c.px(170) - y }, theme::text_body, theme::red_marianne, Align::left,
            true, true);
        c.button("back_in_service", { area.x, area.y + area.h - c.px(160), area.w, c.px(160) },
            tr("diagnostics.back_in_service"), ButtonStyle::primary);
    }
}

void App::draw_ending()
{
    auto& c = *m_canvas;
    c.fill({ 0, 0, c.width(), c.height() }, theme::white);
    auto reason = m_session.end_reason().value_or(core::EndReason::resident);
    c.text(tr("ending.title." + std::string(core::to_string(reason))),
        { c.px(100), c.px(120), c.width() - c.px(200), c.px(120) }, theme::text_title, theme::blue_france,
        Align::center, true, true);
    c.text(tr("ending.erase", { std::to_string(m_session.ending_seconds_left()) }),
        { c.px(100), c.px(300), c.width() - c.px(200), c.px(200) }, theme::text_title, theme::text, Align::center,
        false, true);
    c.text(tr("ending.take_papers"), { c.px(100), c.px(520), c.width() - c.px(200), c.px(100) }, theme::text_body,
        theme::text_muted, Align::center, false, true);
    int button_w = c.px(720);
    int y = c.px(720);
    if (m_session.can_resume()) {
        c.button("resume", { c.width() / 2 - button_w - c.px(20), y, button_w, c.px(170) }, tr("ending.resume"),
            ButtonStyle::secondary);
        c.button(
            "end_now", { c.width() / 2 + c.px(20), y, button_w, c.px(170) }, tr("ending.end_now"), ButtonStyle::danger);
    } else {
        c.button("end_now", { c.width() / 2 - button_w / 2, y, button_w, c.px(170) }, tr("ending.end_now"),
            ButtonStyle::danger);
    }
}

void App::draw_wiping()
{
    auto& c = *m_canvas;
    c.text(tr("wiping.title"), { 0, 0, c.width(), c.height() }, theme::text_title, theme::blue_france, Align::center,
        true);
}

void App::draw_out_of_order()
{
    auto& c = *m_canvas;
    c.fill({ 0, 0, c.width(), c.height() }, theme::white);
    c.text(tr("out_of_order.title"), { c.px(100), c.px(300), c.width() - c.px(200), c.px(150) }, theme::text_huge,
        theme::red_marianne, Align::center, true);
    c.text(tr("out_of_order.text"), { c.px(100), c.px(480), c.width() - c.px(200), c.px(150) }, theme::text_title,
        theme::text, Align::center, false, true);
    c.hotspot("agent", { c.width() - c.px(130), c.height() - c.px(130), c.px(110), c.px(110) });
    // Why, in plain words, for the agent who comes over.
    c.text(tr("out_of_order.reason." + m_session.out_of_order_reason()),
        { c.px(100), c.height() - c.px(140), c.width() - c.px(280), c.px(80) }, theme::text_small, theme::text_muted,
        Align::center, false, true);
}

void App::draw_overlay()
{
    auto& c = *m_canvas;
    bool idle = m_session.idle_warning_active();
    if (!idle && m_overlay == Overlay::none)
        return;
    c.fill({ 0, 0, c.width(), c.height() }, theme::shade);
    if (m_overlay == Overlay::site_problem && !idle) {
        draw_site_problem();
        return;
    }
    if (m_overlay == Overlay::upload_picker && !idle) {
        // Over the page (the kiosk's window comes in front of the browser's): the resident's documents to choose from.
        c.hotspot(
            "", { 0, c.px(theme::top_bar), c.width(), c.height() - c.px(theme::top_bar) - c.px(theme::session_bar) });
        draw_upload_picker();
        return;
    }
    // The shaded screen under a question answers no taps: only the bars (Back, Home, End, Call an agent)
    // stay live, as they are everywhere.
    int top = c.px(theme::top_bar);
    c.hotspot("", { 0, top, c.width(), c.height() - top - (m_session.in_session() ? c.px(theme::session_bar) : 0) });
    Rect box { c.width() / 2 - c.px(700), c.height() / 2 - c.px(330), c.px(1400), c.px(660) };
    c.fill_rounded(box, c.px(16), theme::white);
    Rect title { box.x + c.px(50), box.y + c.px(40), box.w - c.px(100), c.px(100) };
    Rect body { box.x + c.px(50), box.y + c.px(150), box.w - c.px(100), c.px(250) };
    Rect button { box.x + c.px(200), box.y + box.h - c.px(210), box.w - c.px(400), c.px(170) };
    if (idle) {
        // Any touch on the overlay keeps the session; the button says so in words.
        c.hotspot("still_here", { 0, 0, c.width(), c.height() });
        c.text(tr("idle.title"), title, theme::text_title, theme::blue_france, Align::center, true);
        c.text(std::to_string(m_session.idle_seconds_left()), body, 140, theme::red_marianne, Align::center, true);
        c.button("still_here", button, tr("idle.still_here"), ButtonStyle::primary);
        return;
    }
    switch (m_overlay) {
    case Overlay::agent_called:
        c.text(tr("agent_called.title"), title, theme::text_title, theme::blue_france, Align::center, true);
        c.text(tr("agent_called.text"), body, theme::text_body, theme::text, Align::center, false, true);
        c.button("close_overlay", button, tr("common.ok"), ButtonStyle::primary);
        break;
    case Overlay::message:
        c.text(m_message_title, title, theme::text_title, theme::blue_france, Align::center, true);
        c.text(m_message_text, body, theme::text_body, theme::text, Align::center, false, true);
        c.button("close_overlay", button, tr("common.ok"), ButtonStyle::primary);
        break;
    case Overlay::confirm_delete: {
        // The question names what goes, so nobody deletes the wrong paper.
        auto const* doomed = selected_document();
        c.text(tr("tray.confirm_delete", { doomed ? doomed->name : std::string() }), title, theme::text_title,
            theme::blue_france, Align::center, true, true);
        int half = (box.w - c.px(150)) / 2;
        c.button(
            "close_overlay", { box.x + c.px(50), button.y, half, button.h }, tr("common.no"), ButtonStyle::secondary);
        c.button("confirm_delete", { box.x + c.px(100) + half, button.y, half, button.h }, tr("tray.delete"),
            ButtonStyle::danger);
        break;
    }
    case Overlay::confirm_delete_page: {
        // The page itself is shown with the question: its number alone means little to someone who reads little.
        auto const* document = selected_document();
        TrayPage const* page = nullptr;
        int number = 0;
        if (document)
            for (size_t i = 0; i < document->pages.size(); ++i)
                if (document->pages[i].vault_name == m_page_to_delete) {
                    page = &document->pages[i];
                    number = static_cast<int>(i) + 1;
                }
        bool only_page = document && document->pages.size() == 1;
        c.text(only_page ? tr("pages.confirm_last") : tr("pages.confirm_delete", { std::to_string(number) }), title,
            theme::text_title, theme::blue_france, Align::center, true);
        if (only_page) {
            int half = body.w / 2;
            if (page)
                c.image(thumbnail(page->vault_name), { body.x, body.y, half - c.px(20), body.h });
            c.text(tr("pages.last_page"), { body.x + half + c.px(20), body.y, half - c.px(20), body.h },
                theme::text_body, theme::text, Align::left, false, true);
        } else if (page) {
            c.image(thumbnail(page->vault_name), body);
        }
        int half = (box.w - c.px(150)) / 2;
        c.button(
            "close_overlay", { box.x + c.px(50), button.y, half, button.h }, tr("common.no"), ButtonStyle::secondary);
        c.button("confirm_delete_page", { box.x + c.px(100) + half, button.y, half, button.h }, tr("pages.delete"),
            ButtonStyle::danger);
        break;
    }
    case Overlay::upload_picker:
    case Overlay::site_problem:
    case Overlay::idle_warning:
    case Overlay::none: break;
    }
}

} // namespace kiosk::ui
