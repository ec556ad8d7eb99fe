// A tiny HTTPS/1.1 server on a free loopback port for the Chromium tests: one thread per connection, every
// request logged (method, host, path, cookie, body), every response closes its connection.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::tests {

struct HttpRequest {
    std::string method;
    std::string host; // lower-case, without the port
    std::string path;
    std::string cookie; // the Cookie header, empty when none was sent
    std::string body;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::map<std::string, std::string> headers; // a Cache-Control here replaces the default no-store
    std::string body;
    bool hang_up = false; // close the connection without an answer, as a server that is down behind its proxy
};

// The certificate and key (PEM files) the server presents; without them it speaks plain HTTP.
struct TlsFiles {
    std::filesystem::path certificate, key;
};

class LoopbackServer {
public:
    using Handler = std::function<HttpResponse(HttpRequest const&)>;

    explicit LoopbackServer(Handler handler, std::optional<TlsFiles> tls = std::nullopt);
    ~LoopbackServer();
    LoopbackServer(LoopbackServer const&) = delete;
    LoopbackServer& operator=(LoopbackServer const&) = delete;

    int port() const { return m_port; }
    std::vector<HttpRequest> requests() const;
    // The first request for host and path, waiting at most timeout for it.
    std::optional<HttpRequest> wait_for(
        std::string const& host, std::string const& path, std::chrono::milliseconds timeout) const;
    bool received(std::string const& host, std::string const& path) const;
    // TLS connections that ended before a request (a client that refused the certificate, among others).
    int failed_handshakes() const { return m_failed_handshakes; }

private:
    void accept_loop();
    void serve(int fd);

    Handler m_handler;
    void* m_tls_context = nullptr; // SSL_CTX
    int m_listen_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop { false };
    std::atomic<int> m_failed_handshakes { 0 };
    mutable std::mutex m_mutex;
    std::vector<HttpRequest> m_requests;
    std::vector<std::thread> m_connections;
    std::thread m_acceptor;
};

} // namespace kiosk::tests
