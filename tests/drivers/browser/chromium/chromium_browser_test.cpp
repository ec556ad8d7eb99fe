// Tests of the Chromium browser backend: policy file, bad input, process handling, and real headless Chromium
// against pages served on loopback under the partners' real names.
#include "drivers/browser/chromium/chromium_browser.h"
#include "drivers/browser/chromium/policies.h"
#include "loopback_server.h"
#include "test_support.h"
#include "tests/support/xvfb.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <set>
#include <thread>

using namespace kiosk;
using namespace kiosk::drivers;
using namespace kiosk::tests;
using namespace std::chrono_literals;

namespace {

constexpr char const* chromium_binary = "/usr/bin/chromium";
constexpr auto page_timeout = 30s;

bool chromium_installed()
{
    return ::access(chromium_binary, X_OK) == 0 && ::access("/usr/lib/chromium/chromium", X_OK) == 0;
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

// A headless Chromium whose every host name reaches server, with its log in the test folder.
std::unique_ptr<ChromiumBrowser> make_headless(LoopbackServer const& server, TempDir const& dir)
{
    return make_browser(std::string("chromium:binary=") + chromium_binary + ",policy_dir="
        + ManagedPolicyGuard::directory + ",headless=1,sandbox=0,insecure_downloads=1,resolve_to=127.0.0.1:"
        + std::to_string(server.port()) + ",log=" + (dir.path() / "chromium.log").string());
}

HttpResponse page(std::string body)
{
    HttpResponse response;
    response.body = "<!DOCTYPE html><html><head><title>test</title><link rel=icon href=data:,></head><body>"
        + std::move(body) + "</body></html>";
    return response;
}

HttpResponse not_found()
{
    HttpResponse response;
    response.status = 404;
    response.body = "not found";
    return response;
}

} // namespace

TEST_CASE("The policy allows only the partner's domains and locks the browser down", "[policy]")
{
    auto request = make_request("/tmp/unused-session", "https://www.caf.fr/", { "caf.fr", "franceconnect.gouv.fr" });
    request.downloads_dir = "/srv/session/downloads";
    auto json = chromium::policy_json(request);
    for (auto expected : {
             R"("URLBlocklist":["*","file://*","chrome://*")",
             R"("URLAllowlist":["caf.fr","franceconnect.gouv.fr"])",
             R"("DownloadDirectory":"/srv/session/downloads")",
             R"("PromptForDownloadLocation":false)",
             R"("AlwaysOpenPdfExternally":true)",
             R"("DeveloperToolsAvailability":2)",
             R"("IncognitoModeAvailability":1)",
             R"("PasswordManagerEnabled":false)",
             R"("AutofillAddressEnabled":false)",
             R"("AutofillCreditCardEnabled":false)",
             R"("BrowserSignin":0)",
             R"("SyncDisabled":true)",
             R"("DefaultPopupsSetting":2)",
             R"("ExtensionInstallBlocklist":["*"])",
         }) {
        INFO(expected);
        CHECK(json.find(expected) != std::string::npos);
    }
    CHECK(json.find("InsecureContentAllowedForUrls") == std::string::npos);

    chromium::PolicyOptions options;
    options.allow_insecure_downloads = true;
    CHECK(chromium::policy_json(request, options)
              .find(R"("InsecureContentAllowedForUrls":["[*.]caf.fr","[*.]franceconnect.gouv.fr"])")
        != std::string::npos);

    TempDir dir;
    auto written = chromium::write_policy_file(dir.path() / "policies" / "managed", json);
    REQUIRE(written);
    CHECK(written->filename() == "france-services-kiosk.json");
    CHECK(read_file(*written) == json);
    struct stat info { };
    REQUIRE(::stat(written->c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0644);
}

TEST_CASE("The deployed baseline policy carries every policy the driver writes", "[policy]")
{
    auto names = [](std::string const& json) {
        std::set<std::string> result;
        std::regex key(R"re("([A-Za-z]+)"\s*:)re");
        for (auto it = std::sregex_iterator(json.begin(), json.end(), key); it != std::sregex_iterator(); ++it)
            result.insert((*it)[1]);
        return result;
    };
    auto baseline_text
        = read_file(std::filesystem::path(KIOSK_SOURCE_DIR) / "deploy/browser/france-services-kiosk.json");
    REQUIRE_FALSE(baseline_text.empty());
    auto baseline = names(baseline_text);
    auto request = make_request("/tmp/unused-session", "https://www.caf.fr/", { "caf.fr" });
    for (auto const& name : names(chromium::policy_json(request))) {
        INFO(name);
        CHECK((baseline.contains(name) || name == "DownloadDirectory"));
    }
    CHECK(baseline_text.find(R"("URLAllowlist": [])") != std::string::npos);
}

TEST_CASE("Addresses are matched against the allowed domains the way Chromium's allow-list does", "[policy]")
{
    CHECK(chromium::url_host("https://WWW.Caf.fr:443/mon-compte?x=1") == "www.caf.fr");
    CHECK(chromium::url_host("http://caf.fr") == "caf.fr");
    CHECK(chromium::url_host("https://caf.fr@evil.example/").empty());
    CHECK(chromium::url_host("file:///etc/passwd").empty());
    CHECK(chromium::url_host("javascript:alert(1)").empty());
    std::vector<std::string> domains { "caf.fr" };
    CHECK(chromium::host_is_allowed("caf.fr", domains));
    CHECK(chromium::host_is_allowed("www.caf.fr", domains));
    CHECK_FALSE(chromium::host_is_allowed("notcaf.fr", domains));
    CHECK_FALSE(chromium::host_is_allowed("caf.fr.evil.example", domains));
}

TEST_CASE("Bad requests are refused before anything is written or started", "[validation]")
{
    TempDir dir;
    auto policy_dir = dir.path() / "managed";
    // A binary that does not exist: a request that got past validation would fail with browser_failed instead.
    auto browser = make_browser("chromium:binary=/nonexistent/chromium,policy_dir=" + policy_dir.string());
    auto good = make_request(dir.path() / "session", "https://www.caf.fr/", { "caf.fr", "franceconnect.gouv.fr" });

    auto expect_usage = [&](BrowseRequest const& request, std::string const& why) {
        INFO(why);
        auto result = browser->open(request);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::usage);
        CHECK_FALSE(browser->is_open());
    };
    auto request = good;
    request.allowed_domains = { "caf.fr", "caf..fr" };
    expect_usage(request, "malformed domain");
    request.allowed_domains = { "caf.fr", "*.gouv.fr" };
    expect_usage(request, "wildcard domain");
    request.allowed_domains = { "https://caf.fr" };
    expect_usage(request, "URL given as a domain");
    request.allowed_domains = {};
    expect_usage(request, "no domain");
    request = good;
    request.url = "https://www.impots.gouv.fr/";
    expect_usage(request, "start page outside the allowed domains");
    request.url = "file:///etc/passwd";
    expect_usage(request, "file URL");
    request.url = "--remote-debugging-port=9222";
    expect_usage(request, "a flag instead of a URL");
    request.url = "https://caf.fr@evil.example/";
    expect_usage(request, "user info hiding the real host");
    request = good;
    request.profile_dir = "relative/profile";
    expect_usage(request, "relative profile");
    request = good;
    request.downloads_dir = good.profile_dir / "Downloads";
    expect_usage(request, "downloads inside the profile, deleted with it");
    request = good;
    request.profile_dir = "/tmp";
    expect_usage(request, "a profile folder that is not the session's own");
    request = good;
    request.language = "fr --remote-debugging-port=9222";
    expect_usage(request, "a flag smuggled in as a language");

    CHECK_FALSE(std::filesystem::exists(policy_dir));
}

TEST_CASE("A missing Chromium is a browser failure with a clear detail", "[validation]")
{
    TempDir dir;
    auto browser
        = make_browser("chromium:binary=/nonexistent/chromium,policy_dir=" + (dir.path() / "managed").string());
    auto result = browser->open(make_request(dir.path() / "session", "https://www.caf.fr/", { "caf.fr" }));
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::browser_failed);
    CHECK(result.error().detail.find("/nonexistent/chromium") != std::string::npos);
    CHECK_FALSE(browser->is_open());
    CHECK_FALSE(browser->take_unexpected_exit());
    browser->close();

