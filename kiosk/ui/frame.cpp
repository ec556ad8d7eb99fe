// The frame around every screen: the top bar with Back and Home, the session bar always at hand, the overlays, and
// the row that turns screenfuls. Each screen draws itself in its file under screens/.
#include "kiosk/ui/app.h"

#include "kiosk/core/languages.h"

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

} // namespace

void App::draw_pager(std::string const& section, Rect row, int first, int per_page, int count)
{
    auto& c = *m_canvas;
    int gap = c.px(24);
    // Narrower buttons in a short row (large text) leave the words between them room for two lines.
    int button_w = c.px(400);
    if (row.w - 2 * (button_w + gap) < c.px(400))
        button_w = std::min(button_w, (row.w - 2 * gap) * 3 / 10);
    int end = std::min(count, first + per_page);
    std::string range = end - first == 1
        ? tr(section + ".shown_one", { std::to_string(first + 1), std::to_string(count) })
        : tr(section + ".shown", { std::to_string(first + 1), std::to_string(end), std::to_string(count) });
    c.button(section + "_prev", { row.x, row.y, button_w, row.h }, "← " + tr(section + ".previous"),
        ButtonStyle::secondary, first > 0);
    c.text(range, { row.x + button_w + gap, row.y, row.w - 2 * (button_w + gap), row.h }, theme::text_body, theme::text,
        Align::center, true, true);
    c.button(section + "_next", { row.x + row.w - button_w, row.y, button_w, row.h }, tr(section + ".next") + " →",
        ButtonStyle::secondary, end < count);
}

Rect App::content_area() const
{
    auto& c = *m_canvas;
    int top = c.px(theme::top_bar);
    int bottom = bottom_bars();
    int margin = c.px(theme::margin);
    return { margin, top + margin / 2, c.width() - 2 * margin, c.height() - top - bottom - margin };
}

int App::bottom_bars() const
{
    return m_canvas->px(theme::session_bar) + notice_band();
}

std::string App::bar_notice() const
{
    if (!m_notice.empty() || m_session.state() != core::SessionState::assisted)
        return m_notice;
    return tr("bar.assisted", { m_assisted.agent });
}

int App::notice_band() const
{
    // Where the session bar has no room between the time and its buttons (large text), its notice gets a band of
    // its own just above it, and the screen above gives up that height.
    auto& c = *m_canvas;
    if (!m_session.in_session() || c.design_width() >= wide_session_bar || bar_notice().empty())
        return 0;
    return c.px(theme::notice_band);
}

void App::draw()
{
    if (!m_canvas)
        return;
    auto& c = *m_canvas;
    c.set_zoom(m_large_text ? theme::large_text_zoom : 1.0);
    c.begin_frame();
    m_frame_outdated = false;
    m_heard.clear();
    theme::use(m_high_contrast ? theme::high_contrast_palette : theme::standard_palette);
    auto const* language = core::find_language(m_language);
    c.set_right_to_left(language && language->right_to_left);
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
    if (m_speech && !m_focused.empty())
        if (auto const* focused = c.find_widget(m_focused))
            c.focus_ring(*focused);
    speak_frame();
    m_dirty = false;
}

