// The kiosk's side of a partner site: the browser's events, its own upload picker, its on-screen keyboard over the
// page, and Back through the visit's history.
#include "kiosk/ui/app.h"
#include "kiosk/ui/pictures.h"

#include "drivers/browser/sim/sim_browser.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/upload.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace kiosk::ui {

namespace {

// The documents the upload picker shows at a time: four side by side, or two on a screen with fewer lines (large
// text), where each is a low tile with its picture at the side.
int upload_page_size(Canvas const* c)
{
    return !c || c->design_height() >= 1000 ? 4 : 2;
}

// The web keyboard's spacing: roomy where the screen has lines to spare, tight where it has few (large text).
struct KeyboardSpacing {
    int pad = 16;
    int gap = 10;
};

KeyboardSpacing keyboard_spacing(Canvas const& c)
{
    return c.design_height() >= 1000 ? KeyboardSpacing {} : KeyboardSpacing { 4, 6 };
}

// The rows the web keyboard shows. Where every row cannot have keys a fingertip high and still leave a strip of the
// page above (large text), the keyboard gives up what is found elsewhere: the letters their row of digits (the
// symbols have it), the symbols their rarest row (û ü ç œ æ ñ € % + = #); the digits go four a row.
std::vector<std::vector<WebKeyboard::Key>> shown_rows(std::vector<std::vector<WebKeyboard::Key>> rows, int max_rows)
{
    if (static_cast<int>(rows.size()) <= max_rows || rows.size() < 2)
        return rows;
    auto starts = [&](size_t r, std::string const& id) { return !rows[r].empty() && rows[r].front().id == id; };
    if (starts(0, "wk_1") && rows[0].size() == 3) {
        std::vector<WebKeyboard::Key> digits;
        for (size_t r = 0; r + 1 < rows.size(); ++r)
            digits.insert(digits.end(), rows[r].begin(), rows[r].end());
        // 0 after 9, as the digits are counted, before the comma and the correction.
        auto zero = std::ranges::find(digits, std::string("wk_0"), &WebKeyboard::Key::id);
        auto nine = std::ranges::find(digits, std::string("wk_9"), &WebKeyboard::Key::id);
        if (zero != digits.end() && nine != digits.end() && zero > nine)
            std::rotate(nine + 1, zero, zero + 1);
        std::vector<std::vector<WebKeyboard::Key>> reflowed;
        for (size_t i = 0; i < digits.size(); i += 4)
            reflowed.emplace_back(digits.begin() + static_cast<std::ptrdiff_t>(i),
                digits.begin() + static_cast<std::ptrdiff_t>(std::min(digits.size(), i + 4)));
        reflowed.push_back(rows.back());
        return reflowed;
    }
    for (size_t r = 0; r < rows.size(); ++r)
        if (starts(r, "wk_ucirc")) {
            rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(r));
            return rows;
        }
    if (starts(0, "wk_1") && starts(1, "wk_a"))
        rows.erase(rows.begin());
    return rows;
}

// A new file, never through a link: the folder is the kiosk's own, and the file must not already exist.
bool write_new_file(std::filesystem::path const& path, std::vector<uint8_t> const& bytes)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    size_t written = 0;
    while (written < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n <= 0) {
            ::close(fd);
            return false;
        }
        written += static_cast<size_t>(n);
    }
    return ::close(fd) == 0;
}

// "1,2 Mo" / "1.2 MB": sizes as people read them, never "0", in the language's units and decimal mark.
std::string size_text(uint64_t bytes, core::Translations const& translations, std::string const& language)
{
    double mb = static_cast<double>(bytes) / 1e6;
    if (mb < 0.1)
        return std::to_string(std::max<uint64_t>(1, (bytes + 500) / 1000)) + " "
            + translations.text(language, "units.kb");
    return decimal_text(mb, language) + " " + translations.text(language, "units.mb");
}

// The file at path, opened without following a link and only if it is a regular file, up to limit bytes; empty
// otherwise.
std::vector<uint8_t> read_without_following(std::filesystem::path const& path, uint64_t limit)
{
    std::vector<uint8_t> bytes;
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return bytes;
    struct stat info { };
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && static_cast<uint64_t>(info.st_size) <= limit) {
        bytes.resize(static_cast<size_t>(info.st_size));
        size_t got = 0;
        while (got < bytes.size()) {
            ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
            if (n <= 0)
                break;
            got += static_cast<size_t>(n);
        }
        bytes.resize(got);
    }
    ::close(fd);
    return bytes;
}

// Whole megabytes, rounded up: "12 Mo" for a file of 11.2 MB, never "0 Mo" for a small one.
uint64_t megabytes(uint64_t bytes)
{
    return (bytes + (1u << 20) - 1) >> 20;
}