    // A file that exists but cannot be executed: the exec failure comes back through the CLOEXEC pipe.
    auto not_a_program = dir.path() / "chromium";
    std::ofstream(not_a_program) << "\x7f"
                                 << "garbage\n";
    std::filesystem::permissions(not_a_program, std::filesystem::perms::owner_all);
    auto broken = make_browser(
        "chromium:binary=" + not_a_program.string() + ",policy_dir=" + (dir.path() / "managed").string());
    auto request = make_request(dir.path() / "session", "https://www.caf.fr/", { "caf.fr" });
    auto started = broken->open(request);
    REQUIRE_FALSE(started);
    CHECK(started.error().code == ErrorCode::browser_failed);
    CHECK(started.error().detail.find("cannot start") != std::string::npos);
    CHECK_FALSE(broken->is_open());
    CHECK_FALSE(broken->take_unexpected_exit());
    CHECK_FALSE(std::filesystem::exists(request.profile_dir));
}

TEST_CASE("Driver parameters are checked and shape the command line", "[options]")
{
    auto refused = [](std::string const& text) {
        INFO(text);
        auto spec = parse_driver_spec(text);
        REQUIRE(spec);
        auto browser = ChromiumBrowser::create(*spec);
        REQUIRE_FALSE(browser);
        CHECK(browser.error().code == ErrorCode::usage);
    };
    refused("chromium:binarry=/usr/bin/chromium");
    refused("chromium:binary=chromium");
    refused("chromium:resolve_to=10.0.0.1:80");
    refused("chromium:resolve_to=127.0.0.1");
    refused("chromium:resolve_to=127.0.0.1:80 MAP *.gouv.fr 10.0.0.1");
    refused("chromium:resolve_to=localhost:80");
    refused("chromium:resolve_to=127.0.0.1:70000");
    refused("chromium:headless=yes");
    refused("chromium:window=1280x700");

    auto request = make_request("/tmp/unused-session", "https://www.caf.fr/", { "caf.fr" });
    auto contains = [](std::vector<std::string> const& args, std::string const& arg) {
        return std::find(args.begin(), args.end(), arg) != args.end();
    };
    auto kiosk = make_browser("chromium")->command_line(request);
    CHECK(kiosk.front() == "/usr/bin/chromium");
    CHECK(contains(kiosk, "--user-data-dir=/tmp/unused-session/browser-profile"));
    CHECK(contains(kiosk, "--disk-cache-dir=/tmp/unused-session/browser-profile/cache"));
    for (auto flag : { "--no-first-run", "--disable-sync", "--disable-background-networking",
             "--disable-component-update", "--no-default-browser-check", "--kiosk" })
        CHECK(contains(kiosk, flag));
    CHECK_FALSE(contains(kiosk, "--no-sandbox"));
    CHECK(kiosk.back() == "https://www.caf.fr/");
    CHECK(contains(kiosk, "--lang=fr")); // the resident's language, for Chromium's own pages and Accept-Language

    auto app
        = make_browser("chromium:window=1280x700+0+100,sandbox=0,resolve_to=127.0.0.1:8080")->command_line(request);
    CHECK(contains(app, "--app=https://www.caf.fr/"));
    CHECK(contains(app, "--window-size=1280,700"));
    CHECK(contains(app, "--window-position=0,100"));
    CHECK(contains(app, "--no-sandbox"));
    CHECK(contains(app, "--host-resolver-rules=MAP * 127.0.0.1:8080"));
    CHECK_FALSE(contains(app, "--kiosk"));

    // The kiosk's screen passes the area between its own bars; it wins over the window= parameter.
    request.area = ScreenArea { 1920, 860, 0, 110 };
    auto framed = make_browser("chromium:window=1280x700+0+100")->command_line(request);
    CHECK(contains(framed, "--app=https://www.caf.fr/"));
    CHECK(contains(framed, "--window-size=1920,860"));
    CHECK(contains(framed, "--window-position=0,110"));
    CHECK_FALSE(contains(framed, "--kiosk"));
    // Headless has no window at all.
    auto headless = make_browser("chromium:headless=1")->command_line(request);
    CHECK_FALSE(contains(headless, "--window-size=1920,860"));
}

