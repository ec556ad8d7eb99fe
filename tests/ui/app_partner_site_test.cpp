// The whole kiosk on a real partner page: Chromium confined and windowed on a private Xvfb, a loopback HTTPS site
// under the partner's name. A resident types with the kiosk's keyboard and sends a scan through the kiosk's picker;
// the page receives the text and the file, and the session's end leaves nothing of either.
#include "chromium_test.h"
#include "tests/support/xvfb.h"
#include "tests/ui/kiosk_fixture.h"

#include <thread>

using namespace kiosk;
using namespace kiosk::tests;
using kiosk::ui::testing::KioskFixture;
using namespace std::chrono_literals;

namespace {

// Lets the kiosk take the browser's events until done() holds, as its event loop would.
bool settle_until(KioskFixture& kiosk, std::function<bool()> const& done, std::chrono::seconds timeout = page_timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        kiosk.settle();
        if (done())
            return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

// A private X display of the kiosk's size, the one Chromium's window goes to while the test runs.
struct Screen {
    Xvfb xvfb { "1920x1080x24" };
    DisplayOverride display { xvfb.display() };
    Screen() { REQUIRE(xvfb.running()); }
};

} // namespace

TEST_CASE("On a real partner page the kiosk's keyboard types into the form and its picker sends a scan", "[chromium]")
{
    if (display_tools_missing())
        return;
    Screen screen;
    HttpsSite site([](HttpRequest const& request) {
        if (request.path.starts_with("/envoi"))
            return page("<p>Ajoutez votre justificatif</p>"
                        "<input id=f type=file accept='.pdf,application/pdf' "
                        "style='position:fixed;left:0;top:0;width:100%;height:100%'>"
                        "<script>const f = document.getElementById('f');"
                        "f.addEventListener('change', () => { const data = new FormData();"
                        "  for (const file of f.files) data.append('piece', file);"
                        "  fetch('/recu', { method: 'POST', body: data }); });</script>");
        if (request.path == "/")
            return page(
                "<form action=/envoi method=get><input name=mail type=email autofocus><button>Envoyer</button></form>");
        return page("<p>ok</p>");
    });
    KioskFixture kiosk("sim", 1920, 1080, [&](core::Config& config) {
        config.devices.browser = chromium_spec(site.server.port(), site.certificate, site.dir.path(), false);
    });
    INFO("Chromium log: " << (site.dir.path() / "chromium.log").string());
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    kiosk.tap("go_home");
    kiosk.tap("go_sites");
    kiosk.tap("partner_caf");
    kiosk.tap("open_site");
    REQUIRE(kiosk.app().top_name() == "browser");

    // The page's e-mail field has the focus: the kiosk shows its keyboard, with @ and .fr for an address.
    REQUIRE(settle_until(kiosk, [&] { return kiosk.widget("wk_at") != nullptr; }));
    REQUIRE(kiosk.widget("wk_dotfr"));
    for (auto key :
        { "wk_j", "wk_e", "wk_a", "wk_n", "wk_at", "wk_x", "wk_dotfr", "wk_shift", "wk_a", "wk_backspace", "wk_enter" })
        kiosk.tap(key);
    // jean@x.fr, typed key by key: a capital A and its deletion, then Enter sends the form.
    CHECK(site.server.wait_for("www.caf.fr", "/envoi?mail=jean%40x.fr", page_timeout));
    // The next page has no field to type in: the keyboard goes.
    CHECK(settle_until(kiosk, [&] { return kiosk.widget("wk_at") == nullptr; }));

    // The resident touches the page's file input: the kiosk's picker shows their documents, not Chromium's chooser.
    // The keyboard goes as the form's page unloads, which may be before the next one is drawn: a touch that came too
    // early (a loaded machine) is made again, as a resident would.
    bool picker = false;
    for (int touch = 0; touch < 6 && !picker; ++touch) {
        REQUIRE(xdotool(screen.xvfb.display(), { "mousemove", "960", "540", "click", "1" }, site.dir.path()));
        picker = settle_until(
            kiosk, [&] { return kiosk.app().top_name() == "upload_picker"; }, 5s);
    }
    REQUIRE(picker);
    CHECK(kiosk.shows_text("Quel document envoyer à CAF ?"));
    kiosk.tap("upload_doc_1");
    CHECK(kiosk.app().top_name() == "browser");
    auto received = site.server.wait_for("www.caf.fr", "/recu", page_timeout);
    REQUIRE(received);
    CHECK(received->body.find("filename=\"Scan-1.pdf\"") != std::string::npos);
    // The very bytes the kiosk prepared and gave the page (its copy in the uploads folder, until the page closes).
    std::string given;
    for (auto const& entry :
        std::filesystem::recursive_directory_iterator(kiosk.app().vault()->directory() / "uploads"))
        if (entry.path().filename() == "Scan-1.pdf")
            given = read_file(entry.path());
    REQUIRE(given.starts_with("%PDF-"));
    CHECK(received->body.find(given) != std::string::npos);
    CHECK(kiosk.shows_text("« Scan 1 » est ajouté au formulaire du site"));
    CHECK(kiosk.audited(R"("event":"upload","ok":true,"format":"pdf")"));
    CHECK_FALSE(kiosk.audited("Scan 1")); // the audit keeps sizes, never names

    kiosk.tap("end_session");
    kiosk.tap("end_now");
    CHECK(kiosk.app().top_name() == "attract");
    CHECK(wait_until([&] { return processes_mentioning(kiosk.runtime_dir().string()).empty(); }, 10s));
}

namespace {

// A session with a scan, on the CAF site in a headless confined Chromium whose page has loaded.
struct OnSite {
    HttpsSite site;
    KioskFixture kiosk;
    drivers::ChromiumBrowser* chromium = nullptr;
    std::filesystem::path profile;

