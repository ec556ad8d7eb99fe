// The assisted session an agent opens: more time and pages, and reading an identity document to watermark a copy.
#include "kiosk/ui/app.h"

#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/scanned_page.h"
#include "kiosk/documents/watermark.h"
#include "kiosk/ui/pictures.h"

#include <algorithm>
#include <cstdio>

namespace kiosk::ui {

bool App::on_assisted_widget(std::string const& id)
{
    if (id == "extend_15") {
        m_session.extend(std::chrono::minutes(15));
    } else if (id == "quota_up") {
        if (m_session.state() == core::SessionState::assisted) {
            m_store.add_quota(20);
            m_audit.record("quota_raised", { { "pages", int64_t(20) } });
        }
    } else if (id == "lock") {
        if (m_session.leave_assisted()) {
            m_assisted.agent.clear();
            navigate(Screen::home);
        } else {
            back();
        }
    } else if (id == "id_capture") {
        if (m_session.state() == core::SessionState::assisted) {
            m_assisted.purposes_first = 0;
            navigate(Screen::id_capture);
        }
    } else if (id == "purposes_more") {
        m_assisted.purposes_first += m_purposes_per_page;
    } else if (id.starts_with("purpose_")) {
        watermark_selected(id.substr(8));
    } else if (id == "type_mrz") {
        if (m_session.state() == core::SessionState::assisted) {
            m_text_screen.entering_mrz = true;
            m_text_screen.digits = false;
            m_text_screen.text.clear();
            navigate(Screen::rename);
        }
    } else {
        return false;
    }
    return true;
}

void App::draw_assisted()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("assisted.title"));
    Rect area = content_area();
    std::string what = tr("assisted.what",
        { std::to_string(m_session.session_seconds_left() / 60), std::to_string(m_store.pages_left()) });
    bool short_screen = area.h < c.px(600);
    // Who is helping: in large text the band over the session bar says it already, and its room goes to the buttons.
    int heading_h = short_screen && notice_band() > 0 ? 0 : c.px(100);
    if (heading_h > 0)
        c.text(tr("assisted.by", { m_assisted.agent }), { area.x, area.y, area.w, c.px(90) }, theme::text_title,
            theme::blue_france, Align::left, true);
    // Large text: the words take the lines they need, and the buttons the rest.
    int what_h = short_screen ? c.wrapped_height(what, theme::text_body, false, area.w) : c.px(120);
    c.text(
        what, { area.x, area.y + heading_h, area.w, what_h }, theme::text_body, theme::text, Align::left, false, true);
    // The agent's actions two by two, each with its pictogram; handing back at the bottom, apart. The rows share the
    // height left, so that none runs into "Rendre la main" on a short screen.
    int gap = c.px(24);
    int top = area.y + c.px(240);
    if (short_screen) {
        top = area.y + heading_h + what_h + c.px(16);
        // Large text: the agent's three actions in a row, the documents and handing back below them.
        int row_h = (area.y + area.h - top - gap) / 2;
        int w = (area.w - 2 * gap) / 3;
        int second = top + row_h + gap;
        c.action("extend_15", { area.x, top, w, row_h }, Icon::time, tr("assisted.extend"), ButtonStyle::secondary);
        c.action(
            "quota_up", { area.x + w + gap, top, w, row_h }, Icon::print, tr("assisted.quota"), ButtonStyle::secondary);
        c.action("id_capture", { area.x + 2 * (w + gap), top, w, row_h }, Icon::identity, tr("assisted.id_capture"),
            ButtonStyle::secondary);
        int half = (area.w - gap) / 2;
        c.action("go_tray", { area.x, second, half, row_h }, Icon::documents,
            tr("home.documents", { std::to_string(m_store.documents().size()) }), ButtonStyle::secondary);
        c.action("lock", { area.x + half + gap, second, half, row_h }, Icon::lock, tr("assisted.lock"),
            ButtonStyle::primary);
        return;
    }
    int lock_h = c.px(150);
    Rect lock { area.x, area.y + area.h - lock_h, area.w, lock_h };
    int row_h = std::min(c.px(150), (lock.y - gap - top - gap) / 2);
    int w = (area.w - gap) / 2;
    c.action("extend_15", { area.x, top, w, row_h }, Icon::time, tr("assisted.extend"), ButtonStyle::secondary);
    c.action(
        "quota_up", { area.x + w + gap, top, w, row_h }, Icon::print, tr("assisted.quota"), ButtonStyle::secondary);
    c.action("id_capture", { area.x, top + row_h + gap, w, row_h }, Icon::identity, tr("assisted.id_capture"),
        ButtonStyle::secondary);
    c.action("go_tray", { area.x + w + gap, top + row_h + gap, w, row_h }, Icon::documents,
        tr("home.documents", { std::to_string(m_store.documents().size()) }), ButtonStyle::secondary);
    c.action("lock", lock, Icon::lock, tr("assisted.lock"), ButtonStyle::primary);
}

