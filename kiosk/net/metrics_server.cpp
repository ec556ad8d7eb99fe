// A small HTTP/1.1 server: a listening socket and an eventfd to stop, each client non-blocking with its own buffer
// and deadline; one request per connection, then a lingering close so the client reads the whole answer.
#include "kiosk/net/metrics_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <list>
#include <thread>

namespace kiosk::net {

namespace {

using Clock = std::chrono::steady_clock;

std::string answer(std::string_view status, std::string_view content_type, std::string_view body)
{
    std::string out = "HTTP/1.1 " + std::string(status) + "\r\nContent-Type: " + std::string(content_type)
        + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
    if (status.starts_with("405"))
        out += "Allow: GET\r\n";
    out += "\r\n";
    out += body;
    return out;
}

std::string plain(std::string_view status)
{
    return answer(status, "text/plain; charset=utf-8", std::string(status) + "\n");
}

bool is_token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Where the head ends ("\r\n\r\n", or "\n\n" from a lenient client), or npos.
size_t head_end(std::string_view data)
{
    size_t crlf = data.find("\r\n\r\n");
    size_t lf = data.find("\n\n");
    if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf < lf))
        return crlf + 4;
    return lf == std::string_view::npos ? lf : lf + 2;
}

struct Connection {
    int fd = -1;
    Clock::time_point deadline;
    std::string in;
    std::string out;
    size_t sent = 0;
    bool answered = false; // the answer is chosen; then sent; then the client's end is drained until it closes
    bool draining = false;
};

void close_fd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

} // namespace

std::string metrics_answer(std::string_view head, Metrics const& metrics)
{
    size_t line_end = head.find('\n');
    std::string_view line = head.substr(0, line_end);
    if (line.ends_with('\r'))
        line.remove_suffix(1);
    size_t first = line.find(' ');
    size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos)
        return plain("400 Bad Request");
    std::string_view method = line.substr(0, first);
    std::string_view target = line.substr(first + 1, second - first - 1);
    std::string_view version = line.substr(second + 1);
    if (method.empty() || !std::ranges::all_of(method, is_token_char) || target.empty() || target.front() != '/'
        || (version != "HTTP/1.1" && version != "HTTP/1.0"))
        return plain("400 Bad Request");
    for (char c : target)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return plain("400 Bad Request");
    // Only the one path, compared as sent: nothing is decoded, so "/metrics/../x" or "/%6detrics" is simply another
    // path. A query string (Prometheus' params) is allowed and ignored.
    std::string_view path = target.substr(0, target.find('?'));
    if (path != "/metrics")
        return plain("404 Not Found");
    if (method != "GET")
        return plain("405 Method Not Allowed");
    return answer("200 OK", "text/plain; version=0.0.4; charset=utf-8", metrics.render());
}

struct MetricsServer::Impl {
    Metrics const& metrics;
    MetricsServerSettings settings;
    int listen_fd = -1;
    int wake_fd = -1;
    std::thread thread;
    std::list<Connection> connections; // oldest first
    // Out of file descriptors, accept fails while the socket stays readable: wait a moment instead of spinning.
    Clock::time_point accept_paused_until {};

    Impl(Metrics const& m, MetricsServerSettings s)
        : metrics(m)
        , settings(s)
    {
    }
    ~Impl()
    {
        for (auto& connection : connections)
            close_fd(connection.fd);
        close_fd(listen_fd);
        close_fd(wake_fd);
    }

    void run();
    void accept_all();
    // False when the connection is done with.
    bool on_readable(Connection& connection);
    bool on_writable(Connection& connection);
};

void MetricsServer::Impl::accept_all()
{
    for (;;) {
        int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                accept_paused_until = Clock::now() + std::chrono::milliseconds(250);
            return; // EAGAIN, or a client gone before it was accepted
        }
        if (connections.size() >= settings.max_connections) {
            // The oldest that has not yet sent a whole request (a silent or slow client), before any being answered.
            auto oldest = std::ranges::find(connections, false, &Connection::answered);
            if (oldest == connections.end())
                oldest = connections.begin();
            close_fd(oldest->fd);
            connections.erase(oldest);
        }
        connections.push_back(Connection { fd, Clock::now() + settings.connection_deadline, {}, {}, 0, false, false });
    }
}

bool MetricsServer::Impl::on_readable(Connection& connection)
{
    char buffer[4096];
    // A few reads a round: a client that never stops sending (while draining) must not keep the others waiting.
    for (int reads = 0; reads < 16; ++reads) {
        ssize_t n = ::recv(connection.fd, buffer, sizeof buffer, 0);
        if (n == 0)
            return connection.answered && !connection.draining; // a client may half-close after its request
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        if (connection.answered)
            continue; // a body or a second request: not read, only drained
        connection.in.append(buffer, static_cast<size_t>(n));
        size_t end = head_end(connection.in);
        if (end != std::string::npos && end <= settings.max_request_bytes) {
            connection.out = metrics_answer(std::string_view(connection.in).substr(0, end), metrics);
            connection.answered = true;
        } else if (connection.in.size() > settings.max_request_bytes) {
            connection.out = plain("431 Request Header Fields Too Large");
            connection.answered = true;
        }
        if (connection.answered) {
            connection.in.clear();
            connection.in.shrink_to_fit();
            return on_writable(connection);
        }
    }
    return true;
}

