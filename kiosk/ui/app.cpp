// The kiosk's frame of behaviour: start-up, the session's transitions and wipe, navigation and Back, input routed to
// the screens (each in its file under screens/) and the overlays, background work brought back to the UI thread.
#include "kiosk/ui/app.h"

#include "kiosk/diagnostics/local_checks.h"

#include "kiosk/core/leftovers.h"

#include <algorithm>
#include <openssl/crypto.h>
#include <tuple>

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
    m_headset_jack.reset(); // its thread posts into this App
    // The browser's threads must not post into an App that is going away.
    if (m_devices.browser)
        m_devices.browser->set_listener({});
    stop_session_work();
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
    watch_headset();
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
    return m_translations.count_text(m_language, key, count);
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
    case Overlay::accessibility: return "accessibility";
    case Overlay::language: return "language";
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
    return m_scan.running.load() || m_unlock.checking.load() || m_prepare.running.load() || m_visit.uploading.load()
        || m_looks.asking.load() || m_agent_call.running.load() || m_diagnostics.running.load()
        || m_diagnostics.device_testing.load() || !m_jobs.empty();
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
    if (m_session.in_session() && ((m_devices.browser && m_devices.browser->is_open()) || m_print.job))
        sooner(500); // new downloads, the print's progress: twice a second
    // While a device's answer is awaited, the answer itself wakes the loop: no deadline to count down to.
    if (auto due = next_look_due())
        sooner(static_cast<int>(std::clamp<int64_t>(millis_until(*due), 0, 5000)));
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
    // The countdown is heard too, by whoever has turned away from the screen.
    if (!warning_before && m_session.idle_warning_active())
        sound(speech::Tone::warning);

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
    if (m_session.in_session() && m_print.job
        && m_clock.now() - m_print.job->last_poll >= std::chrono::milliseconds(500))
        follow_print_job();
    // The technician left the diagnostics: a network test still running ends, and its results go.
    if (m_screen != Screen::diagnostics
        && (m_diagnostics.running || m_diagnostics.thread.joinable() || m_diagnostics.device_thread.joinable())) {
        m_diagnostics.stop();
    }
    // A scanner driver stuck in a call: the kiosk restarts as soon as nobody is in a session (the runner waits for
    // that), for a working driver and so that nothing of a resident's scan stays in the stuck call's memory.
    if (!m_restart_asked && m_restart && m_devices.scanner && m_devices.scanner->stuck()) {
        m_restart_asked = true;
        m_audit.record("device_error", { { "device", "scanner" }, { "code", "stuck" } });
        m_restart();
    }
    // A printer that cannot print, or a scanner that does not answer, is looked at again by itself: the Print or
    // Scan button comes back when an agent has put paper in or plugged the scanner again, without the resident having
    // to guess that a tap elsewhere would refresh it.
    // The fleet watches the toner and the paper between sessions too.
    if (m_metrics && m_devices.printer && !m_looks.asking
        && m_clock.now() - m_looks.printer_checked >= printer_look_for_metrics)
        look_at_printer();
    if (auto due = next_look_due(); due && m_clock.now() >= *due) {
        if (watching_blocked_printer())
            look_at_printer();
        else
            look_at_scanner();
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
            m_high_contrast = false;
            m_large_text = false;
            forget_speech();
            m_history.clear();
            break;
        case core::SessionState::welcome:
            m_screen = Screen::welcome;
            // Someone is there: they hear, and read on the attract screen, how the kiosk reads its screen aloud.
            if (transition.from == core::SessionState::attract && !m_speech)
                say(tr(offer_headset() ? "speech.hint_headset" : "speech.hint"), speech::Priority::queue);
            break;
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
    // The last session's wipe put every screen's choices back to the same for each resident: grey prints (cheaper, and
    // what most forms need), one side, the glass, colour scans.
    forget_journeys();
    m_wiped_at.reset();
}

