// One HTTP request that carries a body (POST or PUT) with libcurl: what pushing metrics and calling an agent need,
// held to the same care as http_get (certificate and host checked, timeouts, a size limit, a cancel flag).
#pragma once

#include "kiosk/core/error.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

namespace kiosk::net {

enum class HttpMethod { post, put };

struct HttpSendRequest {
    HttpMethod method = HttpMethod::post;
    // https:// always; http:// only with allow_plain_http (a Pushgateway on a loopback or fleet network). Redirects are
    // never followed: resending a body elsewhere is not what the caller asked for, so a 3xx is an error like a 4xx.
    std::string url;
    bool allow_plain_http = false;
    std::string content_type = "application/json";
    std::string body;
    std::filesystem::path ca_file; // empty: the system's CAs
    std::chrono::milliseconds connect_timeout { 5'000 };
    std::chrono::milliseconds total_timeout { 15'000 }; // the whole exchange, so a server that hangs cannot hold us
    size_t max_answer_bytes = 64 * 1024; // the answer's body; nothing we send to expects more than a word back
    // Set from another thread (the kiosk stopping), it ends the transfer within a fraction of a second.
    std::atomic<bool> const* cancel = nullptr;
};

struct HttpSendResponse {
    long status = 0; // always 2xx: anything else is an error
    std::string body;
};

// Why a request failed, for the metrics and for words a person can act on; the Error carries the detail.
enum class HttpFailure { none, refused, unreachable, timeout, tls, status, too_large, cancelled, other };
std::string_view to_string(HttpFailure failure);

// ErrorCode::request_failed naming the reason (refused URL, unreachable, TLS or certificate refused, timed out, too
// large, or "HTTP status 500"); ErrorCode::cancelled when request.cancel was set. *failure, when given, is set to the
// kind of failure (HttpFailure::none on success).
Result<HttpSendResponse> http_send(HttpSendRequest const& request, HttpFailure* failure = nullptr);

} // namespace kiosk::net
