// The end of a session: the question before it ends, the wipe, and the out-of-order screen.
#include "kiosk/ui/app.h"

#include <algorithm>

namespace kiosk::ui {

void App::draw_ending()
{
    auto& c = *m_canvas;
    c.fill({ 0, 0, c.width(), c.height() }, theme::white);
    auto reason = m_session.end_reason().value_or(core::EndReason::resident);
    std::string title = tr("ending.title." + std::string(core::to_string(reason)));
    std::string erase = tr("ending.erase", { std::to_string(m_session.ending_seconds_left()) });
    // Not the countdown: said every second, it would drown the rest.
    announce(title);
    announce(tr("ending.take_papers"));
    // Resume beside End now, or End now alone, centred in a row.
    auto draw_ending_buttons = [&](Rect row) {
        int gap = c.px(40);
        int button_w = std::min(c.px(720), (row.w - gap) / 2);
        int middle = row.x + row.w / 2;
        if (m_session.can_resume()) {
            c.action("resume", { middle - gap / 2 - button_w, row.y, button_w, row.h }, Icon::back, tr("ending.resume"),
                ButtonStyle::secondary);
            c.action("end_now", { middle + gap / 2, row.y, button_w, row.h }, Icon::erase, tr("ending.end_now"),
                ButtonStyle::danger);
        } else {
            c.button("end_now", { middle - button_w / 2, row.y, button_w, row.h }, tr("ending.end_now"),
                ButtonStyle::danger);
        }
    };
    if (c.design_height() >= 1000 && c.design_width() >= 1600) {
        c.text(title, { c.px(100), c.px(120), c.width() - c.px(200), c.px(120) }, theme::text_title, theme::blue_france,
            Align::center, true, true);
        c.text(erase, { c.px(100), c.px(300), c.width() - c.px(200), c.px(200) }, theme::text_title, theme::text,
            Align::center, false, true);
        c.text(tr("ending.take_papers"), { c.px(100), c.px(520), c.width() - c.px(200), c.px(100) }, theme::text_body,
            theme::text_muted, Align::center, false, true);
        draw_ending_buttons({ c.width() / 2 - c.px(740), c.px(720), c.px(1480), c.px(170) });
        return;
    }
    // Large text: the words one after the other as high as they need, the two answers side by side at the bottom.
    int margin = c.px(theme::margin);
    int w = c.width() - 2 * margin;
    int y = c.px(30);
    auto paragraph = [&](std::string const& words, int size, Color color, bool bold) {
        y += c.paragraph(words, margin, y, w, size, color, Align::center, bold) + c.px(16);
    };
    paragraph(title, theme::text_title, theme::blue_france, true);
    paragraph(erase, theme::text_title, theme::text, false);
    paragraph(tr("ending.take_papers"), theme::text_body, theme::text_muted, false);
    int button_h = std::clamp(c.height() - margin - y, c.px(theme::min_target + 24), c.px(170));
    draw_ending_buttons({ margin, c.height() - margin - button_h, w, button_h });
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
    // Higher on a screen with fewer lines (large text), so that the explanation has room above the reason.
    int top = c.design_height() >= 1000 ? c.px(300) : c.px(60);
    int text_h = c.design_height() >= 1000 ? c.px(150) : c.height() - c.px(160) - (top + c.px(180));
    c.text(tr("out_of_order.title"), { c.px(100), top, c.width() - c.px(200), c.px(150) }, theme::text_huge,
        theme::red_marianne, Align::center, true);
    c.text(tr("out_of_order.text"), { c.px(100), top + c.px(180), c.width() - c.px(200), text_h }, theme::text_title,
        theme::text, Align::center, false, true);
    c.hotspot("agent", { c.width() - c.px(130), c.height() - c.px(130), c.px(110), c.px(110) });
    // Why, in plain words, for the agent who comes over.
    c.text(tr("out_of_order.reason." + m_session.out_of_order_reason()),
        { c.px(100), c.height() - c.px(140), c.width() - c.px(280), c.px(80) }, theme::text_small, theme::text_muted,
        Align::center, false, true);
}

} // namespace kiosk::ui