void App::draw_top_bar(std::string const& title, std::string const& subtitle, int right_reserved)
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
    // Accessibility, at the same place on every session screen (the session bar below is full).
    int side = h - 2 * pad;
    if (m_session.in_session()) {
        draw_accessibility_button({ c.width() - pad - side, pad, side, side }, ButtonStyle::secondary);
        // And the language, which can change at any time.
        Rect language { c.width() - 2 * (pad + side), pad, side, side };
        c.button("language", language, "", ButtonStyle::secondary);
        c.icon(Icon::language, language, side * 3 / 5, button_colors(ButtonStyle::secondary, true).foreground);
    }
    announce(title);
    announce(subtitle);
    int title_x = pad * 4 + button_w * 2;
    // The accessibility and language buttons are there in a session only.
    int title_w = c.width() - title_x - 3 * pad - (m_session.in_session() ? 2 * side : 0) - c.px(right_reserved);
    if (subtitle.empty()) {
        // A long title goes on two lines where the bar is short of room (large text) rather than getting smaller.
        c.text(title, { title_x, 0, title_w, h }, theme::text_title, theme::blue_france, Align::left, true,
            c.design_width() < wide_session_bar);
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
    c.cover({ 0, y - notice_band(), c.width(), h + notice_band() });
    c.fill({ 0, y, c.width(), h }, theme::blue_france);
    int pad = c.px(16);
    int seconds = m_session.session_seconds_left();
    std::string minutes = std::to_string((seconds + 59) / 60);
    bool wide = c.design_width() >= wide_session_bar;
    std::string notice = bar_notice();
    if (wide) {
        std::string left = seconds >= 120 ? tr("bar.time_left_minutes", { minutes })
                                          : tr("bar.time_left_seconds", { minutes_seconds(seconds) });
        c.text(left, { c.px(theme::margin), y, c.px(520), h }, theme::text_body, theme::white, Align::left, true);
        if (!notice.empty())
            c.text(notice, { c.px(560), y, c.width() - c.px(1580), h }, theme::text_small, theme::white, Align::left,
                false, true);
    } else {
        // Short of room (large text): a clock and the time alone, and the notice on its band above the bar.
        std::string left = seconds >= 120 ? tr("bar.time_short_minutes", { minutes }) : minutes_seconds(seconds);
        int icon_w = c.px(56);
        c.icon(Icon::time, { c.px(theme::margin / 2), y, icon_w, h }, c.px(44), theme::white);
        c.text(left, { c.px(theme::margin / 2) + icon_w + c.px(8), y, c.px(200), h }, theme::text_body, theme::white,
            Align::left, true);
        if (int band = notice_band()) {
            c.fill({ 0, y - band, c.width(), band }, theme::blue_france);
            c.text(notice, { c.px(theme::margin), y - band, c.width() - 2 * c.px(theme::margin), band },
                theme::text_small, theme::white, Align::left, false, true);
        }
    }
    c.hotspot("agent", { 0, y, c.px(60), h });
    int button_w = c.px(480);
    c.action("end_session", { c.width() - button_w - pad, y + pad, button_w, h - 2 * pad }, Icon::erase,
        tr("bar.end_session"), ButtonStyle::danger);
    c.action("call_agent", { c.width() - 2 * button_w - 2 * pad, y + pad, button_w, h - 2 * pad }, Icon::agent,
        tr("bar.call_agent"), ButtonStyle::secondary);
}

Rect App::modal_box(int top, int bottom, int width, int height, int needed)
{
    auto& c = *m_canvas;
    int edge = c.px(20);
    // The session bar stays live under every box: ending the session and calling an agent are always one tap away.
    if (c.height() - top - bottom - 2 * edge < needed)
        top = 0;
    // The shade around the box answers no taps; the bars it leaves uncovered stay live.
    c.hotspot("", { 0, top, c.width(), c.height() - top - bottom });
    int box_w = std::min(width, c.width() - 3 * edge);
    int box_h = std::min(height, c.height() - top - bottom - 2 * edge);
    int box_y = std::clamp(c.height() / 2 - box_h / 2, top + edge, c.height() - bottom - edge - box_h);
    Rect box { (c.width() - box_w) / 2, box_y, box_w, box_h };
    c.fill_rounded(box, c.px(16), theme::white);
    return box;
}

