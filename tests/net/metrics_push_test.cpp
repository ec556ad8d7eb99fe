// Pushing to the real prometheus-pushgateway on loopback and reading the kiosk's metrics back from it; a gateway
// that is not there counted as failures, and a clean stop either way.
#include "kiosk/net/metrics_push.h"
#include "tests/net/loopback.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::net;
using namespace std::chrono_literals;

namespace {

std::string gateway_metrics(int port)
{
    auto answer = tests::raw_exchange(port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    return answer.substr(std::min(answer.size(), answer.find("\r\n\r\n") + 4));
}

} // namespace

TEST_CASE("the gateway's address carries any kiosk name as unpadded base64url", "[metrics][push]")
{
    CHECK(MetricsPusher::url_for("http://127.0.0.1:9091/", "Guéret Mairie/1")
        == "http://127.0.0.1:9091/metrics/job/france_services_kiosk/instance@base64/R3XDqXJldCBNYWlyaWUvMQ");
    CHECK(MetricsPusher::url_for("http://gw", "ab?")
        == "http://gw/metrics/job/france_services_kiosk/instance@base64/YWI_");
    CHECK(MetricsPusher::url_for("http://gw", "") == "http://gw/metrics/job/france_services_kiosk/instance@base64/=");
}

TEST_CASE("metrics pushed to a real Pushgateway are read back from it", "[metrics][push]")
{
    tests::TempDir dir("kiosk-pushgateway");
    int port = tests::free_port();
    tests::ChildProcess gateway(
        { "prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + std::to_string(port) }, dir.path() / "log");
    REQUIRE(tests::wait_for_port(port));

    core::ManualClock clock;
    Metrics metrics(clock);
    metrics.observe("scan_end", { { "pages", int64_t(5) }, { "result", "ok" } });
    MetricsPushSettings settings;
    settings.url = MetricsPusher::url_for("http://127.0.0.1:" + std::to_string(port), "Guéret Mairie/1");
    settings.interval = 1s;
    auto pusher = MetricsPusher::start(settings, metrics);

    std::string expected = "france_services_kiosk_scanned_pages_total{instance=\"Guéret Mairie/1\","
                           "job=\"france_services_kiosk\"} 5\n";
    std::string seen;
    for (int i = 0; i < 240 && seen.find(expected) == std::string::npos; ++i) {
        seen = gateway_metrics(port);
        if (seen.find(expected) == std::string::npos)
            std::this_thread::sleep_for(250ms);
    }
    INFO(seen << tests::file_text(dir.path() / "log"));
    CHECK(seen.find(expected) != std::string::npos);
    // The pushes' own count goes with them: once one succeeded, a later push says so.
    std::string counted = "france_services_kiosk_metrics_pushes_total{instance=\"Guéret Mairie/1\","
                          "job=\"france_services_kiosk\",result=\"ok\"}";
    for (int i = 0; i < 240 && seen.find(counted) == std::string::npos; ++i) {
        seen = gateway_metrics(port);
        if (seen.find(counted) == std::string::npos)
            std::this_thread::sleep_for(250ms);
    }
    CHECK(seen.find(counted) != std::string::npos);
    CHECK(seen.find("push_failure_time_seconds{instance=\"Guéret Mairie/1\",job=\"france_services_kiosk\"} 0")
        != std::string::npos);
    pusher->stop();
}

TEST_CASE("a gateway that is not there is counted as unreachable, and stop() ends the wait", "[metrics][push]")
{
    core::ManualClock clock;
    Metrics metrics(clock);
    MetricsPushSettings settings;
    settings.url = MetricsPusher::url_for("http://127.0.0.1:" + std::to_string(tests::free_port()), "kiosk-1");
    settings.interval = 1h; // back-off or not, only stop() can end this wait
    auto pusher = MetricsPusher::start(settings, metrics);
    std::string text;
    for (int i = 0; i < 600 && text.find("result=\"unreachable\"} 1") == std::string::npos; ++i) {
        text = metrics.render();
        std::this_thread::sleep_for(100ms);
    }
    CHECK(text.find("france_services_kiosk_metrics_pushes_total{result=\"unreachable\"} 1\n") != std::string::npos);
    pusher->stop();

    // https only unless plain http was allowed: the pusher allows it for its gateway, the webhook never does.
    MetricsPushSettings ftp;
    ftp.url = "ftp://127.0.0.1/metrics";
    ftp.interval = 1h;
    auto refused = MetricsPusher::start(ftp, metrics);
    for (int i = 0; i < 600 && text.find("result=\"refused\"} 1") == std::string::npos; ++i) {
        text = metrics.render();
        std::this_thread::sleep_for(100ms);
    }
    CHECK(text.find("france_services_kiosk_metrics_pushes_total{result=\"refused\"} 1\n") != std::string::npos);
}
