// The forms the kiosk can print: by organisation or life event, a screenful at a time, the missing ones greyed.
#include "kiosk/ui/app.h"

#include "kiosk/documents/form_pdf.h"

#include <algorithm>

namespace kiosk::ui {

namespace {

// Where the tiles go under the hint, and how many columns of them.
struct FormsTiles {
    int top = 0; // from the content's top
    int hint_h = 0;
    int h = 0; // one tile
    int columns = 2;
};

FormsTiles forms_tiles(Canvas& c, Rect area, std::string const& hint)
{
    if (area.h >= c.px(700) && area.w >= c.px(1500))
        return { c.px(70), c.px(60), c.px(170), 2 };
    // Large text: the hint as high as its lines, lower tiles (still well above a finger's size), one column when two
    // would be too narrow for the titles.
    int hint_h = c.wrapped_height(hint, theme::text_body, false, area.w);
    return { hint_h + c.px(10), hint_h, c.px(150), area.w >= c.px(1100) ? 2 : 1 };
}

} // namespace

bool App::on_forms_widget(std::string const& id)
{
    if (id == "go_forms") {
        open_forms(m_screen == Screen::partner ? m_current_partner : std::string(),
            m_screen == Screen::event ? m_current_event : std::string());
    } else if (id == "forms_prev" || id == "forms_next") {
        m_forms_screen.first = turned(
            m_forms_screen.first, forms_page_size(), static_cast<int>(listed_forms().size()), id == "forms_next");
    } else if (id.starts_with("form_")) {
        take_form(id.substr(5));
    } else {
        return false;
    }
    return true;
}

int App::forms_page_size() const
{
    // Two columns of tiles under the hint, above the row that turns screenfuls.
    if (!m_canvas)
        return 6;
    auto& c = *m_canvas;
    auto tiles = forms_tiles(c, content_area(), tr("forms.hint"));
    int rows = std::max(1, (content_area().h - tiles.top - c.px(120) - c.px(24)) / (tiles.h + c.px(16)));
    return tiles.columns * rows;
}

void App::draw_forms()
{
    auto& c = *m_canvas;
    auto const* partner = m_catalogue.partner(m_forms_screen.partner);
    auto const* event = m_catalogue.event(m_forms_screen.event);
    draw_top_bar(partner ? tr("forms.title_for", { partner->name })
            : event      ? tr("forms.title_for", { core::localized(event->title, m_language) })
                         : tr("forms.title"));
    Rect area = content_area();
    auto tiles = forms_tiles(c, content_area(), tr("forms.hint"));
    c.text(tr("forms.hint"), { area.x, area.y, area.w, tiles.hint_h }, theme::text_body, theme::text, Align::left,
        false, true);
    auto listed = listed_forms();
    int count = static_cast<int>(listed.size());
    int per_page = forms_page_size();
    int first = first_shown(m_forms_screen.first, per_page, count);
    int gap = c.px(24);
    int w = (area.w - gap * (tiles.columns - 1)) / tiles.columns;
    int h = tiles.h;
    for (int i = first; i < std::min(count, first + per_page); ++i) {
        size_t index = listed[static_cast<size_t>(i)];
        auto const& form = m_forms[index];
        int col = (i - first) % tiles.columns;
        int row = (i - first) / tiles.columns;
        Rect tile { area.x + col * (w + gap), area.y + tiles.top + row * (h + c.px(16)), w, h };
        bool available = index < m_forms_screen.available.size() ? m_forms_screen.available[index] : true;
        // The number is what an agent or the organisation asks for; a form that is not on this kiosk says so, and
        // where to get it, before the tap.
        std::string detail = available ? form.number : tr("forms.not_here");
        c.action("form_" + form.slug, tile, Icon::form,
            core::localized(form.short_title.empty() ? form.title : form.short_title, m_language), ButtonStyle::tile,
            available, detail);
    }
    if (count > per_page)
        draw_pager("forms", { area.x, area.y + area.h - c.px(120), area.w, c.px(120) }, first, per_page, count);
}

void App::open_forms(std::string partner, std::string event)
{
    m_forms_screen.partner = std::move(partner);
    m_forms_screen.event = std::move(event);
    m_forms_screen.first = 0;
    check_forms(); // a file added or removed since start-up (a configuration update) shows as it is now
    navigate(Screen::forms);
}

std::vector<size_t> App::forms_for(std::string const& partner, std::string const& event) const
{
    std::vector<size_t> listed;
    for (size_t i = 0; i < m_forms.size(); ++i) {
        auto const& form = m_forms[i];
        bool wanted = (partner.empty() || std::ranges::find(form.partners, partner) != form.partners.end())
            && (event.empty() || std::ranges::find(form.events, event) != form.events.end());
        if (wanted)
            listed.push_back(i);
    }
    return listed;
}

std::vector<size_t> App::listed_forms() const
{
    return forms_for(m_forms_screen.partner, m_forms_screen.event);
}

int App::available_forms(std::string const& partner, std::string const& event) const
{
    int count = 0;
    for (size_t index : forms_for(partner, event))
        count += index >= m_forms_screen.available.size() || m_forms_screen.available[index];
    return count;
}

void App::check_forms()
{
    m_forms_screen.available.clear();
    for (auto const& form : m_forms)
        m_forms_screen.available.push_back(documents::form_available(form));
}

void App::take_form(std::string const& slug)
{
    auto form = std::find_if(m_forms.begin(), m_forms.end(), [&](core::Form const& f) { return f.slug == slug; });
    if (form == m_forms.end() || !m_store.open())
        return;
    auto pdf = documents::form_pdf(*form);
    if (!pdf && form->file) {
        // An official file missing or damaged since the list opened: the resident is told in plain words where to
        // get it. The audit line says what went wrong, not which form (that would tell what the resident wanted).
        m_audit.record("form_unavailable", { { "code", to_string(pdf.error().code) } });
        show_message("message.problem", tr("forms.unavailable"));
        return;
    }
    if (!pdf) {
        show_error(pdf.error());
        return;
    }
    if (!add_pdf_document(
            core::localized(form->short_title.empty() ? form->title : form->short_title, m_language), *pdf))
        return;
    m_usage.count_form(form->slug);
    if (m_config.audit.per_session_detail)
        m_audit.record("form", { { "form", std::string_view(form->slug) } });
    open_print(m_selected);
}

} // namespace kiosk::ui
