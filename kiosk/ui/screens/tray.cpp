// The resident's documents ("Mes documents"): a screenful of tiles, the chosen one's actions, their pictures.
#include "kiosk/ui/app.h"

#include "kiosk/documents/pdf_render.h"
#include "kiosk/ui/pictures.h"

#include <algorithm>
#include <vector>

namespace kiosk::ui {

namespace {

// Where the tray's parts go: document tiles in a grid, a row to turn screenfuls under it, actions on the right. In a
// short space (large text) the actions take two columns and the row to turn screenfuls the whole width, under both.
struct TrayLayout {
    Rect list;
    Rect paging;
    Rect actions;
    int tile_w = 0, tile_h = 0, columns = 1, rows = 1;
    int action_columns = 1;
    int per_page() const { return columns * rows; }
};

TrayLayout tray_layout(Canvas const& c, Rect area, bool paging = false)
{
    TrayLayout layout;
    int gap = c.px(24);
    bool compact = area.h < c.px(700) || area.w < c.px(1500);
    // Short of room, the actions' words come first: one column of tiles, and the rest for two columns of actions.
    int actions_w = compact ? area.w - c.px(260) - gap : c.px(520);
    int paging_h = compact ? c.px(theme::min_target) : c.px(120);
    layout.list = { area.x, area.y, area.w - actions_w - gap, area.h - paging_h - gap };
    layout.paging = { area.x, area.y + area.h - paging_h, compact ? area.w : layout.list.w, paging_h };
    layout.actions = { area.x + area.w - actions_w, area.y, actions_w, compact && paging ? layout.list.h : area.h };
    layout.action_columns = compact ? 2 : 1;
    layout.tile_w = compact ? c.px(260) : c.px(300);
    layout.tile_h = compact ? std::min(c.px(420), layout.list.h) : c.px(420);
    layout.columns = std::max(1, (layout.list.w + gap) / (layout.tile_w + gap));
    layout.rows = std::max(1, (layout.list.h + gap) / (layout.tile_h + gap));
    return layout;
}

} // namespace

SDL_Texture* texture_from_image(SDL_Renderer* renderer, documents::Image const& image)
{
    if (!renderer || image.empty())
        return nullptr;
    std::vector<uint8_t> rgb;
    uint8_t const* data = image.pixels.data();
    if (image.channels == 1) {
        rgb.resize(image.pixels.size() * 3);
        for (size_t i = 0; i < image.pixels.size(); ++i)
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = image.pixels[i];
        data = rgb.data();
    }
    SDL_Texture* texture
        = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGB24, SDL_TEXTUREACCESS_STATIC, image.width, image.height);
    if (texture)
        SDL_UpdateTexture(texture, nullptr, data, image.width * 3);
    return texture;
}

bool App::on_tray_widget(std::string const& id)
{
    if (id == "go_tray") {
        navigate(Screen::tray);
    } else if (id.starts_with("doc_")) {
        m_selected = std::atoi(id.c_str() + 4);
    } else if (id == "tray_prev" || id == "tray_next") {
        // Turning a screenful is looking, not choosing: the chosen document stays chosen, named above the actions.
        auto const& tray = m_store.documents();
        m_tray_screen.first
            = turned(m_tray_screen.first, tray_page_size(), static_cast<int>(tray.size()), id == "tray_next");
        // Except one document a screenful (large text), where there is no room to name the chosen one: the one on
        // screen is the one the actions act on.
        if (tray_page_size() == 1 && m_tray_screen.first < static_cast<int>(tray.size()))
            m_selected = tray[static_cast<size_t>(m_tray_screen.first)].number;
    } else if (id == "pages_doc") {
        if (auto* document = selected_document();
            document && document->pdf_vault_name.empty() && !document->pages.empty()) {
            m_pages_screen.first = 0;
            m_pages_screen.moved.clear();
            navigate(Screen::pages);
        }
    } else if (id == "prepare_doc") {
        if (auto* document = selected_document(); document && document->pdf_vault_name.empty()) {
            m_prepare.result.clear();
            navigate(Screen::prepare);
        }
    } else if (id == "print_doc") {
        if (selected_document())
            open_print(m_selected);
    } else if (id == "rename_doc") {
        if (auto* document = selected_document()) {
            m_text_screen.text = document->name;
            m_text_screen.shift = true;
            m_text_screen.digits = false;
            navigate(Screen::rename);
        }
    } else if (id == "delete_doc") {
        if (selected_document())
            m_overlay = Overlay::confirm_delete;
    } else if (id == "confirm_delete") {
        m_overlay = Overlay::none;
        delete_selected_document();
    } else {
        return false;
    }
    return true;
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
        c.action("go_scan", { area.x + area.w / 2 - c.px(400), area.y + c.px(260), c.px(800), c.px(160) }, Icon::copy,
            tr("scan.go"), ButtonStyle::primary);
        return;
    }
    int count = static_cast<int>(tray.size());
    auto layout = tray_layout(c, area);
    int per_page = layout.per_page();
    layout = tray_layout(c, area, count > per_page);
    int first = first_shown(m_tray_screen.first, per_page, count);
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
    int columns = layout.action_columns;
    // Two columns of actions are low: closer together, so that each keeps a full tap target.
    int action_gap = columns == 1 ? c.px(20) : c.px(10);
    int rows = (n + columns - 1) / columns;
    int column_w = (layout.actions.w - action_gap * (columns - 1)) / columns;
    // What the actions act on, by its name: it may be on another screenful than the one shown. Said when there is
    // room for it above actions of full height.
    Rect column = layout.actions;
    int line = c.px(96); // two lines: a name may be 40 characters long
    int room = column.h - line - action_gap / 2 - action_gap * (rows - 1);
    if (selected && (columns == 1 || room >= rows * c.px(theme::min_target))) {
        c.text(tr("tray.chosen", { selected->name }), { column.x, column.y, column.w, line }, theme::text_body,
            theme::blue_france, Align::left, true, true);
        column.y += line + action_gap / 2;
        column.h -= line + action_gap / 2;
    }
    int button_h = std::min(c.px(160), (column.h - action_gap * (rows - 1)) / rows);
    for (int i = 0; i < n; ++i) {
        // In one column Delete stays at the bottom; in two it ends the last row, furthest from Print.
        int row = i / columns;
        int y = columns == 1 && i == n - 1 ? column.y + column.h - button_h : column.y + row * (button_h + action_gap);
        int x = column.x + (i % columns) * (column_w + action_gap);
        c.action(actions[i].id, { x, y, column_w, button_h }, actions[i].icon, actions[i].label, actions[i].style,
            actions[i].enabled);
    }
}