void App::draw_overlay()
{
    auto& c = *m_canvas;
    bool idle = m_session.idle_warning_active();
    if (!idle && m_overlay == Overlay::none)
        return;
    // The session bar is live under every box but the idle warning's, and looks it: the shade stops above it.
    int live_bar = m_session.in_session() && !idle ? c.px(theme::session_bar) : 0;
    c.fill({ 0, 0, c.width(), c.height() - live_bar }, theme::shade);
    m_heard.clear(); // a question over the screen is what is heard
    if (m_overlay == Overlay::site_problem && !idle) {
        draw_site_problem();
        return;
    }
    if (m_overlay == Overlay::accessibility && !idle) {
        draw_accessibility_panel();
        return;
    }
    if (m_overlay == Overlay::language && !idle) {
        draw_language_panel();
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
    // The question's box, centred between the bars; over the top bar where they leave it too little room (large
    // text). The idle warning covers the whole screen: any touch on it keeps the session.
    int top = idle ? 0 : c.px(theme::top_bar);
    int bottom = m_session.in_session() && !idle ? c.px(theme::session_bar) : 0;
    Rect box = modal_box(top, bottom, c.px(1400), c.px(660), c.px(660));
    int inset = c.px(40);
    Rect title { box.x + c.px(50), box.y + inset, box.w - c.px(100), c.px(100) };
    int button_h = std::min(c.px(170), std::max(c.px(theme::min_target + 20), box.h - c.px(490)));
    int button_w = std::min(box.w - c.px(400), c.px(1000));
    Rect button { box.x + (box.w - button_w) / 2, box.y + box.h - inset - button_h, button_w, button_h };
    int body_y = box.y + c.px(40 + 100 + 10); // under the title

    Rect body { box.x + c.px(50), body_y, box.w - c.px(100), std::min(c.px(250), button.y - c.px(20) - body_y) };
    if (idle) {
        // Any touch on the overlay keeps the session; the button says so in words.
        c.hotspot("still_here", { 0, 0, c.width(), c.height() });
        c.text(tr("idle.title"), title, theme::text_title, theme::blue_france, Align::center, true);
        announce(tr("idle.title"));
        // Said once with the countdown's full length, never every second.
        announce(tr_count("idle.spoken", static_cast<int>(m_session.timings().idle_countdown.count())));
        announce(tr("idle.still_here"));
        c.text(std::to_string(m_session.idle_seconds_left()), body, 140, theme::red_marianne, Align::center, true);
        c.button("still_here", button, tr("idle.still_here"), ButtonStyle::primary);
        return;
    }
    // A question that deletes: No on the left, the red Delete on the right.
    auto no_or_delete = [&](std::string const& delete_id, std::string const& delete_label) {
        int half = (box.w - c.px(150)) / 2;
        c.button(
            "close_overlay", { box.x + c.px(50), button.y, half, button.h }, tr("common.no"), ButtonStyle::secondary);
        c.action(delete_id, { box.x + c.px(100) + half, button.y, half, button.h }, Icon::erase, delete_label,
            ButtonStyle::danger);
    };
    switch (m_overlay) {
    case Overlay::agent_called: draw_agent_called(title, body, button); break;
    case Overlay::message:
        c.text(m_message_title, title, theme::text_title, theme::blue_france, Align::center, true);
        c.text(m_message_text, body, theme::text_body, theme::text, Align::center, false, true);
        announce(m_message_title);
        announce(m_message_text);
        c.button("close_overlay", button, tr("common.ok"), ButtonStyle::primary);
        break;
    case Overlay::confirm_delete: {
        // The question names what goes, so nobody deletes the wrong paper.
        auto const* doomed = selected_document();
        c.text(tr("tray.confirm_delete", { doomed ? doomed->name : std::string() }), title, theme::text_title,
            theme::blue_france, Align::center, true, true);
        announce(tr("tray.confirm_delete", { doomed ? doomed->name : std::string() }));
        no_or_delete("confirm_delete", tr("tray.delete"));
        break;
    }
    case Overlay::confirm_delete_page: {
        // The page itself is shown with the question: its number alone means little to someone who reads little.
        auto const* document = selected_document();
        TrayPage const* page = nullptr;
        int number = 0;
        if (document)
            for (size_t i = 0; i < document->pages.size(); ++i)
                if (document->pages[i].vault_name == m_pages_screen.to_delete) {
                    page = &document->pages[i];
                    number = static_cast<int>(i) + 1;
                }
        bool only_page = document && document->pages.size() == 1;
        c.text(only_page ? tr("pages.confirm_last") : tr("pages.confirm_delete", { std::to_string(number) }), title,
            theme::text_title, theme::blue_france, Align::center, true);
        announce(only_page ? tr("pages.confirm_last") : tr("pages.confirm_delete", { std::to_string(number) }));
        if (only_page) {
            int half = body.w / 2;
            if (page)
                c.image(thumbnail(page->vault_name), { body.x, body.y, half - c.px(20), body.h });
            c.text(tr("pages.last_page"), { body.x + half + c.px(20), body.y, half - c.px(20), body.h },
                theme::text_body, theme::text, Align::left, false, true);
        } else if (page) {
            c.image(thumbnail(page->vault_name), body);
        }
        no_or_delete("confirm_delete_page", tr("pages.delete"));
        break;
    }
    case Overlay::accessibility:
    case Overlay::language: break; // drawn above
    case Overlay::upload_picker:
    case Overlay::site_problem:
    case Overlay::idle_warning:
    case Overlay::none: break;
    }
}

} // namespace kiosk::ui
