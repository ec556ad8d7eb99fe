// Starts Chromium for one partner visit, watches it like any child of the kiosk, and wipes its profile at close.
#include "drivers/browser/chromium/chromium_browser.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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

std::optional<ChromiumBrowser::Window> parse_window(std::string_view text)
{
    ChromiumBrowser::Window window;
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
    if (!y || !text.empty() || *width < 100 || *height < 100 || *x < 0 || *y < 0 || *width > 16384 || *height > 16384)
        return std::nullopt;
    return ChromiumBrowser::Window { *width, *height, *x, *y };
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

std::vector<char*> c_strings(std::vector<std::string>& strings)
{
    std::vector<char*> result;
    for (auto& s : strings)
        result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

} // namespace

Result<ChromiumBrowser::Options> ChromiumBrowser::parse_options(DriverSpec const& spec)
{
    TRY(spec.allow_only(
        { "binary", "policy_dir", "headless", "sandbox", "window", "resolve_to", "insecure_downloads", "log" }));
    Options options;
    if (auto binary = spec.get("binary"))
        options.binary = *binary;
    if (auto dir = spec.get("policy_dir"))
        options.policy_dir = *dir;
    if (!options.binary.is_absolute() || !options.policy_dir.is_absolute())
        return make_error(ErrorCode::usage, "chromium driver: 'binary' and 'policy_dir' must be absolute paths");
    options.headless = TRY(get_flag(spec, "headless", false));
    options.sandbox = TRY(get_flag(spec, "sandbox", true));
    options.insecure_downloads = TRY(get_flag(spec, "insecure_downloads", false));
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

std::vector<std::string> ChromiumBrowser::command_line(BrowseRequest const& request) const
{
    auto const& profile = request.profile_dir;
    std::vector<std::string> args {
        m_options.binary.string(),
        "--user-data-dir=" + profile.string(),
        "--disk-cache-dir=" + (profile / "cache").string(),
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
    if (!m_options.resolve_to.empty())
        args.push_back("--host-resolver-rules=MAP * " + m_options.resolve_to);
    if (!m_options.sandbox)
        args.emplace_back("--no-sandbox");
    if (m_options.headless) {
        args.emplace_back("--headless");
        args.emplace_back("--disable-gpu");
        args.push_back(request.url);
    } else if (auto window = request.area ? request.area : m_options.window) {
        auto const& w = *window;
        args.push_back("--window-position=" + std::to_string(w.x) + "," + std::to_string(w.y));
        args.push_back("--window-size=" + std::to_string(w.width) + "," + std::to_string(w.height));
        args.push_back("--app=" + request.url);
    } else {
        args.emplace_back("--kiosk");
        args.push_back(request.url);
    }
    return args;
}

Result<void> ChromiumBrowser::open(BrowseRequest const& request)
{
    TRY(chromium::validate_request(request));
    if (::access(m_options.binary.c_str(), X_OK) != 0)
        return make_error(ErrorCode::browser_failed,
            "chromium browser: cannot run '" + m_options.binary.string() + "': " + std::strerror(errno)
                + " (is the chromium package installed?)");

    // One browser at a time: a second partner replaces the first, and its cookies go with it.
    close();

    std::error_code ec;
    std::filesystem::create_directories(request.profile_dir, ec);
    if (!ec)
        std::filesystem::create_directories(request.downloads_dir, ec);
    if (ec)
        return make_error(
            ErrorCode::browser_failed, "chromium browser: cannot create the session folders: " + ec.message());
    chromium::PolicyOptions policy_options;
    policy_options.allow_insecure_downloads = m_options.insecure_downloads;
    TRY(chromium::write_policy_file(m_options.policy_dir, chromium::policy_json(request, policy_options)));

    // HOME is the session folder, so the upload picker starts among the session's files; the XDG folders are
    // inside the profile so that whatever Chromium keeps there goes when the profile does.
    auto home = request.profile_dir.parent_path();
    std::vector<std::string> env {
        "HOME=" + home.string(),
        "XDG_CONFIG_HOME=" + (request.profile_dir / "xdg-config").string(),
        "XDG_CACHE_HOME=" + (request.profile_dir / "xdg-cache").string(),
        "XDG_DATA_HOME=" + (request.profile_dir / "xdg-data").string(),
    };
    // Chromium keeps a singleton socket in a folder of TMPDIR (/tmp by default) and leaves it there at exit: one
    // trace per visit outside the session unless TMPDIR is inside the profile. A socket path holds at most 107
    // bytes, "/org.chromium.Chromium.XXXXXX/SingletonSocket" among them; a profile deeper than that keeps /tmp.
    auto temporary = request.profile_dir / "tmp";
    if (temporary.string().size() + 46 < 108 && std::filesystem::create_directory(temporary, ec))
        env.push_back("TMPDIR=" + temporary.string());
    char const* path = std::getenv("PATH");
    env.push_back(std::string("PATH=") + (path ? path : "/usr/local/bin:/usr/bin:/bin"));
    // On Linux Chromium takes its interface language from LANGUAGE, not --lang: the resident's, when the
    // chromium-l10n package provides it (Chromium falls back to English otherwise).
    if (!request.language.empty())
        env.push_back("LANGUAGE=" + request.language);
    for (auto name : { "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "XDG_RUNTIME_DIR", "LANG", "TZ" })
        if (char const* value = std::getenv(name))
            env.push_back(std::string(name) + "=" + value);
    // X clients look for ~/.Xauthority, and HOME no longer leads to the kiosk's.
    if (!std::getenv("XAUTHORITY"))
        if (char const* kiosk_home = std::getenv("HOME");
            kiosk_home && std::filesystem::exists(std::filesystem::path(kiosk_home) / ".Xauthority"))
            env.push_back("XAUTHORITY=" + (std::filesystem::path(kiosk_home) / ".Xauthority").string());

    auto args = command_line(request);
    auto argv = c_strings(args);
    auto envp = c_strings(env);
    std::string home_text = home.string();

    int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    int out_fd = m_options.log.empty() ? null_fd
                                       : ::open(m_options.log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    int status_pipe[2] = { -1, -1 };
    auto close_fds = [&] {
        for (int fd : { null_fd, out_fd, status_pipe[0], status_pipe[1] })
            if (fd >= 0 && !(fd == out_fd && out_fd == null_fd))
                ::close(fd);
    };
    if (null_fd < 0 || out_fd < 0 || ::pipe2(status_pipe, O_CLOEXEC) != 0) {
        int saved = errno;
        close_fds();
        return make_error(ErrorCode::browser_failed,
            std::string("chromium browser: cannot prepare the child process: ") + std::strerror(saved));
    }

    pid_t pid = ::fork();
    if (pid < 0) {
        int saved = errno;
        close_fds();
        return make_error(
            ErrorCode::browser_failed, std::string("chromium browser: fork failed: ") + std::strerror(saved));
    }
    if (pid == 0) {
        // The child: async-signal-safe calls only, then exec. Its own process group lets close() reach
        // the renderers and helpers Chromium starts, not just the browser process.
        ::setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        struct sigaction default_action { };
        default_action.sa_handler = SIG_DFL;
        for (int sig : { SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD })
            ::sigaction(sig, &default_action, nullptr);
        ::dup2(null_fd, 0);
        ::dup2(out_fd, 1);
        ::dup2(out_fd, 2);
        if (::chdir(home_text.c_str()) != 0) {
            // Not fatal: Chromium does not depend on its working directory.
        }
        ::execve(argv[0], argv.data(), envp.data());
        int error = errno;
        auto written = ::write(status_pipe[1], &error, sizeof error);
        (void)written;
        ::_exit(127);
    }

    ::setpgid(pid, pid); // also from the parent, so close() never races the child's own setpgid
    ::close(status_pipe[1]);
    status_pipe[1] = -1;
    int exec_error = 0;
    ssize_t got = 0;
    do
        got = ::read(status_pipe[0], &exec_error, sizeof exec_error);
    while (got < 0 && errno == EINTR);
    close_fds();
    if (got == static_cast<ssize_t>(sizeof exec_error)) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
        std::filesystem::remove_all(request.profile_dir, ec);
        return make_error(ErrorCode::browser_failed,
            "chromium browser: cannot start '" + m_options.binary.string() + "': " + std::strerror(exec_error));
    }

    {
        std::lock_guard lock(m_mutex);
        m_pid = pid;
        m_exited = false;
        m_closing = false;
        m_profile_dir = request.profile_dir;
    }
    m_watcher = std::thread([this, pid] { watch(pid); });
    return {};
}

void ChromiumBrowser::watch(pid_t pid)
{
    // Blocking in waitpid on this one child makes its exit an ordinary event, like cage's CLOEXEC pipe;
    // ECHILD (someone else reaped it) counts as an exit too.
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    // Renderers must not outlive the browser with the resident's pages in memory.
    ::kill(-pid, SIGKILL);
    std::lock_guard lock(m_mutex);
    m_exited = true;
    if (!m_closing)
        m_unexpected = true;
    m_changed.notify_all();
}

namespace {

// True while a process of the group still runs. Exited helpers stay in the group as zombies until whoever
// inherited them (init, or systemd) reaps them, which can take a second or more; they hold no file, so they
// do not count.
bool group_running(pid_t group)
{
    std::error_code ec;
    for (auto const& entry : std::filesystem::directory_iterator("/proc", ec)) {
        auto name = entry.path().filename().string();
        if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0])))
            continue;
        std::ifstream file(entry.path() / "stat");
        std::string stat;
        std::getline(file, stat);
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
        auto close_paren = stat.rfind(')');
        if (close_paren == std::string::npos)
            continue;
        std::istringstream rest(stat.substr(close_paren + 1));
        char state = 0;
        pid_t parent = 0, process_group = 0;
        if (rest >> state >> parent >> process_group && process_group == group && state != 'Z' && state != 'X')
            return true;
    }
    return false;
}

} // namespace

void ChromiumBrowser::stop_process_group(pid_t pid)
{
    // Helpers are grandchildren: they cannot be waited for, only checked until the group is empty.
    for (int i = 0; i < 100 && ::kill(-pid, 0) == 0 && group_running(pid); ++i) {
        ::kill(-pid, SIGKILL);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void ChromiumBrowser::close()
{
    std::unique_lock lock(m_mutex);
    if (m_pid <= 0)
        return;
    pid_t pid = m_pid;
    m_closing = true;
    if (!m_exited) {
        ::kill(-pid, SIGTERM);
        if (!m_changed.wait_for(lock, m_options.term_grace, [this] { return m_exited; })) {
            ::kill(-pid, SIGKILL);
            m_changed.wait(lock, [this] { return m_exited; });
        }
    }
    lock.unlock();
    if (m_watcher.joinable())
        m_watcher.join();
    stop_process_group(pid);

    // Cookies, history and cache go now, not only when the kiosk deletes the session folder.
    std::error_code ec;
    for (int attempt = 0; attempt < 5; ++attempt) {
        std::filesystem::remove_all(m_profile_dir, ec);
        if (!ec)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // FIXME: a profile that cannot be removed is only left for the session folder's own deletion; report it
    // to the journal once drivers have one.

    lock.lock();
    m_pid = -1;
    m_exited = false;
    m_closing = false;
    m_profile_dir.clear();
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

pid_t ChromiumBrowser::pid() const
{
    std::lock_guard lock(m_mutex);
    return m_pid;
}

} // namespace kiosk::drivers
