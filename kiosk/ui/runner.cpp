// The event loop: sleeps until input, a background result or the next deadline; never spins.
#include "kiosk/ui/runner.h"

#include "drivers/idreader/sim/sim_idreader.h"
#include "kiosk/ui/app.h"
#include "kiosk/ui/ids.h"
#include "kiosk/ui/script.h"
#include "kiosk/ui/service_manager.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/x11_guard.h"
#include "kiosk/ui/x11_idle.h"
#include "kiosk/ui/x11_stacking.h"

#include "kiosk/core/json.h"
#include "kiosk/net/agent_call.h"
#include "kiosk/net/metrics.h"
#include "kiosk/net/metrics_push.h"
#include "kiosk/net/metrics_server.h"

#include <SDL2/SDL_image.h>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <ostream>
#include <poll.h>
#include <sstream>
#include <sys/eventfd.h>
#include <thread>
#include <unistd.h>

namespace kiosk::ui {

namespace {

auto const process_start = std::chrono::steady_clock::now();

// Woken by worker threads (post) and by SIGTERM/SIGINT; an eventfd, so a signal handler may write to it.
// Atomic: the signal handlers read them while the loop's end closes them.
std::atomic<int> g_wake_fd { -1 };
volatile std::sig_atomic_t g_stop = 0;
// Set while the event loop waits in SDL_WaitEvent (a display), so that wake() also pushes an SDL event.
std::atomic<bool> g_wake_through_sdl { false };
// SIGUSR1 in a scripted run: a test outside says "go on", and the current or next `sleep` ends. Counted, so that a
// signal that arrives just before the sleep starts is not lost.
// Lock-free, so the handler may touch it; taken with compare-and-swap so a signal that lands meanwhile still counts.
std::atomic<int> g_go_on { 0 };
static_assert(std::atomic<int>::is_always_lock_free);

// Writes 1 to an eventfd, from a signal handler too (write is async-signal-safe; errno is put back).
void poke(std::atomic<int> const& eventfd_)
{
    int saved_errno = errno;
    if (int fd = eventfd_.load(); fd >= 0) {
        uint64_t one = 1;
        ssize_t ignored = ::write(fd, &one, sizeof one);
        (void)ignored;
    }
    errno = saved_errno;
}

void on_go_on_signal(int)
{
    g_go_on.fetch_add(1);
    poke(g_wake_fd);
}

// Written by the stop and restart signals' handler, read by a thread that wakes SDL_WaitEvent (which a signal handler
// may not do itself): SIGTERM ends the kiosk however long it has been waiting for a touch.
std::atomic<int> g_stop_fd { -1 };
// SIGHUP: leave once no session is open, so that systemd starts the kiosk again (Restart=always) on the files a
// package upgrade installed. A resident in mid-session is never interrupted.
// Written by a signal handler and by the fleet's thread (request_restart): a lock-free atomic, safe from both.
std::atomic<int> g_restart { 0 };
static_assert(std::atomic<int>::is_always_lock_free);
std::atomic<bool> g_watcher_done { false };

void on_stop_signal(int signal)
{
    if (signal == SIGHUP)
        g_restart = 1;
    else
        g_stop = 1;
    poke(g_stop_fd);
    poke(g_wake_fd);
}

// A restart asked for from inside the kiosk (a new fleet configuration installed): as SIGHUP, once no session is open.
void request_restart()
{
    g_restart = 1;
    poke(g_stop_fd);
    poke(g_wake_fd);
}

void wake()
{
    poke(g_wake_fd);
    // Only a loop that sleeps in SDL_WaitEvent needs an SDL event to wake. A headless loop sleeps on the eventfd
    // and never reads SDL's queue: every event pushed there stayed, 3 KB a session, until the queue was full.
    if (g_wake_through_sdl) {
        SDL_Event event {};
        event.type = SDL_USEREVENT;
        SDL_PushEvent(&event);
    }
}

void drain_wake_fd()
{
    uint64_t value = 0;
    ssize_t ignored = ::read(g_wake_fd.load(), &value, sizeof value);
    (void)ignored;
}

struct SdlSession {
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    ~SdlSession()
    {
        if (renderer)
            SDL_DestroyRenderer(renderer);
        if (window)
            SDL_DestroyWindow(window);
        g_wake_through_sdl = false;
        if (TTF_WasInit())
            TTF_Quit();
        SDL_Quit();
        for (auto* eventfd_ : { &g_wake_fd, &g_stop_fd })
            if (int fd = eventfd_->exchange(-1); fd >= 0)
                ::close(fd);
    }
};

void present(App& app, SDL_Renderer* renderer)
{
    app.draw();
    SDL_RenderPresent(renderer);
}

bool save_screenshot(SDL_Renderer* renderer, std::filesystem::path const& file)
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer, &w, &h);
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (!surface)
        return false;
    bool ok = SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB24, surface->pixels, surface->pitch) == 0
        && IMG_SavePNG(surface, file.c_str()) == 0;
    SDL_FreeSurface(surface);
    return ok;
}

