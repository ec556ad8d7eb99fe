// The loopback HTTP server of the Chromium tests.
#include "loopback_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
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

bool send_all(int fd, std::string const& data)
{
    size_t done = 0;
    while (done < data.size()) {
        auto n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

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

LoopbackServer::LoopbackServer(Handler handler)
    : m_handler(std::move(handler))
{
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
    // Chromium opens speculative connections that never send anything: wait in short slices so stopping is quick.
    std::string data;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (data.find("\r\n\r\n") == std::string::npos && !m_stop && std::chrono::steady_clock::now() < deadline) {
        pollfd p { fd, POLLIN, 0 };
        if (::poll(&p, 1, 50) <= 0)
            continue;
        char buffer[4096];
        auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        data.append(buffer, static_cast<size_t>(n));
    }
    auto header_end = data.find("\r\n\r\n");
    if (header_end == std::string::npos) {
        ::close(fd);
        return;
    }
    HttpRequest request;
    auto line_end = data.find("\r\n");
    auto request_line = data.substr(0, line_end);
    auto first_space = request_line.find(' ');
    auto second_space = request_line.find(' ', first_space + 1);
    if (first_space != std::string::npos && second_space != std::string::npos)
        request.path = request_line.substr(first_space + 1, second_space - first_space - 1);
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
    }
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(request);
    }
    auto response = m_handler(request);
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
    head += "Content-Type: " + response.content_type + "\r\n";
    head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    head += "Cache-Control: no-store\r\nConnection: close\r\n";
    for (auto const& [name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    send_all(fd, head + "\r\n" + response.body);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
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
