// Reads and writes the DevTools pipe of one Chromium.
#include "drivers/browser/chromium/devtools_pipe.h"

#include "kiosk/core/json.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kiosk::drivers::chromium {

DevToolsPipe::DevToolsPipe(int to_browser, int from_browser, EventHandler on_event, size_t max_message)
    : m_to_browser(to_browser)
    , m_from_browser(from_browser)
    , m_on_event(std::move(on_event))
    , m_max_message(max_message)
{
    m_wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    // Writes never block the UI thread for long: a stopped Chromium that reads nothing fills the pipe, and then
    // write_message() gives up after its own short wait.
    ::fcntl(m_to_browser, F_SETFL, ::fcntl(m_to_browser, F_GETFL) | O_NONBLOCK);
    m_reader = std::thread([this] { read_loop(); });
}

DevToolsPipe::~DevToolsPipe()
{
    stop();
    for (int fd : { m_to_browser, m_from_browser, m_wake })
        if (fd >= 0)
            ::close(fd);
}

void DevToolsPipe::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_connected = false;
        m_answered.notify_all();
    }
    uint64_t one = 1;
    if (m_wake >= 0) {
        auto written = ::write(m_wake, &one, sizeof one);
        (void)written;
    }
    if (m_reader.joinable() && m_reader.get_id() != std::this_thread::get_id())
        m_reader.join();
}

bool DevToolsPipe::connected() const
{
    std::lock_guard lock(m_mutex);
    return m_connected;
}

uint64_t DevToolsPipe::dropped() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

void DevToolsPipe::read_loop()
{
    std::string buffer;
    bool skipping = false; // inside a message that grew past the limit: dropped up to its NUL
    char chunk[65536];
    for (;;) {
        pollfd fds[2] = { { m_from_browser, POLLIN, 0 }, { m_wake, POLLIN, 0 } };
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[1].revents)
            break;
        auto n = ::read(m_from_browser, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break; // Chromium closed its end: it has exited
        std::string_view data(chunk, static_cast<size_t>(n));
        while (!data.empty()) {
            auto end = data.find('\0');
            auto piece = data.substr(0, end);
            if (!skipping) {
                if (buffer.size() + piece.size() > m_max_message) {
                    buffer.clear();
                    buffer.shrink_to_fit();
                    skipping = true;
                    std::lock_guard lock(m_mutex);
                    ++m_dropped;
                } else {
                    buffer.append(piece);
                }
            }
            if (end == std::string_view::npos)
                break;
            if (!skipping)
                handle_message(buffer);
            buffer.clear();
            skipping = false;
            data.remove_prefix(end + 1);
        }
    }
    std::lock_guard lock(m_mutex);
    m_connected = false;
    m_answered.notify_all();
}

void DevToolsPipe::handle_message(std::string_view text)
{
    auto message = JsonValue::parse(text);
    if (!message || !message->is_object()) {
        std::lock_guard lock(m_mutex);
        ++m_dropped;
        return;
    }
    if (auto id = (*message)["id"].integer()) {
        std::lock_guard lock(m_mutex);
        auto waiting = m_waiting.find(*id);
        if (waiting != m_waiting.end()) {
            waiting->second = std::move(*message);
            m_answered.notify_all();
        }
        return;
    }
    auto const& method = (*message)["method"];
    if (!method.is_string() || !m_on_event)
        return;
    Event event { method.string(), (*message)["sessionId"].string(), (*message)["params"] };
    m_on_event(std::move(event));
}

Result<void> DevToolsPipe::write_message(std::string const& text)
{
    std::lock_guard lock(m_write_mutex);
    std::string framed = text;
    framed += '\0';
    size_t done = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (done < framed.size()) {
        // A socket, so that writing to a Chromium that has gone is EPIPE, not a SIGPIPE that ends the kiosk.
        auto n = ::send(m_to_browser, framed.data() + done, framed.size() - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            auto left
                = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            pollfd p { m_to_browser, POLLOUT, 0 };
            if (left.count() > 0 && ::poll(&p, 1, static_cast<int>(left.count())) > 0)
                continue;
            // Half a message in the pipe would garble every later one: this connection is finished.
            std::lock_guard state(m_mutex);
            m_connected = false;
            m_answered.notify_all();
            return make_error(ErrorCode::browser_failed, "devtools pipe: Chromium reads nothing (hung?)");
        }
        return make_error(ErrorCode::browser_failed, std::string("devtools pipe: ") + std::strerror(errno));
    }
    return {};
}

namespace {

std::string command_text(int64_t id, std::string_view method, std::string_view params, std::string_view session_id)
{
    std::string text = "{\"id\":" + std::to_string(id) + ",\"method\":" + json_quote(method) + ",\"params\":";
    text += params.empty() ? std::string_view("{}") : params;
    if (!session_id.empty())
        text += ",\"sessionId\":" + json_quote(session_id);
    return text + "}";
}

std::string protocol_error(JsonValue const& answer)
{
    auto const& error = answer["error"];
    std::string text = error["message"].string();
    if (auto data = error["data"].string(); !data.empty())
        text += " (" + data + ")";
    return text.empty() ? "unknown error" : text;
}

} // namespace

Result<void> DevToolsPipe::send(std::string_view method, std::string_view params, std::string_view session_id)
{
    int64_t id = 0;
    {
        std::lock_guard lock(m_mutex);
        if (!m_connected)
            return make_error(ErrorCode::browser_failed, "devtools pipe: not connected");
        id = m_next_id++;
    }
    return write_message(command_text(id, method, params, session_id));
}

Result<JsonValue> DevToolsPipe::call(
    std::string_view method, std::string_view params, std::string_view session_id, std::chrono::milliseconds timeout)
{
    int64_t id = 0;
    {
        std::lock_guard lock(m_mutex);
        if (!m_connected)
            return make_error(ErrorCode::browser_failed, "devtools pipe: not connected");
        id = m_next_id++;
        m_waiting.emplace(id, std::nullopt);
    }
    auto written = write_message(command_text(id, method, params, session_id));
    std::unique_lock lock(m_mutex);
    if (!written) {
        m_waiting.erase(id);
        return std::unexpected(written.error());
    }
    bool answered = m_answered.wait_for(lock, timeout, [&] { return m_waiting[id].has_value() || !m_connected; });
    auto answer = std::move(m_waiting[id]);
    m_waiting.erase(id);
    if (!answered || !answer)
        return make_error(ErrorCode::browser_failed,
            "devtools pipe: " + std::string(method) + (m_connected ? ": no answer in time" : ": Chromium is gone"));
    if (answer->contains("error"))
        return make_error(
            ErrorCode::browser_failed, "devtools: " + std::string(method) + ": " + protocol_error(*answer));
    return (*answer)["result"];
}

} // namespace kiosk::drivers::chromium
