// Tests of the confined Chromium with real pages: the sandbox seen from outside, uploads through the kiosk's
// picker, typing, one window, certificate errors and shortcuts, on Xvfb where a window matters.
#include "chromium_test.h"
#include "drivers/browser/chromium/chromium_browser.h"
#include "drivers/browser/chromium/policies.h"
#include "loopback_server.h"
#include "test_support.h"
#include "tests/support/xvfb.h"

#include <catch2/catch.hpp>

#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

using namespace kiosk;
using namespace kiosk::drivers;
using namespace kiosk::tests;
using namespace std::chrono_literals;

namespace {

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
    wait_until(
        [&] {
            for (auto const& request : server.requests())
                if (request.path.starts_with(prefix)) {
                    found = request;
                    return true;
                }
            return false;
        },
        page_timeout);
    return found;
}

} // namespace

TEST_CASE("A focused field is reported by kind, and text typed through the kiosk reaches the page", "[chromium]")
{
    if (chromium_missing())
        return;
    HttpsSite site([](HttpRequest const& request) {
        if (request.path.starts_with("/connexion"))
            return page(
                "<form action=/envoi method=get><input id=mail name=mail type=email autofocus>"
                "<input id=pass name=pass type=password><input name=n type=number><button>Envoyer</button></form>");
        return page("<p>reçu</p><button id=b>ok</button><script>document.getElementById('b').focus()</script>");
    });
    auto& dir = site.dir;
    auto& server = site.server;
    auto browser = site.headless();
    INFO("Chromium log: " << (dir.path() / "chromium.log").string());
    BrowserEvents events;
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

TEST_CASE(
    "Seen from outside, the confined Chromium has only the session's folders and cannot write elsewhere", "[chromium]")
{
    if (chromium_missing())
        return;
    HttpsSite site([](HttpRequest const&) { return page("<p>accueil</p>"); });
    auto& dir = site.dir;
    auto& server = site.server;
    // What a kiosk keeps beside the session: the agents file, the audit log, another session's folder.
    auto agents = dir.path() / "var-lib" / "agents.toml";
    auto audit = dir.path() / "log" / "audit.jsonl";
    auto other_session = dir.path() / "session-other" / "downloads" / "avis.pdf";
    for (auto const& file : { agents, audit, other_session }) {
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << "secret\n";
    }
    auto browser = site.headless();
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
    for (auto const& hidden :
        { agents, audit, other_session, dir.path() / "chromium.log", std::filesystem::path("/var/lib"),
            std::filesystem::path("/var/log"), std::filesystem::path("/run"), std::filesystem::path("/root"),
            std::filesystem::path("/home"), std::filesystem::path("/srv"), std::filesystem::path("/etc/shadow"),
            std::filesystem::path("/etc/kiosk"), ChromiumBrowser::policy_path(request) }) {
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
    // The uploads folder is read-only inside: the kiosk writes there, and must never find a link planted by the
    // browser. Its downloads folder is where it may write.
    CHECK_FALSE(can_create(root / request.uploads_dir.relative_path() / "planted"));
    CHECK(can_create(root / request.downloads_dir.relative_path() / "download-marker"));
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
            CHECK(
                std::filesystem::read_symlink("/proc/" + std::to_string(process) + "/ns/pid", ec) != browser_namespace);
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

namespace {

// A windowed Chromium on a private Xvfb, its page in the area between a kiosk's bars (1280x700 at y 50).
struct WindowedVisit {
    Xvfb xvfb { "1280x800x24" };
    BrowserTempDir dir;
    TestCertificate certificate = make_test_certificate(dir.path());
    std::unique_ptr<LoopbackServer> server;
    std::unique_ptr<DisplayOverride> display;
    std::unique_ptr<ChromiumBrowser> browser;
    BrowserEvents events;
    BrowseRequest request;

    explicit WindowedVisit(LoopbackServer::Handler handler, std::optional<TlsFiles> served = std::nullopt)
    {
        REQUIRE(xvfb.running());
        server = std::make_unique<LoopbackServer>(std::move(handler), served ? served : certificate.files);
        display = std::make_unique<DisplayOverride>(xvfb.display());
        browser = make_browser(chromium_spec(server->port(), certificate, dir.path(), false));
        browser->set_listener(events.listener());
    }
    // Opens path on www.caf.fr and waits until the page is drivable and has asked for /ready.
    void open(std::string const& path, bool wait_ready = true)
    {
        request = make_request(dir.path() / "session", "https://www.caf.fr" + path, { "caf.fr" });
        request.area = ScreenArea { 1280, 700, 0, 50 };
        REQUIRE(browser->open(request));
        REQUIRE(wait_until([&] { return browser->devtools_ready(); }, page_timeout));
        if (wait_ready)
            REQUIRE(server->wait_for("www.caf.fr", "/ready", page_timeout));
    }
    bool x(std::vector<std::string> const& args) { return xdotool(xvfb.display(), args, dir.path()); }
    // A tap in the page, in screen coordinates.
    void tap(int screen_x, int screen_y)
    {
        REQUIRE(x({ "mousemove", std::to_string(screen_x), std::to_string(screen_y) }));
        REQUIRE(x({ "click", "1" }));
    }
    int windows() { return chromium_windows(xvfb.display(), dir.path()); }
    std::string url()
    {
        auto current = browser->current_url();
        return current ? *current : std::string();
    }
    size_t page_count()
    {
        auto all = browser->targets();
        return all ? all->size() : 0;
    }
    ~WindowedVisit() { browser->close(); }
};

std::string const ready_script
    = "<script>addEventListener('load', () => setTimeout(() => fetch('/ready'), 200));</script>";

} // namespace

TEST_CASE("A file asked for by a page is answered by the kiosk, under a readable name, with no dialog", "[chromium]")
{
    if (display_tools_missing())
        return;
    WindowedVisit visit([](HttpRequest const& request) {
        if (request.path == "/formulaire")
            return page("<input id=f type=file multiple accept='.pdf, Application/PDF' "
                        "style='position:fixed;left:0;top:0;width:100%;height:100%;font-size:200px'>"
                        "<script>const f = document.getElementById('f');"
                        "f.addEventListener('change', () => { const data = new FormData();"
                        "  for (const file of f.files) data.append('piece', file);"
                        "  fetch('/recu', { method: 'POST', body: data }); });"
                        "f.addEventListener('cancel', () => fetch('/annule'));</script>"
                + ready_script);
        return page("<p>ok</p>");
    });
    INFO("Chromium log: " << (visit.dir.path() / "chromium.log").string());
    visit.open("/formulaire");
    int windows_before = visit.windows();
    REQUIRE(windows_before >= 1);

    // Documents of the session, under names no site should see.
    auto first = visit.dir.path() / "session" / "upload-1.pdf";
    auto second = visit.dir.path() / "session" / "upload-2.pdf";
    std::ofstream(first) << "%PDF-1.4\n% avis d'impot\n%%EOF\n";
    std::ofstream(second) << "%PDF-1.4\n% releve\n%%EOF\n";

    visit.tap(640, 400);
    auto asked = visit.events.wait_for(BrowserEvent::Kind::file_requested);
    REQUIRE(asked);
    CHECK(asked->file_request.multiple);
    CHECK(asked->file_request.accept == std::vector<std::string> { ".pdf", "application/pdf" });
    // Chromium's own chooser never opened: no window appeared.
    std::this_thread::sleep_for(500ms);
    CHECK(visit.windows() == windows_before);
    CHECK(visit.page_count() == 1);

    // Not the pending request, or a file that is not one: refused, the request stays.
    CHECK_FALSE(visit.browser->provide_files(asked->file_request.id + 1, { { first, "x" } }));
    CHECK_FALSE(visit.browser->provide_files(asked->file_request.id, { { visit.dir.path() / "nothing.pdf", "x" } }));
    REQUIRE(visit.browser->provide_files(
        asked->file_request.id, { { first, "Avis d'impôt 2025" }, { second, "../Relevé \"mai\"/juin 2025.pdf" } }));
    auto received = visit.server->wait_for("www.caf.fr", "/recu", page_timeout);
    REQUIRE(received);
    INFO(received->body);
    CHECK(received->body.find("filename=\"Avis-d-impot-2025.pdf\"") != std::string::npos);
    CHECK(received->body.find("% avis d'impot") != std::string::npos);
    CHECK(received->body.find("filename=\"Releve-mai-juin-2025.pdf\"") != std::string::npos);
    CHECK(received->body.find("% releve") != std::string::npos);
    // The copies are in the uploads folder, and only there.
    CHECK(std::filesystem::exists(visit.request.uploads_dir / ("given-" + std::to_string(asked->file_request.id) + "-1")
        / "Avis-d-impot-2025.pdf"));

    // Asked again and cancelled by the resident: nothing reaches the page, the next request is answered.
    visit.tap(640, 400);
    auto again = visit.events.wait_for(BrowserEvent::Kind::file_requested);
    REQUIRE(again);
    CHECK(again->file_request.id != asked->file_request.id);
    visit.browser->cancel_file_request(again->file_request.id);
    CHECK_FALSE(visit.browser->provide_files(again->file_request.id, { { first, "x" } }));
    CHECK(visit.windows() == windows_before);
    visit.browser->close();
    CHECK_FALSE(std::filesystem::exists(
        visit.request.uploads_dir / ("given-" + std::to_string(asked->file_request.id) + "-1")));
}

TEST_CASE("A single file input takes one file", "[chromium]")
{
    if (display_tools_missing())
        return;
    WindowedVisit visit([](HttpRequest const&) {
        return page("<input type=file style='position:fixed;left:0;top:0;width:100%;height:100%'>" + ready_script);
    });
    visit.open("/formulaire");
    visit.tap(640, 400);
    auto asked = visit.events.wait_for(BrowserEvent::Kind::file_requested);
    REQUIRE(asked);
    CHECK_FALSE(asked->file_request.multiple);
    CHECK(asked->file_request.accept.empty());
    auto file = visit.dir.path() / "a.pdf";
    std::ofstream(file) << "%PDF-1.4\n";
    auto refused = visit.browser->provide_files(asked->file_request.id, { { file, "a" }, { file, "b" } });
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::usage);
}

TEST_CASE(
    "Links to a new window, window.open and modified clicks stay in the one window, and Back returns", "[chromium]")
{
    if (display_tools_missing())
        return;
    WindowedVisit visit([](HttpRequest const& request) {
        if (request.path == "/depart")
            return page("<a href='/cible-blank' target=_blank style='display:block;height:200px;background:#ddd'>"
                        "blank</a><a href='/cible-ctrl' style='display:block;height:200px;background:#bbb'>ctrl</a>"
                        "<button onclick=\"window.open('/cible-open', 'x', 'width=300')\" style='display:block;"
                        "width:100%;height:200px'>open</button>"
                + ready_script);
        return page("<p>cible</p>" + ready_script);
    });
    INFO("Chromium log: " << (visit.dir.path() / "chromium.log").string());
    visit.open("/depart");
    int windows_before = visit.windows();
    REQUIRE(windows_before >= 1);

    struct Case {
        char const* name;
        std::vector<std::string> modifiers;
        int y;
        char const* path;
    };
    for (auto const& c : { Case { "target=_blank", {}, 150, "/cible-blank" },
             Case { "Ctrl+click, a new tab elsewhere", { "ctrl" }, 350, "/cible-ctrl" },
             Case { "Shift+click, a new window elsewhere", { "shift" }, 350, "/cible-ctrl" },
             Case { "window.open from a tap", {}, 550, "/cible-open" } }) {
        INFO(c.name);
        auto before = visit.server->requests().size();
        for (auto const& key : c.modifiers)
            REQUIRE(visit.x({ "keydown", key }));
        visit.tap(640, c.y);
        for (auto const& key : c.modifiers)
            REQUIRE(visit.x({ "keyup", key }));
        bool arrived
            = wait_until([&] { return visit.url() == std::string("https://www.caf.fr") + c.path; }, page_timeout);
        std::string paths;
        for (auto const& r : visit.server->requests())
            paths += r.path + " ";
        INFO("page: " << visit.url() << ", pages: " << visit.page_count() << ", requests: " << paths);
        REQUIRE(arrived);
        CHECK(visit.server->requests().size() > before);
        std::this_thread::sleep_for(500ms);
        CHECK(visit.page_count() == 1);
        CHECK(visit.windows() == windows_before);
        auto back = visit.browser->go_back();
        REQUIRE(back);
        CHECK(*back);
        REQUIRE(wait_until([&] { return visit.url() == "https://www.caf.fr/depart"; }, page_timeout));
        std::this_thread::sleep_for(500ms);
    }
    auto first = visit.browser->go_back();
    REQUIRE(first);
    CHECK_FALSE(*first);
    // Every name resolves to the test's server: whatever Chromium sent of its own (sign-in checks, updates)
    // would show up here under another host.
    for (auto const& request : visit.server->requests()) {
        INFO(request.host << request.path);
        CHECK(request.host == "www.caf.fr");
    }
}

TEST_CASE("A certificate error cannot be passed", "[chromium]")
{
    if (display_tools_missing())
        return;
    // The server presents a certificate the browser does not trust (another one than the visit's test CA).
    BrowserTempDir other;
    auto untrusted = make_test_certificate(other.path(), "untrusted");
    WindowedVisit visit([](HttpRequest const&) { return page("<p>jamais</p>"); }, untrusted.files);
    INFO("Chromium log: " << (visit.dir.path() / "chromium.log").string());
    visit.open("/connexion", false);
    REQUIRE(wait_until([&] { return visit.server->failed_handshakes() > 0; }, page_timeout));
    std::this_thread::sleep_for(1s);
    // The interstitial has no "proceed" link (SSLErrorOverrideAllowed false), and the typed bypass does nothing;
    // Tab and Enter reach only "back to safety", which has nowhere to go.
    visit.tap(640, 400);
    REQUIRE(visit.x({ "type", "--delay", "30", "thisisunsafe" }));
    for (int i = 0; i < 6; ++i)
        REQUIRE(visit.x({ "key", "Tab", "Return" }));
    std::this_thread::sleep_for(1s);
    CHECK(visit.server->requests().empty());
    CHECK(visit.page_count() == 1);
    CHECK(visit.browser->is_open());
}

TEST_CASE("A windowed Chromium sits between the kiosk's bars, and moves when the keyboard needs room", "[chromium]")
{
    if (display_tools_missing())
        return;
    WindowedVisit visit([](HttpRequest const&) {
        return page("<p>bienvenue</p><button onclick='document.documentElement.requestFullscreen()' "
                    "style='width:100%;height:600px'>plein écran</button>"
            + ready_script);
    });
    visit.open("/accueil");
    auto tree = visit.dir.path() / "windows.txt";
    auto geometry_shown = [&](std::string const& geometry) {
        return wait_until(
            [&] {
                run_bounded({ "/usr/bin/xwininfo", "-display", visit.xvfb.display(), "-root", "-tree" }, tree,
                    visit.dir.path() / "xwininfo.err", 5s);
                return read_file(tree).find(geometry) != std::string::npos;
            },
            page_timeout);
    };
    INFO("windows: " << read_file(tree));
    CHECK(geometry_shown("1280x700+0+50"));
    // Nothing of Chromium covers the bars, full screen asked by the page included (FullscreenAllowed false).
    visit.tap(640, 400);
    REQUIRE(visit.x({ "key", "F11" }));
    std::this_thread::sleep_for(1s);
    // Every window of Chromium that is shown (xdotool --onlyvisible), with its geometry.
    REQUIRE(visit.x({ "search", "--onlyvisible", "--class", "chromium" }));
    std::istringstream ids(read_file(visit.dir.path() / "xdotool.out"));
    int shown = 0;
    for (std::string id; ids >> id;) {
        run_bounded({ "/usr/bin/xwininfo", "-display", visit.xvfb.display(), "-id", id }, tree,
            visit.dir.path() / "xwininfo.err", 5s);
        auto info = read_file(tree);
        INFO(info);
        // xwininfo's last line: "-geometry WxH+X+Y" (the signs may be '-').
        auto at = info.find("-geometry ");
        REQUIRE(at != std::string::npos);
        int width = 0, height = 0, x = 0, y = 0;
        char x_sign = '+', y_sign = '+';
        REQUIRE(
            std::sscanf(info.c_str() + at, "-geometry %dx%d%c%d%c%d", &width, &height, &x_sign, &x, &y_sign, &y) == 6);
        if (y_sign == '-')
            y = -y;
        ++shown;
        CHECK((y >= 50 && y + height <= 750));
    }
    CHECK(shown >= 1);
    // The on-screen keyboard takes the lower part: the page shrinks above it.
    REQUIRE(visit.browser->set_area({ 1280, 400, 0, 50 }));
    CHECK(geometry_shown("1280x400+0+50"));
    CHECK_FALSE(visit.browser->set_area({ 10, 10, 0, 0 }));
}

namespace {

// Presses every shortcut a physical keyboard has on a partner's page, or on Chromium's own "blocked" page, which
// no script of the kiosk's reaches.
void press_every_shortcut(bool const blocked_page)
{
    INFO((blocked_page ? "on the blocked page" : "on a partner's page"));
    WindowedVisit visit([](HttpRequest const& request) {
        if (request.path == "/bloque")
            return page("<p>départ</p><script>setTimeout(() => location.href = 'https://www.impots.gouv.fr/', 300)"
                        "</script>");
        return page("<h1>Accueil</h1><input id=champ style='width:100%;height:300px'>" + ready_script);
    });
    INFO("Chromium log: " << (visit.dir.path() / "chromium.log").string());
    visit.open(blocked_page ? "/bloque" : "/accueil", !blocked_page);
    std::string const page_url = blocked_page ? "https://www.impots.gouv.fr/" : "https://www.caf.fr/accueil";
    REQUIRE(wait_until([&] { return visit.url() == page_url; }, page_timeout));
    std::this_thread::sleep_for(500ms);
    int const windows_before = visit.windows();
    REQUIRE(windows_before >= 1);

    auto files_in = [](std::filesystem::path const& folder) {
        std::vector<std::string> names;
        std::error_code ec;
        for (auto const& entry : std::filesystem::recursive_directory_iterator(folder, ec))
            names.push_back(entry.path().string());
        return names;
    };
    // Ctrl+W, Ctrl+Shift+W, Ctrl+Q and Alt+F4 may close the window: the kiosk hears an unexpected exit and brings
    // the resident home (the test opens the visit again).
    std::set<std::string> const closing { "ctrl+w", "ctrl+shift+w", "ctrl+q", "alt+F4" };
    std::string closed;
    for (std::string key : { "ctrl+n", "ctrl+t", "ctrl+shift+n", "ctrl+o", "ctrl+s", "ctrl+p", "ctrl+l", "ctrl+h",
             "ctrl+j", "ctrl+u", "ctrl+d", "ctrl+f", "ctrl+shift+b", "ctrl+shift+o", "ctrl+shift+Delete", "F11", "F12",
             "ctrl+shift+i", "ctrl+shift+j", "ctrl+shift+c", "F1", "F6", "F7", "alt+e", "alt+f", "alt+Home", "alt+Left",
             "Escape", "alt+Tab", "ctrl+Tab", "ctrl+w", "ctrl+shift+w", "ctrl+q", "ctrl+alt+F1", "ctrl+alt+BackSpace",
             "alt+F4" }) {
        INFO(key);
        visit.tap(640, 300); // the focus in the page, as a resident's last tap leaves it
        REQUIRE(visit.x({ "key", "--clearmodifiers", key }));
        std::this_thread::sleep_for(700ms);
        if (closing.contains(key) && !visit.browser->is_open()) {
            CHECK(visit.browser->take_unexpected_exit());
            CHECK(visit.events.wait_for(BrowserEvent::Kind::exited_unexpectedly));
            closed += key + " ";
            visit.browser->close();
            visit.open(blocked_page ? "/bloque" : "/accueil", !blocked_page);
            REQUIRE(wait_until([&] { return visit.url() == page_url; }, page_timeout));
            std::this_thread::sleep_for(500ms);
            continue;
        }
        REQUIRE(visit.browser->is_open());
        CHECK(visit.page_count() == 1);
        CHECK(visit.url() == page_url);
        CHECK(visit.windows() == windows_before);
        CHECK(files_in(visit.request.downloads_dir).empty());
        CHECK(files_in(visit.request.uploads_dir).empty());
    }
    WARN("keys that closed the window: " << (closed.empty() ? "none" : closed));
}

} // namespace

TEST_CASE("No shortcut of a physical keyboard opens, saves or leaves anything on a partner's page", "[chromium]")
{
    if (!display_tools_missing())
        press_every_shortcut(false);
}

TEST_CASE("No shortcut of a physical keyboard opens, saves or leaves anything on Chromium's blocked page", "[chromium]")
{
    if (!display_tools_missing())
        press_every_shortcut(true);
}

TEST_CASE("Text selected in a page (the X PRIMARY selection) does not outlive the visit", "[chromium]")
{
    if (display_tools_missing())
        return;
    WindowedVisit visit([](HttpRequest const&) {
        return page("<p style='font-size:80px'>numero-allocataire-1234567</p>" + ready_script);
    });
    visit.open("/compte");
    Display* display = XOpenDisplay(visit.xvfb.display().c_str());
    REQUIRE(display);
    auto owner = [&] { return XGetSelectionOwner(display, XA_PRIMARY); };
    CHECK(owner() == None);
    // A resident's triple tap on the paragraph selects it: Chromium owns PRIMARY.
    REQUIRE(visit.x({ "mousemove", "200", "150", "click", "--repeat", "3", "--delay", "80", "1" }));
    CHECK(wait_until([&] { return owner() != None; }, 10s));
    visit.browser->close();
    // Its owner gone, the X server forgets the selection: nothing is left for a middle click to paste.
    CHECK(wait_until([&] { return owner() == None; }, 10s));
    XCloseDisplay(display);
}
