// The accessibility panel: more time and high contrast, chosen from the attract screen, the welcome screen or the
// session bar, for the session only. A person who needs it finds it before anything else: it is on the first screen.
#include "kiosk/ui/app.h"

#include <algorithm>

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
    } else if (id == "a11y_large") {
        m_large_text = !m_large_text;
        m_audit.record("accessibility", { { "large_text", m_large_text } });
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
    // As large as the room between the bars allows, up to the panel's own size; over the top bar where the four
    // choices would not have a readable size (large text): the panel has its own way out.
    Rect box = modal_box(top, bottom, c.px(1400), c.px(940), c.px(700));
    int pad = c.px(24);
    int title_h = c.px(90);
    c.text(tr("a11y.title"), { box.x + pad, box.y + c.px(10), box.w - 2 * pad, title_h }, theme::text_title,
        theme::blue_france, Align::center, true);
    announce(tr("a11y.title"));
    announce(tr("a11y.speech_where"));
    int gap = c.px(16);
    int ok_h = c.px(theme::min_target + 20);
    Rect grid { box.x + pad, box.y + c.px(10) + title_h + gap, box.w - 2 * pad, 0 };
    grid.h = box.y + box.h - pad - ok_h - gap - grid.y;
    // Two by two, the voice first (top left, where speech.hint says it is).
    int columns = 2;
    int rows = 2;
    int cell_w = (grid.w - (columns - 1) * gap) / columns;
    int cell_h = std::min(c.px(220), (grid.h - (rows - 1) * gap) / rows);
    struct Choice {
        char const* id;
        Icon icon;
        char const* label;
        char const* detail;
        bool chosen;
    };
    // The voice first: the button a person who cannot see the screen is told where to find.
    Choice const choices[] = {
        { "a11y_speech", Icon::speech, "a11y.speech", "a11y.speech_detail", m_speech },
        { "a11y_large", Icon::zoom, "a11y.large", "a11y.large_detail", m_large_text },
        { "a11y_time", Icon::time, "a11y.time", "a11y.time_detail", m_session.more_time() },
        { "a11y_contrast", Icon::contrast, "a11y.contrast", "a11y.contrast_detail", m_high_contrast },
    };
    // Each choice with the line that explains it, where the cell is high enough for both at full size; in large text on
    // a short screen the choice's name alone, as large as ever.
    bool details = cell_h >= c.px(180);
    for (int i = 0; i < 4; ++i) {
        auto const& choice = choices[i];
        Rect cell { grid.x + (i % columns) * (cell_w + gap), grid.y + (i / columns) * (cell_h + gap), cell_w, cell_h };
        c.action(choice.id, cell, choice.icon, tr(choice.label),
            choice.chosen ? ButtonStyle::selected : ButtonStyle::secondary, true, details ? tr(choice.detail) : "");
    }
    int ok_w = std::min(c.px(800), box.w - 2 * pad);
    c.action("close_overlay", { box.x + (box.w - ok_w) / 2, box.y + box.h - pad - ok_h, ok_w, ok_h }, Icon::check,
        tr("common.ok"), ButtonStyle::primary);
}

void App::draw_language_panel()
{
    auto& c = *m_canvas;
    bool bars = m_session.in_session();
    // Where the room between the bars is too short for it (large text), the panel covers the top bar: it has its own
    // way back, and a language is chosen in one tap.
    Rect box = modal_box(
        bars ? c.px(theme::top_bar) : 0, bars ? c.px(theme::session_bar) : 0, c.px(1520), c.px(660), c.px(560));
    int title_h = std::min(c.px(100), box.h / 6);
    c.text(tr("welcome.language"), { box.x + c.px(50), box.y + c.px(30), box.w - c.px(100), title_h },
        theme::text_title, theme::blue_france, Align::center, true);
    announce(tr("speech.language"));
    int back_h = std::min(c.px(150), std::max(c.px(theme::min_target + 20), box.h - c.px(510)));
    int back_w = std::min(box.w - c.px(920), c.px(600));
    back_w = std::max(back_w, std::min(box.w - c.px(120), c.px(480)));
    Rect back { box.x + (box.w - back_w) / 2, box.y + box.h - c.px(50) - back_h, back_w, back_h };
    int buttons_y = box.y + c.px(30) + title_h + c.px(20);
    draw_language_buttons(
        { box.x + c.px(60), buttons_y, box.w - c.px(120), std::min(c.px(260), back.y - c.px(30) - buttons_y) }, 2);
    c.action("close_overlay", back, Icon::back, tr("nav.back"), ButtonStyle::secondary);
}

} // namespace kiosk::ui
