// What the Chromium test files share: skipping where Chromium is missing, making a browser, serving a page.
#pragma once

#include "drivers/browser/chromium/chromium_browser.h"
#include "loopback_server.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

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

// A partner's site for one test: a temporary folder, a certificate made for it, a loopback HTTPS server under
// every name.
struct HttpsSite {
    TempDir dir;
    TestCertificate certificate;
    LoopbackServer server;

    explicit HttpsSite(LoopbackServer::Handler handler)
        : certificate(make_test_certificate(dir.path()))
        , server(std::move(handler), certificate.files)
    {
    }
    // A headless Chromium whose every host name reaches this site, trusting its certificate.
    std::unique_ptr<drivers::ChromiumBrowser> headless() const
    {
        return make_browser(chromium_spec(server.port(), certificate, dir.path(), true));
    }
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
