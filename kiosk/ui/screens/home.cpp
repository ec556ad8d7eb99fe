// Home and what it leads to: four large actions first (send a document, print a form, scan or copy, go to a site),
// then the resident's documents and the life events one level down; the organisations to visit or to send to.
#include "kiosk/ui/app.h"

#include <algorithm>

namespace kiosk::ui {

namespace {

// The smallest tile that still holds a name and its line under it (design pixels).
constexpr int tile_min_w = 440; // four life events in a row at the usual size
constexpr int tile_min_h = 120;
constexpr int pager_h = 120;

// How tiles share a box: up to `columns` per row as long as each stays tile_min_w wide, as many rows as fit tiles
// tile_min_h high; when they do not all fit (large text), the last row of the box turns pages.
struct TileLayout {
    int columns = 1;
    int per_page = 1;
    bool paged = false;
    Rect tiles;
    Rect pager;
};

TileLayout tile_layout(Canvas const& c, Rect box, int count, int columns)
{
    int gap = c.px(24);
    TileLayout layout;
    layout.columns = std::clamp((box.w + gap) / (c.px(tile_min_w) + gap), 1, columns);
    auto rows_in = [&](int height) { return std::max(1, (height + gap) / (c.px(tile_min_h) + gap)); };
    layout.tiles = box;
    layout.per_page = layout.columns * rows_in(box.h);
    if (count > layout.per_page) {
        layout.paged = true;
        layout.tiles.h = box.h - c.px(pager_h) - gap;
        layout.per_page = layout.columns * rows_in(layout.tiles.h);
        layout.pager = { box.x, box.y + box.h - c.px(pager_h), box.w, c.px(pager_h) };
    }
    return layout;
}

// Tiles in rows filling the layout's box, the last row left-aligned: those of the page that starts at `first`.
template<typename Draw>
void tile_grid(Canvas const& c, TileLayout const& layout, int first, int count, Draw const& draw_tile)
{
    int gap = c.px(24);
    int shown = std::min(count - first, layout.per_page);
    int columns = layout.columns;
    int rows = layout.paged ? layout.per_page / columns : std::max(1, (shown + columns - 1) / columns);
    Rect box = layout.tiles;
    int tile_w = (box.w - gap * (columns - 1)) / columns;
    int tile_h = std::min(c.px(260), (box.h - gap * (rows - 1)) / rows);
    for (int i = 0; i < shown; ++i) {
        int col = i % columns;
        int row = i / columns;
        draw_tile(static_cast<size_t>(first + i),
            Rect { box.x + col * (tile_w + gap), box.y + row * (tile_h + gap), tile_w, tile_h });
    }
}

// The organisations, not the services of the brief (e-mail, simulator...), which are reached through life events.
std::vector<core::Partner const*> organisations(core::Catalogue const& catalogue)
{
    std::vector<core::Partner const*> partners;
    for (auto const& partner : catalogue.partners)
        if (partner.on_home)
            partners.push_back(&partner);
    return partners;
}

} // namespace

void App::draw_home()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("home.title"));
    Rect area = content_area();
    int gap = c.px(24);
    // The four things people come for, each a picture and a verb, as large as the screen allows.
    int second_h = c.px(150);
    // Four in a row, or two by two where four would be narrower than a tile (large text).
    int columns = area.w >= 4 * c.px(tile_min_w - 60) + 3 * gap ? 4 : 2;
    if (columns == 2)
        second_h = c.px(theme::min_target + 20);
    int task_h = (area.h - second_h - gap) / (4 / columns) - (columns == 2 ? gap / 2 : 0);
    int task_w = (area.w - (columns - 1) * gap) / columns;
    struct Task {
        char const* id;
        Icon icon;
        std::string label;
        std::string detail;
        bool enabled;
    };
    Task const tasks[] = {
        { "task_send", Icon::send, tr("home.send"), tr("home.send_detail"), true },
        { "go_forms", Icon::form, tr("home.forms"), tr("home.forms_detail"), !m_forms.empty() },
        { "go_scan", Icon::copy, tr("home.scan"), tr("home.scan_detail"), true },
        { "go_sites", Icon::site, tr("home.sites"), tr("home.sites_detail"), true },
    };
    // Each verb with its examples under it, where the tile is high enough for both at full size; in large text on a
    // short screen the verb alone, as large as ever (the examples are one tap further, on the next screen).
    bool details = columns == 4 || task_h >= c.px(220);
    for (int i = 0; i < 4; ++i)
        c.action(tasks[i].id,
            { area.x + (i % columns) * (task_w + gap), area.y + (i / columns) * (task_h + gap), task_w, task_h },
            tasks[i].icon, tasks[i].label, ButtonStyle::tile, tasks[i].enabled, details ? tasks[i].detail : "");
    // One level down: the resident's documents, and help by life event for those who do not know where to start.
    int half = (area.w - gap) / 2;
    int y = area.y + (4 / columns) * (task_h + gap);
    c.action("go_tray", { area.x, y, half, second_h }, Icon::documents,
        tr("home.documents", { std::to_string(m_store.documents().size()) }), ButtonStyle::secondary);
    c.action("go_events", { area.x + half + gap, y, half, second_h }, Icon::situation, tr("home.by_event"),
        ButtonStyle::secondary);
}

