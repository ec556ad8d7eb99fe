// The technician's network test on the diagnostics screen (issue 15): real checks against real HTTPS servers on
// loopback standing in for the partners, run off the UI thread, each failure shown in plain words, and nothing of it
// left running when the technician goes.
#include "tests/diagnostics/diagnostics_servers.h"
#include "tests/ui/kiosk_fixture.h"

using namespace kiosk;
using kiosk::tests::DiagnosticsServers;
using kiosk::ui::testing::add_agent;
using kiosk::ui::testing::KioskFixture;

namespace {

void add_technician(core::Config& config)
{
    add_agent(config, "tech", "Technicien", core::AgentRole::technician, "888888", "04C0FFEE");
}

} // namespace

TEST_CASE("the technician tests the network from the diagnostics: a good site, an expired certificate, a portal")
{
    DiagnosticsServers servers;
    KioskFixture kiosk("sim", 1920, 1080, add_technician);
    kiosk.app().set_network_test_hook([&](diagnostics::NetworkRequest& request) {
        // The catalogue's partners stay the kiosk's own (real names, unreachable from here): two loopback sites in
        // their place, and a captive portal in the way.
        CHECK(request.targets.size() >= 9);
        request.targets = {
            { "https://site.test:" + std::to_string(servers.site_port()) + "/", servers.ca_file() },
            { "https://expired.test:" + std::to_string(servers.expired_port()) + "/", servers.ca_file() },
        };
        request.resolve = { DiagnosticsServers::loopback("site.test", servers.site_port()),
            DiagnosticsServers::loopback("expired.test", servers.expired_port()) };
        request.captive_probe_url = "http://127.0.0.1:" + std::to_string(servers.portal_port()) + "/";
    });
    kiosk.present_badge("04C0FFEE");
    kiosk.type_pin("888888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
    CHECK(kiosk.shows_text("pas encore testé"));
    CHECK(kiosk.shows_text("Stockage des sessions"));

    kiosk.tap("diag_network");
    CHECK(kiosk.audited("\"event\":\"network_test\",\"sites\":2"));
    // site.test: four stages; expired.test: stopped at TLS; the probe redirected.
    std::string shown;
    for (auto const& text : kiosk.canvas().texts())
        shown += text + " | ";
    INFO(shown);
    CHECK(kiosk.shows_text("échecs : 2 sur 8"));
    CHECK(kiosk.shows_text("tls expired.test : the server's certificate has expired"));
    CHECK(kiosk.shows_text("captive-portal"));
    CHECK_FALSE(kiosk.shows_text("site.test : "));
    CHECK(kiosk.audited("\"event\":\"network_test_end\",\"checks\":8,\"failed\":2,\"cancelled\":false"));
    // Again, with the portal gone: all reachable but the expired one.
    kiosk.app().set_network_test_hook([&](diagnostics::NetworkRequest& request) {
        request.targets = { { "https://site.test:" + std::to_string(servers.site_port()) + "/", servers.ca_file() } };
        request.resolve = { DiagnosticsServers::loopback("site.test", servers.site_port()) };
        request.captive_probe_url = "http://127.0.0.1:" + std::to_string(servers.probe_port()) + "/";
    });
    kiosk.tap("diag_network");
    CHECK(kiosk.shows_text("tout est joignable (5 contrôles)"));
}

TEST_CASE("a network test that hangs does not hold the technician: leaving the screen ends it")
{
    DiagnosticsServers servers;
    KioskFixture kiosk("sim", 1920, 1080, add_technician);
    kiosk.app().set_network_test_hook([&](diagnostics::NetworkRequest& request) {
        request.targets = { { "https://mute.test:" + std::to_string(servers.mute_port()) + "/", servers.ca_file() } };
        request.resolve = { DiagnosticsServers::loopback("mute.test", servers.mute_port()) };
        request.captive_probe_url.clear();
        // Longer than the test's own limit in ctest: only the cancel can end it in time.
        request.stage_timeout = std::chrono::minutes(30);
    });
    kiosk.present_badge("04C0FFEE");
    kiosk.type_pin("888888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
    kiosk.tap_only("diag_network");
    CHECK(kiosk.app().busy());
    CHECK(kiosk.shows_text("test en cours : sites 0 sur 1"));
    CHECK_FALSE(kiosk.widget("diag_network")->enabled);
    kiosk.tap("back");
    CHECK(kiosk.app().top_name() == "attract");
    CHECK_FALSE(kiosk.app().busy());
    CHECK(kiosk.audited("\"cancelled\":true"));
}

TEST_CASE("the diagnostics say how the fleet's configuration and the last call for an agent went")
{
    KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) {
        add_technician(config);
        config.network.config_url = "https://config.test/kiosk.tar";
        config.network.config_pubkey = "/etc/fleet.pub";
        config.network.agent_webhook = "https://chat.test/hook";
    });
    kiosk.present_badge("04C0FFEE");
    kiosk.type_pin("888888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
    CHECK(kiosk.shows_text("pas encore demandée"));
    CHECK(kiosk.shows_text("aucun appel depuis le démarrage"));
    // As the runner passes every audit event on: a bundle signed by another key, a webhook answering 500.
    kiosk.app().audit_event(
        "config_fetch", { { "result", "failed" }, { "version", "0123456789abcdef" }, { "stage", "signature" } });
    kiosk.app().audit_event("agent_webhook", { { "kind", "help" }, { "result", "status" } });
    kiosk.settle();
    CHECK(kiosk.shows_text("dernier essai en échec (signature) : la borne garde la version d'avant"));
    CHECK(kiosk.shows_text("dernier appel en échec (status)"));
    kiosk.app().audit_event("config_fetch", { { "result", "installed" }, { "version", "0123456789abcdef" } });
    kiosk.app().audit_event("agent_webhook", { { "kind", "help" }, { "result", "ok" } });
    kiosk.settle();
    CHECK(kiosk.shows_text("à jour (version 0123456789ab)"));
    CHECK(kiosk.shows_text("dernier appel reçu"));
}

TEST_CASE("the technician prints the kiosk's test page and scans a test preview from the diagnostics")
{
    KioskFixture kiosk("sim", 1920, 1080, [](core::Config& config) {
        add_technician(config);
        config.kiosk_name = "Borne 2";
    });
    kiosk.present_badge("04C0FFEE");
    kiosk.type_pin("888888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
    kiosk.tap("diag_test_print");
    CHECK(kiosk.shows_text("test page printed, job "));
    CHECK(kiosk.audited("\"event\":\"test_print\",\"ok\":true"));
    // It reached the paper: the simulated printer's output holds one PDF, the kiosk's own test page.
    size_t printed = 0;
    for (auto const& entry : std::filesystem::directory_iterator(kiosk.printed_dir()))
        printed += entry.path().extension() == ".pdf";
    CHECK(printed == 1);
    kiosk.tap("diag_test_scan");
    CHECK(kiosk.shows_text("preview scanned: "));
    CHECK(kiosk.audited("\"event\":\"test_scan\",\"ok\":true"));
    // Gone with the technician: the next visit starts from the devices' own states.
    kiosk.tap("back");
    kiosk.present_badge("04C0FFEE");
    kiosk.type_pin("888888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
    CHECK_FALSE(kiosk.shows_text("test page printed"));
}

TEST_CASE("out of order with the fleet's rows, the diagnostics turn in pages rather than clip a row's words")
{
    KioskFixture kiosk(
        "sim", 1920, 1080,
        [](core::Config& config) {
            add_technician(config);
            config.network.config_url = "https://config.test/kiosk.tar";
            config.network.config_pubkey = "/etc/fleet.pub";
            config.network.agent_webhook = "https://chat.test/hook";
        },
        [] {
            return std::vector<core::GroundProblem> { core::GroundProblem { "runtime_on_disk", "test" } };
        });
    REQUIRE(kiosk.app().top_name() == "out_of_order");
    kiosk.tap("agent");
    kiosk.present_badge("04C0FFEE");
    kiosk.type_pin("888888");
    REQUIRE(kiosk.app().top_name() == "diagnostics");
    REQUIRE(kiosk.widget("diagnostics_next"));
    CHECK(kiosk.widget("back_in_service"));
    bool fleet_seen = false;
    while (true) {
        CHECK(kiosk.canvas().cramped().empty());
        fleet_seen = fleet_seen || kiosk.shows_text("pas encore demandée");
        if (!kiosk.widget("diagnostics_next")->enabled)
            break;
        kiosk.tap("diagnostics_next");
    }
    CHECK(fleet_seen);
}
