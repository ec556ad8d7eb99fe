// What the Chromium test files share: skipping where Chromium is missing, making a browser, serving a page.
#pragma once

#include "drivers/browser/chromium/chromium_browser.h"
#include "loopback_server.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::tests {

inline constexpr std::chrono::seconds page_timeout { 30 };

// True, with a warning in the report, when Debian's chromium or bubblewrap is missing (the test then returns).
inline bool chromium_missing()
{
    if (::access("/usr/bin/chromium", X_OK) == 0 && ::access("/usr/lib/chromium/chromium", X_OK) == 0
        && ::access("/usr/bin/bwrap", X_OK) == 0)
        return false;
    WARN("SKIPPED: chromium or bubblewrap is not installed");
    return true;
}

// The same for a windowed test, which also needs Xvfb, xdotool and xwininfo.
inline bool display_tools_missing()
{
    if (chromium_missing())
        return true;
    if (::access("/usr/bin/Xvfb", X_OK) == 0 && ::access("/usr/bin/xdotool", X_OK) == 0
        && ::access("/usr/bin/xwininfo", X_OK) == 0)
        return false;
    WARN("SKIPPED: Xvfb, xdotool or xwininfo is not installed");
    return true;
}

inline std::unique_ptr<drivers::ChromiumBrowser> make_browser(std::string const& spec_text)
{
    auto spec = drivers::parse_driver_spec(spec_text);
    REQUIRE(spec);
    auto options = drivers::ChromiumBrowser::parse_options(*spec);
    if (!options)
        FAIL(options.error().detail);
    return std::make_unique<drivers::ChromiumBrowser>(*options);
}

// Waits until the page's address is url (or only starts with it), for at most page_timeout.
inline bool page_reaches(drivers::ChromiumBrowser& browser, std::string const& url, bool prefix_only = false)
{
    return wait_until(
        [&] {
            auto now = browser.current_url();
            return now && (prefix_only ? now->starts_with(url) : *now == url);
        },
        page_timeout);
}

// A partner's site for one test: a temporary folder, a certificate made for it, a loopback HTTPS server under
// every name.
struct HttpsSite {
    BrowserTempDir dir;
    TestCertificate certificate;
    LoopbackServer server;

    explicit HttpsSite(LoopbackServer::Handler handler, std::vector<std::string> const& extra_names = {})
        : certificate(make_test_certificate(dir.path(), "partners", extra_names))
        , server(std::move(handler), certificate.files)
    {
    }
    // A headless Chromium whose every host name reaches this site, trusting its certificate.
    std::unique_ptr<drivers::ChromiumBrowser> headless() const
    {
        return make_browser(chromium_spec(server.port(), certificate, dir.path(), true));
    }
};

// What a listener heard, for the test thread to wait on.
class BrowserEvents {
public:
    drivers::Browser::Listener listener()
    {
        return [this](drivers::BrowserEvent event) {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(event));
        };
    }
    std::optional<drivers::BrowserEvent> wait_for(
        drivers::BrowserEvent::Kind kind, std::chrono::milliseconds timeout = page_timeout)
    {
        std::optional<drivers::BrowserEvent> found;
        wait_until(
            [&] {
                std::lock_guard lock(m_mutex);
                for (auto it = m_events.begin(); it != m_events.end(); ++it)
                    if (it->kind == kind) {
                        found = *it;
                        m_events.erase(m_events.begin(), it + 1);
                        return true;
                    }
                return false;
            },
            timeout);
        return found;
    }

    void clear()
    {
        std::lock_guard lock(m_mutex);
        m_events.clear();
    }
    // Every event heard so far of that kind, without waiting or consuming.
    std::vector<drivers::BrowserEvent> all(drivers::BrowserEvent::Kind kind)
    {
        std::lock_guard lock(m_mutex);
        std::vector<drivers::BrowserEvent> found;
        for (auto const& event : m_events)
            if (event.kind == kind)
                found.push_back(event);
        return found;
    }

private:
    std::mutex m_mutex;
    std::vector<drivers::BrowserEvent> m_events;
};

// A small HTML page around body, in UTF-8, without margins.
inline HttpResponse page(std::string body)
{
    HttpResponse response;
    response.body = "<!DOCTYPE html><html><head><meta charset=utf-8><title>test</title><link rel=icon href=data:,>"
                    "<style>body{margin:0}</style></head><body>"
        + std::move(body) + "</body></html>";
    return response;
}

} // namespace kiosk::tests