void App::stop_session_work()
{
    cancel_scan();
    m_diagnostics.stop();
    m_agent_call.cancel = true;
    m_visit.upload_cancel = true;
    for (auto* thread : { &m_scan.thread, &m_unlock.thread, &m_prepare.thread, &m_visit.upload_thread, &m_looks.thread,
             &m_agent_call.thread })
        if (thread->joinable())
            thread->join();
    // A call's result posted meanwhile goes with the session's other jobs: it is over.
    m_agent_call.running = false;
    m_agent_call.cancel = false;
}

void App::wipe_session()
{
    // The session's work stops first: nothing it finishes afterwards can bring a document back.
    stop_session_work();
    m_looks.asking = false;
    m_looks.printer_asked = false;
    {
        std::lock_guard lock(m_jobs_mutex);
        m_jobs.clear(); // results of the finished session's work have nowhere to go
    }
    forget_browser_state();
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
    if (m_canvas)
        m_canvas->forget_cached_text();
    if (SDL_WasInit(SDL_INIT_VIDEO))
        SDL_SetClipboardText("");
    // Text selected in a page, or copied, must not be there for the next resident to paste.
    if (m_clear_selections)
        m_clear_selections();
    // Every screen's state goes: the next resident starts from the same choices and sees nothing of this one's.
    m_scan.forget();
    m_prepare.forget();
    m_visit.uploading = false;
    m_visit.upload_cancel = false;
    m_visit.upload_name.clear();
    m_visit.upload_first = 0;
    m_unlock.forget();
    m_assisted = {};
    m_agent_call.state = AgentCall::State::none;
    m_agent_call.help_waiting = false;
    m_agent_call.kind.clear();
    m_agent_call.reached_at.reset();
    m_text_screen.forget();
    m_print = {};
    m_pages_screen = {};
    m_tray_screen = {};
    m_forms_screen.partner.clear();
    m_forms_screen.event.clear();
    m_forms_screen.first = 0; // which forms exist stays: it is the kiosk's, not the resident's
    m_visit.keyboard = {};
    m_send = {};
    m_language = m_config.language;
    m_high_contrast = false;
    m_large_text = false;
    forget_speech();
    m_tiles = {};
    m_event_page = 0;
    m_selected = 0;
    m_message_text.clear();
    m_message_title.clear();
    m_notice.clear();
    m_current_event.clear();
    m_current_partner.clear();
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
    if (m_screen == Screen::diagnostics) {
        // Each visit starts on the first page (large text), with what is wrong.
        m_diagnostics.first = 0;
        m_diagnostics.follow.clear();
    }
    if (m_screen == Screen::tray)
        show_selected_in_tray();
    refresh_device_status();
}

void App::refresh_device_status()
{
    // The printer is not asked twice at once: while the background look at it is out, its answer is awaited.
    if ((m_screen == Screen::print || m_screen == Screen::diagnostics) && !m_looks.printer_asked) {
        m_looks.printer_status
            = m_devices.printer ? m_devices.printer->status() : make_error(ErrorCode::printer_offline);
        m_looks.printer_checked = m_clock.now();
        if (m_looks.printer_status)
            call_agent_for_printer(*m_looks.printer_status);
        report_printer(m_looks.printer_status);
    }
    if (m_screen == Screen::diagnostics)
        m_diagnostics.room = diagnostics::measure_room(m_config.runtime_dir);
    if (m_screen == Screen::diagnostics)
        m_looks.scanner_capabilities
            = m_devices.scanner ? m_devices.scanner->capabilities() : make_error(ErrorCode::scanner_gone);
    // The scanner is asked off the UI thread (opening a USB scanner can take a second or more), and not again
    // within a few seconds: a print followed from the scan screen refreshes this twice a second.
    if (m_screen == Screen::scan && !m_scan.running
        && (!m_looks.scanner_answered || m_clock.now() - m_looks.scanner_checked >= blocked_device_recheck))
        look_at_scanner();
}

std::optional<core::Clock::time_point> App::next_look_due() const
{
    if (m_looks.asking)
        return std::nullopt; // the answer awaited wakes the loop by itself
    if (watching_blocked_printer())
        return m_looks.printer_checked + blocked_device_recheck;
    if (watching_blocked_scanner())
        return m_looks.scanner_checked + blocked_device_recheck;
    return std::nullopt;
}

