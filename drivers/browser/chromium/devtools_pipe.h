// The DevTools protocol over --remote-debugging-pipe: NUL-separated JSON messages on two pipes, no port.
#pragma once

#include "drivers/browser/chromium/json_value.h"
#include "kiosk/core/error.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace kiosk::drivers::chromium {

// One connection to a browser. A reader thread splits what Chromium writes into messages: answers wake the
// call() waiting for them; events go to the event handler, on the reader thread (it must not call(), which
// would wait for the very thread it runs on). Messages longer than max_message are dropped whole, and text
// that is not JSON is ignored: the page, not only Chromium, decides much of what is written here.
class DevToolsPipe {
public:
    struct Event {
        std::string method;
        std::string session_id; // empty for the browser's own events
        JsonValue params;
    };
    using EventHandler = std::function<void(Event)>;
    static constexpr size_t default_max_message = 4 * 1024 * 1024;

    // to_browser is written (Chromium's fd 3): one end of a stream socketpair, so that a Chromium that has gone
    // makes writes fail instead of raising SIGPIPE. from_browser is read (its fd 4). Both are owned from now on.
    DevToolsPipe(int to_browser, int from_browser, EventHandler on_event, size_t max_message = default_max_message);
    ~DevToolsPipe();
    DevToolsPipe(DevToolsPipe const&) = delete;
    DevToolsPipe& operator=(DevToolsPipe const&) = delete;

    // Sends method with params (a JSON object's text, "{}" when none) and waits for the answer's "result".
    // ErrorCode::browser_failed on a protocol error, a closed pipe, or no answer within timeout.
    Result<JsonValue> call(std::string_view method, std::string_view params = "{}", std::string_view session_id = {},
        std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
    // Sends without waiting; the answer is dropped when it comes.
    Result<void> send(std::string_view method, std::string_view params = "{}", std::string_view session_id = {});

    // False once Chromium closed its end (it exited) or stop() was called.
    bool connected() const;
    // Messages dropped for their size or their syntax, since the start.
    uint64_t dropped() const;
    // Stops the reader and fails every waiting call(); idempotent.
    void stop();

private:
    void read_loop();
    void handle_message(std::string_view text);
    Result<void> write_message(std::string const& text);

    int m_to_browser = -1;
    int m_from_browser = -1;
    int m_wake = -1; // an eventfd that stop() signals so the reader leaves poll()
    EventHandler m_on_event;
    size_t m_max_message;

    mutable std::mutex m_mutex;
    std::condition_variable m_answered;
    std::map<int64_t, std::optional<JsonValue>> m_waiting; // id -> the whole answer once it came
    int64_t m_next_id = 1;
    bool m_connected = true;
    uint64_t m_dropped = 0;
    std::mutex m_write_mutex;
    std::thread m_reader;
};

} // namespace kiosk::drivers::chromium
