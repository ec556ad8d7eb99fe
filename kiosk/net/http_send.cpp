// libcurl's easy interface for one request with a body, behind Result; the answer is read under a size limit.
#include "kiosk/net/http_send.h"

#include "kiosk/net/curl_global.h"

#include <curl/curl.h>

#include <memory>

namespace kiosk::net {

namespace {

struct Answer {
    HttpSendResponse response;
    size_t max_bytes = 0;
    bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user)
{
    auto* answer = static_cast<Answer*>(user);
    size_t bytes = size * count;
    if (answer->response.body.size() + bytes > answer->max_bytes) {
        answer->too_large = true;
        return 0; // libcurl stops with CURLE_WRITE_ERROR
    }
    answer->response.body.append(data, bytes);
    return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto const* cancel = static_cast<std::atomic<bool> const*>(user);
    return cancel && cancel->load() ? 1 : 0;
}

HttpFailure failure_of(CURLcode code)
{
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return HttpFailure::timeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: return HttpFailure::unreachable;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return HttpFailure::tls;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return HttpFailure::refused;
    default: return HttpFailure::other;
    }
}

} // namespace

std::string_view to_string(HttpFailure failure)
{
    switch (failure) {
    case HttpFailure::none: return "ok";
    case HttpFailure::refused: return "refused";
    case HttpFailure::unreachable: return "unreachable";
    case HttpFailure::timeout: return "timeout";
    case HttpFailure::tls: return "tls";
    case HttpFailure::status: return "status";
    case HttpFailure::too_large: return "too_large";
    case HttpFailure::cancelled: return "cancelled";
    case HttpFailure::other: return "other";
    }
    return "other";
}

Result<HttpSendResponse> http_send(HttpSendRequest const& request, HttpFailure* failure)
{
    HttpFailure ignored = HttpFailure::none;
    HttpFailure& why = failure ? *failure : ignored;
    why = HttpFailure::none;
    auto failed = [&](HttpFailure kind, std::string detail) {
        why = kind;
        return make_error(ErrorCode::request_failed, request.url + ": " + std::move(detail));
    };

    // Checked here as well as by libcurl's protocol list, so the refusal says why in words.
    bool https = request.url.starts_with("https://");
    bool http = request.url.starts_with("http://");
    if (!https && !(http && request.allow_plain_http))
        return failed(HttpFailure::refused, http ? "plain http:// is not allowed here" : "not an https:// address");

    ensure_curl_initialised();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        return make_error(ErrorCode::internal, "cannot start libcurl");
    Answer answer;
    answer.max_bytes = request.max_answer_bytes;
    char error_text[CURL_ERROR_SIZE] = {};
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
    // No "Expect: 100-continue": a small body goes at once instead of after a second's wait on some servers.
    for (std::string line : { "Content-Type: " + request.content_type, std::string("Expect:") }) {
        curl_slist* longer = curl_slist_append(headers.get(), line.c_str());
        if (!longer)
            return make_error(ErrorCode::internal, "cannot build the request's headers");
        headers.release();
        headers.reset(longer);
    }

    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, request.allow_plain_http ? "http,https" : "https");
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!request.ca_file.empty()) {
        // The private CA alone: a certificate from any public CA is not the server the fleet set up.
        curl_easy_setopt(handle, CURLOPT_CAINFO, request.ca_file.c_str());
        curl_easy_setopt(handle, CURLOPT_CAPATH, nullptr);
    }
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_answer_bytes));
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "france-services-kiosk");
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    if (request.method == HttpMethod::put)
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, "PUT");
    // POSTFIELDS with its size: the body goes as is, binary-safe, and PUT sends it the same way.
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    if (request.cancel) {
        curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &on_progress);
        curl_easy_setopt(handle, CURLOPT_XFERINFODATA, request.cancel);
    }

    CURLcode code = curl_easy_perform(handle);
    if (answer.too_large || code == CURLE_FILESIZE_EXCEEDED)
        return failed(
            HttpFailure::too_large, "answer larger than " + std::to_string(request.max_answer_bytes) + " bytes");
    if (code == CURLE_ABORTED_BY_CALLBACK) {
        why = HttpFailure::cancelled;
        return make_error(ErrorCode::cancelled, request.url + ": cancelled");
    }
    if (code != CURLE_OK) {
        std::string text = error_text[0] ? std::string(error_text) : std::string(curl_easy_strerror(code));
        HttpFailure kind = failure_of(code);
        if (kind == HttpFailure::timeout)
            text = "timed out (" + text + ")";
        else if (kind == HttpFailure::tls)
            text = "TLS or certificate refused (" + text + ")";
        return failed(kind, text);
    }
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &answer.response.status);
    if (answer.response.status < 200 || answer.response.status > 299)
        return failed(HttpFailure::status, "HTTP status " + std::to_string(answer.response.status));
    return std::move(answer.response);
}

} // namespace kiosk::net