TEST_CASE("Chromium's environment keeps it inside the session, in the resident's language", "[process]")
{
    TempDir dir;
    auto seen = dir.path() / "env.txt";
    auto fake = dir.path() / "fake-chromium";
    std::ofstream(fake) << "#!/bin/sh\nenv > '" << seen.string() << "'\nexec sleep 30\n";
    std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
    auto browser = make_browser("chromium:binary=" + fake.string() + ",policy_dir=" + (dir.path() / "managed").string());
    auto request = make_request(dir.path() / "session", "https://www.caf.fr/", { "caf.fr" });
    request.language = "en";
    REQUIRE(browser->open(request));
    REQUIRE(wait_until([&] { return read_file(seen).find("PATH=") != std::string::npos; }, 10s));
    auto env = read_file(seen);
    CHECK(env.find("LANGUAGE=en\n") != std::string::npos); // Chromium's own pages, on Linux
    CHECK(env.find("HOME=" + (dir.path() / "session").string() + "\n") != std::string::npos);
    CHECK(env.find("TMPDIR=" + (request.profile_dir / "tmp").string() + "\n") != std::string::npos);
    browser->close();
    CHECK_FALSE(std::filesystem::exists(request.profile_dir));
}

TEST_CASE("A browser that leaves by itself is reported once and one that ignores SIGTERM is killed", "[process]")
{
    TempDir dir;
    auto script = [&](std::string const& name, std::string const& body) {
        auto path = dir.path() / name;
        std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
        std::filesystem::permissions(path, std::filesystem::perms::owner_all);
        return path.string();
    };
    auto policy_dir = (dir.path() / "managed").string();
    auto request = make_request(dir.path() / "session", "https://www.caf.fr/", { "caf.fr" });

    SECTION("an exit without close() is unexpected, reported once, and close() still wipes the profile")
    {
        auto browser = make_browser("chromium:binary=" + script("quits", "exit 3") + ",policy_dir=" + policy_dir);
        REQUIRE(browser->open(request));
        REQUIRE(wait_until([&] { return !browser->is_open(); }, 10s));
        CHECK(browser->take_unexpected_exit());
        CHECK_FALSE(browser->take_unexpected_exit());
        browser->close();
        CHECK_FALSE(std::filesystem::exists(request.profile_dir));
        CHECK(std::filesystem::exists(request.downloads_dir));
        CHECK(std::filesystem::exists(std::filesystem::path(policy_dir) / "france-services-kiosk.json"));
    }
    SECTION("SIGTERM ignored: SIGKILL after the grace period, the whole process group gone")
    {
        auto ready = dir.path() / "trap-installed";
        auto browser = make_browser("chromium:binary="
            + script("stubborn", "trap '' TERM\n: > '" + ready.string() + "'\nwhile :; do sleep 0.1; done")
            + ",policy_dir=" + policy_dir);
        REQUIRE(browser->open(request));
        pid_t group = browser->pid();
        REQUIRE(group > 0);
        REQUIRE(wait_until([&] { return std::filesystem::exists(ready); }, 10s));
        CHECK(browser->is_open());
        auto start = std::chrono::steady_clock::now();
        browser->close();
        auto took = std::chrono::steady_clock::now() - start;
        CHECK(took >= 1900ms);
        CHECK(took < 6s);
        // Killed: the group empties once whoever inherited the orphans has reaped them (close() does not wait
        // for that, zombies hold nothing).
        CHECK(wait_until([&] { return ::kill(-group, 0) != 0; }, 5s));
        CHECK_FALSE(browser->is_open());
        CHECK_FALSE(browser->take_unexpected_exit());
        CHECK_FALSE(std::filesystem::exists(request.profile_dir));
    }
}

