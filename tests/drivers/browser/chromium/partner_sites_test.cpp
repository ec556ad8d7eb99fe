// Partner sites end to end in real Chromium, under the real services' names on loopback HTTPS: a FranceConnect login
// through every identity provider of the catalogue, pages that cannot be shown reported in the kiosk's terms (with
// what the allow-list does and does not govern, measured), and nothing of a login left for the next visit.
#include "chromium_test.h"
#include "kiosk/core/catalogue.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

using namespace kiosk;
using namespace kiosk::drivers;
using namespace kiosk::tests;
using namespace std::chrono_literals;

namespace {

core::Catalogue const& catalogue()
{
    static auto const loaded = core::load_catalogue(KIOSK_SOURCE_DIR "/assets/catalogue.toml");
    if (!loaded)
        throw std::runtime_error(loaded.error().detail);
    return *loaded;
}

// Every name a login may reach, for the test certificate: the catalogue's domains and hosts.
std::vector<std::string> catalogue_names()
{
    std::vector<std::string> names;
    for (auto const& partner : catalogue().partners)
        names.insert(names.end(), partner.domains.begin(), partner.domains.end());
    for (auto const& provider : catalogue().identity_providers)
        names.insert(names.end(), provider.hosts.begin(), provider.hosts.end());
    names.push_back("autre-site.fr");
    return names;
}

// The value of key in a path's query ("/call?provider=msa&x=1", "provider" -> "msa"); empty when absent.
std::string query_value(std::string const& path, std::string const& key)
{
    auto query = path.find('?');
    if (query == std::string::npos)
        return {};
    std::string rest = path.substr(query + 1);
    size_t at = 0;
    while (at <= rest.size()) {
        auto end = rest.find('&', at);
        auto pair = rest.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (pair.starts_with(key + "="))
            return pair.substr(key.size() + 1);
        if (end == std::string::npos)
            break;
        at = end + 1;
    }
    return {};
}

HttpResponse redirect(std::string const& location, std::string cookie = {})
{
    HttpResponse response;
    response.status = 302;
    response.headers["Location"] = location;
    if (!cookie.empty())
        response.headers["Set-Cookie"] = std::move(cookie);
    return response;
}

std::string const fc_host = "app.franceconnect.gouv.fr";

// The services of a FranceConnect login, as the real ones behave: the partner's "log in" link, FranceConnect's
// choice of provider, a redirect to the provider's login host, its form posted, a redirect back to FranceConnect,
// and FranceConnect's redirect to the partner's callback. Each sets a session cookie, as they do.
HttpResponse login_services(HttpRequest const& request)
{
    auto const& providers = catalogue().identity_providers;
    if (request.path.starts_with("/connexion"))
        return page("<a id=fc href='https://" + fc_host + "/api/v1/authorize?redirect_uri=https://" + request.host
            + "/callback&state=s1&test_choice=" + query_value(request.path, "provider")
            + "'>S'identifier avec FranceConnect</a><script>document.getElementById('fc').click()</script>");
    if (request.host == fc_host && request.path.starts_with("/api/v1/authorize")) {
        // The resident taps a provider (which one: the test's test_choice).
        std::string links;
        for (auto const& p : providers)
            links += "<a id='" + p.slug + "' href='/call?provider=" + p.slug
                + "&redirect_uri=" + query_value(request.path, "redirect_uri") + "'>" + p.name + "</a>";
        auto response = page(links + "<script>setTimeout(() => document.getElementById('"
            + query_value(request.path, "test_choice") + "').click(), 200)</script>");
        response.headers["Set-Cookie"] = "fc_session=fc-42; Max-Age=86400; Path=/; Secure; SameSite=Lax";
        return response;
    }
    if (request.host == fc_host && request.path.starts_with("/call")) {
        auto slug = query_value(request.path, "provider");
        auto it = std::ranges::find(providers, slug, &core::IdentityProvider::slug);
        if (it == providers.end())
            return page("<p>fournisseur inconnu</p>");
        // Sent to the provider's login host; it sends the resident back to FranceConnect's callback.
        return redirect("https://" + it->hosts.front() + "/authorize?client_id=franceconnect&redirect_uri=https://"
            + fc_host + "/login-callback?back=" + query_value(request.path, "redirect_uri"));
    }
    for (auto const& provider : providers) {
        if (request.host != provider.hosts.front())
            continue;
        if (request.path.starts_with("/authorize")) {
            // The login form, with a frame of each other host the provider's page uses (a captcha).
            std::string frames;
            for (size_t i = 1; i < provider.hosts.size(); ++i)
                frames += "<iframe src='https://newassets." + provider.hosts[i] + "/captcha'></iframe>";
            return page("<form method=post action='/login?" + request.path.substr(request.path.find('?') + 1)
                + "'><input name=identifiant value=resident></form>" + frames
                + "<script>setTimeout(() => document.forms[0].submit(), 300)</script>");
        }
        if (request.method == "POST" && request.path.starts_with("/login")) {
            auto back = request.path.substr(request.path.find("redirect_uri=") + 13);
            return redirect(back + "&code=idp-code", "idp_session=" + provider.slug + "-42; Path=/; Secure");
        }
    }
    if (request.host == fc_host && request.path.starts_with("/login-callback"))
        return redirect(query_value(request.path, "back") + "?code=fc-code&state=s1");
    if (request.path.starts_with("/callback")) {
        auto response = page("<p>connecté</p>");
        response.headers["Set-Cookie"] = "partner_session=resident-42; Max-Age=86400; Path=/; Secure";
        return response;
    }
    return page("<p>" + request.host + request.path + "</p>");
}

} // namespace