bool App::ask_in_background(std::function<UiJob()> ask)
{
    if (m_looks.asking)
        return false;
    if (m_looks.thread.joinable())
        m_looks.thread.join(); // finished: its answer was posted
    m_looks.asking = true;
    m_looks.thread = std::thread([this, ask = std::move(ask)] {
        auto apply = ask();
        post([this, apply = std::move(apply)] {
            m_looks.asking = false;
            apply();
            m_dirty = true;
        });
    });
    return true;
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
    if (m_screen == Screen::rename && m_text_screen.entering_mrz) {
        OPENSSL_cleanse(m_text_screen.text.data(), m_text_screen.text.size());
        m_text_screen.text.clear();
        m_text_screen.entering_mrz = false;
    }
    if (m_screen == Screen::agent_unlock) {
        OPENSSL_cleanse(m_unlock.pin.data(), m_unlock.pin.size());
        m_unlock.pin.clear();
        m_unlock.badge_holder.clear();
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
    sound(speech::Tone::error);
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
    // A tap is matched against the last frame drawn. Once a tap has changed the screen or put something over it, a
    // second one before the next frame (a double tap, a shaking finger) would act on buttons that are no longer
    // there: opening a site twice, or deleting what the question behind it was about. It is dropped.
    if (m_frame_outdated)
        return;
    auto const* widget = m_canvas->widget_at(x, y);
    if (explore(widget))
        return;
    // The voice off, a touch on nothing of the welcome: maybe someone who cannot see it. They hear how again.
    if (!widget && m_screen == Screen::welcome && m_overlay == Overlay::none)
        say(tr("speech.hint"), speech::Priority::interrupt);
    if (widget && widget->enabled) {
        auto before = std::tuple(m_screen, m_overlay, m_history.size());
        on_widget(widget->id);
        m_frame_outdated = before != std::tuple(m_screen, m_overlay, m_history.size());
    }
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
            m_text_screen.text.push_back(
                m_text_screen.entering_mrz && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    limit_rename_text();
    m_dirty = true;
    return true;
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
                m_assisted.id_document = std::move(*document);
            else
                m_assisted.id_document.reset();
            m_notice = tr(document ? "notice.mrz_read" : "notice.mrz_unreadable");
            m_assisted.watermark_result.clear();
            if (m_screen != Screen::id_capture)
                navigate(Screen::id_capture);
        } else {
            m_audit.record("identity_document_ignored", { { "state", core::to_string(m_session.state()) } });
            m_notice = tr("notice.mrz_needs_agent");
        }
        break;
    }
}

bool App::on_screen_widget(std::string const& id)
{
    // Each screen's own buttons, in its file under screens/; a widget id belongs to one screen.
    return on_accessibility_widget(id) || on_welcome_widget(id) || on_home_widget(id) || on_partner_widget(id)
        || on_scan_widget(id) || on_tray_widget(id) || on_pages_widget(id) || on_prepare_widget(id)
        || on_print_widget(id) || on_forms_widget(id) || on_rename_widget(id) || on_agent_unlock_widget(id)
        || on_assisted_widget(id) || on_diagnostics_widget(id);
}

void App::on_widget(std::string const& id)
{
    Screen const screen_before = m_screen;
    if (on_browser_widget(id)) {
        apply_transitions();
        return;
    }
    m_notice.clear();
    if (id == "go_home") {
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
        call_agent_for_help();
    } else if (id == "close_overlay") {
        m_overlay = Overlay::none;
    } else if (id == "still_here") {
        m_session.still_here();
    } else if (id == "resume") {
        m_session.resume();
    } else if (id == "end_now") {
        m_session.finish_ending();
    } else if (id == "agent") {
        open_agent_unlock(nullptr);
    } else {
        on_screen_widget(id);
    }
    apply_transitions();
    // A tap on the same screen is when a person looks again: the printer may have been refilled meanwhile.
    if (m_screen == screen_before)
        refresh_device_status();
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

} // namespace kiosk::ui