// The rows drawn for the keyboard on this screen: a strip of the page stays in sight above the keys, for the field
// being typed in.
std::vector<std::vector<WebKeyboard::Key>> keyboard_rows(Canvas const& c, WebKeyboard const& keyboard, int bottom)
{
    auto spacing = keyboard_spacing(c);
    int room = c.height() - c.px(theme::top_bar) - bottom - c.px(60) - 2 * c.px(spacing.pad) + c.px(spacing.gap);
    return shown_rows(keyboard.rows(), std::max(1, room / (c.px(theme::min_target) + c.px(spacing.gap))));
}

} // namespace

void App::listen_to_browser()
{
    if (!m_devices.browser)
        return;
    // Called on the browser's own threads: the event only travels to the UI thread.
    m_devices.browser->set_listener(
        [this](drivers::BrowserEvent event) { post([this, event = std::move(event)] { browser_event(event); }); });
}

void App::browser_event(drivers::BrowserEvent const& event)
{
    m_dirty = true;
    bool on_site = m_screen == Screen::browser && m_devices.browser && m_devices.browser->is_open();
    switch (event.kind) {
    case drivers::BrowserEvent::Kind::file_requested:
        if (!on_site || m_visit.uploading) {
            if (m_devices.browser)
                m_devices.browser->cancel_file_request(event.file_request.id);
            return;
        }
        // The page's own file chooser never shows; the kiosk offers the resident's documents instead.
        if (m_visit.file_request && m_visit.file_request->id != event.file_request.id)
            m_devices.browser->cancel_file_request(m_visit.file_request->id);
        m_visit.file_request = event.file_request;
        m_visit.upload_first = 0;
        // The send journey's document first: on the screenful the picker opens at, and outlined.
        if (auto const* sent = find_document(m_send.document))
            m_visit.upload_first = static_cast<int>(sent - m_store.documents().data()) / upload_page_size(m_canvas)
                * upload_page_size(m_canvas);
        m_visit.keyboard.hide();
        m_overlay = Overlay::upload_picker;
        place_browser();
        m_audit.record("upload_asked", { { "multiple", event.file_request.multiple } });
        break;
    case drivers::BrowserEvent::Kind::text_field_focused:
        if (!on_site)
            return;
        m_visit.keyboard.show(event.field);
        place_browser();
        break;
    case drivers::BrowserEvent::Kind::text_field_left:
        if (!m_visit.keyboard.visible())
            return;
        m_visit.keyboard.hide();
        place_browser();
        break;
    case drivers::BrowserEvent::Kind::page_failed: {
        if (!on_site)
            return;
        // Counted for the fleet by host and kind, never with the address or the session: the central
        // configuration learns which hosts its allow-lists miss, and no resident's visit can be read from it. Each
        // failure once a visit, and at most SiteVisit::max_failures_told: a page that adds frames without end writes
        // nothing more.
        auto told = std::string(drivers::to_string(event.failure)) + " " + event.failed_host
            + (event.whole_page ? " page" : " frame");
        if (!m_visit.failures_told.contains(told) && m_visit.failures_told.size() < SiteVisit::max_failures_told) {
            m_visit.failures_told.insert(told);
            if (event.failure == drivers::PageFailure::blocked)
                m_usage.count_blocked_host(m_current_partner, event.failed_host);
            else
                m_usage.count_site_failure(m_current_partner, drivers::to_string(event.failure));
            m_audit.record(
                "page_failed", { { "kind", drivers::to_string(event.failure) }, { "whole_page", event.whole_page } });
        }
        // A host a page chose can be long: the start of it is enough to recognise it.
        std::string host = event.failed_host.size() > 60 ? event.failed_host.substr(0, 57) + "…" : event.failed_host;
        if (!event.whole_page) {
            // A frame of the page (a video, a map, a captcha): the rest of the page works, so it is only said.
            if (!host.empty())
                m_notice = tr(
                    event.failure == drivers::PageFailure::blocked ? "site_problem.frame" : "site_problem.frame_other",
                    { host });
            return;
        }
        // The same page failing again just after Back (a page that leaves the list as it loads): Back leaves the
        // site this time, instead of going round.
        bool again = m_visit.left_failure && m_visit.left_failure->failure == event.failure
            && m_visit.left_failure->host == host
            && m_clock.now() - m_visit.left_failure->at < std::chrono::seconds(10);
        m_visit.problem = SiteVisit::Problem { event.failure, host, again };
        // The page that asked for a file is gone: so is its request.
        if (m_overlay == Overlay::upload_picker) {
            if (m_visit.file_request && m_devices.browser)
                m_devices.browser->cancel_file_request(m_visit.file_request->id);
            m_visit.file_request.reset();
            m_overlay = Overlay::none;
        }
        if (m_overlay == Overlay::none || m_overlay == Overlay::site_problem) {
            m_visit.keyboard.hide();
            m_overlay = Overlay::site_problem;
            place_browser();
        }
        break;
    }
    case drivers::BrowserEvent::Kind::page_shown:
        // A page came (Chromium's reload of its error page worked, the site moved on): the explanation goes.
        m_visit.problem.reset();
        if (m_overlay == Overlay::site_problem)
            m_overlay = Overlay::none;
        break;
    case drivers::BrowserEvent::Kind::exited_unexpectedly:
        // update() hears it through take_unexpected_exit(), once.
        break;
    }
}