TEST_CASE("A FranceConnect login works from a partner through every identity provider of the catalogue", "[chromium]")
{
    if (chromium_missing())
        return;
    HttpsSite site(login_services, catalogue_names());
    INFO("Chromium log: " << (site.dir.path() / "chromium.log").string());
    auto browser = site.headless();
    BrowserEvents events;
    browser->set_listener(events.listener());
    REQUIRE_FALSE(catalogue().identity_providers.empty());
    for (auto const& partner_slug : { "caf", "cpam", "email" }) {
        auto const* partner = catalogue().partner(partner_slug);
        REQUIRE(partner);
        auto start_host = partner->url.substr(8);
        for (auto const& provider : catalogue().identity_providers) {
            INFO(partner->slug << " with " << provider.name);
            events.clear();
            // The allow-list the kiosk gives the visit, from the catalogue: nothing added for the test.
            auto request = make_request(site.dir.path() / "session",
                partner->url + "/connexion?provider=" + provider.slug, catalogue().allowed_domains(*partner));
            REQUIRE(browser->open(request));
            REQUIRE(wait_until([&] { return browser->devtools_ready(); }, page_timeout));
            REQUIRE(page_reaches(*browser, "https://" + start_host + "/callback?code=fc-code", true));
            CHECK(site.server.received(provider.hosts.front(),
                "/authorize?client_id=franceconnect&redirect_uri=https://" + fc_host + "/login-callback?back=https://"
                    + start_host + "/callback"));
            for (size_t i = 1; i < provider.hosts.size(); ++i)
                CHECK(site.server.wait_for("newassets." + provider.hosts[i], "/captcha", page_timeout));
            // No page and no frame of the chain was refused.
            CHECK(events.all(BrowserEvent::Kind::page_failed).empty());
            browser->close();
        }
    }
}

