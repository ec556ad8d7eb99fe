// A tiny HTTP/1.1 server on a free loopback port for the Chromium tests: one thread per connection, every
// request logged (host, path, cookie), every response closes its connection.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::tests {

struct HttpRequest {
    std::string host; // lower-case, without the port
    std::string path;
    std::string cookie; // the Cookie header, empty when none was sent
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::map<std::string, std::string> headers;
    std::string body;
};

class LoopbackServer {
public:
    using Handler = std::function<HttpResponse(HttpRequest const&)>;

    explicit LoopbackServer(Handler handler);
    ~LoopbackServer();
    LoopbackServer(LoopbackServer const&) = delete;
    LoopbackServer& operator=(LoopbackServer const&) = delete;

    int port() const { return m_port; }
    std::vector<HttpRequest> requests() const;
    // The first request for host and path, waiting at most timeout for it.
    std::optional<HttpRequest> wait_for(
        std::string const& host, std::string const& path, std::chrono::milliseconds timeout) const;
    bool received(std::string const& host, std::string const& path) const;

private:
    void accept_loop();
    void serve(int fd);

    Handler m_handler;
    int m_listen_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop { false };
    mutable std::mutex m_mutex;
    std::vector<HttpRequest> m_requests;
    std::vector<std::thread> m_connections;
    std::thread m_acceptor;
};

} // namespace kiosk::tests
