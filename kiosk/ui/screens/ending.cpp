// The end of a session: the question before it ends, the wipe, and the out-of-order screen.
#include "kiosk/ui/app.h"

#include <algorithm>

namespace kiosk::ui {

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
    // Not the countdown: said every second, it would drown the rest.
    announce(tr("ending.title." + std::string(core::to_string(reason))));
    announce(tr("ending.take_papers"));
    int button_w = c.px(720);
    int y = c.px(720);
    if (m_session.can_resume()) {
        c.action("resume", { c.width() / 2 - button_w - c.px(20), y, button_w, c.px(170) }, Icon::back,
            tr("ending.resume"), ButtonStyle::secondary);
        c.action("end_now", { c.width() / 2 + c.px(20), y, button_w, c.px(170) }, Icon::erase, tr("ending.end_now"),
            ButtonStyle::danger);
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

} // namespace kiosk::ui
