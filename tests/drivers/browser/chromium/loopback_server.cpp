// The loopback HTTPS server of the Chromium tests.
#include "loopback_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <stdexcept>

namespace kiosk::tests {

namespace {

std::string lower(std::string text)
{
    for (auto& c : text)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return text;
}

// One accepted connection, plain or TLS, on a non-blocking socket: every wait is a short poll, so that stopping the
// server is quick even while Chromium keeps speculative connections open without sending anything.
class Connection {
public:
    Connection(int fd, SSL_CTX* context, std::atomic<bool> const& stop)
        : m_fd(fd)
        , m_stop(stop)
    {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        if (context) {
            m_ssl = SSL_new(context);
            SSL_set_fd(m_ssl, fd);
        }
    }
    ~Connection()
    {
        if (m_ssl) {
            SSL_shutdown(m_ssl);
            SSL_free(m_ssl);
        }
        ::shutdown(m_fd, SHUT_WR);
        ::close(m_fd);
    }
    Connection(Connection const&) = delete;
    Connection& operator=(Connection const&) = delete;

    // False when the client went away or refused the handshake (an untrusted certificate, for one).
    bool handshake(std::chrono::steady_clock::time_point deadline)
    {
        if (!m_ssl)
            return true;
        for (;;) {
            int result = SSL_accept(m_ssl);
            if (result == 1)
                return true;
            if (!wait(SSL_get_error(m_ssl, result), deadline))
                return false;
        }
    }
    // Some bytes, an empty string at the end, nothing when the deadline passed.
    std::optional<std::string> read(std::chrono::steady_clock::time_point deadline)
    {
        char buffer[16384];
        for (;;) {
            if (m_ssl) {
                int n = SSL_read(m_ssl, buffer, sizeof buffer);
                if (n > 0)
                    return std::string(buffer, static_cast<size_t>(n));
                int error = SSL_get_error(m_ssl, n);
                if (error == SSL_ERROR_ZERO_RETURN)
                    return std::string();
                if (!wait(error, deadline))
                    return m_timed_out ? std::nullopt : std::optional<std::string>(std::string());
            } else {
                auto n = ::recv(m_fd, buffer, sizeof buffer, 0);
                if (n > 0)
                    return std::string(buffer, static_cast<size_t>(n));
                if (n == 0 || (errno != EAGAIN && errno != EINTR))
                    return std::string();
                if (!wait(SSL_ERROR_WANT_READ, deadline))
                    return m_timed_out ? std::nullopt : std::optional<std::string>(std::string());
            }
        }
    }
    bool write(std::string const& data, std::chrono::steady_clock::time_point deadline)
    {
        size_t done = 0;
        while (done < data.size()) {
            if (m_ssl) {
                int n = SSL_write(m_ssl, data.data() + done, static_cast<int>(data.size() - done));
                if (n > 0) {
                    done += static_cast<size_t>(n);
                    continue;
                }
                if (!wait(SSL_get_error(m_ssl, n), deadline))
                    return false;
            } else {
                auto n = ::send(m_fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
                if (n > 0) {
                    done += static_cast<size_t>(n);
                    continue;
                }
                if (n < 0 && errno != EAGAIN && errno != EINTR)
                    return false;
                if (!wait(SSL_ERROR_WANT_WRITE, deadline))
                    return false;
            }
        }
        return true;
    }

private:
    bool wait(int ssl_error, std::chrono::steady_clock::time_point deadline)
    {
        if (ssl_error != SSL_ERROR_WANT_READ && ssl_error != SSL_ERROR_WANT_WRITE)
            return false;
        short events = ssl_error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        while (!m_stop) {
            if (std::chrono::steady_clock::now() >= deadline) {
                m_timed_out = true;
                return false;
            }
            pollfd p { m_fd, events, 0 };
            int ready = ::poll(&p, 1, 50);
            if (ready > 0)
                return true;
            if (ready < 0 && errno != EINTR)
                return false;
        }
        return false;
    }

    int m_fd;
    SSL* m_ssl = nullptr;
    std::atomic<bool> const& m_stop;
    bool m_timed_out = false;
};

char const* reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 302: return "Found";
    case 404: return "Not Found";
    default: return "Status";
    }
}

} // namespace