// quit is set by a request to close the window, which only a developer's window (--windowed) honours: on the kiosk,
// Alt+F4 or a window manager's close button must not end the kiosk (systemd would start it again, but a resident
// would have seen the desktop).
void handle_sdl_event(App& app, SDL_Event const& event, bool& quit, bool may_quit)
{
    switch (event.type) {
    case SDL_QUIT: quit = may_quit; break;
    case SDL_MOUSEBUTTONUP:
        if (event.button.which != SDL_TOUCH_MOUSEID)
            app.tap(event.button.x, event.button.y);
        break;
    case SDL_FINGERUP: {
        int w = 0, h = 0;
        SDL_Window* window = SDL_GetWindowFromID(event.tfinger.windowID);
        if (window)
            SDL_GetWindowSize(window, &w, &h);
        app.tap(static_cast<int>(event.tfinger.x * w), static_cast<int>(event.tfinger.y * h));
        break;
    }
    case SDL_KEYDOWN: app.key(event.key.keysym.sym); break;
    case SDL_TEXTINPUT: app.type_text(event.text.text); break;
    case SDL_WINDOWEVENT: app.mark_dirty(); break;
    default: break;
    }
}

std::string describe_screen(App& app, Canvas const& canvas)
{
    std::string texts;
    for (auto const& text : canvas.texts()) {
        if (texts.size() > 600)
            break;
        texts += (texts.empty() ? "" : " | ") + text;
    }
    return "screen '" + app.top_name() + "', text: " + texts;
}

// Runs background work to its end, so the next script line sees its result (a scan takes real time even
// when the session clock is frozen).
bool settle(App& app)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (true) {
        app.update();
        if (!app.busy())
            return true;
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        pollfd fd { g_wake_fd.load(), POLLIN, 0 };
        if (::poll(&fd, 1, 50) > 0)
            drain_wake_fd();
    }
}

// One line of JSON about the process, for `report LABEL`: what a soak test watches for growth.
std::string process_report(std::string const& label, App const& app)
{
    long rss_kib = -1, threads = -1;
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmRSS:"))
            rss_kib = std::strtol(line.c_str() + 6, nullptr, 10);
        else if (line.starts_with("Threads:"))
            threads = std::strtol(line.c_str() + 8, nullptr, 10);
    }
    std::error_code ec;
    long fds = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++fds;
    JsonWriter json;
    json.begin_object()
        .key("report")
        .value(label)
        .key("screen")
        .value(app.top_name())
        .key("rss_kib")
        .value(int64_t { rss_kib })
        // Bytes the program holds on the heap: unlike RSS, it does not count what the allocator keeps for later.
        .key("heap_kib")
        .value(static_cast<int64_t>(::mallinfo2().uordblks / 1024))
        .key("fds")
        .value(int64_t { fds - 1 }) // the directory listing's own descriptor
        .key("threads")
        .value(int64_t { threads })
        // Milliseconds since the process started, so that a benchmark can time what happens between two reports.
        .key("ms")
        .value(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - process_start).count())
        .end_object();
    return json.str();
}

