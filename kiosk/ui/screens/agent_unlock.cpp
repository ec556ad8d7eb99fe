// The PIN pad an agent or a technician unlocks with (badge first where configured), and the wrong-PIN lockout.
#include "kiosk/ui/app.h"

#include <algorithm>
#include <openssl/crypto.h>

namespace kiosk::ui {

bool App::on_agent_unlock_widget(std::string const& id)
{
    if (id.starts_with("pin_") && id.size() == 5 && id[4] >= '0' && id[4] <= '9') {
        if (m_unlock.pin.size() < core::max_pin_digits && !unlock_locked_out())
            m_unlock.pin.push_back(id[4]);
    } else if (id == "pin_clear") {
        OPENSSL_cleanse(m_unlock.pin.data(), m_unlock.pin.size());
        m_unlock.pin.clear();
    } else if (id == "pin_ok") {
        check_pin();
    } else {
        return false;
    }
    return true;
}

void App::draw_agent_unlock()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("agent.title"));
    Rect area = content_area();
    if (needs_badge()) {
        // No PIN pad before the badge: a PIN alone opens nothing here, so nobody can start guessing one.
        Rect card { area.x + area.w / 2 - c.px(170), area.y + c.px(60), c.px(340), c.px(215) };
        Rect words { area.x, area.y + c.px(340), area.w, c.px(200) };
        if (area.h < c.px(560)) {
            // Large text: the words as high as they need under the card, both in the middle of the height.
            words.h = c.wrapped_height(tr("agent.show_badge"), theme::text_title, true, area.w);
            card.y = area.y + std::max(0, (area.h - card.h - c.px(30) - words.h) / 2);
            words.y = card.y + card.h + c.px(30);
        }
        c.fill_rounded(card, c.px(18), theme::blue_france);
        c.fill_rounded({ card.x + c.px(30), card.y + c.px(40), c.px(70), c.px(55) }, c.px(8), theme::white);
        c.text(tr("agent.show_badge"), words, theme::text_title, theme::text, Align::center, true, true);
        return;
    }
    auto const* holder = m_unlock.badge_holder.empty() ? nullptr : m_agents.find(m_unlock.badge_holder);
    int left_w = area.w / 2 - c.px(40);
    std::string hello = holder ? tr("agent.hello", { holder->display_name }) : tr("agent.enter_pin");
    // The greeting takes the lines it needs (two in large text); the field and the message follow it.
    int hello_h = area.h >= c.px(700) ? c.px(100) : c.wrapped_height(hello, theme::text_title, true, left_w);
    c.text(hello, { area.x, area.y, left_w, hello_h }, theme::text_title, theme::blue_france, Align::left, true, true);
    // The PIN shows as dots only: people queue behind the agent.
    std::string dots;
    for (size_t i = 0; i < m_unlock.pin.size(); ++i)
        dots += "● ";
    bool roomy = area.h >= c.px(700);
    int gap_below = roomy ? c.px(40) : c.px(16);
    int field_y = roomy ? area.y + c.px(100 + 40) : area.y + hello_h + gap_below;
    Rect field { area.x, field_y, left_w, roomy ? c.px(120) : c.px(theme::min_target) };
    c.fill_rounded(field, c.px(10), theme::white);
    c.text(dots, { field.x + c.px(30), field.y, field.w - c.px(60), field.h }, theme::text_title, theme::text,
        Align::left);
    bool locked = unlock_locked_out();
    int message_y = field.y + field.h + gap_below;
    Rect message { area.x, message_y, left_w, std::min(c.px(160), area.y + area.h - message_y) };
    if (m_unlock.checking) {
        c.text(tr("agent.checking"), message, theme::text_body, theme::text, Align::left, true, true);
    } else if (locked) {
        auto seconds
            = (std::chrono::duration_cast<std::chrono::milliseconds>(m_store.lockout().remaining()).count() + 999)
            / 1000;
        c.text(tr("agent.locked", { std::to_string(seconds) }), message, theme::text_body, theme::red_marianne,
            Align::left, true, true);
    } else if (!m_unlock.message.empty()) {
        c.text(m_unlock.message, message, theme::text_body, theme::red_marianne, Align::left, true, true);
    }
    int gap = c.px(18);
    // Four rows of keys no lower than a fingertip: on a short screen (large text) the gaps give way first.
    if ((area.h - 3 * gap) / 4 < c.px(theme::min_target))
        gap = std::max(c.px(8), (area.h - 4 * c.px(theme::min_target)) / 3);
    Rect pad { area.x + area.w / 2, area.y, area.w / 2, area.h };
    int key_w = (pad.w - 2 * gap) / 3;
    int key_h = (pad.h - 3 * gap) / 4;
    char const* keys[4][3] = { { "1", "2", "3" }, { "4", "5", "6" }, { "7", "8", "9" }, { "clear", "0", "ok" } };
    for (int row = 0; row < 4; ++row) {
        for (int col = 0; col < 3; ++col) {
            std::string key = keys[row][col];
            Rect rect { pad.x + col * (key_w + gap), pad.y + row * (key_h + gap), key_w, key_h };
            if (key == "ok") {
                // A long word for it (Ukrainian "Підтвердити") does not fit a key in large text: "OK" is read the
                // same in every language the kiosk offers.
                std::string ok = tr("agent.ok");
                if (c.text_width(ok, theme::text_small, true) > key_w - c.px(40))
                    ok = "OK";
                c.button("pin_ok", rect, ok, ButtonStyle::primary,
                    !locked && !m_unlock.checking && m_unlock.pin.size() >= core::min_pin_digits);
            } else if (key == "clear")
                c.button("pin_clear", rect, "⌫", ButtonStyle::secondary, !locked);
            else
                c.button("pin_" + key, rect, key, ButtonStyle::secondary, !locked && !m_unlock.checking);
        }
    }
}