std::optional<drivers::ScreenArea> App::browser_area() const
{
    if (!m_canvas)
        return std::nullopt;
    // The site fills the screen between the top bar (partner, Back, Home) and the session bar (time left, Call an
    // agent, End session), which stay drawn by the kiosk and in reach; above the keyboard while it shows.
    auto& c = *m_canvas;
    int top = c.px(theme::top_bar);
    int bottom = bottom_bars() + (m_visit.keyboard.visible() ? web_keyboard_height() : 0);
    return drivers::ScreenArea { c.width(), c.height() - top - bottom, m_screen_origin.first,
        m_screen_origin.second + top };
}

int App::web_keyboard_height() const
{
    auto& c = *m_canvas;
    auto spacing = keyboard_spacing(c);
    int rows = static_cast<int>(keyboard_rows(c, m_visit.keyboard, bottom_bars()).size());
    return rows * c.px(theme::min_target) + (rows - 1) * c.px(spacing.gap) + 2 * c.px(spacing.pad);
}

void App::place_browser()
{
    if (!m_devices.browser || !m_devices.browser->is_open())
        return;
    if (auto area = browser_area()) {
        m_visit.placed = area;
        auto placed = m_devices.browser->set_area(*area);
        if (!placed)
            m_audit.record("device_error", { { "device", "browser" }, { "code", to_string(placed.error().code) } });
    }
}

void App::close_browser()
{
    forget_browser_state();
    if (m_devices.browser)
        m_devices.browser->close();
}

bool App::site_problem_beneath() const
{
    return m_visit.problem && m_screen == Screen::browser;
}

void App::site_problem_back()
{
    // The page before the one that failed; on the visit's first page (a site down from the start), or when that
    // page failed the same way again at once, out of the site.
    bool again = m_visit.problem && m_visit.problem->again;
    if (m_visit.problem)
        m_visit.left_failure
            = SiteVisit::LeftFailure { m_visit.problem->failure, m_visit.problem->host, m_clock.now() };
    m_visit.problem.reset();
    if (m_overlay == Overlay::site_problem)
        m_overlay = Overlay::none;
    if (again || !browser_back())
        back();
}

void App::forget_browser_state()
{
    m_visit.problem.reset();
    m_visit.left_failure.reset();
    m_visit.failures_told.clear();
    if (m_overlay == Overlay::site_problem)
        m_overlay = Overlay::none;
    if (m_visit.file_request && m_devices.browser)
        m_devices.browser->cancel_file_request(m_visit.file_request->id);
    m_visit.file_request.reset();
    m_visit.keyboard.hide();
    if (m_overlay == Overlay::upload_picker)
        m_overlay = Overlay::none;
}

bool App::browser_back()
{
    if (m_screen != Screen::browser || !m_devices.browser || !m_devices.browser->is_open())
        return false;
    // The kiosk's Back walks the visit's pages first; on the first page it leaves the site.
    auto went = m_devices.browser->go_back();
    return went && *went;
}

bool App::on_browser_widget(std::string const& id)
{
    if (id.starts_with("wk_")) {
        int height_before = m_visit.keyboard.visible() ? web_keyboard_height() : 0;
        auto action = m_visit.keyboard.press(id);
        if (!action || !m_devices.browser)
            return true;
        Result<void> done;
        if (!action->text.empty())
            done = m_devices.browser->insert_text(action->text);
        else if (action->key)
            done = m_devices.browser->press_key(*action->key);
        // The page takes a moment after opening before it can be typed into; a key pressed meanwhile is lost, not an
        // error.
        if (!done && done.error().code != ErrorCode::browser_failed)
            show_error(done.error());
        // Hidden, or a layout of another height: the page's bottom edge moves with the keyboard's top.
        if ((m_visit.keyboard.visible() ? web_keyboard_height() : 0) != height_before)
            place_browser();
        return true;
    }
    if (id == "upload_cancel") {
        if (m_visit.file_request && m_devices.browser)
            m_devices.browser->cancel_file_request(m_visit.file_request->id);
        m_visit.file_request.reset();
        m_overlay = Overlay::none;
        return true;
    }
    if (id == "site_problem_back") {
        site_problem_back();
        return true;
    }
    if (id == "close_overlay" && m_overlay != Overlay::site_problem && site_problem_beneath()) {
        // A message over the explanation (the agent called): back to it, Chromium's error page is still behind.
        m_overlay = Overlay::site_problem;
        return true;
    }
    if (id == "close_overlay" && m_overlay != Overlay::upload_picker && m_visit.file_request && !m_visit.uploading
        && m_screen == Screen::browser) {
        // A message over the choice (a document that could not be prepared, the agent called): back to the choice,
        // the page still waits for a file.
        m_overlay = Overlay::upload_picker;
        return true;
    }
    if (id == "upload_prev" || id == "upload_next") {
        m_visit.upload_first = turned(m_visit.upload_first, upload_page_size(m_canvas),
            static_cast<int>(m_store.documents().size()), id == "upload_next");
        return true;
    }
    if (id.starts_with("upload_doc_")) {
        start_upload(std::atoi(id.c_str() + 11));
        return true;
    }
    auto* sim = m_devices.sim_browser;
    if (id == "sim_file_input" && sim) {
        (void)sim->simulate_file_request(false, { ".pdf", "application/pdf", ".jpg", "image/jpeg" });
        return true;
    }
    if (id == "sim_blocked_link" && sim) {
        sim->simulate_page_failure(drivers::PageFailure::blocked, "www.not-a-partner.fr");
        return true;
    }
    if ((id == "sim_text_field" || id == "sim_email_field" || id == "sim_number_field" || id == "sim_password_field")
        && sim) {
        auto kind = id == "sim_email_field" ? drivers::TextFieldKind::email
            : id == "sim_number_field"      ? drivers::TextFieldKind::number
            : id == "sim_password_field"    ? drivers::TextFieldKind::password
                                            : drivers::TextFieldKind::text;
        sim->simulate_focus(kind);
        return true;
    }
    return false;
}