Result<void> run_script(App& app, Canvas& canvas, SDL_Renderer* renderer, core::ManualClock& clock,
    std::vector<ScriptCommand> const& commands, RunOptions const& options, std::ostream& out)
{
    std::string source = options.script->string();
    auto where = [&](ScriptCommand const& command) {
        return source + ":" + std::to_string(command.line) + ": " + command.source_line + ": ";
    };
    auto failed = [&](ScriptCommand const& command, std::string const& message) {
        return make_error(ErrorCode::request_failed, where(command) + message);
    };
    int taps = 0; // since the last "count taps"
    for (auto const& command : commands) {
        if (g_stop)
            return make_error(ErrorCode::cancelled, "stopped by a signal");
        using Kind = ScriptCommand::Kind;
        if (command.kind == Kind::tap_id || command.kind == Kind::tap_xy)
            ++taps;
        switch (command.kind) {
        case Kind::count_taps: taps = 0; continue;
        case Kind::expect_taps:
            if (taps > command.x)
                return failed(command, std::to_string(taps) + " taps, more than " + std::to_string(command.x));
            continue;
        case Kind::tap_id:
            if (auto const* widget = canvas.find_widget(command.argument); !widget)
                return failed(command, "'" + command.argument + "' is not on " + describe_screen(app, canvas));
            else if (!widget->enabled)
                return failed(command, "'" + command.argument + "' is disabled on " + describe_screen(app, canvas));
            app.tap_widget(command.argument);
            break;
        case Kind::tap_xy: app.tap(command.x, command.y); break;
        case Kind::type:
            if (!app.type_text(command.argument))
                return failed(command, "no text field has focus on " + describe_screen(app, canvas));
            break;
        case Kind::key: app.key(SDL_GetKeyFromName(command.argument.c_str())); break;
        case Kind::advance: {
            // One second at a time, so every timeout fires in order as it would in real time.
            auto total = std::chrono::milliseconds(static_cast<int64_t>(command.seconds * 1000 + 0.5));
            while (total.count() > 0) {
                auto step = std::min(total, std::chrono::milliseconds(1000));
                clock.advance(step);
                total -= step;
                if (!settle(app))
                    return failed(command, "background work did not finish");
            }
            break;
        }
        case Kind::expect_screen:
            if (app.top_name() != command.argument)
                return failed(
                    command, "expected screen '" + command.argument + "' but found " + describe_screen(app, canvas));
            break;
        case Kind::expect_text: {
            auto const& texts = canvas.texts();
            bool found = std::any_of(texts.begin(), texts.end(),
                [&](std::string const& t) { return t.find(command.argument) != std::string::npos; });
            if (!found)
                return failed(
                    command, "text '" + command.argument + "' not visible; found " + describe_screen(app, canvas));
            break;
        }
        case Kind::expect_speech:
            // The latest utterance, as the resident would hear it last; speech is synthesised on its own thread, but
            // its text is known as soon as it is asked for.
            if (auto said = app.latest_speech(); said.find(command.argument) == std::string::npos)
                return failed(command,
                    "speech '" + command.argument + "' not heard; the latest was '" + said + "' on "
                        + describe_screen(app, canvas));
            break;
        case Kind::report: out << process_report(command.argument, app) << std::endl; continue;
        case Kind::sleep: {
            // Real time, ended early by SIGUSR1 (a test's "go on") or SIGTERM; the kiosk does nothing meanwhile (its
            // clock is the script's).
            auto until = std::chrono::steady_clock::now()
                + std::chrono::milliseconds(static_cast<int64_t>(command.seconds * 1000));
            while (!g_stop && std::chrono::steady_clock::now() < until) {
                int pending = g_go_on.load();
                while (pending > 0 && !g_go_on.compare_exchange_weak(pending, pending - 1)) { }
                if (pending > 0)
                    break;
                auto left
                    = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now())
                          .count();
                pollfd fd { g_wake_fd.load(), POLLIN, 0 };
                if (::poll(&fd, 1, static_cast<int>(std::clamp<int64_t>(left, 1, 1000))) > 0)
                    drain_wake_fd();
            }
            continue;
        }
        case Kind::screenshot: {
            if (!save_screenshot(renderer, *options.screenshots / (command.argument + ".png")))
                return failed(command, std::string("cannot write the screenshot: ") + SDL_GetError());
            // A screen looked at is a screen whose words fit: none clipped, none shrunk below the theme's smallest.
            std::string cramped;
            for (auto const& text : canvas.cramped())
                cramped += (cramped.empty() ? "" : " | ") + text;
            if (!cramped.empty())
                return failed(command,
                    "text that does not fit its box at the theme's sizes on " + app.top_name() + ": " + cramped);
            // ...and are all on the screen: a layout made for a larger screen (or for normal text) runs off it.
            std::string outside;
            for (auto const& name : canvas.off_screen())
                outside += (outside.empty() ? "" : " | ") + name;
            if (!outside.empty())
                return failed(command, "drawn past the screen's edge on " + app.top_name() + ": " + outside);
            // ...and whose buttons do not run into each other (a question over the screen is its own layer).
            if (!app.overlay_shown()) {
                auto const& widgets = canvas.widgets();
                for (auto const& widget : widgets)
                    if (widget.rect.w <= 0 || widget.rect.h <= 0)
                        return failed(command, "'" + widget.id + "' has no room on " + app.top_name());
                for (size_t i = 0; i < widgets.size(); ++i)
                    for (size_t j = i + 1; j < widgets.size(); ++j) {
                        Rect const& a = widgets[i].rect;
                        Rect const& b = widgets[j].rect;
                        if (widgets[i].hotspot || widgets[j].hotspot)
                            continue; // an area under the others (the attract screen's whole-screen touch)
                        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
                            return failed(command,
                                "'" + widgets[i].id + "' and '" + widgets[j].id + "' overlap on " + app.top_name());
                    }
            }
            continue; // nothing changed: no need to redraw
        }
        case Kind::card:
        case Kind::mrz: {
            auto* reader = app.sim_idreader();
            if (!reader)
                return make_error(
                    ErrorCode::usage, where(command) + "needs the simulated ID reader (devices.idreader = \"sim\")");
            auto fed = command.kind == Kind::card ? reader->present_card(command.argument)
                                                  : reader->present_mrz(command.mrz_lines);
            if (!fed)
                return make_error(ErrorCode::usage, where(command) + fed.error().detail);
            break;
        }
        }
        if (!settle(app))
            return failed(command, "background work did not finish");
        present(app, renderer);
        // Each WAV file complete before the next line, so what a script heard is on disk when it ends.
        if (options.speech_out && !app.speech_idle(std::chrono::seconds(30)))
            return failed(command, "speech did not finish");
    }
    return {};
}

