// libcurl's easy interface for one request with a body, behind Result; the answer is read under a size limit.
#include "kiosk/net/http_send.h"

#include "kiosk/net/curl_common.h"

#include <memory>

namespace kiosk::net {

namespace {

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

    CurlHandle curl = start_curl();
    if (!curl)
        return make_error(ErrorCode::internal, "cannot start libcurl");
    HttpSendResponse response;
    LimitedBody<std::string> answer { response.body, request.max_answer_bytes };
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
    apply_transfer_settings(handle, request, request.max_answer_bytes, error_text);
    collect_body(handle, answer);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    if (request.method == HttpMethod::put)
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, "PUT");
    // POSTFIELDS with its size: the body goes as is, binary-safe, and PUT sends it the same way.
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());

    CURLcode code = curl_easy_perform(handle);
    if (answer.too_large || code == CURLE_FILESIZE_EXCEEDED)
        return failed(
            HttpFailure::too_large, "answer larger than " + std::to_string(request.max_answer_bytes) + " bytes");
    if (code == CURLE_ABORTED_BY_CALLBACK) {
        why = HttpFailure::cancelled;
        return make_error(ErrorCode::cancelled, request.url + ": cancelled");
    }
    if (code != CURLE_OK) {
        std::string text = describe_failure(code, error_text);
        HttpFailure kind = failure_of(code);
        if (kind == HttpFailure::tls)
            text = "TLS or certificate refused (" + text + ")";
        return failed(kind, text);
    }
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
    if (response.status < 200 || response.status > 299)
        return failed(HttpFailure::status, "HTTP status " + std::to_string(response.status));
    return response;
}

} // namespace kiosk::net