void App::start_upload(int number)
{
    auto const* partner = m_catalogue.partner(m_current_partner);
    auto const* document = find_document(number);
    if (!m_visit.file_request || !partner || !m_store.open() || m_visit.uploading || !document)
        return;
    auto offer = upload_offer(*document, *m_visit.file_request, partner->upload);
    if (!offer.allowed)
        return;
    UploadSource source;
    source.cancel = &m_visit.upload_cancel;
    source.format = offer.format;
    source.max_bytes = static_cast<size_t>(partner->upload.max_mb) * 1000 * 1000;
    if (document->is_pdf()) {
        auto pdf = m_store.read(document->pdf_vault_name);
        if (!pdf) {
            show_error(pdf.error());
            return;
        }
        source.pdf = std::move(*pdf);
        bool redrawn = offer.format != documents::DocumentFormat::pdf || source.pdf.size() > source.max_bytes;
        if (redrawn && document->pdf_pages > max_redrawn_pages) {
            show_message("message.problem", tr("upload.too_many_pages", { std::to_string(document->pdf_pages) }));
            return;
        }
    } else {
        for (auto const& page : document->pages) {
            auto jpeg = m_store.read(page.vault_name);
            if (!jpeg) {
                show_error(jpeg.error());
                return;
            }
            source.jpeg_pages.push_back(std::move(*jpeg));
        }
    }
    if (m_visit.upload_thread.joinable())
        m_visit.upload_thread.join();
    m_visit.upload_cancel = false;
    m_visit.uploading = true;
    m_visit.upload_name = document->name;
    uint64_t request_id = m_visit.file_request->id;
    m_visit.upload_thread = std::thread(
        [this, source = std::move(source), request_id, name = document->name, max_mb = partner->upload.max_mb]() {
            auto prepared = prepare_upload(source);
            post([this, prepared = std::move(prepared), format = source.format, request_id, name, max_mb]() mutable {
                finish_upload(std::move(prepared), format, request_id, name, max_mb);
            });
        });
}

void App::finish_upload(Result<documents::EncodedDocument> prepared, documents::DocumentFormat format,
    uint64_t request_id, std::string const& name, int max_mb)
{
    m_visit.uploading = false;
    m_visit.upload_name.clear();
    if (!m_visit.file_request || m_visit.file_request->id != request_id || !m_store.open() || !m_devices.browser)
        return; // the page or the session went meanwhile
    if (!prepared) {
        m_audit.record("upload", { { "ok", false }, { "code", to_string(prepared.error().code) } });
        show_message("message.problem", tr("upload.too_large", { std::to_string(max_mb) }));
        return;
    }
    // The prepared files wait in a folder of the kiosk's own, which the browser's sandbox never sees, under neutral
    // names; the browser copies each into the uploads folder (read-only for it) under a name made from the
    // document's, which is what the site sees.
    auto prepared_dir = m_store.scratch_directory("prepared");
    if (!prepared_dir) {
        show_error(prepared_dir.error());
        return;
    }
    std::vector<drivers::UploadFile> files;
    std::vector<std::filesystem::path> written;
    auto forget_written = [&] {
        std::error_code ignored;
        for (auto const& file : written)
            std::filesystem::remove(file, ignored);
    };
    for (size_t i = 0; i < prepared->files.size(); ++i) {
        auto path = *prepared_dir
            / ("prepared-" + std::to_string(request_id) + "-" + std::to_string(i + 1)
                + (format == documents::DocumentFormat::pdf ? ".pdf" : ".jpg"));
        if (!write_new_file(path, prepared->files[i])) {
            forget_written();
            show_error(Error { ErrorCode::storage_full, {} });
            return;
        }
        written.push_back(path);
        files.push_back(
            drivers::UploadFile { path, prepared->files.size() > 1 ? name + " " + std::to_string(i + 1) : name });
    }
    auto given = m_devices.browser->provide_files(request_id, files);
    forget_written();
    if (!given) {
        m_audit.record("upload", { { "ok", false }, { "code", to_string(given.error().code) } });
        m_visit.file_request.reset();
        m_overlay = Overlay::none;
        show_error(given.error());
        return;
    }
    // Sizes and formats only: never a document's name.
    m_audit.record("upload",
        { { "ok", true }, { "format", format == documents::DocumentFormat::pdf ? "pdf" : "jpeg" },
            { "bytes", static_cast<int64_t>(prepared->bytes) }, { "files", static_cast<int64_t>(files.size()) } });
    m_visit.file_request.reset();
    m_overlay = Overlay::none;
    m_send.document = 0; // the site has a document: the banner's work is done
    m_notice = tr("upload.given", { name, size_text(prepared->bytes, m_translations, m_language) });
}