template<typename Draw>
void App::draw_tiles(Rect box, int count, int columns, Draw const& draw_tile)
{
    auto layout = tile_layout(*m_canvas, box, count, columns);
    // What the row turns is remembered as drawn, so a tap on it turns the page the resident saw.
    m_tiles.per_page = layout.per_page;
    m_tiles.first = first_shown(m_tiles.first, layout.per_page, count);
    tile_grid(*m_canvas, layout, m_tiles.first, count, draw_tile);
    if (layout.paged)
        draw_pager("tiles", layout.pager, m_tiles.first, layout.per_page, count);
}

void App::draw_sites()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("sites.title"));
    Rect area = content_area();
    auto on_home = organisations(m_catalogue);
    draw_tiles(area, static_cast<int>(on_home.size()), 3, [&](size_t i, Rect rect) {
        auto const& partner = *on_home[i];
        c.button("partner_" + partner.slug, rect, partner.name, ButtonStyle::tile, true,
            core::localized(partner.full_name, m_language));
    });
}

void App::draw_events()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("home.by_event"));
    Rect area = content_area();
    draw_tiles(area, static_cast<int>(m_catalogue.events.size()), 4, [&](size_t i, Rect rect) {
        auto const& event = m_catalogue.events[i];
        c.button("event_" + event.slug, rect, core::localized(event.title, m_language), ButtonStyle::tile);
    });
}

void App::draw_send()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("send.title"));
    Rect area = content_area();
    int hint_h = c.px(90);
    TrayDocument const* document = find_document(m_send.document);
    // Said before the choice: what happens next, so the resident knows no question about formats will come.
    c.text(document ? tr("send.hint_document", { document->name }) : tr("send.hint"),
        { area.x, area.y, area.w, hint_h }, theme::text_body, theme::text, Align::left, false, true);
    auto partners = organisations(m_catalogue);
    draw_tiles({ area.x, area.y + hint_h + c.px(16), area.w, area.h - hint_h - c.px(16) },
        static_cast<int>(partners.size()), 3, [&](size_t i, Rect rect) {
            auto const& partner = *partners[i];
            c.button("send_" + partner.slug, rect, partner.name, ButtonStyle::tile, true,
                core::localized(partner.full_name, m_language));
        });
}

bool App::on_home_widget(std::string const& id)
{
    if (id == "tiles_prev" || id == "tiles_next") {
        int count = m_screen == Screen::events ? static_cast<int>(m_catalogue.events.size())
                                               : static_cast<int>(organisations(m_catalogue).size());
        m_tiles.first = turned(m_tiles.first, m_tiles.per_page, count, id == "tiles_next");
    } else if (id == "go_sites") {
        // A list starts on its first page; Back to it returns to the page the resident left.
        m_tiles.first = 0;
        navigate(Screen::sites);
    } else if (id == "go_events") {
        m_tiles.first = 0;
        navigate(Screen::events);
    } else if (id == "task_send") {
        m_tiles.first = 0;
        m_send.partner.clear();
        m_send.document = 0;
        navigate(Screen::send);
    } else if (id.starts_with("send_") && m_catalogue.partner(id.substr(5))) {
        m_send.partner = id.substr(5);
        if (find_document(m_send.document)) {
            // The document was chosen first (after a scan): straight to the site.
            send_document(m_send.document);
        } else {
            fresh_scan();
            navigate(Screen::scan);
        }
    } else {
        return false;
    }
    return true;
}

void App::send_document(int number)
{
    auto const* document = find_document(number);
    if (!document || !m_catalogue.partner(m_send.partner))
        return;
    m_selected = number;
    m_send.document = number;
    m_current_partner = m_send.partner;
    m_audit.record("send_journey", { { "pages", static_cast<int64_t>(document->page_count()) } });
    open_partner_site();
}

void App::forget_journeys()
{
    fresh_scan();
    m_scan.copy_mode = false;
    m_send.partner.clear();
    m_send.document = 0;
}

} // namespace kiosk::ui
