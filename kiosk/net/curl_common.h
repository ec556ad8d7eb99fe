// What http_get and http_send do alike with libcurl: the handle, the TLS and timeout settings, an answer read under a
// size limit, the cancel flag, and the words for a failed transfer.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace kiosk::net {

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

// A fresh easy handle, after the process-wide initialisation; empty when libcurl cannot start one.
CurlHandle start_curl();

// An answer's body, collected into `body` until it would pass max_bytes: then the write callback refuses the piece,
// libcurl stops with CURLE_WRITE_ERROR, and too_large tells the caller why.
template<class Body>
struct LimitedBody {
    Body& body;
    size_t max_bytes = 0;
    bool too_large = false;

    static size_t append(char* data, size_t size, size_t count, void* user)
    {
        auto* sink = static_cast<LimitedBody*>(user);
        size_t bytes = size * count;
        if (sink->body.size() + bytes > sink->max_bytes) {
            sink->too_large = true;
            return 0;
        }
        sink->body.insert(sink->body.end(), data, data + bytes);
        return bytes;
    }
};

struct TransferSettings {
    std::filesystem::path const& ca_file; // empty: the system's CAs
    std::chrono::milliseconds connect_timeout;
    std::chrono::milliseconds total_timeout;
    size_t max_bytes = 0;
    std::atomic<bool> const* cancel = nullptr; // when set, the transfer ends soon after it turns true
    char* error_text = nullptr; // CURL_ERROR_SIZE bytes for libcurl's detailed words
};

// The settings every request of ours has: certificate and host checked, both timeouts, the size limit, no signals,
// our user agent, the error buffer, and the cancel flag read while the transfer runs.
void apply_transfer_settings(CURL* handle, TransferSettings const& settings);

// The same for one of our requests (HttpRequest, HttpSendRequest), which name these fields alike.
template<class Request>
void apply_transfer_settings(CURL* handle, Request const& request, size_t max_bytes, char* error_text)
{
    apply_transfer_settings(handle,
        TransferSettings { .ca_file = request.ca_file,
            .connect_timeout = request.connect_timeout,
            .total_timeout = request.total_timeout,
            .max_bytes = max_bytes,
            .cancel = request.cancel,
            .error_text = error_text });
}

template<class Body>
void collect_body(CURL* handle, LimitedBody<Body>& sink)
{
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &LimitedBody<Body>::append);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
}

// libcurl's words for a failed transfer: the error buffer when it wrote one, else the code's own text; a timeout says
// so first, since that is what a technician looks for.
std::string describe_failure(CURLcode code, char const* error_text);

} // namespace kiosk::net