Rect App::panel_between_bars() const
{
    // The white panel the upload picker and the explanation of a failed page are drawn on, over the page: the top
    // bar and the session bar stay in sight and live.
    auto& c = *m_canvas;
    int top = c.px(theme::top_bar);
    return { c.px(theme::margin), top + c.px(20), c.width() - 2 * c.px(theme::margin),
        c.height() - top - c.px(theme::session_bar) - c.px(40) };
}

void App::draw_upload_picker()
{
    auto& c = *m_canvas;
    auto const* partner = m_catalogue.partner(m_current_partner);
    if (!partner || !m_visit.file_request)
        return;
    Rect box = panel_between_bars();
    c.fill_rounded(box, c.px(16), theme::white);
    // Large text: fewer lines fit, so the words take the lines they need and the documents are low tiles below.
    bool short_screen = c.design_height() < 1000;
    Rect inner = short_screen ? Rect { box.x + c.px(24), box.y + c.px(16), box.w - c.px(48), box.h - c.px(32) }
                              : Rect { box.x + c.px(40), box.y + c.px(30), box.w - c.px(80), box.h - c.px(60) };
    std::string title = tr("upload.title", { partner->name });
    announce(title);
    auto const& rules = partner->upload;
    std::string formats = rules.pdf && rules.jpeg ? tr("upload.pdf_or_jpeg") : rules.pdf ? "PDF" : "JPEG";
    std::string said = tr(rules.known ? "upload.rules" : "upload.rules_unknown",
        { partner->name, formats, std::to_string(rules.max_mb) });
    int title_h = short_screen ? c.wrapped_height(title, theme::text_title, true, inner.w) : c.px(70);
    int said_y = inner.y + (short_screen ? title_h + c.px(4) : c.px(80));
    int said_h = short_screen ? c.wrapped_height(said, theme::text_body, false, inner.w) : c.px(100);
    int grid_y = short_screen ? said_y + said_h + c.px(12) : inner.y + c.px(200);
    c.text(title, { inner.x, inner.y, inner.w, title_h }, theme::text_title, theme::blue_france, Align::left, true,
        short_screen);
    c.text(said, { inner.x, said_y, inner.w, said_h }, theme::text_body, theme::text, Align::left, false, true);

    int cancel_w = short_screen ? std::min(c.px(420), inner.w / 4) : c.px(420);
    int cancel_h = short_screen ? c.px(110) : c.px(130);
    Rect cancel { inner.x + inner.w - cancel_w, inner.y + inner.h - cancel_h, cancel_w, cancel_h };
    c.action("upload_cancel", cancel, Icon::stop, tr("upload.cancel"), ButtonStyle::secondary, !m_visit.uploading);
    if (m_visit.uploading) {
        c.text(tr("upload.preparing", { m_visit.upload_name }),
            { inner.x, cancel.y, inner.w - cancel.w - c.px(40), cancel.h }, theme::text_body, theme::text, Align::left,
            true, true);
    } else if (m_store.documents().empty()) {
        c.text(tr("upload.empty"), { inner.x, grid_y, inner.w, std::min(c.px(200), cancel.y - c.px(20) - grid_y) },
            theme::text_title, theme::text_muted, Align::center, false, true);
        return;
    }

    // The documents, a screenful at a time, each with its first page, its name, its pages and its size. In large text
    // they go beside "Ne rien envoyer" when one screenful holds them all, above it when the row turns screenfuls.
    Rect grid { inner.x, grid_y, inner.w, cancel.y - c.px(30) - grid_y };
    if (short_screen)
        grid = m_store.documents().size() > static_cast<size_t>(upload_page_size(m_canvas))
            ? Rect { inner.x, grid_y, inner.w, cancel.y - c.px(16) - grid_y }
            : Rect { inner.x, grid_y, inner.w - cancel.w - c.px(24), inner.y + inner.h - grid_y };
    int gap = c.px(24);
    int per_page = upload_page_size(m_canvas);
    int tile_w = (grid.w - gap * (per_page - 1)) / per_page;
    auto const& tray = m_store.documents();
    int count = static_cast<int>(tray.size());
    int first = first_shown(m_visit.upload_first, per_page, count);
    for (int i = first; i < std::min(count, first + per_page); ++i) {
        auto const& document = tray[static_cast<size_t>(i)];
        auto offer = upload_offer(document, *m_visit.file_request, rules);
        Rect tile { grid.x + (i - first) * (tile_w + gap), grid.y, tile_w, grid.h };
        c.button("upload_doc_" + std::to_string(document.number), tile, "",
            document.number == m_send.document ? ButtonStyle::selected : ButtonStyle::tile,
            offer.allowed && !m_visit.uploading);
        uint64_t bytes = m_store.stored_size(document);
        std::string detail = offer.allowed
            ? tr_count("tray.pages", document.page_count()) + " · " + size_text(bytes, m_translations, m_language)
            : tr(offer.reason_key, { std::to_string(document.page_count()) });
        Color detail_color = offer.allowed ? theme::text_muted : theme::red_marianne;
        if (short_screen) {
            // A low tile: the first page at the left, the name and the detail beside it.
            int pad = c.px(10);
            Rect thumb { tile.x + pad, tile.y + pad, std::min(tile.h - 2 * pad, tile.w / 4), tile.h - 2 * pad };
            if (SDL_Texture* picture = thumbnail(document))
                c.image(picture, thumb);
            Rect words { thumb.x + thumb.w + pad, tile.y + pad, tile.x + tile.w - pad - (thumb.x + thumb.w + pad),
                tile.h - 2 * pad };
            int name_h = std::min(words.h / 2, c.px(56));
            c.text(
                document.name, { words.x, words.y, words.w, name_h }, theme::text_body, theme::text, Align::left, true);
            c.text(detail, { words.x, words.y + name_h, words.w, words.h - name_h }, theme::text_small, detail_color,
                Align::left, false, true);
            continue;
        }
        Rect thumb { tile.x + c.px(16), tile.y + c.px(16), tile.w - c.px(32), tile.h - c.px(230) };
        if (SDL_Texture* picture = thumbnail(document))
            c.image(picture, thumb);
        c.text(document.name, { tile.x + c.px(16), tile.y + tile.h - c.px(205), tile.w - c.px(32), c.px(60) },
            theme::text_body, theme::text, Align::center, true);
        c.text(detail, { tile.x + c.px(16), tile.y + tile.h - c.px(140), tile.w - c.px(32), c.px(120) },
            theme::text_small, detail_color, Align::center, false, true);
    }
    if (count > per_page)
        draw_pager("upload", { grid.x, cancel.y, grid.w - cancel.w - c.px(40), cancel.h }, first, per_page, count);
}