    explicit OnSite(LoopbackServer::Handler handler = [](HttpRequest const&) { return page("<h1>Mon compte</h1>"); })
        : site(std::move(handler))
        , kiosk("sim", 1920, 1080, [this](core::Config& config) {
            config.devices.browser = chromium_spec(site.server.port(), site.certificate, site.dir.path(), true);
        })
    {
        chromium = &open(kiosk);
        REQUIRE(site.server.wait_for("www.caf.fr", "/", page_timeout));
        profile = kiosk.app().vault()->directory() / "browser-profile";
        REQUIRE(std::filesystem::exists(profile));
    }

    // After the session's end: no profile, no session folder, no process of the browser.
    void check_nothing_left()
    {
        CHECK(kiosk.app().top_name() == "attract");
        CHECK_FALSE(std::filesystem::exists(profile));
        CHECK(kiosk.session_folders() == 0);
        CHECK(wait_until([&] { return processes_mentioning(kiosk.runtime_dir().string()).empty(); }, 10s));
    }

private:
    static drivers::ChromiumBrowser& open(KioskFixture& kiosk);
};

drivers::ChromiumBrowser& OnSite::open(KioskFixture& kiosk)
{
    kiosk.start_session();
    kiosk.tap("go_scan");
    kiosk.tap("scan_start");
    kiosk.tap("go_home");
    kiosk.tap("go_sites");
    kiosk.tap("partner_caf");
    kiosk.tap("open_site");
    REQUIRE(kiosk.app().top_name() == "browser");
    auto* chromium = dynamic_cast<drivers::ChromiumBrowser*>(kiosk.app().browser());
    REQUIRE(chromium);
    REQUIRE(chromium->pid() > 0);
    return *chromium;
}

} // namespace

TEST_CASE("Chromium killed in mid-visit: the resident is brought home with the documents, and nothing is left after",
    "[chromium]")
{
    if (chromium_missing())
        return;
    OnSite visit;
    auto& kiosk = visit.kiosk;
    REQUIRE(::kill(visit.chromium->pid(), SIGKILL) == 0);

    REQUIRE(settle_until(kiosk, [&] { return kiosk.app().top_name() == "message"; }));
    CHECK(kiosk.shows_text("Le site s'est fermé"));
    kiosk.tap("close_overlay");
    CHECK(kiosk.app().top_name() == "home");
    CHECK(kiosk.app().tray().size() == 1);
    CHECK(kiosk.stored_names().size() == 1);

    kiosk.tap("end_session");
    kiosk.tap("end_now");
    visit.check_nothing_left();
}

TEST_CASE("Chromium hung (stopped) when the session ends: the wipe still stops it and deletes everything", "[chromium]")
{
    if (chromium_missing())
        return;
    OnSite visit;
    auto& kiosk = visit.kiosk;
    // Every process of the browser (their command lines name the session's profile) stops answering, as a hung one
    // does.
    auto processes = processes_mentioning(kiosk.runtime_dir().string());
    REQUIRE_FALSE(processes.empty());
    for (pid_t pid : processes)
        ::kill(pid, SIGSTOP);
    // The documents are still there while the site hangs.
    CHECK(kiosk.app().tray().size() == 1);
    CHECK(visit.chromium->is_open());

    kiosk.tap("end_session");
    kiosk.tap("end_now");
    CHECK_FALSE(kiosk.audited(R"("ok":false)"));
    visit.check_nothing_left();
}

TEST_CASE("The field being typed in stays in sight when the kiosk's keyboard makes the page shorter", "[chromium]")
{
    if (display_tools_missing())
        return;
    Screen screen;
    // A long page whose field is far down; the page tells where the field is whenever its window changes size.
    HttpsSite site([](HttpRequest const& request) {
        if (request.path == "/")
            return page(
                "<div style='height:1500px'></div><input id=f type=text autofocus><div style='height:1500px'></div>"
                // Measured a moment after the resize, once every listener of it has run (the page's own may come
                // before the kiosk's script when the page loaded before the kiosk attached).
                "<script>addEventListener('resize', () => setTimeout(() => { const r = f.getBoundingClientRect();"
                "  fetch('/pos?top=' + Math.round(r.top) + '&bottom=' + Math.round(r.bottom) + '&h=' + innerHeight); "
                "}, 200));"
                "</script>");
        return page("<p>ok</p>");
    });
    KioskFixture kiosk("sim", 1920, 1080, [&](core::Config& config) {
        config.devices.browser = chromium_spec(site.server.port(), site.certificate, site.dir.path(), false);
    });
    kiosk.start_session();
    kiosk.tap("go_sites");
    kiosk.tap("partner_caf");
    kiosk.tap("open_site");
    REQUIRE(settle_until(kiosk, [&] { return kiosk.widget("wk_a") != nullptr; }));
    // The keyboard took the lower half of the screen: the page says where its field is now (its last word on it).
    auto last_report = [&] {
        std::optional<HttpRequest> report;
        for (auto const& request : site.server.requests())
            if (request.path.starts_with("/pos?"))
                report = request;
        return report;
    };
    REQUIRE(wait_until([&] { return last_report().has_value(); }, page_timeout));
    std::this_thread::sleep_for(1s); // any later resize reports too
    auto report = last_report();
    int top = 0, bottom = 0, height = 0;
    REQUIRE(std::sscanf(report->path.c_str(), "/pos?top=%d&bottom=%d&h=%d", &top, &bottom, &height) == 3);
    INFO(report->path);
    CHECK(height < 500); // the window did get shorter
    CHECK(top >= 0);
    CHECK(bottom <= height);
}

TEST_CASE(
    "A link out of the allow-list on a real page: the kiosk explains, Back returns, the session goes on", "[chromium]")
{
    if (chromium_missing())
        return;
    // The partner's page sends the resident on to its next page, which links once to a site that is not listed.
    OnSite visit([](HttpRequest const& request) {
        if (request.path == "/")
            return page("<h1>Mon compte</h1><script>setTimeout(() => location.href = '/suite', 300)</script>");
        if (request.path == "/suite")
            return page("<p>suite</p><script>if (!sessionStorage.getItem('parti')) { sessionStorage.setItem('parti', "
                        "'1'); setTimeout(() => location.href = 'https://www.not-a-partner.fr/ailleurs', 300); }"
                        "</script>");
        return page("<p>" + request.host + request.path + "</p>");
    });
    auto& kiosk = visit.kiosk;
    REQUIRE(settle_until(kiosk, [&] { return kiosk.app().top_name() == "site_problem"; }));
    CHECK(kiosk.shows_text("Ce site n'est pas disponible sur cette borne"));
    CHECK(kiosk.shows_text("www.not-a-partner.fr"));
    CHECK_FALSE(visit.site.server.received("www.not-a-partner.fr", "/ailleurs"));
    kiosk.tap("site_problem_back");
    CHECK(kiosk.app().top_name() == "browser");
    CHECK(page_reaches(*visit.chromium, "https://www.caf.fr/suite"));
    CHECK(kiosk.app().tray().size() == 1);

    kiosk.tap("end_session");
    kiosk.tap("end_now");
    visit.check_nothing_left();
}
