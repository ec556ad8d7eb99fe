// Tests of the confined Chromium with real pages: the sandbox seen from outside, uploads through the kiosk's
// picker, typing, one window, certificate errors and shortcuts, on Xvfb where a window matters.
#include "drivers/browser/chromium/chromium_browser.h"
#include "drivers/browser/chromium/policies.h"
#include "loopback_server.h"
#include "test_support.h"
#include "tests/support/xvfb.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <mutex>
#include <thread>

using namespace kiosk;
using namespace kiosk::drivers;
using namespace kiosk::tests;
using namespace std::chrono_literals;

namespace {

constexpr auto page_timeout = 30s;

bool chromium_installed()
{
    return ::access("/usr/lib/chromium/chromium", X_OK) == 0 && ::access("/usr/bin/bwrap", X_OK) == 0;
}

[[maybe_unused]] bool x_tools_installed()
{
    return ::access("/usr/bin/Xvfb", X_OK) == 0 && ::access("/usr/bin/xdotool", X_OK) == 0
        && ::access("/usr/bin/xwininfo", X_OK) == 0;
}

std::unique_ptr<ChromiumBrowser> make_browser(std::string const& spec_text)
{
    auto spec = parse_driver_spec(spec_text);
    REQUIRE(spec);
    auto options = ChromiumBrowser::parse_options(*spec);
    if (!options)
        FAIL(options.error().detail);
    return std::make_unique<ChromiumBrowser>(*options);
}

HttpResponse page(std::string body)
{
    HttpResponse response;
    response.body = "<!DOCTYPE html><html><head><meta charset=utf-8><title>test</title><link rel=icon href=data:,>"
                    "<style>body{margin:0}</style></head><body>"
        + std::move(body) + "</body></html>";
    return response;
}

// What a listener heard, for the test thread to wait on.
class Events {
public:
    Browser::Listener listener()
    {
        return [this](BrowserEvent event) {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(event));
        };
    }
    std::optional<BrowserEvent> wait_for(BrowserEvent::Kind kind, std::chrono::milliseconds timeout = page_timeout)
    {
        std::optional<BrowserEvent> found;
        wait_until([&] {
            std::lock_guard lock(m_mutex);
            for (auto it = m_events.begin(); it != m_events.end(); ++it)
                if (it->kind == kind) {
                    found = *it;
                    m_events.erase(m_events.begin(), it + 1);
                    return true;
                }
            return false;
        }, timeout);
        return found;
    }

private:
    std::mutex m_mutex;
    std::vector<BrowserEvent> m_events;
};

std::string url_decode(std::string const& text)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

// The first request whose path starts with prefix, waiting at most timeout.
std::optional<HttpRequest> wait_for_prefix(LoopbackServer const& server, std::string const& prefix)
{
    std::optional<HttpRequest> found;
    wait_until([&] {
        for (auto const& request : server.requests())
            if (request.path.starts_with(prefix)) {
                found = request;
                return true;
            }
        return false;
    }, page_timeout);
    return found;
}

} // namespace