void App::draw_site_problem()
{
    auto& c = *m_canvas;
    if (!m_visit.problem)
        return;
    // Over Chromium's error page (the kiosk's window comes in front of the browser's), between the bars that stay
    // live: the kiosk's own words, a way back, and an agent.
    Rect box = panel_between_bars();
    c.hotspot("", box);
    c.fill_rounded(box, c.px(16), theme::white);
    auto kind = std::string(drivers::to_string(m_visit.problem->failure));
    std::string title = tr("site_problem.title." + kind);
    std::string said = m_visit.problem->host.empty() ? tr("site_problem.text.no_address")
                                                     : tr("site_problem.text." + kind, { m_visit.problem->host });
    Rect inner { box.x + c.px(60), box.y + c.px(50), box.w - c.px(120), box.h - c.px(100) };
    Rect title_box { inner.x, inner.y, inner.w, c.px(110) };
    Rect said_box { inner.x, inner.y + c.px(140), inner.w, c.px(260) };
    int button_h = c.px(170);
    if (c.design_height() < 1000) {
        // Large text: the words as high as they need, the two ways out below them.
        inner = { box.x + c.px(30), box.y + c.px(20), box.w - c.px(60), box.h - c.px(40) };
        title_box = { inner.x, inner.y, inner.w, c.wrapped_height(title, theme::text_title, true, inner.w) };
        said_box = { inner.x, title_box.y + title_box.h + c.px(8), inner.w,
            c.wrapped_height(said, theme::text_body, false, inner.w) };
        button_h = std::clamp(
            inner.y + inner.h - (said_box.y + said_box.h + c.px(16)), c.px(theme::min_target + 14), c.px(170));
    }
    c.text(title, title_box, theme::text_title, theme::blue_france, Align::left, true, true);
    c.text(said, said_box, theme::text_body, theme::text, Align::left, false, true);
    announce(title);
    announce(said);
    int gap = c.px(40);
    int button_w = (inner.w - gap) / 2;
    Rect back { inner.x, inner.y + inner.h - button_h, button_w, button_h };
    c.action("site_problem_back", back, Icon::back, tr("site_problem.back"), ButtonStyle::primary);
    c.action("call_agent", { back.x + button_w + gap, back.y, button_w, back.h }, Icon::agent, tr("bar.call_agent"),
        ButtonStyle::secondary);
}

