// The pages of a scanned document: moved one place at a time, deleted after a question.
#include "kiosk/ui/app.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace kiosk::ui {

namespace {

// The pages screen: one row of large page cards, and under it the row to turn screenfuls and finish. In a short
// space (large text) the cards are low and wide, their buttons beside the picture, and the way back to the documents
// stands at the right of the cards, so that the row under them is free to turn screenfuls across the whole width.
struct PagesLayout {
    Rect cards;
    Rect bottom;
    Rect done; // the way back beside the cards, when it is not in the bottom row
    int card_w = 0, columns = 1;
    bool low_cards = false;
};

PagesLayout pages_layout(Canvas const& c, Rect area)
{
    PagesLayout layout;
    int gap = c.px(24);
    bool compact = area.h < c.px(700) || area.w < c.px(1500);
    int bottom_h = compact ? c.px(theme::min_target) : c.px(120);
    layout.cards = { area.x, area.y, area.w, area.h - bottom_h - gap };
    layout.bottom = { area.x, area.y + area.h - bottom_h, area.w, bottom_h };
    if (compact) {
        int done_w = c.px(300);
        layout.done = { area.x + area.w - done_w, area.y, done_w, layout.cards.h };
        layout.cards.w -= done_w + gap;
        layout.low_cards = true;
    }
    // Wide enough for two arrows and a Delete button whose word stays whole, side by side; the thumbnail,
    // limited by the card's height, is no smaller for it.
    int card_min_w = c.px(560);
    layout.columns = std::max(1, (layout.cards.w + gap) / (card_min_w + gap));
    layout.card_w = (layout.cards.w - gap * (layout.columns - 1)) / layout.columns;
    return layout;
}

// The number at the end of an id such as "page_later_3", when the id starts with prefix.
std::optional<int> number_after(std::string_view id, std::string_view prefix)
{
    if (!id.starts_with(prefix) || id.size() == prefix.size() || id.size() > prefix.size() + 6)
        return std::nullopt;
    int value = 0;
    for (char c : id.substr(prefix.size())) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

bool App::on_pages_widget(std::string const& id)
{
    if (id == "pages_prev" || id == "pages_next") {
        if (auto* document = selected_document()) {
            m_pages_screen.first
                = turned(m_pages_screen.first, pages_page_size(), document->page_count(), id == "pages_next");
        }
    } else if (id == "pages_done") {
        back();
    } else if (auto earlier = number_after(id, "page_earlier_")) {
        move_page(*earlier - 1, -1);
    } else if (auto later = number_after(id, "page_later_")) {
        move_page(*later - 1, +1);
    } else if (auto doomed = number_after(id, "page_delete_")) {
        ask_delete_page(*doomed - 1);
    } else if (id == "confirm_delete_page") {
        delete_page();
    } else {
        return false;
    }
    return true;
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
    int first = first_shown(m_pages_screen.first, per_page, count);
    int pad = c.px(20);
    int button_h = c.px(110);
    int arrow_w = c.px(110);
    for (int i = first; i < std::min(count, first + per_page); ++i) {
        auto const& page = document->pages[static_cast<size_t>(i)];
        std::string n = std::to_string(i + 1);
        Rect card { layout.cards.x + (i - first) * (layout.card_w + gap), layout.cards.y, layout.card_w,
            layout.cards.h };
        bool moved = page.vault_name == m_pages_screen.moved;
        int line = c.px(moved ? 6 : 3);
        c.fill_rounded(card, c.px(12), moved ? theme::blue_france : theme::border);
        c.fill_rounded({ card.x + line, card.y + line, card.w - 2 * line, card.h - 2 * line }, c.px(12) - line,
            moved ? theme::blue_light : theme::white);
        // Low cards: the picture at the left, the arrows over Delete at the right.
        int controls_w = 2 * arrow_w + c.px(12);
        Rect picture = layout.low_cards
            ? Rect { card.x + pad, card.y + pad, card.w - controls_w - 3 * pad, card.h - 2 * pad }
            : Rect { card.x + pad, card.y + pad, card.w - 2 * pad, card.h - button_h - 3 * pad };
        c.image(thumbnail(page.vault_name), picture);
        // The page's place, large: the one thing to read on this screen.
        Rect badge { card.x + c.px(14), card.y + c.px(14), c.px(96), c.px(96) };
        c.fill_rounded(badge, badge.w / 2, theme::blue_france);
        c.text(n, badge, theme::text_title, theme::white, Align::center, true);
        if (layout.low_cards) {
            int x = card.x + card.w - pad - controls_w;
            c.button("page_earlier_" + n, { x, card.y + pad, arrow_w, button_h }, "←", ButtonStyle::secondary, i > 0);
            c.button("page_later_" + n, { x + controls_w - arrow_w, card.y + pad, arrow_w, button_h }, "→",
                ButtonStyle::secondary, i + 1 < count);
            c.button("page_delete_" + n, { x, card.y + card.h - pad - button_h, controls_w, button_h },
                tr("pages.delete"), ButtonStyle::danger);
            continue;
        }
        int y = card.y + card.h - button_h - pad;
        c.button("page_earlier_" + n, { card.x + pad, y, arrow_w, button_h }, "←", ButtonStyle::secondary, i > 0);
        c.button("page_delete_" + n,
            { card.x + pad + arrow_w + c.px(12), y, card.w - 2 * pad - 2 * arrow_w - c.px(24), button_h },
            tr("pages.delete"), ButtonStyle::danger);
        c.button("page_later_" + n, { card.x + card.w - pad - arrow_w, y, arrow_w, button_h }, "→",
            ButtonStyle::secondary, i + 1 < count);
    }

    // Back to the documents at the left, away from the red end of the session right under the row's other end
    // (short of room, beside the cards, where the session bar's red end is not right under it).
    Rect row = layout.bottom;
    Rect left = row;
    if (layout.low_cards) {
        c.action("pages_done", layout.done, Icon::documents, tr("pages.done"), ButtonStyle::primary);
    } else {
        int done_w = c.px(520);
        c.action(
            "pages_done", { row.x, row.y, done_w, row.h }, Icon::documents, tr("pages.done"), ButtonStyle::primary);
        left = { row.x + done_w + gap, row.y, row.w - done_w - gap, row.h };
    }
    if (count > per_page)
        draw_pager("pages", left, first, per_page, count);
    else
        c.text(tr("pages.hint"), left, theme::text_body, theme::text_muted, Align::left, false, true);
}

int App::pages_page_size() const
{
    return m_canvas ? pages_layout(*m_canvas, content_area()).columns : 4;
}

void App::move_page(int index, int by)
{
    auto const* document = selected_document();
    if (!document || !m_store.move_page(m_selected, index, by))
        return;
    int target = index + by;
    int count = document->page_count();
    // The page keeps the eye: outlined, and the screenful follows it when it crosses to the next one.
    m_pages_screen.moved = document->pages[static_cast<size_t>(target)].vault_name;
    m_pages_screen.first = first_shown(target, pages_page_size(), count);
    forget_preview();
}

void App::ask_delete_page(int index)
{
    auto const* document = selected_document();
    if (!document || document->is_pdf() || index < 0 || index >= static_cast<int>(document->pages.size()))
        return;
    m_pages_screen.to_delete = document->pages[static_cast<size_t>(index)].vault_name;
    m_overlay = Overlay::confirm_delete_page;
}

void App::delete_page()
{
    m_overlay = Overlay::none;
    std::string const doomed = std::exchange(m_pages_screen.to_delete, {});
    auto removal = m_store.remove_page(m_selected, doomed);
    if (!removal) {
        show_error(removal.error());
        return;
    }
    if (*removal == core::SessionStore::PageRemoval::last_page) {
        // A document without pages is nothing a person can print or send: deleting its only page deletes
        // it, as the question said, and the tray it belongs to comes back.
        delete_selected_document();
        if (m_screen == Screen::pages)
            back();
        return;
    }
    if (*removal == core::SessionStore::PageRemoval::absent)
        return;
    forget_thumbnail(doomed);
    if (m_pages_screen.moved == doomed)
        m_pages_screen.moved.clear();
    forget_preview();
    if (auto const* document = selected_document())
        m_pages_screen.first = first_shown(m_pages_screen.first, pages_page_size(), document->page_count());
}

} // namespace kiosk::ui
