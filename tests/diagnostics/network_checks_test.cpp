// The network checks against real servers on loopback: each stage's success and each stage's failure, in the words a
// technician reads, and the captive-portal probe. Nothing leaves the machine: every name resolves through the
// request's override to 127.0.0.1, or is a .invalid name that no DNS answers.
#include "kiosk/diagnostics/local_checks.h"
#include "kiosk/diagnostics/network_checks.h"

#include "tests/diagnostics/diagnostics_servers.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace kiosk;
using diagnostics::Check;
using kiosk::tests::DiagnosticsServers;

namespace {

std::string describe(std::vector<Check> const& checks)
{
    std::string text;
    for (auto const& check : checks)
        text += check.name + (check.ok ? " ok: " : " FAILED: ") + check.detail + "\n";
    return text;
}

Check const* find(std::vector<Check> const& checks, std::string const& name)
{
    auto found = std::ranges::find(checks, name, &Check::name);
    return found == checks.end() ? nullptr : &*found;
}

bool contains(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}

// One HTTPS site checked with no probe: its checks.
std::vector<Check> check_site(std::string const& url, std::filesystem::path const& ca_file,
    std::vector<std::string> const& resolve, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
{
    diagnostics::NetworkRequest request;
    request.targets = { { url, ca_file } };
    request.captive_probe_url.clear();
    request.resolve = resolve;
    request.stage_timeout = timeout;
    return diagnostics::run_network_checks(request);
}

std::string site_url(std::string const& name, int port)
{
    return "https://" + name + ":" + std::to_string(port) + "/";
}

} // namespace

TEST_CASE("a reachable site passes every stage, and the certificate's days left are told")
{
    DiagnosticsServers servers;
    auto checks = check_site(site_url("site.test", servers.site_port()), servers.ca_file(),
        { DiagnosticsServers::loopback("site.test", servers.site_port()) });
    INFO(describe(checks));
    REQUIRE(checks.size() == 4);
    CHECK(checks[0].name == "dns site.test");
    CHECK(checks[1].name == "tcp site.test");
    CHECK(checks[2].name == "tls site.test");
    CHECK(checks[3].name == "http site.test");
    for (auto const& check : checks)
        CHECK(check.ok);
    CHECK(checks[0].detail == "resolved to 127.0.0.1");
    // The certificate was made for 30 days; "29 days left" or "30" depending on the second it was made.
    CHECK((contains(checks[2].detail, "29 days left") || contains(checks[2].detail, "30 days left")));
    CHECK(checks[3].detail == "HTTP 200");
}

TEST_CASE("a site that answers an error: a refusal is still the site reached, a server error is not")
{
    DiagnosticsServers servers;
    auto resolve = std::vector { DiagnosticsServers::loopback("site.test", servers.site_port()) };
    auto refused = check_site(site_url("site.test", servers.site_port()) + "status/403", servers.ca_file(), resolve);
    INFO(describe(refused));
    REQUIRE(refused.size() == 4);
    CHECK(refused[3].ok);
    CHECK(refused[3].detail.starts_with("HTTP 403: the site answers"));

    auto broken = check_site(site_url("site.test", servers.site_port()) + "status/503", servers.ca_file(), resolve);
    INFO(describe(broken));
    REQUIRE(broken.size() == 4);
    CHECK_FALSE(broken[3].ok);
    CHECK(broken[3].detail == "the site answered HTTP 503: it is out of order on its side");
}

TEST_CASE("an expired certificate fails the tls stage, and says so")
{
    DiagnosticsServers servers;
    auto checks = check_site(site_url("expired.test", servers.expired_port()), servers.ca_file(),
        { DiagnosticsServers::loopback("expired.test", servers.expired_port()) });
    INFO(describe(checks));
    REQUIRE(checks.size() == 3);
    CHECK(checks[0].ok);
    CHECK(checks[1].ok);
    CHECK(checks[2].name == "tls expired.test");
    CHECK_FALSE(checks[2].ok);
    CHECK(checks[2].detail == "the server's certificate has expired");
}

TEST_CASE("a certificate for another name fails the tls stage")
{
    DiagnosticsServers servers;
    // The valid server, reached under a name its certificate does not carry.
    auto checks = check_site(site_url("wrong.test", servers.site_port()), servers.ca_file(),
        { DiagnosticsServers::loopback("wrong.test", servers.site_port()) });
    INFO(describe(checks));
    REQUIRE(checks.size() == 3);
    CHECK_FALSE(checks[2].ok);
    CHECK(checks[2].detail == "the server's certificate is not for wrong.test");
}

TEST_CASE("a certificate from an unknown authority fails the tls stage")
{
    DiagnosticsServers servers;
    auto checks = check_site(site_url("site.test", servers.site_port()), servers.other_ca_file(),
        { DiagnosticsServers::loopback("site.test", servers.site_port()) });
    INFO(describe(checks));
    REQUIRE(checks.size() == 3);
    CHECK_FALSE(checks[2].ok);
    CHECK(contains(checks[2].detail, "signed by an unknown certificate authority"));
}

TEST_CASE("a closed port fails the tcp stage as refused")
{
    int port = kiosk::tests::closed_port();
    auto checks = check_site(site_url("closed.test", port), {}, { DiagnosticsServers::loopback("closed.test", port) });
    INFO(describe(checks));
    REQUIRE(checks.size() == 2);
    CHECK(checks[0].ok);
    CHECK(checks[1].name == "tcp closed.test");
    CHECK_FALSE(checks[1].ok);
    CHECK(contains(checks[1].detail, "connection refused on port " + std::to_string(port)));
}

TEST_CASE("a name that does not resolve fails the dns stage, and nothing after it is tried")
{
    // .invalid never resolves (RFC 6761), and no override names it.
    auto checks = check_site("https://nowhere.invalid/", {}, {});
    INFO(describe(checks));
    REQUIRE(checks.size() == 1);
    CHECK(checks[0].name == "dns nowhere.invalid");
    CHECK_FALSE(checks[0].ok);
    // No DNS server here may mean no answer at all: either way the dns stage is the one that failed.
    CHECK((contains(checks[0].detail, "does not resolve") || contains(checks[0].detail, "no DNS answer")));
}

TEST_CASE("a server that takes the connection and never answers fails the tls stage at its timeout")
{
    kiosk::tests::SilentPort silent;
    auto checks = check_site(site_url("silent.test", silent.port()), {},
        { DiagnosticsServers::loopback("silent.test", silent.port()) }, std::chrono::milliseconds(500));
    INFO(describe(checks));
    REQUIRE(checks.size() == 3);
    CHECK(checks[0].ok);
    CHECK(checks[1].ok);
    CHECK(checks[2].name == "tls silent.test");
    CHECK_FALSE(checks[2].ok);
    CHECK(contains(checks[2].detail, "did not complete the secure handshake within"));
}

TEST_CASE("a server that completes the handshake and never answers the request fails the http stage")
{
    DiagnosticsServers servers;
    auto checks = check_site(site_url("site.test", servers.mute_port()), servers.ca_file(),
        { DiagnosticsServers::loopback("site.test", servers.mute_port()) }, std::chrono::milliseconds(500));
    INFO(describe(checks));
    REQUIRE(checks.size() == 4);
    CHECK(checks[2].ok);
    CHECK(checks[3].name == "http site.test");
    CHECK_FALSE(checks[3].ok);
    CHECK(contains(checks[3].detail, "no HTTP answer within"));
}

TEST_CASE("many silent sites at once each end at their own stage timeout")
{
    kiosk::tests::SilentPort silent;
    diagnostics::NetworkRequest request;
    for (int i = 0; i < 12; ++i) {
        std::string name = "silent" + std::to_string(i) + ".test";
        request.targets.push_back({ site_url(name, silent.port()), {} });
        request.resolve.push_back(DiagnosticsServers::loopback(name, silent.port()));
    }
    request.captive_probe_url.clear();
    request.stage_timeout = std::chrono::milliseconds(300);
    request.max_parallel = 4;
    int reported = 0;
    request.on_site_done = [&](std::vector<Check> const&) { ++reported; };
    auto checks = diagnostics::run_network_checks(request);
    INFO(describe(checks));
    CHECK(reported == 12);
    REQUIRE(checks.size() == 36);
    for (int i = 0; i < 12; ++i) {
        auto const* tls = find(checks, "tls silent" + std::to_string(i) + ".test");
        REQUIRE(tls);
        CHECK_FALSE(tls->ok);
    }
}

TEST_CASE("the captive-portal probe: 204 is a clear way, a redirect or a page is a portal")
{
    DiagnosticsServers servers;
    auto probe = [&](std::string const& name, int port) {
        diagnostics::NetworkRequest request;
        request.captive_probe_url = "http://" + name + ":" + std::to_string(port) + "/";
        request.resolve = { DiagnosticsServers::loopback(name, port) };
        auto checks = diagnostics::run_network_checks(request);
        REQUIRE(checks.size() == 1);
        CHECK(checks[0].name == "captive-portal " + name);
        return checks[0];
    };
    auto clear = probe("probe.test", servers.probe_port());
    CHECK(clear.ok);
    CHECK(clear.detail == "no captive portal: the probe answered 204 as expected");

    auto redirect = probe("probe.test", servers.portal_port());
    CHECK_FALSE(redirect.ok);
    CHECK(contains(redirect.detail, "a captive portal is in the way"));
    CHECK(contains(redirect.detail, "redirected to http://portal.invalid/login"));

    auto page = probe("probe.test", servers.portal_page_port());
    CHECK_FALSE(page.ok);
    CHECK(contains(page.detail, "answered HTTP 200 with a page instead of 204"));

    auto unreachable = probe("probe.test", kiosk::tests::closed_port());
    CHECK_FALSE(unreachable.ok);
    CHECK(contains(unreachable.detail, "could not be reached"));
}

TEST_CASE("the targets: each partner's start address once, FranceConnect, and the fleet server with its CA")
{
    core::Catalogue catalogue;
    for (auto const* url : { "https://www.caf.fr", "https://www.caf.fr/allocataires", "https://ants.gouv.fr" }) {
        core::Partner partner;
        partner.url = url;
        catalogue.partners.push_back(partner);
    }
    core::NetworkConfig network;
    auto targets = diagnostics::targets_from(catalogue, network);
    REQUIRE(targets.size() == 3);
    CHECK(targets[0].url == "https://www.caf.fr");
    CHECK(targets[1].url == "https://ants.gouv.fr");
    CHECK(targets[2].url == diagnostics::franceconnect_url);

    network.config_url = "https://fleet.test:8443/bundle.tar";
    network.ca_file = "/etc/kiosk/fleet-ca.pem";
    targets = diagnostics::targets_from(catalogue, network);
    REQUIRE(targets.size() == 4);
    CHECK(targets[3].url == network.config_url);
    CHECK(targets[3].ca_file == network.ca_file);
    CHECK(targets[0].ca_file.empty());
}

TEST_CASE("the fleet's configuration server is checked with its private CA")
{
    DiagnosticsServers servers;
    core::NetworkConfig network;
    network.config_url = site_url("fleet.test", servers.site_port()) + "bundle.tar";
    network.ca_file = servers.ca_file();
    diagnostics::NetworkRequest request;
    request.targets = diagnostics::targets_from(core::Catalogue {}, network);
    // FranceConnect's name goes to the closed port: refused, and nothing leaves the machine.
    int closed = kiosk::tests::closed_port();
    request.resolve = { DiagnosticsServers::loopback("fleet.test", servers.site_port()) };
    request.connect_to = { "app.franceconnect.gouv.fr:443:127.0.0.1:" + std::to_string(closed) };
    request.captive_probe_url.clear();
    auto checks = diagnostics::run_network_checks(request);
    INFO(describe(checks));
    for (auto const* name : { "dns fleet.test", "tcp fleet.test", "tls fleet.test", "http fleet.test" }) {
        auto const* check = find(checks, name);
        REQUIRE(check);
        CHECK(check->ok);
    }
    auto const* franceconnect = find(checks, "tcp app.franceconnect.gouv.fr");
    REQUIRE(franceconnect);
    CHECK_FALSE(franceconnect->ok);
}

TEST_CASE("cancelled, every check ends at once and says so")
{
    kiosk::tests::SilentPort silent;
    std::atomic<bool> cancel { false };
    diagnostics::NetworkRequest request;
    for (int i = 0; i < 3; ++i) {
        std::string name = "silent" + std::to_string(i) + ".test";
        request.targets.push_back({ site_url(name, silent.port()), {} });
        request.resolve.push_back(DiagnosticsServers::loopback(name, silent.port()));
    }
    request.captive_probe_url.clear();
    request.stage_timeout = std::chrono::milliseconds(60'000);
    request.cancel = &cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    auto checks = diagnostics::run_network_checks(request);
    canceller.join();
    INFO(describe(checks));
    int cancelled = 0;
    for (auto const& check : checks)
        cancelled += contains(check.detail, "cancelled") ? 1 : 0;
    CHECK(cancelled == 3);
}

TEST_CASE("free space on the session storage: ok while a session's allowance fits")
{
    kiosk::tests::TempDir dir("kiosk-diagnostics-space");
    auto fits = diagnostics::check_free_space(dir.path() / "not-made-yet", 1);
    CHECK(fits.name == "free-space " + (dir.path() / "not-made-yet").string());
    CHECK(fits.ok);
    CHECK(contains(fits.detail, "MB free of"));
    auto too_much = diagnostics::check_free_space(dir.path(), int64_t { 1 } << 40);
    CHECK_FALSE(too_much.ok);
    CHECK(contains(too_much.detail, "not enough room for the next session"));
}