void App::draw_web_keyboard()
{
    auto& c = *m_canvas;
    if (!m_visit.keyboard.visible())
        return;
    int height = web_keyboard_height();
    Rect panel { 0, c.height() - bottom_bars() - height, c.width(), height };
    c.fill(panel, theme::background);
    auto spacing = keyboard_spacing(c);
    int pad = c.px(spacing.pad);
    int gap = c.px(spacing.gap);
    int key_h = c.px(theme::min_target);
    auto rows = keyboard_rows(c, m_visit.keyboard, bottom_bars());
    // Every row spans the same width: a row of fewer, wider keys is as wide as a row of eleven letters.
    int widest = 0;
    for (auto const& row : rows) {
        int units = 0;
        for (auto const& key : row)
            units += key.width;
        widest = std::max(widest, units);
    }
    int span = std::min(panel.w - 2 * pad, c.px(1700));
    int left = panel.x + (panel.w - span) / 2;
    for (size_t r = 0; r < rows.size(); ++r) {
        int units = 0;
        for (auto const& key : rows[r])
            units += key.width;
        int keys = static_cast<int>(rows[r].size());
        double unit_w = static_cast<double>(span - gap * (keys - 1)) / units;
        int x = left;
        int y = panel.y + pad + static_cast<int>(r) * (key_h + gap);
        for (auto const& key : rows[r]) {
            int w = static_cast<int>(unit_w * key.width);
            auto style = key.id == "wk_enter"                          ? ButtonStyle::primary
                : (key.id == "wk_shift" && m_visit.keyboard.shifted()) ? ButtonStyle::selected
                                                                       : ButtonStyle::secondary;
            c.button(key.id, { x, y, w, key_h }, key.label_key.empty() ? key.label : tr(key.label_key), style);
            x += w + gap;
        }
    }
}

void App::draw_browser()
{
    auto& c = *m_canvas;
    if (auto area = browser_area();
        area && m_visit.placed && (area->height != m_visit.placed->height || area->y != m_visit.placed->y))
        place_browser();
    auto const* partner = m_catalogue.partner(m_current_partner);
    // The send journey: the document is ready for this site, and said so by name until the site has it.
    std::string ready;
    if (auto const* sent = find_document(m_send.document); sent && m_send.partner == m_current_partner)
        ready = tr("send.ready", { sent->name });
    draw_top_bar(partner ? partner->name : "", ready);
    Rect area = content_area();
    if (m_visit.keyboard.visible()) {
        area.h -= web_keyboard_height();
        // Large text: the keyboard takes most of the screen; the page is the strip between the bar and the keys.
        if (area.h < c.px(60)) {
            area.y = c.px(theme::top_bar) + c.px(6);
            area.h = c.height() - bottom_bars() - web_keyboard_height() - area.y - c.px(6);
        }
    }
    c.fill_rounded(area, c.px(12), theme::white);
    auto* sim = m_devices.sim_browser;
    if (sim && sim->current()) {
        // The simulated browser stands in for Chromium: say so, and offer what a partner page would do.
        std::string simulated = tr("browser.simulated", { sim->current()->url });
        int w = (area.w - c.px(80) - 2 * c.px(20)) / 3;
        int h = c.px(110);
        int y = area.y + c.px(140);
        int said_h = c.px(110);
        int row_gap = c.px(20);
        if (area.h < c.px(600) && !m_visit.keyboard.visible()) {
            // Large text: the words as high as they need, and lower buttons, so that all three rows fit.
            said_h = c.wrapped_height(simulated, theme::text_body, false, area.w - c.px(80));
            h = c.px(theme::min_target);
            row_gap = c.px(10);
            y = area.y + c.px(20) + said_h + c.px(10);
        }
        // Over the keyboard in large text, the page is a strip with room for the field's line only.
        if (!m_visit.keyboard.visible() || area.h >= c.px(200))
            c.text(simulated, { area.x + c.px(40), area.y + c.px(20), area.w - c.px(80), said_h }, theme::text_body,
                theme::text, Align::left, false, true);
        // What the simulated page's field holds, as the page itself would show it (a password as dots).
        if (m_visit.keyboard.visible()) {
            std::string shown = sim->field_text();
            if (m_visit.keyboard.field() == drivers::TextFieldKind::password) {
                size_t characters = 0;
                for (unsigned char ch : shown)
                    characters += (ch & 0xC0) != 0x80;
                shown = std::string();
                for (size_t i = 0; i < characters; ++i)
                    shown += "•";
            }
            Rect field { area.x + c.px(40), y, area.w - c.px(80), c.px(60) };
            if (y + field.h > area.y + area.h) {
                // Large text: the keyboard leaves a strip of the page, and the field's line fills it.
                field.y = area.y;
                field.h = std::max(area.h, c.px(40));
            }
            c.text(tr("browser.sim_field", { std::string(drivers::to_string(m_visit.keyboard.field())), shown + "|" }),
                field, theme::text_body, theme::text, Align::left, true);
            draw_web_keyboard();
            return;
        }
        c.button("sim_download", { area.x + c.px(40), y, w, h }, tr("browser.sim_download"), ButtonStyle::secondary);
        c.button("sim_file_input", { area.x + c.px(40) + w + c.px(20), y, w, h }, tr("browser.sim_file_input"),
            ButtonStyle::secondary);
        c.button("sim_text_field", { area.x + c.px(40) + 2 * (w + c.px(20)), y, w, h }, tr("browser.sim_text_field"),
            ButtonStyle::secondary);
        y += h + row_gap;
        if (y + h <= area.y + area.h) {
            c.button("sim_email_field", { area.x + c.px(40), y, w, h }, tr("browser.sim_email_field"),
                ButtonStyle::secondary);
            c.button("sim_number_field", { area.x + c.px(40) + w + c.px(20), y, w, h }, tr("browser.sim_number_field"),
                ButtonStyle::secondary);
            c.button("sim_password_field", { area.x + c.px(40) + 2 * (w + c.px(20)), y, w, h },
                tr("browser.sim_password_field"), ButtonStyle::secondary);
        }
        y += h + row_gap;
        if (y + h <= area.y + area.h)
            c.button("sim_blocked_link", { area.x + c.px(40), y, w, h }, tr("browser.sim_blocked_link"),
                ButtonStyle::secondary);
    } else {
        c.text(tr("browser.open_elsewhere"), { area.x + c.px(40), area.y + c.px(40), area.w - c.px(80), c.px(160) },
            theme::text_body, theme::text, Align::left, false, true);
    }
    draw_web_keyboard();
}

