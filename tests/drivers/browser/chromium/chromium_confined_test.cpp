// Tests of the confined Chromium with real pages: the sandbox seen from outside, uploads through the kiosk's
// picker, typing, one window, certificate errors and shortcuts, on Xvfb where a window matters.
#include "drivers/browser/chromium/chromium_browser.h"
#include "loopback_server.h"
#include "test_support.h"
#include "tests/support/xvfb.h"

#include <catch2/catch.hpp>

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