TEST_CASE("Chromium shows an allowed page and never reaches a domain that is not listed", "[chromium]")
{
    if (!chromium_installed()) {
        WARN("SKIPPED: Debian's chromium is not installed");
        return;
    }
    ManagedPolicyGuard policies;
    REQUIRE(policies.locked());
    TempDir dir;
    LoopbackServer server([](HttpRequest const& request) {
        if (request.host == "www.caf.fr" && request.path == "/accueil")
            return page(
                "<h1>Accueil CAF</h1>"
                "<iframe src=\"http://www.not-a-partner.fr/secret\" onload=\"new Image().src='/iframe-done'\"></iframe>"
                "<script>window.open('http://www.caf.fr/popup'); new Image().src='/after-popup';</script>");
        return not_found();
    });
    auto browser = make_headless(server, dir);
    INFO("Chromium log: " << (dir.path() / "chromium.log").string());
    auto request
        = make_request(dir.path() / "session", "http://www.caf.fr/accueil", { "caf.fr", "franceconnect.gouv.fr" });

    REQUIRE(browser->open(request));
    CHECK(browser->is_open());
    REQUIRE(server.wait_for("www.caf.fr", "/accueil", page_timeout));
    // The iframe's load event fires once its navigation has been decided: by then a request would have arrived.
    REQUIRE(server.wait_for("www.caf.fr", "/iframe-done", page_timeout));
    CHECK_FALSE(server.received("www.not-a-partner.fr", "/secret"));
    REQUIRE(server.wait_for("www.caf.fr", "/after-popup", page_timeout));
    std::this_thread::sleep_for(500ms);
    CHECK_FALSE(server.received("www.caf.fr", "/popup"));
    CHECK(browser->is_open());

    browser->close();
    CHECK_FALSE(browser->is_open());
    CHECK_FALSE(browser->take_unexpected_exit());
    CHECK_FALSE(std::filesystem::exists(request.profile_dir));
    CHECK(processes_mentioning(request.profile_dir.string()).empty());
}

