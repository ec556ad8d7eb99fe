// The kiosk's /metrics over HTTP/1.1 for Prometheus to scrape: one thread of its own, poll()-based, a few
// connections at a time, each with a size limit and a deadline, so a slow or silent client can hold neither the
// server nor the kiosk.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/net/metrics.h"

#include <chrono>
#include <memory>
#include <string_view>

namespace kiosk::net {

struct MetricsServerSettings {
    size_t max_request_bytes = 8 * 1024; // the request line and headers; a scrape's are a few hundred bytes
    std::chrono::milliseconds connection_deadline { 10'000 }; // from accept to the answer's last byte
    // Beyond it the oldest connection still sending its request is closed to make room, so silent clients cannot
    // fill the server.
    size_t max_connections = 16;
};

class MetricsServer {
public:
    // Binds "A.B.C.D:PORT" (port 0: any free one) and starts serving. ErrorCode::config_invalid for an address that is
    // not one, ErrorCode::io naming the address when it cannot be bound (the port taken, an address not this
    // machine's). Returns at once: the socket is bound before the thread starts.
    static Result<std::unique_ptr<MetricsServer>> start(
        std::string_view listen, Metrics const& metrics, MetricsServerSettings settings = {});
    ~MetricsServer(); // stop()
    MetricsServer(MetricsServer const&) = delete;
    MetricsServer& operator=(MetricsServer const&) = delete;

    // Closes every connection and joins the thread; it returns within one poll round (never waits on a client).
    void stop();
    int port() const { return m_port; }

private:
    struct Impl;
    explicit MetricsServer(std::unique_ptr<Impl> impl, int port);
    std::unique_ptr<Impl> m_impl;
    int m_port = 0;
};

// The answer the server gives to one complete request head (exposed for the tests): status line, headers and body.
std::string metrics_answer(std::string_view request_head, Metrics const& metrics);

} // namespace kiosk::net
