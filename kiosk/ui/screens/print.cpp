// Printing: copies, grey or colour, one or two sides, a preview; the job followed to its end and charged then.
#include "kiosk/ui/app.h"

#include "kiosk/documents/pdf.h"
#include "kiosk/documents/pdf_render.h"
#include "kiosk/ui/pictures.h"

#include <algorithm>

namespace kiosk::ui {

bool App::on_print_widget(std::string const& id)
{
    if (id == "preview_prev") {
        m_print.preview_page = std::max(0, m_print.preview_page - 1);
    } else if (id == "preview_next") {
        if (auto* document = selected_document())
            m_print.preview_page = std::min(document->page_count() - 1, m_print.preview_page + 1);
    } else if (id == "copies_minus") {
        m_print.copies = std::max(1, m_print.copies - 1);
    } else if (id == "copies_plus") {
        m_print.copies = std::min(9, m_print.copies + 1);
    } else if (id == "print_color") {
        m_print.gray = false;
    } else if (id == "print_gray") {
        m_print.gray = true;
    } else if (id == "duplex_on") {
        m_print.duplex = true;
    } else if (id == "duplex_off") {
        m_print.duplex = false;
    } else if (id == "print_start") {
        start_print();
    } else {
        return false;
    }
    return true;
}

void App::draw_print()
{
    auto& c = *m_canvas;
    draw_top_bar(tr("print.title"));
    Rect area = content_area();
    auto* document = selected_document();
    if (!document)
        return;
    int gap = c.px(24);
    bool reminder = m_scan.glass_reminder && document->number == m_scan.document;
    bool duplex_choice = m_looks.printer_status && m_looks.printer_status->duplex && document->page_count() > 1;
    // In a short space (large text, or a photocopy's reminder over three rows of choices on 1920×1080) the choices
    // keep the left and the rows take the smallest tap target; the count of pages and Print go under the preview.
    // (The normal column may reach into the margin under the content area, never into the session bar.)
    int column_h = 100 + (reminder ? 50 : 0) + (duplex_choice ? 3 : 2) * 144 + 90 + 170 - theme::margin / 2;
    bool compact = area.h < c.px(std::max(700, column_h)) || area.w < c.px(1500);
    int row_h = compact ? c.px(theme::min_target) : c.px(120);
    int row_gap = compact ? c.px(10) : gap;
    int left_w = area.w * 3 / 5;
    int y = area.y;
    // Short of room, the reminder takes two lines and the document's name only the room the choices leave.
    int choices_h = (duplex_choice ? 3 : 2) * (row_h + row_gap);
    int reminder_h = compact ? c.px(110) : c.px(50);
    bool title = !compact || choices_h + (reminder ? reminder_h : 0) + c.px(80) <= area.h;
    if (title) {
        c.text(document->name + " — " + tr_count("tray.pages", document->page_count()), { area.x, y, left_w, c.px(70) },
            theme::text_title, theme::text, Align::left, true);
        y += compact ? c.px(80) : c.px(100);
    }
    if (reminder) {
        // A photocopy from the glass: the original is still under the lid, where people most often forget it.
        int up = compact ? 0 : c.px(20);
        int text_h = compact ? reminder_h - c.px(10) : c.px(60);
        c.icon(Icon::warning, { area.x, y - up, c.px(60), text_h }, c.px(40), theme::warning);
        c.text(tr("scan.take_back"), { area.x + c.px(70), y - up, left_w - c.px(70), text_h }, theme::text_body,
            theme::warning, Align::left, true, compact);
        y += reminder_h;
    }

    // Copies: the word, then −, the number and +, in a row as wide as the choices under it.
    int step_w = compact ? c.px(110) : c.px(130);
    int count_w = compact ? c.px(100) : c.px(120);
    int inner = c.px(10);
    int label_w = compact ? left_w - 2 * step_w - count_w - 3 * inner : c.px(360);
    // (In design pixels at normal sizes, as it always was: positions added after scaling round differently.)
    int minus_x = compact ? area.x + label_w + inner : area.x + c.px(380);
    int count_x = compact ? minus_x + step_w + inner : area.x + c.px(520);
    int plus_x = compact ? count_x + count_w + inner : area.x + c.px(650);
    c.text(tr("print.copies"), { area.x, y, label_w, row_h }, theme::text_body, theme::text, Align::left, true);
    c.button("copies_minus", { minus_x, y, step_w, row_h }, "−", ButtonStyle::secondary, m_print.copies > 1);
    c.text(std::to_string(m_print.copies), { count_x, y, count_w, row_h }, theme::text_title, theme::text,
        Align::center, true);
    c.button("copies_plus", { plus_x, y, step_w, row_h }, "+", ButtonStyle::secondary, m_print.copies < 9);
    y += row_h + row_gap;

    auto const& status = m_looks.printer_status;
    int option_w = (left_w - gap) / 2;
    bool color = status && status->color;
    c.button("print_color", { area.x, y, option_w, row_h }, tr("print.color"),
        m_print.gray ? ButtonStyle::secondary : ButtonStyle::selected, color);
    c.button("print_gray", { area.x + option_w + gap, y, option_w, row_h }, tr("print.gray"),
        m_print.gray || !color ? ButtonStyle::selected : ButtonStyle::secondary);
    y += row_h + row_gap;
    if (duplex_choice) {
        c.button("duplex_off", { area.x, y, option_w, row_h }, tr("print.one_side"),
            m_print.duplex ? ButtonStyle::secondary : ButtonStyle::selected);
        c.button("duplex_on", { area.x + option_w + gap, y, option_w, row_h }, tr("print.two_sides"),
            m_print.duplex ? ButtonStyle::selected : ButtonStyle::secondary);
        y += row_h + row_gap;
    }
    Rect side { area.x + left_w + gap * 2, area.y, area.w - left_w - gap * 2, area.h };
    int pages = document->page_count() * m_print.copies;
    std::string summary = tr("print.summary", { std::to_string(pages), std::to_string(m_store.pages_left()) });
    Color summary_color = pages > m_store.pages_left() ? theme::red_marianne : theme::text;
    // What the printer says, or how the last print went.
    std::string said;
    Color said_color = theme::green_success;
    if (status && !status->conditions.empty()) {
        said = tr("printer.condition." + std::string(drivers::to_string(status->conditions.front())));
        said_color = theme::warning;
    } else {
        said = m_print.result;
    }
    // A document that cannot be printed, or a printer that cannot print now, says why on the button itself, before
    // anyone taps it (a job sent to that printer would only wait).
    std::string blocked;
    if (!document->pdf_readable)
        blocked = "print.blocked.unreadable";
    else if (!document->pdf_printable)
        blocked = "print.blocked.forbidden";
    else if (!m_print.job)
        blocked = print_blocked_key();
    bool can_print = pages <= m_store.pages_left() && !m_print.job && blocked.empty();
    std::string why = blocked.empty() ? std::string() : tr(blocked);
    Rect print_button { area.x, y + c.px(90), left_w, c.px(170) };
    Rect words { area.x, y, left_w, c.px(70) };
    Rect picture { side.x + c.px(20), side.y + c.px(20), side.w - c.px(40), side.h - c.px(330) };
    if (compact) {
        // Under the preview: the count of pages (or the printer's news, which matters more then), and Print.
        int button_h = std::max(c.px(110), std::min(c.px(170), area.y + area.h - y));
        print_button = { side.x, side.y + side.h - button_h, side.w, button_h };
        words = { side.x + c.px(20), print_button.y - c.px(110), side.w - c.px(40), c.px(100) };
        picture = { side.x + c.px(20), side.y + c.px(20), side.w - c.px(40), words.y - side.y - c.px(30) };
        side.h = print_button.y - side.y - c.px(10);
    }
    c.fill_rounded(side, c.px(12), theme::white);
    // Short of room, news longer than the two lines under the preview takes the preview's place until it is read; and
    // over the quota, the red count (the only reason Print is off) keeps its line whatever the news.
    bool over_quota = pages > m_store.pages_left();
    bool news_instead
        = compact && !said.empty() && (over_quota || c.text_width(said, theme::text_body) > words.w * 9 / 5);
    if (news_instead) {
        Rect news { picture.x, picture.y, picture.w,
            (over_quota ? words.y - c.px(10) : words.y + words.h) - picture.y };
        c.text(said, news, theme::text_body, said_color, Align::left, true, true);
    } else if (compact && !said.empty())
        c.text(said, words, theme::text_body, said_color, Align::left, false, true); // regular letters: two lines
    if (!compact || said.empty() || over_quota)
        c.text(summary, words, theme::text_body, summary_color, Align::left, false, compact);
    c.action("print_start", print_button, Icon::print, tr("print.start"), ButtonStyle::primary, can_print, why);

    // The preview of every page, one at a time: what will come out of the printer.
    int pages_total = document->page_count();
    int page = std::clamp(m_print.preview_page, 0, std::max(0, pages_total - 1));
    if (news_instead) {
        announce(said);
        return;
    }
    if (compact && pages_total > 1) {
        // Turned with arrows either side of the picture, the page's number under them.
        Rect number { picture.x, picture.y + picture.h - c.px(50), picture.w, c.px(50) };
        c.text(tr("print.page_of", { std::to_string(page + 1), std::to_string(pages_total) }), number, theme::text_body,
            theme::text, Align::center);
        picture.h = number.y - picture.y - c.px(10);
        int nav_w = c.px(theme::min_target);
        int nav_h = std::max(c.px(theme::min_target), std::min(c.px(140), picture.h));
        int nav_y = picture.y + (picture.h - nav_h) / 2;
        c.button("preview_prev", { picture.x, nav_y, nav_w, nav_h }, "‹", ButtonStyle::secondary, page > 0);
        c.button("preview_next", { picture.x + picture.w - nav_w, nav_y, nav_w, nav_h }, "›", ButtonStyle::secondary,
            page + 1 < pages_total);
        picture = { picture.x + nav_w + c.px(10), picture.y, picture.w - 2 * nav_w - c.px(20), picture.h };
    }
    c.image(preview_texture(*document, page), picture);
    announce(said);
    if (compact)
        return;
    if (pages_total > 1) {
        int nav_y = side.y + side.h - c.px(300);
        int nav_w = c.px(120);
        c.button("preview_prev", { side.x + c.px(20), nav_y, nav_w, c.px(100) }, "‹", ButtonStyle::secondary, page > 0);
        c.text(tr("print.page_of", { std::to_string(page + 1), std::to_string(pages_total) }),
            { side.x + c.px(30) + nav_w, nav_y, side.w - 2 * nav_w - c.px(60), c.px(100) }, theme::text_body,
            theme::text, Align::center);
        c.button("preview_next", { side.x + side.w - c.px(20) - nav_w, nav_y, nav_w, c.px(100) }, "›",
            ButtonStyle::secondary, page + 1 < pages_total);
    }
    if (!said.empty())
        c.text(said, { side.x + c.px(20), side.y + side.h - c.px(170), side.w - c.px(40), c.px(150) }, theme::text_body,
            said_color, Align::left, true, true);
}

void App::open_print(int number)
{
    m_selected = number;
    m_print.copies = 1;
    m_print.preview_page = 0;
    m_print.result.clear();
    navigate(Screen::print);
}

std::string App::print_blocked_key() const
{
    // A queue refusing jobs would refuse this one. A paused queue (printer-state stopped) is not counted: it keeps
    // the job until an agent resumes it, which the print screen then follows; the fault tests pause it on purpose.
    if (!m_looks.printer_status || !m_looks.printer_status->accepting)
        return "printer.condition.offline";
    for (auto condition : m_looks.printer_status->conditions)
        if (condition != drivers::PrinterCondition::toner_low) // pale prints are still prints
            return "printer.condition." + std::string(drivers::to_string(condition));
    return {};
}

bool App::watching_blocked_printer() const
{
    return m_devices.printer && m_session.in_session() && m_screen == Screen::print && !m_print.job
        && !print_blocked_key().empty();
}

void App::look_at_printer()
{
    if (!m_devices.printer)
        return;
    m_looks.printer_asked = ask_in_background([this] {
        auto status = m_devices.printer->status();
        return UiJob([this, status = std::move(status)]() mutable {
            if (status)
                call_agent_for_printer(*status);
            report_printer(status);
            m_looks.printer_status = std::move(status);
            m_looks.printer_checked = m_clock.now();
            m_looks.printer_asked = false;
        });
    });
    if (m_looks.printer_asked)
        m_looks.printer_checked = m_clock.now();
}

void App::start_print()
{
    auto const* document = selected_document();
    if (!document || !m_store.open() || !m_devices.printer || m_scan.running || m_print.job)
        return;
    if (!document->pdf_readable || !document->pdf_printable) {
        show_message("message.problem", tr(document->pdf_readable ? "print.forbidden" : "print.unreadable"));
        return;
    }
    int pages = document->page_count() * m_print.copies;
    if (pages > m_store.pages_left()) {
        m_audit.record("print_refused", { { "reason", "quota" }, { "pages", static_cast<int64_t>(pages) } });
        show_message("message.quota_title", tr("print.quota_refused", { std::to_string(m_store.pages_left()) }));
        return;
    }
    drivers::PrintRequest request;
    request.title = "kiosk-" + std::to_string(document->number);
    request.copies = m_print.copies;
    request.gray = m_print.gray;
    request.duplex = m_print.duplex;
    request.pages = document->page_count();
    request.mime_type = "application/pdf";
    if (!document->pdf_vault_name.empty()) {
        auto pdf = m_store.read(document->pdf_vault_name);
        if (!pdf) {
            show_error(pdf.error());
            return;
        }
        request.document = std::move(*pdf);
    } else {
        std::vector<documents::PdfPage> pdf_pages;
        for (auto const& page : document->pages) {
            auto jpeg = m_store.read(page.vault_name);
            if (!jpeg) {
                show_error(jpeg.error());
                return;
            }
            pdf_pages.push_back(
                documents::PdfPage { std::move(*jpeg), page.width, page.height, page.channels, page.dpi });
        }
        auto pdf = documents::assemble_pdf(pdf_pages);
        if (!pdf) {
            show_error(pdf.error());
            return;
        }
        request.document = std::move(*pdf);
    }
    auto job = m_devices.printer->submit(request);
    if (!job) {
        show_error(job.error());
        return;
    }
    m_store.add_print_job(*job);
    m_audit.record(
        "print", { { "pages", static_cast<int64_t>(pages) }, { "copies", static_cast<int64_t>(m_print.copies) } });
    m_print.job = PrintScreen::Job { *job, pages, {}, std::nullopt, false };
    follow_print_job();
}

void App::follow_print_job()
{
    if (!m_print.job || !m_devices.printer)
        return;
    m_print.job->last_poll = m_clock.now();
    if (m_print.job->abandoned) {
        // Given up on: cancelled at the first answer of the print server, then the resident may print again.
        auto cancelled = m_devices.printer->cancel(m_print.job->id);
        if (cancelled || cancelled.error().code == ErrorCode::not_found) {
            m_audit.record("print_cancelled", { { "reason", "gave_up" } });
            m_print.job.reset();
            m_print.result.clear();
            refresh_device_status(); // the server answers again: so may the printer
            m_dirty = true;
        }
        return;
    }
    refresh_device_status();
    auto status = m_devices.printer->job(m_print.job->id);
    if (!status && status.error().code == ErrorCode::not_found) {
        // The print server came back without the job (it crashed before it wrote it down): nothing is known to
        // have come out, so nothing is charged, and the resident may print again.
        m_audit.record("print_end", { { "state", "lost" } });
        m_print.job.reset();
        m_print.result.clear();
        show_message("message.problem", tr("print.lost"));
        return;
    }
    if (!status) {
        // The print server went away: say so, keep following, charge nothing yet. It usually comes back within
        // seconds (systemd restarts it); after a while the kiosk stops waiting, still charging nothing. The job is
        // cancelled and purged at the session's end, or as soon as the server answers again.
        auto now = m_clock.now();
        if (!m_print.job->unreachable_since)
            m_print.job->unreachable_since = now;
        if (now - *m_print.job->unreachable_since >= print_server_patience && !m_print.job->abandoned) {
            m_audit.record("print_end", { { "state", "unknown" }, { "code", to_string(status.error().code) } });
            // Not charged, and not forgotten: the job is cancelled as soon as the server answers again, so that it
            // cannot come out later in the session (printed twice if the resident tries again) or after it.
            m_print.job->abandoned = true;
            m_print.result = tr("print.cancelling");
            show_message("message.problem", tr("print.gave_up"));
            return;
        }
        std::string text = tr("print.server_lost");
        if (text != m_print.result) {
            m_print.result = text;
            m_dirty = true;
        }
        return;
    }
    m_print.job->unreachable_since.reset();
    switch (status->state) {
    case drivers::JobState::completed:
        // Only pages that came out are charged to the quota.
        m_store.charge(m_print.job->pages);
        m_print.result = tr("print.done");
        m_audit.record("print_end", { { "state", "completed" } });
        sound(speech::Tone::done);
        m_print.job.reset();
        break;
    case drivers::JobState::aborted:
    case drivers::JobState::canceled:
        m_audit.record("print_end", { { "state", drivers::to_string(status->state) } });
        m_print.job.reset();
        m_print.result.clear();
        show_error(Error { ErrorCode::printer_job_failed, {} });
        break;
    case drivers::JobState::pending:
    case drivers::JobState::processing: {
        std::string text = tr(status->state == drivers::JobState::processing ? "print.printing" : "print.waiting");
        if (!status->conditions.empty())
            text = tr("printer.condition." + std::string(drivers::to_string(status->conditions.front())));
        if (text != m_print.result) {
            m_print.result = text;
            m_dirty = true;
        }
        break;
    }
    }
}

void App::forget_preview()
{
    if (m_print.preview)
        SDL_DestroyTexture(m_print.preview);
    m_print.preview = nullptr;
    m_print.preview_key = { -1, -1 };
}

SDL_Texture* App::preview_texture(TrayDocument const& document, int page_index)
{
    if (page_index < 0 || page_index >= document.page_count())
        return nullptr;
    if (!document.is_pdf())
        return thumbnail(document.pages[static_cast<size_t>(page_index)].vault_name);
    if (m_print.preview_key == std::pair { document.number, page_index })
        return m_print.preview;
    forget_preview();
    m_print.preview_key = { document.number, page_index };
    auto pdf = m_store.read(document.pdf_vault_name);
    if (!pdf)
        return nullptr;
    if (auto image = documents::render_pdf_page(*pdf, page_index, 600, 850))
        m_print.preview = texture_from_image(m_renderer, *image);
    return m_print.preview;
}

} // namespace kiosk::ui
