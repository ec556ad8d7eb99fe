// Benchmark of a partner visit in Chromium: from the tap to the partner's first page painted, and from the end of
// the session to the browser gone with its profile deleted, beside a plain headless Chromium started by hand.
#include "drivers/browser/chromium/chromium_browser.h"
#include "tests/drivers/browser/chromium/loopback_server.h"
#include "tests/drivers/browser/chromium/test_support.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace kiosk;
using namespace kiosk::drivers;
using namespace kiosk::tests;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

constexpr char const* chromium_binary = "/usr/bin/chromium";
constexpr auto paint_timeout = 30s;
// The partner's real name over https, so the allow-list policy is in effect, resolved to the loopback server,
// which presents a certificate made for the run and trusted by its public key's hash (both sides alike).
constexpr char const* partner_url = "https://www.caf.fr/visit/";

std::atomic<bool> interrupted { false };

double ms_between(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

// When each request first reached the loopback server: the page's own, and the /painted its script sends.
class Arrivals {
public:
    void record(std::string const& path)
    {
        auto now = Clock::now();
        std::lock_guard lock(m_mutex);
        m_first.emplace(path, now);
        m_changed.notify_all();
    }
    // Nothing when path has not arrived within the timeout or the benchmark was interrupted.
    std::optional<Clock::time_point> wait(std::string const& path)
    {
        std::unique_lock lock(m_mutex);
        auto deadline = Clock::now() + paint_timeout;
        while (!interrupted && Clock::now() < deadline) {
            if (auto found = m_first.find(path); found != m_first.end())
                return found->second;
            m_changed.wait_for(lock, 100ms);
        }
        return std::nullopt;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<std::string, Clock::time_point> m_first;
};

// A partner's page that asks for /painted/VISIT once its first frame is out: the second requestAnimationFrame
// callback runs only after the frame of the first was produced.
HttpResponse serve_partner(HttpRequest const& request, Arrivals& arrivals)
{
    arrivals.record(request.path);
    HttpResponse response;
    if (request.path.starts_with("/visit/")) {
        response.body = "<!DOCTYPE html><html lang=fr><head><title>Caf.fr</title><link rel=icon href=data:,></head>"
                        "<body><h1>Caisse d'allocations familiales</h1><p>Mon compte, mes démarches, mes paiements.</p>"
                        "<script>requestAnimationFrame(() => requestAnimationFrame(() => fetch('/painted/"
            + request.path.substr(7) + "')));</script></body></html>";
    } else if (request.path.starts_with("/painted/")) {
        response.content_type = "text/plain";
    } else {
        response.status = 404;
    }
    return response;
}

struct Timings {
    double paint_ms = 0; // tap to first paint
    double request_ms = 0; // tap to the page's request reaching the server
    std::optional<double> open_ms; // time spent inside ChromiumBrowser::open(), for the kiosk
    std::optional<double> ready_ms; // tap to the page attached over DevTools (keyboard and uploads work), kiosk
    double close_ms = 0; // close to profile deleted
    std::optional<double> helpers_gone_ms; // close to no process left in the group, for the peer
    bool left_singleton = false; // Chromium left its singleton folder in /tmp (the benchmark removed it)
};

// Chromium's singleton socket lives in a /tmp/org.chromium.Chromium.XXXXXX folder the profile links to; a browser
// that is stopped leaves it there. Read it while the profile exists, remove it once the browser is gone.
std::filesystem::path singleton_dir(std::filesystem::path const& profile)
{
    std::error_code ec;
    auto socket = std::filesystem::read_symlink(profile / "SingletonSocket", ec);
    return ec ? std::filesystem::path() : socket.parent_path();
}

bool remove_leftover(std::filesystem::path const& dir)
{
    std::error_code ec;
    if (dir.empty() || !std::filesystem::exists(dir, ec))
        return false;
    std::filesystem::remove_all(dir, ec);
    return true;
}

std::string log_tail(std::filesystem::path const& log)
{
    auto text = read_file(log);
    return text.size() > 1500 ? "..." + text.substr(text.size() - 1500) : text;
}

// What the kiosk does when a partner is tapped and when the session ends.
Result<Timings> kiosk_visit(
    LoopbackServer const& server, TestCertificate const& certificate, Arrivals& arrivals, std::string const& visit)
{
    BrowserTempDir dir;
    auto log = dir.path() / "chromium.log";
    // Inside bubblewrap, with Chromium's own sandbox on, driven over its DevTools pipe: the kiosk's real setup.
    auto spec = TRY(parse_driver_spec(chromium_spec(server.port(), certificate, dir.path(), true)));
    ChromiumBrowser browser(TRY(ChromiumBrowser::parse_options(spec)));
    auto request = make_request(dir.path() / "session", partner_url + visit, { "caf.fr" });

    Timings timings;
    auto tapped = Clock::now();
    TRY(browser.open(request));
    timings.open_ms = ms_between(tapped, Clock::now());
    for (auto deadline = Clock::now() + paint_timeout; !browser.devtools_ready() && Clock::now() < deadline;)
        std::this_thread::sleep_for(1ms);
    timings.ready_ms = ms_between(tapped, Clock::now());
    auto painted = arrivals.wait("/painted/" + visit);

    auto singleton = singleton_dir(request.profile_dir);
    auto closing = Clock::now();
    browser.close();
    timings.close_ms = ms_between(closing, Clock::now());
    timings.left_singleton = remove_leftover(singleton);

    if (!painted)
        return make_error(
            ErrorCode::browser_failed, "the kiosk's Chromium painted nothing within 30 s; its log:\n" + log_tail(log));
    timings.paint_ms = ms_between(tapped, *painted);
    timings.request_ms = ms_between(tapped, *arrivals.wait("/visit/" + visit));
    if (std::filesystem::exists(request.profile_dir))
        return make_error(ErrorCode::browser_failed, "close() left the profile " + request.profile_dir.string());
    if (!processes_mentioning(request.profile_dir.string()).empty())
        return make_error(ErrorCode::browser_failed, "close() left Chromium processes running");
    return timings;
}

// The peer: Chromium started by hand with a plain headless command line, stopped with SIGTERM, profile removed.
Result<Timings> peer_visit(
    LoopbackServer const& server, TestCertificate const& certificate, Arrivals& arrivals, std::string const& visit)
{
    BrowserTempDir dir;
    auto profile = dir.path() / "profile";
    auto log = dir.path() / "chromium.log";
    std::vector<std::string> args { chromium_binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.string(), "--host-resolver-rules=MAP * 127.0.0.1:" + std::to_string(server.port()),
        "--ignore-certificate-errors-spki-list=" + certificate.spki_sha256, partner_url + visit };
    // HOME is the temporary folder, as the kiosk's is the session folder: nothing lands in the caller's home.
    std::vector<std::string> env { "HOME=" + dir.path().string(), "PATH=/usr/local/bin:/usr/bin:/bin" };
    auto c_strings = [](std::vector<std::string>& strings) {
        std::vector<char*> result;
        for (auto& s : strings)
            result.push_back(s.data());
        result.push_back(nullptr);
        return result;
    };
    auto argv = c_strings(args);
    auto envp = c_strings(env);
    int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (log_fd < 0)
        return make_error(ErrorCode::io, "cannot create " + log.string() + ": " + std::strerror(errno));

    Timings timings;
    auto tapped = Clock::now();
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(log_fd, 1);
        ::dup2(log_fd, 2);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    int fork_error = errno;
    ::close(log_fd);
    if (pid < 0)
        return make_error(ErrorCode::browser_failed, std::string("fork failed: ") + std::strerror(fork_error));
    ::setpgid(pid, pid);
    auto painted = arrivals.wait("/painted/" + visit);

    auto singleton = singleton_dir(profile);
    auto closing = Clock::now();
    ::kill(pid, SIGTERM);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    // Like rm -rf: helpers still exiting may delete a file under remove_all's feet, which it reports as an error.
    std::error_code ec;
    for (int attempt = 0; attempt < 5 && std::filesystem::exists(profile); ++attempt)
        std::filesystem::remove_all(profile, ec);
    timings.close_ms = ms_between(closing, Clock::now());
    // close() waits until no process of the browser's group is left, zombies included: the same figure here.
    // SIGKILL, as the kiosk's watcher does, so that no helper keeps a page in memory or skews the next run.
    while (::kill(-pid, SIGKILL) == 0 && Clock::now() - closing < 10s)
        std::this_thread::sleep_for(5ms);
    timings.helpers_gone_ms = ms_between(closing, Clock::now());
    timings.left_singleton = remove_leftover(singleton);

    if (!painted)
        return make_error(
            ErrorCode::browser_failed, "the plain Chromium painted nothing within 30 s; its log:\n" + log_tail(log));
    if (std::filesystem::exists(profile))
        return make_error(ErrorCode::browser_failed, "cannot remove the plain Chromium's profile: " + ec.message());
    timings.paint_ms = ms_between(tapped, *painted);
    timings.request_ms = ms_between(tapped, *arrivals.wait("/visit/" + visit));
    return timings;
}

struct Summary {
    double median = 0, p95 = 0, max = 0;
};

// Median, p95 by nearest rank (with 10 runs, the largest), and the largest.
Summary summarize(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    auto n = values.size();
    double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    auto rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(n)));
    return { median, values[std::max<size_t>(rank, 1) - 1], values.back() };
}