TEST_CASE("A page the visit cannot show is reported by kind and host; the allow-list governs pages and frames only",
    "[chromium]")
{
    if (chromium_missing())
        return;
    HttpsSite site(
        [](HttpRequest const& request) {
            if (request.host == "www.caf.fr" && request.path == "/depart")
                // The partner's next page is where things happen: the kiosk listens by then.
                return page("<p>départ</p><script>setTimeout(() => location.href = '/page', 300)</script>");
            if (request.host == "www.caf.fr" && request.path == "/http")
                return page("<a id=l href='http://www.caf.fr/clair'>http</a><script>setTimeout(() => "
                            "document.getElementById('l').click(), 300)</script>");
            if (request.host == "www.caf.fr" && request.path == "/page")
                // A frame, a script, a picture, a font and a fetch of other sites, then a link to one.
                return page("<style>@font-face{font-family:f;src:url(https://fonts.autre-site.fr/f.woff2)}"
                            "p{font-family:f}</style><p>départ</p>"
                            "<script src='https://cdn.autre-site.fr/lib.js'></script>"
                            "<img src='https://img.autre-site.fr/i.png'>"
                            "<iframe src='https://www.not-a-partner.fr/cadre' onload=\"fetch('https://api.autre-"
                            "site.fr/x').catch(() => 0); setTimeout(() => { location.href = "
                            "'https://www.not-a-partner.fr/page'; }, 500)\"></iframe>");
            if (request.path == "/redirige")
                return redirect("https://www.not-a-partner.fr/ailleurs");
            if (request.path == "/boucle")
                return redirect("https://www.caf.fr/boucle");
            if (request.host == "idp.msa.fr") {
                HttpResponse down;
                down.hang_up = true;
                return down;
            }
            return page("<p>" + request.host + request.path + "</p>");
        },
        catalogue_names());
    INFO("Chromium log: " << (site.dir.path() / "chromium.log").string());
    auto browser = site.headless();
    BrowserEvents events;
    browser->set_listener(events.listener());
    auto const* caf = catalogue().partner("caf");
    REQUIRE(caf);
    auto domains = catalogue().allowed_domains(*caf);

    SECTION("a frame and a link to another site: the frame is reported as part of the page, the link as the page")
    {
        REQUIRE(browser->open(make_request(site.dir.path() / "session", "https://www.caf.fr/depart", domains)));
        auto frame = events.wait_for(BrowserEvent::Kind::page_failed);
        REQUIRE(frame);
        CHECK(frame->failure == PageFailure::blocked);
        CHECK(frame->failed_host == "www.not-a-partner.fr");
        CHECK_FALSE(frame->whole_page);
        // Told once: the next failure is the page's own.
        auto whole = events.wait_for(BrowserEvent::Kind::page_failed);
        REQUIRE(whole);
        CHECK(whole->failure == PageFailure::blocked);
        CHECK(whole->failed_host == "www.not-a-partner.fr");
        CHECK(whole->whole_page);
        CHECK_FALSE(site.server.received("www.not-a-partner.fr", "/cadre"));
        CHECK_FALSE(site.server.received("www.not-a-partner.fr", "/page"));
        // Measured: what a page loads from other sites (scripts, pictures, fonts, fetches) is not a navigation, and
        // Chromium's URLBlocklist lets it through. A partner's CDN, fonts and captcha scripts work; a captcha shown
        // in a frame of another site needs that site in the catalogue.
        CHECK(site.server.wait_for("cdn.autre-site.fr", "/lib.js", page_timeout));
        CHECK(site.server.wait_for("img.autre-site.fr", "/i.png", page_timeout));
        CHECK(site.server.wait_for("fonts.autre-site.fr", "/f.woff2", page_timeout));
        CHECK(site.server.wait_for("api.autre-site.fr", "/x", page_timeout));
        // Back from the kiosk's explanation returns to the partner's page, which is said to be shown.
        auto back = browser->go_back();
        REQUIRE(back);
        CHECK(*back);
        CHECK(page_reaches(*browser, "https://www.caf.fr/page"));
        CHECK(events.wait_for(BrowserEvent::Kind::page_shown));
    }
    SECTION("a redirect out of the allow-list is blocked at the redirect, under the host it led to")
    {
        REQUIRE(browser->open(make_request(site.dir.path() / "session", "https://www.caf.fr/redirige", domains)));
        auto failed = events.wait_for(BrowserEvent::Kind::page_failed);
        REQUIRE(failed);
        CHECK(failed->failure == PageFailure::blocked);
        CHECK(failed->failed_host == "www.not-a-partner.fr");
        CHECK(failed->whole_page);
        CHECK_FALSE(site.server.received("www.not-a-partner.fr", "/ailleurs"));
    }
    SECTION("a plain http link to the partner itself is a connection that is not safe")
    {
        REQUIRE(browser->open(make_request(site.dir.path() / "session", "https://www.caf.fr/http", domains)));
        auto failed = events.wait_for(BrowserEvent::Kind::page_failed);
        REQUIRE(failed);
        CHECK(failed->failure == PageFailure::insecure);
        CHECK(failed->failed_host == "www.caf.fr");
        CHECK_FALSE(site.server.received("www.caf.fr", "/clair"));
    }
    SECTION("a redirect loop")
    {
        REQUIRE(browser->open(make_request(site.dir.path() / "session", "https://www.caf.fr/boucle", domains)));
        auto failed = events.wait_for(BrowserEvent::Kind::page_failed);
        REQUIRE(failed);
        CHECK(failed->failure == PageFailure::redirect_loop);
        CHECK(failed->failed_host == "www.caf.fr");
    }
    SECTION("an identity provider that is down")
    {
        REQUIRE(browser->open(make_request(site.dir.path() / "session", "https://idp.msa.fr/authorize", domains)));
        auto failed = events.wait_for(BrowserEvent::Kind::page_failed);
        REQUIRE(failed);
        CHECK(failed->failure == PageFailure::unreachable);
        CHECK(failed->failed_host == "idp.msa.fr");
        CHECK(failed->whole_page);
    }
    browser->close();
    CHECK(processes_mentioning(site.dir.path().string()).empty());
}