int App::tray_page_size() const
{
    return m_canvas ? tray_layout(*m_canvas, content_area()).per_page() : 4;
}

void App::show_selected_in_tray()
{
    int per_page = tray_page_size();
    auto const& tray = m_store.documents();
    for (size_t i = 0; i < tray.size(); ++i)
        if (tray[i].number == m_selected)
            m_tray_screen.first = static_cast<int>(i) / per_page * per_page;
}

void App::delete_selected_document()
{
    auto const* document = selected_document();
    if (!document)
        return;
    for (auto const& page : document->pages)
        forget_thumbnail(page.vault_name);
    if (document->is_pdf())
        forget_thumbnail(document->pdf_vault_name);
    forget_preview();
    // The journeys that named it forget it: no next step, banner or added page for a document that is gone.
    if (document->number == m_scan.document)
        forget_scan_outcome();
    if (document->number == m_send.document)
        m_send.document = 0;
    if (document->number == m_scan.append_to)
        m_scan.append_to = 0;
    m_store.remove(m_selected);
    auto const& tray = m_store.documents();
    m_selected = tray.empty() ? 0 : tray.back().number;
    show_selected_in_tray();
}

SDL_Texture* App::thumbnail(std::string const& vault_name) const
{
    auto found = m_thumbnails.find(vault_name);
    return found == m_thumbnails.end() ? nullptr : found->second;
}

SDL_Texture* App::thumbnail(TrayDocument const& document) const
{
    if (document.is_pdf())
        return thumbnail(document.pdf_vault_name);
    return document.pages.empty() ? nullptr : thumbnail(document.pages.front().vault_name);
}

void App::keep_thumbnail(std::string const& vault_name, documents::Image const& image)
{
    forget_thumbnail(vault_name);
    if (auto* texture = texture_from_image(m_renderer, image))
        m_thumbnails[vault_name] = texture;
}

void App::forget_thumbnail(std::string const& vault_name)
{
    if (auto found = m_thumbnails.find(vault_name); found != m_thumbnails.end()) {
        SDL_DestroyTexture(found->second);
        m_thumbnails.erase(found);
    }
}

TrayDocument const* App::add_pdf_document(std::string name, std::vector<uint8_t> const& pdf)
{
    // A damaged or locked PDF stays in the tray (the person may still need it) but cannot be printed or sent; one
    // whose author forbade printing can still be sent. Together they are the one verdict on printing that
    // `kiosk print` gives too (documents::inspect_pdf_for_print).
    auto info = documents::inspect_pdf(pdf);
    auto document = m_store.add_pdf(
        std::move(name), pdf, info ? std::optional(info->pages) : std::nullopt, info && info->printable);
    if (!document) {
        show_error(document.error());
        return nullptr;
    }
    // A PDF that forbids printing still shows its first page; a damaged one has no picture.
    if (auto image = documents::render_pdf_page(pdf, 0, thumbnail_width, thumbnail_height))
        keep_thumbnail((*document)->pdf_vault_name, *image);
    m_selected = (*document)->number;
    return *document;
}

} // namespace kiosk::ui
