// Behaviour of the kiosk: input handling, navigation, session effects (storage, wipe), scanning and printing.
#include "kiosk/ui/app.h"

#include "drivers/browser/sim/sim_browser.h"
#include "drivers/scanner/sim/page_synth.h"
#include "kiosk/core/leftovers.h"
#include "kiosk/documents/fit_to_size.h"
#include "kiosk/documents/form_pdf.h"
#include "kiosk/documents/jpeg.h"
#include "kiosk/documents/pdf.h"
#include "kiosk/documents/pdf_render.h"
#include "kiosk/documents/pipeline.h"
#include "kiosk/documents/watermark.h"
#include "kiosk/ui/theme.h"

#include <algorithm>
#include <fcntl.h>
#include <fstream>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::ui {

std::string_view to_string(Screen screen)
{
    switch (screen) {
    case Screen::attract: return "attract";
    case Screen::welcome: return "welcome";
    case Screen::home: return "home";
    case Screen::sites: return "sites";
    case Screen::events: return "events";
    case Screen::send: return "send";
    case Screen::event: return "event";
    case Screen::partner: return "partner";
    case Screen::browser: return "browser";
    case Screen::scan: return "scan";
    case Screen::tray: return "tray";
    case Screen::pages: return "pages";
    case Screen::print: return "print";
    case Screen::forms: return "forms";
    case Screen::prepare: return "prepare";
    case Screen::rename: return "rename";
    case Screen::agent_unlock: return "agent_unlock";
    case Screen::assisted: return "assisted";
    case Screen::id_capture: return "id_capture";
    case Screen::diagnostics: return "diagnostics";
    case Screen::ending: return "ending";
    case Screen::wiping: return "wiping";
    case Screen::out_of_order: return "out_of_order";
    }
    return "attract";
}

std::vector<std::vector<std::string>> const& keyboard_rows()
{
    static std::vector<std::vector<std::string>> const rows = {
        { "kb_1", "kb_2", "kb_3", "kb_4", "kb_5", "kb_6", "kb_7", "kb_8", "kb_9", "kb_0", "kb_backspace" },
        { "kb_a", "kb_z", "kb_e", "kb_r", "kb_t", "kb_y", "kb_u", "kb_i", "kb_o", "kb_p", "kb_eacute" },
        { "kb_q", "kb_s", "kb_d", "kb_f", "kb_g", "kb_h", "kb_j", "kb_k", "kb_l", "kb_m", "kb_egrave" },
        { "kb_shift", "kb_w", "kb_x", "kb_c", "kb_v", "kb_b", "kb_n", "kb_ccedil", "kb_agrave", "kb_dash",
            "kb_apostrophe" },
        { "kb_clear", "kb_space" },
    };
    return rows;
}

std::optional<std::string> keyboard_text(std::string_view id, bool shift)
{
    if (!id.starts_with("kb_"))
        return std::nullopt;
    auto key = id.substr(3);
    if (key.size() == 1 && key[0] >= 'a' && key[0] <= 'z')
        return std::string(1, shift ? static_cast<char>(key[0] - 'a' + 'A') : key[0]);
    if (key.size() == 1 && key[0] >= '0' && key[0] <= '9')
        return std::string(key);
    static std::pair<std::string_view, std::pair<char const*, char const*>> const specials[] = {
        { "eacute", { "é", "É" } },
        { "egrave", { "è", "È" } },
        { "agrave", { "à", "À" } },
        { "ccedil", { "ç", "Ç" } },
        { "dash", { "-", "-" } },
        { "apostrophe", { "'", "'" } },
        { "space", { " ", " " } },
    };
    for (auto const& [name, text] : specials)
        if (name == key)
            return std::string(shift ? text.second : text.first);
    return std::nullopt;
}

namespace {

constexpr int scan_jpeg_quality = 85;
constexpr int thumbnail_width = 300;
constexpr int thumbnail_height = 424;
// The preview of the glass: enough pixels for the scan screen's picture on a large display, no more.
constexpr int glass_preview_max = 1200;
// Below this a preview no longer shows which way up the text is.
constexpr int glass_preview_min_dpi = 50;

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

} // namespace

App::App(core::Config config, core::Clock const& clock, core::AuditLog& audit, core::Catalogue catalogue,
    core::Translations translations, std::vector<core::Form> forms, core::AgentStore agents, Devices devices,
    core::RuntimeDirLock lock, std::function<void()> wake)
    : m_config(std::move(config))
    , m_clock(clock)
    , m_audit(audit)
    , m_catalogue(std::move(catalogue))
    , m_translations(std::move(translations))
    , m_devices(std::move(devices))
    , m_forms(std::move(forms))
    , m_agents(std::move(agents))
    , m_lock(std::move(lock))
    , m_wake(std::move(wake))
    , m_session(clock, m_config.session, audit)
    , m_usage(audit, clock)
    , m_store(clock, audit, m_config.runtime_dir, { m_config.page_quota, m_config.storage_mb },
          core::unlock_state_file(m_config.agents_file.empty() ? core::default_agents_file() : m_config.agents_file))
    , m_language(m_config.language)
{
}

App::~App()
{
    // The browser's threads must not post into an App that is going away.
    if (m_devices.browser)
        m_devices.browser->set_listener({});
    m_scan_cancel = true;
    if (m_scan_thread.joinable())
        m_scan_thread.join();
    if (m_unlock_thread.joinable())
        m_unlock_thread.join();
    if (m_prepare_thread.joinable())
        m_prepare_thread.join();
    m_upload_cancel = true;
    if (m_upload_thread.joinable())
        m_upload_thread.join();
    if (m_status_thread.joinable())
        m_status_thread.join();
    if (m_devices.idreader)
        m_devices.idreader->stop();
    // Stopping the kiosk (SIGTERM from systemd, a technician) in mid-session wipes like a session end.
    if (m_store.open()) {
        m_audit.record("shutdown_wipe", { { "session", std::string_view(m_session.session_id()) } });
        wipe_session();
    }
}

void App::start_up()
{
    remove_leftovers("startup_purge");
    check_ground();
    check_forms(); // before anyone comes: a page offers its forms only when some are on the kiosk
    listen_to_browser();
    if (m_devices.idreader) {
        auto started = m_devices.idreader->start([this](drivers::IdEvent event) {
            post([this, event = std::move(event)]() mutable { id_event(std::move(event)); });
        });
        if (!started)
            m_audit.record("device_error", { { "device", "idreader" }, { "code", to_string(started.error().code) } });
    }
    apply_transitions();
}

void App::attach_canvas(Canvas* canvas, SDL_Renderer* renderer)
{
    m_canvas = canvas;
    m_renderer = renderer;
}

std::string App::tr(std::string_view key, std::vector<std::string> const& args) const
{
    return m_translations.text(m_language, key, args);
}

std::string App::tr_count(std::string_view key, int count) const
{
    bool singular = m_language == "fr" ? count <= 1 : count == 1;
    return tr(std::string(key) + (singular ? ".one" : ".other"), { std::to_string(count) });
}

std::string App::top_name() const
{
    if (m_session.idle_warning_active())
        return "idle_warning";
    switch (m_overlay) {
    case Overlay::agent_called: return "agent_called";
    case Overlay::message: return "message";
    case Overlay::confirm_delete: return "confirm_delete";
    case Overlay::confirm_delete_page: return "confirm_delete_page";
    case Overlay::upload_picker: return "upload_picker";
    case Overlay::site_problem: return "site_problem";
    case Overlay::idle_warning:
    case Overlay::none: break;
    }
    return std::string(to_string(m_screen));
}

bool App::retries_by_itself(std::string_view reason)
{
    // A failed wipe and leftovers that could not be removed usually mean a print server that was down: once it is
    // back, removing the leftovers again is all it takes. Other reasons need a technician.
    return reason == "wipe_failed" || reason.starts_with("leftover_");
}