LoopbackServer::LoopbackServer(Handler handler, std::optional<TlsFiles> tls)
    : m_handler(std::move(handler))
{
    // OpenSSL writes to its socket with write(): a browser that hung up would end the test with SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
    if (tls) {
        SSL_CTX* context = SSL_CTX_new(TLS_server_method());
        if (!context || SSL_CTX_use_certificate_chain_file(context, tls->certificate.c_str()) != 1
            || SSL_CTX_use_PrivateKey_file(context, tls->key.c_str(), SSL_FILETYPE_PEM) != 1) {
            SSL_CTX_free(context);
            throw std::runtime_error("cannot load the test certificate " + tls->certificate.string());
        }
        // HTTP/1.1 only: Chromium asks for h2 by ALPN and falls back when the server names none.
        m_tls_context = context;
    }
    m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listen_fd < 0)
        throw std::runtime_error("socket failed");
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0; // a free port chosen by the kernel
    socklen_t length = sizeof address;
    if (::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0
        || ::listen(m_listen_fd, 64) != 0
        || ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(m_listen_fd);
        throw std::runtime_error("cannot listen on loopback");
    }
    m_port = ntohs(address.sin_port);
    m_acceptor = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer()
{
    m_stop = true;
    m_acceptor.join();
    for (auto& connection : m_connections)
        connection.join();
    ::close(m_listen_fd);
    SSL_CTX_free(static_cast<SSL_CTX*>(m_tls_context));
}

void LoopbackServer::accept_loop()
{
    while (!m_stop) {
        pollfd p { m_listen_fd, POLLIN, 0 };
        if (::poll(&p, 1, 50) <= 0)
            continue;
        int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        m_connections.emplace_back([this, fd] { serve(fd); });
    }
}

void LoopbackServer::serve(int fd)
{
    Connection connection(fd, static_cast<SSL_CTX*>(m_tls_context), m_stop);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    if (!connection.handshake(deadline)) {
        ++m_failed_handshakes;
        return;
    }
    std::string data;
    while (data.find("\r\n\r\n") == std::string::npos) {
        auto more = connection.read(deadline);
        if (!more || more->empty())
            return;
        data += *more;
    }
    auto header_end = data.find("\r\n\r\n");
    HttpRequest request;
    auto line_end = data.find("\r\n");
    auto request_line = data.substr(0, line_end);
    auto first_space = request_line.find(' ');
    auto second_space = request_line.find(' ', first_space + 1);
    if (first_space != std::string::npos && second_space != std::string::npos) {
        request.method = request_line.substr(0, first_space);
        request.path = request_line.substr(first_space + 1, second_space - first_space - 1);
    }
    size_t content_length = 0;
    size_t position = line_end + 2;
    while (position < header_end) {
        auto end = data.find("\r\n", position);
        auto line = data.substr(position, end - position);
        position = end + 2;
        auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        auto name = lower(line.substr(0, colon));
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
            value.erase(0, 1);
        if (name == "host")
            request.host = lower(value.substr(0, value.find(':')));
        else if (name == "cookie")
            request.cookie = value;
        else if (name == "content-length")
            content_length = std::min<size_t>(std::strtoul(value.c_str(), nullptr, 10), 64 << 20);
    }
    request.body = data.substr(header_end + 4);
    while (request.body.size() < content_length) {
        auto more = connection.read(deadline);
        if (!more || more->empty())
            break;
        request.body += *more;
    }
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(request);
    }
    auto response = m_handler(request);
    if (response.hang_up)
        return;
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
    head += "Content-Type: " + response.content_type + "\r\n";
    head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    if (!response.headers.contains("Cache-Control"))
        head += "Cache-Control: no-store\r\n";
    head += "Connection: close\r\n";
    for (auto const& [name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    connection.write(head + "\r\n" + response.body, deadline);
}

std::vector<HttpRequest> LoopbackServer::requests() const
{
    std::lock_guard lock(m_mutex);
    return m_requests;
}

bool LoopbackServer::received(std::string const& host, std::string const& path) const
{
    std::lock_guard lock(m_mutex);
    for (auto const& r : m_requests)
        if (r.host == host && r.path == path)
            return true;
    return false;
}

std::optional<HttpRequest> LoopbackServer::wait_for(
    std::string const& host, std::string const& path, std::chrono::milliseconds timeout) const
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            for (auto const& r : m_requests)
                if (r.host == host && r.path == path)
                    return r;
        }
        if (std::chrono::steady_clock::now() >= deadline)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

} // namespace kiosk::tests