TEST_CASE("A focused field is reported by kind, and text typed through the kiosk reaches the page", "[chromium]")
{
    if (!chromium_installed()) {
        WARN("SKIPPED: chromium or bubblewrap is not installed");
        return;
    }
    TempDir dir;
    auto certificate = make_test_certificate(dir.path());
    LoopbackServer server([](HttpRequest const& request) {
        if (request.path.starts_with("/connexion"))
            return page("<form action=/envoi method=get><input id=mail name=mail type=email autofocus>"
                        "<input id=pass name=pass type=password><input name=n type=number><button>Envoyer</button></form>");
        return page("<p>reçu</p><button id=b>ok</button><script>document.getElementById('b').focus()</script>");
    }, certificate.files);
    auto browser = make_browser(chromium_spec(server.port(), certificate, dir.path(), true));
    INFO("Chromium log: " << (dir.path() / "chromium.log").string());
    Events events;
    browser->set_listener(events.listener());
    auto request = make_request(dir.path() / "session", "https://www.caf.fr/connexion", { "caf.fr" });
    REQUIRE(browser->open(request));

    auto focused = events.wait_for(BrowserEvent::Kind::text_field_focused);
    REQUIRE(focused);
    CHECK(focused->field == TextFieldKind::email);
    REQUIRE(browser->insert_text("marie.dupont@exemple.fx"));
    REQUIRE(browser->press_key(EditKey::backspace));
    REQUIRE(browser->insert_text("r"));
    REQUIRE(browser->press_key(EditKey::tab));
    auto password = events.wait_for(BrowserEvent::Kind::text_field_focused);
    REQUIRE(password);
    CHECK(password->field == TextFieldKind::password);
    REQUIRE(browser->insert_text("é€ \"secret\""));
    REQUIRE(browser->press_key(EditKey::left));
    REQUIRE(browser->insert_text("!"));
    REQUIRE(browser->press_key(EditKey::enter)); // submits the form, as a keyboard's Enter does
    auto sent = wait_for_prefix(server, "/envoi");
    REQUIRE(sent);
    CHECK(url_decode(sent->path) == "/envoi?mail=marie.dupont@exemple.fr&pass=é€ \"secret!\"&n=");
    // The next page has no text field focused: the keyboard goes away.
    CHECK(events.wait_for(BrowserEvent::Kind::text_field_left));
    browser->close();
}

namespace {

// What /proc/PID/status says on one line ("Seccomp:\t2"), empty when the process is gone.
std::string status_line(pid_t pid, std::string const& name)
{
    auto text = read_file("/proc/" + std::to_string(pid) + "/status");
    auto at = text.find(name + ":");
    return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
}

// The children, grandchildren... of pid.
std::vector<pid_t> descendants(pid_t pid)
{
    std::vector<std::pair<pid_t, pid_t>> parents; // (process, parent)
    std::error_code ec;
    for (auto const& entry : std::filesystem::directory_iterator("/proc", ec)) {
        auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        auto stat = read_file(entry.path() / "stat");
        auto close_paren = stat.rfind(')');
        if (close_paren == std::string::npos)
            continue;
        std::istringstream rest(stat.substr(close_paren + 1));
        char state = 0;
        pid_t parent = 0;
        if (rest >> state >> parent)
            parents.emplace_back(std::stoi(name), parent);
    }
    std::vector<pid_t> result { pid };
    for (size_t i = 0; i < result.size(); ++i)
        for (auto [process, parent] : parents)
            if (parent == result[i])
                result.push_back(process);
    result.erase(result.begin());
    return result;
}

bool can_create(std::filesystem::path const& path)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    ::close(fd);
    return true;
}

} // namespace

