// Starts Chromium for one partner visit inside bubblewrap, drives it over its DevTools pipe, watches it like any
// child of the kiosk, and wipes its profile at close.
#include "drivers/browser/chromium/chromium_browser.h"

#include "drivers/browser/chromium/page_script.h"
#include "drivers/browser/chromium/sandbox.h"
#include "kiosk/core/json.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kiosk::drivers {

namespace {

Result<bool> get_flag(DriverSpec const& spec, std::string const& key, bool fallback)
{
    return TRY(spec.get_int(key, fallback ? 1 : 0, 0, 1)) == 1;
}

// Reads a whole decimal number from the front of text and drops it; nullopt when there is none.
std::optional<int> take_number(std::string_view& text)
{
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data())
        return std::nullopt;
    text.remove_prefix(static_cast<size_t>(end - text.data()));
    return value;
}

bool area_is_sane(ScreenArea const& a)
{
    return a.width >= 100 && a.height >= 100 && a.x >= 0 && a.y >= 0 && a.width <= 16384 && a.height <= 16384
        && a.x <= 16384 && a.y <= 16384;
}

std::optional<ChromiumBrowser::Window> parse_window(std::string_view text)
{
    auto width = take_number(text);
    if (!width || !text.starts_with('x'))
        return std::nullopt;
    text.remove_prefix(1);
    auto height = take_number(text);
    if (!height || !text.starts_with('+'))
        return std::nullopt;
    text.remove_prefix(1);
    auto x = take_number(text);
    if (!x || !text.starts_with('+'))
        return std::nullopt;
    text.remove_prefix(1);
    auto y = take_number(text);
    ChromiumBrowser::Window window { width.value_or(0), height.value_or(0), x.value_or(0), y.value_or(0) };
    if (!y || !text.empty() || !area_is_sane(window))
        return std::nullopt;
    return window;
}

// "127.0.0.1:8080" and nothing else: a loopback IPv4 address and a port. The value ends up inside
// --host-resolver-rules, so anything that could add a rule or send names off the machine is refused.
bool is_loopback_endpoint(std::string const& text)
{
    auto colon = text.rfind(':');
    if (colon == std::string::npos)
        return false;
    std::string address = text.substr(0, colon);
    std::string_view port_text = std::string_view(text).substr(colon + 1);
    in_addr parsed {};
    if (inet_pton(AF_INET, address.c_str(), &parsed) != 1 || (ntohl(parsed.s_addr) >> 24) != 127)
        return false;
    for (char c : port_text)
        if (c < '0' || c > '9')
            return false;
    auto port = take_number(port_text);
    return port && port_text.empty() && *port >= 1 && *port <= 65535;
}

