// The metrics server on loopback: what a scrape gets, what every other request gets, clients that try to hold it
// (one byte a second, a megabyte of request line, many silent connections), a port already taken, and the real
// prometheus scraping it until a value shows in its query API.
#include "kiosk/core/audit_log.h"
#include "kiosk/net/metrics_server.h"
#include "tests/net/loopback.h"
#include "tests/net/observed_metrics.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>

using namespace kiosk;
using namespace kiosk::net;
using namespace std::chrono_literals;

namespace {

std::string scrape(int port, std::string const& target = "/metrics", std::string const& method = "GET")
{
    return tests::raw_exchange(
        port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

std::string status_line(std::string const& answer)
{
    return answer.substr(0, answer.find("\r\n"));
}

struct Served {
    core::ManualClock clock;
    Metrics metrics { clock };
    std::unique_ptr<MetricsServer> server;

    explicit Served(MetricsServerSettings settings = {})
    {
        metrics.observe("session_start", {});
        metrics.observe("scan_end", { { "pages", int64_t(3) }, { "result", "ok" } });
        auto started = MetricsServer::start("127.0.0.1:0", metrics, settings);
        REQUIRE(started);
        server = std::move(*started);
        REQUIRE(server->port() > 0);
    }
};

} // namespace

TEST_CASE("GET /metrics answers the text format; other paths, methods and garbage get 404, 405, 400", "[metrics]")
{
    Served served;
    int port = served.server->port();
    auto answer = scrape(port);
    CHECK(status_line(answer) == "HTTP/1.1 200 OK");
    CHECK(answer.find("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n") != std::string::npos);
    CHECK(answer.find("\r\nConnection: close\r\n") != std::string::npos);
    auto body = answer.substr(answer.find("\r\n\r\n") + 4);
    CHECK(body == served.metrics.render());
    CHECK(body.find("\nfrance_services_kiosk_scanned_pages_total 3\n") != std::string::npos);
    CHECK(status_line(scrape(port, "/metrics?name[]=up")) == "HTTP/1.1 200 OK");

    CHECK(status_line(scrape(port, "/")) == "HTTP/1.1 404 Not Found");
    CHECK(status_line(scrape(port, "/metrics/../etc/passwd")) == "HTTP/1.1 404 Not Found");
    CHECK(status_line(scrape(port, "/../../etc/passwd")) == "HTTP/1.1 404 Not Found");
    CHECK(status_line(scrape(port, "/%6detrics")) == "HTTP/1.1 404 Not Found");
    CHECK(scrape(port, "/metrics/../etc/passwd").find("root:") == std::string::npos);
    auto posted = scrape(port, "/metrics", "POST");
    CHECK(status_line(posted) == "HTTP/1.1 405 Method Not Allowed");
    CHECK(posted.find("\r\nAllow: GET\r\n") != std::string::npos);
    CHECK(status_line(scrape(port, "/metrics", "DELETE")) == "HTTP/1.1 405 Method Not Allowed");

    std::vector<std::string> garbage_requests { "\x16\x03\x01\x02\x05\r\n\r\n", "GET\r\n\r\n", "GET /metrics\r\n\r\n",
        "GET /metrics HTTP/9.9\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n", "G(T /metrics HTTP/1.1\r\n\r\n",
        "GET  /metrics HTTP/1.1\r\n\r\n", std::string("GET /met\0rics HTTP/1.1\r\n\r\n", 26) };
    for (auto const& garbage : garbage_requests) {
        INFO(garbage);
        CHECK(status_line(tests::raw_exchange(port, garbage)) == "HTTP/1.1 400 Bad Request");
    }
    // Still serving after all of that.
    CHECK(status_line(scrape(port)) == "HTTP/1.1 200 OK");
}

TEST_CASE("a megabyte of request line is refused without being read whole, and the server goes on", "[metrics]")
{
    Served served;
    int port = served.server->port();
    std::string huge = "GET /" + std::string(1 << 20, 'a') + " HTTP/1.1\r\n\r\n";
    auto answer = tests::raw_exchange(port, huge);
    // The answer, or a reset when the kernel had to drop what the client was still sending: never a 200 or a hang.
    if (!answer.empty())
        CHECK(status_line(answer) == "HTTP/1.1 431 Request Header Fields Too Large");
    std::string endless_headers = "GET /metrics HTTP/1.1\r\n";
    for (int i = 0; i < 20'000; ++i)
        endless_headers += "X-Padding: " + std::to_string(i) + "\r\n";
    answer = tests::raw_exchange(port, endless_headers + "\r\n");
    if (!answer.empty())
        CHECK(status_line(answer) == "HTTP/1.1 431 Request Header Fields Too Large");
    CHECK(status_line(scrape(port)) == "HTTP/1.1 200 OK");

    // A client that never stops sending, as fast as loopback goes, until the server closes on it; scrapes go on.
    int flood = tests::connect_loopback(port);
    REQUIRE(flood >= 0);
    std::atomic<bool> stop { false };
    std::thread flooder([&] {
        std::string chunk(64 * 1024, 'x');
        while (!stop && ::send(flood, chunk.data(), chunk.size(), MSG_NOSIGNAL) > 0) { }
    });
    for (int i = 0; i < 5; ++i)
        CHECK(status_line(scrape(port)) == "HTTP/1.1 200 OK");
    // The server ends it: after its answer and a short drain, the flooder's sends fail.
    flooder.join();
    stop = true;
    ::close(flood);
}

TEST_CASE(
    "a client sending one byte a second holds neither the server nor a scrape, and is cut at its deadline", "[metrics]")
{
    MetricsServerSettings settings;
    settings.connection_deadline = 3s;
    Served served(settings);
    int port = served.server->port();

    // Silent connections beyond the limit: the oldest make room, and a scrape still gets through.
    std::vector<int> silent;
    for (size_t i = 0; i < settings.max_connections + 4; ++i)
        silent.push_back(tests::connect_loopback(port));
    int slow = tests::connect_loopback(port);
    REQUIRE(slow >= 0);
    std::atomic<bool> done { false };
    std::thread dribble([&] {
        std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(100, 'z');
        for (char c : request) {
            if (done || ::send(slow, &c, 1, MSG_NOSIGNAL) != 1)
                return;
            std::this_thread::sleep_for(1s);
        }
    });
    for (int i = 0; i < 3; ++i)
        CHECK(status_line(scrape(port)) == "HTTP/1.1 200 OK");

    // The dribbling client, newer than the silent ones, is closed by the server at its deadline: it reads the end of
    // the stream and nothing else.
    std::string left = tests::read_all(slow);
    CHECK(left.empty());
    done = true;
    dribble.join();
    ::close(slow);
    for (int fd : silent)
        if (fd >= 0)
            ::close(fd);
    CHECK(status_line(scrape(port)) == "HTTP/1.1 200 OK");
    // stop() returns with a client still connected and silent.
    int lingering = tests::connect_loopback(port);
    served.server->stop();
    ::close(lingering);
}

TEST_CASE("a port already taken or an address that is not one is a clear error, not a crash", "[metrics]")
{
    core::ManualClock clock;
    Metrics metrics(clock);
    auto first = MetricsServer::start("127.0.0.1:0", metrics);
    REQUIRE(first);
    std::string address = "127.0.0.1:" + std::to_string((*first)->port());
    auto second = MetricsServer::start(address, metrics);
    REQUIRE_FALSE(second);
    CHECK(second.error().code == ErrorCode::io);
    CHECK(second.error().detail.find(address) != std::string::npos);
    CHECK(second.error().detail.find("in use") != std::string::npos);

    for (auto bad : { "", "localhost:9464", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:-1", "127.0.0.1:80x",
             "[::1]:9464", "1.2.3:9464" }) {
        INFO(bad);
        auto refused = MetricsServer::start(bad, metrics);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::config_invalid);
    }
    // Not this machine's address.
    auto foreign = MetricsServer::start("192.0.2.1:9464", metrics);
    REQUIRE_FALSE(foreign);
    CHECK(foreign.error().code == ErrorCode::io);
}

TEST_CASE("the real prometheus scrapes the kiosk and its query API shows the values", "[metrics][prometheus]")
{
    tests::ObservedMetrics observed;
    auto& [clock, audit, metrics] = observed;
    audit.record("scan_end", { { "pages", int64_t(7) }, { "result", "ok" } });
    auto started = MetricsServer::start("127.0.0.1:0", metrics);
    REQUIRE(started);
    auto& server = *started;

    tests::TempDir dir("kiosk-prometheus");
    int web_port = tests::free_port();
    std::ofstream(dir.path() / "prometheus.yml") << "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                                                    "scrape_configs:\n  - job_name: kiosk\n    static_configs:\n"
                                                    "      - targets: ['127.0.0.1:"
                                                 << server->port() << "']\n";
    tests::ChildProcess prometheus({ "prometheus", "--config.file=" + (dir.path() / "prometheus.yml").string(),
                                       "--storage.tsdb.path=" + (dir.path() / "data").string(),
                                       "--web.listen-address=127.0.0.1:" + std::to_string(web_port) },
        dir.path() / "prometheus.log");
    REQUIRE(tests::wait_for_port(web_port));

    auto query = [&](std::string const& expression) {
        auto answer = scrape(web_port, "/api/v1/query?query=" + expression);
        return answer.substr(answer.find("\r\n\r\n") + 4);
    };
    std::string seen;
    for (int i = 0; i < 240 && seen.find("\"7\"]") == std::string::npos; ++i) { // up to about two minutes
        seen = query("france_services_kiosk_scanned_pages_total");
        if (seen.find("\"7\"]") == std::string::npos)
            std::this_thread::sleep_for(500ms);
    }
    INFO(seen << "\n" << tests::file_text(dir.path() / "prometheus.log"));
    CHECK(seen.find("\"job\":\"kiosk\"") != std::string::npos);
    CHECK(seen.find("\"7\"]") != std::string::npos);
    // And a value that changed after the first scrapes reaches it too.
    audit.record("scan_end", { { "pages", int64_t(2) }, { "result", "ok" } });
    for (int i = 0; i < 240 && seen.find("\"9\"]") == std::string::npos; ++i) {
        seen = query("france_services_kiosk_scanned_pages_total");
        if (seen.find("\"9\"]") == std::string::npos)
            std::this_thread::sleep_for(500ms);
    }
    CHECK(seen.find("\"9\"]") != std::string::npos);
    CHECK(query("up").find("\"1\"]") != std::string::npos);
}

TEST_CASE("the answer to a request head is chosen by its method and exact path only", "[metrics]")
{
    core::ManualClock clock;
    Metrics metrics(clock);
    CHECK(metrics_answer("GET /metrics HTTP/1.0\r\n\r\n", metrics).starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(metrics_answer("GET /metrics HTTP/1.1\nHost: x\n\n", metrics).starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(metrics_answer("HEAD /metrics HTTP/1.1\r\n\r\n", metrics).starts_with("HTTP/1.1 405 "));
    CHECK(metrics_answer("GET /metrics/ HTTP/1.1\r\n\r\n", metrics).starts_with("HTTP/1.1 404 "));
    CHECK(metrics_answer("GET /METRICS HTTP/1.1\r\n\r\n", metrics).starts_with("HTTP/1.1 404 "));
    CHECK(metrics_answer("GET http://x/metrics HTTP/1.1\r\n\r\n", metrics).starts_with("HTTP/1.1 400 "));
    CHECK(metrics_answer("\r\n\r\n", metrics).starts_with("HTTP/1.1 400 "));
}
