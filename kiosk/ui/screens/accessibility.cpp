// The accessibility panel: more time and high contrast, chosen from the attract screen, the welcome screen or the
// session bar, for the session only. A person who needs it finds it before anything else: it is on the first screen.
#include "kiosk/ui/app.h"

namespace kiosk::ui {

bool App::on_accessibility_widget(std::string const& id)
{
    // The panels open over the screen, not over a question or the upload picker (which would be lost under them).
    bool free = m_overlay == Overlay::none || m_overlay == Overlay::accessibility || m_overlay == Overlay::language;
    if (id == "a11y") {
        // From the attract screen the welcome starts: a choice made by someone who then walks away goes with the
        // welcome's timeout, not to the next passer-by.
        if (m_session.state() == core::SessionState::attract) {
            m_session.start();
            apply_transitions();
        }
        if (free)
            m_overlay = Overlay::accessibility;
    } else if (id == "language") {
        if (free)
            m_overlay = Overlay::language;
    } else if (id == "a11y_speech") {
        m_speech = !m_speech;
        m_focused.clear();
        m_audit.record("accessibility", { { "speech", m_speech } });
        say(tr(m_speech ? "speech.on" : "speech.off"), speech::Priority::interrupt);
    } else if (id == "a11y_time") {
        m_session.set_more_time(!m_session.more_time());
        m_audit.record("accessibility", { { "more_time", m_session.more_time() } });
    } else if (id == "a11y_contrast") {
        m_high_contrast = !m_high_contrast;
        m_audit.record("accessibility", { { "high_contrast", m_high_contrast } });
    } else {
        return false;
    }
    return true;
}

void App::draw_accessibility_button(Rect rect, ButtonStyle style)
{
    auto& c = *m_canvas;
    if (rect.w >= rect.h * 2) {
        c.action("a11y", rect, Icon::accessibility, tr("a11y.button"), style);
        return;
    }
    // A square on the session bar: the pictogram alone, as large as it fits.
    c.button("a11y", rect, "", style);
    auto colors = button_colors(style, true);
    c.icon(Icon::accessibility, rect, rect.h * 3 / 5, colors.foreground);
}

void App::draw_accessibility_panel()
{
    auto& c = *m_canvas;
    int top = m_screen == Screen::attract || m_screen == Screen::welcome ? 0 : c.px(theme::top_bar);
    int bottom = m_session.in_session() ? c.px(theme::session_bar) : 0;
    // The shade under the panel answers no taps; the bars stay live, as they are under every question.
    c.hotspot("", { 0, top, c.width(), c.height() - top - bottom });
    Rect box { c.width() / 2 - c.px(700), c.height() / 2 - c.px(410), c.px(1400), c.px(820) };
    c.fill_rounded(box, c.px(16), theme::white);
    c.text(tr("a11y.title"), { box.x + c.px(50), box.y + c.px(20), box.w - c.px(100), c.px(100) }, theme::text_title,
        theme::blue_france, Align::center, true);
    announce(tr("a11y.title"));
    announce(tr("a11y.speech_where"));
    int row_h = c.px(150);
    int y = box.y + c.px(130);
    Rect row { box.x + c.px(100), y, box.w - c.px(200), row_h };
    // The voice first: the button a person who cannot see the screen is told where to find.
    c.action("a11y_speech", row, Icon::speech, tr("a11y.speech"),
        m_speech ? ButtonStyle::selected : ButtonStyle::secondary, true, tr("a11y.speech_detail"));
    row.y += row_h + c.px(24);
    c.action("a11y_time", row, Icon::time, tr("a11y.time"),
        m_session.more_time() ? ButtonStyle::selected : ButtonStyle::secondary, true, tr("a11y.time_detail"));
    row.y += row_h + c.px(24);
    c.action("a11y_contrast", row, Icon::contrast, tr("a11y.contrast"),
        m_high_contrast ? ButtonStyle::selected : ButtonStyle::secondary, true, tr("a11y.contrast_detail"));
    row.y += row_h + c.px(30);
    c.action("close_overlay", { box.x + c.px(300), row.y, box.w - c.px(600), c.px(140) }, Icon::check, tr("common.ok"),
        ButtonStyle::primary);
}

void App::draw_language_panel()
{
    auto& c = *m_canvas;
    int top = c.px(theme::top_bar);
    c.hotspot("", { 0, top, c.width(), c.height() - top - c.px(theme::session_bar) });
    Rect box { c.width() / 2 - c.px(760), c.height() / 2 - c.px(330), c.px(1520), c.px(660) };
    c.fill_rounded(box, c.px(16), theme::white);
    c.text(tr("welcome.language"), { box.x + c.px(50), box.y + c.px(30), box.w - c.px(100), c.px(100) },
        theme::text_title, theme::blue_france, Align::center, true);
    announce(tr("speech.language"));
    draw_language_buttons({ box.x + c.px(60), box.y + c.px(150), box.w - c.px(120), c.px(260) }, 2);
    c.action("close_overlay", { box.x + c.px(460), box.y + box.h - c.px(200), box.w - c.px(920), c.px(150) },
        Icon::back, tr("nav.back"), ButtonStyle::secondary);
}

} // namespace kiosk::ui