void App::draw_id_capture()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("id_capture.title"));
    Rect area = content_area();
    // Large text: the purposes' buttons need the wider part for their names; the reading keeps the rest.
    bool short_screen = area.h < c.px(600);
    int side_w = short_screen ? area.w * 2 / 3 - c.px(20) : area.w / 2 - c.px(20);
    int left_w = area.w - side_w - c.px(40);
    int y = area.y;
    int type_h = short_screen ? c.px(110) : c.px(140);
    Rect type_button { area.x, area.y + area.h - type_h, left_w, type_h };
    // Lines stop above the button rather than run under it; the most important come first.
    auto line = [&](std::string const& text, Color color, bool bold = false, int size = theme::text_body) {
        if (y >= type_button.y - c.px(40))
            return;
        // Large text: the verdict at body size, the rest at the small size (still half as large again as at normal
        // size), so that the name, the number and what is wrong still have room on this agent's screen.
        if (short_screen)
            size = size >= theme::text_title ? theme::text_body : theme::text_small;
        y += c.text(text, { area.x, y, left_w, 0 }, size, color, Align::left, bold, true) + c.px(short_screen ? 8 : 14);
    };
    c.button("type_mrz", type_button, tr("id_capture.type"), ButtonStyle::secondary);
    if (!m_assisted.id_document) {
        line(tr("id_capture.swipe"), theme::text, true, theme::text_title);
    } else {
        auto const& d = *m_assisted.id_document;
        line(d.valid ? tr("id_capture.valid") : tr("id_capture.invalid"),
            d.valid ? theme::green_success : theme::red_marianne, true, theme::text_title);
        // The name as the MRZ writes it, never completed: a holder without a surname is shown so, in the resident's
        // language and the agent's (the kiosk's configured one) when they differ.
        std::string name = d.surname;
        if (d.surname.empty() && !d.given_names.empty()) {
            name = tr("id_capture.no_surname");
            if (m_language != m_config.language)
                name += " / " + m_translations.text(m_config.language, "id_capture.no_surname");
        }
        if (!d.given_names.empty())
            name += (name.empty() ? "" : " ") + d.given_names;
        line(name, theme::text, true);
        // Beside the name when nothing is wrong; after what the agent must check first when something is.
        if (d.errors.empty())
            line(tr("id_capture.no_accents"), theme::text_muted, false, theme::text_small);
        line(tr("id_capture.kind." + std::string(drivers::mrz::to_string(d.kind))) + " · "
                + tr("id_capture.number", { d.document_number }),
            theme::text);
        // In the agent's words: the field and what is wrong with it. The kiosk never picks a reading of a number
        // whose check digit fails; it lists the look-alike readings for the agent to compare with the card.
        auto field = [&](std::string name) {
            if (name.ends_with("_check"))
                name.resize(name.size() - 6);
            return m_translations.has(m_language, "id_capture.field." + name) ? tr("id_capture.field." + name) : name;
        };
        // The overall check fails with any field it covers: said only when it is the only one that fails.
        bool only_composite
            = std::ranges::all_of(d.errors, [](auto const& error) { return error.field.starts_with("composite"); });
        int shown = 0;
        for (auto const& error : d.errors) {
            if (shown == 3 || (error.field.starts_with("composite") && !only_composite))
                continue;
            bool check_digit = error.message.starts_with("check digit");
            bool empty = error.message.starts_with("empty");
            line("• "
                    + tr(check_digit ? "id_capture.check_failed"
                            : empty  ? "id_capture.empty"
                                     : "id_capture.malformed",
                        { field(error.field) }),
                theme::red_marianne);
            ++shown;
        }
        for (size_t first = 0; first < d.suggestions.size();) {
            auto const& field_name = d.suggestions[first].field;
            std::string readings;
            size_t next = first;
            for (; next < d.suggestions.size() && d.suggestions[next].field == field_name; ++next)
                readings += (readings.empty() ? "" : "   ") + d.suggestions[next].reading;
            line(tr("id_capture.suggestions", { field(field_name) }), theme::text, true);
            line(readings, theme::text, true, theme::text_title);
            first = next;
        }
        if (!d.valid && d.suggestions.empty() && std::ranges::any_of(d.errors, [](auto const& error) {
                return error.message.starts_with("check digit");
            }))
            line(tr("id_capture.no_reading"), theme::text);
        if (!d.errors.empty())
            line(tr("id_capture.no_accents"), theme::text_muted, false, theme::text_small);
        auto format_date = [](std::chrono::year_month_day date) {
            char text[16];
            std::snprintf(
                text, sizeof text, "%02u/%02u/%04d", unsigned(date.day()), unsigned(date.month()), int(date.year()));
            return std::string(text);
        };
        auto now = today();
        if (d.expiry_date) {
            bool expired = *d.expiry_date < now;
            line(tr(expired ? "id_capture.expired" : "id_capture.expires", { format_date(*d.expiry_date) }),
                expired ? theme::red_marianne : theme::text, expired);
        } else if (d.derived_expiry) {
            auto month = d.derived_expiry->month;
            char text[16];
            std::snprintf(text, sizeof text, "%02u/%04d", unsigned(month.month()), int(month.year()));
            bool expired = month < std::chrono::year_month(now.year(), now.month());
            line(tr(expired ? "id_capture.expired_month" : "id_capture.expires_month", { text }),
                expired ? theme::red_marianne : theme::text, expired);
            if (d.derived_expiry->uncertain)
                line(tr("id_capture.uncertain"), theme::text_muted);
        }
        // A refugee's or a stateless person's status in words.
        if (d.nationality) {
            auto nationality = *d.nationality;
            if (d.nationality_status)
                nationality += " — "
                    + tr(
                        "id_capture.nationality_status." + std::string(drivers::mrz::to_string(*d.nationality_status)));
            line(tr("id_capture.nationality", { nationality }), theme::text);
        }
        if (d.long_number_check)
            line(tr(*d.long_number_check == drivers::mrz::LongNumberCheck::icao ? "id_capture.long_number_icao"
                                                                                : "id_capture.long_number_filler"),
                theme::text_muted);
        for (auto const& correction : d.corrections)
            line(tr("id_capture.corrected", { field(correction.field), correction.from, correction.to }),
                theme::text_muted);
    }
    // Right: the copy to mark, and the purposes to mark it with.
    Rect side { area.x + area.w - side_w, area.y, side_w, area.h };
    auto* document = selected_document();
    if (!document) {
        c.text(tr("id_capture.scan_first"), { side.x, side.y, side.w, c.px(120) }, theme::text_body, theme::text,
            Align::left, false, true);
        c.action("go_scan", { side.x, side.y + c.px(140), side.w, c.px(150) }, Icon::copy, tr("scan.go"),
            ButtonStyle::primary);
        return;
    }
    // With no room under the buttons (large text), what was done takes the place of the question.
    if (short_screen && !m_assisted.watermark_result.empty())
        c.text(m_assisted.watermark_result, { side.x, side.y, side.w, c.px(70) }, theme::text_body,
            theme::green_success, Align::left, true, true);
    else
        c.text(tr("id_capture.watermark_for", { document->name }), { side.x, side.y, side.w, c.px(70) },
            theme::text_body, theme::text, Align::left, true);
    int gap = c.px(14);
    int columns = 3;
    int w = (side.w - gap * (columns - 1)) / columns;
    std::vector<core::Partner const*> organisations;
    for (auto const& partner : m_catalogue.partners)
        if (partner.on_home)
            organisations.push_back(&partner);
    int count = static_cast<int>(organisations.size());
    int rows = (count + columns - 1) / columns;
    // Where the rows do not all fit at a full tap target (large text with the agent's band), the last place turns to
    // the other organisations, and from the last of them back to the first.
    int rows_fit = std::max(1, (side.h - c.px(80) + gap) / (c.px(theme::min_target) + gap));
    int per_page = count;
    if (short_screen && rows > rows_fit) {
        rows = rows_fit;
        per_page = std::max(1, rows * columns - 1);
    }
    m_purposes_per_page = per_page;
    if (m_assisted.purposes_first >= count)
        m_assisted.purposes_first = 0;
    // All on one screenful again (large text turned off): from the first, whatever was turned to before.
    int first = per_page < count ? m_assisted.purposes_first : 0;
    int h = short_screen ? std::max(c.px(theme::min_target), (side.h - c.px(80)) / std::max(rows, 1) - gap) : c.px(100);
    auto cell = [&](int k) {
        return Rect { side.x + (k % columns) * (w + gap), side.y + c.px(80) + (k / columns) * (h + gap), w, h };
    };
    int shown = std::min(per_page, count - first);
    for (int k = 0; k < shown; ++k) {
        auto const& partner = *organisations[static_cast<size_t>(first + k)];
        c.button("purpose_" + partner.slug, cell(k), partner.name, ButtonStyle::secondary);
    }
    if (per_page < count)
        c.action("purposes_more", cell(shown), Icon::more, tr("id_capture.more_purposes"), ButtonStyle::secondary);
    if (!short_screen && !m_assisted.watermark_result.empty())
        c.text(m_assisted.watermark_result, { side.x, side.y + side.h - c.px(120), side.w, c.px(120) },
            theme::text_body, theme::green_success, Align::left, true, true);
}