std::string json_array(std::vector<double> const& values)
{
    std::string text = "[";
    char number[32];
    for (auto v : values) {
        std::snprintf(number, sizeof number, "%s%.1f", text.size() > 1 ? "," : "", v);
        text += number;
    }
    return text + "]";
}

// Every run of one side, in milliseconds.
struct Samples {
    std::vector<double> paint, request, open, ready, close, helpers_gone;
    int left_singleton = 0;

    void add(Timings const& t)
    {
        paint.push_back(t.paint_ms);
        request.push_back(t.request_ms);
        if (t.open_ms)
            open.push_back(*t.open_ms);
        if (t.ready_ms)
            ready.push_back(*t.ready_ms);
        close.push_back(t.close_ms);
        if (t.helpers_gone_ms)
            helpers_gone.push_back(*t.helpers_gone_ms);
        left_singleton += t.left_singleton;
    }
    std::string json() const
    {
        std::string text = "{";
        for (auto [name, values] : { std::pair { "paint_ms", &paint }, { "request_ms", &request }, { "open_ms", &open },
                 { "ready_ms", &ready }, { "close_ms", &close }, { "helpers_gone_ms", &helpers_gone } }) {
            if (values->empty())
                continue;
            auto s = summarize(*values);
            char figures[128];
            std::snprintf(figures, sizeof figures, "\"%s\":{\"median\":%.1f,\"p95\":%.1f,\"max\":%.1f,\"runs\":", name,
                s.median, s.p95, s.max);
            text += figures + json_array(*values) + "},";
        }
        return text + "\"left_singleton\":" + std::to_string(left_singleton) + "}";
    }
};