bool MetricsServer::Impl::on_writable(Connection& connection)
{
    while (connection.sent < connection.out.size()) {
        ssize_t n = ::send(connection.fd, connection.out.data() + connection.sent,
            connection.out.size() - connection.sent, MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        connection.sent += static_cast<size_t>(n);
    }
    if (!connection.draining) {
        // All sent: say so, and read what the client still sends until it closes, so the kernel does not answer its
        // unread bytes with a reset that would lose the answer on the way.
        ::shutdown(connection.fd, SHUT_WR);
        connection.draining = true;
        connection.deadline = std::min(connection.deadline, Clock::now() + std::chrono::seconds(2));
    }
    return true;
}

void MetricsServer::Impl::run()
{
    std::vector<pollfd> fds;
    for (;;) {
        auto now = Clock::now();
        for (auto it = connections.begin(); it != connections.end();) {
            if (now >= it->deadline) {
                close_fd(it->fd);
                it = connections.erase(it);
            } else {
                ++it;
            }
        }
        fds.clear();
        fds.push_back({ wake_fd, POLLIN, 0 });
        bool accepting = now >= accept_paused_until;
        fds.push_back({ listen_fd, static_cast<short>(accepting ? POLLIN : 0), 0 });
        auto next_deadline = accepting ? now + std::chrono::seconds(60) : accept_paused_until;
        for (auto const& connection : connections) {
            short events = POLLIN;
            if (connection.answered && connection.sent < connection.out.size())
                events = POLLOUT;
            fds.push_back({ connection.fd, events, 0 });
            next_deadline = std::min(next_deadline, connection.deadline);
        }
        auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_deadline - now).count();
        int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, wait)));
        if (ready < 0 && errno != EINTR)
            return;
        if (ready <= 0)
            continue;
        if (fds[0].revents)
            return;
        // Connections first, in the order polled; a new one waits for the next round.
        size_t index = 2;
        for (auto it = connections.begin(); it != connections.end() && index < fds.size(); ++index) {
            short revents = fds[index].revents;
            bool keep = true;
            if (revents & POLLOUT)
                keep = on_writable(*it);
            else if (revents & (POLLIN | POLLHUP | POLLERR))
                keep = on_readable(*it);
            if (keep && (revents & (POLLERR | POLLNVAL)))
                keep = false;
            if (keep) {
                ++it;
            } else {
                close_fd(it->fd);
                it = connections.erase(it);
            }
        }
        if (fds[1].revents & POLLIN)
            accept_all();
    }
}

Result<std::unique_ptr<MetricsServer>> MetricsServer::start(
    std::string_view listen, Metrics const& metrics, MetricsServerSettings settings)
{
    size_t colon = listen.rfind(':');
    sockaddr_in address {};
    address.sin_family = AF_INET;
    int port = -1;
    if (colon != std::string_view::npos) {
        std::string host(listen.substr(0, colon));
        auto digits = listen.substr(colon + 1);
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (error != std::errc() || end != digits.data() + digits.size() || digits.empty())
            port = -1;
        if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1)
            port = -1;
    }
    if (port < 0 || port > 65535)
        return make_error(
            ErrorCode::config_invalid, "metrics_listen: \"" + std::string(listen) + "\" is not A.B.C.D:PORT");
    address.sin_port = htons(static_cast<uint16_t>(port));

    auto impl = std::make_unique<Impl>(metrics, settings);
    impl->listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    impl->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (impl->listen_fd < 0 || impl->wake_fd < 0)
        return make_error(ErrorCode::io, std::string("metrics server: ") + std::strerror(errno));
    int on = 1;
    ::setsockopt(impl->listen_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(impl->listen_fd, reinterpret_cast<sockaddr const*>(&address), sizeof address) != 0
        || ::listen(impl->listen_fd, 64) != 0)
        return make_error(
            ErrorCode::io, "metrics server: cannot listen on " + std::string(listen) + ": " + std::strerror(errno));
    sockaddr_in bound {};
    socklen_t length = sizeof bound;
    ::getsockname(impl->listen_fd, reinterpret_cast<sockaddr*>(&bound), &length);
    Impl* raw = impl.get();
    raw->thread = std::thread([raw] { raw->run(); });
    return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl), ntohs(bound.sin_port)));
}

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl, int port)
    : m_impl(std::move(impl))
    , m_port(port)
{
}

MetricsServer::~MetricsServer()
{
    stop();
}

void MetricsServer::stop()
{
    if (!m_impl)
        return;
    uint64_t one = 1;
    if (::write(m_impl->wake_fd, &one, sizeof one) < 0) {
        // An eventfd write only fails when its counter is full, and then the thread is waking anyway.
    }
    if (m_impl->thread.joinable())
        m_impl->thread.join();
    m_impl.reset();
}

} // namespace kiosk::net