void bench_frames(App& app, SDL_Renderer* renderer, int frames, std::ostream& err)
{
    std::vector<double> times;
    for (int i = 0; i < frames; ++i) {
        auto start = std::chrono::steady_clock::now();
        present(app, renderer);
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    auto at = [&](double q) { return times[std::min(times.size() - 1, static_cast<size_t>(q * times.size()))]; };
    char line[160];
    std::snprintf(line, sizeof line, "{\"frames\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}", frames, at(0.5),
        at(0.99), times.back());
    err << line << "\n";
}

void handle_signal(int signal, void (*handler)(int))
{
    struct sigaction action { };
    action.sa_handler = handler;
    sigaction(signal, &action, nullptr);
}

// SIGTERM and SIGINT end the kiosk, SIGHUP asks for a restart between sessions, SIGUSR1 goes on in a script. In a
// display's loop a thread turns them into SDL events, since a signal handler may not push one; it is let go when
// this goes away.
class Signals {
public:
    Signals(bool headless, bool script)
    {
        g_stop_fd = eventfd(0, EFD_CLOEXEC);
        handle_signal(SIGTERM, on_stop_signal);
        handle_signal(SIGINT, on_stop_signal);
        if (!script)
            handle_signal(SIGHUP, on_stop_signal);
        if (headless && script)
            handle_signal(SIGUSR1, on_go_on_signal);
        g_watcher_done = false;
        if (!headless && g_stop_fd >= 0)
            m_watcher = std::jthread([] {
                while (!g_watcher_done) {
                    pollfd fd { g_stop_fd.load(), POLLIN, 0 };
                    if (::poll(&fd, 1, -1) < 0)
                        continue;
                    uint64_t count = 0;
                    ssize_t ignored = ::read(g_stop_fd.load(), &count, sizeof count);
                    (void)ignored;
                    wake();
                }
            });
    }
    ~Signals()
    {
        g_watcher_done = true;
        poke(g_stop_fd);
    }
    Signals(Signals const&) = delete;
    Signals& operator=(Signals const&) = delete;

private:
    std::jthread m_watcher;
};

// Sleeps until something happens, hint_ms pass (-1: no limit) or the watchdog is due, then hands every SDL event
// that came to handle. Headless, nothing comes from the offscreen driver: it sleeps on the wake fd alone.
template<typename Handle>
void wait_for_events(bool headless, int hint_ms, ServiceManager const& service, Handle&& handle)
{
    if (auto most = service.sleep_at_most_ms())
        hint_ms = hint_ms < 0 ? *most : std::min(hint_ms, *most);
    SDL_Event event;
    if (headless) {
        pollfd fd { g_wake_fd.load(), POLLIN, 0 };
        if (::poll(&fd, 1, hint_ms) > 0)
            drain_wake_fd();
    } else if (hint_ms < 0 ? SDL_WaitEvent(&event) : SDL_WaitEventTimeout(&event, std::max(hint_ms, 1))) {
        handle(event);
    }
    while (SDL_PollEvent(&event))
        handle(event);
}

// SDL, its window and renderer, on the display or offscreen (headless), full screen unless windowed.
Result<void> open_screen(
    SdlSession& sdl, RunOptions const& options, core::DisplayConfig const& display, std::optional<Signals>& signals)
{
    bool headless = options.headless;
    // SIGTERM and SIGINT are the kiosk's own (Signals): SDL would turn them into SDL_QUIT, which only a developer's
    // window honours.
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (headless) {
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
        // Otherwise the offscreen driver presents through Mesa's software OpenGL: +100 MB and +25 ms a frame.
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    g_wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
        return make_error(ErrorCode::io,
            std::string("no display available (") + SDL_GetError()
                + "); run `kiosk run --headless` to run without one");
    g_wake_through_sdl = !headless;
    signals.emplace(headless, options.script.has_value());
    if (TTF_Init() != 0)
        return make_error(ErrorCode::io, std::string("cannot start the font engine: ") + TTF_GetError());
    int width = options.size_width.value_or(headless || options.windowed ? display.width : 0);
    int height = options.size_height.value_or(headless || options.windowed ? display.height : 0);
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (!headless && !options.windowed && display.fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (options.windowed)
        flags |= SDL_WINDOW_RESIZABLE;
    int x = SDL_WINDOWPOS_CENTERED;
    int y = SDL_WINDOWPOS_CENTERED;
    if (width == 0) {
        // Full screen: cover the whole display even when no window manager honours the fullscreen request
        // (a kiosk X session often has none).
        SDL_Rect bounds {};
        if (SDL_GetDisplayBounds(0, &bounds) == 0) {
            x = bounds.x;
            y = bounds.y;
            width = bounds.w;
            height = bounds.h;
        } else {
            width = display.width;
            height = display.height;
        }
    }
    sdl.window = SDL_CreateWindow("France Services", x, y, width, height, flags);
    if (!sdl.window)
        return make_error(ErrorCode::io,
            std::string("cannot open a window (") + SDL_GetError()
                + "); run `kiosk run --headless` to run without a display");
    if (!headless)
        sdl.renderer = SDL_CreateRenderer(sdl.window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!sdl.renderer)
        sdl.renderer = SDL_CreateRenderer(sdl.window, -1, SDL_RENDERER_SOFTWARE);
    if (!sdl.renderer)
        return make_error(ErrorCode::io, std::string("cannot draw on the window: ") + SDL_GetError());
    return {};
}

} // namespace

Result<void> run_kiosk(RunOptions const& options, Program program, std::ostream& out, std::ostream& err)
{
    auto& config = program.config;
    std::vector<ScriptCommand> commands;
    if (options.script) {
        std::ifstream file(*options.script);
        if (!file)
            return make_error(ErrorCode::usage, "cannot read script " + options.script->string());
        std::stringstream text;
        text << file.rdbuf();
        commands = TRY(
            parse_script(text.str(), options.script->string(), program.catalogue, options.screenshots.has_value()));
    }
    if (options.speech_out) {
        std::error_code ec;
        std::filesystem::create_directories(*options.speech_out, ec);
        if (ec)
            return make_error(ErrorCode::usage, "cannot create " + options.speech_out->string() + ": " + ec.message());
    }
    if (options.screenshots) {
        std::error_code ec;
        std::filesystem::create_directories(*options.screenshots, ec);
        if (ec)
            return make_error(ErrorCode::usage, "cannot create " + options.screenshots->string() + ": " + ec.message());
    }

    auto lock = TRY(core::RuntimeDirLock::acquire(config.runtime_dir));

    // A script runs on a frozen clock that only `advance` moves; otherwise time is real.
    core::SystemClock system_clock;
    core::ManualClock manual_clock;
    core::Clock const& clock = options.script ? static_cast<core::Clock const&>(manual_clock) : system_clock;
    auto audit = TRY(core::AuditLog::open(config.audit_log, clock, config.audit));

    bool headless = options.headless;
    SdlSession sdl;
    std::optional<Signals> signals;
    TRY(open_screen(sdl, options, config.display, signals));
    auto canvas = TRY(Canvas::create(sdl.renderer, config.display));

    // The fleet's metrics count what the audit log records (never who, what or which site), from the first line on.
    net::Metrics metrics(clock);
    auto feed_metrics = [&metrics](std::string_view event, std::initializer_list<core::AuditField> fields) {
        metrics.observe(event, fields);
    };
    audit.set_observer(feed_metrics);
    Result<void> outcome;
    {
        App app(config, clock, audit, std::move(program.catalogue), std::move(program.translations),
            std::move(program.forms), std::move(program.agents), std::move(program.devices), std::move(lock), wake);
        app.attach_canvas(&canvas, sdl.renderer);
        int window_x = 0, window_y = 0;
        SDL_GetWindowPosition(sdl.window, &window_x, &window_y);
        app.set_screen_origin(window_x, window_y);
        std::unique_ptr<X11Idle> display_idle = headless ? nullptr : X11Idle::open();
        if (!headless) {
            // A physical keyboard's chords (Ctrl+W closes Chromium's window) come to the kiosk, which drops them.
            grab_escape_chords(sdl.window);
            app.set_clear_selections([window = sdl.window] { clear_selections(window); });
        }
        if (display_idle)
            app.set_display_idle([&display_idle] { return display_idle->idle(); });
        app.set_ground_check(std::move(program.ground_check));
        app.set_metrics(&metrics);
        audit.set_observer([&metrics, &app](std::string_view event, std::initializer_list<core::AuditField> fields) {
            metrics.observe(event, fields);
            app.audit_event(event, fields);
        });
        if (!config.network.agent_webhook.empty()) {
            // The chat service's certificate: the system's CAs, or the office's own (never the fleet's private one).
            net::AgentCallSettings settings { config.network.agent_webhook, config.network.agent_webhook_ca_file,
                config.kiosk_name, config.location };
            app.set_call_agent([settings, &audit](std::string const& kind, std::atomic<bool> const& cancel) {
                return net::call_agent(settings,
                    kind == "printer" ? net::AgentCallKind::printer : net::AgentCallKind::help, &audit, &cancel);
            });
        }
        // Speech through the machine's sound output; headless, only synthesised (and written with --speech-out).
        app.set_speaker([headless, speech_out = options.speech_out] {
            speech::SpeakerOptions speaker;
            speaker.play = !headless;
            speaker.output_dir = speech_out;
            return speech::Speaker::create(std::move(speaker));
        });
        if (!options.script)
            app.set_restart(request_restart);
        app.start_up();
        app.update();
        present(app, sdl.renderer);
        if (options.report_timing) {
            auto ms
                = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - process_start).count();
            char line[64];
            std::snprintf(line, sizeof line, "{\"first_frame_ms\":%.1f}", ms);
            err << line << std::endl;
        }

        if (options.script) {
            outcome = run_script(app, canvas, sdl.renderer, manual_clock, commands, options, out);
            if (outcome && options.bench_frames > 0)
                bench_frames(app, sdl.renderer, options.bench_frames, err);
        } else {
            if (!headless)
                SDL_ShowCursor(SDL_DISABLE);
            bool quit = false;
            bool raised = false; // the kiosk's window was brought in front of the partner site's
            ServiceManager service;
            service.ready(app.top_name());
            std::atomic<bool> stopping { false };
            // Served and pushed only while the kiosk serves residents, not during a script.
            std::unique_ptr<net::MetricsServer> metrics_server;
            if (!config.network.metrics_listen.empty()) {
                auto started = net::MetricsServer::start(config.network.metrics_listen, metrics);
                if (started)
                    metrics_server = std::move(*started);
                else // the fleet loses sight of this kiosk, the residents lose nothing: said, and on we go
                    audit.record("metrics_unavailable", { { "code", to_string(started.error().code) } });
            }
            std::unique_ptr<net::MetricsPusher> metrics_pusher;
            if (auto const& push = config.network.metrics_push_url; !push.empty()) {
                std::string name = config.kiosk_name;
                if (name.empty()) {
                    char host[256] = {};
                    ::gethostname(host, sizeof host - 1);
                    name = host;
                }
                metrics_pusher = net::MetricsPusher::start(
                    { push.find("/metrics/job/") != std::string::npos ? push : net::MetricsPusher::url_for(push, name),
                        config.network.ca_file, std::chrono::seconds(config.network.metrics_push_interval_seconds) },
                    metrics);
            }
            std::thread beside;
            if (program.beside)
                beside = std::thread([&] { program.beside(audit, stopping, request_restart); });
            while (!quit && !g_stop) {
                wait_for_events(headless, app.wait_hint_ms(), service,
                    [&](SDL_Event const& event) { handle_sdl_event(app, event, quit, options.windowed); });
                app.update();
                if (!headless && app.covers_browser() != raised) {
                    raised = !raised;
                    set_window_in_front(sdl.window, raised);
                }
                present(app, sdl.renderer);
                service.alive();
                if (g_restart && app.between_sessions()) {
                    audit.record("restart", { { "reason", "requested" } });
                    break;
                }
            }
            service.stopping();
            stopping = true;
            if (beside.joinable())
                beside.join();
        }
        // Leaving the App wipes any session still open, so a stopped kiosk keeps nothing of a resident. Its last
        // events still reach the metrics, not the App going away.
        audit.set_observer(feed_metrics);
    }
    audit.set_observer({});
    return outcome;
}

void catch_restart_signal()
{
    handle_signal(SIGHUP, on_stop_signal);
}

Result<void> run_out_of_service(RunOptions const& options, Error const& why, std::ostream& err)
{
    err << "kiosk run: " << why.detail << " (showing the out-of-order screen until stopped; SIGHUP tries again)"
        << std::endl;
    core::DisplayConfig display; // the configuration may be what is broken: the built-in defaults
    SdlSession sdl;
    std::optional<Signals> signals;
    if (!open_screen(sdl, options, display, signals))
        return std::unexpected(why);
    auto canvas = Canvas::create(sdl.renderer, display);
    if (!canvas)
        return std::unexpected(why);
    if (!options.headless) {
        grab_escape_chords(sdl.window);
        SDL_ShowCursor(SDL_DISABLE);
    }
    // No translations either: French first, then English, as on the kiosk's own out-of-order screen; and for the
    // technician, what went wrong.
    auto draw = [&] {
        auto& c = *canvas;
        c.begin_frame();
        c.fill({ 0, 0, c.width(), c.height() }, theme::white);
        c.text("Borne hors service", { c.px(100), c.px(300), c.width() - c.px(200), c.px(150) }, theme::text_huge,
            theme::red_marianne, Align::center, true);
        c.text("Adressez-vous à l'accueil. Un agent va vous aider.",
            { c.px(100), c.px(480), c.width() - c.px(200), c.px(110) }, theme::text_title, theme::text, Align::center,
            false, true);
        c.text("Out of order. Please ask at the reception desk.",
            { c.px(100), c.px(600), c.width() - c.px(200), c.px(90) }, theme::text_body, theme::text_muted,
            Align::center, false, true);
        c.text("Installation : " + why.detail, { c.px(100), c.height() - c.px(160), c.width() - c.px(200), c.px(120) },
            theme::text_small, theme::text_muted, Align::center, false, true);
        SDL_RenderPresent(sdl.renderer);
    };
    draw();
    ServiceManager service;
    service.ready("out of order: " + why.detail);
    while (!g_stop && !g_restart) {
        wait_for_events(options.headless, -1, service, [&](SDL_Event const& event) {
            if (event.type == SDL_WINDOWEVENT)
                draw();
        });
        service.alive();
    }
    service.stopping();
    // Stopped or asked to try again, as systemd or a technician meant: not a failure of this run.
    return {};
}

} // namespace kiosk::ui
