// One HTTPS GET with libcurl, held to what fetching a configuration needs: the certificate and host checked,
// timeouts, a size limit, and If-None-Match.
#pragma once

#include "kiosk/core/error.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::net {

struct HttpRequest {
    std::string url; // https:// only; redirects are followed to https:// addresses only
    std::filesystem::path ca_file; // empty: the system's CAs
    std::chrono::milliseconds connect_timeout { 10'000 };
    std::chrono::milliseconds total_timeout { 60'000 }; // the whole transfer, so a server that hangs cannot hold us
    size_t max_bytes = 64 * 1024 * 1024;
    std::string if_none_match; // an ETag: a 304 answer then means "unchanged"
    // Set from another thread (the kiosk stopping), it ends the transfer within a fraction of a second.
    std::atomic<bool> const* cancel = nullptr;
};

struct HttpResponse {
    long status = 0; // 200 or 304; anything else is an error
    std::vector<unsigned char> body;
    std::string etag;
};

// ErrorCode::request_failed with the reason: unreachable, TLS or certificate refused, timed out, cut short, too
// large, or an HTTP status other than 200 and 304. ErrorCode::cancelled when request.cancel was set.
Result<HttpResponse> http_get(HttpRequest const& request);

} // namespace kiosk::net