TEST_CASE("A page opened on a domain that is not listed is blocked by the administrator", "[chromium]")
{
    if (!chromium_installed()) {
        WARN("SKIPPED: Debian's chromium is not installed");
        return;
    }
    ManagedPolicyGuard policies;
    REQUIRE(policies.locked());
    TempDir dir;
    LoopbackServer server([](HttpRequest const& request) {
        if (request.path == "/marker")
            return page("<p>page-" + request.host + "</p>");
        return not_found();
    });
    auto browser = make_headless(server, dir);
    auto request = make_request(dir.path() / "session", "http://www.caf.fr/marker", { "caf.fr" });
    // The driver's policy but for two entries: headless --dump-dom drives the page through DevTools and chrome://
    // pages, which the kiosk's policy blocks (Chromium then loads nothing at all, allowed or not).
    auto json = chromium::policy_json(request);
    auto replace = [&json](std::string_view from, std::string_view to) {
        auto at = json.find(from);
        REQUIRE(at != std::string::npos);
        json.replace(at, from.size(), to);
    };
    replace(R"("DeveloperToolsAvailability":2)", R"("DeveloperToolsAvailability":0)");
    replace(R"("chrome://*",)", "");
    REQUIRE(chromium::write_policy_file(ManagedPolicyGuard::directory, json));

    // The driver's own command line, run once with --dump-dom: Chromium prints the page, or logs why it could not.
    auto one_shot = [&](std::string const& url, std::string const& name) {
        auto args = browser->command_line(request);
        args.back() = url;
        args.insert(args.end() - 1, "--dump-dom");
        auto out = dir.path() / (name + ".out");
        auto err = dir.path() / (name + ".err");
        run_bounded(args, out, err, page_timeout);
        return std::pair { read_file(out), read_file(err) };
    };
    auto [allowed_dom, allowed_log] = one_shot("http://www.caf.fr/marker", "allowed");
    INFO(allowed_log);
    CHECK(allowed_dom.find("page-www.caf.fr") != std::string::npos);
    CHECK(server.received("www.caf.fr", "/marker"));

    auto [blocked_dom, blocked_log] = one_shot("http://www.impots.gouv.fr/marker", "blocked");
    INFO(blocked_log);
    CHECK(blocked_dom.find("page-www.impots.gouv.fr") == std::string::npos);
    CHECK(blocked_log.find("ERR_BLOCKED_BY_ADMINISTRATOR") != std::string::npos);
    CHECK_FALSE(server.received("www.impots.gouv.fr", "/marker"));
    CHECK(processes_mentioning(dir.path().string()).empty());
}

TEST_CASE("A file downloaded on a partner site lands in the session's downloads folder", "[chromium]")
{
    if (!chromium_installed()) {
        WARN("SKIPPED: Debian's chromium is not installed");
        return;
    }
    // Sent as an attachment, or shown inline as most sites show their attestations: Chromium's PDF viewer
    // would leave an inline one on screen, out of the tray, where it can be neither kept nor printed.
    bool const attachment = GENERATE(true, false);
    INFO((attachment ? "attachment" : "inline"));
    ManagedPolicyGuard policies;
    REQUIRE(policies.locked());
    TempDir dir;
    std::string const pdf = "%PDF-1.4\n% attestation de paiement\n%%EOF\n";
    LoopbackServer server([&](HttpRequest const& request) {
        if (request.host == "www.caf.fr" && request.path == "/attestation-caf.pdf") {
            HttpResponse response;
            response.content_type = "application/pdf";
            response.headers["Content-Disposition"]
                = std::string(attachment ? "attachment" : "inline") + "; filename=\"attestation-caf.pdf\"";
            response.body = pdf;
            return response;
        }
        return not_found();
    });
    auto browser = make_headless(server, dir);
    INFO("Chromium log: " << (dir.path() / "chromium.log").string());
    auto request = make_request(dir.path() / "session", "http://www.caf.fr/attestation-caf.pdf", { "caf.fr" });

    REQUIRE(browser->open(request));
    auto file = request.downloads_dir / "attestation-caf.pdf";
    CHECK(wait_until([&] { return std::filesystem::exists(file) && read_file(file) == pdf; }, page_timeout));
    browser->close();
    CHECK(read_file(file) == pdf);
    CHECK_FALSE(std::filesystem::exists(request.profile_dir));
}

TEST_CASE("After close() the profile is gone and the next session sees no cookie of the previous one", "[chromium]")
{
    if (!chromium_installed()) {
        WARN("SKIPPED: Debian's chromium is not installed");
        return;
    }
    ManagedPolicyGuard policies;
    REQUIRE(policies.locked());
    TempDir dir;
    LoopbackServer server([](HttpRequest const& request) {
        if (request.path == "/connexion") {
            auto response = page("<p>connecté</p><script>new Image().src='/mon-compte';</script>");
            response.headers["Set-Cookie"] = "session_caf=resident-42; Max-Age=86400; Path=/";
            return response;
        }
        if (request.path == "/mon-compte" || request.path == "/retour")
            return page("<p>compte</p>");
        return not_found();
    });
    auto browser = make_headless(server, dir);
    INFO("Chromium log: " << (dir.path() / "chromium.log").string());
    auto first = make_request(dir.path() / "session", "http://www.caf.fr/connexion", { "caf.fr" });

    REQUIRE(browser->open(first));
    auto in_session = server.wait_for("www.caf.fr", "/mon-compte", page_timeout);
    REQUIRE(in_session);
    CHECK(in_session->cookie.find("session_caf=resident-42") != std::string::npos); // the cookie works within a session
    // Chromium's own temporary folder (its singleton socket) is inside the profile, not left behind in /tmp.
    bool temporary_inside = false;
    for (auto const& entry : std::filesystem::directory_iterator(first.profile_dir / "tmp"))
        temporary_inside |= entry.path().filename().string().starts_with("org.chromium.Chromium.");
    CHECK(temporary_inside);
    browser->close();
    CHECK_FALSE(std::filesystem::exists(first.profile_dir));
    CHECK_FALSE(browser->take_unexpected_exit());

    // The next resident: same kiosk, same folder names.
    auto second = make_request(dir.path() / "session", "http://www.caf.fr/retour", { "caf.fr" });
    REQUIRE(browser->open(second));
    auto next = server.wait_for("www.caf.fr", "/retour", page_timeout);
    REQUIRE(next);
    CHECK(next->cookie.find("session_caf") == std::string::npos);
    browser->close();
    CHECK_FALSE(std::filesystem::exists(second.profile_dir));
}

TEST_CASE("A Chromium crash is reported once and leaves no process behind", "[chromium]")
{
    if (!chromium_installed()) {
        WARN("SKIPPED: Debian's chromium is not installed");
        return;
    }
    ManagedPolicyGuard policies;
    REQUIRE(policies.locked());
    TempDir dir;
    LoopbackServer server([](HttpRequest const& request) {
        if (request.path == "/accueil")
            return page("<p>accueil</p>");
        return not_found();
    });
    auto browser = make_headless(server, dir);
    auto request = make_request(dir.path() / "session", "http://www.caf.fr/accueil", { "caf.fr" });

    REQUIRE(browser->open(request));
    REQUIRE(server.wait_for("www.caf.fr", "/accueil", page_timeout));
    pid_t pid = browser->pid();
    REQUIRE(pid > 0);
    CHECK_FALSE(browser->take_unexpected_exit());
    ::kill(pid, SIGKILL); // the browser process alone, as a crash would
    REQUIRE(wait_until([&] { return !browser->is_open(); }, 10s));
    CHECK(browser->take_unexpected_exit());
    CHECK_FALSE(browser->take_unexpected_exit());
    // Renderers and helpers do not outlive the browser process.
    CHECK(wait_until([&] { return processes_mentioning(request.profile_dir.string()).empty(); }, 5s));
    browser->close();
    CHECK_FALSE(std::filesystem::exists(request.profile_dir));
}

TEST_CASE("A windowed Chromium sits in the area between the kiosk's bars", "[chromium]")
{
    if (!chromium_installed() || ::access("/usr/bin/Xvfb", X_OK) != 0 || ::access("/usr/bin/xwininfo", X_OK) != 0) {
        WARN("SKIPPED: chromium, Xvfb or xwininfo is not installed");
        return;
    }
    Xvfb xvfb("1280x800x24");
    REQUIRE(xvfb.running());
    ManagedPolicyGuard policies;
    REQUIRE(policies.locked());
    TempDir dir;
    LoopbackServer server([](HttpRequest const&) { return page("<p>bienvenue</p>"); });
    // The driver hands the kiosk's DISPLAY on to Chromium.
    char const* saved = std::getenv("DISPLAY");
    std::string saved_display = saved ? saved : "";
    ::setenv("DISPLAY", xvfb.display().c_str(), 1);
    auto browser = make_browser(std::string("chromium:binary=") + chromium_binary + ",policy_dir=" + ManagedPolicyGuard::directory
        + ",sandbox=0,resolve_to=127.0.0.1:" + std::to_string(server.port()) + ",log=" + (dir.path() / "chromium.log").string());
    auto request = make_request(dir.path() / "session", "http://www.caf.fr/", { "caf.fr" });
    request.area = ScreenArea { 1280, 550, 0, 120 }; // a 120 px top bar and a 130 px session bar stay visible
    auto opened = browser->open(request);
    if (saved)
        ::setenv("DISPLAY", saved_display.c_str(), 1);
    else
        ::unsetenv("DISPLAY");
    REQUIRE(opened);
    INFO("Chromium log: " << (dir.path() / "chromium.log").string());

    auto tree = dir.path() / "windows.txt";
    bool placed = wait_until([&] {
        run_bounded({ "/usr/bin/xwininfo", "-display", xvfb.display(), "-root", "-tree" }, tree, dir.path() / "xwininfo.err", 5s);
        return read_file(tree).find("1280x550+0+120") != std::string::npos;
    }, 40s);
    INFO("windows: " << read_file(tree));
    CHECK(placed);
    // Nothing of Chromium covers the bars: no window of it reaches above y = 120 or below y = 670.
    std::regex geometry(R"((\d+)x(\d+)\+(-?\d+)\+(-?\d+)\s+\+)");
    std::string text = read_file(tree);
    for (std::sregex_iterator match(text.begin(), text.end(), geometry), end; match != end; ++match) {
        int width = std::stoi((*match)[1]), height = std::stoi((*match)[2]), y = std::stoi((*match)[4]);
        if (width > 100 && height > 100)
            CHECK((y >= 120 && y + height <= 670));
    }
    browser->close();
    CHECK_FALSE(browser->is_open());
}