std::string first_line_of_command(char const* command)
{
    std::string line;
    if (FILE* pipe = ::popen(command, "r")) {
        char buffer[256];
        if (std::fgets(buffer, sizeof buffer, pipe))
            line = buffer;
        ::pclose(pipe);
    }
    while (!line.empty() && (line.back() == '\n' || line.back() == ' '))
        line.pop_back();
    return line;
}

// Chromium's helpers outlive the browser process for a moment and go to the nearest subreaper; close() waits until
// they are reaped. systemd, PID 1 on a kiosk, reaps them at once; some container inits only every second or two.
// With --subreaper this process adopts and reaps them at once. It may also reap the browser before its watcher
// does: waitpid then fails with ECHILD, which the driver and peer_visit() take as the exit it is.
void reap_orphans()
{
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    std::thread([] {
        for (;;)
            if (::waitpid(-1, nullptr, 0) < 0)
                std::this_thread::sleep_for(5ms); // no child at the moment
    }).detach();
}

int usage()
{
    std::fprintf(stderr, "usage: browser_bench [--runs N] [--subreaper]   (N from 1 to 1000, default 10)\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 10;
    bool subreaper = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--runs" && i + 1 < argc) {
            char* end = nullptr;
            long value = std::strtol(argv[++i], &end, 10);
            if (*end != '\0' || value < 1 || value > 1000)
                return usage();
            runs = static_cast<int>(value);
        } else if (arg == "--subreaper") {
            subreaper = true;
        } else {
            return usage();
        }
    }
    if (::access(chromium_binary, X_OK) != 0) {
        std::fprintf(stderr, "browser_bench: %s is missing (apt-get install chromium)\n", chromium_binary);
        return 1;
    }
    // Stop between two steps on Ctrl-C, so the temporary folders go.
    struct sigaction on_signal { };
    on_signal.sa_handler = [](int) { interrupted = true; };
    ::sigaction(SIGINT, &on_signal, nullptr);
    ::sigaction(SIGTERM, &on_signal, nullptr);

    // Nothing is written outside the benchmark's temporary folders: the kiosk's policy lives in its session.
    TempDir certificates;
    auto certificate = make_test_certificate(certificates.path());

    if (subreaper)
        reap_orphans();
    // The load before the runs is the machine's; Chromium starting twice per run adds its own by the end.
    double load[3] = { 0, 0, 0 }, load_after = 0;
    ::getloadavg(load, 3);
    Arrivals arrivals;
    LoopbackServer server(
        [&arrivals](HttpRequest const& request) { return serve_partner(request, arrivals); }, certificate.files);

    Samples kiosk, peer;
    // One untimed visit of each first (run 0): the first start after a build or boot reads Chromium from disk.
    for (int run = 0; run <= runs && !interrupted; ++run) {
        auto visit_kiosk = [&]() -> Result<void> {
            auto timings = TRY(kiosk_visit(server, certificate, arrivals, "kiosk-" + std::to_string(run)));
            if (run > 0)
                kiosk.add(timings);
            return {};
        };
        auto visit_peer = [&]() -> Result<void> {
            auto timings = TRY(peer_visit(server, certificate, arrivals, "peer-" + std::to_string(run)));
            if (run > 0)
                peer.add(timings);
            return {};
        };
        // Alternate which goes first, so neither always meets the other's leftovers (page cache, exiting helpers).
        auto in_turn = [](auto first, auto second) -> Result<void> {
            TRY(first());
            return second();
        };
        auto result = run % 2 ? in_turn(visit_kiosk, visit_peer) : in_turn(visit_peer, visit_kiosk);
        if (!result && !interrupted) {
            std::fprintf(stderr, "browser_bench: run %d failed: %s\n", run, result.error().detail.c_str());
            return 1;
        }
    }
    if (interrupted) {
        std::fprintf(stderr, "browser_bench: interrupted\n");
        return 1;
    }

    cpu_set_t cpus;
    int nproc = ::sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 0;
    ::getloadavg(&load_after, 1);
    char date[32];
    auto now = std::time(nullptr);
    std::tm utc {};
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", ::gmtime_r(&now, &utc));
    auto version = first_line_of_command("/usr/lib/chromium/chromium --version 2>/dev/null");

    std::printf("browser benchmark, %s, %s, %d runs after one warm-up, nproc %d, load %.2f %.2f %.2f before and "
                "%.2f after, %s\n",
        date, version.c_str(), runs, nproc, load[0], load[1], load[2], load_after,
        subreaper ? "orphans reaped by the benchmark (--subreaper)" : "orphans reaped by PID 1");
    std::printf("%-30s %26s %26s %15s\n", "", "kiosk (ChromiumBrowser) ms", "peer (plain headless) ms", "kiosk/peer");
    std::printf("%-30s %8s %8s %8s %8s %8s %8s %7s %7s\n", "figure", "median", "p95", "max", "median", "p95", "max",
        "median", "p95");
    auto row = [](char const* name, std::vector<double> const& ours, std::vector<double> const& theirs) {
        auto k = summarize(ours), p = summarize(theirs);
        std::printf("%-30s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %7.2f %7.2f\n", name, k.median, k.p95, k.max, p.median,
            p.p95, p.max, k.median / p.median, k.p95 / p.p95);
    };
    row("partner tap -> first paint", kiosk.paint, peer.paint);
    row("  of which: page requested", kiosk.request, peer.request);
    row("close + profile deleted", kiosk.close, peer.close);
    // close() returns once no process of the browser's group is left: the peer's figure that compares.
    row("  until no helper is left", kiosk.close, peer.helpers_gone);
    auto open = summarize(kiosk.open);
    std::printf("%-30s %8.1f %8.1f %8.1f\n", "time inside open()", open.median, open.p95, open.max);
    auto ready = summarize(kiosk.ready);
    std::printf("%-30s %8.1f %8.1f %8.1f\n", "tap -> DevTools page ready", ready.median, ready.p95, ready.max);
    auto count = [runs](int n) { return std::to_string(n) + "/" + std::to_string(runs); };
    std::printf("%-30s %26s %26s   (removed by the benchmark)\n", "singleton folder left in /tmp",
        count(kiosk.left_singleton).c_str(), count(peer.left_singleton).c_str());

    std::printf("{\"date\":\"%s\",\"chromium\":\"%s\",\"runs\":%d,\"nproc\":%d,\"load\":[%.2f,%.2f,%.2f],"
                "\"load_after\":%.2f,\"subreaper\":%s,\"kiosk\":%s,\"peer\":%s,\"ratio_paint_median\":%.3f,\"ratio_"
                "close_median\":%.3f}\n",
        date, version.c_str(), runs, nproc, load[0], load[1], load[2], load_after, subreaper ? "true" : "false",
        kiosk.json().c_str(), peer.json().c_str(), summarize(kiosk.paint).median / summarize(peer.paint).median,
        summarize(kiosk.close).median / summarize(peer.close).median);
    return 0;
}