bool App::remove_leftovers(std::string_view event)
{
    m_leftovers_checked = m_clock.now();
    auto removed = m_devices.printer ? core::remove_leftovers(m_config.runtime_dir, *m_devices.printer)
                                     : make_error(ErrorCode::not_found, "no printer driver");
    bool retry = event == "leftovers_retry";
    if (!removed) {
        // A retry that fails again is not news: only the first failure of a run goes to the audit log.
        if (!retry || m_leftovers_failing != true)
            m_audit.record(event, { { "ok", false }, { "code", to_string(removed.error().code) } });
        m_leftovers_failing = true;
        // Less and less often while it fails (5 s, 10 s … a minute): each try may wait for a silent print server.
        m_leftovers_retry = retry ? std::min(m_leftovers_retry * 2, leftovers_retry_longest) : leftovers_retry;
        // Whatever the last sessions left may reach the next resident (a queued job comes out for them): the kiosk
        // stays out of order until it is gone, and tries again by itself now and then.
        m_session.set_out_of_order(core::leftover_reason(removed.error()));
        return false;
    }
    m_leftovers_failing = false;
    m_leftovers_retry = leftovers_retry;
    m_audit.record(event,
        { { "ok", true }, { "sessions_removed", static_cast<int64_t>(removed->sessions) },
            { "print_jobs_removed", static_cast<int64_t>(removed->print_jobs) } });
    return true;
}

bool App::check_ground()
{
    auto problems = m_ground_check ? m_ground_check() : std::vector<core::GroundProblem> {};
    m_swap = core::active_swap();
    for (auto const& problem : problems)
        m_audit.record("ground_check",
            { { "ok", false }, { "reason", std::string_view(problem.reason) },
                { "detail", std::string_view(problem.detail) } });
    m_ground_problems = std::move(problems);
    if (m_ground_problems.empty())
        return true;
    m_session.set_out_of_order(m_ground_problems.front().reason);
    return false;
}

bool App::between_sessions() const
{
    auto state = m_session.state();
    return (state == core::SessionState::attract || state == core::SessionState::out_of_order) && !m_store.open()
        && !busy();
}

bool App::busy() const
{
    std::lock_guard lock(m_jobs_mutex);
    return m_scanning.load() || m_checking_pin.load() || m_preparing.load() || m_uploading.load()
        || m_status_checking.load() || !m_jobs.empty();
}

void App::post(UiJob job)
{
    {
        std::lock_guard lock(m_jobs_mutex);
        m_jobs.push_back(std::move(job));
    }
    if (m_wake)
        m_wake();
}