void App::open_agent_unlock(core::Agent const* badge_holder)
{
    if (m_screen == Screen::agent_unlock && badge_holder && !m_unlock.checking) {
        // The pad was open without a badge; now one is shown: its holder types their PIN.
        OPENSSL_cleanse(m_unlock.pin.data(), m_unlock.pin.size());
        m_unlock.pin.clear();
        m_unlock.badge_holder = badge_holder->id;
        m_unlock.message.clear();
        return;
    }
    if (m_screen == Screen::agent_unlock || m_screen == Screen::ending || m_screen == Screen::wiping)
        return;
    m_unlock.pin.clear();
    m_unlock.badge_holder = badge_holder ? badge_holder->id : std::string();
    m_unlock.message.clear();
    m_overlay = Overlay::none;
    navigate(Screen::agent_unlock);
}

bool App::needs_badge() const
{
    return m_unlock.badge_holder.empty() && m_config.agent_unlock == core::AgentUnlock::badge_and_pin;
}

bool App::unlock_locked_out() const
{
    return m_store.lockout().locked();
}

void App::check_pin()
{
    if (m_unlock.checking || unlock_locked_out() || m_unlock.pin.empty() || needs_badge())
        return;
    if (m_unlock.thread.joinable())
        m_unlock.thread.join();
    m_unlock.checking = true;
    // The try counts as failed before it is checked, on disk too: ending the session (or cutting the power) while
    // the PIN is checked does not make it free. A right PIN takes it back.
    m_unlock.lock_seconds = m_store.lockout().count_failure();
    // scrypt takes ~0.1 s per agent tried: off the UI thread, so the screen never freezes.
    std::string pin = std::exchange(m_unlock.pin, {});
    std::string badge_holder = m_unlock.badge_holder;
    bool pin_alone = m_config.agent_unlock == core::AgentUnlock::pin;
    m_unlock.thread = std::thread([this, pin = std::move(pin), badge_holder, pin_alone]() mutable {
        core::Agent const* holder = badge_holder.empty() ? nullptr : m_agents.find(badge_holder);
        core::Agent const* agent = m_agents.authenticate(pin, holder, pin_alone);
        OPENSSL_cleanse(pin.data(), pin.size());
        std::string id = agent ? agent->id : std::string();
        post([this, id, badge_holder] {
            m_unlock.checking = false;
            auto const* agent = id.empty() ? nullptr : m_agents.find(id);
            m_audit.record("agent_unlock_attempt",
                { { "ok", agent != nullptr }, { "method", badge_holder.empty() ? "pin" : "badge" },
                    { "agent", std::string_view(agent ? agent->id : badge_holder) } });
            if (agent) {
                m_store.lockout().succeeded();
                unlocked(*agent);
                return;
            }
            if (m_unlock.lock_seconds > 0)
                m_audit.record("agent_unlock_locked", { { "seconds", static_cast<int64_t>(m_unlock.lock_seconds) } });
            m_unlock.message = tr("agent.wrong_pin");
        });
    });
}

void App::unlocked(core::Agent const& agent)
{
    m_unlock.badge_holder.clear();
    if (m_screen == Screen::agent_unlock && !m_history.empty()) {
        m_screen = m_history.back();
        m_history.pop_back();
    }
    if (agent.role == core::AgentRole::technician) {
        // Diagnostics show devices only, never a resident's documents.
        navigate(Screen::diagnostics);
        return;
    }
    if (m_session.state() == core::SessionState::attract) {
        m_session.start();
        m_session.accept_rules(m_language);
        apply_transitions();
    }
    if (m_session.state() == core::SessionState::resident && m_session.enter_assisted(agent.id)) {
        m_assisted.agent = agent.display_name;
        navigate(Screen::assisted);
    } else if (m_session.state() == core::SessionState::assisted) {
        navigate(Screen::assisted);
    }
}

} // namespace kiosk::ui