std::chrono::year_month_day App::today() const
{
    return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(m_clock.wall_now()));
}

void App::watermark_selected(std::string const& partner_slug)
{
    auto* document = selected_document();
    auto const* partner = m_catalogue.partner(partner_slug);
    if (!document || !partner || !m_store.open() || m_session.state() != core::SessionState::assisted
        || document->pages.empty() || !m_canvas)
        return;
    auto date = today();
    char date_text[16];
    std::snprintf(
        date_text, sizeof date_text, "%02u/%02u/%04d", unsigned(date.day()), unsigned(date.month()), int(date.year()));
    std::string text = tr("watermark.text", { partner->name, date_text });
    for (auto const& page : document->pages) {
        auto jpeg = m_store.read(page.vault_name);
        if (!jpeg) {
            show_error(jpeg.error());
            return;
        }
        auto image = documents::decode_jpeg(*jpeg);
        if (!image) {
            show_error(image.error());
            return;
        }
        // Text height: 1/40 of the page's width, so the mark reads at any resolution.
        auto mask = m_canvas->render_mask(text, std::max(12, image->width / 40));
        documents::apply_watermark(*image, mask, -30, mask.height * 5, mask.height * 3, 0.35, 0x00, 0x00, 0x91);
        auto encoded = documents::encode_jpeg(*image, documents::scan_jpeg_quality);
        if (!encoded) {
            show_error(encoded.error());
            return;
        }
        if (auto written = m_store.rewrite_page(page.vault_name, *encoded); !written) {
            show_error(written.error());
            return;
        }
        keep_thumbnail(page.vault_name, documents::downscale(*image, thumbnail_width, thumbnail_height));
    }
    m_audit.record("watermark",
        { { "partner", std::string_view(partner->slug) }, { "pages", static_cast<int64_t>(document->pages.size()) } });
    m_assisted.watermark_result = tr("id_capture.watermarked", { partner->name });
}

} // namespace kiosk::ui
