// "Appeler un agent" against an HTTPS receiver on loopback signed by the test CA: the JSON it gets, and each way the
// call can fail (500, a server that never answers, a certificate from another CA, plain http) as an error that says
// why, recorded for the metrics.
#include "kiosk/net/agent_call.h"
#include "kiosk/net/metrics.h"
#include "tests/net/fleet_server.h"

#include "tests/net/observed_metrics.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::net;
using namespace std::chrono_literals;

namespace {

AgentCallSettings settings_for(tests::FleetServer const& server, std::string const& path)
{
    AgentCallSettings settings;
    settings.webhook_url = server.url(path);
    settings.ca_file = server.ca_file();
    settings.kiosk_name = "Guéret \"Mairie\"";
    settings.location = "Rez-de-chaussée, bureau 2";
    return settings;
}

} // namespace

TEST_CASE("a call for an agent posts the kiosk's name, location and kind, and nothing else", "[agent]")
{
    tests::FleetServer server;
    tests::ObservedMetrics observed;
    auto& [clock, audit, metrics] = observed;

    auto called = call_agent(settings_for(server, "webhook/200"), AgentCallKind::help, &audit);
    INFO((called ? std::string() : called.error().detail));
    CHECK(called);
    auto posts = tests::read_text(server.root() / "posts.log");
    CHECK(posts
        == "/webhook/200 application/json {\"kind\": \"help\", \"kiosk\": \"Guéret \\\"Mairie\\\"\", \"location\": "
           "\"Rez-de-chaussée, bureau 2\", \"text\": \"Borne « Guéret \\\"Mairie\\\" » (Rez-de-chaussée, bureau 2) : "
           "une personne demande de l'aide.\"}\n");
    CHECK(audit.recent().back().find(R"("event":"agent_webhook","kind":"help","result":"ok")") != std::string::npos);
    CHECK(metrics.render().find("france_services_kiosk_agent_calls_total{kind=\"help\",result=\"ok\"} 1\n")
        != std::string::npos);

    CHECK(call_agent(settings_for(server, "webhook/204"), AgentCallKind::printer));
}

TEST_CASE("a call the webhook does not take is an error saying why", "[agent]")
{
    tests::FleetServer server;
    core::ManualClock clock;
    auto audit = core::AuditLog::open("", clock);
    REQUIRE(audit);

    auto failed = call_agent(settings_for(server, "webhook/500"), AgentCallKind::printer, &*audit);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == ErrorCode::request_failed);
    CHECK(failed.error().detail.find("HTTP status 500") != std::string::npos);
    CHECK(audit->recent().back().find(R"("result":"status")") != std::string::npos);

    // A redirect is not followed: the body is not sent again elsewhere.
    auto moved = call_agent(settings_for(server, "webhook/307"), AgentCallKind::help);
    REQUIRE_FALSE(moved);
    CHECK(moved.error().detail.find("HTTP status 307") != std::string::npos);

    auto hanging = settings_for(server, "webhook/hang");
    hanging.total_timeout = 2s;
    auto hung = call_agent(hanging, AgentCallKind::help, &*audit);
    REQUIRE_FALSE(hung);
    CHECK(hung.error().code == ErrorCode::request_failed);
    CHECK(hung.error().detail.find("timed out") != std::string::npos);
    CHECK(audit->recent().back().find(R"("result":"timeout")") != std::string::npos);

    auto stranger = settings_for(server, "webhook/200");
    stranger.ca_file = server.other_ca_file();
    auto refused = call_agent(stranger, AgentCallKind::help, &*audit);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().detail.find("TLS or certificate refused") != std::string::npos);
    CHECK(audit->recent().back().find(R"("result":"tls")") != std::string::npos);

    auto plain = settings_for(server, "webhook/200");
    plain.webhook_url = "http://localhost:" + std::to_string(server.port()) + "/webhook/200";
    auto insecure = call_agent(plain, AgentCallKind::help, &*audit);
    REQUIRE_FALSE(insecure);
    CHECK(insecure.error().detail.find("plain http:// is not allowed") != std::string::npos);

    auto closed = settings_for(server, "webhook/200");
    closed.webhook_url = "https://localhost:1/webhook/200";
    auto unreachable = call_agent(closed, AgentCallKind::help, &*audit);
    REQUIRE_FALSE(unreachable);
    CHECK(audit->recent().back().find(R"("result":"unreachable")") != std::string::npos);

    // Only the 200 and 204 posts of the other test reached a handler that answers; these never got a 2xx.
    CHECK(tests::read_text(server.root() / "posts.log").find("/webhook/500 application/json") != std::string::npos);
}

TEST_CASE("a call cancelled while the webhook hangs ends as cancelled", "[agent]")
{
    tests::FleetServer server;
    std::atomic<bool> cancel { false };
    auto hanging = settings_for(server, "webhook/hang");
    hanging.total_timeout = 120s;
    std::thread stopper([&] {
        std::this_thread::sleep_for(500ms);
        cancel = true;
    });
    auto cancelled = call_agent(hanging, AgentCallKind::help, nullptr, &cancel);
    stopper.join();
    REQUIRE_FALSE(cancelled);
    CHECK(cancelled.error().code == ErrorCode::cancelled);
}