TEST_CASE("Seen from outside, the confined Chromium has only the session's folders and cannot write elsewhere", "[chromium]")
{
    if (!chromium_installed()) {
        WARN("SKIPPED: chromium or bubblewrap is not installed");
        return;
    }
    TempDir dir;
    auto certificate = make_test_certificate(dir.path());
    // What a kiosk keeps beside the session: the agents file, the audit log, another session's folder.
    auto agents = dir.path() / "var-lib" / "agents.toml";
    auto audit = dir.path() / "log" / "audit.jsonl";
    auto other_session = dir.path() / "session-other" / "downloads" / "avis.pdf";
    for (auto const& file : { agents, audit, other_session }) {
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << "secret\n";
    }
    LoopbackServer server([](HttpRequest const&) { return page("<p>accueil</p>"); }, certificate.files);
    auto browser = make_browser(chromium_spec(server.port(), certificate, dir.path(), true));
    INFO("Chromium log: " << (dir.path() / "chromium.log").string());
    auto request = make_request(dir.path() / "session", "https://www.caf.fr/accueil", { "caf.fr" });
    REQUIRE(browser->open(request));
    REQUIRE(server.wait_for("www.caf.fr", "/accueil", page_timeout));
    pid_t pid = browser->pid();
    REQUIRE(pid > 0);
    REQUIRE(read_file("/proc/" + std::to_string(pid) + "/cmdline").find("--user-data-dir") != std::string::npos);
    auto root = std::filesystem::path("/proc") / std::to_string(pid) / "root";

    // What it sees.
    CHECK(std::filesystem::exists(root / request.profile_dir.relative_path()));
    CHECK(std::filesystem::exists(root / request.downloads_dir.relative_path()));
    CHECK(std::filesystem::exists(root / request.uploads_dir.relative_path()));
    CHECK(std::filesystem::exists(root / "usr/lib/chromium/chromium"));
    for (auto const& hidden : { agents, audit, other_session, dir.path() / "chromium.log",
             std::filesystem::path("/var/lib"), std::filesystem::path("/var/log"), std::filesystem::path("/run"),
             std::filesystem::path("/root"), std::filesystem::path("/home"), std::filesystem::path("/srv"),
             std::filesystem::path("/etc/shadow"), std::filesystem::path("/etc/kiosk"),
             ChromiumBrowser::policy_path(request) }) {
        INFO(hidden);
        CHECK_FALSE(std::filesystem::exists(root / hidden.relative_path()));
    }
    // Its policy: the visit's, alone in the folder Chromium reads, and read-only.
    auto managed = root / "etc/chromium/policies/managed";
    std::vector<std::string> policies;
    for (auto const& entry : std::filesystem::directory_iterator(managed))
        policies.push_back(entry.path().filename().string());
    CHECK(policies == std::vector<std::string> { "france-services-kiosk.json" });
    CHECK(read_file(managed / "france-services-kiosk.json") == chromium::policy_json(request));
    CHECK_FALSE(std::ofstream(managed / "france-services-kiosk.json", std::ios::app) << "x");
    CHECK_FALSE(can_create(managed / "other.json"));

    // Of /var, only the fonts' cache (read-only) is there.
    std::vector<std::string> var;
    for (auto const& entry : std::filesystem::recursive_directory_iterator(root / "var"))
        if (entry.is_directory() && entry.path().filename() != "fontconfig")
            var.push_back(entry.path().filename().string());
    CHECK(var == std::vector<std::string> { "cache" });

    // Writing anywhere but its folders and its own /tmp fails, even for root from outside: read-only mounts.
    for (auto const& place : { "planted", "etc/planted", "usr/planted", "var-planted", "proc/planted" }) {
        INFO(place);
        CHECK_FALSE(can_create(root / place));
    }
    CHECK(can_create(root / "tmp/private-marker"));
    CHECK_FALSE(std::filesystem::exists("/tmp/private-marker")); // the sandbox's /tmp is not the machine's

    // Chromium's own sandbox is on: it runs as user 65534 of its own namespace, its renderers under seccomp.
    CHECK(read_file("/proc/" + std::to_string(pid) + "/uid_map").find("65534") != std::string::npos);
    int renderers = 0;
    std::error_code ec;
    auto browser_namespace = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/ns/pid", ec);
    for (pid_t process : descendants(pid)) {
        auto cmdline = read_file("/proc/" + std::to_string(process) + "/cmdline");
        CHECK(cmdline.find("--no-sandbox") == std::string::npos);
        if (cmdline.find("--type=renderer") != std::string::npos) {
            ++renderers;
            CHECK(status_line(process, "Seccomp") == "Seccomp:\t2");
            // And in a pid namespace of Chromium's own, inside bubblewrap's.
            CHECK(std::filesystem::read_symlink("/proc/" + std::to_string(process) + "/ns/pid", ec) != browser_namespace);
        }
    }
    CHECK(renderers > 0);

    auto inside = descendants(pid);
    browser->close();
    CHECK_FALSE(std::filesystem::exists(request.profile_dir));
    CHECK_FALSE(std::filesystem::exists(ChromiumBrowser::policy_path(request)));
    for (pid_t process : inside)
        CHECK((::kill(process, 0) != 0 || status_line(process, "State").find("Z") != std::string::npos));
}