// A SHA-256 in base64: 43 characters of the alphabet and one '='.
bool is_spki_hash(std::string const& text)
{
    if (text.size() != 44 || text.back() != '=')
        return false;
    return std::all_of(text.begin(), text.end() - 1,
        [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/'; });
}

std::vector<char*> c_strings(std::vector<std::string>& strings)
{
    std::vector<char*> result;
    for (auto& s : strings)
        result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

std::string random_hex(size_t bytes)
{
    std::vector<unsigned char> random(bytes);
    if (RAND_bytes(random.data(), static_cast<int>(bytes)) != 1)
        for (auto& b : random)
            b = static_cast<unsigned char>(std::rand());
    static char const digits[] = "0123456789abcdef";
    std::string text;
    for (auto b : random) {
        text += digits[b >> 4];
        text += digits[b & 15];
    }
    return text;
}

// chrome://NAME.top-chrome/...: the WebUI pages Chromium draws its own interface with.
bool is_browser_ui(std::string_view url)
{
    if (!url.starts_with("chrome://"))
        return false;
    auto host = url.substr(9, url.find('/', 9) - 9);
    return host.ends_with(".top-chrome");
}

bool is_web_address(std::string_view url)
{
    return url.starts_with("https://") || url.starts_with("http://");
}

// The state of a process from /proc/PID/stat ('R', 'S', 'Z'...), 0 when there is none.
char process_state(pid_t pid)
{
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(file, stat);
    auto close_paren = stat.rfind(')');
    if (close_paren == std::string::npos || close_paren + 2 >= stat.size())
        return 0;
    return stat[close_paren + 2];
}

// The first child of a process, from /proc (the task's children list); -1 when it has none.
pid_t first_child(pid_t pid)
{
    std::ifstream file("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    pid_t child = -1;
    if (!(file >> child))
        return -1;
    return child;
}

// Reads bwrap's --info-fd report ({"child-pid": N, ...}) within timeout; -1 when bwrap ended without one.
pid_t read_sandbox_pid(int fd, std::chrono::milliseconds timeout)
{
    std::string text;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p { fd, POLLIN, 0 };
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return -1;
        char buffer[512];
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        text.append(buffer, static_cast<size_t>(n));
        if (auto parsed = chromium::JsonValue::parse(text))
            if (auto pid = (*parsed)["child-pid"].integer())
                return static_cast<pid_t>(*pid);
        if (text.size() > 4096)
            break;
    }
    return -1;
}

int pidfd_open(pid_t pid)
{
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

std::string object_text(std::initializer_list<std::pair<std::string_view, std::string>> members)
{
    // Values are JSON texts already (quoted strings, numbers, objects).
    std::string text = "{";
    for (auto const& [name, value] : members) {
        if (text.size() > 1)
            text += ',';
        text += json_quote(name) + ":" + value;
    }
    return text + "}";
}

} // namespace

Result<ChromiumBrowser::Options> ChromiumBrowser::parse_options(DriverSpec const& spec)
{
    TRY(spec.allow_only({ "binary", "bwrap", "headless", "sandbox", "window", "resolve_to", "trust_spki", "log" }));
    Options options;
    if (auto binary = spec.get("binary"))
        options.binary = *binary;
    if (auto bwrap = spec.get("bwrap"))
        options.bwrap = *bwrap;
    if (!options.binary.is_absolute() || !options.bwrap.is_absolute())
        return make_error(ErrorCode::usage, "chromium driver: 'binary' and 'bwrap' must be absolute paths");
    options.headless = TRY(get_flag(spec, "headless", false));
    options.sandbox = TRY(get_flag(spec, "sandbox", true));
    if (auto window = spec.get("window")) {
        options.window = parse_window(*window);
        if (!options.window)
            return make_error(ErrorCode::usage, "chromium driver: 'window' must look like 1280x700+0+100");
    }
    if (auto resolve_to = spec.get("resolve_to")) {
        if (!is_loopback_endpoint(*resolve_to))
            return make_error(ErrorCode::usage,
                "chromium driver: 'resolve_to' must be a loopback address and port, e.g. 127.0.0.1:8080");
        options.resolve_to = *resolve_to;
    }
    if (auto spki = spec.get("trust_spki")) {
        // A certificate trusted beside the real ones is for a loopback test server only.
        if (!is_spki_hash(*spki) || options.resolve_to.empty())
            return make_error(ErrorCode::usage,
                "chromium driver: 'trust_spki' must be a base64 SHA-256 and comes with 'resolve_to' (tests only)");
        options.trust_spki = *spki;
    }
    if (auto log = spec.get("log")) {
        options.log = *log;
        if (!options.log.is_absolute())
            return make_error(ErrorCode::usage, "chromium driver: 'log' must be an absolute path");
    }
    return options;
}

Result<std::unique_ptr<Browser>> ChromiumBrowser::create(DriverSpec const& spec)
{
    auto options = TRY(parse_options(spec));
    return std::unique_ptr<Browser>(std::make_unique<ChromiumBrowser>(std::move(options)));
}

ChromiumBrowser::ChromiumBrowser(Options options)
    : m_options(std::move(options))
{
}

ChromiumBrowser::~ChromiumBrowser()
{
    close();
}

void ChromiumBrowser::set_listener(Listener listener)
{
    m_listener.set(std::move(listener));
}

std::filesystem::path ChromiumBrowser::policy_path(BrowseRequest const& request)
{
    auto profile = request.profile_dir.lexically_normal();
    if (!profile.has_filename())
        profile = profile.parent_path();
    return profile.parent_path() / ("." + profile.filename().string() + "-policy.json");
}

std::vector<std::string> ChromiumBrowser::command_line(BrowseRequest const& request) const
{
    auto const& profile = request.profile_dir;
    std::vector<std::string> args {
        m_options.binary.string(),
        "--user-data-dir=" + profile.string(),
        "--disk-cache-dir=" + (profile / "cache").string(),
        // The kiosk's channel to the page: fds 3 and 4, no port any other program could reach.
        "--remote-debugging-pipe",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-sync",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-breakpad", // a crash dump would carry the resident's pages out of the session
        "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
        "--password-store=basic", // no desktop keyring prompt; the password manager is off by policy anyway
        "--deny-permission-prompts",
        "--noerrdialogs",
        "--disable-session-crashed-bubble",
        "--overscroll-history-navigation=0",
    };
    if (!request.language.empty()) {
        args.push_back("--lang=" + request.language);
        args.push_back("--accept-lang=" + request.language);
    }
    // Chromium's own services are never reached from a kiosk: a windowed Chromium 156 asks accounts.google.com
    // for signed-in accounts and update.googleapis.com for components in the background, policies and
    // --disable-component-update notwithstanding (seen in the tests). Their names resolve to nothing.
    std::string rules;
    for (auto host : { "accounts.google.com", "update.googleapis.com", "clients2.google.com",
             "clients2.googleusercontent.com", "edgedl.me.gvt1.com" })
        rules += std::string(rules.empty() ? "" : ", ") + "MAP " + host + " ~NOTFOUND";
    if (!m_options.resolve_to.empty())
        rules += ", MAP * " + m_options.resolve_to;
    args.push_back("--host-resolver-rules=" + rules);
    if (!m_options.trust_spki.empty())
        args.push_back("--ignore-certificate-errors-spki-list=" + m_options.trust_spki);
    if (!m_options.sandbox)
        args.emplace_back("--no-sandbox");
    if (m_options.headless) {
        args.emplace_back("--headless");
        args.emplace_back("--disable-gpu");
        args.push_back(request.url);
        return args;
    }
    // An app window: no tab strip, no address bar, no menu. Not --kiosk: it is full screen, which would cover
    // the kiosk's bars, and FullscreenAllowed false (so that pages cannot go full screen either) disables it.
    if (auto window = request.area ? request.area : m_options.window) {
        auto const& w = *window;
        args.push_back("--window-position=" + std::to_string(w.x) + "," + std::to_string(w.y));
        args.push_back("--window-size=" + std::to_string(w.width) + "," + std::to_string(w.height));
    } else {
        args.emplace_back("--start-maximized");
    }
    // The partner's page itself: --app=about:blank would open an ordinary window, tabs and address bar included.
    // The kiosk's script reaches this first page as soon as DevTools attaches (Page.addScriptToEvaluateOnNewDocument
    // with runImmediately), and every later one before its own scripts run.
    args.push_back("--app=" + request.url);
    return args;
}

Result<void> ChromiumBrowser::open(BrowseRequest const& request)
{
    TRY(chromium::validate_request(request));
    for (auto const& [path, package] :
        { std::pair { &m_options.binary, "chromium" }, { &m_options.bwrap, "bubblewrap" } })
        if (::access(path->c_str(), X_OK) != 0)
            return make_error(ErrorCode::browser_failed,
                "chromium browser: cannot run '" + path->string() + "': " + std::strerror(errno) + " (is the " + package
                    + " package installed?)");

    // One browser at a time: a second partner replaces the first, and its cookies go with it.
    close();

    std::error_code ec;
    std::vector<std::filesystem::path> writable { request.profile_dir, request.downloads_dir };
    std::vector<std::filesystem::path> read_only;
    if (!request.uploads_dir.empty())
        read_only.push_back(request.uploads_dir);
    auto folders = writable;
    folders.insert(folders.end(), read_only.begin(), read_only.end());
    for (auto const& folder : folders) {
        std::filesystem::create_directories(folder, ec);
        if (ec)
            return make_error(
                ErrorCode::browser_failed, "chromium browser: cannot create the session folders: " + ec.message());
    }
    auto policy_file = policy_path(request);
    TRY(chromium::write_policy_file(policy_file, chromium::policy_json(request)));

    // HOME and the XDG folders are inside the profile, so whatever Chromium keeps there goes with it; its
    // temporary files go to the sandbox's own /tmp, which goes with the sandbox.
    std::vector<std::string> env {
        "HOME=" + request.profile_dir.string(),
        "XDG_CONFIG_HOME=" + (request.profile_dir / "xdg-config").string(),
        "XDG_CACHE_HOME=" + (request.profile_dir / "xdg-cache").string(),
        "XDG_DATA_HOME=" + (request.profile_dir / "xdg-data").string(),
        "XDG_RUNTIME_DIR=/tmp",
        "TMPDIR=/tmp",
        "PATH=/usr/bin:/bin",
        // No session bus inside: the kiosk's desktop services are not the page's business.
        "DBUS_SESSION_BUS_ADDRESS=disabled:",
    };
    // On Linux Chromium takes its interface language from LANGUAGE, not --lang: the resident's, when the
    // chromium-l10n package provides it (Chromium falls back to English otherwise).
    if (!request.language.empty())
        env.push_back("LANGUAGE=" + request.language);
    for (auto name : { "DISPLAY", "LANG", "TZ" })
        if (char const* value = std::getenv(name))
            env.push_back(std::string(name) + "=" + value);
    // X clients look for ~/.Xauthority, and HOME no longer leads to the kiosk's.
    std::filesystem::path xauthority;
    if (char const* value = std::getenv("XAUTHORITY"))
        xauthority = value;
    else if (char const* kiosk_home = std::getenv("HOME");
             kiosk_home && std::filesystem::exists(std::filesystem::path(kiosk_home) / ".Xauthority"))
        xauthority = std::filesystem::path(kiosk_home) / ".Xauthority";
    if (!xauthority.empty())
        env.push_back("XAUTHORITY=" + xauthority.string());

    chromium::SandboxPlan plan;
    plan.bwrap = m_options.bwrap;
    plan.program = m_options.binary;
    plan.policy_file = policy_file;
    plan.writable = writable;
    plan.read_only = read_only;
    if (char const* display = std::getenv("DISPLAY"))
        plan.display = display;
    plan.xauthority = xauthority;
    plan.info_fd = 5;
    auto args = chromium::bwrap_arguments(plan);
    auto chromium_args = command_line(request);
    args.insert(args.end(), chromium_args.begin() + 1, chromium_args.end());
    auto argv = c_strings(args);
    auto envp = c_strings(env);

    int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    int out_fd = m_options.log.empty() ? null_fd
                                       : ::open(m_options.log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    int status_pipe[2] = { -1, -1 }, to_browser[2] = { -1, -1 }, from_browser[2] = { -1, -1 }, info[2] = { -1, -1 };
    auto close_fds = [&](std::initializer_list<int*> fds) {
        for (int* fd : fds)
            if (*fd >= 0 && !(fd == &out_fd && out_fd == null_fd)) {
                ::close(*fd);
                *fd = -1;
            }
    };
    auto close_all = [&] {
        close_fds({ &null_fd, &out_fd, &status_pipe[0], &status_pipe[1], &to_browser[0], &to_browser[1],
            &from_browser[0], &from_browser[1], &info[0], &info[1] });
    };
    if (null_fd < 0 || out_fd < 0 || ::pipe2(status_pipe, O_CLOEXEC) != 0
        || ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, to_browser) != 0
        || ::pipe2(from_browser, O_CLOEXEC) != 0 || ::pipe2(info, O_CLOEXEC) != 0) {
        int saved = errno;
        close_all();
        std::filesystem::remove(policy_file, ec);
        return make_error(ErrorCode::browser_failed,
            std::string("chromium browser: cannot prepare the child process: ") + std::strerror(saved));
    }

    pid_t pid = ::fork();
    if (pid < 0) {
        int saved = errno;
        close_all();
        std::filesystem::remove(policy_file, ec);
        return make_error(
            ErrorCode::browser_failed, std::string("chromium browser: fork failed: ") + std::strerror(saved));
    }
    if (pid == 0) {
        // The child: async-signal-safe calls only, then exec. Its own process group lets close() stop it alone.
        ::setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        struct sigaction default_action { };
        default_action.sa_handler = SIG_DFL;
        for (int sig : { SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD })
            ::sigaction(sig, &default_action, nullptr);
        // The pipe ends go to 3 (commands in), 4 (answers out) and 5 (bwrap's report) through numbers above them,
        // so that no source is overwritten before it is copied; dup2 leaves the targets without CLOEXEC.
        int high[3] = { ::fcntl(to_browser[0], F_DUPFD_CLOEXEC, 10), ::fcntl(from_browser[1], F_DUPFD_CLOEXEC, 10),
            ::fcntl(info[1], F_DUPFD_CLOEXEC, 10) };
        ::dup2(null_fd, 0);
        ::dup2(out_fd, 1);
        ::dup2(out_fd, 2);
        for (int i = 0; i < 3; ++i)
            ::dup2(high[i], 3 + i);
        if (::chdir("/") != 0) {
            // Not fatal: bwrap sets the sandbox's own working directory.
        }
        ::execve(argv[0], argv.data(), envp.data());
        int error = errno;
        auto written = ::write(status_pipe[1], &error, sizeof error);
        (void)written;
        ::_exit(127);
    }

    ::setpgid(pid, pid); // also from the parent, so close() never races the child's own setpgid
    close_fds({ &status_pipe[1], &to_browser[0], &from_browser[1], &info[1], &null_fd, &out_fd });
    int exec_error = 0;
    ssize_t got = 0;
    do
        got = ::read(status_pipe[0], &exec_error, sizeof exec_error);
    while (got < 0 && errno == EINTR);
    close_fds({ &status_pipe[0] });
    pid_t sandbox_pid
        = got == static_cast<ssize_t>(sizeof exec_error) ? -1 : read_sandbox_pid(info[0], std::chrono::seconds(10));
    close_fds({ &info[0] });
    if (sandbox_pid <= 0) {
        ::kill(pid, SIGKILL);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
        close_all();
        std::filesystem::remove_all(request.profile_dir, ec);
        std::filesystem::remove(policy_file, ec);
        if (got == static_cast<ssize_t>(sizeof exec_error))
            return make_error(ErrorCode::browser_failed,
                "chromium browser: cannot start '" + m_options.bwrap.string() + "': " + std::strerror(exec_error));
        return make_error(ErrorCode::browser_failed,
            "chromium browser: bubblewrap could not confine Chromium (see the driver's log= for its reason)");
    }

    auto binding = "__kiosk_" + random_hex(12);
    {
        std::lock_guard lock(m_mutex);
        m_pid = pid;
        m_sandbox_pid = sandbox_pid;
        m_sandbox_pidfd = pidfd_open(sandbox_pid);
        m_exited = false;
        m_closing = false;
        m_profile_dir = request.profile_dir;
        m_policy_file = policy_file;
        m_allowed_domains = request.allowed_domains;
        m_uploads_dir = request.uploads_dir;
        m_upload_copies.clear();
        m_events.clear();
        m_stopping = false;
        m_main_session.clear();
        m_main_target.clear();
        m_main_url.clear();
        m_setup_error.clear();
        m_extra_targets.clear();
        m_pending_file.reset();
        m_focused.reset();
    }
    m_pipe = std::make_unique<chromium::DevToolsPipe>(to_browser[1], from_browser[0],
        [this](chromium::DevToolsPipe::Event event) { on_devtools_event(std::move(event)); });
    m_watcher = std::thread([this, pid] { watch(pid); });
    m_devtools_worker = std::thread([this, binding] { devtools_loop(binding); });
    return {};
}

void ChromiumBrowser::watch(pid_t pid)
{
    // Blocking in waitpid on this one child makes its exit an ordinary event, like cage's CLOEXEC pipe;
    // ECHILD (someone else reaped it) counts as an exit too. bubblewrap ends when Chromium does, and its pid
    // namespace takes every renderer and helper with it.
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    bool unexpected = false;
    {
        std::lock_guard lock(m_mutex);
        m_exited = true;
        if (!m_closing) {
            m_unexpected = true;
            unexpected = true;
        }
        m_changed.notify_all();
    }
    if (unexpected) {
        BrowserEvent event;
        event.kind = BrowserEvent::Kind::exited_unexpectedly;
        m_listener.emit(event);
    }
}

void ChromiumBrowser::on_devtools_event(chromium::DevToolsPipe::Event event)
{
    // On the pipe's reader thread: queue only, so the worker may wait for answers the reader brings. Of the Network
    // domain only a failed load matters: a page's requests are many, and must not crowd out a window or a chooser.
    if (event.method.starts_with("Network.") && event.method != "Network.loadingFailed")
        return;
    std::lock_guard lock(m_mutex);
    if (m_events.size() < 10000)
        m_events.push_back(std::move(event));
    m_changed.notify_all();
}

void ChromiumBrowser::devtools_loop(std::string binding)
{
    auto fail = [this](std::string const& why) {
        std::lock_guard lock(m_mutex);
        m_setup_error = why;
        m_changed.notify_all();
    };
    // Every page and window is attached as it appears (and held until set up); "discover" tells about windows
    // as their addresses change.
    auto startup = std::chrono::seconds(30); // a cold start on a loaded kiosk
    auto discover = m_pipe->call("Target.setDiscoverTargets", R"({"discover":true})", {}, startup);
    if (!discover)
        return fail(discover.error().detail);
    auto attach = m_pipe->call(
        "Target.setAutoAttach", R"({"autoAttach":true,"waitForDebuggerOnStart":true,"flatten":true})", {}, startup);
    if (!attach)
        return fail(attach.error().detail);

    std::unique_lock lock(m_mutex);
    for (;;) {
        auto next_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        for (auto const& [id, deadline] : m_extra_targets)
            next_deadline = std::min(next_deadline, deadline);
        m_changed.wait_until(lock, next_deadline, [this] { return m_stopping || !m_events.empty(); });
        if (m_stopping)
            return;
        // Another window that never got an address of its own is closed all the same.
        auto now = std::chrono::steady_clock::now();
        for (auto it = m_extra_targets.begin(); it != m_extra_targets.end();) {
            if (it->second <= now) {
                auto id = it->first;
                it = m_extra_targets.erase(it);
                lock.unlock();
                (void)m_pipe->send("Target.closeTarget", object_text({ { "targetId", json_quote(id) } }));
                lock.lock();
            } else {
                ++it;
            }
        }
        while (!m_events.empty() && !m_stopping) {
            auto event = std::move(m_events.front());
            m_events.pop_front();
            lock.unlock();
            handle_event(event, binding);
            lock.lock();
        }
    }
}

void ChromiumBrowser::attach_page(std::string const& session, std::string const& target_id, std::string const& binding)
{
    // Runs before the page's first script (the target waits for us): the binding, the script in every new
    // document and the current one, file choosers answered by the kiosk, and the page's own frames attached.
    auto script
        = object_text({ { "source", json_quote(chromium::page_script(binding)) }, { "runImmediately", "true" } });
    std::string error;
    for (auto const& [method, params] : std::initializer_list<std::pair<char const*, std::string>> {
             // Bindings report only while the Runtime domain is on.
             { "Runtime.enable", "{}" },
             { "Runtime.addBinding", object_text({ { "name", json_quote(binding) } }) },
             { "Page.enable", "{}" },
             { "Page.addScriptToEvaluateOnNewDocument", script },
             { "Page.setInterceptFileChooserDialog", R"({"enabled":true})" },
             // The page behaves as focused even while the kiosk's own window is over it (or with no window at
             // all): focus events keep coming, so the keyboard follows the page's fields.
             { "Emulation.setFocusEmulationEnabled", R"({"enabled":true})" },
             { "Target.setAutoAttach", R"({"autoAttach":true,"waitForDebuggerOnStart":true,"flatten":true})" },
         }) {
        auto done = m_pipe->call(method, params, session, std::chrono::seconds(10));
        if (!done && error.empty())
            error = done.error().detail;
    }
    bool is_main = false;
    {
        std::lock_guard lock(m_mutex);
        is_main = target_id == m_main_target;
    }
    if (is_main) {
        // The window's navigations, to tell the resident in plain words when a page cannot be shown (blocked by
        // the allow-list, a site down, a bad certificate) instead of Chromium's technical error page. No bodies
        // are kept for DevTools: the kiosk never reads one.
        auto done = m_pipe->call("Network.enable", R"({"maxTotalBufferSize":0,"maxResourceBufferSize":0})", session,
            std::chrono::seconds(10));
        if (!done && error.empty())
            error = done.error().detail;
        // The start page begins loading before DevTools listens: what failed meanwhile is on screen, unexplained.
        // The page itself (a site down, a bad certificate, a redirect out of the list are quick) is loaded again,
        // now heard with its reason; a frame of it is reported now, its kind told by the allow-list.
        auto tree = m_pipe->call("Page.getFrameTree", "{}", session, std::chrono::seconds(10));
        if (tree && !(*tree)["frameTree"]["frame"]["unreachableUrl"].string().empty()) {
            auto const& top = (*tree)["frameTree"]["frame"];
            {
                // The commit of the error page on screen may still be queued: the reload's is the one to tell.
                std::lock_guard lock(m_mutex);
                m_reported_early[top["id"].string()] = top["unreachableUrl"].string();
            }
            (void)m_pipe->send("Page.reload", "{}", session);
        } else if (tree)
            report_failed_frames((*tree)["frameTree"]["childFrames"], 0);
    }
    (void)m_pipe->send("Runtime.runIfWaitingForDebugger", "{}", session);
    if (!error.empty() && target_id == m_main_target) {
        std::lock_guard lock(m_mutex);
        m_setup_error = error;
    }
}

void ChromiumBrowser::close_target(std::string const& target_id)
{
    {
        std::lock_guard lock(m_mutex);
        m_extra_targets.erase(target_id);
    }
    (void)m_pipe->send("Target.closeTarget", object_text({ { "targetId", json_quote(target_id) } }));
}

void ChromiumBrowser::fold_into_main(std::string const& target_id, std::string const& url)
{
    // A second window (target=_blank the script missed, Ctrl+N, a new tab): its address goes to the one window.
    auto main = main_session();
    if (main && is_web_address(url))
        (void)m_pipe->send("Page.navigate", object_text({ { "url", json_quote(url) } }), *main);
    (void)m_pipe->send("Target.closeTarget", object_text({ { "targetId", json_quote(target_id) } }));
}

void ChromiumBrowser::handle_event(chromium::DevToolsPipe::Event const& event, std::string const& binding)
{
    auto const& params = event.params;
    if (event.method == "Target.attachedToTarget") {
        auto const& info = params["targetInfo"];
        auto session = params["sessionId"].string();
        auto type = info["type"].string();
        auto target = info["targetId"].string();
        auto url = info["url"].string();
        if (type == "page") {
            bool is_main = false;
            {
                std::lock_guard lock(m_mutex);
                // Chromium's own pages (the omnibox popup of Chromium 156 is a "page" target, at times without an
                // address yet) can attach before the window's. One taken for the window made the real page look
                // like a stray one, which was closed: the site vanished. The window is the page that is not
                // Chromium's: a later page with a web address takes over from one that has none.
                bool replaces = !m_main_target.empty() && m_main_target != target && !is_browser_ui(url)
                    && (is_browser_ui(m_main_url) || (!is_web_address(m_main_url) && is_web_address(url)));
                if ((m_main_target.empty() && !is_browser_ui(url)) || m_main_target == target || replaces) {
                    if (replaces)
                        m_setup_error.clear(); // what failed was setting up Chromium's page, not the window's
                    m_main_target = target;
                    m_main_session = session;
                    m_main_url = url;
                    is_main = true;
                }
            }
            if (is_main) {
                attach_page(session, target, binding);
                std::lock_guard lock(m_mutex);
                m_changed.notify_all();
                return;
            }
            // Another window. Opened by the page (a link, window.open): its address goes to the one window. Opened
            // by Chromium itself (a shortcut, its help): closed, its address is not the partner's.
            if (info["openerId"].string().empty() || is_browser_ui(url))
                return close_target(target);
            if (is_web_address(url))
                return fold_into_main(target, url);
            // Let it start, to learn where it goes; closed when it gets there or in two seconds.
            {
                std::lock_guard lock(m_mutex);
                m_extra_targets[target] = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            }
            (void)m_pipe->send("Runtime.runIfWaitingForDebugger", "{}", session);
            return;
        }
        if (type == "iframe") // a frame of another site, in its own process: same script, same choosers
            return attach_page(session, target, binding);
        (void)m_pipe->send("Runtime.runIfWaitingForDebugger", "{}", session); // workers
        return;
    }
    if (event.method == "Target.targetInfoChanged" || event.method == "Target.targetCreated") {
        auto const& info = params["targetInfo"];
        auto target = info["targetId"].string();
        auto url = info["url"].string();
        bool extra = false;
        {
            // Only the windows the page opened wait for their address (m_extra_targets).
            std::lock_guard lock(m_mutex);
            if (target == m_main_target)
                m_main_url = url;
            if (m_extra_targets.contains(target) && is_web_address(url)) {
                extra = true;
                m_extra_targets.erase(target);
            }
        }
        if (extra)
            fold_into_main(target, url);
        return;
    }
    if (event.method == "Target.targetDestroyed") {
        std::lock_guard lock(m_mutex);
        m_extra_targets.erase(params["targetId"].string());
        return;
    }
    if (event.method.starts_with("Network.") || event.method == "Page.frameStartedNavigating"
        || event.method == "Page.frameDetached") {
        note_navigation(event);
        return;
    }
    if (event.method == "Page.frameNavigated")
        note_navigation(event); // and on: a new document in the window resets the focus below
    bool new_page = event.method == "Page.frameNavigated" && !params["frame"].contains("parentId");
    if (event.method == "Runtime.bindingCalled" || new_page) {
        std::optional<TextFieldKind> focused;
        if (!new_page) {
            if (params["name"].string() != binding)
                return;
            auto report = chromium::parse_focus_report(params["payload"].string());
            if (!report)
                return;
            if (auto const* kind = std::get_if<TextFieldKind>(&*report))
                focused = *kind;
        } else {
            // A new document in the window: whatever field had the focus, and the input that asked for a file, are
            // gone with the old one (a file given now would land in a page that did not ask for it).
            std::lock_guard lock(m_mutex);
            if (event.session_id != m_main_session)
                return;
            m_pending_file.reset();
        }
        {
            std::lock_guard lock(m_mutex);
            if (focused == m_focused)
                return;
            m_focused = focused;
        }
        BrowserEvent out;
        out.kind = focused ? BrowserEvent::Kind::text_field_focused : BrowserEvent::Kind::text_field_left;
        out.field = focused.value_or(TextFieldKind::text);
        m_listener.emit(out);
        return;
    }
    if (event.method == "Page.fileChooserOpened") {
        auto node = params["backendNodeId"].integer();
        if (!node) // not an <input type=file> (the File System Access API, which policy refuses anyway)
            return;
        PendingFile pending;
        pending.session = event.session_id;
        pending.backend_node = *node;
        pending.request.multiple = params["mode"].string() == "selectMultiple";
        auto described = m_pipe->call("DOM.describeNode", object_text({ { "backendNodeId", std::to_string(*node) } }),
            event.session_id, m_options.command_timeout);
        if (described) {
            auto const& attributes = (*described)["node"]["attributes"];
            for (size_t i = 0; i + 1 < attributes.size(); i += 2) {
                if (attributes.at(i).string() != "accept")
                    continue;
                std::string token;
                std::istringstream tokens(attributes.at(i + 1).string());
                while (std::getline(tokens, token, ',')) {
                    auto first = token.find_first_not_of(" \t\n");
                    auto last = token.find_last_not_of(" \t\n");
                    if (first == std::string::npos || pending.request.accept.size() >= 32)
                        continue;
                    token = token.substr(first, last - first + 1);
                    std::transform(token.begin(), token.end(), token.begin(),
                        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                    if (token.size() <= 100)
                        pending.request.accept.push_back(token);
                }
            }
        }
        {
            std::lock_guard lock(m_mutex);
            pending.request.id = m_next_request++;
            m_pending_file = pending;
        }
        BrowserEvent out;
        out.kind = BrowserEvent::Kind::file_requested;
        out.file_request = pending.request;
        m_listener.emit(out);
    }
}

PageFailure ChromiumBrowser::failure_by_allow_list(std::string const& host) const
{
    return host.empty() || !chromium::host_is_allowed(host, m_allowed_domains) ? PageFailure::blocked
                                                                               : PageFailure::other;
}

void ChromiumBrowser::report_failed_frames(chromium::JsonValue const& frames, int depth)
{
    if (depth > 8)
        return;
    for (auto const& child : frames.elements()) {
        auto unreachable = child["frame"]["unreachableUrl"].string();
        if (!unreachable.empty()) {
            BrowserEvent out;
            out.kind = BrowserEvent::Kind::page_failed;
            out.failed_host = chromium::url_host(unreachable);
            {
                std::lock_guard lock(m_mutex);
                out.failure = failure_by_allow_list(out.failed_host);
                // Its error page's commit may still be on its way: the same failure is not told twice.
                if (m_reported_early.size() < max_tracked)
                    m_reported_early[child["frame"]["id"].string()] = unreachable;
            }
            out.whole_page = false;
            m_listener.emit(out);
        }
        report_failed_frames(child["childFrames"], depth + 1);
    }
}

void ChromiumBrowser::note_navigation(chromium::DevToolsPipe::Event const& event)
{
    // Measured on Chromium 156: a navigation the allow-list refuses, from a link, a script, a redirect or a frame,
    // ends in Network.loadingFailed (its requestId is the navigation's loaderId, its errorText the net error) and
    // then in Page.frameNavigated to Chromium's error page, whose unreachableUrl is the address refused (for a
    // redirect, where it led; Network never saw that address). Documents only: a picture, a script or a font of
    // another site is not a navigation, and the allow-list does not govern it. Every id here comes from a page:
    // what is kept is bounded, and goes with the frame or the navigation it belongs to.
    auto const& params = event.params;
    BrowserEvent out;
    std::string reload_session;
    {
        std::lock_guard lock(m_mutex);
        // The window's page only: not Chromium's own (browser_ui) pages, nor anything before the window is attached.
        if (m_main_session.empty() || event.session_id != m_main_session)
            return;
        if (event.method == "Page.frameStartedNavigating") {
            auto frame_id = params["frameId"].string();
            // A new navigation of the frame: an error page read from the frame tree can no longer commit after it.
            m_reported_early.erase(frame_id);
            if (m_navigations.size() >= max_tracked)
                m_navigations.pop_front();
            m_navigations.emplace_back(params["loaderId"].string(), frame_id);
            return;
        }
        if (event.method == "Page.frameDetached") {
            m_frame_failures.erase(params["frameId"].string());
            m_reported_early.erase(params["frameId"].string());
            return;
        }
        if (event.method == "Network.loadingFailed") {
            if (params["type"].string() != "Document")
                return;
            // A canceled navigation was replaced by another, or became a download: nothing to tell.
            auto failure = page_failure_of(params["errorText"].string());
            bool heard = failure.has_value() && !params["canceled"].boolean_or(false);
            auto navigation = std::ranges::find(
                m_navigations, params["requestId"].string(), &std::pair<std::string, std::string>::first);
            // A start page's navigation that began before DevTools listened is the window's.
            auto frame_id = navigation == m_navigations.end() ? m_main_target : navigation->second;
            if (heard && (m_frame_failures.size() < max_tracked || m_frame_failures.contains(frame_id)))
                m_frame_failures[frame_id] = failure.value_or(PageFailure::other);
            if (navigation != m_navigations.end())
                m_navigations.erase(navigation);
            return;
        }
        if (event.method != "Page.frameNavigated")
            return;
        auto const& frame = params["frame"];
        auto frame_id = frame["id"].string();
        auto unreachable = frame["unreachableUrl"].string();
        bool whole_page = !frame.contains("parentId");
        std::erase_if(m_navigations, [&](auto const& entry) { return entry.first == frame["loaderId"].string(); });
        std::optional<PageFailure> heard;
        if (auto pending = m_frame_failures.find(frame_id); pending != m_frame_failures.end()) {
            heard = pending->second;
            m_frame_failures.erase(pending);
        }
        auto early = m_reported_early.find(frame_id);
        bool told_already = early != m_reported_early.end() && early->second == unreachable;
        if (early != m_reported_early.end())
            m_reported_early.erase(early);
        if (unreachable.empty()) {
            // A page of the window shown: whatever failed before is behind the resident now.
            if (!whole_page)
                return;
            out.kind = BrowserEvent::Kind::page_shown;
        } else {
            if (told_already)
                return;
            out.kind = BrowserEvent::Kind::page_failed;
            out.failed_host = chromium::url_host(unreachable);
            if (heard) {
                out.failure = *heard;
            } else {
                // An error page without a failure heard: the start page failed while DevTools was being set up.
                // The allow-list tells a blocked one; another is loaded once more to hear why.
                out.failure = failure_by_allow_list(out.failed_host);
                if (out.failure == PageFailure::other && whole_page && !m_reloaded_to_hear) {
                    m_reloaded_to_hear = true;
                    reload_session = m_main_session;
                }
            }
            // Plain http to a listed site: refused because it is not https, which is the connection not being safe.
            // (Chromium writes the address it reports with its scheme in lower case.)
            if (out.failure == PageFailure::blocked && unreachable.starts_with("http://")
                && chromium::host_is_allowed(out.failed_host, m_allowed_domains))
                out.failure = PageFailure::insecure;
            out.whole_page = whole_page;
        }
    }
    if (!reload_session.empty()) {
        (void)m_pipe->send("Page.reload", "{}", reload_session);
        return;
    }
    m_listener.emit(out);
}

Result<std::string> ChromiumBrowser::main_session() const
{
    std::lock_guard lock(m_mutex);
    if (m_pid <= 0 || m_exited || !m_pipe)
        return make_error(ErrorCode::browser_failed, "chromium browser: no page is open");
    if (!m_setup_error.empty())
        return make_error(ErrorCode::browser_failed, "chromium browser: the page cannot be driven: " + m_setup_error);
    if (m_main_session.empty())
        return make_error(ErrorCode::browser_failed, "chromium browser: the page is not ready yet");
    return m_main_session;
}

bool ChromiumBrowser::devtools_ready() const
{
    return main_session().has_value();
}

Result<void> ChromiumBrowser::provide_files(uint64_t request_id, std::vector<UploadFile> const& files)
{
    std::optional<PendingFile> pending;
    std::filesystem::path uploads;
    {
        std::lock_guard lock(m_mutex);
        if (!m_pending_file || m_pending_file->request.id != request_id)
            return make_error(ErrorCode::usage, "chromium browser: no page waits for that file request");
        pending = m_pending_file;
        uploads = m_uploads_dir;
    }
    if (uploads.empty())
        return make_error(ErrorCode::usage, "chromium browser: this visit has no uploads folder");
    if (files.empty() || (files.size() > 1 && !pending->request.multiple))
        return make_error(ErrorCode::usage,
            files.empty() ? "chromium browser: no file given" : "chromium browser: the page takes a single file");
    // Each file gets a folder of its own, so two documents may carry one readable name.
    std::vector<std::string> paths;
    std::error_code ec;
    for (auto const& file : files) {
        if (!std::filesystem::is_regular_file(file.path, ec))
            return make_error(ErrorCode::usage, "chromium browser: '" + file.path.string() + "' is not a file");
        auto folder = uploads / ("given-" + std::to_string(request_id) + "-" + std::to_string(paths.size() + 1));
        std::filesystem::remove_all(folder, ec);
        std::filesystem::create_directories(folder, ec);
        auto target = folder / upload_file_name(file.readable_name, file.path.extension().string());
        if (!ec)
            std::filesystem::copy_file(file.path, target, std::filesystem::copy_options::overwrite_existing, ec);
        if (ec)
            return make_error(ErrorCode::io,
                "chromium browser: cannot put '" + file.path.string() + "' in the uploads folder: " + ec.message());
        {
            std::lock_guard lock(m_mutex);
            m_upload_copies.push_back(folder);
        }
        paths.push_back(target.string());
    }
    JsonWriter params;
    params.begin_object().key("files").begin_array();
    for (auto const& path : paths)
        params.value(path);
    params.end_array().key("backendNodeId").value(static_cast<int64_t>(pending->backend_node)).end_object();
    if (!m_pipe)
        return make_error(ErrorCode::browser_failed, "chromium browser: no page is open");
    TRY(m_pipe->call("DOM.setFileInputFiles", params.str(), pending->session, m_options.command_timeout));
    std::lock_guard lock(m_mutex);
    if (m_pending_file && m_pending_file->request.id == request_id)
        m_pending_file.reset();
    return {};
}

void ChromiumBrowser::cancel_file_request(uint64_t request_id)
{
    // Chromium already told the page "nothing chosen" when it handed the chooser to us: forgetting is enough.
    std::lock_guard lock(m_mutex);
    if (m_pending_file && m_pending_file->request.id == request_id)
        m_pending_file.reset();
}

Result<void> ChromiumBrowser::insert_text(std::string_view utf8)
{
    if (utf8.size() > 4096)
        return make_error(ErrorCode::usage, "chromium browser: text too long for one insertion");
    auto session = TRY(main_session());
    return m_pipe->send("Input.insertText", object_text({ { "text", json_quote(utf8) } }), session);
}

Result<void> ChromiumBrowser::press_key(EditKey key)
{
    struct Key {
        char const* name;
        int code;
        char const* text;
    };
    Key k = key == EditKey::backspace ? Key { "Backspace", 8, "" }
        : key == EditKey::enter       ? Key { "Enter", 13, "\r" }
        : key == EditKey::tab         ? Key { "Tab", 9, "" }
        : key == EditKey::left        ? Key { "ArrowLeft", 37, "" }
                                      : Key { "ArrowRight", 39, "" };
    auto session = TRY(main_session());
    auto event = [&](char const* type) {
        JsonWriter w;
        w.begin_object().key("type").value(type).key("key").value(k.name).key("code").value(k.name);
        w.key("windowsVirtualKeyCode").value(k.code).key("nativeVirtualKeyCode").value(k.code);
        if (*k.text && std::string_view(type) == "keyDown")
            w.key("text").value(k.text).key("unmodifiedText").value(k.text);
        w.end_object();
        return w.str();
    };
    TRY(m_pipe->send("Input.dispatchKeyEvent", event(*k.text ? "keyDown" : "rawKeyDown"), session));
    return m_pipe->send("Input.dispatchKeyEvent", event("keyUp"), session);
}

Result<bool> ChromiumBrowser::go_back()
{
    auto session = TRY(main_session());
    auto history = TRY(m_pipe->call("Page.getNavigationHistory", "{}", session, m_options.command_timeout));
    auto current = history["currentIndex"].integer();
    auto const& entries = history["entries"];
    if (!current || *current <= 0 || static_cast<size_t>(*current) >= entries.size())
        return false;
    auto entry = entries.at(static_cast<size_t>(*current - 1))["id"].integer();
    if (!entry)
        return false;
    TRY(m_pipe->call("Page.navigateToHistoryEntry", object_text({ { "entryId", std::to_string(*entry) } }), session,
        m_options.command_timeout));
    return true;
}

Result<void> ChromiumBrowser::set_area(ScreenArea area)
{
    if (!area_is_sane(area))
        return make_error(ErrorCode::usage, "chromium browser: that area is not on a screen");
    TRY(main_session());
    std::string target;
    {
        std::lock_guard lock(m_mutex);
        target = m_main_target;
    }
    auto window = TRY(m_pipe->call("Browser.getWindowForTarget", object_text({ { "targetId", json_quote(target) } }),
        {}, m_options.command_timeout));
    auto id = window["windowId"].integer();
    if (!id)
        return make_error(ErrorCode::browser_failed, "chromium browser: the page has no window");
    JsonWriter bounds;
    bounds.begin_object().key("windowId").value(*id).key("bounds").begin_object();
    bounds.key("left").value(area.x).key("top").value(area.y).key("width").value(area.width);
    bounds.key("height").value(area.height).key("windowState").value("normal").end_object().end_object();
    TRY(m_pipe->call("Browser.setWindowBounds", bounds.str(), {}, m_options.command_timeout));
    return {};
}

Result<std::vector<ChromiumBrowser::Target>> ChromiumBrowser::targets()
{
    TRY(main_session());
    auto answer = TRY(m_pipe->call("Target.getTargets", "{}", {}, m_options.command_timeout));
    std::vector<Target> result;
    std::string main;
    {
        std::lock_guard lock(m_mutex);
        main = m_main_target;
    }
    for (auto const& info : answer["targetInfos"].elements()) {
        auto type = info["type"].string();
        if (type != "page" && type != "tab")
            continue;
        // Chromium's own interface (the omnibox popup of an app window) is made of WebUI pages: not windows.
        if (is_browser_ui(info["url"].string()))
            continue;
        Target target { info["targetId"].string(), type, info["url"].string() };
        if (target.id == main)
            result.insert(result.begin(), target);
        else if (type == "page")
            result.push_back(target);
    }
    return result;
}

Result<std::string> ChromiumBrowser::current_url()
{
    auto all = TRY(targets());
    if (all.empty())
        return make_error(ErrorCode::browser_failed, "chromium browser: no page");
    return all.front().url;
}

void ChromiumBrowser::close()
{
    std::unique_lock lock(m_mutex);
    if (m_pid <= 0)
        return;
    pid_t pid = m_pid;
    m_closing = true;
    // Nothing of the visit is worth a graceful end: the profile is deleted next. Killing bubblewrap kills
    // Chromium (--die-with-parent), and with it every process of its pid namespace, hung or stopped ones too.
    if (!m_exited)
        ::kill(pid, SIGKILL);
    m_changed.wait(lock, [this] { return m_exited; });
    m_stopping = true;
    m_changed.notify_all();
    int pidfd = std::exchange(m_sandbox_pidfd, -1);
    lock.unlock();
    if (m_watcher.joinable())
        m_watcher.join();
    // The sandbox's first process ends only once every process of its namespace has: then nothing of the
    // visit runs, and nothing holds a file of the profile open.
    if (pidfd >= 0) {
        pollfd p { pidfd, POLLIN, 0 };
        (void)::poll(&p, 1, 10000);
        ::close(pidfd);
    }
    if (m_pipe)
        m_pipe->stop();
    if (m_devtools_worker.joinable())
        m_devtools_worker.join();
    m_pipe.reset();

    // Cookies, history and cache go now, not only when the kiosk deletes the session folder; so do the copies
    // handed to pages and the visit's policy.
    std::error_code ec;
    for (int attempt = 0; attempt < 5; ++attempt) {
        std::filesystem::remove_all(m_profile_dir, ec);
        if (!ec)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // FIXME: a profile that cannot be removed is only left for the session folder's own deletion; report it
    // to the journal once drivers have one.
    for (auto const& copy : m_upload_copies)
        std::filesystem::remove_all(copy, ec);
    std::filesystem::remove(m_policy_file, ec);

    lock.lock();
    m_pid = -1;
    m_sandbox_pid = -1;
    m_exited = false;
    m_closing = false;
    m_profile_dir.clear();
    m_policy_file.clear();
    m_upload_copies.clear();
    m_main_session.clear();
    m_main_target.clear();
    m_main_url.clear();
    m_pending_file.reset();
    m_focused.reset();
    m_navigations.clear();
    m_frame_failures.clear();
    m_reported_early.clear();
    m_reloaded_to_hear = false;
    m_allowed_domains.clear();
    m_events.clear();
}

bool ChromiumBrowser::is_open() const
{
    std::lock_guard lock(m_mutex);
    return m_pid > 0 && !m_exited;
}

bool ChromiumBrowser::take_unexpected_exit()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_unexpected, false);
}

pid_t ChromiumBrowser::sandbox_pid() const
{
    std::lock_guard lock(m_mutex);
    return m_pid > 0 && !m_exited ? m_sandbox_pid : -1;
}

pid_t ChromiumBrowser::pid() const
{
    // bubblewrap's first process inside is the namespace's init; the program it runs is its child.
    pid_t sandbox = sandbox_pid();
    if (sandbox <= 0)
        return -1;
    for (int i = 0; i < 100; ++i) {
        pid_t child = first_child(sandbox);
        if (child > 0 && process_state(child) != 'Z')
            return child;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
}

} // namespace kiosk::drivers