int App::wait_hint_ms() const
{
    // Countdowns and the time left change every second; the attract screen changes by itself never.
    auto deadline = m_session.next_deadline();
    int hint = -1;
    // The soonest of everything that changes the screen by itself.
    auto sooner = [&hint](int ms) { hint = hint < 0 ? ms : std::min(hint, ms); };
    auto millis_until = [this](core::Clock::time_point at) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(at - m_clock.now()).count();
    };
    if (deadline)
        hint = static_cast<int>(std::clamp<int64_t>(millis_until(*deadline), 0, 60'000));
    bool ticking
        = m_session.idle_warning_active() || m_session.state() == core::SessionState::ending || m_session.in_session();
    if (ticking) {
        auto now_ms = m_clock.now().time_since_epoch().count();
        sooner(static_cast<int>(1000 - now_ms % 1000));
    }
    if (m_session.in_session() && ((m_devices.browser && m_devices.browser->is_open()) || m_active_job))
        sooner(500); // new downloads, the print's progress: twice a second
    if (watching_blocked_printer())
        sooner(
            static_cast<int>(std::clamp<int64_t>(millis_until(m_printer_checked + blocked_printer_recheck), 0, 5000)));
    if (m_wiped_at && m_session.state() == core::SessionState::attract) {
        // "Tout est effacé" goes away by itself.
        if (auto left = millis_until(*m_wiped_at + wiped_shown); left >= 0)
            sooner(static_cast<int>(left) + 1);
    }
    if (m_session.state() == core::SessionState::out_of_order && retries_by_itself(m_session.out_of_order_reason()))
        sooner(static_cast<int>(std::clamp<int64_t>(millis_until(m_leftovers_checked + m_leftovers_retry), 0, 60'000)));
    return hint;
}

bool App::covers_browser() const
{
    return m_screen == Screen::browser && m_devices.browser && m_devices.browser->is_open()
        && (m_overlay != Overlay::none || m_session.idle_warning_active());
}

void App::update()
{
    std::deque<UiJob> jobs;
    {
        std::lock_guard lock(m_jobs_mutex);
        jobs.swap(m_jobs);
    }
    for (auto& job : jobs)
        job();
    if (!jobs.empty())
        m_dirty = true;

    auto state_before = m_session.state();
    bool warning_before = m_session.idle_warning_active();
    m_session.tick();
    apply_transitions();
    if (state_before != m_session.state() || warning_before != m_session.idle_warning_active())
        m_dirty = true;

    // Out of order because leftovers could not be removed (the print server was down at start-up, or during the
    // wipe): try again every few seconds, so a kiosk whose cupsd came back returns to service by itself, and a job
    // of the last resident is cancelled before the restarted cupsd gets far with it.
    // Only on the out-of-order screen itself: a technician at the diagnostics is not sent away by a retry.
    if (m_session.state() == core::SessionState::out_of_order && m_screen == Screen::out_of_order
        && retries_by_itself(m_session.out_of_order_reason())
        && m_clock.now() - m_leftovers_checked >= m_leftovers_retry) {
        // The ground is checked again too: a start-up check that failed may have been hidden behind this reason.
        if (remove_leftovers("leftovers_retry") && check_ground())
            m_session.clear_out_of_order();
    }
    if (m_session.in_session() && m_active_job
        && m_clock.now() - m_active_job->last_poll >= std::chrono::milliseconds(500))
        follow_print_job();
    // A printer that cannot print is looked at again by itself: the Print button comes back when an agent has put
    // paper in, without the resident having to guess that a tap elsewhere would refresh it.
    // Off the UI thread: a print server that hangs instead of refusing would otherwise freeze the screen each time.
    if (watching_blocked_printer() && m_devices.printer && !m_status_checking
        && m_clock.now() - m_printer_checked >= blocked_printer_recheck) {
        if (m_status_thread.joinable())
            m_status_thread.join(); // finished: its answer was posted
        m_status_checking = true;
        m_printer_checked = m_clock.now();
        m_status_thread = std::thread([this] {
            auto status = m_devices.printer->status();
            post([this, status = std::move(status)]() mutable {
                m_status_checking = false;
                m_printer_status = std::move(status);
                m_printer_checked = m_clock.now();
                m_dirty = true;
            });
        });
    }
    if (m_session.in_session() && m_devices.browser) {
        if (m_devices.browser->take_unexpected_exit()) {
            navigate(Screen::home);
            show_message("message.browser_closed_title", tr("message.browser_closed"));
        }
        if (m_devices.browser->is_open()) {
            import_downloads();
            // The browser's window has the focus and its own input: the display's idle time tells whether the
            // resident is still using it. The loop wakes twice a second while a site is open.
            if (m_display_idle)
                if (auto idle = m_display_idle(); idle && *idle < std::chrono::milliseconds(1000))
                    m_session.activity();
        }
    }
}

void App::apply_transitions()
{
    for (auto const& transition : m_session.take_transitions()) {
        m_dirty = true;
        switch (transition.to) {
        case core::SessionState::attract:
            m_screen = Screen::attract;
            m_overlay = Overlay::none;
            m_language = m_config.language;
            m_history.clear();
            break;
        case core::SessionState::welcome: m_screen = Screen::welcome; break;
        case core::SessionState::resident:
            if (transition.from == core::SessionState::welcome) {
                begin_session_storage();
                if (m_session.state() != core::SessionState::resident)
                    break;
                m_history.clear();
                m_screen = Screen::home;
            } else if (transition.from == core::SessionState::ending) {
                m_screen = m_history.empty() ? Screen::home : m_history.back();
                if (!m_history.empty())
                    m_history.pop_back();
                // The ending closed the partner's site: back on the partner's page, from which it opens again.
                if (m_screen == Screen::browser)
                    m_screen = m_catalogue.partner(m_current_partner) ? Screen::partner : Screen::home;
                refresh_device_status();
            }
            break;
        case core::SessionState::assisted: break;
        case core::SessionState::ending:
            if (m_screen != Screen::ending)
                m_history.push_back(m_screen);
            m_screen = Screen::ending;
            m_overlay = Overlay::none;
            cancel_scan();
            close_browser();
            break;
        case core::SessionState::wiping:
            m_screen = Screen::wiping;
            wipe_session();
            break;
        case core::SessionState::out_of_order:
            m_screen = Screen::out_of_order;
            m_overlay = Overlay::none;
            if (m_store.open())
                wipe_session();
            break;
        }
    }
}

void App::begin_session_storage()
{
    if (auto begun = m_store.begin(); !begun) {
        m_audit.record("storage_error", { { "code", to_string(begun.error().code) } });
        m_session.set_out_of_order("storage_unavailable");
        return;
    }
    m_selected = 0;
    m_unlocked_by.clear();
    m_scan_result.clear();
    m_print_result.clear();
    m_notice.clear();
    // Each resident starts from the same choices, whatever the last one picked: grey prints (cheaper, and what most
    // forms need), one side, the glass, colour scans.
    m_print_gray = true;
    m_print_duplex = false;
    m_scan_settings = {};
    forget_journeys();
    m_wiped_at.reset();
}

void App::wipe_session()
{
    cancel_scan();
    if (m_scan_thread.joinable())
        m_scan_thread.join();
    if (m_unlock_thread.joinable())
        m_unlock_thread.join();
    if (m_prepare_thread.joinable())
        m_prepare_thread.join();
    m_upload_cancel = true;
    if (m_upload_thread.joinable())
        m_upload_thread.join();
    if (m_status_thread.joinable())
        m_status_thread.join();
    m_status_checking = false;
    m_preparing = false;
    m_uploading = false;
    m_upload_name.clear();
    m_prepare_result.clear();
    forget_browser_state();
    {
        std::lock_guard lock(m_jobs_mutex);
        m_jobs.clear(); // results of the finished session's work have nowhere to go
    }
    m_scanning = false;
    m_checking_pin = false;
    OPENSSL_cleanse(m_pin.data(), m_pin.size());
    m_pin.clear();
    m_badge_holder.clear();
    m_unlocked_by.clear();
    close_browser();
    core::SessionStore::PurgePrintJobs purge;
    if (m_devices.printer)
        purge = [this](std::vector<int> const& jobs) { return m_devices.printer->purge(jobs); };
    bool ok = m_store.wipe(purge).ok;
    for (auto& [name, texture] : m_thumbnails)
        SDL_DestroyTexture(texture);
    m_thumbnails.clear();
    forget_preview();
    forget_glass_preview();
    m_previewing = false;
    m_tray_first = 0;
    m_pages_first = 0;
    m_page_to_delete.clear();
    m_moved_page.clear();
    if (m_canvas)
        m_canvas->forget_cached_text();
    if (SDL_WasInit(SDL_INIT_VIDEO))
        SDL_SetClipboardText("");
    // Text selected in a page, or copied, must not be there for the next resident to paste.
    if (m_clear_selections)
        m_clear_selections();
    m_active_job.reset();
    m_message_text.clear();
    m_message_title.clear();
    m_notice.clear();
    m_scan_result.clear();
    m_print_result.clear();
    m_current_event.clear();
    m_current_partner.clear();
    forget_journeys();
    m_rename_text.clear();
    m_entering_mrz = false;
    m_id_document.reset();
    m_watermark_result.clear();
    m_history.clear();
    if (m_session.state() == core::SessionState::wiping) {
        m_session.wipe_finished(ok);
        if (ok)
            m_wiped_at = m_clock.now();
    }
    m_usage.flush_if_due();
}

void App::navigate(Screen screen)
{
    if (screen == m_screen)
        return;
    if (m_screen == Screen::browser)
        close_browser();
    leave_scan_screen(screen);
    if (screen == Screen::home) {
        // Home is a new start: a journey left half-way (a send, a page to add) is not carried into the next one.
        m_history.clear();
        forget_journeys();
    } else
        m_history.push_back(m_screen);
    m_screen = screen;
    m_dirty = true;
    if (m_screen == Screen::tray)
        show_selected_in_tray();
    refresh_device_status();
}

void App::leave_scan_screen(Screen next)
{
    if (m_screen != Screen::scan || next == Screen::scan)
        return;
    // A preview is for the sheet on the glass now; whoever comes back to this screen may have moved it.
    if (m_previewing)
        cancel_scan();
    forget_glass_preview();
}

void App::show_selected_in_tray()
{
    int per_page = tray_page_size();
    auto const& tray = m_store.documents();
    for (size_t i = 0; i < tray.size(); ++i)
        if (tray[i].number == m_selected)
            m_tray_first = static_cast<int>(i) / per_page * per_page;
}

bool App::watching_blocked_printer() const
{
    return m_session.in_session() && m_screen == Screen::print && !m_active_job && !print_blocked_key().empty();
}

std::string App::print_blocked_key() const
{
    // A queue refusing jobs would refuse this one. A paused queue (printer-state stopped) is not counted: it keeps
    // the job until an agent resumes it, which the print screen then follows; the fault tests pause it on purpose.
    if (!m_printer_status || !m_printer_status->accepting)
        return "printer.condition.offline";
    for (auto condition : m_printer_status->conditions)
        if (condition != drivers::PrinterCondition::toner_low) // pale prints are still prints
            return "printer.condition." + std::string(drivers::to_string(condition));
    return {};
}

void App::refresh_device_status()
{
    // The printer is not asked twice at once: while the background look is out, its answer is awaited.
    if ((m_screen == Screen::print || m_screen == Screen::diagnostics) && !m_status_checking) {
        m_printer_status = m_devices.printer ? m_devices.printer->status() : make_error(ErrorCode::printer_offline);
        m_printer_checked = m_clock.now();
    }
    if (m_screen == Screen::diagnostics)
        m_scanner_capabilities
            = m_devices.scanner ? m_devices.scanner->capabilities() : make_error(ErrorCode::scanner_gone);
}

void App::back()
{
    if (m_overlay == Overlay::site_problem) {
        site_problem_back();
        return;
    }
    if (m_overlay != Overlay::none) {
        // A question or a message over the explanation of a page that failed: back to the explanation, not to
        // Chromium's error page behind it.
        bool explained = site_problem_beneath() && m_overlay != Overlay::upload_picker;
        m_overlay = explained ? Overlay::site_problem : Overlay::none;
        return;
    }
    if (m_screen == Screen::welcome) {
        m_session.cancel_welcome();
        return;
    }
    bool agent_screen = m_screen == Screen::agent_unlock || m_screen == Screen::diagnostics;
    if ((!m_session.in_session() && !agent_screen) || m_history.empty())
        return;
    if (m_screen == Screen::rename && m_entering_mrz) {
        OPENSSL_cleanse(m_rename_text.data(), m_rename_text.size());
        m_rename_text.clear();
        m_entering_mrz = false;
    }
    if (m_screen == Screen::agent_unlock) {
        OPENSSL_cleanse(m_pin.data(), m_pin.size());
        m_pin.clear();
        m_badge_holder.clear();
    }
    if (m_screen == Screen::browser)
        close_browser();
    leave_scan_screen(m_history.back());
    m_screen = m_history.back();
    m_history.pop_back();
    if (m_screen == Screen::tray)
        show_selected_in_tray();
    refresh_device_status();
}

void App::show_message(std::string title_key, std::string text)
{
    m_message_title = tr(title_key);
    m_message_text = std::move(text);
    m_overlay = Overlay::message;
    m_dirty = true;
}

void App::show_error(Error const& error)
{
    // The person sees fixed plain words; the detail goes to the audit log as a code only.
    m_audit.record("error", { { "code", to_string(error.code) } });
    show_message("message.problem", tr("error." + std::string(to_string(error.code))));
}

void App::tap(int x, int y)
{
    if (!m_canvas)
        return;
    m_dirty = true;
    if (m_session.idle_warning_active()) {
        // Any touch during the countdown means someone is there.
        m_session.still_here();
        return;
    }
    m_session.activity();
    if (auto const* widget = m_canvas->widget_at(x, y); widget && widget->enabled)
        on_widget(widget->id);
}

bool App::tap_widget(std::string const& id)
{
    if (!m_canvas)
        return false;
    auto const* widget = m_canvas->find_widget(id);
    if (!widget || !widget->enabled)
        return false;
    tap(widget->rect.x + widget->rect.w / 2, widget->rect.y + widget->rect.h / 2);
    return true;
}

void App::key(SDL_Keycode key)
{
    m_dirty = true;
    if (m_session.idle_warning_active()) {
        m_session.still_here();
        return;
    }
    m_session.activity();
    if (key == SDLK_ESCAPE || key == SDLK_AC_BACK) {
        back();
    } else if (m_screen == Screen::rename && key == SDLK_BACKSPACE) {
        erase_last_character();
    } else if (m_screen == Screen::rename && (key == SDLK_RETURN || key == SDLK_KP_ENTER)) {
        finish_rename();
    }
}

bool App::type_text(std::string const& text)
{
    m_session.activity();
    if (m_screen != Screen::rename || m_overlay != Overlay::none || m_session.idle_warning_active())
        return false;
    for (char c : text) {
        // Control characters never reach a document name; the rest is UTF-8 as typed.
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f && c != '/')
            m_rename_text.push_back(m_entering_mrz && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    limit_rename_text();
    m_dirty = true;
    return true;
}

void App::limit_rename_text()
{
    if (m_entering_mrz) {
        // Three lines of 30 or two of 44, with line breaks and some slack for typing mistakes.
        if (m_rename_text.size() > 160)
            m_rename_text.resize(160);
        return;
    }
    // At most 40 code points, cut on a character boundary.
    size_t code_points = 0;
    for (size_t i = 0; i < m_rename_text.size(); ++i) {
        if ((static_cast<unsigned char>(m_rename_text[i]) & 0xC0) != 0x80 && ++code_points > max_document_name) {
            m_rename_text.resize(i);
            break;
        }
    }
}

void App::erase_last_character()
{
    while (!m_rename_text.empty()) {
        bool continuation = (static_cast<unsigned char>(m_rename_text.back()) & 0xC0) == 0x80;
        m_rename_text.pop_back();
        if (!continuation)
            break;
    }
}

void App::finish_mrz_entry()
{
    auto document = drivers::mrz::parse_text(m_rename_text, today());
    if (!document) {
        // A single line starting with D is a driving licence typed short or long: say how long it must be and
        // how long it is. Anything else gets the general advice.
        std::vector<size_t> lengths;
        size_t length = 0;
        char first = 0;
        // Counted in place: a copy of what was typed would outlive the wipe of m_rename_text.
        for (size_t i = 0; i <= m_rename_text.size(); ++i) {
            char c = i < m_rename_text.size() ? m_rename_text[i] : '\n';
            if (c == '\n' || c == '\r') {
                if (length)
                    lengths.push_back(length);
                length = 0;
            } else if (c != ' ' && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
                if (lengths.empty() && length == 0)
                    first = c;
                ++length;
            }
        }
        if (lengths.size() == 1 && (first == 'D' || first == 'd'))
            show_message("message.problem", tr("id_capture.not_mrz_one_line", { std::to_string(lengths[0]) }));
        else
            show_message("message.problem", tr("id_capture.not_mrz"));
        return;
    }
    m_audit.record("identity_document_typed",
        { { "format", drivers::mrz::to_string(document->format) }, { "valid", document->valid } });
    m_id_document = std::move(*document);
    m_watermark_result.clear();
    OPENSSL_cleanse(m_rename_text.data(), m_rename_text.size());
    m_rename_text.clear();
    m_entering_mrz = false;
    back();
}

void App::finish_rename()
{
    if (m_entering_mrz) {
        finish_mrz_entry();
        return;
    }
    auto first = m_rename_text.find_first_not_of(' ');
    auto last = m_rename_text.find_last_not_of(' ');
    std::string name = first == std::string::npos ? std::string() : m_rename_text.substr(first, last - first + 1);
    if (!name.empty() && m_store.rename(m_selected, name))
        m_audit.record("document_renamed");
    m_rename_text.clear();
    back();
}

void App::id_event(drivers::IdEvent event)
{
    m_dirty = true;
    switch (event.kind) {
    case drivers::IdEvent::Kind::card_inserted:
        // The UID identifies an agent's badge, not a resident; still, only the fact goes to the log.
        m_audit.record("badge_presented", { { "state", core::to_string(m_session.state()) } });
        if (auto const* agent = m_agents.find_by_badge(event.card_uid)) {
            open_agent_unlock(agent);
        } else {
            m_notice = tr("notice.badge_unknown");
        }
        break;
    case drivers::IdEvent::Kind::card_removed: break;
    case drivers::IdEvent::Kind::mrz_read:
        // Identity documents are captured only in an assisted session, with an agent present.
        if (m_session.state() == core::SessionState::assisted) {
            std::vector<std::string_view> lines(event.mrz_lines.begin(), event.mrz_lines.end());
            auto document = drivers::mrz::parse(lines, today());
            // Only the kind of document and whether it checked out: never a name or a number.
            m_audit.record("identity_document_read",
                { { "format", document ? drivers::mrz::to_string(document->format) : "not_mrz" },
                    { "valid", document && document->valid } });
            if (document)
                m_id_document = std::move(*document);
            else
                m_id_document.reset();
            m_notice = tr(document ? "notice.mrz_read" : "notice.mrz_unreadable");
            m_watermark_result.clear();
            if (m_screen != Screen::id_capture)
                navigate(Screen::id_capture);
        } else {
            m_audit.record("identity_document_ignored", { { "state", core::to_string(m_session.state()) } });
            m_notice = tr("notice.mrz_needs_agent");
        }
        break;
    }
}

void App::on_widget(std::string const& id)
{
    Screen const screen_before = m_screen;
    if (on_browser_widget(id)) {
        apply_transitions();
        return;
    }
    m_notice.clear();
    if (id == "start") {
        m_session.start();
    } else if (id == "lang_fr" || id == "lang_en") {
        m_language = id.substr(5);
    } else if (id == "accept") {
        m_session.accept_rules(m_language);
    } else if (id == "cancel_welcome") {
        m_session.cancel_welcome();
    } else if (id == "go_home") {
        m_overlay = Overlay::none;
        navigate(Screen::home);
    } else if (id == "back") {
        // On a partner site, Back is the site's previous page first; the kiosk's own Back on its first page. A
        // question or the picker in front goes first (the picker's request goes with it).
        if (m_overlay == Overlay::upload_picker)
            on_browser_widget("upload_cancel");
        else if (m_overlay != Overlay::none || !browser_back())
            back();
    } else if (id == "end_session") {
        m_overlay = Overlay::none;
        m_session.request_end(core::EndReason::resident);
    } else if (id == "call_agent") {
        m_audit.record("agent_called", { { "session", std::string_view(m_session.session_id()) } });
        m_overlay = Overlay::agent_called;
    } else if (id == "close_overlay") {
        m_overlay = Overlay::none;
    } else if (id == "still_here") {
        m_session.still_here();
    } else if (id == "resume") {
        m_session.resume();
    } else if (id == "end_now") {
        m_session.finish_ending();
    } else if (id.starts_with("event_")) {
        m_current_event = id.substr(6);
        navigate(Screen::event);
    } else if (id.starts_with("partner_")) {
        m_current_partner = id.substr(8);
        navigate(Screen::partner);
    } else if (id == "open_site") {
        open_partner_site();
    } else if (id == "sim_download") {
        if (auto* sim = m_devices.sim_browser) {
            std::vector<documents::PdfPage> pages(1);
            auto image = drivers::synthesize_page(0, 100, drivers::ColorMode::gray, 7);
            auto jpeg = documents::encode_jpeg(image, 80);
            if (jpeg) {
                pages[0] = documents::PdfPage { std::move(*jpeg), image.width, image.height, 1, 100 };
                if (auto pdf = documents::assemble_pdf(pages, "Attestation"))
                    (void)sim->simulate_download("attestation.pdf", *pdf);
            }
        }
    } else if (id == "go_scan") {
        // From home or the tray the scan stands alone; from a partner's page it is for that partner's site.
        if (screen_before != Screen::partner)
            m_send_partner.clear();
        else
            m_send_partner = m_current_partner;
        fresh_scan();
        navigate(Screen::scan);
    } else if (id == "go_sites") {
        navigate(Screen::sites);
    } else if (id == "go_events") {
        navigate(Screen::events);
    } else if (id == "task_send") {
        m_send_partner.clear();
        m_send_document = 0;
        navigate(Screen::send);
    } else if (id.starts_with("send_") && m_catalogue.partner(id.substr(5))) {
        m_send_partner = id.substr(5);
        if (find_document(m_send_document)) {
            // The document was chosen first (after a scan): straight to the site.
            send_document(m_send_document);
        } else {
            fresh_scan();
            navigate(Screen::scan);
        }
    } else if (id == "copy_start") {
        m_append_to = 0;
        start_scan(true);
    } else if (id == "next_send") {
        if (!m_send_partner.empty())
            send_document(m_scan_document);
        else {
            m_send_document = m_scan_document;
            navigate(Screen::send);
        }
    } else if (id == "next_print") {
        if (find_document(m_scan_document))
            open_print(m_scan_document);
    } else if (id == "next_more") {
        // The next page joins the document just scanned, as the second page of a form would.
        forget_scan_outcome();
        m_append_to = m_scan_document;
    } else if (id == "go_forms") {
        open_forms(screen_before == Screen::partner ? m_current_partner : std::string(),
            screen_before == Screen::event ? m_current_event : std::string());
    } else if (id == "forms_prev" || id == "forms_next") {
        m_forms_first
            = turned(m_forms_first, forms_page_size(), static_cast<int>(listed_forms().size()), id == "forms_next");
    } else if (id.starts_with("form_")) {
        take_form(id.substr(5));
    } else if (id == "go_tray") {
        navigate(Screen::tray);
    } else if ((id.starts_with("source_") || id.starts_with("mode_")) && m_screen == Screen::scan) {
        // Touching a setting after a scan starts the next one, a new document: the Scan button comes back.
        forget_scan_outcome();
        if (id == "source_adf")
            forget_glass_preview(); // it showed the glass, not what the feeder will take
        m_scan_settings.source = id == "source_adf" ? drivers::ScanSource::adf
            : id == "source_flatbed"                ? drivers::ScanSource::flatbed
                                                    : m_scan_settings.source;
        m_scan_settings.mode = id == "mode_color" ? drivers::ColorMode::color
            : id == "mode_gray"                   ? drivers::ColorMode::gray
            : id == "mode_lineart"                ? drivers::ColorMode::lineart
                                                  : m_scan_settings.mode;
    } else if (id == "scan_start") {
        start_scan(false);
    } else if (id == "scan_preview") {
        start_preview();
    } else if (id == "scan_cancel") {
        cancel_scan();
    } else if (id.starts_with("doc_")) {
        m_selected = std::atoi(id.c_str() + 4);
    } else if (id == "tray_prev" || id == "tray_next") {
        int per_page = tray_page_size();
        auto const& tray = m_store.documents();
        int count = static_cast<int>(tray.size());
        m_tray_first = turned(m_tray_first, per_page, count, id == "tray_next");
        // The actions act on the highlighted document: it must be one on screen, never one turned away.
        auto const* selected = selected_document();
        int index = selected ? static_cast<int>(selected - tray.data()) : count;
        if (m_tray_first < count && (index < m_tray_first || index >= m_tray_first + per_page))
            m_selected = tray[static_cast<size_t>(m_tray_first)].number;
    } else if (id == "pages_doc") {
        if (auto* document = selected_document();
            document && document->pdf_vault_name.empty() && !document->pages.empty()) {
            m_pages_first = 0;
            m_moved_page.clear();
            navigate(Screen::pages);
        }
    } else if (id == "pages_prev" || id == "pages_next") {
        if (auto* document = selected_document()) {
            m_pages_first = turned(m_pages_first, pages_page_size(), document->page_count(), id == "pages_next");
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
    } else if (id == "prepare_doc") {
        if (auto* document = selected_document(); document && document->pdf_vault_name.empty()) {
            m_prepare_result.clear();
            navigate(Screen::prepare);
        }
    } else if (id == "prep_pdf" || id == "prep_jpeg") {
        m_prepare_jpeg = id == "prep_jpeg";
        m_prepare_result.clear();
    } else if (id.starts_with("limit_")) {
        m_prepare_limit_mb = std::atoi(id.c_str() + 6);
        m_prepare_result.clear();
    } else if (id == "prepare_start") {
        start_prepare();
    } else if (id == "preview_prev") {
        m_preview_page = std::max(0, m_preview_page - 1);
    } else if (id == "preview_next") {
        if (auto* document = selected_document())
            m_preview_page = std::min(document->page_count() - 1, m_preview_page + 1);
    } else if (id == "print_doc") {
        if (selected_document())
            open_print(m_selected);
    } else if (id == "agent") {
        open_agent_unlock(nullptr);
    } else if (id.starts_with("pin_") && id.size() == 5 && id[4] >= '0' && id[4] <= '9') {
        if (m_pin.size() < core::max_pin_digits && !unlock_locked_out())
            m_pin.push_back(id[4]);
    } else if (id == "pin_clear") {
        OPENSSL_cleanse(m_pin.data(), m_pin.size());
        m_pin.clear();
    } else if (id == "pin_ok") {
        check_pin();
    } else if (id == "extend_15") {
        m_session.extend(std::chrono::minutes(15));
    } else if (id == "quota_up") {
        if (m_session.state() == core::SessionState::assisted) {
            m_store.add_quota(20);
            m_audit.record("quota_raised", { { "pages", int64_t(20) } });
        }
    } else if (id == "lock") {
        if (m_session.leave_assisted()) {
            m_unlocked_by.clear();
            navigate(Screen::home);
        } else {
            back();
        }
    } else if (id == "id_capture") {
        if (m_session.state() == core::SessionState::assisted)
            navigate(Screen::id_capture);
    } else if (id.starts_with("purpose_")) {
        watermark_selected(id.substr(8));
    } else if (id == "back_in_service") {
        // Whatever put the kiosk out of order, the last session's traces go before anyone else may start one.
        if (m_session.state() == core::SessionState::out_of_order) {
            if (remove_leftovers("back_in_service_wipe") && check_ground())
                m_session.clear_out_of_order();
            else
                show_message("message.problem",
                    tr("diagnostics.still_out_of_order",
                        { tr("out_of_order.reason." + m_session.out_of_order_reason()) }));
        }
    } else if (id == "rename_doc") {
        if (auto* document = selected_document()) {
            m_rename_text = document->name;
            m_shift = true;
            navigate(Screen::rename);
        }
    } else if (id == "type_mrz") {
        if (m_session.state() == core::SessionState::assisted) {
            m_entering_mrz = true;
            m_rename_text.clear();
            navigate(Screen::rename);
        }
    } else if (id == "kb_filler" && m_entering_mrz) {
        m_rename_text += "<";
        limit_rename_text();
    } else if (id == "kb_newline" && m_entering_mrz) {
        m_rename_text += "\n";
        limit_rename_text();
    } else if (id == "rename_ok") {
        finish_rename();
    } else if (id == "kb_backspace") {
        erase_last_character();
    } else if (id == "kb_clear") {
        m_rename_text.clear();
        m_shift = true;
    } else if (id == "kb_shift") {
        m_shift = !m_shift;
    } else if (id.starts_with("kb_")) {
        if (auto text = keyboard_text(id, m_shift || m_entering_mrz)) {
            m_rename_text += *text;
            limit_rename_text();
            m_shift = false;
        }
    } else if (id == "delete_doc") {
        if (selected_document())
            m_overlay = Overlay::confirm_delete;
    } else if (id == "confirm_delete") {
        m_overlay = Overlay::none;
        delete_selected_document();
    } else if (id == "copies_minus") {
        m_copies = std::max(1, m_copies - 1);
    } else if (id == "copies_plus") {
        m_copies = std::min(9, m_copies + 1);
    } else if (id == "print_color") {
        m_print_gray = false;
    } else if (id == "print_gray") {
        m_print_gray = true;
    } else if (id == "duplex_on") {
        m_print_duplex = true;
    } else if (id == "duplex_off") {
        m_print_duplex = false;
    } else if (id == "print_start") {
        start_print();
    }
    apply_transitions();
    // A tap on the same screen is when a person looks again: the printer may have been refilled meanwhile.
    if (m_screen == screen_before)
        refresh_device_status();
}

void App::open_agent_unlock(core::Agent const* badge_holder)
{
    if (m_screen == Screen::agent_unlock && badge_holder && !m_checking_pin) {
        // The pad was open without a badge; now one is shown: its holder types their PIN.
        OPENSSL_cleanse(m_pin.data(), m_pin.size());
        m_pin.clear();
        m_badge_holder = badge_holder->id;
        m_unlock_message.clear();
        return;
    }
    if (m_screen == Screen::agent_unlock || m_screen == Screen::ending || m_screen == Screen::wiping)
        return;
    m_pin.clear();
    m_badge_holder = badge_holder ? badge_holder->id : std::string();
    m_unlock_message.clear();
    m_overlay = Overlay::none;
    navigate(Screen::agent_unlock);
}

bool App::needs_badge() const
{
    return m_badge_holder.empty() && m_config.agent_unlock == core::AgentUnlock::badge_and_pin;
}

bool App::unlock_locked_out() const
{
    return m_store.lockout().locked();
}

void App::check_pin()
{
    if (m_checking_pin || unlock_locked_out() || m_pin.empty() || needs_badge())
        return;
    if (m_unlock_thread.joinable())
        m_unlock_thread.join();
    m_checking_pin = true;
    // The try counts as failed before it is checked, on disk too: ending the session (or cutting the power) while
    // the PIN is checked does not make it free. A right PIN takes it back.
    m_lock_seconds = m_store.lockout().count_failure();
    // scrypt takes ~0.1 s per agent tried: off the UI thread, so the screen never freezes.
    std::string pin = std::exchange(m_pin, {});
    std::string badge_holder = m_badge_holder;
    bool pin_alone = m_config.agent_unlock == core::AgentUnlock::pin;
    m_unlock_thread = std::thread([this, pin = std::move(pin), badge_holder, pin_alone]() mutable {
        core::Agent const* holder = badge_holder.empty() ? nullptr : m_agents.find(badge_holder);
        core::Agent const* agent = m_agents.authenticate(pin, holder, pin_alone);
        OPENSSL_cleanse(pin.data(), pin.size());
        std::string id = agent ? agent->id : std::string();
        post([this, id, badge_holder] {
            m_checking_pin = false;
            auto const* agent = id.empty() ? nullptr : m_agents.find(id);
            m_audit.record("agent_unlock_attempt",
                { { "ok", agent != nullptr }, { "method", badge_holder.empty() ? "pin" : "badge" },
                    { "agent", std::string_view(agent ? agent->id : badge_holder) } });
            if (agent) {
                m_store.lockout().succeeded();
                unlocked(*agent);
                return;
            }
            if (m_lock_seconds > 0)
                m_audit.record("agent_unlock_locked", { { "seconds", static_cast<int64_t>(m_lock_seconds) } });
            m_unlock_message = tr("agent.wrong_pin");
        });
    });
}

void App::unlocked(core::Agent const& agent)
{
    m_badge_holder.clear();
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
        m_unlocked_by = agent.display_name;
        navigate(Screen::assisted);
    } else if (m_session.state() == core::SessionState::assisted) {
        navigate(Screen::assisted);
    }
}

void App::open_forms(std::string partner, std::string event)
{
    m_forms_partner = std::move(partner);
    m_forms_event = std::move(event);
    m_forms_first = 0;
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
    return forms_for(m_forms_partner, m_forms_event);
}

int App::available_forms(std::string const& partner, std::string const& event) const
{
    int count = 0;
    for (size_t index : forms_for(partner, event))
        count += index >= m_form_available.size() || m_form_available[index];
    return count;
}

void App::check_forms()
{
    m_form_available.clear();
    for (auto const& form : m_forms)
        m_form_available.push_back(documents::form_available(form));
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
    if (!add_pdf_document(core::localized(form->title, m_language), *pdf))
        return;
    m_usage.count_form(form->slug);
    if (m_config.audit.per_session_detail)
        m_audit.record("form", { { "form", std::string_view(form->slug) } });
    open_print(m_selected);
}

void App::start_prepare()
{
    auto* document = selected_document();
    if (!document || document->is_pdf() || !m_store.open() || m_preparing)
        return;
    std::vector<documents::Image> pages;
    for (auto const& page : document->pages) {
        auto jpeg = m_store.read(page.vault_name);
        auto image = jpeg ? documents::decode_jpeg(*jpeg) : Result<documents::Image>(std::unexpected(jpeg.error()));
        if (!image) {
            show_error(image.error());
            return;
        }
        pages.push_back(std::move(*image));
    }
    if (m_prepare_thread.joinable())
        m_prepare_thread.join();
    m_preparing = true;
    m_prepare_result.clear();
    size_t limit = static_cast<size_t>(m_prepare_limit_mb) * 1000 * 1000;
    auto format = m_prepare_jpeg ? documents::DocumentFormat::jpeg : documents::DocumentFormat::pdf;
    std::string base = "upload-" + std::to_string(document->number);
    m_prepare_thread = std::thread([this, pages = std::move(pages), limit, format, base,
                                       name = document->name]() mutable {
        auto fitted = documents::fit_to_size(pages, limit, format);
        post([this, fitted = std::move(fitted), format, base, name] {
            m_preparing = false;
            if (!fitted) {
                m_audit.record("prepare", { { "ok", false } });
                show_message("message.problem", tr("prepare.too_large", { std::to_string(m_prepare_limit_mb) }));
                return;
            }
            // The files go to the uploads folder, the only one the browser's file picker is given.
            auto uploads = m_store.scratch_directory("uploads");
            if (!uploads) {
                show_error(uploads.error());
                return;
            }
            for (size_t i = 0; i < fitted->files.size(); ++i) {
                auto file_name = format == documents::DocumentFormat::pdf ? base + ".pdf"
                                                                          : base + "-" + std::to_string(i + 1) + ".jpg";
                std::ofstream out(*uploads / file_name, std::ios::binary);
                out.write(reinterpret_cast<char const*>(fitted->files[i].data()),
                    static_cast<std::streamsize>(fitted->files[i].size()));
                if (!out) {
                    show_error(Error { ErrorCode::storage_full, {} });
                    return;
                }
            }
            char size[32];
            std::snprintf(size, sizeof size, "%.1f", static_cast<double>(fitted->bytes) / 1e6);
            std::string size_text = size;
            if (m_language == "fr")
                std::replace(size_text.begin(), size_text.end(), '.', ',');
            m_prepare_result
                = tr("prepare.ready", { size_text, std::to_string(fitted->dpi), std::to_string(fitted->quality) });
            m_audit.record("prepare",
                { { "ok", true }, { "bytes", static_cast<int64_t>(fitted->bytes) },
                    { "dpi", static_cast<int64_t>(fitted->dpi) } });
        });
    });
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
        auto encoded = documents::encode_jpeg(*image, scan_jpeg_quality);
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
    m_watermark_result = tr("id_capture.watermarked", { partner->name });
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
    if (document->number == m_scan_document)
        forget_scan_outcome();
    if (document->number == m_send_document)
        m_send_document = 0;
    if (document->number == m_append_to)
        m_append_to = 0;
    m_store.remove(m_selected);
    auto const& tray = m_store.documents();
    m_selected = tray.empty() ? 0 : tray.back().number;
    show_selected_in_tray();
}

int App::first_shown(int first, int per_page, int count) const
{
    // Screenfuls start at multiples of per_page; past the end is the last screenful (after a deletion).
    per_page = std::max(1, per_page);
    int last = std::max(0, count - 1) / per_page * per_page;
    return std::clamp(first / per_page * per_page, 0, last);
}

int App::turned(int first, int per_page, int count, bool forward) const
{
    first = first_shown(first, per_page, count);
    return first_shown(forward ? first + per_page : std::max(0, first - per_page), per_page, count);
}

void App::move_page(int index, int by)
{
    auto const* document = selected_document();
    if (!document || !m_store.move_page(m_selected, index, by))
        return;
    int target = index + by;
    int count = document->page_count();
    // The page keeps the eye: outlined, and the screenful follows it when it crosses to the next one.
    m_moved_page = document->pages[static_cast<size_t>(target)].vault_name;
    m_pages_first = first_shown(target, pages_page_size(), count);
    forget_preview();
}

void App::ask_delete_page(int index)
{
    auto const* document = selected_document();
    if (!document || document->is_pdf() || index < 0 || index >= static_cast<int>(document->pages.size()))
        return;
    m_page_to_delete = document->pages[static_cast<size_t>(index)].vault_name;
    m_overlay = Overlay::confirm_delete_page;
}

void App::delete_page()
{
    m_overlay = Overlay::none;
    std::string const doomed = std::exchange(m_page_to_delete, {});
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
    if (m_moved_page == doomed)
        m_moved_page.clear();
    forget_preview();
    if (auto const* document = selected_document())
        m_pages_first = first_shown(m_pages_first, pages_page_size(), document->page_count());
}

// Scanning runs on its own thread; every result comes back to this thread through post().
namespace {
class PostingObserver final : public drivers::ScanObserver {
public:
    PostingObserver(std::function<void(int, double)> progress, std::function<void(documents::Image)> page)
        : m_progress(std::move(progress))
        , m_page(std::move(page))
    {
    }
    void on_progress(int page_index, double fraction) override { m_progress(page_index, fraction); }
    void on_page(documents::Image page) override { m_page(std::move(page)); }

private:
    std::function<void(int, double)> m_progress;
    std::function<void(documents::Image)> m_page;
};
} // namespace

void App::start_scan(bool copy)
{
    if (m_scanning || !m_store.open() || !m_devices.scanner)
        return;
    // A photocopy for this scan only: whatever becomes of it (printed, stopped, jammed), the screen is the scan
    // screen again afterwards.
    m_copy_mode = copy;
    if (m_scan_thread.joinable())
        m_scan_thread.join();
    m_scan_cancel = false;
    m_scanning = true;
    m_scan_page = 0;
    m_scan_fraction = 0;
    m_scan_pages_added = 0;
    m_scan_pages_dropped = 0;
    forget_scan_outcome();
    forget_glass_preview(); // the page about to be scanned takes its place on the screen
    bool appending = !copy && find_document(m_append_to);
    m_scan_document = appending ? m_append_to : m_store.take_number();
    m_append_to = 0;
    auto settings = m_scan_settings;
    int document = m_scan_document;
    m_audit.record("scan_start", { { "source", settings.source == drivers::ScanSource::adf ? "adf" : "flatbed" } });
    m_scan_thread = std::thread([this, settings, document, copy] {
        PostingObserver observer(
            [this](int page, double fraction) {
                post([this, page, fraction] {
                    m_scan_page = page;
                    m_scan_fraction = fraction;
                });
            },
            [this, document, settings](documents::Image frame) {
                // Crop, deskew, encoding and the thumbnail are done here, off the UI thread.
                documents::PageOptions options;
                options.mode = settings.mode == drivers::ColorMode::color ? documents::PageMode::color
                    : settings.mode == drivers::ColorMode::gray           ? documents::PageMode::gray
                                                                          : documents::PageMode::black_and_white;
                auto prepared = documents::prepare_page(frame, options);
                if (settings.source == drivers::ScanSource::adf && prepared.blank) {
                    // The back of a one-sided sheet, a separator: not a page anyone wants to upload.
                    post([this] { ++m_scan_pages_dropped; });
                    return;
                }
                documents::Image image = std::move(prepared.image);
                auto jpeg = documents::encode_jpeg(image, scan_jpeg_quality);
                auto thumbnail = documents::downscale(image, thumbnail_width, thumbnail_height);
                if (!jpeg) {
                    post([this, error = jpeg.error()] { show_error(error); });
                    return;
                }
                post([this, document, jpeg = std::move(*jpeg), thumbnail = std::move(thumbnail), w = image.width,
                         h = image.height, c = image.channels, dpi = image.dpi]() mutable {
                    add_scanned_page(document, std::move(jpeg), std::move(thumbnail), w, h, c, dpi);
                });
            });
        auto result = m_devices.scanner->scan(settings, observer, m_scan_cancel);
        post([this, result, settings, copy] {
            m_scanning = false;
            m_copy_mode = false;
            bool from_glass = settings.source == drivers::ScanSource::flatbed;
            m_audit.record("scan_end",
                { { "pages", static_cast<int64_t>(m_scan_pages_added) },
                    { "result", result ? "ok" : to_string(result.error().code) } });
            if (!result && result.error().code != ErrorCode::cancelled) {
                show_error(result.error());
            } else if (result && copy && m_scan_pages_added > 0 && m_screen == Screen::scan) {
                // A photocopy goes on to the print screen with what was just scanned; the original is still on the
                // glass, which the print screen says.
                m_glass_reminder = from_glass;
                open_print(m_scan_document);
            } else if (result) {
                m_scan_result = tr_count("scan.done", m_scan_pages_added);
                if (m_scan_pages_dropped > 0)
                    m_scan_result += " " + tr_count("scan.dropped", m_scan_pages_dropped);
                // Every scan ends with what comes next: send it, print it, add a page.
                bool kept = find_document(m_scan_document) != nullptr;
                m_scan_next = kept && m_scan_pages_added > 0;
                m_glass_reminder = m_scan_pages_added > 0 && from_glass;
                if (kept)
                    m_selected = m_scan_document;
            } else {
                m_scan_result = tr("scan.cancelled");
            }
        });
    });
}

void App::start_preview()
{
    if (m_scanning || !m_store.open() || !m_devices.scanner || m_scan_settings.source != drivers::ScanSource::flatbed)
        return;
    if (m_scan_thread.joinable())
        m_scan_thread.join();
    m_scan_cancel = false;
    m_scanning = true;
    m_previewing = true;
    m_scan_page = 0;
    m_scan_fraction = 0;
    m_scan_result.clear();
    // Colour when the scan will be in colour, grey otherwise: black and white would hide a faint page.
    auto mode
        = m_scan_settings.mode == drivers::ColorMode::color ? drivers::ColorMode::color : drivers::ColorMode::gray;
    int fallback_dpi = m_scan_settings.dpi;
    m_scan_thread = std::thread([this, mode, fallback_dpi] {
        // The lowest resolution the scanner offers is the fastest pass over the glass. Asking is a round trip
        // to the device, so it is asked here, off the UI thread.
        int dpi = fallback_dpi;
        if (auto capabilities = m_devices.scanner->capabilities()) {
            auto const& offered = capabilities->resolutions;
            auto lowest
                = std::find_if(offered.begin(), offered.end(), [](int r) { return r >= glass_preview_min_dpi; });
            if (lowest != offered.end())
                dpi = std::min(*lowest, fallback_dpi);
        }
        drivers::ScanSettings settings { drivers::ScanSource::flatbed, mode, dpi };
        PostingObserver observer(
            [this](int page, double fraction) {
                post([this, page, fraction] {
                    m_scan_page = page;
                    m_scan_fraction = fraction;
                });
            },
            [this](documents::Image frame) {
                // The whole glass as the scanner sees it, uncropped: where the sheet lies and which way up.
                auto shown = documents::downscale(frame, glass_preview_max, glass_preview_max);
                post([this, shown = std::move(shown)] {
                    if (m_scan_cancel)
                        return; // stopped, or the screen was left: the picture has nowhere to go
                    forget_glass_preview();
                    m_glass_preview = texture_from_image(m_renderer, shown);
                });
            });
        auto result = m_devices.scanner->scan(settings, observer, m_scan_cancel);
        post([this, result, dpi] {
            m_scanning = false;
            m_previewing = false;
            m_audit.record("scan_preview",
                { { "dpi", static_cast<int64_t>(dpi) }, { "result", result ? "ok" : to_string(result.error().code) } });
            if (!result && result.error().code != ErrorCode::cancelled)
                show_error(result.error());
        });
    });
}

void App::forget_glass_preview()
{
    if (m_glass_preview)
        SDL_DestroyTexture(m_glass_preview);
    m_glass_preview = nullptr;
}

void App::cancel_scan()
{
    m_scan_cancel = true;
}

void App::add_scanned_page(int document_number, std::vector<uint8_t> jpeg, documents::Image thumbnail, int width,
    int height, int channels, int dpi)
{
    if (!m_store.open())
        return;
    auto page = m_store.add_page(document_number, tr("tray.scan_name", { std::to_string(document_number) }), jpeg,
        TrayPage { {}, width, height, channels, dpi });
    if (!page) {
        // The pages already scanned stay; the scan stops and the person is told (to make room, when it is full).
        cancel_scan();
        show_error(page.error());
        return;
    }
    keep_thumbnail(page->vault_name, thumbnail);
    m_selected = document_number;
    ++m_scan_pages_added;
}

void App::start_print()
{
    auto const* document = selected_document();
    if (!document || !m_store.open() || !m_devices.printer || m_scanning || m_active_job)
        return;
    if (!document->pdf_readable) {
        show_message("message.problem", tr("print.unreadable"));
        return;
    }
    int pages = document->page_count() * m_copies;
    if (pages > m_store.pages_left()) {
        m_audit.record("print_refused", { { "reason", "quota" }, { "pages", static_cast<int64_t>(pages) } });
        show_message("message.quota_title", tr("print.quota_refused", { std::to_string(m_store.pages_left()) }));
        return;
    }
    drivers::PrintRequest request;
    request.title = "kiosk-" + std::to_string(document->number);
    request.copies = m_copies;
    request.gray = m_print_gray;
    request.duplex = m_print_duplex;
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
    m_audit.record("print", { { "pages", static_cast<int64_t>(pages) }, { "copies", static_cast<int64_t>(m_copies) } });
    m_active_job = ActiveJob { *job, pages, {}, std::nullopt, false };
    follow_print_job();
}

void App::follow_print_job()
{
    if (!m_active_job || !m_devices.printer)
        return;
    m_active_job->last_poll = m_clock.now();
    if (m_active_job->abandoned) {
        // Given up on: cancelled at the first answer of the print server, then the resident may print again.
        auto cancelled = m_devices.printer->cancel(m_active_job->id);
        if (cancelled || cancelled.error().code == ErrorCode::not_found) {
            m_audit.record("print_cancelled", { { "reason", "gave_up" } });
            m_active_job.reset();
            m_print_result.clear();
            refresh_device_status(); // the server answers again: so may the printer
            m_dirty = true;
        }
        return;
    }
    refresh_device_status();
    auto status = m_devices.printer->job(m_active_job->id);
    if (!status && status.error().code == ErrorCode::not_found) {
        // The print server came back without the job (it crashed before it wrote it down): nothing is known to
        // have come out, so nothing is charged, and the resident may print again.
        m_audit.record("print_end", { { "state", "lost" } });
        m_active_job.reset();
        m_print_result.clear();
        show_message("message.problem", tr("print.lost"));
        return;
    }
    if (!status) {
        // The print server went away: say so, keep following, charge nothing yet. It usually comes back within
        // seconds (systemd restarts it); after a while the kiosk stops waiting, still charging nothing. The job is
        // cancelled and purged at the session's end, or as soon as the server answers again.
        auto now = m_clock.now();
        if (!m_active_job->unreachable_since)
            m_active_job->unreachable_since = now;
        if (now - *m_active_job->unreachable_since >= print_server_patience && !m_active_job->abandoned) {
            m_audit.record("print_end", { { "state", "unknown" }, { "code", to_string(status.error().code) } });
            // Not charged, and not forgotten: the job is cancelled as soon as the server answers again, so that it
            // cannot come out later in the session (printed twice if the resident tries again) or after it.
            m_active_job->abandoned = true;
            m_print_result = tr("print.cancelling");
            show_message("message.problem", tr("print.gave_up"));
            return;
        }
        std::string text = tr("print.server_lost");
        if (text != m_print_result) {
            m_print_result = text;
            m_dirty = true;
        }
        return;
    }
    m_active_job->unreachable_since.reset();
    switch (status->state) {
    case drivers::JobState::completed:
        // Only pages that came out are charged to the quota.
        m_store.charge(m_active_job->pages);
        m_print_result = tr("print.done");
        m_audit.record("print_end", { { "state", "completed" } });
        m_active_job.reset();
        break;
    case drivers::JobState::aborted:
    case drivers::JobState::canceled:
        m_audit.record("print_end", { { "state", drivers::to_string(status->state) } });
        m_active_job.reset();
        m_print_result.clear();
        show_error(Error { ErrorCode::printer_job_failed, {} });
        break;
    case drivers::JobState::pending:
    case drivers::JobState::processing: {
        std::string text = tr(status->state == drivers::JobState::processing ? "print.printing" : "print.waiting");
        if (!status->conditions.empty())
            text = tr("printer.condition." + std::string(drivers::to_string(status->conditions.front())));
        if (text != m_print_result) {
            m_print_result = text;
            m_dirty = true;
        }
        break;
    }
    }
}

void App::forget_scan_outcome()
{
    m_scan_next = false;
    m_glass_reminder = false;
    m_scan_result.clear();
}

void App::fresh_scan()
{
    forget_scan_outcome();
    m_append_to = 0;
}

void App::forget_journeys()
{
    fresh_scan();
    m_copy_mode = false;
    m_send_partner.clear();
    m_send_document = 0;
}

void App::open_print(int number)
{
    m_selected = number;
    m_copies = 1;
    m_preview_page = 0;
    m_print_result.clear();
    navigate(Screen::print);
}

void App::send_document(int number)
{
    auto const* document = find_document(number);
    if (!document || !m_catalogue.partner(m_send_partner))
        return;
    m_selected = number;
    m_send_document = number;
    m_current_partner = m_send_partner;
    m_audit.record("send_journey", { { "pages", static_cast<int64_t>(document->page_count()) } });
    open_partner_site();
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
        auto* document = add_pdf_document(path.stem().string(), bytes);
        if (!document)
            continue;
        m_audit.record("download", { { "pages", static_cast<int64_t>(document->pdf_pages) } });
        m_notice = tr("notice.downloaded");
        m_dirty = true;
    }
}

TrayDocument const* App::add_pdf_document(std::string name, std::vector<uint8_t> const& pdf)
{
    auto info = documents::inspect_pdf(pdf);
    // A damaged or locked PDF stays in the tray (the person may still need it) but cannot be printed.
    auto document = m_store.add_pdf(std::move(name), pdf, info ? std::optional(info->pages) : std::nullopt);
    if (!document) {
        show_error(document.error());
        return nullptr;
    }
    if (info)
        if (auto image = documents::render_pdf_page(pdf, 0, thumbnail_width, thumbnail_height))
            keep_thumbnail((*document)->pdf_vault_name, *image);
    m_selected = (*document)->number;
    return *document;
}

void App::forget_preview()
{
    if (m_preview)
        SDL_DestroyTexture(m_preview);
    m_preview = nullptr;
    m_preview_key = { -1, -1 };
}

SDL_Texture* App::preview_texture(TrayDocument const& document, int page_index)
{
    if (page_index < 0 || page_index >= document.page_count())
        return nullptr;
    if (!document.is_pdf())
        return thumbnail(document.pages[static_cast<size_t>(page_index)].vault_name);
    if (m_preview_key == std::pair { document.number, page_index })
        return m_preview;
    forget_preview();
    m_preview_key = { document.number, page_index };
    auto pdf = m_store.read(document.pdf_vault_name);
    if (!pdf)
        return nullptr;
    if (auto image = documents::render_pdf_page(*pdf, page_index, 600, 850))
        m_preview = texture_from_image(m_renderer, *image);
    return m_preview;
}

} // namespace kiosk::ui
