// The attract screen, which invites a passer-by, and the welcome screen: the language and the rules of a session.
#include "kiosk/ui/app.h"

#include "kiosk/core/languages.h"

#include <algorithm>

namespace kiosk::ui {

bool App::on_welcome_widget(std::string const& id)
{
    if (id == "start") {
        m_session.start();
    } else if (id.starts_with("lang_") && m_translations.has(id.substr(5), "welcome.title")) {
        // From the welcome screen, or at any time from the language panel over a session screen.
        m_language = id.substr(5);
        if (m_overlay == Overlay::language)
            m_overlay = Overlay::none;
    } else if (id == "accept") {
        m_session.accept_rules(m_language);
    } else if (id == "cancel_welcome") {
        m_session.cancel_welcome();
    } else {
        return false;
    }
    return true;
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
    // Accessibility before anything else, for whoever needs it to go on (EN 301 549 5.1.2.1).
    draw_accessibility_button(
        { c.px(theme::margin), c.height() - c.px(170), c.px(520), c.px(130) }, ButtonStyle::secondary);
    // Beside it, how the screen is heard (also said aloud as soon as someone touches the screen).
    int hint_x = c.px(theme::margin + 520 + 30);
    if (offer_headset()) {
        // The socket's picture, for whoever does not read the words.
        c.icon(Icon::headset, { hint_x, c.height() - c.px(170), c.px(90), c.px(130) }, c.px(64), theme::white);
        hint_x += c.px(110);
    }
    c.text(tr(offer_headset() ? "attract.speech_hint_headset" : "attract.speech_hint"),
        { hint_x, c.height() - c.px(170), c.width() - hint_x - c.px(170), c.px(130) }, theme::text_body, theme::white,
        Align::left, false, true);
    // The discreet agent key: a small corner target agents know about, drawn faintly.
    Rect corner { c.width() - c.px(130), c.height() - c.px(130), c.px(110), c.px(110) };
    c.fill_rounded(corner, c.px(55), Color { 255, 255, 255, 40 });
    c.hotspot("agent", corner);
}

void App::draw_language_buttons(Rect area, int rows)
{
    auto& c = *m_canvas;
    // Each language in its own words and script, in the order of core::languages; those without a translation file
    // are not offered.
    std::vector<core::Language const*> offered;
    for (auto const& language : core::languages)
        if (m_translations.has(language.code, "welcome.title"))
            offered.push_back(&language);
    int count = static_cast<int>(offered.size());
    int columns = std::max(1, (count + rows - 1) / rows);
    int gap = c.px(20);
    int w = (area.w - gap * (columns - 1)) / columns;
    int h = (area.h - gap * (rows - 1)) / rows;
    for (int i = 0; i < count; ++i) {
        Rect rect { area.x + (i % columns) * (w + gap), area.y + (i / columns) * (h + gap), w, h };
        c.button("lang_" + std::string(offered[static_cast<size_t>(i)]->code), rect,
            std::string(offered[static_cast<size_t>(i)]->own_name),
            m_language == offered[static_cast<size_t>(i)]->code ? ButtonStyle::selected : ButtonStyle::secondary);
    }
}

std::vector<std::string> App::welcome_rules()
{
    std::vector<std::string> lines = {
        tr("welcome.rule_erase"),
        tr("welcome.rule_time", { std::to_string(m_session.timings().max_length.count() / 60) }),
        tr("welcome.rule_pages", { std::to_string(m_config.page_quota) }),
        tr("welcome.rule_help"),
    };
    // Heard as they are read: the title, then the rules.
    announce(tr("welcome.title"));
    announce(tr("welcome.rules_title"));
    for (auto const& line : lines)
        announce(line);
    return lines;
}

void App::draw_welcome()
{
    auto& c = *m_canvas;
    if (c.design_height() < 1000) {
        draw_welcome_compact();
        return;
    }
    c.text(tr("welcome.title"), { c.px(80), c.px(40), c.width() - c.px(640), c.px(110) }, theme::text_title,
        theme::blue_france, Align::left, true);
    draw_accessibility_button(
        { c.width() - c.px(80) - c.px(440), c.px(40), c.px(440), c.px(110) }, ButtonStyle::secondary);
    int lang_y = c.px(170);
    c.text(tr("welcome.language"), { c.px(80), lang_y, c.px(300), c.px(190) }, theme::text_body, theme::text);
    draw_language_buttons({ c.px(400), lang_y, c.width() - c.px(480), c.px(190) }, 2);

    Rect rules { c.px(80), c.px(390), c.width() - c.px(160), c.px(430) };
    c.fill_rounded(rules, c.px(12), theme::white);
    c.text(tr("welcome.rules_title"), { rules.x + c.px(40), rules.y + c.px(20), rules.w - c.px(80), c.px(80) },
        theme::text_body, theme::blue_france, Align::left, true);
    auto lines = welcome_rules();
    int y = rules.y + c.px(100);
    for (auto const& line : lines) {
        c.text("•  " + line, { rules.x + c.px(40), y, rules.w - c.px(80), c.px(80) }, theme::text_body, theme::text,
            Align::left, false, true);
        y += c.px(80);
    }
    c.action("cancel_welcome", { c.px(80), c.px(860), c.px(520), c.px(150) }, Icon::back, tr("welcome.cancel"),
        ButtonStyle::secondary);
    c.action("accept", { c.width() - c.px(80) - c.px(900), c.px(860), c.px(900), c.px(150) }, Icon::check,
        tr("welcome.accept"), ButtonStyle::primary);
}

void App::draw_welcome_compact()
{
    // Large text: the title, the language and accessibility on one row, the rules, and the two answers. The eight
    // languages are one tap away on the language panel, behind a button that names the language chosen.
    auto& c = *m_canvas;
    int edge = c.px(40);
    int gap = c.px(20);
    int row_h = c.px(theme::min_target + 14);
    int a11y_w = c.px(360);
    int language_w = c.px(360);
    Rect a11y { c.width() - edge - a11y_w, c.px(24), a11y_w, row_h };
    Rect language { a11y.x - gap - language_w, a11y.y, language_w, row_h };
    c.text(tr("welcome.title"), { edge, a11y.y, language.x - gap - edge, row_h }, theme::text_title, theme::blue_france,
        Align::left, true);
    auto const* chosen = core::find_language(m_language);
    c.action("language", language, Icon::language, chosen ? std::string(chosen->own_name) : m_language,
        ButtonStyle::secondary);
    draw_accessibility_button(a11y, ButtonStyle::secondary);

    int answers_h = c.px(theme::min_target + 34);
    int answers_y = c.height() - edge / 2 - answers_h;
    Rect rules { edge, a11y.y + row_h + gap, c.width() - 2 * edge, answers_y - gap - (a11y.y + row_h + gap) };
    c.fill_rounded(rules, c.px(12), theme::white);
    auto lines = welcome_rules();
    int pad = c.px(24);
    int line_h = (rules.h - 2 * pad) / static_cast<int>(lines.size());
    for (size_t i = 0; i < lines.size(); ++i)
        c.text("•  " + lines[i],
            { rules.x + pad, rules.y + pad + static_cast<int>(i) * line_h, rules.w - 2 * pad, line_h },
            theme::text_body, theme::text, Align::left, false, true);
    int cancel_w = (c.width() - 2 * edge - gap) * 2 / 5;
    c.action("cancel_welcome", { edge, answers_y, cancel_w, answers_h }, Icon::back, tr("welcome.cancel"),
        ButtonStyle::secondary);
    c.action("accept", { edge + cancel_w + gap, answers_y, c.width() - 2 * edge - gap - cancel_w, answers_h },
        Icon::check, tr("welcome.accept"), ButtonStyle::primary);
}

} // namespace kiosk::ui