void App::open_partner_site()
{
    auto const* partner = m_catalogue.partner(m_current_partner);
    if (!partner || !m_store.open() || !m_devices.browser)
        return;
    auto profile = m_store.scratch_directory("browser-profile");
    auto downloads = m_store.scratch_directory("downloads");
    if (!profile || !downloads) {
        show_error(!profile ? profile.error() : downloads.error());
        return;
    }
    drivers::BrowseRequest request;
    request.partner_slug = partner->slug;
    request.url = partner->url;
    request.allowed_domains = m_catalogue.allowed_domains(*partner);
    request.profile_dir = *profile;
    request.downloads_dir = *downloads;
    request.language = m_language;
    // The one folder whose files a page may be given: the kiosk's picker puts the prepared document there.
    auto uploads = m_store.scratch_directory("uploads");
    if (!uploads) {
        show_error(uploads.error());
        return;
    }
    request.uploads_dir = *uploads;
    forget_browser_state();
    request.area = browser_area();
    auto opened = m_devices.browser->open(request);
    if (!opened) {
        show_error(opened.error());
        return;
    }
    m_usage.count_partner(partner->slug);
    if (m_config.audit.per_session_detail)
        m_audit.record("partner_site", { { "partner", std::string_view(partner->slug) } });
    navigate(Screen::browser);
}

void App::import_downloads()
{
    auto downloads = m_store.scratch_directory("downloads");
    if (!downloads)
        return;
    std::error_code ec;
    for (auto const& entry : std::filesystem::directory_iterator(*downloads, ec)) {
        auto path = entry.path();
        // The browser writes this folder: a link it planted there would have the kiosk, outside the sandbox, read
        // a file of the machine into the tray. Links and other non-files are removed unread.
        if (!std::filesystem::is_regular_file(entry.symlink_status(ec))) {
            if (!ec && std::filesystem::is_symlink(entry.symlink_status(ec)))
                std::filesystem::remove(path, ec);
            continue;
        }
        // A file bigger than what the session may still hold is refused, finished or not: the session lives in
        // memory (tmpfs) shared with the kiosk. A download in progress then fails in Chromium, which cannot
        // give its file the final name, and the memory comes back.
        uint64_t const size = entry.file_size(ec);
        if (uint64_t const left = m_store.storage_left(); !ec && size > left) {
            std::filesystem::remove(path, ec);
            m_audit.record("download_refused", { { "bytes", static_cast<int64_t>(size) } });
            show_message("message.problem",
                tr("tray.download_too_large", { std::to_string(megabytes(size)), std::to_string(left >> 20) }));
            continue;
        }
        if (path.extension() == ".crdownload" || path.filename().string().starts_with("."))
            continue;
        auto bytes = read_without_following(path, size);
        std::filesystem::remove(path, ec);
        if (bytes.size() < 5 || std::string_view(reinterpret_cast<char const*>(bytes.data()), 5) != "%PDF-") {
            show_message("message.problem", tr("tray.download_not_pdf"));
            continue;
        }
        // The site names the file: at most a document name's length of it is kept.
        std::string name = path.stem().string();
        cut_to_document_name(name);
        auto* document = add_pdf_document(name, bytes);
        if (!document)
            continue;
        m_audit.record("download", { { "pages", static_cast<int64_t>(document->pdf_pages) } });
        m_notice = tr("notice.downloaded");
        m_dirty = true;
    }
}

} // namespace kiosk::ui