TEST_CASE("A site whose certificate is not trusted is reported as not safe, and never reached", "[chromium]")
{
    if (chromium_missing())
        return;
    // The server presents a certificate the browser does not trust: another one than the visit's.
    BrowserTempDir dir;
    auto trusted = make_test_certificate(dir.path(), "trusted");
    auto untrusted = make_test_certificate(dir.path(), "untrusted");
    LoopbackServer server([](HttpRequest const&) { return page("<p>jamais</p>"); }, untrusted.files);
    auto browser = make_browser(chromium_spec(server.port(), trusted, dir.path(), true));
    INFO("Chromium log: " << (dir.path() / "chromium.log").string());
    BrowserEvents events;
    browser->set_listener(events.listener());
    REQUIRE(browser->open(make_request(dir.path() / "session", "https://www.caf.fr/", { "caf.fr" })));
    auto failed = events.wait_for(BrowserEvent::Kind::page_failed);
    REQUIRE(failed);
    CHECK(failed->failure == PageFailure::insecure);
    CHECK(failed->failed_host == "www.caf.fr");
    CHECK(server.requests().empty());
    browser->close();
}

TEST_CASE("Nothing of a FranceConnect login survives the visit: no cookie, service worker, storage or cached page",
    "[chromium]")
{
    if (chromium_missing())
        return;
    HttpsSite site(
        [](HttpRequest const& request) {
            if (request.host == "www.caf.fr" && request.path.starts_with("/callback")) {
                auto response
                    = page("<p>connecté</p><script>setTimeout(() => location.href = '/espace', 200)</script>");
                response.headers["Set-Cookie"] = "partner_session=resident-42; Max-Age=86400; Path=/; Secure";
                return response;
            }
            if (request.host == "www.caf.fr" && request.path == "/espace") {
                // The partner's space: it reports what the page's storage holds, then keeps something there,
                // installs a service worker that answers /espace by itself from then on, and loads a script the
                // HTTP cache keeps for a day. Without its session cookie, the site sends the resident to log in.
                bool logged_in = request.cookie.find("partner_session=") != std::string::npos;
                return page("<p>espace</p><script>new Image().src = '/storage?' + (localStorage.getItem('jeton') || "
                            "'vide'); localStorage.setItem('jeton', 'resident-42');"
                            "navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready)"
                            ".then(() => { new Image().src = '/sw-ready'; "
                    + std::string(logged_in ? "setTimeout(() => location.href = '/espace', 300);" : "")
                    + " }, () => new Image().src = '/sw-failed');</script><script src='/static/app.js'></script>"
                    + (logged_in ? ""
                                 : "<script>setTimeout(() => location.href = 'https://" + fc_host
                                + "/api/v1/authorize?redirect_uri=https://www.caf.fr/callback&state=s2', 1000)"
                                  "</script>"));
            }
            if (request.path == "/sw.js") {
                HttpResponse worker;
                worker.content_type = "text/javascript";
                worker.body = "self.addEventListener('install', () => self.skipWaiting());"
                              "self.addEventListener('activate', e => e.waitUntil(self.clients.claim()));"
                              "self.addEventListener('fetch', e => { if (new URL(e.request.url).pathname === "
                              "'/espace') e.respondWith(new Response('<p>worker</p><script src=\"/static/app.js\">"
                              "</script><script>new Image().src = \"/worker-answered?\" + (localStorage.getItem("
                              "\"jeton\") || \"vide\")</script>', { headers: { 'Content-Type': 'text/html' } })); });";
                return worker;
            }
            if (request.path == "/static/app.js") {
                HttpResponse script;
                script.content_type = "text/javascript";
                script.headers["Cache-Control"] = "public, max-age=86400";
                script.body = "window.appLoaded = true;";
                return script;
            }
            return login_services(request);
        },
        catalogue_names());
    INFO("Chromium log: " << (site.dir.path() / "chromium.log").string());
    auto browser = site.headless();
    auto const* caf = catalogue().partner("caf");
    REQUIRE(caf);
    auto domains = catalogue().allowed_domains(*caf);
    auto count = [](std::vector<HttpRequest> const& requests, std::string const& path) {
        return std::ranges::count_if(requests, [&](HttpRequest const& r) { return r.path == path; });
    };

    // The first resident logs in with impots.gouv through FranceConnect and reaches their space. Within the visit
    // everything works as on a home computer: the cookie is sent, the worker answers the next visit of the space,
    // the storage is kept and the script comes from the cache (asked for once, run twice).
    auto first = make_request(site.dir.path() / "session", "https://www.caf.fr/connexion?provider=impots", domains);
    REQUIRE(browser->open(first));
    auto space = site.server.wait_for("www.caf.fr", "/espace", page_timeout);
    REQUIRE(space);
    CHECK(space->cookie.find("partner_session=resident-42") != std::string::npos);
    REQUIRE(site.server.wait_for("www.caf.fr", "/worker-answered?resident-42", page_timeout));
    CHECK(count(site.server.requests(), "/espace") == 1);
    CHECK(count(site.server.requests(), "/static/app.js") == 1);
    browser->close();
    CHECK_FALSE(std::filesystem::exists(first.profile_dir));

    // The next resident opens the same space: the server answers (no worker), no request carries a cookie, the
    // storage is empty, the script is asked for again (no cache), and FranceConnect asks who they are.
    auto before = static_cast<std::ptrdiff_t>(site.server.requests().size());
    auto second = make_request(site.dir.path() / "session", "https://www.caf.fr/espace", domains);
    REQUIRE(browser->open(second));
    REQUIRE(wait_until(
        [&] {
            auto all = site.server.requests();
            return std::any_of(all.begin() + before, all.end(), [](HttpRequest const& r) { return r.host == fc_host; });
        },
        page_timeout));
    browser->close();
    auto all = site.server.requests();
    std::vector<HttpRequest> next(all.begin() + before, all.end());
    CHECK(count(next, "/espace") == 1);
    CHECK(count(next, "/storage?vide") == 1);
    CHECK(count(next, "/static/app.js") == 1);
    CHECK(std::ranges::none_of(next, [](HttpRequest const& r) { return r.path.starts_with("/worker-answered"); }));
    for (auto const& request : next) {
        INFO(request.host << request.path);
        CHECK(request.cookie.empty());
    }
    CHECK_FALSE(std::filesystem::exists(second.profile_dir));
}
